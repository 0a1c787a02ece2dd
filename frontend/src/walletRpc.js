/**
 * walletRpc.js — reading the chain through the connected wallet's own RPC (its EIP-1193 provider),
 * not through the mall's: what the admin page checks roles and versions with, and what the
 * explorer's "verify" compares the index against, so that neither the indexer nor the mall's RPC
 * vouches for itself.
 *
 * `createWalletReader({ getSession, chainReader, config })()` resolves to
 * { client (viem), source: 'wallet' | 'mall', note }: the wallet's client when one is connected on
 * the mall's chain, else the mall's RPC with a note saying so.
 */
import { createClient, custom } from 'viem';

export function createWalletReader({ getSession, chainReader, config }) {
  const clients = new WeakMap(); // provider → viem client

  function clientOf(provider) {
    if (!clients.has(provider)) {
      clients.set(provider, createClient({ chain: chainReader.chain, transport: custom(provider), pollingInterval: 500 }));
    }
    return clients.get(provider);
  }

  return function reader() {
    const { wallet, account, onMallChain } = getSession();
    if (wallet && account && onMallChain) return { client: clientOf(wallet.provider), source: 'wallet', note: null };
    const why = wallet && account ? `your wallet is not on ${config.chainName}` : 'no wallet is connected';
    return { client: chainReader.client, source: 'mall', note: `Read through the mall’s RPC (${why}).` };
  };
}
