/**
 * views/product.js — #product/<id>: one product with its details and "Add to cart", its seller (name,
 * badges) and the seller's reputation (average stars, count, a bar per rating), where it comes from
 * (each batch: participants and a visual timeline of its events) and its reviews with replies and
 * earlier versions. The product's seller registers batches, authorises and revokes participants and
 * records events here; a batch's participants record events on it.
 */
import { h, remount } from '../dom.js';
import { formatAmount, parseWholeNumber, sameAddress } from '../format.js';
import { addressTag } from '../profiles.js';
import { latestBlockTime, traceRunner } from '../trace.js';
import { productTitle } from './catalog.js';
import { createForms } from './forms.js';
import { batchCard, canRecord, createProvenanceForms } from './provenance.js';
import { reputationChart, reviewItem, stars } from './reviews.js';

const PAGE = 20; // more batches and reviews per click (the product's detail carries the first ones)
const MAX_PAGE = 100; // the API's page size limit

/** The product id of the current #product/<id> route, or null. */
export function routedProductId() {
  const [route, id] = window.location.hash.slice(1).split('/');
  return route === 'product' && /^\d+$/.test(id ?? '') ? id : null;
}

export function createProductView({ root, api, config, getSession, tokens, cart, announce, chainReader, runTx, requireMall }) {
  const forms = createForms();
  const tools = createProvenanceForms({ forms, run: traceRunner({ runTx, requireMall, config }) });
  let generation = 0;
  let shown = null; // which product the extra pages below belong to
  let batchPages = 1;
  let reviewPages = 1;

  function buyControls(product, account) {
    if (product.stock === 0) return h('p', { class: 'note' }, 'Sold out');
    if (sameAddress(product.seller, account)) return h('p', { class: 'note', testid: 'product-yours' }, 'Your listing');
    const error = h('p', { class: 'form-error', id: 'product-qty-error', role: 'alert' });
    const quantity = forms.input('product-qty', { type: 'number', inputmode: 'numeric', min: 1, max: product.stock, value: '1', 'aria-describedby': error.id });
    return h('form', {
      class: 'buy-form', novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        try {
          const count = parseWholeNumber(quantity.value, { what: 'quantity', max: cart.MAX_QUANTITY });
          error.textContent = '';
          cart.add(product.id, count);
          announce(`Added ${count} × ${productTitle(product)} to your cart.`);
        } catch (problem) {
          error.textContent = problem.message;
        }
      },
    }, h('label', { for: quantity.id }, 'Quantity'), quantity,
    h('button', { type: 'submit', class: 'primary', testid: 'product-add' }, 'Add to cart'), error);
  }

  function summary(product, account) {
    const token = tokens.of(product);
    return h('article', { class: 'card product-detail', testid: `product-detail-${product.id}`, 'aria-labelledby': 'product-title' },
      h('h3', { id: 'product-title', class: product.name ? null : 'raw-uri' }, productTitle(product)),
      product.category ? h('p', { class: 'category' }, product.category) : null,
      product.description ? h('p', { class: 'description' }, product.description) : null,
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Price'), h('dd', { testid: 'product-price', 'data-amount': product.price }, formatAmount(product.price, token))),
        h('div', {}, h('dt', {}, 'In stock'), h('dd', { testid: 'product-stock' }, String(product.stock))),
        h('div', {}, h('dt', {}, 'Seller'), h('dd', {}, addressTag(product.seller, { testid: 'product-seller' }))),
        product.rating.count
          ? h('div', {}, h('dt', {}, 'Rated'), h('dd', { testid: 'product-rating' }, stars(product.rating.average), ` ${product.rating.average.toFixed(1)} (${product.rating.count})`))
          : null),
      buyControls(product, account));
  }

  function provenance(product, batches, total, { account, now }) {
    const isSeller = sameAddress(product.seller, account);
    const card = (batch) => batchCard(batch, {
      revoke: isSeller ? tools.revokeButton : null,
      tools: [isSeller ? tools.participantForm(batch) : null, canRecord(batch, account) ? tools.recordForm(batch, now) : null],
    });
    return h('section', { class: 'provenance', 'aria-labelledby': 'provenance-heading', testid: 'product-provenance' },
      h('h3', { id: 'provenance-heading' }, 'Where it comes from'),
      batches.length
        ? h('ul', { class: 'list batches' }, batches.map(card))
        : h('p', { class: 'empty', testid: 'provenance-empty' }, 'The seller has not registered any batch of this product yet.'),
      total > batches.length && batches.length < MAX_PAGE
        ? h('button', { type: 'button', class: 'secondary', testid: 'batches-more', onclick: () => { batchPages += 1; render(); } },
          `Show older batches (${total - batches.length} more)`)
        : null,
      isSeller ? tools.registerForm(product) : null);
  }

  function reviews(product, items, total) {
    return h('section', { class: 'reviews', 'aria-labelledby': 'reviews-heading', testid: 'product-reviews' },
      h('h3', { id: 'reviews-heading' }, `Reviews (${total})`),
      items.length
        ? h('ul', { class: 'list' }, items.map((review) => h('li', { class: 'card' }, reviewItem(review, { testid: `product-review-${review.lineId}` }))))
        : h('p', { class: 'empty' }, 'No reviews yet: only buyers of completed orders can review.'),
      total > items.length && items.length < MAX_PAGE
        ? h('button', { type: 'button', class: 'secondary', testid: 'reviews-more', onclick: () => { reviewPages += 1; render(); } },
          `Show more reviews (${total - items.length} more)`)
        : null);
  }

  /** More batches and reviews than the detail carries, once asked for (up to the API's page size). */
  async function more(product) {
    const [batches, extraReviews] = await Promise.all([
      batchPages > 1 ? api.productProvenance(product.id, { limit: Math.min(MAX_PAGE, batchPages * PAGE) }).then((p) => p.batches) : [],
      reviewPages > 1 ? api.reviews({ product: product.id, limit: Math.min(MAX_PAGE, reviewPages * PAGE) }).then((p) => p.items) : [],
    ]);
    return { batches, reviews: extraReviews };
  }

  async function render() {
    const id = routedProductId();
    if (id !== shown) {
      shown = id;
      batchPages = 1;
      reviewPages = 1;
    }
    if (id == null) {
      remount(root, h('p', { class: 'empty' }, 'Choose a product in the catalog to see where it comes from and what buyers say.'));
      return;
    }
    const mine = ++generation;
    let product;
    let now;
    let extra;
    try {
      [product, now] = await Promise.all([api.product(id), latestBlockTime(chainReader)]);
      extra = await more(product);
    } catch (error) {
      if (mine === generation) {
        remount(root, h('p', { class: error.status === 404 ? 'empty' : 'notice', role: 'alert', testid: 'product-missing' },
          error.status === 404 ? `There is no product #${id}.` : `Couldn’t load the product: ${error.message}`));
      }
      return;
    }
    if (mine !== generation) return;
    const { account } = getSession();
    const batches = dedupe([...product.provenance.batches, ...extra.batches], (b) => b.batchId);
    const reviewItems = dedupe([...product.reviews.items, ...extra.reviews], (r) => r.lineId);
    remount(
      root,
      h('p', {}, h('a', { href: '#catalog' }, '← Back to the catalog')),
      summary(product, account),
      reputationChart(product.reputation, { testid: 'product-reputation', caption: 'The seller’s reputation' }),
      provenance(product, batches, product.provenance.total, { account, now }),
      reviews(product, reviewItems, product.reviews.total),
    );
    root.dataset.product = String(product.id);
    root.dataset.account = account ?? '';
  }

  return { render };
}

function dedupe(items, key) {
  const seen = new Set();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
