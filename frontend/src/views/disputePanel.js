/**
 * views/disputePanel.js — an order line's dispute and support, on its card, for its buyer and its
 * seller: raise a dispute (with a reason); while negotiating, propose a split ("you get 60%", in
 * words and amounts), accept the other side's, escalate once the settlement deadline passed (and
 * draw the arbiter right after); draw an arbiter, call a timeout, add evidence; the outcome once
 * it is split. The buyer opens support cases; the seller lets support refund up to an amount.
 *
 * Also the pieces the arbiter's and support's views share: split sentences and evidence lists.
 */
import { h } from '../dom.js';
import {
  capitalize, formatAmount, formatDeadline, formatTimestamp, parseAmountInput, sameAddress, shortAddress,
} from '../format.js';
import { disputableUntil, isInProgress } from '../lines.js';
import { BPS, formatBps, parsePercent, splitEscrow } from '../resolution.js';
import { actionButton } from './actions.js';
import { requiredText } from './forms.js';

const OPEN_FOR_SUPPORT = new Set(['Paid', 'Accepted', 'Shipped', 'Delivered', 'Disputed']);

/**
 * A split in words from `viewer`'s side ('buyer' | 'seller' | anyone else): "you get 60% (6.00
 * mUSD); the seller gets 3.90 mUSD after the platform fee". `parts` are the amounts (bigints).
 */
export function splitWords(buyerBps, parts, token, viewer) {
  const amount = (value) => formatAmount(value, token);
  const sellerShare = formatBps(BPS - Number(buyerBps));
  const arbiter = parts.arbiterFee > 0n ? `; the arbiter’s fee is ${amount(parts.arbiterFee)}` : '';
  if (viewer === 'buyer') {
    return `you get ${formatBps(buyerBps)} (${amount(parts.buyer)}); the seller gets ${amount(parts.seller)} after the platform fee${arbiter}`;
  }
  if (viewer === 'seller') {
    return `the buyer gets ${formatBps(buyerBps)} (${amount(parts.buyer)}); you get ${sellerShare} (${amount(parts.seller)} after the platform fee)${arbiter}`;
  }
  return `the buyer gets ${formatBps(buyerBps)} (${amount(parts.buyer)}); the seller ${sellerShare} (${amount(parts.seller)} after the platform fee)${arbiter}`;
}

/** What a proposed or ruled share would pay, from the dispute's escrow (no arbiter fee: settlements). */
export function proposalWords(dispute, buyerBps, token, viewer, arbiterFeeBps = 0) {
  return splitWords(buyerBps, splitEscrow(dispute.escrow, buyerBps, dispute.feeBps, arbiterFeeBps), token, viewer);
}

/** How a closed dispute was split, from the amounts the marketplace credited. */
export function outcomeSentence(dispute, token, viewer) {
  const parts = {
    buyer: BigInt(dispute.buyerAmount ?? 0), seller: BigInt(dispute.sellerAmount ?? 0), arbiterFee: BigInt(dispute.arbiterFee ?? 0),
  };
  const words = splitWords(dispute.buyerBps, parts, token, viewer);
  if (dispute.status === 'Settled') return `Settled by agreement: ${words}.`;
  if (dispute.status === 'Ruled') return `Ruled by the arbiter ${shortAddress(dispute.arbiter)}: ${words}.`;
  return `No arbiter ruled in time, so it was split half each: ${words}.`;
}

/** The running deadline of an open dispute, in words. */
export function disputeDeadline(dispute, now) {
  if (dispute.status === 'Negotiating') {
    return now > dispute.settleBy
      ? `The time to settle ended on ${formatTimestamp(dispute.settleBy)}: either party can now ask for an arbiter.`
      : `Settle by ${formatDeadline(dispute.settleBy, now)}; after that either party can ask for an arbiter.`;
  }
  if (!dispute.arbiter) {
    return dispute.round === 0
      ? 'Escalated: an arbiter is to be drawn (anyone can draw from the block after the escalation).'
      : 'The first arbiter missed the ruling deadline: a replacement is to be drawn (anyone can draw it).';
  }
  return now > dispute.ruleBy
    ? `The arbiter ${shortAddress(dispute.arbiter)} missed the ruling deadline (${formatTimestamp(dispute.ruleBy)}): anyone can call the timeout${dispute.round === 0 ? ' (a new arbiter is drawn)' : ' (then it is split half each)'}.`
    : `The arbiter ${shortAddress(dispute.arbiter)} (fee ${formatBps(dispute.arbiterFeeBps)}) must rule by ${formatDeadline(dispute.ruleBy, now)}.`;
}

/** What someone posted (evidence, a message): its text, or its URI (a link when it is http(s)). */
export function postedContent(text, uri) {
  if (text != null) return h('q', {}, text);
  if (/^https?:\/\//i.test(uri)) return h('a', { class: 'raw-uri', href: uri, target: '_blank', rel: 'noopener noreferrer nofollow' }, uri);
  return h('span', { class: 'raw-uri' }, uri);
}

/** The evidence posted on a dispute (GET /api/disputes/{id} `evidence`), or null when there is none. */
export function evidenceList(evidence, { testid }) {
  if (!evidence?.length) return null;
  return h('ul', { class: 'evidence', testid, 'aria-label': 'Evidence' }, evidence.map((item) => h(
    'li', {},
    h('span', { class: 'who' }, `${capitalize(item.byRole)} ${shortAddress(item.by)}`), ': ',
    postedContent(item.text, item.uri),
    ' ', h('time', { class: 'hint' }, formatTimestamp(item.timestamp)),
  )));
}

/**
 * createDisputePanel({ forms, actions, tokens }).forLine(line, detail, { role, now })
 * → the card's dispute and support section for `role` ('buyer' | 'seller'), or null.
 * `detail` is the line's GET /api/lines/{id} (dispute, cases, supportRefundAllowance).
 */
export function createDisputePanel({ forms, actions, tokens }) {
  const act = (line, verb, call) => actions.inCenter(line, verb, call);
  const percentField = (what) => (text) => parsePercent(text, { what });

  function raiseForm(line) {
    return forms.lineForm(line, {
      name: 'raise',
      fields: [['reason', 'What went wrong?', requiredText('reason', 500), { placeholder: 'e.g. it arrived broken' }]],
      submit: 'Raise a dispute',
      onsubmit: ({ reason }) => act(line, 'Raising a dispute on', (center, onStep) => center.raiseDispute(line.id, reason, onStep)),
    });
  }

  function proposeForm(line, dispute, role, token) {
    const preview = h('p', { class: 'hint', testid: `propose-preview-${line.id}`, 'aria-live': 'polite' });
    const showPreview = (text) => {
      try {
        preview.textContent = `If accepted: ${proposalWords(dispute, parsePercent(text), token, role)}.`;
      } catch {
        preview.textContent = '';
      }
    };
    const form = forms.lineForm(line, {
      name: 'propose',
      fields: [['share', 'Buyer’s share (%)', percentField('buyer’s share'), { inputmode: 'decimal', oninput: (e) => showPreview(e.target.value) }]],
      submit: 'Propose this split',
      extra: preview,
      onsubmit: ({ share }) => act(line, 'Proposing a split on', (center, onStep) => center.proposeSettlement(line.id, share, onStep)),
    });
    showPreview(form.querySelector(`#propose-share-${line.id}`).value);
    return form;
  }

  function evidenceForm(line) {
    return forms.lineForm(line, {
      name: 'evidence',
      fields: [['text', 'Evidence (a link or a statement)', requiredText('evidence', 1000)]],
      submit: 'Add evidence',
      onsubmit: ({ text }) => act(line, 'Adding evidence to', (center, onStep) => center.submitEvidence(line.id, text, onStep)),
    });
  }

  /** "Your proposal" and "The seller proposes …" (with Accept), each in the viewer's words. */
  function offers(line, dispute, role, token) {
    const other = role === 'buyer' ? 'seller' : 'buyer';
    const mine = role === 'buyer' ? dispute.buyerOffer : dispute.sellerOffer;
    const theirs = role === 'buyer' ? dispute.sellerOffer : dispute.buyerOffer;
    return [
      mine != null ? h('p', { testid: `dispute-offer-mine-${line.id}` }, `Your proposal: ${proposalWords(dispute, mine, token, role)}.`) : null,
      theirs != null ? h('p', { testid: `dispute-offer-theirs-${line.id}` }, `The ${other} proposes: ${proposalWords(dispute, theirs, token, role)}.`) : null,
      theirs != null ? actionButton({
        testid: `accept-offer-${line.id}`, text: `Accept: ${proposalWords(dispute, theirs, token, role).split(';')[0]}`, line, primary: true,
        onclick: () => act(line, 'Accepting the split on', (center, onStep) => center.acceptSettlement(line.id, theirs, onStep)),
      }) : null,
    ];
  }

  function openControls(line, dispute, role, now, token) {
    const nodes = [];
    if (dispute.status === 'Negotiating') {
      nodes.push(...offers(line, dispute, role, token), proposeForm(line, dispute, role, token));
      if (now > dispute.settleBy) {
        nodes.push(actionButton({
          testid: `escalate-${line.id}`, text: 'Ask for an arbiter', line,
          onclick: () => act(line, 'Escalating the dispute on', async (center, onStep) => {
            await center.escalate(line.id, onStep, 'step 1 of 2: escalate');
            return center.drawArbiter(line.id, onStep, 'step 2 of 2: draw the arbiter');
          }),
        }));
      } else {
        nodes.push(h('p', { class: 'hint', testid: `escalate-after-${line.id}` },
          `If you can’t agree, you can ask for an arbiter after ${formatDeadline(dispute.settleBy, now)}.`));
      }
    }
    if (dispute.status === 'Escalated' && !dispute.arbiter) {
      nodes.push(actionButton({
        testid: `draw-${line.id}`, text: 'Draw the arbiter', line, primary: true,
        onclick: () => act(line, 'Drawing the arbiter for', (center, onStep) => center.drawArbiter(line.id, onStep)),
      }));
    }
    if (dispute.status === 'Escalated' && now > dispute.ruleBy) {
      nodes.push(actionButton({
        testid: `timeout-${line.id}`, text: dispute.round === 0 ? 'Replace the late arbiter' : 'Apply the default split',
        line, onclick: () => act(line, 'Calling the ruling timeout on', (center, onStep) => center.timeoutRuling(line.id, onStep)),
      }));
    }
    nodes.push(evidenceForm(line));
    return nodes;
  }

  function disputeSection(line, dispute, role, now) {
    const token = tokens.of(line);
    const raisedBy = sameAddress(dispute.raisedBy, role === 'buyer' ? line.buyer : line.seller)
      ? 'you' : dispute.raisedByRole === 'support' ? 'support, for the buyer' : `the ${dispute.raisedByRole}`;
    return h(
      'section', { class: 'dispute', testid: `dispute-${line.id}`, 'data-status': dispute.status, 'aria-label': 'Dispute' },
      h('h5', {}, `Dispute · ${dispute.status}`),
      h('p', { testid: `dispute-reason-${line.id}` }, `Raised by ${raisedBy} on ${formatTimestamp(dispute.raisedAt)}: “${dispute.reason}”`),
      dispute.open
        ? h('p', { class: 'deadline', testid: `dispute-deadline-${line.id}` }, disputeDeadline(dispute, now))
        : h('p', { class: 'outcome', testid: `dispute-outcome-${line.id}` }, outcomeSentence(dispute, token, role)),
      dispute.open ? h('div', { class: 'actions' }, openControls(line, dispute, role, now, token)) : null,
    );
  }

  function supportSection(line, detail, role) {
    const token = tokens.of(line);
    const cases = detail?.cases ?? [];
    const allowance = BigInt(detail?.supportRefundAllowance ?? 0);
    const nodes = [];
    if (cases.length) {
      nodes.push(h('p', { testid: `line-cases-${line.id}` },
        cases.map((c, index) => [index ? ', ' : '', h('a', { href: '#support' }, `support case #${c.id}`), ` (${c.status.toLowerCase()})`]),
        role === 'buyer' ? ': see Support for the messages.' : '.'));
    }
    if (allowance > 0n || (role === 'seller' && isInProgress(line))) {
      nodes.push(h('p', { class: 'hint', testid: `support-allowance-${line.id}`, 'data-amount': String(allowance) },
        allowance > 0n ? `Support may refund up to ${formatAmount(allowance, token)} of this line.` : 'Support may not refund any of this line.'));
    }
    if (role === 'buyer' && OPEN_FOR_SUPPORT.has(line.status)) {
      nodes.push(forms.lineForm(line, {
        name: 'open-case',
        fields: [['message', 'Ask support', requiredText('message', 1000), { placeholder: 'Your question or problem' }]],
        submit: 'Open a support case',
        onsubmit: ({ message }) => act(line, 'Opening a support case about', (center, onStep) => center.openCase(line.id, message, onStep)),
      }));
    }
    if (role === 'seller' && isInProgress(line)) {
      nodes.push(forms.lineForm(line, {
        name: 'support-refund',
        fields: [['amount', `Let support refund up to (${token.symbol})`, (text) => parseAmountInput(text, token, { what: 'amount', allowZero: true })]],
        submit: 'Authorise',
        onsubmit: ({ amount }) => act(line, 'Authorising support refunds on', (center, onStep) => center.authorizeSupportRefund(line.id, amount, onStep)),
      }));
    }
    return nodes.length ? h('div', { class: 'support-panel' }, nodes) : null;
  }

  function forLine(line, detail, { role, now }) {
    const dispute = detail?.dispute;
    const until = disputableUntil(line);
    const canRaise = !dispute && until != null && now <= until;
    const parts = [
      dispute ? disputeSection(line, dispute, role, now) : null,
      canRaise ? h('div', { class: 'actions' }, raiseForm(line)) : null,
      supportSection(line, detail, role),
    ].filter(Boolean);
    return parts.length ? h('div', { class: 'resolution' }, parts) : null;
  }

  return { forLine };
}
