/**
 * views/orderCard.js — one order as a card, shared by "My orders" (buyer) and "Sales" (seller).
 */
import { h } from '../dom.js';
import { formatEth, formatTimestamp, shortAddress } from '../format.js';

const STATUS_HINT = {
  Paid: 'Payment held in escrow until the buyer confirms delivery.',
  Completed: 'Delivery confirmed; the seller was credited.',
};

/**
 * @param order   an Order from the API
 * @param prefix  data-testid prefix: "order" → order-<id>, order-status-<id>
 * @param counterparty 'seller' or 'buyer': whose address to show
 * @param action  an optional node (e.g. the Confirm delivery button)
 */
export function orderCard(order, { prefix, counterparty, action = null }) {
  const other = order[counterparty];
  return h(
    'li',
    { class: 'card order', testid: `${prefix}-${order.id}` },
    h(
      'div',
      { class: 'order-head' },
      h('h3', {}, `Order #${order.id}`),
      h('span', {
        class: `badge badge-${order.status.toLowerCase()}`,
        testid: `${prefix}-status-${order.id}`,
        title: STATUS_HINT[order.status] ?? null,
      }, order.status),
    ),
    h('p', { class: 'product-name' }, order.productName ?? `Product #${order.productId}`),
    h(
      'dl',
      { class: 'facts' },
      h('div', {}, h('dt', {}, 'Quantity'), h('dd', {}, String(order.quantity))),
      h('div', {}, h('dt', {}, 'Amount'), h('dd', { 'data-wei': order.amount }, formatEth(order.amount))),
      h('div', {}, h('dt', {}, counterparty === 'seller' ? 'Seller' : 'Buyer'), h('dd', { title: other }, shortAddress(other))),
      h('div', {}, h('dt', {}, 'Placed'), h('dd', {}, formatTimestamp(order.placedAt) || `block ${order.placedBlock}`)),
    ),
    STATUS_HINT[order.status] ? h('p', { class: 'hint' }, STATUS_HINT[order.status]) : null,
    action,
  );
}

export function newestFirst(orders) {
  return [...orders].sort((a, b) => b.id - a.id);
}
