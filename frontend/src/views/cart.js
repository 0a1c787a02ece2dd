/**
 * views/cart.js — the cart, grouped by payment token (one checkout pays in one token), with
 * line totals, quantity fields, Remove, and "Checkout with <token>" per group.
 *
 * Prices are read fresh from the API on every render, and the total offered at checkout is
 * the one shown: if a seller changed a price meanwhile, the contract refuses
 * (MarketWrongPayment), the status region says so and the cart re-renders with the new price.
 *
 * Each group asks for a shipping address per seller, sealed to that seller's key before paying and
 * sent right after the checkout confirms (views/shipping.js).
 */
import { parseEventLogs } from 'viem';
import { checkout, checkoutPlan } from '../checkout.js';
import { h, remount } from '../dom.js';
import { formatAmount, parseWholeNumber, sameAddress } from '../format.js';
import { orderIdOf } from '../lines.js';
import { productTitle } from './catalog.js';
import { createCheckoutShipping } from './shipping.js';

/** Why a cart item can't be checked out now, or null if it can. */
function unavailableReason(entry, account) {
  if (!entry.product) return 'No longer listed.';
  if (entry.product.stock === 0) return 'Sold out.';
  if (sameAddress(entry.product.seller, account)) return 'Your own listing.';
  return null;
}

export function createCartView({ root, api, getSession, tokens, cart, config, chainReader, runTx, requireMall, announce, status }) {
  let generation = 0;
  const shipping = createCheckoutShipping({ getSession, config, runTx });

  async function load(items) {
    return Promise.all(items.map(async (item) => {
      try {
        return { ...item, product: await api.product(item.productId) };
      } catch (error) {
        if (error.status === 404) return { ...item, product: null };
        throw error;
      }
    }));
  }

  function groupByToken(entries, account) {
    const groups = new Map();
    for (const entry of entries) {
      const token = entry.product ? tokens.of(entry.product) : null;
      const key = token?.address.toLowerCase() ?? 'unavailable';
      if (!groups.has(key)) groups.set(key, { token, entries: [] });
      groups.get(key).entries.push({ ...entry, problem: unavailableReason(entry, account) });
    }
    return [...groups.values()];
  }

  function orderPlaced(receipt) {
    const [placed] = parseEventLogs({ abi: config.contracts.Marketplace.abi, eventName: 'LinePlaced', logs: receipt.logs });
    return placed ? `order #${orderIdOf(placed.args.lineId)} placed (see My orders)` : null;
  }

  async function checkoutGroup(group) {
    const payable = group.entries.filter((entry) => !entry.problem);
    const total = payable.reduce((sum, entry) => sum + BigInt(entry.product.price) * BigInt(entry.quantity), 0n);
    const mall = await requireMall();
    if (!mall) return;
    let plan; // the addresses, sealed before anything is paid
    try {
      plan = await shipping.prepare(group, root);
    } catch (problem) {
      status.show('failed', `Checkout not started: ${problem.message}`);
      return;
    }
    const names = new Map(payable.map((entry) => [String(entry.productId), productTitle(entry.product)]));
    let receipt;
    const done = await runTx({
      label: `Checking out ${formatAmount(total, group.token)}`,
      send: async (onStep) => {
        receipt = await checkout({
          mall, chainReader, config, token: group.token, total, onStep,
          items: payable.map(({ productId, quantity }) => ({ productId, quantity })),
        });
        return receipt;
      },
      context: { token: group.token, productName: (id) => names.get(String(id)) },
      describe: orderPlaced,
    });
    if (!done) return;
    cart.remove(payable.map((entry) => entry.productId));
    await shipping.send(receipt, plan, payable);
  }

  function changeQuantity(entry, input) {
    try {
      cart.setQuantity(entry.productId, parseWholeNumber(input.value, { what: 'quantity', max: cart.MAX_QUANTITY }));
    } catch (problem) {
      input.setAttribute('aria-invalid', 'true');
      announce(problem.message);
    }
  }

  function itemRow(entry, token) {
    const { product, productId, quantity } = entry;
    const qtyId = `cart-qty-${productId}`;
    const title = product ? productTitle(product) : `Product #${productId}`;
    return h(
      'tr',
      { testid: `cart-item-${productId}` },
      h('th', { scope: 'row' }, title, entry.problem ? h('p', { class: 'note' }, `${entry.problem} Not included in the checkout.`) : null),
      h('td', { class: 'num' }, product ? formatAmount(product.price, token) : '—'),
      h('td', {},
        h('label', { for: qtyId, class: 'visually-hidden' }, `Quantity of ${title}`),
        h('input', {
          id: qtyId, type: 'number', inputmode: 'numeric', min: 1, step: 1, value: quantity, testid: qtyId,
          onchange: (event) => changeQuantity(entry, event.target),
        })),
      h('td', { class: 'num', testid: `cart-line-total-${productId}` },
        product ? formatAmount(BigInt(product.price) * BigInt(quantity), token) : '—'),
      h('td', {},
        h('button', { type: 'button', class: 'secondary', testid: `cart-remove-${productId}`,
          onclick: () => { cart.remove(productId); announce(`Removed ${title} from your cart.`); } },
        'Remove', h('span', { class: 'visually-hidden' }, ` ${title}`))),
    );
  }

  function groupSection(group) {
    const { token, entries } = group;
    const symbol = token?.symbol ?? 'unavailable';
    const headingId = `cart-group-heading-${symbol}`;
    const payable = entries.filter((entry) => !entry.problem);
    const total = payable.reduce((sum, entry) => sum + BigInt(entry.product.price) * BigInt(entry.quantity), 0n);
    return h(
      'section',
      { class: 'card cart-group', testid: `cart-group-${symbol}`, 'aria-labelledby': headingId },
      h('h3', { id: headingId }, token ? `Paid in ${token.symbol}` : 'No longer available'),
      h('table', { class: 'cart-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col', class: 'num' }, 'Unit price'),
          h('th', { scope: 'col' }, 'Quantity'), h('th', { scope: 'col', class: 'num' }, 'Total'),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
        h('tbody', {}, entries.map((entry) => itemRow(entry, token)))),
      token ? shipping.section(group) : null,
      token
        ? h('div', { class: 'cart-footer' },
          h('p', { class: 'cart-total' }, 'Total: ',
            h('strong', { testid: `cart-total-${symbol}`, 'data-amount': String(total) }, formatAmount(total, token))),
          h('button', {
            type: 'button', class: 'primary', testid: `checkout-${symbol}`, disabled: payable.length === 0,
            'aria-describedby': `cart-plan-${symbol}`, onclick: () => checkoutGroup(group),
          }, `Checkout with ${token.symbol}`),
          h('p', { class: 'hint', id: `cart-plan-${symbol}` }, checkoutPlan(token)))
        : null,
    );
  }

  async function render() {
    const mine = ++generation;
    const items = cart.items();
    if (items.length === 0) {
      remount(root, h('p', { class: 'empty', testid: 'cart-empty' }, 'Your cart is empty. Add products from the catalog.'));
      return;
    }
    let entries;
    try {
      entries = await load(items);
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load your cart: ${error.message}`));
      return;
    }
    if (mine !== generation) return;
    const groups = groupByToken(entries, getSession().account);
    remount(
      root,
      groups.length > 1 ? h('p', { class: 'hint' }, 'One checkout pays in one token, so each group below is checked out on its own.') : null,
      groups.map(groupSection),
    );
  }

  return { render };
}
