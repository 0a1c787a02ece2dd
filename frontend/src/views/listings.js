/**
 * views/listings.js — "My listings": the connected seller's products with their price and stock,
 * and for each: change the price, restock (add units), delist (stock 0: nobody can buy it, open
 * orders carry on) or relist a delisted one with some units. Each is one updateProduct transaction;
 * the price and stock it starts from are read from the chain when the seller submits, so a sale
 * the index has not caught up with yet is not overwritten.
 */
import { loadPages } from '../api.js';
import { h } from '../dom.js';
import { formatAmount, parseAmountInput, parseWholeNumber } from '../format.js';
import { accountPanel } from './accountPanel.js';
import { productTitle } from './catalog.js';
import { createForms } from './forms.js';

const PAGE_SIZE = 50;
const MAX_PRICE = 2n ** 96n - 1n; // uint96
const MAX_STOCK = 2 ** 32 - 1; // uint32

export function createListingsView({ root, api, config, getSession, tokens, chainReader, requireMall, runTx }) {
  const marketplace = config.contracts.Marketplace;
  const forms = createForms();
  const opened = new Set(); // products whose tools are unfolded, kept across re-renders
  let pages = 1;

  /** Send updateProduct(id, price, stock) where `change({ price, stock })` (the chain's now) gives the new pair. */
  async function update(product, label, change) {
    const mall = await requireMall();
    if (!mall) return false;
    return runTx({
      label: `${label} “${productTitle(product)}”`,
      context: { token: tokens.of(product), productName: () => productTitle(product) },
      send: async (onStep) => {
        const onChain = await chainReader.read(marketplace.address, marketplace.abi, 'getProduct', [BigInt(product.id)]);
        const next = change({ price: onChain.price, stock: Number(onChain.stock) });
        if (next.stock > MAX_STOCK) throw new Error(`A product can have at most ${MAX_STOCK} units in stock.`);
        return mall.send(mall.market('updateProduct', [BigInt(product.id), next.price, next.stock]), onStep);
      },
    });
  }

  function controls(product) {
    const token = tokens.of(product);
    const title = productTitle(product);
    const nodes = [
      forms.inlineForm({
        name: 'listing-price', key: product.id, label: `Change the price of ${title}`, submit: 'Save price',
        fields: [['value', `New price (${token.symbol})`, (text) => {
          const price = parseAmountInput(text, token, { what: 'price' });
          if (price > MAX_PRICE) throw new Error('That price is too high for the marketplace.');
          return price;
        }, { inputmode: 'decimal' }]],
        onsubmit: ({ value }) => update(product, 'Changing the price of', ({ stock }) => ({ price: value, stock })),
      }),
    ];
    if (product.stock > 0) {
      nodes.push(
        forms.inlineForm({
          name: 'listing-restock', key: product.id, label: `Restock ${title}`, submit: 'Restock',
          fields: [['units', 'Units to add', (text) => parseWholeNumber(text, { what: 'number of units', max: MAX_STOCK }), { inputmode: 'numeric' }]],
          onsubmit: ({ units }) => update(product, `Adding ${units} units to`, ({ price, stock }) => ({ price, stock: stock + units })),
        }),
        h('button', {
          type: 'button', class: 'secondary', testid: `listing-delist-${product.id}`,
          onclick: () => update(product, 'Delisting', ({ price }) => ({ price, stock: 0 })),
        }, 'Delist', h('span', { class: 'visually-hidden' }, ` ${title}`)),
      );
    } else {
      nodes.push(forms.inlineForm({
        name: 'listing-relist', key: product.id, label: `Relist ${title}`, submit: 'Relist',
        fields: [['units', 'Units for sale', (text) => parseWholeNumber(text, { what: 'number of units', max: MAX_STOCK }), { inputmode: 'numeric' }]],
        onsubmit: ({ units }) => update(product, 'Relisting', ({ price }) => ({ price, stock: units })),
      }));
    }
    return nodes;
  }

  function card(product) {
    const token = tokens.of(product);
    const titleId = `my-listing-title-${product.id}`;
    const delisted = product.stock === 0;
    return h('li', { class: 'card listing', testid: `my-listing-${product.id}`, 'aria-labelledby': titleId, 'data-listed': String(!delisted) },
      h('div', { class: 'order-head' },
        h('h4', { id: titleId }, h('a', { href: `#product/${product.id}` }, productTitle(product)), h('span', { class: 'line-ref' }, ` · #${product.id}`)),
        h('span', { class: `badge ${delisted ? 'badge-cancelled' : 'badge-completed'}`, testid: `my-listing-status-${product.id}` },
          delisted ? 'Delisted' : 'Listed')),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Price'), h('dd', { testid: `my-listing-price-${product.id}`, 'data-amount': product.price }, formatAmount(product.price, token))),
        h('div', {}, h('dt', {}, 'In stock'), h('dd', { testid: `my-listing-stock-${product.id}` }, String(product.stock)))),
      h('details', {
        class: 'listing-edit', open: opened.has(product.id),
        ontoggle: (event) => (event.target.open ? opened.add(product.id) : opened.delete(product.id)),
      },
      h('summary', { testid: `listing-edit-${product.id}` }, 'Price, stock, delist', h('span', { class: 'visually-hidden' }, `: ${productTitle(product)}`)),
      h('div', { class: 'actions listing-actions' }, controls(product)),
      h('p', { class: 'hint' }, h('a', { href: `#explorer/product/${product.id}`, testid: `listing-trail-${product.id}` }, 'On-chain trail'))));
  }

  const render = accountPanel({
    root, getSession, what: 'your listings',
    load: (account) => loadPages((range) => api.products({ seller: account, ...range }), { pages, pageSize: PAGE_SIZE }),
    show: (page) => [
      h('h3', { id: 'my-listings-heading' }, `My listings (${page.total})`),
      page.items.length === 0
        ? h('p', { class: 'empty' }, 'You have no listings yet: list a product with the form below, or import a catalogue above.')
        : h('ul', { class: 'list', testid: 'my-listings', 'aria-labelledby': 'my-listings-heading' }, page.items.map(card)),
      page.total > page.items.length
        ? h('button', { type: 'button', class: 'secondary', testid: 'my-listings-more', onclick: () => { pages += 1; render(); } },
          `Show more listings (${page.total - page.items.length} more)`)
        : null,
    ],
  });

  return { render };
}
