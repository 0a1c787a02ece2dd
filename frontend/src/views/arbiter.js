/**
 * views/arbiter.js — #arbiter: the disputes drawn to the connected account, each with its parties,
 * escrow, reason, the address the buyer sealed to the arbiter (opened in this page only: views/shipping.js),
 * evidence and history, and a ruling form (the buyer's share by slider or number,
 * what it pays in words, the reason — hashed on chain — and an optional link); the arbiter's fees
 * with Withdraw. For anyone: escalated disputes waiting for their arbiter to be drawn (Draw), and
 * rulings past their deadline (Timeout: a new arbiter, or the default split the second time).
 */
import { h, remount } from '../dom.js';
import { formatAmount, formatTimestamp, sameAddress, shortAddress } from '../format.js';
import { lineLabel } from '../lines.js';
import { formatBps, parsePercent } from '../resolution.js';
import { actionButton } from './actions.js';
import { balancesTable } from './balances.js';
import { disputeDeadline, evidenceList, proposalWords } from './disputePanel.js';
import { createForms, requiredText } from './forms.js';
import { createShippingPanel } from './shipping.js';
import { lineActors, lineTitle } from './lineCard.js';
import { timelineList } from './timeline.js';

const QUEUE_SIZE = 50;

/** A dispute from the API as the line it holds (what action buttons and messages need). */
export const disputedLine = (dispute) => ({
  id: dispute.lineId, productId: dispute.productId, productName: dispute.productName, buyer: dispute.buyer,
  seller: dispute.seller, token: dispute.token, tokenSymbol: dispute.tokenSymbol, tokenDecimals: dispute.tokenDecimals,
});

export function createArbiterView({ root, api, config, getSession, tokens, chainReader, actions, requireMall }) {
  let generation = 0;
  const forms = createForms();
  const shipping = createShippingPanel({ api, config, getSession, requireMall, forms }); // the address the buyer sealed to you
  const oracle = config.contracts.LogisticsOracle?.address ?? null;
  const inCenter = (dispute, verb, call) => actions.inCenter(disputedLine(dispute), verb, call);

  function rulingForm(dispute) {
    const key = dispute.lineId;
    const token = tokens.of(dispute);
    const error = h('p', { class: 'form-error', id: `rule-error-${key}`, role: 'alert' });
    const preview = h('p', { class: 'hint', testid: `rule-preview-${key}`, 'aria-live': 'polite' });
    const showPreview = (text) => {
      try {
        const bps = parsePercent(text);
        preview.textContent = `Your ruling: ${proposalWords(dispute, bps, token, 'arbiter', dispute.arbiterFeeBps)}.`;
        slider.value = String(bps / 100);
      } catch {
        preview.textContent = '';
      }
    };
    const share = forms.input(`rule-share-${key}`, {
      inputmode: 'decimal', value: '50', 'aria-describedby': error.id, oninput: (event) => showPreview(event.target.value),
    });
    const slider = h('input', {
      type: 'range', min: 0, max: 100, step: 0.5, id: `rule-slider-${key}`, testid: `rule-slider-${key}`,
      'aria-label': 'Buyer’s share (%)', value: '50',
      oninput: (event) => { share.value = event.target.value; share.dispatchEvent(new Event('input')); },
    });
    const reason = forms.input(`rule-reason-${key}`, { tag: 'textarea', rows: 3, 'aria-describedby': error.id });
    const link = forms.input(`rule-uri-${key}`, { placeholder: 'https://… (optional)' });
    const form = h(
      'form',
      {
        class: 'ruling-form', novalidate: true, 'aria-label': `Rule on ${lineTitle(disputedLine(dispute))}, ${lineLabel(key)}`,
        onsubmit: async (event) => {
          event.preventDefault();
          let bps;
          let why;
          try {
            bps = parsePercent(share.value, { what: 'buyer’s share' });
            why = requiredText('reason for the ruling', 2000)(reason.value);
          } catch (problem) {
            error.textContent = problem.message;
            return;
          }
          error.textContent = '';
          await inCenter(dispute, 'Ruling on', (center, onStep) => center.rule(key, bps, why, link.value.trim(), onStep));
        },
      },
      h('div', { class: 'field' }, h('label', { for: share.id }, 'Buyer’s share (%)'), h('div', { class: 'share' }, slider, share)),
      preview,
      h('div', { class: 'field' }, h('label', { for: reason.id }, 'Reason (its hash is recorded on chain)'), reason),
      h('div', { class: 'field' }, h('label', { for: link.id }, 'Link to the full decision'), link),
      h('button', { type: 'submit', class: 'primary', testid: `rule-${key}` }, 'Rule'),
      error,
    );
    showPreview(share.value);
    return form;
  }

  function timeoutButton(dispute, testid) {
    return actionButton({
      testid, text: dispute.round === 0 ? 'Timeout: draw a new arbiter' : 'Timeout: split half each', line: disputedLine(dispute),
      onclick: () => inCenter(dispute, 'Calling the ruling timeout on', (center, onStep) => center.timeoutRuling(dispute.lineId, onStep)),
    });
  }

  function disputeHead(dispute) {
    return h('div', { class: 'order-head' },
      h('h4', {}, lineTitle(disputedLine(dispute)), h('span', { class: 'line-ref' }, ` · ${lineLabel(dispute.lineId)}`)),
      h('span', { class: 'badge badge-disputed' }, dispute.status));
  }

  function facts(dispute) {
    const token = tokens.of(dispute);
    const fact = (label, value, props = {}) => h('div', {}, h('dt', {}, label), h('dd', props, value));
    return h('dl', { class: 'facts' },
      fact('In escrow', formatAmount(dispute.escrow, token), { testid: `arbiter-escrow-${dispute.lineId}` }),
      fact('Buyer', shortAddress(dispute.buyer), { title: dispute.buyer }),
      fact('Seller', shortAddress(dispute.seller), { title: dispute.seller }),
      fact('Raised', `${formatTimestamp(dispute.raisedAt)} by the ${dispute.raisedByRole}`),
      dispute.arbiterFeeBps != null ? fact('Arbiter’s fee', formatBps(dispute.arbiterFeeBps)) : null);
  }

  function assignedCard(detail, now) {
    const key = detail.lineId;
    const line = disputedLine(detail);
    const overdue = now > detail.ruleBy;
    return h('li', { class: 'card line', testid: `arbiter-case-${key}` },
      disputeHead(detail),
      facts(detail),
      h('p', { testid: `arbiter-reason-${key}` }, `Reason given: “${detail.reason}”`),
      h('p', { class: 'deadline', testid: `arbiter-deadline-${key}` }, disputeDeadline(detail, now)),
      shipping.forLine(line, { role: 'arbiter', addressLine: key }),
      h('h5', {}, 'Evidence'),
      evidenceList(detail.evidence, { testid: `arbiter-evidence-${key}` }) ?? h('p', { class: 'empty' }, 'No evidence yet.'),
      timelineList(detail.timeline, {
        token: tokens.of(detail), label: lineLabel(key), testid: `arbiter-timeline-${key}`, who: lineActors(line, 'arbiter', oracle),
      }),
      overdue ? timeoutButton(detail, `arbiter-timeout-${key}`) : rulingForm(detail),
      overdue ? null : forms.inlineForm({
        name: 'arbiter-add-evidence', key, label: `Add evidence to ${lineLabel(key)}`,
        fields: [['text', 'Your own evidence or a note (a link or a statement)', requiredText('evidence', 1000)]],
        submit: 'Add evidence',
        onsubmit: ({ text }) => inCenter(detail, 'Adding evidence to', (center, onStep) => center.submitEvidence(key, text, onStep)),
      }),
    );
  }

  function waitingCard(dispute, now, { draw }) {
    const key = dispute.lineId;
    return h('li', { class: 'card line', testid: `arbiter-waiting-${key}` },
      disputeHead(dispute),
      facts(dispute),
      h('p', { class: 'deadline' }, disputeDeadline(dispute, now)),
      h('div', { class: 'actions' },
        draw ? actionButton({
          testid: `arbiter-draw-${key}`, text: 'Draw the arbiter', line: disputedLine(dispute), primary: true,
          onclick: () => inCenter(dispute, 'Drawing the arbiter for', (center, onStep) => center.drawArbiter(key, onStep)),
        }) : null,
        now > dispute.ruleBy ? timeoutButton(dispute, `arbiter-timeout-${key}`) : null));
  }

  function registration(arbiters, account) {
    const me = arbiters.items.find((entry) => sameAddress(entry.address, account));
    return h('p', { class: 'note', testid: 'arbiter-registration' }, me
      ? `You are a registered arbiter: your fee is ${formatBps(me.feeBps)} of a disputed escrow, fixed when you are drawn.`
      : 'This account is not a registered arbiter. Anyone can still draw the arbiter of an escalated dispute, or call the timeout of a late ruling.');
  }

  async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root, h('p', { class: 'empty' }, 'Connect your wallet to see the disputes drawn to you.'));
      return;
    }
    let loaded;
    try {
      const [assigned, escalated, arbiters, summary, now] = await Promise.all([
        api.disputes({ arbiter: account, status: 'Escalated', limit: QUEUE_SIZE }),
        api.disputes({ status: 'Escalated', limit: 100 }),
        api.arbiters({ active: true, limit: 100 }),
        api.account(account),
        chainReader.now(),
      ]);
      const details = await Promise.all(assigned.items.map((dispute) => api.dispute(dispute.lineId)));
      loaded = { details, escalated, arbiters, summary, now };
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load the disputes: ${error.message}`));
      return;
    }
    if (mine !== generation) return;
    const { details, escalated, arbiters, summary, now } = loaded;
    const waiting = escalated.items.filter((dispute) => !dispute.arbiter);
    const late = escalated.items.filter((dispute) => dispute.arbiter && !sameAddress(dispute.arbiter, account) && now > dispute.ruleBy);
    const fees = summary.balances.filter((balance) => BigInt(balance.earned) > 0n || BigInt(balance.credit) > 0n);
    remount(
      root,
      registration(arbiters, account),
      fees.length ? balancesTable(fees, {
        prefix: 'arbiter', caption: 'Your credit per token (arbiter’s fees, and anything else the mall owes you)',
        columns: [['earned', 'Earned in total'], ['withdrawn', 'Withdrawn so far']], tokens, withdraw: actions.withdraw, emptyText: '',
      }) : null,
      h('h3', {}, 'Drawn to you'),
      details.length
        ? h('ul', { class: 'list', testid: 'arbiter-queue' }, details.map((detail) => assignedCard(detail, now)))
        : h('p', { class: 'empty', testid: 'arbiter-queue-empty' }, 'No dispute waits for your ruling.'),
      h('h3', {}, 'Waiting for an arbiter'),
      waiting.length
        ? h('ul', { class: 'list', testid: 'arbiter-waiting' }, waiting.map((dispute) => waitingCard(dispute, now, { draw: true })))
        : h('p', { class: 'empty' }, 'Every escalated dispute has its arbiter.'),
      late.length ? [h('h3', {}, 'Late rulings'),
        h('ul', { class: 'list', testid: 'arbiter-late' }, late.map((dispute) => waitingCard(dispute, now, { draw: false })))] : null,
    );
  }

  return { render };
}
