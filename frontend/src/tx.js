/**
 * tx.js — run one wallet transaction at a time and narrate it in the aria-live status region.
 *
 * The region's `data-state` walks simulating → signing → pending → confirmed → done
 * (or → failed). "confirmed" means the receipt arrived; "done" means the mall's index has
 * caught up with that block and the views were re-rendered, so what the page shows is
 * already the new state.
 */
import { describeError } from './errors.js';
import { shortAddress } from './format.js';

const INDEX_TIMEOUT_MS = 30_000;
const INDEX_POLL_MS = 400;

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
 * createTxRunner({ status, api, abi, refresh }) → run({ label, send })
 * `send(onStep)` performs the write (see contract.js) and resolves with the receipt;
 * `refresh()` re-renders the views once the index reflects the transaction.
 * `run` resolves true when the transaction went through, false otherwise.
 */
export function createTxRunner({ status, api, abi, refresh, onBusyChange = () => {} }) {
  let busy = false;

  const narrate = (label) => ({ step, hash, receipt }) => {
    if (step === 'simulating') status.show('simulating', `${label}: checking with the contract…`);
    if (step === 'signing') status.show('signing', `${label}: confirm the transaction in your wallet…`);
    if (step === 'pending') status.show('pending', `${label}: transaction ${shortAddress(hash)} sent, waiting for it to be mined…`);
    if (step === 'confirmed') {
      status.show('confirmed', `${label}: confirmed in block ${receipt.blockNumber}. Updating the mall…`);
    }
  };

  return async function run({ label, send }) {
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
      status.show(
        'done',
        indexed
          ? `${label}: confirmed in block ${receipt.blockNumber}.`
          : `${label}: confirmed in block ${receipt.blockNumber}. The mall’s listing is still catching up; refresh in a moment.`,
      );
      return true;
    } catch (error) {
      console.error(error);
      status.show('failed', `${label} failed: ${describeError(error, abi)}`);
      return false;
    } finally {
      busy = false;
      onBusyChange(false);
    }
  };
}
