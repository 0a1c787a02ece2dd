/**
 * views/listProduct.js — the "List a product" form. Name, category and description become a
 * data:application/json URI stored on chain with the listing; the price is typed in the chosen
 * payment token (ETH or a token the marketplace allows, from /api/platform).
 */
import { h, mount } from '../dom.js';
import { metadataUri, parseAmountInput, parseWholeNumber } from '../format.js';

const MAX_PRICE = 2n ** 96n - 1n; // the contract stores prices as uint96

function field(id, label, control, hint = null) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

const examplePrice = (token) => (token.decimals > 6 ? '0.01' : '25');

/** createListProductForm(ctx) → { element, update() }; update() re-reads the allowed tokens. */
export function createListProductForm({ runTx, requireMall, tokens }) {
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'list-error' });
  const tokenSelect = h('select', { id: 'list-token', name: 'token', testid: 'list-token' });
  const priceLabel = h('label', { for: 'list-price' });
  const priceHint = h('p', { class: 'hint', id: 'list-price-hint' });
  const priceInput = h('input', {
    id: 'list-price', name: 'price', inputmode: 'decimal', required: true, autocomplete: 'off',
    'aria-describedby': 'list-price-hint', testid: 'list-price',
  });
  const form = h(
    'form',
    { class: 'list-form', novalidate: true, testid: 'list-form' },
    field('list-name', 'Name', h('input', { id: 'list-name', name: 'name', required: true, maxlength: 120, autocomplete: 'off', testid: 'list-name' })),
    field('list-category', 'Category', h('input', { id: 'list-category', name: 'category', maxlength: 60, autocomplete: 'off', testid: 'list-category' })),
    field('list-description', 'Description', h('textarea', { id: 'list-description', name: 'description', rows: 3, maxlength: 1000, testid: 'list-description' })),
    field('list-token', 'Paid in', tokenSelect),
    h('div', { class: 'field' }, priceLabel, priceInput, priceHint),
    field('list-stock', 'Units in stock', h('input', { id: 'list-stock', name: 'stock', type: 'number', inputmode: 'numeric', min: 1, step: 1, value: 1, required: true, testid: 'list-stock' })),
    error,
    h('button', { type: 'submit', class: 'primary', testid: 'list-submit' }, 'List product'),
  );

  const selectedToken = () => tokens.get(tokenSelect.value);

  function describePrice() {
    const token = selectedToken();
    priceLabel.textContent = `Price (${token.symbol} per unit)`;
    priceInput.placeholder = examplePrice(token);
    priceHint.textContent = `For example ${examplePrice(token)}`;
  }

  function update() {
    const chosen = tokenSelect.value;
    const allowed = tokens.allowed();
    mount(tokenSelect, allowed.map((token) => h('option', { value: token.address }, token.symbol)));
    if (allowed.some((token) => token.address === chosen)) tokenSelect.value = chosen;
    describePrice();
  }

  function read() {
    const values = Object.fromEntries(new FormData(form));
    const name = values.name.trim();
    if (!name) throw new Error('Give the product a name.');
    const token = selectedToken();
    const price = parseAmountInput(values.price, token, { what: 'price' });
    if (price > MAX_PRICE) throw new Error('That price is too high for the marketplace.');
    const stock = parseWholeNumber(values.stock, { what: 'stock' });
    const uri = metadataUri({ name, category: values.category.trim() || null, description: values.description.trim() || null });
    return { name, token, price, stock, uri };
  }

  tokenSelect.addEventListener('change', describePrice);
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
    const mall = await requireMall();
    if (!mall) return;
    const listed = await runTx({
      label: `Listing “${listing.name}”`,
      send: (onStep) => mall.listProduct(listing.token.address, listing.price, listing.stock, listing.uri, onStep),
      context: { token: listing.token },
    });
    if (listed) {
      form.reset();
      update();
    }
  });

  update();
  return { element: form, update };
}
