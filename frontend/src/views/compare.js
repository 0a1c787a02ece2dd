/**
 * views/compare.js — compare 2 to 4 products side by side. The catalog gives each card a
 * "Compare" checkbox (control()); a bar above the catalog says how many are chosen and links to
 * #compare, where a table puts them in columns: price, stock, category, description, seller and
 * rating. The choice is kept for the browser tab (sessionStorage).
 */
import { h, mount, remount } from '../dom.js';
import { formatAmount } from '../format.js';
import { addressTag } from '../profiles.js';
import { productTitle } from './catalog.js';

export const MAX_COMPARED = 4;
const STORAGE_KEY = 'mall.compare';

function loadChoice() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((id) => Number.isInteger(id)).slice(0, MAX_COMPARED) : [];
  } catch {
    return [];
  }
}

/** createCompare({ root, bar, api, tokens }) → { control(product), render() } */
export function createCompare({ root, bar, api, tokens }) {
  let chosen = loadChoice();
  let generation = 0;

  function save() {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(chosen));
    for (const box of document.querySelectorAll('input[data-compare]')) {
      box.checked = chosen.includes(Number(box.dataset.compare));
      box.disabled = !box.checked && chosen.length >= MAX_COMPARED;
    }
    showBar();
  }

  function toggle(id, on) {
    chosen = on ? [...new Set([...chosen, id])].slice(0, MAX_COMPARED) : chosen.filter((other) => other !== id);
    save();
  }

  function showBar() {
    if (chosen.length === 0) return mount(bar);
    const enough = chosen.length >= 2;
    mount(bar, h('div', { class: 'compare-bar', role: 'region', 'aria-label': 'Products to compare', testid: 'compare-bar' },
      h('span', { testid: 'compare-count' }, `${chosen.length} of up to ${MAX_COMPARED} products chosen to compare`,
        enough ? '' : ' (choose at least 2)'),
      ' ',
      enough ? h('a', { href: '#compare', class: 'button primary', testid: 'compare-open' }, 'Compare side by side') : null,
      ' ',
      h('button', { type: 'button', class: 'secondary', testid: 'compare-clear', onclick: () => { chosen = []; save(); } }, 'Clear')));
  }

  /** The checkbox on a catalog card. */
  function control(product) {
    const id = `compare-${product.id}`;
    const selected = chosen.includes(product.id);
    return h('div', { class: 'compare-toggle' },
      h('input', {
        type: 'checkbox', id, testid: id, 'data-compare': product.id, checked: selected,
        disabled: !selected && chosen.length >= MAX_COMPARED,
        onchange: (event) => toggle(product.id, event.target.checked),
      }),
      h('label', { for: id }, 'Compare', h('span', { class: 'visually-hidden' }, ` ${productTitle(product)}`)));
  }

  function table(products) {
    const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), products.map((product) => h('td', {}, cell(product))));
    const rating = (product) => (product.rating?.count ? `${product.rating.average} / 5 (${product.rating.count} reviews)` : 'No reviews yet');
    return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Products side by side' },
      h('table', { class: 'compare-table', testid: 'compare-table' },
        h('thead', {}, h('tr', {}, h('td', {}), products.map((product) => h('th', { scope: 'col', testid: `compare-col-${product.id}` },
          h('a', { href: `#product/${product.id}` }, productTitle(product)))))),
        h('tbody', {},
          row('Price', (product) => formatAmount(product.price, tokens.of(product))),
          row('In stock', (product) => (product.stock === 0 ? 'Sold out' : String(product.stock))),
          row('Category', (product) => product.category ?? '—'),
          row('Description', (product) => product.description ?? '—'),
          row('Seller', (product) => addressTag(product.seller)),
          row('Rating', rating),
          row('', (product) => h('button', {
            type: 'button', class: 'secondary', testid: `compare-remove-${product.id}`,
            onclick: () => { toggle(product.id, false); render(); },
          }, 'Remove', h('span', { class: 'visually-hidden' }, ` ${productTitle(product)} from the comparison`))))));
  }

  async function render() {
    const mine = ++generation;
    if (root.closest('section')?.hidden) return; // rendered when its page is shown
    if (chosen.length < 2) {
      remount(root, h('p', { class: 'empty' }, 'Tick “Compare” on 2 to 4 products in the ', h('a', { href: '#catalog' }, 'catalog'), ' to see them side by side.'));
      return;
    }
    let products;
    try {
      products = await Promise.all(chosen.map((id) => api.product(id)));
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load the products: ${error.message}`));
      return;
    }
    if (mine === generation) remount(root, table(products));
  }

  showBar();
  return { control, render };
}
