// Run functions of the browser's crypto modules under Node for the interop tests.
// Usage: node call_js.cjs BUNDLE < calls.json, where calls.json is [{"fn": name, "args": [...]}, ...]
// and BUNDLE is frontend/src/crypto bundled by esbuild (as the browser gets it, but for Node).
// Prints one JSON result per call: {"ok": value} or {"error": {"name", "message"}}; bytes as 0x-hex.
'use strict';
const fs = require('node:fs');

const crypto = require(process.argv[2]);

function plain(value) {
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const results = JSON.parse(fs.readFileSync(0, 'utf8')).map(({ fn, args }) => {
  try {
    return { ok: plain(crypto[fn](...args)) };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
});
process.stdout.write(JSON.stringify(results));
