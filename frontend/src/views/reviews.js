/**
 * views/reviews.js — reviews as people read them: stars, the text (a data:text/plain URI's text,
 * or the link), who wrote it and when, every earlier version (an amendment never replaces the
 * history) and the seller's reply; a seller's reputation as average stars, a count and a bar per
 * rating; and the forms on an order line's card: the buyer reviews a completed line and may amend
 * it, the seller replies once.
 */
import { h } from '../dom.js';
import { formatTimestamp } from '../format.js';
import { addressTag } from '../profiles.js';
import { textOfUri } from '../resolution.js';
import { requiredText } from './forms.js';
import { safeLink } from './provenance.js';

const RATINGS = [5, 4, 3, 2, 1];
const MAX_TEXT = 2000;

/** "★★★★☆" with a name a screen reader says: "4 out of 5 stars". */
export function stars(rating, { testid = null } = {}) {
  const value = Math.round(Number(rating));
  const label = `${Number(rating).toFixed(Number.isInteger(Number(rating)) ? 0 : 1)} out of 5 stars`;
  return h('span', { class: 'stars', role: 'img', 'aria-label': label, title: label, testid, 'data-rating': String(rating) },
    '★'.repeat(value), h('span', { class: 'stars-empty' }, '☆'.repeat(5 - value)));
}

function posted(uri, text) {
  const shown = text ?? textOfUri(uri);
  return shown != null ? h('q', { class: 'review-text' }, shown) : safeLink(uri);
}

/** One review, its earlier versions and the seller's reply. */
export function reviewItem(review, { testid }) {
  const earlier = review.history.slice(0, -1);
  return h(
    'article',
    { class: 'review', testid, 'data-rating': String(review.rating) },
    h('div', { class: 'review-head' },
      stars(review.rating, { testid: `${testid}-stars` }),
      ' ', addressTag(review.author), ' ',
      h('time', { class: 'hint' }, formatTimestamp(review.postedAt)),
      review.amended ? h('span', { class: 'hint', testid: `${testid}-amended` }, ` · amended ${formatTimestamp(review.amendedAt)}`) : null),
    h('p', { testid: `${testid}-text` }, posted(review.uri, review.text)),
    earlier.length
      ? h('details', { class: 'review-history' },
        h('summary', {}, earlier.length === 1 ? 'Earlier version' : `${earlier.length} earlier versions`),
        h('ol', { testid: `${testid}-history` }, earlier.map((version) => h('li', {},
          stars(version.rating), ' ', posted(version.uri, version.text), ' ',
          h('time', { class: 'hint' }, formatTimestamp(version.timestamp))))))
      : null,
    review.reply
      ? h('blockquote', { class: 'review-reply', testid: `${testid}-reply` },
        h('span', { class: 'who' }, 'The seller replied: '), posted(review.reply.uri, review.reply.text))
      : null,
  );
}

/** A reputation (GET /api/sellers/{a}/reputation, or a product's rating) as stars, a count and bars. */
export function reputationChart(reputation, { testid, caption }) {
  if (!reputation || reputation.count === 0) {
    return h('p', { class: 'empty', testid }, `${caption}: no reviews yet.`);
  }
  const most = Math.max(...reputation.distribution.map((d) => d.count));
  const byRating = new Map(reputation.distribution.map((d) => [d.rating, d.count]));
  return h(
    'figure',
    { class: 'reputation', testid, 'data-average': String(reputation.average), 'data-count': String(reputation.count) },
    h('figcaption', {}, caption, ': ', stars(reputation.average), ' ',
      h('strong', { testid: `${testid}-average` }, `${reputation.average.toFixed(1)} out of 5`),
      ` from ${reputation.count} review${reputation.count === 1 ? '' : 's'}`),
    h('table', { class: 'rating-bars' },
      h('caption', { class: 'visually-hidden' }, 'Reviews per rating'),
      h('tbody', {}, RATINGS.map((rating) => {
        const count = byRating.get(rating) ?? 0;
        return h('tr', { testid: `${testid}-bar-${rating}`, 'data-count': String(count) },
          h('th', { scope: 'row' }, `${rating} ★`),
          h('td', {}, h('span', { class: 'bar', style: `width: ${most ? Math.round((100 * count) / most) : 0}%` })),
          h('td', { class: 'num' }, String(count)));
      }))),
  );
}

/** A rating field: five radio buttons, the current one (or none) checked. */
function ratingField(name, current) {
  return h('fieldset', { class: 'rating-field' },
    h('legend', {}, 'Rating'),
    RATINGS.map((rating) => h('label', {},
      h('input', { type: 'radio', name, value: String(rating), checked: Number(current) === rating, testid: `${name}-${rating}` }),
      ` ${rating} ★`)));
}

/** Empty a kept draft once its form's action went through (forms.js keeps what was typed by field id). */
function clearDraft(field) {
  field.value = '';
  field.dispatchEvent(new Event('input'));
}

/**
 * createReviewForms({ forms, act }).forLine(line, review, role) → the review section of an order
 * line's card: the buyer's form to review a completed line or amend the review, the review itself,
 * and the seller's reply form; or null. `act(line, verb, call(calls, onStep))` runs a trace call
 * (trace.js traceCalls) for the line.
 */
export function createReviewForms({ forms, act }) {
  function reviewForm(line, review) {
    const amend = Boolean(review);
    const name = amend ? 'amend' : 'review';
    const error = h('p', { class: 'form-error', id: `${name}-error-${line.id}`, role: 'alert' });
    const text = forms.input(`${name}-text-${line.id}`, { tag: 'textarea', rows: 3, 'aria-describedby': error.id });
    const form = h(
      'form',
      {
        class: 'line-form review-form', novalidate: true, 'aria-label': amend ? 'Amend your review' : 'Review this purchase',
        onsubmit: async (event) => {
          event.preventDefault();
          const checked = form.querySelector(`input[name="${name}-rating-${line.id}"]:checked`);
          let words;
          try {
            if (!checked) throw new Error('Choose a rating from 1 to 5 stars.');
            words = requiredText('review', MAX_TEXT)(text.value);
          } catch (problem) {
            error.textContent = problem.message;
            return;
          }
          error.textContent = '';
          const rating = Number(checked.value);
          const done = await act(line, amend ? 'Amending the review of' : 'Reviewing', (calls, onStep) =>
            (amend ? calls.amendReview : calls.postReview)(line.id, rating, words, onStep));
          if (done) clearDraft(text);
        },
      },
      ratingField(`${name}-rating-${line.id}`, review?.rating),
      h('div', { class: 'field' }, h('label', { for: text.id }, amend ? 'Your amended review (the first version stays visible)' : 'Your review'), text),
      h('button', { type: 'submit', class: 'primary', testid: `${name}-${line.id}` }, amend ? 'Amend review' : 'Post review'),
      error,
    );
    return form;
  }

  function replyForm(line) {
    return forms.lineForm(line, {
      name: 'reply',
      fields: [['text', 'Your reply (once; it cannot be changed)', requiredText('reply', MAX_TEXT), { tag: 'textarea', rows: 2 }]],
      submit: 'Reply',
      onsubmit: ({ text }) => act(line, 'Replying to the review of', (calls, onStep) => calls.replyToReview(line.id, text, onStep)),
    });
  }

  function forLine(line, review, role) {
    if (line.status !== 'Completed' && !review) return null;
    const parts = [review ? reviewItem(review, { testid: `line-review-${line.id}` }) : null];
    if (role === 'buyer' && line.status === 'Completed') {
      parts.push(review
        ? h('details', { class: 'amend' }, h('summary', { testid: `amend-open-${line.id}` }, 'Amend your review'), reviewForm(line, review))
        : reviewForm(line, null));
    }
    if (role === 'seller' && review && !review.reply) parts.push(replyForm(line));
    if (role === 'seller' && !review) parts.push(h('p', { class: 'hint' }, 'Not reviewed yet.'));
    return h('section', { class: 'line-reviews', 'aria-label': 'Review', testid: `reviews-${line.id}` }, h('h5', {}, 'Review'), parts);
  }

  return { forLine };
}

