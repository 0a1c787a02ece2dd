/**
 * views/timeline.js — a line's history (GET /api/lines/{id} `timeline`: the marketplace's and the
 * resolution centre's events) as a short list: what happened, when, and in which transaction
 * (short hash; the full one in its title).
 *
 * A line's detail (timeline, dispute, support cases) is fetched per line and cached until the line
 * changes (status, escrowed amount or refund offer) or this page sends a transaction; a disputed
 * line, or one with an open support case, is fetched every time (the other side acts elsewhere).
 */
import { h } from '../dom.js';
import { capitalize, formatAmount, formatTimestamp, isoTimestamp, shortAddress, shortHash } from '../format.js';
import { formatBps, textOfUri } from '../resolution.js';
import { verifyControl } from '../verify.js';
import { traceEventText } from './provenance.js';

// Event arguments are decimal strings, or JSON numbers (exact only below 2**53).
const amountArg = (value) => (typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(String(value ?? 0)));

/** What a timeline event says, in words; `who(address)` names an actor ("the buyer", …). */
export function eventText(entry, token, who) {
  const args = entry.args ?? {};
  const amount = (value) => formatAmount(amountArg(value), token);
  const resolution = resolutionText(entry.event, args, amount, who);
  if (resolution) return resolution;
  const trace = traceEventText(entry.event, args, who); // provenance, reviews, sealed addresses
  if (trace) return trace;
  switch (entry.event) {
    case 'ProductListed': return `Listed: ${args.stock} in stock at ${amount(args.price)} each`;
    case 'ProductUpdated': return `Price set to ${amount(args.price)}, ${args.stock} in stock`;
    case 'LinePlaced': return `Ordered and paid ${amount(args.amount)} into escrow`;
    case 'LineAccepted': return 'Accepted by the seller';
    case 'LineRejected': return `Rejected by the seller; ${amount(args.refund)} refunded`;
    case 'LineCancelled': return `Cancelled by the buyer; ${amount(args.refund)} refunded`;
    case 'LineExpired': return `Expired (a deadline was missed); ${amount(args.refund)} refunded`;
    case 'LineShipped': return `Shipped with ${args.carrier || 'a carrier'}${args.trackingRef ? `, tracking ${args.trackingRef}` : ''}`;
    case 'LineDelivered': return `Delivery confirmed${args.confirmedBy ? ` by ${who(args.confirmedBy)}` : ''}`;
    case 'LineCompleted': return `Completed; seller paid ${amount(args.sellerAmount)}, fee ${amount(args.fee)}`;
    case 'RefundOffered':
      return amountArg(args.amount) === 0n ? 'The seller withdrew the refund offer' : `The seller offered a refund of ${amount(args.amount)}`;
    case 'RefundAccepted': return `Refund of ${amount(args.amount)} accepted; ${amount(args.remaining)} still in escrow`;
    default: return entry.event;
  }
}

/** The resolution centre's events (and the marketplace's dispute hooks) in words, or null. */
function resolutionText(event, args, amount, who) {
  const share = (bps) => formatBps(amountArg(bps));
  const posted = (uri) => {
    const text = textOfUri(uri);
    return text == null ? uri : `“${text}”`;
  };
  switch (event) {
    case 'LineDisputed': return 'Held by the dispute: the escrow stays until it is resolved';
    case 'LineResolved': {
      const arbiter = amountArg(args.arbiterFee) > 0n ? `, arbiter’s fee ${amount(args.arbiterFee)}` : '';
      return `Dispute resolved: buyer ${amount(args.buyerAmount)}, seller ${amount(args.sellerAmount)}, platform fee ${amount(args.fee)}${arbiter}`;
    }
    case 'DisputeRaised': return `Dispute raised by ${who(args.by)}: “${args.reason}”`;
    case 'SettlementProposed': return `${capitalize(who(args.by))} proposed a split: the buyer gets ${share(args.buyerBps)}`;
    case 'DisputeSettled': return `Settled by agreement: the buyer gets ${share(args.buyerBps)}`;
    case 'DisputeEscalated': return `Escalated to an arbiter by ${who(args.by)}`;
    case 'ArbiterDrawDeferred': return 'The arbiter’s draw moved to a later block';
    case 'ArbiterAssigned':
      return `Arbiter ${shortAddress(args.arbiter)} drawn (fee ${share(args.feeBps)}); ruling due by ${formatTimestamp(Number(args.ruleBy))}`;
    case 'DisputeRuled': return `The arbiter ruled: the buyer gets ${share(args.buyerBps)}`;
    case 'ArbiterTimedOut':
      return amountArg(args.drawBlock) > 0n ? 'The arbiter missed the deadline; another one is drawn' : 'The second arbiter missed the deadline too';
    case 'DisputeDefaulted': return `No ruling in time: the buyer gets ${share(args.buyerBps)}, no arbiter’s fee`;
    case 'EvidenceSubmitted': return `Evidence from ${who(args.by)}: ${posted(args.uri)}`;
    case 'CaseOpened': return `Support case #${args.caseId} opened by the buyer: ${posted(args.uri)}`;
    case 'CaseEscalated': return `Support turned case #${args.caseId} into a dispute`;
    case 'SupportRefundAuthorized': return `The seller lets support refund up to ${amount(args.maxAmount)}`;
    case 'SupportRefunded': return `Support refunded ${amount(args.amount)} (case #${args.caseId})`;
    default: return null;
  }
}

/**
 * @param timeline  the API's timeline entries
 * @param options   { token, label (the line's, for the list's name), testid, who(address) → words }
 */
export function timelineList(timeline, { token, label, testid, who = shortAddress }) {
  if (!timeline?.length) return null;
  return h(
    'ol',
    { class: 'timeline', role: 'list', testid, 'aria-label': `History of ${label}` },
    timeline.map((entry) => h(
      'li',
      { 'data-event': entry.event },
      h('time', { datetime: isoTimestamp(entry.timestamp) }, formatTimestamp(entry.timestamp)),
      ' ',
      h('span', {}, eventText(entry, token, who)),
      ' ',
      h('span', { class: 'tx-hash', title: `Transaction ${entry.tx}` },
        h('span', { class: 'visually-hidden' }, 'transaction '), shortHash(entry.tx)),
      h('span', { class: 'block-ref' }, ` · block ${entry.block}`),
      ' ',
      verifyControl(entry), // the explorer's check against the chain (verify.js)
    )),
  );
}

let epoch = 0; // bumped by every transaction this page sends: cached details may be stale

/** Forget every cached line detail (after a transaction: an allowance or a case changes no line). */
export function invalidateLineDetails() {
  epoch += 1;
}

/**
 * createLineDetails(api).load(lines) → Map(lineId → detail): GET /api/lines/{id} (its `timeline`,
 * `dispute`, `cases`, `supportRefundAllowance`), or null when it could not be loaded.
 */
export function createLineDetails(api) {
  const cache = new Map(); // lineId → { version, detail }
  const versionOf = (line) => `${line.status}:${line.statusAt}:${line.amount}:${line.refundOffer}:${epoch}`;
  const volatile = (line, detail) => line.status === 'Disputed' || detail.cases?.some((c) => c.status === 'Open');

  async function one(line) {
    const cached = cache.get(line.id);
    if (cached?.version === versionOf(line) && !volatile(line, cached.detail)) return cached.detail;
    try {
      const detail = await api.line(line.id);
      cache.set(line.id, { version: versionOf(line), detail });
      return detail;
    } catch {
      return cached?.detail ?? null; // history and disputes are shown when they load: show the line without
    }
  }

  return {
    async load(lines) {
      const details = await Promise.all(lines.map(one));
      return new Map(lines.map((line, index) => [line.id, details[index]]));
    },
  };
}
