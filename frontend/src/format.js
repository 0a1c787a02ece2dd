/**
 * format.js — turn chain values into text people read, and form input into chain values.
 */
import { formatEther, parseEther } from 'viem';

/** "0.01 ETH" from a wei amount (decimal string, number or bigint). */
export function formatEth(wei) {
  return `${formatEther(BigInt(wei))} ETH`;
}

/** "0x7099…79C8" */
export function shortAddress(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : '';
}

export function sameAddress(a, b) {
  return Boolean(a && b) && a.toLowerCase() === b.toLowerCase();
}

/** Parse a positive ETH amount typed by a person into wei, or throw a readable Error. */
export function parseEthInput(text) {
  const trimmed = String(text).trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) {
    throw new Error('Enter the price as a number of ETH, e.g. 0.01.');
  }
  const wei = parseEther(trimmed.replace(/\.$/, ''));
  if (wei <= 0n) throw new Error('The price must be above zero.');
  return wei;
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
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
