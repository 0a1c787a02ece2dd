/**
 * views/tracePanel.js — what provenance, reviews and sealed shipping details add to an order line's
 * card, for its buyer ("My orders") and its seller (the order queue): where the goods came from and
 * the parcel's journey (loaded when opened), the seller's link to the batch a shipped line came from
 * and its parcel events, the review forms, and the shipping address (views/shipping.js); and, above
 * the seller's queue, the seller's reputation and listings (each with its provenance tools).
 *
 * `load(lines, details, { role, account })` fetches what the cards need in a few requests (reviews of
 * the lines, the batches of products whose shipped lines are not linked yet, envelopes sent, drawn
 * arbiters, the latest block's time); `forLine(line, detail, loaded, { role })` draws a card's part from it.
 */
import { h, mount } from '../dom.js';
import { lineLabel } from '../lines.js';
import { addressTag } from '../profiles.js';
import { latestBlockTime, traceCalls, traceRunner } from '../trace.js';
import { createForms } from './forms.js';
import { createProvenanceForms, lineStory } from './provenance.js';
import { createReviewForms, reputationChart } from './reviews.js';
import { addressLines, arbiterOf, createShippingPanel } from './shipping.js';

const SHIPPED = new Set(['Shipped', 'Delivered', 'Completed', 'Disputed', 'Resolved']); // linkLine allows these
const MAX_LINES = 100; // /api/reviews takes at most 100 line ids

export function createTracePanel({ api, config, getSession, requireMall, runTx, actions, chainReader }) {
  const forms = createForms();
  const act = (line, verb, call) => actions.onLine(line, verb, (mall, onStep) => call(traceCalls(mall, config), onStep));
  const reviewForms = createReviewForms({ forms, act });
  const shipping = createShippingPanel({ api, config, getSession, requireMall, act, forms });
  const provenanceForms = createProvenanceForms({ forms, run: traceRunner({ runTx, requireMall, config }) });
  const open = new Set(); // line ids whose story is open: kept open across re-renders
  const stories = new Map(); // lineId → { version, story }

  const linkOf = (detail) => detail?.timeline?.find((entry) => entry.event === 'LineLinked')?.args ?? null;

  /** What the cards need, or null (the cards are drawn without these parts) when it could not be loaded. */
  function load(lines, details, options) {
    return fetchAll(lines, details, options).catch(() => null);
  }

  async function fetchAll(lines, details, { role, account }) {
    const completed = lines.filter((line) => line.status === 'Completed').map((line) => line.id).slice(0, MAX_LINES);
    const unlinked = role === 'seller'
      ? [...new Set(lines.filter((l) => SHIPPED.has(l.status) && !linkOf(details.get(l.id))).map((l) => l.productId))]
      : [];
    const firstLines = addressLines(lines);
    const toSeal = role === 'buyer'
      ? lines.filter((l) => ['Paid', 'Accepted'].includes(l.status) && String(firstLines.get(l.id)) === String(l.id))
      : [];
    const provider = getSession().wallet?.provider;
    const [reviews, batches, sent, arbiters, summary, blockTime] = await Promise.all([
      completed.length ? api.reviews({ lines: completed, limit: MAX_LINES }).then((page) => page.items) : [],
      Promise.all(unlinked.map((id) => api.productProvenance(id, { limit: 100 }).then((p) => [id, p.batches]))),
      Promise.all(toSeal.map((l) => api.lineEnvelopes(l.id, { recipient: l.seller, limit: 100 }).then((p) => [l.id, p.items]))),
      role === 'buyer'
        ? Promise.all(lines.filter((l) => l.status === 'Disputed')
          .map(async (l) => [l.id, await arbiterOf(l, details.get(l.id), { config, provider })]))
        : [],
      role === 'seller' ? sellerSummary(account) : null,
      role === 'seller' ? latestBlockTime(chainReader) : null,
    ]);
    return {
      reviews: new Map(reviews.map((review) => [review.lineId, review])),
      batches: new Map(batches),
      sent: new Map(sent),
      arbiters: new Map(arbiters),
      firstLines,
      summary,
      blockTime, // what a parcel event's time defaults to, and may be at the latest
    };
  }

  async function sellerSummary(account) {
    const [reputation, listings] = await Promise.all([api.reputation(account), api.products({ seller: account, limit: 50 })]);
    return { reputation, listings: listings.items };
  }

  /** The line's story, fetched when its section is opened (and again once the line's history grew). */
  function storySection(line, detail) {
    const link = linkOf(detail);
    const version = `${line.status}:${line.statusAt}:${detail?.timeline?.length ?? ''}`;
    const body = h('div', { class: 'story-body', 'aria-live': 'polite' });
    const show = async () => {
      const cached = stories.get(line.id);
      if (cached?.version === version) {
        mount(body, lineStory(cached.story, { testid: `story-${line.id}`, who: lineLabel(line.id) }));
        return;
      }
      mount(body, h('p', { class: 'hint' }, 'Loading…'));
      try {
        const story = await api.lineProvenance(line.id);
        stories.set(line.id, { version, story });
        mount(body, lineStory(story, { testid: `story-${line.id}`, who: lineLabel(line.id) }));
      } catch (error) {
        mount(body, h('p', { class: 'notice-inline', role: 'alert' }, `Couldn’t load its history: ${error.message}`));
      }
    };
    const details = h('details', {
      class: 'story', open: open.has(line.id),
      ontoggle: (event) => {
        if (event.target.open) { open.add(line.id); show(); } else open.delete(line.id);
      },
    }, h('summary', { testid: `story-open-${line.id}` }, link ? `Where it came from (batch #${link.batchId}) and its journey` : 'Its journey'), body);
    if (open.has(line.id)) show();
    return details;
  }

  function provenancePart(line, detail, loaded, { role }) {
    const link = linkOf(detail);
    const parts = [storySection(line, detail)];
    if (role === 'seller' && SHIPPED.has(line.status) && !link) {
      parts.push(provenanceForms.linkForm(line, loaded.batches.get(line.productId) ?? []));
    }
    if (role === 'seller' && link) parts.push(provenanceForms.recordForm({ lineId: line.id }, loaded.blockTime));
    return h('section', { class: 'line-provenance', 'aria-label': 'Provenance', testid: `provenance-${line.id}` }, parts);
  }

  function forLine(line, detail, loaded, { role }) {
    if (!loaded) return null;
    return h('div', { class: 'trace-panel' },
      provenancePart(line, detail, loaded, { role }),
      reviewForms.forLine(line, loaded.reviews.get(line.id) ?? null, role),
      shipping.forLine(line, {
        role, addressLine: loaded.firstLines.get(line.id), sent: loaded.sent.get(line.id), arbiter: loaded.arbiters.get(line.id),
      }));
  }

  /** The seller's reputation and listings (links to each product's page: provenance and reviews). */
  function sellerHeader(loaded) {
    const summary = loaded?.summary;
    if (!summary) return null;
    return h('section', { class: 'seller-trace', 'aria-label': 'Reputation and listings' },
      reputationChart(summary.reputation, { testid: 'seller-reputation', caption: 'Your reputation' }),
      summary.listings.length
        ? h('details', { class: 'listings' },
          h('summary', { testid: 'seller-listings-open' }, `Your listings (${summary.listings.length}): provenance and reviews`),
          h('ul', { testid: 'seller-listings' }, summary.listings.map((product) => h('li', {},
            h('a', { href: `#product/${product.id}`, testid: `listing-link-${product.id}` }, product.name ?? `Product #${product.id}`)))))
        : null,
      h('p', { class: 'hint' }, 'Buyers see you as ', addressTag(getSession().account), '. ',
        h('a', { href: '#profile' }, 'Set your name and encryption key'), ' on your profile.'));
  }

  return { load, forLine, sellerHeader };
}
