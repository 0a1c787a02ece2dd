/**
 * views/orders.js — "My orders": the connected buyer's refund credits per token (with
 * Withdraw), and their orders, each with its lines and the actions each line's state allows:
 * Cancel (paid), Confirm delivery (shipped), Release payment (shipped or delivered), Accept a
 * refund offer, and "Refund me" once the seller missed a deadline; and each line's dispute and
 * support panel (views/disputePanel.js), its provenance, review and shipping address (views/tracePanel.js).
 */
import { loadPages } from '../api.js';
import { h, remount } from '../dom.js';
import { formatAmount, formatTimestamp } from '../format.js';
import { buyerActions } from '../lines.js';
import { actionButton } from './actions.js';
import { balancesTable } from './balances.js';
import { createDisputePanel } from './disputePanel.js';
import { createForms } from './forms.js';
import { lineCard } from './lineCard.js';
import { createLineDetails } from './timeline.js';
import { createTracePanel } from './tracePanel.js';

const PAGE_SIZE = 20;

export function createOrdersView({ root, api, config, getSession, tokens, chainReader, actions, requireMall, runTx }) {
  let generation = 0;
  let pages = 1;
  const lineDetails = createLineDetails(api);
  const panel = createDisputePanel({ forms: createForms(), actions, tokens });
  const oracle = config.contracts.LogisticsOracle?.address ?? null;
  const trace = createTracePanel({ api, config, getSession, requireMall, runTx, actions, chainReader });

  const BUTTONS = {
    confirm: (line) => actionButton({
      testid: `confirm-${line.id}`, text: 'Confirm delivery', line, primary: true,
      onclick: () => actions.onLine(line, 'Confirming delivery of', (mall, onStep) => mall.confirmDelivery(line.id, onStep)),
    }),
    complete: (line) => actionButton({
      testid: `complete-${line.id}`, text: 'Release payment now', line, primary: line.status === 'Delivered',
      onclick: () => actions.onLine(line, 'Completing', (mall, onStep) => mall.completeLine(line.id, onStep)),
    }),
    acceptRefund: (line) => actionButton({
      testid: `accept-refund-${line.id}`, text: `Accept refund of ${formatAmount(line.refundOffer, tokens.of(line))}`, line, primary: true,
      onclick: () => actions.onLine(line, 'Accepting the refund on', (mall, onStep) => mall.acceptRefund(line.id, line.refundOffer, onStep)),
    }),
    expire: (line) => actionButton({
      testid: `expire-${line.id}`, text: 'Refund me', line, primary: true,
      onclick: () => actions.onLine(line, 'Claiming a refund for', (mall, onStep) => mall.expireLine(line.id, onStep)),
    }),
    cancel: (line) => actionButton({
      testid: `cancel-${line.id}`, text: 'Cancel', line,
      onclick: () => actions.onLine(line, 'Cancelling', (mall, onStep) => mall.cancelLine(line.id, onStep)),
    }),
  };

  function orderCard(order, { now, details, traced }) {
    const token = tokens.of(order);
    const titleId = `order-title-${order.id}`;
    return h(
      'li',
      { class: 'card order', testid: `order-${order.id}`, 'aria-labelledby': titleId },
      h('div', { class: 'order-head' },
        h('h3', { id: titleId }, `Order #${order.id}`),
        h('span', { class: 'order-meta' },
          formatTimestamp(order.placedAt) || `block ${order.placedBlock}`, ' · ',
          h('span', { testid: `order-total-${order.id}` }, formatAmount(order.total, token)))),
      h('ul', { class: 'list lines' }, order.lines.map((line) => lineCard(line, {
        prefix: 'line', role: 'buyer', token, now, heading: 'h4', oracle,
        timeline: details.get(line.id)?.timeline,
        panel: [
          panel.forLine(line, details.get(line.id), { role: 'buyer', now }),
          trace.forLine(line, details.get(line.id), traced, { role: 'buyer' }),
        ],
        actions: buyerActions(line, now).map((action) => BUTTONS[action](line)),
      }))),
    );
  }

  async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root, h('p', { class: 'empty' }, 'Connect your wallet to see your orders.'));
      return;
    }
    let summary;
    let page;
    let details;
    let traced;
    let now;
    try {
      [summary, page, now] = await Promise.all([
        api.account(account).catch((error) => (error.status === 404 ? { balances: [] } : Promise.reject(error))),
        loadPages((range) => api.orders({ buyer: account, ...range }), { pages, pageSize: PAGE_SIZE }),
        chainReader.now(),
      ]);
      details = await lineDetails.load(page.items.flatMap((order) => order.lines));
      traced = await trace.load(page.items.flatMap((order) => order.lines), details, { role: 'buyer', account });
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load your orders: ${error.message}`));
      return;
    }
    if (mine !== generation) return;
    const refunds = summary.balances.filter((balance) => BigInt(balance.credit) > 0n || BigInt(balance.refunded ?? 0) > 0n);
    remount(
      root,
      refunds.length
        ? balancesTable(refunds, {
          prefix: 'buyer', caption: 'Your credit per token (refunds, and earnings if you also sell)',
          columns: [['refunded', 'Refunded in total'], ['withdrawn', 'Withdrawn so far']],
          tokens, withdraw: actions.withdraw, emptyText: '',
        })
        : null,
      page.items.length === 0
        ? h('p', { class: 'empty' }, 'You have no orders yet.')
        : h('ul', { class: 'list', testid: 'orders-list' }, page.items.map((order) => orderCard(order, { now, details, traced }))),
      page.total > page.items.length
        ? h('button', { type: 'button', class: 'secondary', testid: 'orders-more', onclick: () => { pages += 1; render(); } },
          `Show older orders (${page.total - page.items.length} more)`)
        : null,
    );
  }

  return { render };
}
