/**
 * views/lineCard.js — one order line as a card, shared by "My orders" (buyer) and the seller's
 * order queue: what was bought, its status, amounts, shipping (and who confirmed the delivery),
 * the running deadline in words, its history, its dispute and support panel, and whatever action
 * buttons the caller passes in.
 */
import { h } from '../dom.js';
import { formatAmount, formatTimestamp, sameAddress, shortAddress } from '../format.js';
import { STATUS_HINTS, deadlineSentence, isInProgress, lineLabel } from '../lines.js';
import { addressTag } from '../profiles.js';
import { timelineList } from './timeline.js';

export function lineTitle(line) {
  return line.productName ?? `Product #${line.productId}`;
}

function fact(label, value, props = {}) {
  return h('div', {}, h('dt', {}, label), h('dd', props, value));
}

function amountFacts(line, token, prefix) {
  const amount = (value, testid) => ({ testid: `${prefix}-${testid}-${line.id}`, 'data-amount': String(value) });
  const facts = [fact('Paid', formatAmount(line.paidAmount, token), amount(line.paidAmount, 'paid'))];
  if (isInProgress(line) || line.status === 'Paid') {
    if (line.amount !== line.paidAmount) facts.push(fact('Still in escrow', formatAmount(line.amount, token), amount(line.amount, 'escrowed')));
  }
  if (line.status === 'Completed' && line.sellerAmount != null) {
    facts.push(fact('Seller received', formatAmount(line.sellerAmount, token)));
    facts.push(fact('Platform fee', formatAmount(line.fee ?? 0, token)));
  }
  if (line.status === 'Disputed') facts.push(fact('Held in the dispute', formatAmount(line.amount, token), amount(line.amount, 'escrowed')));
  if (isInProgress(line) && BigInt(line.refundOffer ?? 0) > 0n) {
    facts.push(fact('Refund offered', formatAmount(line.refundOffer, token), amount(line.refundOffer, 'refund-offer')));
  }
  return facts;
}

/** Names for the addresses a line's history mentions, from `role`'s point of view. */
export function lineActors(line, role, oracle) {
  return (address) => {
    if (sameAddress(address, line.buyer)) return role === 'buyer' ? 'you' : 'the buyer';
    if (sameAddress(address, line.seller)) return role === 'seller' ? 'you' : 'the seller';
    if (sameAddress(address, oracle)) return 'the logistics oracle';
    return shortAddress(address);
  };
}

/**
 * @param line     a Line from the API
 * @param options  { prefix: 'line' | 'sale' (data-testid prefix), role: 'buyer' | 'seller',
 *                   token (tokens.js), now (chain time), timeline (or null), heading ('h3' | 'h4'),
 *                   oracle (the LogisticsOracle's address), panel (the dispute and support nodes),
 *                   actions: nodes }
 */
export function lineCard(line, { prefix, role, token, now, timeline, heading = 'h3', oracle = null, panel = null, actions = [] }) {
  const titleId = `${prefix}-title-${line.id}`;
  const counterparty = role === 'buyer' ? line.seller : line.buyer;
  const deadline = deadlineSentence(line, now, role);
  const byOracle = line.confirmedBy && sameAddress(line.confirmedBy, oracle);
  return h(
    'li',
    { class: 'card line', testid: `${prefix}-${line.id}`, 'aria-labelledby': titleId, 'data-status': line.status },
    h(
      'div',
      { class: 'order-head' },
      h(heading, { id: titleId }, `${lineTitle(line)} × ${line.quantity}`,
        h('span', { class: 'line-ref' }, ` · ${lineLabel(line.id)}`)),
      h('span', {
        class: `badge badge-${line.status.toLowerCase()}`,
        testid: `${prefix}-status-${line.id}`,
        title: STATUS_HINTS[line.status] ?? null,
      }, line.status),
    ),
    h(
      'dl',
      { class: 'facts' },
      amountFacts(line, token, prefix),
      fact(role === 'buyer' ? 'Seller' : 'Buyer', addressTag(counterparty)),
      role === 'seller' ? fact('Ordered', formatTimestamp(line.placedAt) || `block ${line.placedBlock}`) : null,
      line.carrier ? fact('Shipping', `${line.carrier}${line.trackingRef ? ` · ${line.trackingRef}` : ''}`, { testid: `${prefix}-shipping-${line.id}` }) : null,
      byOracle ? fact('Delivery', 'Delivered by the logistics oracle', { testid: `${prefix}-delivered-by-${line.id}`, title: oracle }) : null,
    ),
    deadline ? h('p', { class: 'deadline', testid: `${prefix}-deadline-${line.id}` }, deadline) : null,
    timelineList(timeline, { token, label: lineLabel(line.id), testid: `${prefix}-timeline-${line.id}`, who: lineActors(line, role, oracle) }),
    panel,
    actions.length ? h('div', { class: 'actions' }, actions) : null,
  );
}
