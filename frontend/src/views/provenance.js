/**
 * views/provenance.js — where goods come from, as a visual timeline: each batch of a product with its
 * participants and its EPCIS-like events (business step, disposition, place, when, who and as what,
 * the document's hash and link, the transaction), an order line's story (the batch's history up to
 * the link, the parcel's own events, the marketplace's steps); the trace contracts' events in words
 * for a line's history; and the forms of the seller and the batch's participants: register a batch,
 * authorise and revoke participants, record an event, link a shipped line to its batch.
 */
import { h } from '../dom.js';
import { formatTimestamp, isoTimestamp, sameAddress, shortHash } from '../format.js';
import { lineLabel } from '../lines.js';
import { addressTag } from '../profiles.js';
import { BIZ_STEPS, DISPOSITIONS, GRANTABLE_ROLES, cbvName, documentHash, humanName } from '../trace.js';
import { actionButton } from './actions.js';
import { requiredText } from './forms.js';

const SAFE_LINK = /^(https?|ipfs|ar):/i;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ORDER_STEPS = {
  LinePlaced: 'Ordered', LineAccepted: 'Accepted by the seller', LineShipped: 'Handed to the carrier',
  LineDelivered: 'Delivered', LineCompleted: 'Completed', LineDisputed: 'Disputed', LineResolved: 'Dispute resolved',
  LineCancelled: 'Cancelled', LineRejected: 'Rejected', LineExpired: 'Expired', RefundOffered: 'Refund offered',
  RefundAccepted: 'Refund accepted',
};

/** A link for schemes a page may follow (https, ipfs, …); any other URI is shown as text. */
export function safeLink(uri, text = uri) {
  return SAFE_LINK.test(uri) ? h('a', { href: uri, rel: 'noopener noreferrer', target: '_blank' }, text) : h('span', { class: 'raw-uri' }, uri);
}

function txRef(tx) {
  return h('span', { class: 'tx-hash', title: `Transaction ${tx}` }, h('span', { class: 'visually-hidden' }, 'transaction '), shortHash(tx));
}

/** One trace event as a step of a timeline. */
function traceStep(event, { testid, scope = null }) {
  return h(
    'li',
    { class: `trace-step${scope ? ` trace-${scope}` : ''}`, testid, 'data-biz-step': event.bizStep },
    h('time', { class: 'trace-when', datetime: isoTimestamp(event.eventTime) }, formatTimestamp(event.eventTime)),
    h('div', { class: 'trace-what' },
      h('strong', {}, humanName(event.bizStep)),
      event.disposition ? h('span', { class: 'disposition', testid: `${testid}-disposition` }, humanName(event.disposition)) : null,
      scope === 'line' ? h('span', { class: 'hint' }, ' · this parcel') : null),
    event.readPoint ? h('div', { class: 'trace-where' }, 'at ', h('span', { testid: `${testid}-place` }, event.readPoint)) : null,
    h('div', { class: 'trace-who' }, 'by ', addressTag(event.recorder), ` as ${event.role.toLowerCase()}`),
    event.docHash || event.uri
      ? h('div', { class: 'trace-doc' }, 'document ',
        event.docHash ? h('code', { title: `Hash ${event.docHash}`, testid: `${testid}-doc` }, shortHash(event.docHash)) : null,
        event.uri ? [' ', safeLink(event.uri, 'link')] : null)
      : null,
    h('div', { class: 'hint' }, `recorded ${formatTimestamp(event.timestamp)} · `, txRef(event.tx)),
  );
}

/** A batch's events as a timeline, or a sentence when there are none. */
export function traceTimeline(events, { testid, total = events.length }) {
  if (!events.length) return h('p', { class: 'empty', testid }, 'No events recorded yet.');
  return [
    h('ol', { class: 'trace-timeline', testid, 'aria-label': 'Events, in the order they happened' },
      events.map((event, index) => traceStep(event, { testid: `${testid}-${index}` }))),
    total > events.length ? h('p', { class: 'hint' }, `The first ${events.length} of ${total} events.`) : null,
  ];
}

function participantsList(batch, { revoke }) {
  return h('ul', { class: 'participants', testid: `participants-${batch.batchId}` }, batch.participants.map((p) => h(
    'li', { 'data-active': String(p.active), testid: `participant-${batch.batchId}-${p.account}` },
    addressTag(p.account), ` ${p.role.toLowerCase()}`,
    p.active ? null : h('span', { class: 'hint' }, ` · revoked ${formatTimestamp(p.revokedAt)}`),
    revoke && p.active && p.role !== 'Seller' ? [' ', revoke(batch, p)] : null,
  )));
}

/** A batch: what it is, who takes part, its timeline, and the tools the viewer may use on it. */
export function batchCard(batch, { tools = [], revoke = null } = {}) {
  const testid = `batch-${batch.batchId}`;
  return h(
    'li',
    { class: 'card batch', testid, 'aria-labelledby': `${testid}-title` },
    h('h4', { id: `${testid}-title` }, `Batch #${batch.batchId}`),
    h('p', {}, 'Described at ', safeLink(batch.metadataUri), ` · registered ${formatTimestamp(batch.registeredAt)}`),
    h('h5', {}, 'Taking part'),
    participantsList(batch, { revoke }),
    h('h5', {}, 'History'),
    traceTimeline(batch.events, { testid: `${testid}-events`, total: batch.eventCount }),
    tools,
  );
}

/** An order line's story (GET /api/lines/{id}/provenance) as one timeline. */
export function lineStory(story, { testid, who }) {
  const steps = story.timeline.map((entry, index) => (entry.trace
    ? traceStep(entry.trace, { testid: `${testid}-${index}`, scope: entry.source })
    : h('li', { class: 'trace-step trace-order', testid: `${testid}-${index}`, 'data-event': entry.event },
      h('time', { class: 'trace-when', datetime: isoTimestamp(entry.time) }, formatTimestamp(entry.time)),
      h('div', { class: 'trace-what' }, h('strong', {}, ORDER_STEPS[entry.event] ?? entry.event),
        entry.args?.carrier ? ` with ${entry.args.carrier}` : null),
      h('div', { class: 'hint' }, txRef(entry.tx)))));
  return [
    story.link
      ? h('p', { testid: `${testid}-batch` }, `Shipped from batch #${story.link.batchId}`,
        story.batch ? [' of ', addressTag(story.batch.seller)] : null, '.')
      : h('p', { class: 'hint', testid: `${testid}-batch` }, 'The seller has not said which batch this was shipped from.'),
    h('ol', { class: 'trace-timeline', testid, 'aria-label': `History of the goods and the parcel, for ${who}` }, steps),
  ];
}

/** The trace contracts' events in a line's history (timeline.js), in words; null for others. */
export function traceEventText(event, args, who) {
  switch (event) {
    case 'LineLinked': return `Shipped from batch #${args.batchId}`;
    case 'TraceEventRecorded': {
      const disposition = args.disposition && !/^0x0*$/.test(args.disposition) ? ` (${humanName(cbvText(args.disposition))})` : '';
      return `${humanName(cbvText(args.bizStep))}${disposition} at ${args.readPoint || 'an unnamed place'}, recorded by ${who(args.recorder)}`;
    }
    case 'ReviewPosted': return `Reviewed: ${args.rating} out of 5 stars`;
    case 'ReviewAmended': return `Review amended: now ${args.rating} out of 5 stars`;
    case 'ReviewReplied': return 'The seller replied to the review';
    case 'ShippingDetailsPosted': return `The buyer sealed the shipping address for ${who(args.recipient)}`;
    default: return null;
  }
}

/** A GS1 short name back from its bytes32 (0x-hex, left-aligned ASCII). */
function cbvText(word) {
  const hex = String(word ?? '').replace(/^0x/, '').replace(/(00)+$/, '');
  let text = '';
  for (let i = 0; i < hex.length; i += 2) text += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return text;
}

// ------------------------------------------------------------------ forms of the seller and participants

/** "2026-05-01T10:30:15" for a datetime-local input (to the second), in the reader's time zone. */
function localInputValue(seconds) {
  const date = new Date(seconds * 1000);
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset());
  return date.toISOString().slice(0, 19);
}

const addressField = (what) => (text) => {
  const value = String(text).trim();
  if (!ADDRESS.test(value)) throw new Error(`Enter the ${what}’s address: 0x followed by 40 hex digits.`);
  return value;
};

/**
 * createProvenanceForms({ forms, run }) → the forms; `run(label, call(calls, onStep))` runs a trace
 * call through the wallet (trace.js traceRunner) and resolves true once indexed.
 */
export function createProvenanceForms({ forms, run }) {
  function registerForm(product) {
    return forms.inlineForm({
      name: 'register-batch', key: product.id, label: 'Register a batch',
      fields: [['uri', 'Batch description (URI: lot number, origin, production date…)', requiredText('batch description URI', 1000),
        { placeholder: 'ipfs://…' }]],
      submit: 'Register a batch',
      onsubmit: ({ uri }) => run(`Registering a batch of product #${product.id}`, (calls, onStep) => calls.registerBatch(product.id, uri, onStep)),
    });
  }

  function participantForm(batch) {
    const select = h('select', { id: `authorize-role-${batch.batchId}`, testid: `authorize-role-${batch.batchId}` },
      GRANTABLE_ROLES.map((role) => h('option', { value: role }, role)));
    return forms.inlineForm({
      name: 'authorize', key: batch.batchId, label: `Authorise a participant for batch #${batch.batchId}`,
      fields: [['account', 'Participant’s address', addressField('participant')]],
      extra: h('div', { class: 'field' }, h('label', { for: select.id }, 'Role'), select),
      submit: 'Authorise',
      onsubmit: ({ account }) => run(`Authorising ${account.slice(0, 8)}… as ${select.value.toLowerCase()} for batch #${batch.batchId}`,
        (calls, onStep) => calls.authorizeParticipant(batch.batchId, account, select.value, onStep)),
    });
  }

  function revokeButton(batch, participant) {
    return h('button', {
      type: 'button', class: 'secondary small', testid: `revoke-${batch.batchId}-${participant.account}`,
      onclick: () => run(`Revoking a participant of batch #${batch.batchId}`,
        (calls, onStep) => calls.revokeParticipant(batch.batchId, participant.account, onStep)),
    }, 'Revoke');
  }

  /**
   * Record an event on a batch (`target` { batchId }) or on a linked line (`target` { lineId }); `now`
   * is the latest block's time (trace.js latestBlockTime): the default, and the latest time allowed.
   */
  function recordForm(target, now) {
    const key = target.lineId ?? target.batchId;
    const name = target.lineId ? 'record-line' : 'record';
    const steps = `${name}-steps-${key}`;
    const dispositions = `${name}-dispositions-${key}`;
    const form = forms.inlineForm({
      name, key, label: target.lineId ? 'Record a parcel event' : `Record an event on batch #${key}`,
      fields: [
        ['step', 'Business step (GS1)', (text) => cbvName(text), { list: steps, placeholder: 'e.g. inspecting' }],
        ['disposition', 'Disposition (optional)', (text) => cbvName(text, { what: 'disposition', optional: true }),
          { list: dispositions, placeholder: 'e.g. conformant' }],
        ['when', 'When it happened', (text) => eventTime(text, now), { type: 'datetime-local', step: 1, value: localInputValue(now) }],
        ['place', 'Where (a GS1 location, geo: URI or place name)', requiredText('place', 200)],
        ['doc', 'Document hash (optional)', documentHash, { placeholder: '0x…' }],
        ['uri', 'Document link (optional)', (text) => String(text).trim()],
      ],
      extra: [
        h('datalist', { id: steps }, BIZ_STEPS.map((step) => h('option', { value: step }))),
        h('datalist', { id: dispositions }, DISPOSITIONS.map((value) => h('option', { value }))),
      ],
      submit: 'Record event',
      onsubmit: ({ step, disposition, when, place, doc, uri }) => {
        const event = { bizStep: step, disposition, eventTime: when, readPoint: place, docHash: doc, uri };
        return target.lineId
          ? run(`Recording a parcel event on ${lineLabel(target.lineId)}`, (calls, onStep) => calls.recordLineEvent(target.lineId, event, onStep))
          : run(`Recording an event on batch #${key}`, (calls, onStep) => calls.recordEvent(key, event, onStep));
      },
    });
    return h('details', { class: 'record-event' }, h('summary', { testid: `${name}-open-${key}` }, form.getAttribute('aria-label')), form);
  }

  /** Link a shipped line to one of its product's batches (the newest first). */
  function linkForm(line, batches) {
    if (!batches.length) {
      return h('p', { class: 'hint', testid: `link-none-${line.id}` },
        'Register a batch of this product (on its page) to say which batch this line was shipped from.');
    }
    const select = h('select', { id: `link-batch-${line.id}`, testid: `link-batch-${line.id}` },
      batches.map((batch) => h('option', { value: String(batch.batchId) }, `Batch #${batch.batchId}`)));
    return h('div', { class: 'line-form link-form' },
      h('label', { for: select.id }, 'Shipped from'), select,
      actionButton({ testid: `link-${line.id}`, text: 'Link to this batch', line,
        onclick: () => run(`Linking ${lineLabel(line.id)} to batch #${select.value}`,
          (calls, onStep) => calls.linkLine(line.id, select.value, onStep)) }));
  }

  return { registerForm, participantForm, revokeButton, recordForm, linkForm };
}

function eventTime(text, now) {
  const seconds = Math.floor(new Date(String(text)).getTime() / 1000);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('Enter when it happened (date and time).');
  if (seconds > now) throw new Error(`When it happened can’t be later than the chain’s clock (${formatTimestamp(now)}).`);
  return seconds;
}

/** Whether `account` may record events on `batch` now (its seller, or an active participant). */
export const canRecord = (batch, account) => Boolean(account) && batch.participants.some((p) => p.active && sameAddress(p.account, account));
