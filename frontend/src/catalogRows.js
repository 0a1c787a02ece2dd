/**
 * catalogRows.js — a product catalogue from CSV text, checked row by row before anything is sent.
 *
 * The header row names the columns, in any order and case: name, description, category, price,
 * token (or "token symbol", "symbol") and stock. Each row becomes either a listing
 * { name, token, price, stock, uri } (the price in the token's smallest unit, the metadata as a
 * data: URI, as the "List a product" form and the seed script write it) or a list of errors in
 * words, so that the preview can show every problem at once.
 */
import { CsvError, parseCsv } from './csv.js';
import { metadataUri, parseAmountInput, parseWholeNumber } from './format.js';

export const COLUMNS = ['name', 'description', 'category', 'price', 'token', 'stock'];
const REQUIRED = ['name', 'price', 'token', 'stock'];
const ALIASES = { 'token symbol': 'token', symbol: 'token', currency: 'token', units: 'stock' };
const MAX_LENGTH = { name: 120, description: 1000, category: 60 }; // as the listing form
const MAX_PRICE = 2n ** 96n - 1n; // the contract stores prices as uint96
const MAX_STOCK = 2 ** 32 - 1; // and stock as uint32
export const MAX_ROWS = 1000;

const columnOf = (header) => {
  const name = header.trim().toLowerCase();
  return ALIASES[name] ?? name;
};

/** Check one row's values; returns { listing, errors }. */
function checkRow(values, tokens) {
  const errors = [];
  const attempt = (parse) => {
    try {
      return parse();
    } catch (problem) {
      errors.push(problem.message);
      return null;
    }
  };
  const name = values.name.trim();
  if (!name) errors.push('The name is missing.');
  for (const [column, max] of Object.entries(MAX_LENGTH)) {
    if (values[column].trim().length > max) errors.push(`The ${column} is longer than ${max} characters.`);
  }
  const symbol = values.token.trim();
  const allowed = tokens.allowed();
  const token = allowed.find((candidate) => candidate.symbol.toLowerCase() === symbol.toLowerCase()) ?? null;
  if (!symbol) errors.push('The token is missing.');
  else if (!token) errors.push(`${symbol} is not a token the marketplace accepts (${allowed.map((t) => t.symbol).join(', ')}).`);
  const price = token ? attempt(() => parseAmountInput(values.price, token, { what: 'price' })) : null;
  if (price !== null && price > MAX_PRICE) errors.push('The price is too high for the marketplace.');
  const stock = attempt(() => parseWholeNumber(values.stock, { what: 'stock', max: MAX_STOCK }));
  if (errors.length) return { listing: null, errors };
  const optional = (column) => values[column].trim() || null;
  const uri = metadataUri({ name, category: optional('category'), description: optional('description') });
  return { listing: { name, token, price, stock, uri }, errors };
}

/**
 * readCatalog(text, tokens) → { rows, problems }: `problems` are the file's (no header, a missing
 * column, too many rows), `rows` [{ number (1 = first product), line, values, listing, errors }].
 */
export function readCatalog(text, tokens) {
  let parsed;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) return { rows: [], problems: [error.message] };
    throw error;
  }
  const [header, ...body] = parsed.rows;
  if (!header) return { rows: [], problems: ['The file is empty.'] };
  const columns = header.map(columnOf);
  const missing = REQUIRED.filter((column) => !columns.includes(column));
  if (missing.length) {
    return { rows: [], problems: [`The header row has no ${missing.join(', ')} column (expected: ${COLUMNS.join(', ')}).`] };
  }
  const problems = [];
  if (body.length === 0) problems.push('The file has a header row but no products.');
  if (body.length > MAX_ROWS) problems.push(`The file has ${body.length} products; import at most ${MAX_ROWS} at a time.`);
  const rows = body.slice(0, MAX_ROWS).map((cells, index) => {
    const values = Object.fromEntries(COLUMNS.map((column) => [column, cells[columns.indexOf(column)] ?? '']));
    const checked = checkRow(values, tokens);
    if (cells.length > header.length) checked.errors.push(`The row has ${cells.length} fields; the header has ${header.length}.`);
    return { number: index + 1, line: parsed.lines[index + 1], values, ...checked, listing: checked.errors.length ? null : checked.listing };
  });
  return { rows, problems };
}
