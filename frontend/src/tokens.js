/**
 * tokens.js — what the mall can be paid in: ETH and the ERC-20 tokens of the deployment.
 *
 * Two sources, merged by address: /api/config `tokens` (the deployment record: name, decimals,
 * permit support, ABI) and /api/platform `tokens` (the marketplace's registry now: allowed or
 * not). A token here is { address, symbol, decimals, name, permit, abi, allowed, isEth }.
 */
import { getAddress } from 'viem';

export const ETH_ADDRESS = '0x0000000000000000000000000000000000000000';

const ETH = Object.freeze({
  address: ETH_ADDRESS, symbol: 'ETH', decimals: 18, name: 'Ether', permit: false, abi: null, allowed: true, isEth: true,
});

const key = (address) => String(address).toLowerCase();

export function isEth(address) {
  return key(address) === ETH_ADDRESS;
}

export function createTokenRegistry(config) {
  const byAddress = new Map([[ETH_ADDRESS, ETH]]);
  for (const token of Object.values(config.tokens ?? {})) {
    byAddress.set(key(token.address), { ...token, address: getAddress(token.address), allowed: false, isEth: false });
  }

  /** Merge the marketplace's registry (/api/platform `tokens`) in. */
  function update(platformTokens = []) {
    for (const entry of platformTokens) {
      if (isEth(entry.address)) continue;
      const known = byAddress.get(key(entry.address));
      byAddress.set(key(entry.address), {
        permit: false, abi: null, name: entry.symbol, isEth: false, ...known,
        address: getAddress(entry.address), symbol: entry.symbol, decimals: entry.decimals, allowed: entry.allowed,
      });
    }
  }

  /** The token at `address`, or a placeholder that still formats amounts legibly. */
  function get(address, { symbol, decimals } = {}) {
    const known = byAddress.get(key(address));
    if (known) return known;
    return { address, symbol: symbol ?? `tokens of ${address.slice(0, 8)}…`, decimals: decimals ?? 0, permit: false, abi: null, allowed: false, isEth: false };
  }

  return {
    update,
    get,
    /** The token a product, line, order or balance from the API is priced in. */
    of: (item) => get(item.token, { symbol: item.tokenSymbol ?? item.symbol, decimals: item.tokenDecimals ?? item.decimals }),
    /** Tokens new listings may use, ETH first. */
    allowed: () => [...byAddress.values()].filter((token) => token.allowed),
    /** Every ABI a revert may come from: the marketplace's, the other contracts' errors and each token's. */
    errorAbi: () => [
      ...config.contracts.Marketplace.abi,
      ...Object.entries(config.contracts).filter(([name]) => name !== 'Marketplace')
        .flatMap(([, contract]) => contract.abi.filter((item) => item.type === 'error')),
      ...[...byAddress.values()].flatMap((token) => (token.abi ?? []).filter((item) => item.type === 'error')),
    ],
  };
}
