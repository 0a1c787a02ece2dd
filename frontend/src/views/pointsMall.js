/**
 * views/pointsMall.js — the points mall inside #points: items on sale (price, stock, a quantity
 * field with the total it costs, Redeem) and the account's redemptions with their status, and
 * Cancel (before shipping) or Confirm delivery (once shipped).
 */
import { h } from '../dom.js';
import { formatAmount, formatTimestamp, parseWholeNumber } from '../format.js';
import { textOfUri } from '../resolution.js';
import { createForms } from './forms.js';

const POINTS = { symbol: 'points', decimals: 0 };
const pts = (value) => formatAmount(BigInt(value), POINTS);
const MAX_QUANTITY = 65_535; // uint16

/** What a listing's metadata URI says about it: the text of a data: URI, else the URI itself. */
const itemName = (listing) => textOfUri(listing.metadataUri) ?? listing.metadataUri ?? `Item #${listing.id}`;

export function createPointsMall({ api, write, getSession }) {
  const forms = createForms();

  const load = async (account) => {
    const [listings, redemptions] = await Promise.all([api.pointsListings({ onSale: true }), api.redemptions({ buyer: account })]);
    return { listings: listings.items, redemptions: redemptions.items };
  };

  function listingCard(listing) {
    return h('li', { class: 'points-item', testid: `points-item-${listing.id}` },
      h('p', {}, h('strong', {}, itemName(listing)), ` — ${pts(listing.price)} each, ${listing.stock} left`),
      forms.inlineForm({
        name: 'redeem', key: listing.id, label: `Redeem ${itemName(listing)}`, submit: 'Redeem',
        fields: [['quantity', 'Quantity', (text) => parseWholeNumber(text, { min: 1, max: Math.min(listing.stock, MAX_QUANTITY) }),
          { inputmode: 'numeric', value: '1' }]],
        onsubmit: ({ quantity }) => {
          const total = BigInt(listing.price) * BigInt(quantity);
          return write(`Redeeming ${quantity} × ${itemName(listing)} for ${pts(total)}`, 'PointsMall', 'redeem',
            [BigInt(listing.id), quantity, total]);
        },
      }));
  }

  function redemptionRow(r) {
    const account = getSession().account;
    const mine = account && account.toLowerCase() === r.buyer.toLowerCase();
    return h('li', { class: 'points-redemption', testid: `redemption-${r.id}`, 'data-status': r.status },
      h('p', {}, `#${r.id}: ${r.quantity} × ${itemName(r)} for ${pts(r.points)} — `,
        h('strong', { testid: `redemption-status-${r.id}` }, r.status), ` since ${formatTimestamp(r.statusAt)}`,
        r.carrier ? ` (${r.carrier} ${r.trackingRef})` : '',
        r.pointsReturned != null ? `; ${pts(r.pointsReturned)} given back` : ''),
      mine && r.status === 'Placed'
        ? h('button', { type: 'button', class: 'secondary', testid: `cancel-redemption-${r.id}`,
          onclick: () => write(`Cancelling redemption #${r.id}`, 'PointsMall', 'cancelRedemption', [BigInt(r.id)]) }, 'Cancel')
        : null,
      mine && r.status === 'Shipped'
        ? h('button', { type: 'button', class: 'secondary', testid: `confirm-redemption-${r.id}`,
          onclick: () => write(`Confirming delivery of redemption #${r.id}`, 'PointsMall', 'confirmDelivery', [BigInt(r.id)]) },
        'Confirm delivery')
        : null);
  }

  function render({ listings, redemptions }) {
    return h('section', { class: 'points-mall', 'aria-labelledby': 'points-mall-heading' },
      h('h3', { id: 'points-mall-heading' }, 'Points mall'),
      listings.length
        ? h('ul', { class: 'points-items', testid: 'points-items' }, listings.map(listingCard))
        : h('p', { class: 'empty', testid: 'points-items' }, 'Nothing to redeem at the moment.'),
      h('h4', {}, 'My redemptions'),
      redemptions.length
        ? h('ul', { testid: 'my-redemptions' }, redemptions.map(redemptionRow))
        : h('p', { class: 'empty', testid: 'my-redemptions' }, 'No redemptions yet.'));
  }

  return { load, render };
}
