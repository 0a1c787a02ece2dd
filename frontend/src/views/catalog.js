/**
 * views/catalog.js — products for sale, each with its price in its token and a quantity field
 * with "Add to cart"; the name links to the product's page (provenance, reviews), the seller shows
 * with their name and badges.
 *
 * The quantity field's `max` is only a hint: the index can lag the chain, so the contract
 * decides at checkout, and a refused purchase comes back as a sentence in the status region.
 */
import { loadPages } from '../api.js';
import { h, remount } from '../dom.js';
import { formatAmount, parseWholeNumber, sameAddress } from '../format.js';
import { addressTag } from '../profiles.js';

const PAGE_SIZE = 50; // the API serves at most 100 per request

export function productTitle(product) {
  return product.name ?? product.metadataUri;
}

export function createCatalogView({ root, api, getSession, tokens, cart, announce, compare = null }) {
  let pages = 1;
  let generation = 0;
  let lastShown = null;
  // What the buyer typed, and what we told them about it, kept across re-renders (a wallet or
  // chain change re-renders the list, possibly right after a click).
  const quantities = new Map();
  const errors = new Map();

  function addToCart(product, quantityText, form) {
    const error = form.querySelector('.form-error');
    let quantity;
    try {
      quantity = parseWholeNumber(quantityText, { what: 'quantity', max: cart.MAX_QUANTITY });
    } catch (problem) {
      errors.set(product.id, problem.message);
      error.textContent = problem.message;
      return;
    }
    errors.delete(product.id);
    error.textContent = '';
    cart.add(product.id, quantity);
    announce(`Added ${quantity} × ${productTitle(product)} to your cart.`);
  }

  function purchaseControls(product, account) {
    if (product.stock === 0) return h('p', { class: 'note' }, 'Sold out');
    if (sameAddress(product.seller, account)) return h('p', { class: 'note' }, 'Your listing');
    const qtyId = `qty-${product.id}`;
    const form = h(
      'form',
      {
        class: 'buy-form',
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          addToCart(product, form.elements.quantity.value, form);
        },
      },
      h('label', { for: qtyId }, 'Quantity'),
      h('input', {
        id: qtyId, name: 'quantity', type: 'number', inputmode: 'numeric',
        min: 1, max: product.stock, step: 1, value: quantities.get(product.id) ?? 1, testid: qtyId,
        'aria-describedby': `${qtyId}-error`,
        oninput: (event) => {
          quantities.set(product.id, event.target.value);
          errors.delete(product.id);
        },
      }),
      h('button', { type: 'submit', class: 'primary', testid: `add-${product.id}` },
        'Add to cart', h('span', { class: 'visually-hidden' }, `: ${productTitle(product)}`)),
      h('p', { class: 'form-error', id: `${qtyId}-error`, role: 'alert' }, errors.get(product.id) ?? ''),
    );
    return form;
  }

  function productCard(product, account) {
    const titleId = `product-title-${product.id}`;
    const token = tokens.of(product);
    return h(
      'li',
      { class: 'card', testid: `product-card-${product.id}`, 'aria-labelledby': titleId },
      h('h3', { id: titleId, class: product.name ? null : 'raw-uri' },
        h('a', { href: `#product/${product.id}`, testid: `product-link-${product.id}` }, productTitle(product))),
      product.category ? h('p', { class: 'category' }, product.category) : null,
      product.description ? h('p', { class: 'description' }, product.description) : null,
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, 'Price'),
          h('dd', { testid: `price-${product.id}`, 'data-amount': product.price, 'data-token': token.symbol }, formatAmount(product.price, token))),
        h('div', {}, h('dt', {}, 'In stock'), h('dd', { testid: `stock-${product.id}` }, String(product.stock))),
        h('div', {}, h('dt', {}, 'Seller'), h('dd', {}, addressTag(product.seller, { testid: `seller-${product.id}` }))),
      ),
      purchaseControls(product, account),
      compare?.control(product), // views/compare.js
    );
  }

  async function render() {
    const mine = ++generation;
    let page;
    try {
      page = await loadPages((range) => api.products(range), { pages, pageSize: PAGE_SIZE });
    } catch (error) {
      if (mine === generation) {
        lastShown = null;
        remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load the catalog: ${error.message}`));
      }
      return;
    }
    if (mine !== generation) return; // a newer render started meanwhile
    const { account } = getSession();
    // Nothing changed (e.g. a wallet connected): leave the page alone rather than rebuild the
    // form someone may be typing in.
    const shown = JSON.stringify([page, account ?? null]);
    if (shown === lastShown && root.childElementCount > 0) return;
    lastShown = shown;
    remount(
      root,
      page.items.length === 0
        ? h('p', { class: 'empty' }, 'Nothing is for sale yet.')
        : h('ul', { class: 'grid', testid: 'catalog-list' }, page.items.map((product) => productCard(product, account))),
      page.total > page.items.length
        ? h('button', { type: 'button', class: 'secondary', testid: 'catalog-more', onclick: () => { pages += 1; render(); } },
          `Show more (${page.total - page.items.length} more)`)
        : null,
    );
    root.dataset.account = account ?? ''; // whom the controls were drawn for (tests wait on it)
  }

  return { render };
}
