/**
 * tx.js — run one wallet interaction at a time and narrate it in the aria-live status region.
 *
 * The region's `data-state` walks simulating → signing → pending → confirmed → done
 * (or → failed); a flow of several steps (sign a permit, approve then pay) walks it once per
 * step, each message naming its step. "confirmed" means the receipt arrived; "done" means the
 * mall's index has caught up with that block and the views were re-rendered, so what the page
 * shows is already the new state.
 */
import { describeError, isContractRevert } from './errors.js';
import { shortHash } from './format.js';

const INDEX_TIMEOUT_MS = 30_000;
const INDEX_POLL_MS = 300;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll /api/health until the indexer has ingested `blockNumber`. Returns false on timeout. */
export async function waitForIndexedBlock(api, blockNumber, { timeoutMs = INDEX_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await api.health().catch(() => null);
    if (health && BigInt(health.indexedBlock ?? -1) >= BigInt(blockNumber)) return true;
    await sleep(INDEX_POLL_MS);
  }
  return false;
}

export function createTxStatus(el) {
  function show(state, message) {
    el.dataset.state = state;
    el.textContent = message;
  }
  show('idle', '');
  return { show };
}

/**
 * createTxRunner({ status, api, tokens, chainReader, refresh }) → run({ label, send, context, describe })
 * - `send(onStep)` performs the interaction (see contract.js, checkout.js) and resolves with
 *   the receipt of its last transaction;
 * - `context` helps explain a failure in words (errors.js: the transaction's `token`,
 *   `productName(id)`);
 * - `describe(receipt)` may add what happened ("order #3 placed") to the final message;
 * - `refresh()` re-renders the views once the index reflects the transaction — and after a
 *   revert, since the page probably showed something stale (a price, a status).
 * `run` resolves true when the transaction went through, false otherwise.
 */
export function createTxRunner({ status, api, tokens, chainReader, refresh, onBusyChange = () => {} }) {
  let busy = false;

  const narrate = (label) => ({ step, part, hash, receipt, amount }) => {
    const what = part ? `${label} (${part})` : label;
    if (step === 'simulating') status.show('simulating', `${what}: checking with the contract…`);
    if (step === 'permit') {
      status.show('signing', `${what}: sign the permit for the mall to take ${amount} in your wallet (a signature, not a transaction)…`);
    }
    if (step === 'signing') status.show('signing', `${what}: confirm the transaction in your wallet…`);
    if (step === 'pending') status.show('pending', `${what}: transaction ${shortHash(hash)} sent, waiting for it to be mined…`);
    if (step === 'confirmed') status.show('confirmed', `${what}: confirmed in block ${receipt.blockNumber}. Updating the mall…`);
  };

  return async function run({ label, send, context = {}, describe = () => null }) {
    if (busy) {
      status.show('failed', 'Another transaction is still in progress; wait for it to finish.');
      return false;
    }
    busy = true;
    onBusyChange(true);
    try {
      const receipt = await send(narrate(label));
      const indexed = await waitForIndexedBlock(api, receipt.blockNumber);
      await refresh();
      const outcome = describe(receipt);
      status.show(
        'done',
        `${label}: ${outcome ? `${outcome}, ` : ''}confirmed in block ${receipt.blockNumber}.${
          indexed ? '' : ' The mall’s listing is still catching up; refresh in a moment.'}`,
      );
      return true;
    } catch (error) {
      console.error(error);
      const abi = tokens.errorAbi();
      const now = await chainReader.now();
      const sentence = describeError(error, abi, { ...context, tokens, now });
      if (isContractRevert(error, abi)) await refresh().catch(() => {});
      status.show('failed', `${label} failed: ${sentence}`);
      return false;
    } finally {
      busy = false;
      onBusyChange(false);
    }
  };
}
