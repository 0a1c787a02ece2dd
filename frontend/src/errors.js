/**
 * errors.js — say in words why something failed.
 *
 * Contract reverts are decoded against the marketplace's ABI, the errors of the mall's other
 * contracts (the resolution centre's: disputes and support) and the payment tokens' ABIs
 * (a token's own error bubbles up through checkoutWithPermit and checkout) — from viem's
 * ContractFunctionRevertedError, or from raw revert data anywhere in the error's cause chain —
 * and turned into a sentence per custom error. Amounts are written in the transaction's token
 * (`context.token`), or in the token an error names. Wallet rejections, missing funds and
 * unreachable servers get their own sentences. Hex blobs never reach the page.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  decodeErrorResult,
} from 'viem';
import { capitalize, formatAmount, formatDeadline, formatTimestamp, shortAddress } from './format.js';
import { LINE_STATUSES, lineLabel } from './lines.js';
import { CASE_STATUSES, DISPUTE_STATUSES, formatBps } from './resolution.js';
import { isEth } from './tokens.js';

/** IPointsMall.RedemptionStatus, in enum order. */
export const REDEMPTION_STATUSES = ['None', 'Placed', 'Shipped', 'Delivered', 'Cancelled', 'Rejected', 'Refunded'];

const ETH_TOKEN = { symbol: 'ETH', decimals: 18 };

/**
 * Sentences by error name. Each gets the error's named arguments and a helper bag:
 * amount(x) in the context token, amountOf(tokenAddress, x), symbol(tokenAddress),
 * product(id) (its name if the page knows it), line(id), now.
 */
const SENTENCES = {
  MarketZeroPrice: () => 'The price must be above zero.',
  MarketZeroQuantity: () => 'The quantity (and a new listing’s stock) must be at least 1.',
  MarketUnknownProduct: ({ productId }, { product }) => `${capitalize(product(productId))} does not exist.`,
  MarketNotSeller: ({ productId, caller }, { product }) =>
    `Only the seller of ${product(productId)} can change it, and ${shortAddress(caller)} is not.`,
  MarketSellerCannotBuy: ({ productId }, { product }) =>
    `You are the seller of ${product(productId)}; you can’t buy your own listing.`,
  MarketRegistryFull: ({ what }) => `The marketplace’s register of ${what} is full; it needs an upgrade before it takes more.`,
  MarketInsufficientStock: ({ productId, available, requested }, { product }) =>
    available === 0n
      ? `${capitalize(product(productId))} is out of stock.`
      : `Only ${available} left in stock of ${product(productId)} (you asked for ${requested}).`,
  MarketBadCartSize: ({ size, max }) =>
    size === 0n ? 'The cart is empty.' : `One checkout takes at most ${max} products; this cart has ${size}. Check out in parts.`,
  MarketTokenMismatch: ({ productId, productToken, orderToken }, { product, symbol }) =>
    `${capitalize(product(productId))} is priced in ${symbol(productToken)}, not ${symbol(orderToken)}; check it out separately.`,
  MarketTokenNotAllowed: ({ token }, { symbol }) =>
    isEth(token)
      ? 'ETH has no spending permit; pay with a normal checkout.'
      : `The marketplace doesn’t accept ${symbol(token)} (any more).`,
  MarketWrongPayment: ({ expected, sent }, { amount }) =>
    `A price changed: the cart now costs ${amount(expected)}, not ${amount(sent)}. The new prices are shown; check them and check out again.`,
  MarketTokenShortfall: ({ token, expected, received }, { amountOf, symbol }) =>
    `${symbol(token)} delivered only ${amountOf(token, received)} of ${amountOf(token, expected)}: tokens that keep a fee on transfer can’t be used.`,
  MarketUnexpectedEth: ({ value }) => `ETH (${formatAmount(value, ETH_TOKEN)}) was sent with a token checkout; nothing was charged.`,
  MarketUnknownLine: ({ lineId }, { line }) => `${capitalize(line(lineId))} does not exist.`,
  MarketNotBuyer: ({ lineId, caller }, { line }) => `Only the buyer of ${line(lineId)} can do this, and ${shortAddress(caller)} is not.`,
  MarketNotLineSeller: ({ lineId, caller }, { line }) =>
    `Only the seller of ${line(lineId)} can do this, and ${shortAddress(caller)} is not.`,
  MarketInvalidStatus: ({ lineId, status }, { line }) =>
    `${capitalize(line(lineId))} is ${(LINE_STATUSES[Number(status)] ?? 'in another state').toLowerCase()} now, so this can’t be done.`,
  MarketTooEarly: ({ lineId, deadline }, { line, now }) =>
    `Too early: for ${line(lineId)} this is possible only after ${formatDeadline(deadline, now)}.`,
  MarketDeadlinePassed: ({ lineId, deadline }, { line }) =>
    `Too late: the deadline for ${line(lineId)} passed on ${formatTimestamp(deadline)}; the buyer can now get a full refund.`,
  MarketRefundNotOffered: ({ lineId, amount: asked, offered }, { amount, line }) =>
    offered === 0n
      ? `The seller no longer offers a refund on ${line(lineId)}.`
      : `The seller now offers ${amount(offered)} on ${line(lineId)}, not ${amount(asked)}.`,
  MarketRefundTooLarge: ({ lineId, amount: offered, escrowed }, { amount, line }) =>
    `A refund of ${amount(offered)} is more than the ${amount(escrowed)} still in escrow for ${line(lineId)}.`,
  MarketNothingToWithdraw: ({ token }, { symbol }) => `There is no ${symbol(token)} to withdraw yet.`,
  MarketNoFees: ({ token }, { symbol }) => `No ${symbol(token)} fees are waiting to be collected.`,
  MarketTransferFailed: ({ to, amount }) =>
    `Sending ${formatAmount(amount, ETH_TOKEN)} to ${shortAddress(to)} failed; the credit is kept.`,
  MarketUnexpectedPayment: ({ amount }) =>
    `The marketplace only takes ETH through a checkout (${formatAmount(amount, ETH_TOKEN)} was sent).`,
  MarketPaused: () => 'The marketplace is paused: new listings and orders are refused for now. Orders already placed carry on.',
  MarketInvalidTerms: ({ maxFeeBps }) =>
    `Those terms are out of range: the fee can be at most ${Number(maxFeeBps) / 100}% and no window can be zero.`,
  MarketZeroAddress: () => 'The zero address can’t be used here.',

  // The resolution centre: disputes, arbitration, support
  ResolutionNotParty: ({ lineId, caller }, { line }) =>
    `Only the buyer or the seller of ${line(lineId)} can do this, and ${shortAddress(caller)} is neither.`,
  ResolutionNotSeller: ({ lineId, caller }, { line }) =>
    `Only the seller of ${line(lineId)} can let support refund it, and ${shortAddress(caller)} is not.`,
  ResolutionDisputeExists: ({ lineId, status }, { line }) =>
    `${capitalize(line(lineId))} already has a dispute (${disputeStatus(status)}); a line can be disputed only once.`,
  ResolutionInvalidStatus: ({ lineId, status }, { line }) =>
    Number(status) === 0
      ? `There is no dispute on ${line(lineId)}.`
      : `The dispute on ${line(lineId)} is ${disputeStatus(status)} now, so this can’t be done.`,
  ResolutionTooEarly: ({ lineId, allowedAfter }, { line, now }) =>
    `Too early: for ${line(lineId)} this is possible only after ${formatDeadline(allowedAfter, now)}.`,
  ResolutionDeadlinePassed: ({ lineId, deadline }, { line }) =>
    `Too late: the ruling deadline of ${line(lineId)} passed on ${formatTimestamp(deadline)}; anyone can now call the timeout.`,
  ResolutionInvalidBps: ({ bps }) => `A share must be between 0% and 100%, not ${formatBps(bps)}.`,
  ResolutionOfferMismatch: ({ lineId, buyerBps, offered }, { line }) =>
    offered === 0n
      ? `The other side no longer proposes that the buyer gets ${formatBps(buyerBps)} on ${line(lineId)}; look at the dispute again.`
      : `The other side now proposes that the buyer gets ${formatBps(offered)} on ${line(lineId)}, not ${formatBps(buyerBps)}; look at it and accept again.`,
  ResolutionNotArbiter: ({ lineId, caller }, { line }) =>
    `Only the arbiter drawn for ${line(lineId)} can rule on it, and ${shortAddress(caller)} is not.`,
  ResolutionArbiterNotDrawn: ({ lineId }, { line }) => `No arbiter has been drawn for ${line(lineId)} yet: draw one first.`,
  ResolutionNothingToDraw: ({ lineId }, { line }) => `No arbiter is waiting to be drawn for ${line(lineId)}.`,
  ResolutionDrawTooEarly: ({ lineId, drawBlock }, { line }) =>
    `The arbiter of ${line(lineId)} is drawn from the hash of block ${drawBlock}, which must be mined first: try again in a moment.`,
  ResolutionNoEligibleArbiter: ({ lineId }, { line }) =>
    `No registered arbiter can take ${line(lineId)}: none is left besides its buyer, its seller and the arbiter who missed the deadline.`,
  ResolutionUnknownArbiter: ({ account }) => `${shortAddress(account)} is not a registered arbiter.`,
  ResolutionArbiterExists: ({ account }) => `${shortAddress(account)} is already a registered arbiter.`,
  ResolutionFeeTooHigh: ({ maxFeeBps }) => `An arbiter’s fee can be at most ${formatBps(maxFeeBps)}.`,
  ResolutionInvalidWindows: () => 'The settlement and ruling windows must both be longer than zero.',
  ResolutionZeroAddress: () => 'The zero address can’t be used here.',
  ResolutionUnknownCase: ({ caseId }) => `Support case #${caseId} does not exist.`,
  ResolutionNotCaseParty: ({ caseId, caller }) =>
    `Only support staff (and, for replies and closing, the buyer who opened it) can act on support case #${caseId}; ${shortAddress(caller)} can’t.`,
  ResolutionCaseNotOpen: ({ caseId, status }) =>
    `Support case #${caseId} is ${(CASE_STATUSES[Number(status)] ?? 'no longer open').toLowerCase()} already.`,
  ResolutionRefundNotAuthorized: ({ lineId, amount: asked, authorized }, { amount, line }) => {
    if (authorized === 0n) return `The seller doesn’t let support refund any (more) of ${line(lineId)}.`;
    if (asked === 0n) return 'Enter a refund above zero.';
    return `A refund of ${amount(asked)} is more than the ${amount(authorized)} the seller lets support refund of ${line(lineId)}.`;
  },

  // Provenance, reviews, profiles and sealed shipping details
  ProvenanceUnknownProduct: ({ productId }, { product }) => `${capitalize(product(productId))} does not exist.`,
  ProvenanceNotSeller: ({ productId, caller }, { product }) =>
    `Only the seller of ${product(productId)} can manage its batches, and ${shortAddress(caller)} is not.`,
  ProvenanceUnknownBatch: ({ batchId }) => `There is no batch #${batchId}.`,
  ProvenanceNotAuthorized: ({ batchId, caller }) =>
    `${shortAddress(caller)} may not record events for batch #${batchId}: only its seller and the participants it authorised can.`,
  ProvenanceInvalidRole: () => 'A participant can be made a producer, an inspector, a warehouse or a carrier; nothing else.',
  ProvenanceIsSeller: ({ batchId }) => `You are the seller of batch #${batchId}: your own role can be neither granted nor revoked.`,
  ProvenanceNotParticipant: ({ batchId, participant }) => `${shortAddress(participant)} takes no part in batch #${batchId}.`,
  ProvenanceZeroAddress: () => 'The zero address can’t take part in a batch.',
  ProvenanceNotLineSeller: ({ lineId, caller }, { line }) =>
    `Only the seller of ${line(lineId)} can link it to a batch, and ${shortAddress(caller)} is not.`,
  ProvenanceLineNotShipped: ({ lineId, status }, { line }) =>
    `${capitalize(line(lineId))} is ${(LINE_STATUSES[Number(status)] ?? 'not shipped').toLowerCase()}: only a shipped line can be linked to its batch.`,
  ProvenanceProductMismatch: ({ lineId, batchId }, { line }) =>
    `Batch #${batchId} is of another product than ${line(lineId)}: link the line to a batch of its own product.`,
  ProvenanceLineAlreadyLinked: ({ lineId, batchId }, { line }) =>
    `${capitalize(line(lineId))} is already linked to batch #${batchId}; a link is never changed.`,
  ProvenanceLineNotLinked: ({ lineId }, { line }) => `${capitalize(line(lineId))} is not linked to a batch yet: link it first.`,
  ProvenanceMissingBizStep: () => 'Every event needs a business step (e.g. shipping).',
  ProvenanceInvalidEventTime: ({ eventTime }) =>
    Number(eventTime) === 0 ? 'Say when it happened.' : `When it happened (${formatTimestamp(eventTime)}) can’t be in the future.`,
  ReviewsInvalidRating: ({ rating }) => `A rating is from 1 to 5 stars, not ${rating}.`,
  ReviewsNotBuyer: ({ lineId, caller }, { line }) => `Only the buyer of ${line(lineId)} can review it, and ${shortAddress(caller)} is not.`,
  ReviewsLineNotCompleted: ({ lineId, status }, { line }) =>
    `${capitalize(line(lineId))} is ${(LINE_STATUSES[Number(status)] ?? 'not completed').toLowerCase()}: only completed lines can be reviewed.`,
  ReviewsAlreadyReviewed: ({ lineId }, { line }) => `You already reviewed ${line(lineId)}; amend your review instead.`,
  ReviewsNoReview: ({ lineId }, { line }) => `${capitalize(line(lineId))} has no review yet.`,
  ReviewsNotAuthor: ({ lineId, caller }, { line }) =>
    `Only the author of the review of ${line(lineId)} can amend it, and ${shortAddress(caller)} is not.`,
  ReviewsNotSeller: ({ lineId, caller }, { line }) =>
    `Only the seller of ${line(lineId)} can reply to its review, and ${shortAddress(caller)} is not.`,
  ReviewsAlreadyReplied: ({ lineId }, { line }) => `You already replied to the review of ${line(lineId)}; a reply is given once.`,
  ProfilesInvalidEncryptionKey: () => 'An encryption key is exactly 32 bytes and not all zero: create it on your profile page.',
  ProfilesFieldTooLong: ({ field, length, max }) =>
    `The ${field === 'displayName' ? 'display name' : 'avatar URI'} is ${length} bytes long; at most ${max} are allowed.`,
  ProfilesNotBuyer: ({ lineId, caller }, { line }) =>
    `Only the buyer of ${line(lineId)} can send its shipping address, and ${shortAddress(caller)} is not.`,
  ProfilesNoEncryptionKey: ({ recipient }) =>
    `${shortAddress(recipient)} has published no encryption key, so no address can be sealed to them.`,
  ProfilesInvalidCiphertextLength: ({ length, max }) =>
    Number(length) > Number(max)
      ? `The sealed address is ${length} bytes; at most ${max} fit: shorten the address.`
      : 'The sealed address is empty: enter an address.',
  ModuleZeroAddress: () => 'The zero address can’t be used here.',

  // Loyalty points and the points mall
  PointsAlreadyCheckedIn: () => 'You already checked in today; come back after midnight (UTC).',
  PointsCheckInOff: () => 'Daily check-in earns no points at the moment.',
  PointsLineNotCompleted: ({ lineId, status }, { line }) =>
    `${capitalize(line(lineId))} is ${(LINE_STATUSES[Number(status)] ?? 'not completed').toLowerCase()}: only completed lines earn points.`,
  PointsUnknownLine: ({ lineId }, { line }) => `${capitalize(line(lineId))} does not exist.`,
  PointsAlreadyClaimed: ({ lineId }, { line }) => `The points of ${line(lineId)} were already collected.`,
  PointsBonusAlreadyClaimed: ({ lineId }, { line }) => `The review bonus of ${line(lineId)} was already collected.`,
  PointsNothingEarned: ({ lineId }, { line }) => `${capitalize(line(lineId))} earned no points (no rate was set for its currency).`,
  PointsEarnedExpired: ({ lineId, expiredAt }, { line }) =>
    `The points of ${line(lineId)} expired on ${formatTimestamp(expiredAt)} before they were collected.`,
  PointsReviewsNotSet: () => 'Review bonuses are not paid at the moment.',
  PointsNoReview: ({ lineId }, { line }) => `${capitalize(line(lineId))} has no review yet: review it first.`,
  PointsReviewerNotBuyer: ({ lineId }, { line }) => `Only a review by the buyer of ${line(lineId)} earns a bonus.`,
  PointsTransfersDisabled: () => 'Points can’t be sent to other people at the moment.',
  PointsInvalidValidity: ({ min, max }) => `Points must stay valid between ${Number(min) / 86_400} and ${Number(max) / 86_400} days.`,
  PointsInvalidCampaign: () => 'A campaign must end after it starts, with a multiplier from 1× up to the maximum.',
  PointsRateTooHigh: ({ rate, max }) => `A rate of ${rate} is above the maximum of ${max}.`,
  PointsZeroAmount: () => 'The amount of points must be above zero.',
  PointsReceiptExists: ({ ref }) => `Redemption #${ref} already took its points.`,
  PointsUnknownReceipt: ({ ref }) => `Redemption #${ref} has no points to give back.`,
  PointsZeroAddress: () => 'The zero address can’t be used here.',
  PointsMallZeroPrice: () => 'An item’s price in points must be above zero.',
  PointsMallZeroQuantity: () => 'Redeem at least 1.',
  PointsMallUnknownListing: ({ listingId }) => `Points-mall item #${listingId} does not exist.`,
  PointsMallInsufficientStock: ({ listingId, available, requested }) =>
    available === 0n
      ? `Points-mall item #${listingId} is out of stock.`
      : `Only ${available} left of points-mall item #${listingId} (you asked for ${requested}).`,
  PointsMallWrongPrice: ({ expected, offered }) =>
    `The price changed: this costs ${expected} points now, not ${offered}. Check the new price and redeem again.`,
  PointsMallUnknownRedemption: ({ redemptionId }) => `Redemption #${redemptionId} does not exist.`,
  PointsMallNotBuyer: ({ redemptionId, caller }) =>
    `Only the person who redeemed #${redemptionId} can do this, and ${shortAddress(caller)} did not.`,
  PointsMallInvalidStatus: ({ redemptionId, status }) =>
    `Redemption #${redemptionId} is ${(REDEMPTION_STATUSES[Number(status)] ?? 'in another state').toLowerCase()}: that is no longer possible.`,
  PointsMallTooEarly: ({ redemptionId, deadline }, { now }) =>
    `Redemption #${redemptionId} can be confirmed by others only from ${formatDeadline(deadline, now)}.`,
  PointsMallInvalidWindow: () => 'The delivery window must be longer than zero.',
  PointsMallZeroAddress: () => 'The zero address can’t be used here.',

  // Payment tokens (OpenZeppelin ERC-20 / ERC-2612)
  ERC20InsufficientAllowance: ({ allowance, needed }, { amount }) =>
    `The mall may take only ${amount(allowance)} from your account and needs ${amount(needed)}; allow it first.`,
  ERC20InsufficientBalance: ({ balance, needed }, { amount }) =>
    `Your account holds ${amount(balance)}, but ${amount(needed)} is needed.`,
  ERC2612ExpiredSignature: ({ deadline }) =>
    `The spending permit expired on ${formatTimestamp(deadline)}; check out again to sign a new one.`,
  ERC2612InvalidSigner: ({ signer, owner }) =>
    `The spending permit was signed by ${shortAddress(signer)}, not by ${shortAddress(owner)}; check out again to sign a new one.`,
  SafeERC20FailedOperation: ({ token }, { symbol }) => `The ${symbol(token)} token refused the transfer.`,

  AccessControlUnauthorizedAccount: ({ account }) => `${shortAddress(account)} is not allowed to do this.`,
  ReentrancyGuardReentrantCall: () => 'The marketplace refused a re-entrant call.',
  Error: ({ 0: reason }) => `The contract refused: ${reason}.`,
  Panic: () => 'The contract hit an internal error (panic).',
};

function disputeStatus(status) {
  return (DISPUTE_STATUSES[Number(status)] ?? 'in another state').toLowerCase();
}

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
  // Raw data first: viem decodes only against the ABI of the function it called, and a
  // token's error (bubbling up through the marketplace) is in another ABI.
  const data = findRevertData(error);
  if (data) {
    try {
      return decodeErrorResult({ abi, data });
    } catch {
      // not one of ours; viem may still have decoded it (Error(string), Panic)
    }
  }
  if (error instanceof BaseError) {
    const reverted = error.walk((err) => err instanceof ContractFunctionRevertedError);
    if (reverted?.data?.errorName) return reverted.data;
  }
  return null;
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

/**
 * The helpers a sentence uses to write amounts, tokens, products and lines.
 * @param context { tokens (tokens.js registry), token (the transaction's token),
 *                  productName(id) → string|undefined, now (unix seconds) }
 */
function helpers({ tokens, token, productName = () => undefined, now = Math.floor(Date.now() / 1000) } = {}) {
  const tokenAt = (address) => tokens?.get(address) ?? (isEth(address) ? ETH_TOKEN : { symbol: shortAddress(address), decimals: 0 });
  return {
    amount: (value) => formatAmount(value, token ?? { symbol: 'units', decimals: 0 }),
    amountOf: (address, value) => formatAmount(value, tokenAt(address)),
    symbol: (address) => tokenAt(address).symbol,
    product: (id) => {
      const name = productName(id);
      return name ? `“${name}”` : `product #${id}`;
    },
    line: (id) => lineLabel(id),
    now,
  };
}

/** True when `error` is a revert of a contract call (the page's data may be stale). */
export function isContractRevert(error, abi) {
  return Boolean(decodeRevert(error, abi)) || isRevertWithoutReason(error);
}

/**
 * One readable sentence explaining `error`.
 * @param abi     every ABI a revert may come from (tokens.js errorAbi())
 * @param context see helpers()
 */
export function describeError(error, abi = [], context = {}) {
  if (isUserRejection(error)) return 'You rejected the request in your wallet.';
  const revert = decodeRevert(error, abi);
  if (revert) {
    const sentence = SENTENCES[revert.errorName];
    return sentence
      ? sentence(namedArgs(revert.abiItem, revert.args), helpers(context))
      : `The contract refused: ${revert.errorName}.`;
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
