/**
 * views/support.js — #support. For support staff (SUPPORT_ROLE, from /api/accounts): the open
 * cases, each with its line, its messages and the refund the seller allows, and Reply, Close,
 * Escalate to a dispute (for the buyer) and Refund (within that allowance); escalated cases with
 * their dispute, where support may add evidence. For a buyer: their own cases, with Reply and Close.
 */
import { h, remount } from '../dom.js';
import { formatAmount, formatTimestamp, parseAmountInput, shortAddress } from '../format.js';
import { lineLabel } from '../lines.js';
import { textOfUri } from '../resolution.js';
import { actionButton } from './actions.js';
import { disputeDeadline, evidenceList, outcomeSentence, postedContent } from './disputePanel.js';
import { createForms, requiredText } from './forms.js';

const PAGE_SIZE = 30;

/** A case from the API as the line it is about (what action buttons need for their names). */
const caseLine = (c) => ({ id: c.lineId, productId: null, productName: c.productName ?? `the order line ${lineLabel(c.lineId)}` });

export function createSupportView({ root, api, getSession, tokens, chainReader, actions }) {
  let generation = 0;
  const forms = createForms();

  function messages(c, prefix) {
    return h('ol', { class: 'messages', testid: `${prefix}-messages-${c.id}`, 'aria-label': `Messages of support case #${c.id}` },
      c.messages.map((message) => {
        const text = message.text ?? textOfUri(message.uri);
        return h('li', { 'data-role': message.authorRole },
          h('span', { class: 'who' }, message.authorRole === 'buyer' ? 'Buyer' : `Support ${shortAddress(message.author)}`),
          ' ', h('time', { class: 'hint' }, formatTimestamp(message.timestamp)), ': ',
          postedContent(text, message.uri));
      }));
  }

  /** Reply (`name` tells the staff's form from the buyer's) and Close. */
  function replyAndClose(c, { name, field, submit, close }) {
    const run = (verb, call) => actions.onCase(c, verb, call);
    return [
      forms.inlineForm({
        name, key: c.id, label: `Reply in support case #${c.id}`,
        fields: [['text', field, requiredText('message', 1000)]], submit,
        onsubmit: ({ text }) => run('Replying in', (center, onStep) => center.replyToCase(c.id, text, onStep)),
      }),
      actionButton({
        testid: `${close}-${c.id}`, text: 'Close the case', line: caseLine(c),
        onclick: () => run('Closing', (center, onStep) => center.closeCase(c.id, onStep)),
      }),
    ];
  }

  function staffControls(c) {
    const token = tokens.of(c);
    const allowance = BigInt(c.refundAllowance);
    const run = (verb, call) => actions.onCase(c, verb, call);
    const [reply, close] = replyAndClose(c, { name: 'reply', field: 'Reply', submit: 'Send reply', close: 'close-case' });
    return [
      reply,
      allowance > 0n
        ? forms.inlineForm({
          name: 'refund-case', key: c.id, label: `Refund the buyer of support case #${c.id}`,
          fields: [['amount', `Refund (${token.symbol}, at most ${formatAmount(allowance, token)})`, (text) => parseAmountInput(text, token, { what: 'refund' })]],
          submit: 'Refund the buyer',
          onsubmit: ({ amount }) => run('Refunding the buyer of', (center, onStep) => center.refundCase(c.id, amount, onStep)),
        })
        : h('p', { class: 'hint' }, 'The seller has not let support refund any of this line.'),
      forms.inlineForm({
        name: 'escalate-case', key: c.id, label: `Escalate support case #${c.id} to a dispute`,
        fields: [['reason', 'Dispute for the buyer, because', requiredText('reason', 500)]], submit: 'Escalate to a dispute',
        onsubmit: ({ reason }) => run('Escalating', (center, onStep) => center.escalateCase(c.id, reason, onStep)),
      }),
      close,
    ];
  }

  const buyerControls = (c) => replyAndClose(c, { name: 'my-reply', field: 'Your message', submit: 'Send', close: 'my-close-case' });

  /** An escalated case's dispute: where it stands, its evidence, and support's evidence form. */
  function disputeOf(c, dispute, now) {
    if (!dispute) return null;
    const token = tokens.of(c);
    return h('div', { class: 'dispute', testid: `case-dispute-${c.id}` },
      h('p', {}, dispute.open ? disputeDeadline(dispute, now) : outcomeSentence(dispute, token, 'support')),
      evidenceList(dispute.evidence, { testid: `case-evidence-${c.id}` }),
      dispute.open ? forms.inlineForm({
        name: 'support-evidence', key: c.id, label: `Add evidence to the dispute of support case #${c.id}`,
        fields: [['text', 'Evidence (a link or a statement)', requiredText('evidence', 1000)]], submit: 'Add evidence',
        onsubmit: ({ text }) => actions.onCase(c, 'Adding evidence for', (center, onStep) => center.submitEvidence(c.lineId, text, onStep)),
      }) : null);
  }

  function caseCard(c, { prefix, controls, dispute = null, now }) {
    const token = tokens.of(c);
    const fact = (label, value, props = {}) => h('div', {}, h('dt', {}, label), h('dd', props, value));
    return h('li', { class: 'card line', testid: `${prefix}-${c.id}`, 'data-status': c.status },
      h('div', { class: 'order-head' },
        h('h4', {}, `Support case #${c.id}: ${c.productName ?? 'an order line'}`, h('span', { class: 'line-ref' }, ` · ${lineLabel(c.lineId)}`)),
        h('span', { class: `badge badge-case-${c.status.toLowerCase()}`, testid: `${prefix}-status-${c.id}` }, c.status)),
      h('dl', { class: 'facts' },
        fact('Buyer', shortAddress(c.buyer), { title: c.buyer }),
        fact('Seller', shortAddress(c.seller), { title: c.seller }),
        fact('Order line', c.lineStatus),
        fact('In escrow', formatAmount(c.escrow, token), { testid: `${prefix}-escrow-${c.id}`, 'data-amount': c.escrow }),
        fact('Support may refund', formatAmount(c.refundAllowance, token), { testid: `${prefix}-allowance-${c.id}`, 'data-amount': c.refundAllowance }),
        BigInt(c.refunded) > 0n ? fact('Refunded by support', formatAmount(c.refunded, token), { testid: `${prefix}-refunded-${c.id}` }) : null),
      messages(c, prefix),
      disputeOf(c, dispute, now),
      c.status === 'Open' ? h('div', { class: 'actions' }, controls(c)) : null);
  }

  async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root, h('p', { class: 'empty' }, 'Connect your wallet to see your support cases (or, as support staff, everyone’s).'));
      return;
    }
    let loaded;
    try {
      const [summary, own, now] = await Promise.all([
        api.account(account), api.cases({ buyer: account, limit: PAGE_SIZE }), chainReader.now(),
      ]);
      const staff = summary.roles?.includes('support');
      const [open, escalated] = staff
        ? await Promise.all([api.cases({ status: 'Open', limit: PAGE_SIZE }), api.cases({ status: 'Escalated', limit: PAGE_SIZE })])
        : [{ items: [] }, { items: [] }];
      const detail = (c) => api.supportCase(c.id);
      const [openDetails, ownDetails, escalatedDetails, disputes] = await Promise.all([
        Promise.all(open.items.map(detail)), Promise.all(own.items.map(detail)), Promise.all(escalated.items.map(detail)),
        Promise.all(escalated.items.map((c) => api.dispute(c.lineId).catch(() => null))),
      ]);
      loaded = { staff, now, openDetails, ownDetails, escalatedDetails, disputes };
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load the support cases: ${error.message}`));
      return;
    }
    if (mine !== generation) return;
    const { staff, now, openDetails, ownDetails, escalatedDetails, disputes } = loaded;
    remount(
      root,
      staff ? [
        h('p', { class: 'note', testid: 'support-staff' }, 'You are support staff: you answer cases, refund within what each seller allows, and escalate to a dispute for the buyer.'),
        h('h3', {}, 'Open cases'),
        openDetails.length
          ? h('ul', { class: 'list', testid: 'support-open' }, openDetails.map((c) => caseCard(c, { prefix: 'case', controls: staffControls, now })))
          : h('p', { class: 'empty', testid: 'support-open-empty' }, 'No open case.'),
        h('h3', {}, 'Escalated to a dispute'),
        escalatedDetails.length
          ? h('ul', { class: 'list', testid: 'support-escalated' },
            escalatedDetails.map((c, index) => caseCard(c, { prefix: 'case', controls: staffControls, dispute: disputes[index], now })))
          : h('p', { class: 'empty' }, 'None.'),
      ] : null,
      staff && !ownDetails.length ? null : h('h3', {}, 'Your support cases'),
      ownDetails.length
        ? h('ul', { class: 'list', testid: 'my-cases' }, ownDetails.map((c) => caseCard(c, { prefix: 'my-case', controls: buyerControls, now })))
        : staff ? null : h('p', { class: 'empty', testid: 'my-cases-empty' }, 'You have no support case. Open one from an order in “My orders”.'),
    );
  }

  return { render };
}
