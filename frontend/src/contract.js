/**
 * contract.js — the Marketplace contract through viem.
 *
 * Address and ABI come from /api/config (the deployment record), never from this file.
 * Reads and simulations go over HTTP to config.rpcUrl; writes go through the connected
 * wallet, which signs. Every write is: simulate → ask the wallet → wait for the receipt,
 * with `onStep` told about each step so the page can show it.
 * Clients are bare `createClient`s used with tree-shakable actions from viem/actions (viem's
 * advice for small bundles) rather than createPublicClient/createWalletClient.
 */
import { createClient, custom, defineChain, http } from 'viem';
import { simulateContract, waitForTransactionReceipt, writeContract } from 'viem/actions';

export class TransactionRevertedError extends Error {
  constructor(receipt) {
    super(`The transaction was reverted on chain (block ${receipt.blockNumber}).`);
    this.name = 'TransactionRevertedError';
    this.receipt = receipt;
  }
}

export function mallChain(config) {
  return defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

/**
 * @param config  the /api/config document
 * @param provider the wallet's EIP-1193 provider
 * @param account  the connected account's address
 */
export function createMarketplace({ config, provider, account }) {
  const chain = mallChain(config);
  const { address, abi } = config.contracts.Marketplace;
  const publicClient = createClient({ chain, transport: http(config.rpcUrl), pollingInterval: 500 });
  const walletClient = createClient({ account, chain, transport: custom(provider) });

  async function send(functionName, args, { value, onStep = () => {} } = {}) {
    onStep({ step: 'simulating' });
    const { request } = await simulateContract(publicClient, { address, abi, functionName, args, value, account });
    onStep({ step: 'signing' });
    const hash = await writeContract(walletClient, request);
    onStep({ step: 'pending', hash });
    const receipt = await waitForTransactionReceipt(publicClient, { hash });
    if (receipt.status !== 'success') throw new TransactionRevertedError(receipt);
    onStep({ step: 'confirmed', hash, receipt });
    return receipt;
  }

  return {
    account,
    abi,
    /** Pay price × quantity into escrow. `price` is the unit price in wei. */
    buy: (productId, quantity, price, onStep) =>
      send('buy', [BigInt(productId), quantity], { value: BigInt(price) * BigInt(quantity), onStep }),
    confirmDelivery: (orderId, onStep) => send('confirmDelivery', [BigInt(orderId)], { onStep }),
    withdraw: (onStep) => send('withdraw', [], { onStep }),
    listProduct: (price, stock, uri, onStep) => send('listProduct', [BigInt(price), stock, uri], { onStep }),
  };
}
