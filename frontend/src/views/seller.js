/**
 * views/seller.js — the connected account as a seller: its earnings per token (withdrawable
 * credit, earned, withdrawn, still in escrow) with Withdraw per token, and its order queue —
 * every line it sells — with the actions each line's state allows: Accept / Reject (paid),
 * Ship with carrier and tracking reference (accepted), Offer a refund (accepted, shipped,
 * delivered), and Complete once the buyer's inspection period is over; and each line's dispute
 * and support panel (views/disputePanel.js), disputed lines first among those needing action; its
 * provenance, review and the buyer's sealed shipping address, and the seller's reputation and listings
 * above the queue (views/tracePanel.js).
 */
import { loadPages } from '../api.js';
import { h, remount } from '../dom.js';
import { formatDeadline, parseAmountInput } from '../format.js';
import { completableAt, sellerActions } from '../lines.js';
import { actionButton } from './actions.js';
import { balancesTable } from './balances.js';
import { createDisputePanel } from './disputePanel.js';
import { createForms, requiredText } from './forms.js';
import { lineCard } from './lineCard.js';
import { createLineDetails } from './timeline.js';
import { createTracePanel } from './tracePanel.js';

const PAGE_SIZE = 50;
const NEEDS_ACTION = new Set(['Disputed', 'Paid', 'Accepted']);
const HELD = new Set(['Paid', 'Accepted', 'Shipped', 'Delivered', 'Disputed']); // escrow still held

export function createSellerView({ root, api, config, getSession, tokens, chainReader, actions, requireMall, runTx }) {
  let generation = 0;
  let pages = 1;
  const lineDetails = createLineDetails(api);
  const forms = createForms(); // what the seller typed into a line's forms, kept across re-renders
  const panel = createDisputePanel({ forms, actions, tokens });
  const oracle = config.contracts.LogisticsOracle?.address ?? null;
  const trace = createTracePanel({ api, config, getSession, requireMall, runTx, actions, chainReader });

  function controls(line, now, completeFrom) {
    const token = tokens.of(line);
    const act = (verb, call) => actions.onLine(line, verb, call);
    const nodes = [];
    for (const action of sellerActions(line, now, completeFrom)) {
      if (action === 'accept') {
        nodes.push(actionButton({ testid: `accept-${line.id}`, text: 'Accept', line, primary: true,
          onclick: () => act('Accepting', (mall, onStep) => mall.acceptLine(line.id, onStep)) }));
      }
      if (action === 'reject') {
        nodes.push(actionButton({ testid: `reject-${line.id}`, text: 'Reject and refund', line,
          onclick: () => act('Rejecting', (mall, onStep) => mall.rejectLine(line.id, onStep)) }));
      }
      if (action === 'ship') {
        nodes.push(forms.lineForm(line, {
          name: 'ship',
          fields: [['carrier', 'Carrier', requiredText('carrier', 64)], ['tracking', 'Tracking reference', requiredText('tracking reference', 128)]],
          submit: 'Mark shipped',
          onsubmit: ({ carrier, tracking }) => act('Shipping', (mall, onStep) => mall.shipLine(line.id, carrier, tracking, onStep)),
        }));
      }
      if (action === 'offerRefund') {
        nodes.push(forms.lineForm(line, {
          name: 'offer-refund',
          fields: [['amount', `Refund (${token.symbol})`, (text) => parseAmountInput(text, token, { what: 'refund' })]],
          submit: BigInt(line.refundOffer ?? 0) > 0n ? 'Change refund offer' : 'Offer refund',
          onsubmit: ({ amount }) => act('Offering a refund on', (mall, onStep) => mall.offerRefund(line.id, amount, onStep)),
        }));
        if (BigInt(line.refundOffer ?? 0) > 0n) {
          nodes.push(actionButton({ testid: `withdraw-offer-${line.id}`, text: 'Withdraw refund offer', line,
            onclick: () => act('Withdrawing the refund offer on', (mall, onStep) => mall.offerRefund(line.id, 0n, onStep)) }));
        }
      }
      if (action === 'complete') {
        nodes.push(actionButton({ testid: `seller-complete-${line.id}`, text: 'Complete and get paid', line, primary: true,
          onclick: () => act('Completing', (mall, onStep) => mall.completeLine(line.id, onStep)) }));
      }
    }
    if (completeFrom != null && now <= completeFrom) {
      nodes.push(h('p', { class: 'hint', testid: `complete-after-${line.id}` },
        `You can complete it and be paid after ${formatDeadline(completeFrom, now)}, or sooner if the buyer releases the payment.`));
    }
    return nodes;
  }

  /** The balances from the API, plus what is still escrowed in the seller's open lines. */
  function earnings(balances, lines) {
    const rows = new Map(balances.map((balance) => [balance.token.toLowerCase(), { ...balance, inEscrow: 0n }]));
    for (const line of lines) {
      if (!HELD.has(line.status)) continue;
      const key = line.token.toLowerCase();
      if (!rows.has(key)) {
        rows.set(key, { token: line.token, symbol: line.tokenSymbol, decimals: line.tokenDecimals, credit: '0', earned: '0', withdrawn: '0', inEscrow: 0n });
      }
      rows.get(key).inEscrow += BigInt(line.amount);
    }
    return [...rows.values()];
  }

  async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root, h('p', { class: 'empty' }, 'Connect your wallet to see your earnings and your order queue.'));
      return;
    }
    let summary;
    let page;
    let now;
    let details;
    let traced;
    const completion = new Map();
    try {
      [summary, page, now] = await Promise.all([
        api.account(account).catch((error) => (error.status === 404 ? { balances: [] } : Promise.reject(error))),
        loadPages((range) => api.lines({ seller: account, ...range }), { pages, pageSize: PAGE_SIZE }),
        chainReader.now(),
      ]);
      const [loaded] = await Promise.all([
        lineDetails.load(page.items),
        ...page.items.map(async (line) => {
          const terms = line.status === 'Shipped' ? await chainReader.termsOf(line.termsId) : null;
          completion.set(line.id, completableAt(line, terms));
        }),
      ]);
      details = loaded;
      traced = await trace.load(page.items, details, { role: 'seller', account });
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load your sales: ${error.message}`));
      return;
    }
    if (mine !== generation) return;

    const card = (line) => lineCard(line, {
      prefix: 'sale', role: 'seller', token: tokens.of(line), now, oracle, timeline: details.get(line.id)?.timeline,
      panel: [
        panel.forLine(line, details.get(line.id), { role: 'seller', now }),
        trace.forLine(line, details.get(line.id), traced, { role: 'seller' }),
      ],
      actions: controls(line, now, completion.get(line.id)),
    });
    const urgency = (line) => (line.status === 'Disputed' ? 0 : line.deadline ?? 0);
    const queue = page.items.filter((line) => NEEDS_ACTION.has(line.status)).sort((a, b) => urgency(a) - urgency(b));
    const others = page.items.filter((line) => !NEEDS_ACTION.has(line.status));
    remount(
      root,
      balancesTable(earnings(summary.balances, page.items), {
        prefix: 'seller', caption: 'Your earnings per token',
        columns: [['earned', 'Earned in total'], ['withdrawn', 'Withdrawn so far'], ['inEscrow', 'In escrow, open orders']],
        tokens, withdraw: actions.withdraw,
        emptyText: 'No earnings yet: you are credited when an order line completes.',
      }),
      trace.sellerHeader(traced),
      h('h3', {}, 'Needs your action'),
      queue.length === 0
        ? h('p', { class: 'empty' }, 'Nothing to accept, ship or settle.')
        : h('ul', { class: 'list', testid: 'seller-queue' }, queue.map(card)),
      h('h3', {}, 'Other order lines'),
      others.length === 0
        ? h('p', { class: 'empty' }, 'None yet.')
        : h('ul', { class: 'list', testid: 'sales-list' }, others.map(card)),
      page.total > page.items.length
        ? h('button', { type: 'button', class: 'secondary', testid: 'sales-more', onclick: () => { pages += 1; render(); } },
          `Show older lines (${page.total - page.items.length} more)`)
        : null,
    );
  }

  return { render };
}
