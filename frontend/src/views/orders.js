/**
 * views/orders.js — "My orders": the connected buyer's orders, with "Confirm delivery" on
 * orders still in escrow.
 */
import { h, remount } from '../dom.js';
import { newestFirst, orderCard } from './orderCard.js';

export function createOrdersView({ root, api, getSession, runTx, requireMarketplace }) {
  let generation = 0;

  async function confirmDelivery(order) {
    const marketplace = await requireMarketplace();
    if (!marketplace) return;
    await runTx({
      label: `Confirming delivery of order #${order.id}`,
      send: (onStep) => marketplace.confirmDelivery(order.id, onStep),
    });
  }

  function confirmButton(order) {
    if (order.status !== 'Paid') return null;
    return h('button', { type: 'button', class: 'primary', testid: `confirm-${order.id}`, onclick: () => confirmDelivery(order) },
      'Confirm delivery', h('span', { class: 'visually-hidden' }, ` of order #${order.id}`));
  }

  async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root, h('p', { class: 'empty' }, 'Connect your wallet to see your orders.'));
      return;
    }
    let page;
    try {
      page = await api.orders({ buyer: account, limit: 100 });
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load your orders: ${error.message}`));
      return;
    }
    if (mine !== generation) return;
    remount(
      root,
      page.items.length === 0
        ? h('p', { class: 'empty' }, 'You have no orders yet.')
        : h('ul', { class: 'list', testid: 'orders-list' },
          newestFirst(page.items).map((order) => orderCard(order, { prefix: 'order', counterparty: 'seller', action: confirmButton(order) }))),
      page.total > page.items.length ? h('p', { class: 'hint' }, `Showing ${page.items.length} of ${page.total} orders.`) : null,
    );
  }

  return { render };
}
