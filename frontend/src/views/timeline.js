/**
 * views/timeline.js — a line's history (GET /api/lines/{id} `timeline`) as a short list:
 * what happened, when, and in which transaction (short hash; the full one in its title).
 *
 * Timelines are fetched per line and cached until the line changes (status, escrowed amount or
 * refund offer), so re-rendering a list of orders doesn't refetch every history.
 */
import { h } from '../dom.js';
import { formatAmount, formatTimestamp, isoTimestamp, shortAddress, shortHash } from '../format.js';

// Event arguments are decimal strings, or JSON numbers (exact only below 2**53).
const amountArg = (value) => (typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(String(value ?? 0)));

/** What a timeline event says, in words. */
function eventText(entry, token) {
  const args = entry.args ?? {};
  const amount = (value) => formatAmount(amountArg(value), token);
  switch (entry.event) {
    case 'LinePlaced': return `Ordered and paid ${amount(args.amount)} into escrow`;
    case 'LineAccepted': return 'Accepted by the seller';
    case 'LineRejected': return `Rejected by the seller; ${amount(args.refund)} refunded`;
    case 'LineCancelled': return `Cancelled by the buyer; ${amount(args.refund)} refunded`;
    case 'LineExpired': return `Expired (a deadline was missed); ${amount(args.refund)} refunded`;
    case 'LineShipped': return `Shipped with ${args.carrier || 'a carrier'}${args.trackingRef ? `, tracking ${args.trackingRef}` : ''}`;
    case 'LineDelivered': return `Delivery confirmed${args.confirmedBy ? ` by ${shortAddress(args.confirmedBy)}` : ''}`;
    case 'LineCompleted': return `Completed; seller paid ${amount(args.sellerAmount)}, fee ${amount(args.fee)}`;
    case 'RefundOffered':
      return amountArg(args.amount) === 0n ? 'The seller withdrew the refund offer' : `The seller offered a refund of ${amount(args.amount)}`;
    case 'RefundAccepted': return `Refund of ${amount(args.amount)} accepted; ${amount(args.remaining)} still in escrow`;
    default: return entry.event;
  }
}

export function timelineList(timeline, { token, label, testid }) {
  if (!timeline?.length) return null;
  return h(
    'ol',
    { class: 'timeline', role: 'list', testid, 'aria-label': `History of ${label}` },
    timeline.map((entry) => h(
      'li',
      { 'data-event': entry.event },
      h('time', { datetime: isoTimestamp(entry.timestamp) }, formatTimestamp(entry.timestamp)),
      ' ',
      h('span', {}, eventText(entry, token)),
      ' ',
      h('span', { class: 'tx-hash', title: `Transaction ${entry.tx}` },
        h('span', { class: 'visually-hidden' }, 'transaction '), shortHash(entry.tx)),
    )),
  );
}

/** createTimelines(api).load(lines) → Map(lineId → timeline) */
export function createTimelines(api) {
  const cache = new Map(); // lineId → { version, timeline }
  const versionOf = (line) => `${line.status}:${line.statusAt}:${line.amount}:${line.refundOffer}`;

  async function one(line) {
    const cached = cache.get(line.id);
    if (cached?.version === versionOf(line)) return cached.timeline;
    try {
      const { timeline } = await api.line(line.id);
      cache.set(line.id, { version: versionOf(line), timeline });
      return timeline;
    } catch {
      return cached?.timeline ?? null; // history is a nicety: show the line without it
    }
  }

  return {
    async load(lines) {
      const timelines = await Promise.all(lines.map(one));
      return new Map(lines.map((line, index) => [line.id, timelines[index]]));
    },
  };
}
