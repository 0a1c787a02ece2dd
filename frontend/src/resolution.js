/**
 * resolution.js — the resolution centre as the page needs it: its calls through the wallet
 * (disputes, arbitration, support cases), how typed text is posted (a URI and its hash), the
 * published split rule, and shares in basis points written as percentages.
 *
 * The address and ABI come from /api/config (contracts.ResolutionCenter), like the marketplace's.
 */
import { keccak256, stringToBytes } from 'viem';

export const BPS = 10_000;
const URI_SCHEME = /^[a-z][a-z0-9+.-]*:\S+$/i;
const TEXT_URI_PREFIX = 'data:text/plain;charset=utf-8,';

/** keccak256 of a text's UTF-8 bytes (a ruling's reason hash, a message's content hash). */
export const hashText = (text) => keccak256(stringToBytes(text));

/**
 * [uri, contentHash] for what a person typed: a link (https:, ipfs:, …) goes as typed, other
 * text as a data:text/plain URI carrying it; the hash is of the typed text either way.
 */
export function postable(text) {
  const typed = String(text).trim();
  const uri = URI_SCHEME.test(typed) ? typed : `${TEXT_URI_PREFIX}${encodeURIComponent(typed)}`;
  return [uri, hashText(typed)];
}

/** The text a data:text/plain URI carries, or null (then show the URI itself). */
export function textOfUri(uri) {
  const comma = String(uri ?? '').indexOf(',');
  const header = comma < 0 ? '' : uri.slice(0, comma);
  if (!header.startsWith('data:text/plain')) return null;
  try {
    const payload = uri.slice(comma + 1);
    if (!header.endsWith(';base64')) return decodeURIComponent(payload);
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** "60%", "62.5%", "0.01%": a share in basis points. */
export function formatBps(bps) {
  return `${Number((Number(bps) / 100).toFixed(2))}%`;
}

/** A percentage typed by a person ("60", "62.5", "60 %") as basis points, or a readable Error. */
export function parsePercent(text, { what = 'share' } = {}) {
  const trimmed = String(text).trim().replace(/\s*%$/, '');
  if (!/^(\d{1,3}(\.\d{0,2})?|\.\d{1,2})$/.test(trimmed)) {
    throw new Error(`Enter the ${what} as a percentage from 0 to 100, e.g. 60 or 62.5.`);
  }
  const bps = Math.round(Number(trimmed) * 100);
  if (bps > BPS) throw new Error(`The ${what} can be at most 100%.`);
  return bps;
}

/**
 * The published split (IResolutionCenter): the arbiter's fee comes off the escrow first, the
 * buyer gets their share of the rest, the seller the remainder less the platform fee.
 * Amounts are bigints; returns { buyer, seller, fee, arbiterFee }.
 */
export function splitEscrow(amount, buyerBps, feeBps, arbiterFeeBps = 0) {
  const escrow = BigInt(amount);
  const arbiterFee = (escrow * BigInt(arbiterFeeBps)) / 10_000n;
  const buyer = ((escrow - arbiterFee) * BigInt(buyerBps)) / 10_000n;
  const sellerGross = escrow - arbiterFee - buyer;
  const fee = (sellerGross * BigInt(feeBps)) / 10_000n;
  return { buyer, seller: sellerGross - fee, fee, arbiterFee };
}

/** IResolutionCenter.DisputeStatus and CaseStatus, in enum order (for decoded errors). */
export const DISPUTE_STATUSES = ['None', 'Negotiating', 'Escalated', 'Settled', 'Ruled', 'Defaulted'];
export const CASE_STATUSES = ['None', 'Open', 'Closed', 'Escalated'];

/**
 * The resolution centre's writes for a connected mall (contract.js createMall). Each takes the
 * runner's `onStep` last but one and an optional `step` ("step 1 of 2: …") last.
 */
export function resolutionCalls(mall, config) {
  const center = config.contracts.ResolutionCenter;
  const send = (functionName, args, onStep, step, blockTag) =>
    mall.send({ address: center.address, abi: center.abi, functionName, args, blockTag }, onStep, step);
  const id = (value) => BigInt(value);
  return {
    raiseDispute: (lineId, reason, onStep) => send('raiseDispute', [id(lineId), reason], onStep),
    proposeSettlement: (lineId, buyerBps, onStep) => send('proposeSettlement', [id(lineId), buyerBps], onStep),
    acceptSettlement: (lineId, buyerBps, onStep) => send('acceptSettlement', [id(lineId), buyerBps], onStep),
    escalate: (lineId, onStep, step) => send('escalate', [id(lineId)], onStep, step),
    // From the block after the escalation: simulated in the next block, where the draw will land.
    drawArbiter: (lineId, onStep, step) => send('drawArbiter', [id(lineId)], onStep, step, 'pending'),
    rule: (lineId, buyerBps, reason, reasonUri, onStep) =>
      send('rule', [id(lineId), buyerBps, hashText(reason), reasonUri], onStep),
    timeoutRuling: (lineId, onStep) => send('timeoutRuling', [id(lineId)], onStep),
    submitEvidence: (lineId, text, onStep) => send('submitEvidence', [id(lineId), ...postable(text)], onStep),
    openCase: (lineId, text, onStep) => send('openCase', [id(lineId), ...postable(text)], onStep),
    replyToCase: (caseId, text, onStep) => send('replyToCase', [id(caseId), ...postable(text)], onStep),
    closeCase: (caseId, onStep) => send('closeCase', [id(caseId)], onStep),
    escalateCase: (caseId, reason, onStep) => send('escalateCase', [id(caseId), reason], onStep),
    authorizeSupportRefund: (lineId, amount, onStep) => send('authorizeSupportRefund', [id(lineId), BigInt(amount)], onStep),
    refundCase: (caseId, amount, onStep) => send('refundCase', [id(caseId), BigInt(amount)], onStep),
  };
}
