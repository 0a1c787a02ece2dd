/**
 * format.js — turn chain values into text people read, and form input into chain values.
 *
 * Amounts are bigints (or decimal strings) in a token's smallest unit; a token is anything
 * with `symbol` and `decimals` (see tokens.js). Times are unix seconds.
 */
import { formatUnits, parseUnits } from 'viem';

const MIN_FRACTION_DIGITS = 2;

/** "25.00 mUSD", "0.01 ETH", "1,250.50 mUSD": every significant digit, at least two decimals. */
export function formatAmount(amount, token) {
  const decimals = token?.decimals ?? 0;
  const text = formatUnits(BigInt(amount ?? 0), decimals);
  const [whole, fraction = ''] = text.split('.');
  const digits = decimals === 0 ? '' : fraction.padEnd(Math.min(MIN_FRACTION_DIGITS, decimals), '0');
  const grouped = BigInt(whole).toLocaleString('en-US');
  return `${grouped}${digits ? `.${digits}` : ''} ${token?.symbol ?? 'units'}`;
}

/** "Text" from "text". */
export function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "0x7099…79C8" */
export function shortAddress(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : '';
}

/** "0x5c50…9e1a" for a transaction hash. */
export const shortHash = shortAddress;

export function sameAddress(a, b) {
  return Boolean(a && b) && a.toLowerCase() === b.toLowerCase();
}

/**
 * Parse an amount typed by a person ("25", "0.01", "1,000.5") into the token's smallest unit,
 * or throw a readable Error. `allowZero` for inputs where 0 means "none".
 */
export function parseAmountInput(text, token, { what = 'amount', allowZero = false } = {}) {
  const trimmed = String(text).trim().replace(/,/g, '');
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) {
    throw new Error(`Enter the ${what} as a number of ${token.symbol}, e.g. ${token.decimals > 6 ? '0.01' : '25'}.`);
  }
  const [, fraction = ''] = trimmed.split('.');
  if (fraction.length > token.decimals) {
    throw new Error(`${token.symbol} has at most ${token.decimals} decimal places.`);
  }
  const units = parseUnits(trimmed.replace(/\.$/, ''), token.decimals);
  if (units === 0n && !allowZero) throw new Error(`The ${what} must be above zero.`);
  return units;
}

/** Parse a whole number in [min, max] typed by a person, or throw a readable Error. */
export function parseWholeNumber(text, { min = 1, max = 2 ** 32 - 1, what = 'quantity' } = {}) {
  const trimmed = String(text).trim();
  if (!/^\d+$/.test(trimmed)) throw new Error(`Enter the ${what} as a whole number.`);
  const value = Number(trimmed);
  if (value < min) throw new Error(`The ${what} must be at least ${min}.`);
  if (value > max) throw new Error(`The ${what} can be at most ${max}.`);
  return value;
}

/** A product's metadata as a self-contained data: URI (base64 JSON, UTF-8). */
export function metadataUri({ name, category, description }) {
  const json = JSON.stringify({ name, category, description });
  const bytes = new TextEncoder().encode(json);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:application/json;base64,${btoa(binary)}`;
}

/** "21 Nov 2026, 23:10" from unix seconds, in the reader's locale. */
export function formatTimestamp(seconds) {
  if (!seconds) return '';
  return new Date(Number(seconds) * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** An ISO date for <time datetime="…">. */
export function isoTimestamp(seconds) {
  return new Date(Number(seconds) * 1000).toISOString();
}

const UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "in 3 days", "2 hours ago", "now": `seconds` relative to `now` (both unix seconds). */
export function formatRelative(seconds, now) {
  const delta = Number(seconds) - Number(now);
  const size = Math.abs(delta);
  const words = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, length] of UNITS) {
    if (size >= length) return words.format(Math.round(delta / length), unit);
  }
  return delta >= 0 ? 'in under a minute' : 'just now';
}

/** "21 Nov 2026, 23:10 (in 3 days)" */
export function formatDeadline(seconds, now) {
  return `${formatTimestamp(seconds)} (${formatRelative(seconds, now)})`;
}
