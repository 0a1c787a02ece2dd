/**
 * verify.js — the explorer's "Verify": re-read one event of the index's trail from the chain,
 * through the wallet's RPC (walletRpc.js), and say whether the index agrees.
 *
 * An entry is a timeline entry of the API: { event, block, tx, logIndex, args }. Its transaction's
 * receipt is fetched (eth_getTransactionReceipt), the log found by its index in the block, checked
 * to come from one of the mall's contracts (addresses and ABIs from /api/config), decoded with that
 * contract's ABI and compared field by field. Verdicts: 'matches', 'differs' (with what differs) and
 * 'missing' (no such transaction on the chain the wallet sees: reorged away, or never there).
 *
 * `useVerifier({ config, reader })` is called once by main.js; `verifyControl(entry)` is the button
 * (and its result) timelines put next to each entry. Verdicts are kept per log, so a re-render
 * shows the last one.
 */
import { TransactionReceiptNotFoundError, decodeEventLog } from 'viem';
import { getTransactionReceipt } from 'viem/actions';
import { h, mount } from './dom.js';
import { shortHash } from './format.js';

let setup = null; // { contracts: [{ name, address, abi }], reader }
const verdicts = new Map(); // `${tx}:${logIndex}` → { verdict, message }

export function useVerifier({ config, reader }) {
  const contracts = Object.entries(config.contracts).map(([name, { address, abi }]) => ({ name, address, abi }));
  setup = { contracts, reader };
}

/** A value as comparable text: integers in decimal, hex lower-cased, structs with sorted keys. */
function plain(value) {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  if (typeof value === 'string') return /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, plain(value[key])]));
  }
  return value;
}

const text = (value) => JSON.stringify(plain(value));

/** What differs between the index's arguments and the chain's, as phrases (empty: none). */
export function compareArgs(indexed = {}, onChain = {}) {
  const keys = [...new Set([...Object.keys(indexed), ...Object.keys(onChain)])];
  return keys
    .filter((key) => text(indexed[key]) !== text(onChain[key]))
    .map((key) => `${key} is ${text(indexed[key]) ?? 'missing'} in the index but ${text(onChain[key]) ?? 'missing'} on chain`);
}

/** Re-read `entry` through `client`; resolves to { verdict, message }. */
export async function verifyEntry(client, entry, contracts) {
  let receipt;
  try {
    receipt = await getTransactionReceipt(client, { hash: entry.tx });
  } catch (error) {
    if (error instanceof TransactionReceiptNotFoundError || error?.name === 'TransactionReceiptNotFoundError') {
      return { verdict: 'missing', message: 'Not on chain (reorged?): the chain has no such transaction.' };
    }
    throw error;
  }
  const problems = [];
  if (receipt.status !== 'success') problems.push('the transaction reverted');
  if (Number(receipt.blockNumber) !== Number(entry.block)) {
    problems.push(`it was mined in block ${receipt.blockNumber}, not ${entry.block}`);
  }
  const log = receipt.logs.find((item) => Number(item.logIndex) === Number(entry.logIndex));
  if (!log) return { verdict: 'differs', message: `Differs: the transaction has no log #${entry.logIndex}.` };
  const contract = setup.contracts.find((item) => item.address.toLowerCase() === log.address.toLowerCase());
  if (!contract) {
    return { verdict: 'differs', message: `Differs: log #${entry.logIndex} comes from ${log.address}, not from a contract of the mall.` };
  }
  let decoded;
  try {
    decoded = decodeEventLog({ abi: contract.abi, data: log.data, topics: log.topics });
  } catch {
    return { verdict: 'differs', message: `Differs: log #${entry.logIndex} is not an event of ${contract.name}’s ABI.` };
  }
  if (decoded.eventName !== entry.event) {
    problems.push(`the chain says ${decoded.eventName}, the index ${entry.event}`);
  } else {
    problems.push(...compareArgs(entry.args, decoded.args));
  }
  if (problems.length) return { verdict: 'differs', message: `Differs: ${problems.join('; ')}.` };
  return {
    verdict: 'matches',
    message: `Matches the chain: ${contract.name}.${decoded.eventName} in block ${receipt.blockNumber}, log #${log.logIndex}.`,
  };
}

const keyOf = (entry) => `${entry.tx}:${entry.logIndex}`;

/** The "Verify" button of one timeline entry, with its result next to it. */
export function verifyControl(entry) {
  if (!setup || !entry?.tx) return null;
  const id = `${entry.tx}-${entry.logIndex}`;
  const result = h('span', { class: 'verify-result', role: 'status', testid: `verify-result-${id}` });
  const show = ({ verdict, message }) => {
    result.dataset.verdict = verdict;
    mount(result, message);
  };
  if (verdicts.has(keyOf(entry))) show(verdicts.get(keyOf(entry)));
  const button = h('button', {
    type: 'button', class: 'link-button verify', testid: `verify-${id}`,
    onclick: async () => {
      button.disabled = true;
      show({ verdict: 'checking', message: 'Checking with the chain…' });
      const { client, note } = setup.reader();
      let outcome;
      try {
        outcome = await verifyEntry(client, entry, setup.contracts);
      } catch (error) {
        outcome = { verdict: 'error', message: `Could not read the chain: ${error.shortMessage ?? error.message}` };
      }
      if (note) outcome = { ...outcome, message: `${outcome.message} ${note}` };
      verdicts.set(keyOf(entry), outcome);
      show(outcome);
      button.disabled = false;
    },
  }, 'Verify', h('span', { class: 'visually-hidden' }, ` ${entry.event} in transaction ${shortHash(entry.tx)}`));
  return h('span', { class: 'verify-box' }, button, ' ', result);
}
