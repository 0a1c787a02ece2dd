/**
 * contract.js — writing to the Marketplace (and to payment tokens) through the connected wallet.
 *
 * Addresses and ABIs come from /api/config (the deployment record), never from this file.
 * Every write is: simulate over HTTP (so a revert is explained before the wallet opens) → ask
 * the wallet to send it → wait for the receipt, with `onStep` told about each step.
 *
 * The transaction goes to the wallet as a plain `eth_sendTransaction` {from, to, data, value}:
 * wallets fill in nonce, gas and fees themselves, and viem's sendTransaction would add its
 * own gas estimation and EIP-7702 signature recovery (most of secp256k1) to the bundle.
 */
import { createClient, custom, encodeFunctionData, numberToHex } from 'viem';
import { signTypedData, simulateContract } from 'viem/actions';
import { readChainId } from './wallet.js';

export class TransactionRevertedError extends Error {
  constructor(receipt) {
    super(`The transaction was reverted on chain (block ${receipt.blockNumber}).`);
    this.name = 'TransactionRevertedError';
    this.receipt = receipt;
  }
}

export class WrongChainError extends Error {
  constructor(chainName) {
    super(`Your wallet switched away from ${chainName}; switch back and try again.`);
    this.name = 'WrongChainError';
  }
}

/** { v, r, s } of a 65-byte signature (r ‖ s ‖ v; v 0/1 is normalised to 27/28). */
export function splitSignature(signature) {
  const v = Number.parseInt(signature.slice(130, 132), 16);
  return { r: `0x${signature.slice(2, 66)}`, s: `0x${signature.slice(66, 130)}`, v: v < 27 ? v + 27 : v };
}

/**
 * @param config      the /api/config document
 * @param chainReader chain.js reader (simulations, receipts)
 * @param provider    the wallet's EIP-1193 provider
 * @param account     the connected account's address
 */
export function createMall({ config, chainReader, provider, account }) {
  const walletClient = createClient({ account, chain: chainReader.chain, transport: custom(provider) });
  const marketplace = config.contracts.Marketplace;

  /**
   * Simulate, send and wait for one call. `step` (optional) says which step of a longer flow
   * this is, e.g. "step 1 of 2: approve"; it is passed back to `onStep`. `blockTag: 'pending'`
   * simulates in the next block (a call that must come after the latest block, e.g. a draw).
   */
  async function send({ address, abi, functionName, args = [], value = 0n, blockTag }, onStep = () => {}, step = null) {
    onStep({ step: 'simulating', part: step });
    await simulateContract(chainReader.client, { address, abi, functionName, args, value, account, blockTag });
    // The wallet may have been switched to another network since the page last looked.
    if ((await readChainId(provider)) !== config.chainId) throw new WrongChainError(config.chainName);
    onStep({ step: 'signing', part: step });
    const hash = await walletClient.request({
      method: 'eth_sendTransaction',
      params: [{ from: account, to: address, data: encodeFunctionData({ abi, functionName, args }), value: numberToHex(value) }],
    });
    onStep({ step: 'pending', hash, part: step });
    const receipt = await chainReader.waitForReceipt(hash);
    if (receipt.status !== 'success') throw new TransactionRevertedError(receipt);
    onStep({ step: 'confirmed', hash, receipt, part: step });
    return receipt;
  }

  const market = (functionName, args, extra = {}) => ({ address: marketplace.address, abi: marketplace.abi, functionName, args, ...extra });
  const lineCall = (functionName) => (lineId, onStep) => send(market(functionName, [BigInt(lineId)]), onStep);

  return {
    account,
    send,
    market,

    /** An EIP-712 signature from the wallet (eth_signTypedData_v4). */
    signTypedData: (typedData) => signTypedData(walletClient, { account, ...typedData }),

    listProduct: (token, price, stock, uri, onStep) => send(market('listProduct', [token, price, stock, uri]), onStep),

    // seller
    acceptLine: lineCall('acceptLine'),
    rejectLine: lineCall('rejectLine'),
    shipLine: (lineId, carrier, trackingRef, onStep) => send(market('shipLine', [BigInt(lineId), carrier, trackingRef]), onStep),
    offerRefund: (lineId, amount, onStep) => send(market('offerRefund', [BigInt(lineId), BigInt(amount)]), onStep),

    // buyer
    cancelLine: lineCall('cancelLine'),
    confirmDelivery: lineCall('confirmDelivery'),
    acceptRefund: (lineId, amount, onStep) => send(market('acceptRefund', [BigInt(lineId), BigInt(amount)]), onStep),

    // anyone
    completeLine: lineCall('completeLine'),
    expireLine: lineCall('expireLine'),
    withdraw: (token, onStep) => send(market('withdraw', [token]), onStep),
  };
}
