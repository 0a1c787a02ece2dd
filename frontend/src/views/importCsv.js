/**
 * views/importCsv.js — a seller lists a whole product catalogue from a CSV file: choose the file,
 * check the preview (every row validated, its errors shown next to it; nothing is sent while any
 * row is wrong), then list it on chain in batches of BATCH_SIZE products, each batch one
 * transaction (the marketplace's multicall of listProduct calls, all or nothing), with a progress
 * bar. If a batch fails, the rows already listed stay listed (and say as which product), and
 * "Resume" carries on from the first row that is not.
 */
import { encodeFunctionData, parseEventLogs } from 'viem';
import { COLUMNS, readCatalog } from '../catalogRows.js';
import { h, mount } from '../dom.js';
import { formatAmount } from '../format.js';

export const BATCH_SIZE = 20;
const MAX_FILE_BYTES = 1_000_000;
const EXAMPLE = 'name,description,category,price,token,stock\n"Oak tray","Oiled oak, 40 × 25 cm",Home,0.02,ETH,5';

/** createCatalogImport(ctx) → { element }: the panel keeps its state (file, progress) across re-renders. */
export function createCatalogImport({ runTx, requireMall, tokens, config }) {
  const marketplace = config.contracts.Marketplace;
  let catalog = null; // readCatalog's { rows, problems }
  let fileName = '';
  let next = 0; // index of the first row not listed yet
  let running = false;
  let failure = null; // a sentence about the batch that failed
  const listedAs = new Map(); // row number → product id

  const body = h('div', { class: 'import-body', testid: 'import-body' });
  const fileInput = h('input', {
    id: 'import-file', type: 'file', accept: '.csv,text/csv', testid: 'import-file', 'aria-describedby': 'import-format',
    onchange: () => choose(fileInput.files?.[0]),
  });
  const element = h(
    'section',
    { class: 'catalog-import', 'aria-labelledby': 'import-heading', testid: 'catalog-import' },
    h('h3', { id: 'import-heading' }, 'Import a catalogue from CSV'),
    h('p', { class: 'hint', id: 'import-format' },
      `One product per row after a header row with the columns ${COLUMNS.join(', ')}. `,
      'The price is per unit in the token named by its symbol (ETH or a token the marketplace accepts); ',
      `products are listed ${BATCH_SIZE} per transaction. For example:`),
    h('pre', { class: 'csv-example' }, EXAMPLE),
    h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'CSV file'), fileInput),
    body,
  );

  async function choose(file) {
    if (running) return;
    catalog = null;
    listedAs.clear();
    next = 0;
    failure = null;
    fileName = file?.name ?? '';
    if (!file) return show();
    if (file.size > MAX_FILE_BYTES) {
      catalog = { rows: [], problems: [`${file.name} is larger than ${MAX_FILE_BYTES / 1_000_000} MB; split it.`] };
      return show();
    }
    catalog = readCatalog(await file.text(), tokens);
    show();
  }

  const invalidRows = () => catalog.rows.filter((row) => row.errors.length);
  const ready = () => catalog && catalog.problems.length === 0 && invalidRows().length === 0 && catalog.rows.length > 0;
  const batchesLeft = () => Math.ceil((catalog.rows.length - next) / BATCH_SIZE);

  function rowStatus(row) {
    if (row.errors.length) {
      return h('ul', { class: 'row-errors' }, row.errors.map((error) => h('li', {}, error)));
    }
    if (listedAs.has(row.number)) {
      const id = listedAs.get(row.number);
      return h('span', { class: 'listed' }, 'Listed as ', h('a', { href: `#product/${id}` }, `#${id}`));
    }
    return 'Ready';
  }

  function previewTable() {
    const cell = (text) => h('td', {}, text);
    return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Preview of the catalogue' },
      h('table', { class: 'import-preview', testid: 'import-preview' },
        h('caption', {}, `${fileName}: ${catalog.rows.length} products`),
        h('thead', {}, h('tr', {}, ['Row', 'Name', 'Category', 'Price', 'Token', 'Stock', 'Status'].map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, catalog.rows.map((row) => h('tr', {
          testid: `import-row-${row.number}`, class: row.errors.length ? 'invalid' : null, 'aria-invalid': row.errors.length ? 'true' : null,
        },
        h('th', { scope: 'row' }, String(row.number)),
        cell(row.values.name), cell(row.values.category),
        cell(row.listing ? formatAmount(row.listing.price, row.listing.token) : row.values.price),
        cell(row.values.token), cell(row.values.stock),
        h('td', { testid: `import-row-status-${row.number}` }, rowStatus(row)))))));
  }

  function progress() {
    const total = catalog.rows.length;
    const done = listedAs.size;
    const percent = total ? Math.round((done / total) * 100) : 0;
    return h('div', { class: 'import-progress' },
      h('div', {
        class: 'progress', role: 'progressbar', testid: 'import-progress', 'aria-label': 'Products listed',
        'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done, 'aria-valuetext': `${done} of ${total} listed`,
      }, h('div', { class: 'progress-bar', style: `width: ${percent}%` })),
      h('p', { testid: 'import-progress-text', 'aria-live': 'polite' },
        done === total ? `All ${total} products are listed.` : `${done} of ${total} products listed${running ? '…' : '.'}`));
  }

  function show() {
    if (!catalog) return mount(body);
    const invalid = invalidRows().length;
    const summary = catalog.problems.length
      ? h('ul', { class: 'form-error', role: 'alert', testid: 'import-problems' }, catalog.problems.map((problem) => h('li', {}, problem)))
      : invalid
        ? h('p', { class: 'form-error', role: 'alert', testid: 'import-problems' },
          `${invalid} of ${catalog.rows.length} rows have errors (shown in the table). Fix the file and choose it again; nothing has been sent.`)
        : null;
    const finished = ready() && next >= catalog.rows.length;
    const submit = ready() && !finished
      ? h('button', { type: 'button', class: 'primary', testid: 'import-submit', disabled: running, onclick: importRows },
        next === 0
          ? `List ${catalog.rows.length} products (${batchesLeft()} ${batchesLeft() === 1 ? 'transaction' : 'transactions'})`
          : `Resume from row ${next + 1} (${batchesLeft()} ${batchesLeft() === 1 ? 'transaction' : 'transactions'} left)`)
      : null;
    mount(body,
      summary,
      catalog.rows.length ? previewTable() : null,
      ready() && (next > 0 || running) ? progress() : null,
      failure ? h('p', { class: 'form-error', role: 'alert', testid: 'import-failure' }, failure) : null,
      submit);
  }

  /** The product ids a batch's receipt lists, in order. */
  const productIdsOf = (receipt) => parseEventLogs({ abi: marketplace.abi, logs: receipt.logs, eventName: 'ProductListed' })
    .filter((log) => log.address.toLowerCase() === marketplace.address.toLowerCase())
    .map((log) => log.args.productId);

  async function importRows() {
    if (running || !ready()) return;
    const mall = await requireMall();
    if (!mall) return;
    running = true;
    failure = null;
    show();
    const batches = Math.ceil(catalog.rows.length / BATCH_SIZE);
    try {
      while (next < catalog.rows.length) {
        const batch = catalog.rows.slice(next, next + BATCH_SIZE);
        const first = batch[0].number;
        const last = batch[batch.length - 1].number;
        const calls = batch.map(({ listing }) => encodeFunctionData({
          abi: marketplace.abi, functionName: 'listProduct', args: [listing.token.address, listing.price, listing.stock, listing.uri],
        }));
        let ids = [];
        const ok = await runTx({
          label: `Importing the catalogue, batch ${Math.floor(next / BATCH_SIZE) + 1} of ${batches} (rows ${first}–${last})`,
          send: (onStep) => mall.send(mall.market('multicall', [calls]), onStep),
          context: { token: batch[0].listing.token },
          describe: (receipt) => {
            ids = productIdsOf(receipt);
            return `${ids.length} products listed`;
          },
        });
        if (!ok) {
          failure = `Rows ${first}–${last} were not listed (the reason is above)${next > 0 ? `; rows 1–${next} are listed` : ''}. `
            + 'Resume when the cause is fixed: listed rows are not sent again.';
          break;
        }
        batch.forEach((row, index) => listedAs.set(row.number, ids[index]));
        next += batch.length;
        show();
      }
    } finally {
      running = false;
      show();
    }
  }

  return { element };
}
