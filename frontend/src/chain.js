/**
 * chain.js — reading the mall's chain directly (over HTTP to config.rpcUrl), no wallet needed:
 * the chain's clock, contract reads and receipts.
 *
 * The clock matters because deadlines are judged by block time, not by the reader's watch:
 * "now" is the later of the two, as the next block can't be older than the latest one.
 */
import { createClient, defineChain, http } from 'viem';
import { getBlock, readContract, waitForTransactionReceipt } from 'viem/actions';

export function mallChain(config) {
  return defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

export function createChainReader(config) {
  const chain = mallChain(config);
  const client = createClient({ chain, transport: http(config.rpcUrl), pollingInterval: 500 });
  const marketplace = config.contracts.Marketplace;
  let clock = null; // the block-time read in flight, if any
  const terms = new Map();

  /** Unix seconds, as the next block will see them. Views rendering together share one read. */
  function now() {
    if (!clock) {
      const wall = Math.floor(Date.now() / 1000);
      clock = getBlock(client, { blockTag: 'latest' })
        .then((block) => Math.max(wall, Number(block.timestamp)))
        .catch(() => wall)
        .finally(() => { clock = null; });
    }
    return clock;
  }

  const read = (address, abi, functionName, args = []) => readContract(client, { address, abi, functionName, args });

  /** IMarketplace.Terms version `termsId` (immutable once set, so cached). */
  function termsOf(termsId) {
    if (!terms.has(termsId)) {
      const loading = read(marketplace.address, marketplace.abi, 'getTerms', [termsId]);
      loading.catch(() => terms.delete(termsId));
      terms.set(termsId, loading);
    }
    return terms.get(termsId);
  }

  return {
    chain,
    client,
    now,
    read,
    termsOf,
    waitForReceipt: (hash) => waitForTransactionReceipt(client, { hash }),
  };
}
