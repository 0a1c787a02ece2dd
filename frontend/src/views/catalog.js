/**
 * views/catalog.js — products for sale, each with a quantity field and a Buy button.
 *
 * The quantity field's `max` is only a hint: the index can lag the chain, so the contract
 * decides, and a refused purchase comes back as a sentence in the status region.
 */
import { h, remount } from '../dom.js';
import { formatEth, parseWholeNumber, sameAddress, shortAddress } from '../format.js';

const PAGE_SIZE = 50; // the API serves at most 100 per request

export function productTitle(product) {
  return product.name ?? product.metadataUri;
}

export function createCatalogView({ root, api, status, getSession, runTx, requireMarketplace }) {
  let pages = 1;
  let generation = 0;
  // What the buyer typed, kept across re-renders (a wallet or chain change re-renders the list).
  const quantities = new Map();

  async function buy(product, quantityText) {
    let quantity;
    try {
      quantity = parseWholeNumber(quantityText, { what: 'quantity' });
    } catch (error) {
      status.show('failed', error.message);
      return;
    }
    const marketplace = await requireMarketplace();
    if (!marketplace) return;
    await runTx({
      label: `Buying ${quantity} × ${productTitle(product)}`,
      send: (onStep) => marketplace.buy(product.id, quantity, product.price, onStep),
    });
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
          buy(product, form.elements.quantity.value);
        },
      },
      h('label', { for: qtyId }, 'Quantity'),
      h('input', {
        id: qtyId, name: 'quantity', type: 'number', inputmode: 'numeric',
        min: 1, max: product.stock, step: 1, value: quantities.get(product.id) ?? 1, testid: qtyId,
        oninput: (event) => quantities.set(product.id, event.target.value),
      }),
      h('button', { type: 'submit', class: 'primary', testid: `buy-${product.id}` },
        'Buy', h('span', { class: 'visually-hidden' }, ` ${productTitle(product)}`)),
    );
    return form;
  }

  function productCard(product, account) {
    const titleId = `product-title-${product.id}`;
    return h(
      'li',
      { class: 'card', testid: `product-card-${product.id}`, 'aria-labelledby': titleId },
      h('h3', { id: titleId, class: product.name ? null : 'raw-uri' }, productTitle(product)),
      product.category ? h('p', { class: 'category' }, product.category) : null,
      product.description ? h('p', { class: 'description' }, product.description) : null,
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, 'Price'), h('dd', { testid: `price-${product.id}`, 'data-wei': product.price }, formatEth(product.price))),
        h('div', {}, h('dt', {}, 'In stock'), h('dd', { testid: `stock-${product.id}` }, String(product.stock))),
        h('div', {}, h('dt', {}, 'Seller'), h('dd', { title: product.seller }, shortAddress(product.seller))),
      ),
      purchaseControls(product, account),
    );
  }

  async function render() {
    const mine = ++generation;
    let page;
    try {
      const loaded = await Promise.all(
        Array.from({ length: pages }, (_, index) => api.products({ limit: PAGE_SIZE, offset: index * PAGE_SIZE })),
      );
      page = { items: loaded.flatMap((part) => part.items), total: loaded[loaded.length - 1].total };
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load the catalog: ${error.message}`));
      return;
    }
    if (mine !== generation) return; // a newer render started meanwhile
    const { account } = getSession();
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
  }

  return { render };
}
