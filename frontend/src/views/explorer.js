/**
 * views/explorer.js — the on-chain trail of a product, an order or an order line, as the index has
 * it: every event with its time, what it says, its block, its full transaction hash and log index,
 * and a "Verify" per event (verify.js: re-read through the wallet's RPC, compared with the index)
 * or for all of them at once. Addresses: #explorer/product/<id>, #explorer/order/<id>,
 * #explorer/line/<id> (what the form below sets).
 */
import { h, remount } from '../dom.js';
import { formatTimestamp, isoTimestamp } from '../format.js';
import { lineLabel } from '../lines.js';
import { verifyControl } from '../verify.js';
import { productTitle } from './catalog.js';
import { eventText } from './timeline.js';

const KINDS = { product: 'Product', order: 'Order', line: 'Order line' };
const MAX_LINES_PER_ORDER = 256; // a line id is (order id << 8) | index

/** { kind, id } from #explorer/<kind>/<id>, or null. */
function target() {
  const [, kind, id] = window.location.hash.slice(1).split('/');
  return KINDS[kind] && /^\d+$/.test(id ?? '') && BigInt(id) > 0n ? { kind, id: BigInt(id) } : null;
}

const missing = (error) => error?.status === 404;

export function createExplorerView({ root, api, tokens }) {
  let generation = 0;

  /** { title, timeline, token } of the target, or null when the index does not know it. */
  async function load({ kind, id }) {
    if (kind === 'product') {
      const [product, trail] = await Promise.all([api.product(id), api.productEvents(id)]);
      return { title: `${productTitle(product)} (product #${id})`, timeline: trail.timeline, token: tokens.of(product) };
    }
    if (kind === 'line') {
      const line = await api.line(id);
      return { title: `${line.productName ?? `Product #${line.productId}`}, ${lineLabel(line.id)}`, timeline: line.timeline, token: tokens.of(line) };
    }
    const lines = [];
    for (let index = 0n; index < BigInt(MAX_LINES_PER_ORDER); index += 1n) {
      const line = await api.line((id << 8n) | index).catch((error) => (missing(error) ? null : Promise.reject(error)));
      if (!line) break;
      lines.push(line);
    }
    if (!lines.length) throw Object.assign(new Error('not found'), { status: 404 });
    const seen = new Set();
    const timeline = lines.flatMap((line) => line.timeline)
      .filter((entry) => !seen.has(`${entry.tx}:${entry.logIndex}`) && seen.add(`${entry.tx}:${entry.logIndex}`))
      .sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
    return { title: `Order #${id} (${lines.length} ${lines.length === 1 ? 'line' : 'lines'})`, timeline, token: tokens.of(lines[0]) };
  }

  function lookupForm(current) {
    const kind = h('select', { id: 'explorer-kind', name: 'kind', testid: 'explorer-kind' },
      Object.entries(KINDS).map(([value, text]) => h('option', { value, selected: current?.kind === value }, text)));
    const id = h('input', {
      id: 'explorer-id', name: 'id', inputmode: 'numeric', required: true, autocomplete: 'off', testid: 'explorer-id',
      value: current ? String(current.id) : '', 'aria-describedby': 'explorer-id-hint',
    });
    return h('form', {
      class: 'explorer-form', novalidate: true, 'aria-label': 'Look up a trail',
      onsubmit: (event) => {
        event.preventDefault();
        const wanted = id.value.trim();
        window.location.hash = `#explorer/${kind.value}/${wanted}`;
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'explorer-kind' }, 'Look up'), kind),
    h('div', { class: 'field' }, h('label', { for: 'explorer-id' }, 'Number'), id,
      h('p', { class: 'hint', id: 'explorer-id-hint' }, 'A product number, an order number, or an order line’s id.')),
    h('button', { type: 'submit', class: 'primary', testid: 'explorer-show' }, 'Show the trail'));
  }

  function trailTable(trail) {
    const verifyAll = async () => {
      for (const button of root.querySelectorAll('button.verify')) {
        button.click();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    };
    return [
      h('h3', { testid: 'explorer-title' }, trail.title),
      trail.timeline.length === 0
        ? h('p', { class: 'empty' }, 'No events indexed yet.')
        : [
          h('button', { type: 'button', class: 'secondary', testid: 'explorer-verify-all', onclick: verifyAll }, 'Verify every event with the chain'),
          h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'On-chain trail' },
            h('table', { class: 'trail', testid: 'explorer-trail' },
              h('thead', {}, h('tr', {}, ['When', 'What happened', 'Block', 'Transaction', 'Log', 'Check'].map((text) => h('th', { scope: 'col' }, text)))),
              h('tbody', {}, trail.timeline.map((entry) => h('tr', { 'data-event': entry.event, testid: `trail-${entry.tx}-${entry.logIndex}` },
                h('td', {}, h('time', { datetime: isoTimestamp(entry.timestamp) }, formatTimestamp(entry.timestamp))),
                h('td', {}, eventText(entry, trail.token, (address) => address), h('span', { class: 'event-name' }, ` (${entry.event})`)),
                h('td', {}, String(entry.block)),
                h('td', {}, h('code', { class: 'hash' }, entry.tx)),
                h('td', {}, String(entry.logIndex)),
                h('td', {}, verifyControl(entry))))))),
        ],
    ];
  }

  async function render() {
    const mine = ++generation;
    if (root.closest('section')?.hidden) return; // rendered when its page is shown
    const wanted = target();
    if (!wanted) {
      remount(root, lookupForm(null), h('p', { class: 'hint' },
        'Each event shows the transaction and block it came from; “Verify” reads it again from the chain through your wallet.'));
      return;
    }
    let trail;
    try {
      trail = await load(wanted);
    } catch (error) {
      if (mine !== generation) return;
      const text = missing(error) ? `The mall has no ${KINDS[wanted.kind].toLowerCase()} #${wanted.id}.` : `Couldn’t load the trail: ${error.message}`;
      remount(root, lookupForm(wanted), h('p', { class: 'notice', role: 'alert', testid: 'explorer-error' }, text));
      return;
    }
    if (mine !== generation) return;
    remount(root, lookupForm(wanted), trailTable(trail));
  }

  return { render };
}
