/**
 * errors.js — say in words why something failed.
 *
 * Contract reverts are decoded against the ABI from /api/config (viem's
 * ContractFunctionRevertedError, or decodeErrorResult on raw revert data found anywhere in
 * the error's cause chain) and turned into a sentence per custom error. Wallet rejections,
 * missing funds and unreachable servers get their own sentences. Hex blobs never reach
 * the page.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  decodeErrorResult,
} from 'viem';
import { formatEth, shortAddress } from './format.js';

const ORDER_STATUS = ['unknown', 'paid', 'completed']; // IMarketplace.OrderStatus, in order

const SENTENCES = {
  MarketZeroPrice: () => 'The price must be above zero.',
  MarketZeroQuantity: () => 'The quantity (and a new listing’s stock) must be at least 1.',
  MarketUnknownProduct: ({ productId }) => `Product #${productId} does not exist.`,
  MarketSellerCannotBuy: ({ productId }) => `You are the seller of product #${productId}; you can’t buy your own listing.`,
  MarketInsufficientStock: ({ productId, available, requested }) =>
    available === 0n
      ? `Product #${productId} is out of stock.`
      : `Only ${available} left in stock (you asked for ${requested}).`,
  MarketWrongPayment: ({ expected, sent }) => `Wrong payment: expected ${formatEth(expected)}, sent ${formatEth(sent)}.`,
  MarketUnknownOrder: ({ orderId }) => `Order #${orderId} does not exist.`,
  MarketNotBuyer: ({ orderId, caller }) => `Only the buyer of order #${orderId} can do this, and ${shortAddress(caller)} is not.`,
  MarketInvalidOrderStatus: ({ orderId, status }) =>
    `Order #${orderId} is ${ORDER_STATUS[Number(status)] ?? 'in another state'}, so this can’t be done now.`,
  MarketNothingToWithdraw: () => 'There is nothing to withdraw yet.',
  MarketTransferFailed: ({ to, amount }) => `Sending ${formatEth(amount)} to ${shortAddress(to)} failed; the credit is kept.`,
  MarketUnexpectedPayment: ({ amount }) => `The marketplace only accepts ETH through a purchase (${formatEth(amount)} was sent).`,
  AccessControlUnauthorizedAccount: ({ account }) => `${shortAddress(account)} is not allowed to do this.`,
  ReentrancyGuardReentrantCall: () => 'The marketplace refused a re-entrant call.',
  Error: ({ 0: reason }) => `The contract refused: ${reason}.`,
  Panic: () => 'The contract hit an internal error (panic).',
};

/** Name the arguments of a decoded error: { productId: 1n, available: 2n, ... } (also by index). */
function namedArgs(abiItem, args = []) {
  const named = { ...args };
  (abiItem?.inputs ?? []).forEach((input, index) => {
    if (input.name) named[input.name] = args[index];
  });
  return named;
}

function* causes(error) {
  for (let current = error, depth = 0; current && depth < 20; current = current.cause, depth += 1) {
    yield current;
  }
}

function findRevertData(error) {
  for (const err of causes(error)) {
    for (const candidate of [err.raw, err.data, err.data?.data, err.error?.data]) {
      if (typeof candidate === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(candidate)) return candidate;
    }
  }
  return null;
}

/** { errorName, args, abiItem } for a contract revert, or null if `error` is not one we can decode. */
export function decodeRevert(error, abi) {
  if (error instanceof BaseError) {
    const reverted = error.walk((err) => err instanceof ContractFunctionRevertedError);
    if (reverted?.data?.errorName) return reverted.data;
  }
  const data = findRevertData(error);
  if (!data) return null;
  try {
    return decodeErrorResult({ abi, data });
  } catch {
    return null;
  }
}

function isUserRejection(error) {
  return [...causes(error)].some((err) => err instanceof UserRejectedRequestError || err.code === 4001);
}

function isRevertWithoutReason(error) {
  return error instanceof BaseError && Boolean(error.walk((err) => err instanceof ContractFunctionRevertedError));
}

function withoutHex(text) {
  return String(text).split('\n')[0].replace(/0x[0-9a-fA-F]{16,}/g, '…');
}

/** One readable sentence explaining `error`. `abi` is the Marketplace ABI from /api/config. */
export function describeError(error, abi = []) {
  if (isUserRejection(error)) return 'You rejected the request in your wallet.';
  const revert = decodeRevert(error, abi);
  if (revert) {
    const sentence = SENTENCES[revert.errorName];
    return sentence ? sentence(namedArgs(revert.abiItem, revert.args)) : `The contract refused: ${revert.errorName}.`;
  }
  if (isRevertWithoutReason(error)) return 'The contract refused the transaction with an error this page does not recognise.';
  if (error instanceof BaseError && error.walk((err) => err instanceof InsufficientFundsError)) {
    return 'Your account doesn’t hold enough ETH for this (price plus gas).';
  }
  if (error?.name === 'HttpRequestError' || (error instanceof BaseError && error.walk((e) => e.name === 'HttpRequestError'))) {
    return 'The blockchain node could not be reached. Is the network up?';
  }
  return withoutHex(error?.shortMessage ?? error?.message ?? 'Something went wrong.');
}
