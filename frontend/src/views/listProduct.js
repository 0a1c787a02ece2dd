/**
 * views/listProduct.js — the "List a product" form. Name, category and description become a
 * data:application/json URI stored on chain with the listing; price is typed in ETH.
 */
import { h } from '../dom.js';
import { metadataUri, parseEthInput, parseWholeNumber } from '../format.js';

const MAX_PRICE_WEI = 2n ** 96n - 1n; // the contract stores prices as uint96

function field(id, label, control, hint = null) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

export function createListProductForm({ runTx, requireMarketplace }) {
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'list-error' });
  const form = h(
    'form',
    { class: 'list-form', novalidate: true, testid: 'list-form' },
    field('list-name', 'Name', h('input', { id: 'list-name', name: 'name', required: true, maxlength: 120, autocomplete: 'off', testid: 'list-name' })),
    field('list-category', 'Category', h('input', { id: 'list-category', name: 'category', maxlength: 60, autocomplete: 'off', testid: 'list-category' })),
    field('list-description', 'Description', h('textarea', { id: 'list-description', name: 'description', rows: 3, maxlength: 1000, testid: 'list-description' })),
    field('list-price', 'Price (ETH per unit)',
      h('input', { id: 'list-price', name: 'price', inputmode: 'decimal', required: true, autocomplete: 'off', placeholder: '0.01', 'aria-describedby': 'list-price-hint', testid: 'list-price' }),
      'For example 0.01'),
    field('list-stock', 'Units in stock', h('input', { id: 'list-stock', name: 'stock', type: 'number', inputmode: 'numeric', min: 1, step: 1, value: 1, required: true, testid: 'list-stock' })),
    error,
    h('button', { type: 'submit', class: 'primary', testid: 'list-submit' }, 'List product'),
  );

  function read() {
    const values = Object.fromEntries(new FormData(form));
    const name = values.name.trim();
    if (!name) throw new Error('Give the product a name.');
    const price = parseEthInput(values.price);
    if (price > MAX_PRICE_WEI) throw new Error('That price is too high for the marketplace.');
    const stock = parseWholeNumber(values.stock, { what: 'stock' });
    const uri = metadataUri({ name, category: values.category.trim() || null, description: values.description.trim() || null });
    return { name, price, stock, uri };
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let listing;
    try {
      listing = read();
    } catch (problem) {
      error.textContent = problem.message;
      return;
    }
    error.textContent = '';
    const marketplace = await requireMarketplace();
    if (!marketplace) return;
    const listed = await runTx({
      label: `Listing “${listing.name}”`,
      send: (onStep) => marketplace.listProduct(listing.price, listing.stock, listing.uri, onStep),
    });
    if (listed) form.reset();
  });

  return form;
}
