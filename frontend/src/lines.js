/**
 * lines.js — the order-line state machine as the page needs it: names, deadlines in words,
 * and which actions a line's state allows to its buyer and to its seller right now.
 *
 * It mirrors IMarketplace (LineStatus, the accept/ship/delivery/inspection windows); the
 * contract stays the judge — a button shown here is still simulated before the wallet opens.
 */
import { formatDeadline, formatTimestamp } from './format.js';

/** IMarketplace.LineStatus, in enum order. */
export const LINE_STATUSES = [
  'None', 'Paid', 'Accepted', 'Shipped', 'Delivered', 'Completed', 'Cancelled', 'Rejected', 'Expired', 'Refunded',
  'Disputed', 'Resolved',
];

const IN_PROGRESS = new Set(['Accepted', 'Shipped', 'Delivered']);

export const orderIdOf = (lineId) => BigInt(lineId) >> 8n;
export const lineIndexOf = (lineId) => Number(BigInt(lineId) & 0xffn);

/** "line 2 of order #12" (line ids are (orderId << 8) | index). */
export function lineLabel(lineId) {
  return `line ${lineIndexOf(lineId) + 1} of order #${orderIdOf(lineId)}`;
}

export const isInProgress = (line) => IN_PROGRESS.has(line.status);
export const deadlinePassed = (line, now) => line.deadline != null && now > line.deadline;

/** The seller missed the accept or ship deadline: anyone may expire the line (full refund). */
export const sellerMissedDeadline = (line, now) =>
  (line.status === 'Paid' || line.status === 'Accepted') && deadlinePassed(line, now);

/**
 * When anyone (the seller included) may complete the line, or null if it can't be completed:
 * after the inspection window of a delivered line, or after delivery + inspection windows of
 * a shipped one. `terms` is the line's IMarketplace.Terms (chain.js termsOf(line.termsId)).
 */
export function completableAt(line, terms) {
  if (line.status === 'Delivered') return line.deadline;
  if (line.status === 'Shipped' && line.deadline != null && terms) return line.deadline + Number(terms.inspectionWindow);
  return null;
}

/**
 * Until when either party may raise a dispute (the Marketplace's holdLine), or null: while the
 * seller must still ship, or until anyone may complete the line once shipped or delivered.
 */
export function disputableUntil(line) {
  if (line.status === 'Accepted') return line.deadline;
  if (line.status === 'Shipped' || line.status === 'Delivered') return line.completableAt;
  return null;
}

/** What the buyer may do now, in display order. */
export function buyerActions(line, now) {
  const actions = [];
  if (line.status === 'Shipped') actions.push('confirm');
  if (line.status === 'Shipped' || line.status === 'Delivered') actions.push('complete');
  if (isInProgress(line) && BigInt(line.refundOffer ?? 0) > 0n) actions.push('acceptRefund');
  if (sellerMissedDeadline(line, now)) actions.push('expire');
  if (line.status === 'Paid') actions.push('cancel');
  return actions;
}

/** What the seller may do now, in display order. */
export function sellerActions(line, now, completeFrom) {
  const actions = [];
  if (line.status === 'Paid' && !deadlinePassed(line, now)) actions.push('accept');
  if (line.status === 'Paid') actions.push('reject');
  if (line.status === 'Accepted' && !deadlinePassed(line, now)) actions.push('ship');
  if (isInProgress(line)) actions.push('offerRefund');
  if (completeFrom != null && now > completeFrom) actions.push('complete');
  return actions;
}

const BUYER_DEADLINES = {
  accept: [(d) => `Seller must accept by ${d}.`, (d) => `The seller didn’t accept in time (by ${d}): you can get a full refund.`],
  ship: [(d) => `Seller must ship by ${d}.`, (d) => `The seller didn’t ship in time (by ${d}): you can get a full refund.`],
  delivery: [
    (d) => `Confirm delivery when it arrives; otherwise it counts as delivered on ${d}.`,
    (d) => `Counts as delivered since ${d}.`,
  ],
  inspection: [
    (d) => `Inspection period: the seller can be paid from ${d}, or as soon as you release the payment.`,
    (d) => `The inspection period ended on ${d}; the seller can be paid now.`,
  ],
};

const SELLER_DEADLINES = {
  accept: [(d) => `Accept or reject by ${d}.`, (d) => `The accept deadline passed (${d}); the buyer can get a full refund.`],
  ship: [(d) => `Ship by ${d}.`, (d) => `The ship deadline passed (${d}); the buyer can get a full refund.`],
  delivery: [
    (d) => `Awaiting the buyer’s confirmation; counts as delivered on ${d}.`,
    (d) => `Counts as delivered since ${d}.`,
  ],
  inspection: [
    (d) => `The buyer may inspect it until ${d}; then you can complete it and be paid.`,
    (d) => `The inspection period ended on ${d}.`,
  ],
};

/** The line's running deadline in words for `role` ('buyer' | 'seller'), or null. */
export function deadlineSentence(line, now, role) {
  if (!line.deadline || !line.deadlineKind) return null;
  const sentences = (role === 'seller' ? SELLER_DEADLINES : BUYER_DEADLINES)[line.deadlineKind];
  if (!sentences) return null;
  const passed = deadlinePassed(line, now);
  return sentences[passed ? 1 : 0](passed ? formatTimestamp(line.deadline) : formatDeadline(line.deadline, now));
}

/** A badge's tooltip: what the status means. */
export const STATUS_HINTS = {
  Paid: 'Paid into escrow; waiting for the seller to accept.',
  Accepted: 'The seller accepted and must ship before the deadline.',
  Shipped: 'On its way; the buyer confirms delivery.',
  Delivered: 'Delivered; the inspection period runs, then the seller is paid.',
  Completed: 'The seller was paid (less the platform fee).',
  Cancelled: 'Cancelled by the buyer; refunded in full.',
  Rejected: 'Rejected by the seller; refunded in full.',
  Expired: 'The seller missed a deadline; refunded in full.',
  Refunded: 'Refunded in full by agreement.',
  Disputed: 'A dispute holds the escrow until the parties settle or an arbiter rules.',
  Resolved: 'The dispute ended: the escrow was split between the buyer and the seller.',
};
