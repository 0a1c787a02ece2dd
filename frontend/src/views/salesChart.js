/**
 * views/salesChart.js — the seller's sales over time (GET /api/sellers/{address}/stats): for each
 * payment token, an SVG bar chart of the value paid into escrow per UTC day (days without sales
 * drawn as gaps; a week at least, the last MAX_DAYS days at most), the totals placed and completed, and
 * the same figures as a table for screen readers and for people who want the numbers.
 */
import { h } from '../dom.js';
import { formatAmount } from '../format.js';
import { accountPanel } from './accountPanel.js';

const SVG = 'http://www.w3.org/2000/svg';
const MIN_DAYS = 7;
const MAX_DAYS = 60;
const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 16, right: 8, bottom: 24, left: 8 };
const DAY_MS = 86_400_000;

/** An SVG element (h() makes HTML elements, which an <svg> does not draw). */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/**
 * Every UTC day from the first to the last of `days` (YYYY-MM-DD), gaps filled: at least the week
 * up to the last day (so that one day of sales is a bar among days, not the whole chart), at most
 * the MAX_DAYS up to it.
 */
export function dayRange(days) {
  if (!days.length) return [];
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const earliest = Math.min(Date.parse(`${days[0]}T00:00:00Z`), last - (MIN_DAYS - 1) * DAY_MS);
  const first = Math.max(earliest, last - (MAX_DAYS - 1) * DAY_MS);
  const range = [];
  for (let t = first; t <= last; t += DAY_MS) range.push(new Date(t).toISOString().slice(0, 10));
  return range;
}

/** { token → { token, symbol, decimals, byDay: Map(day → bigint) } } from the API's `daily`. */
function seriesOf(daily) {
  const series = new Map();
  for (const { day, placed } of daily) {
    for (const amount of placed) {
      if (!series.has(amount.token)) series.set(amount.token, { ...amount, byDay: new Map() });
      series.get(amount.token).byDay.set(day, BigInt(amount.amount));
    }
  }
  return [...series.values()];
}

function chart(serie, days, index) {
  const token = { symbol: serie.symbol, decimals: serie.decimals };
  const values = days.map((day) => serie.byDay.get(day) ?? 0n);
  const max = values.reduce((a, b) => (b > a ? b : a), 0n);
  const total = values.reduce((a, b) => a + b, 0n);
  const best = days[values.indexOf(max)];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / days.length;
  const bars = values.map((value, i) => {
    const ratio = max === 0n ? 0 : Number((value * 10_000n) / max) / 10_000;
    const height = Math.max(value > 0n ? 1 : 0, ratio * plotH);
    return s('rect', {
      class: 'sales-bar', x: (PAD.left + i * slot + slot * 0.15).toFixed(1), y: (PAD.top + plotH - height).toFixed(1),
      width: Math.max(1, slot * 0.7).toFixed(1), height: height.toFixed(1),
    }, s('title', {}, `${days[i]}: ${formatAmount(value, token)}`));
  });
  const label = (x, text, anchor) => s('text', { x, y: HEIGHT - 6, 'text-anchor': anchor, class: 'axis-label' }, text);
  const titleId = `sales-chart-title-${index}`;
  const descId = `sales-chart-desc-${index}`;
  return h('figure', { class: 'sales-chart', testid: `sales-chart-${serie.symbol}` },
    h('figcaption', { id: titleId }, `Sales per day in ${serie.symbol}`),
    s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': titleId, 'aria-describedby': descId },
      s('line', { class: 'axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: PAD.top + plotH, y2: PAD.top + plotH }),
      s('line', { class: 'grid', x1: PAD.left, x2: WIDTH - PAD.right, y1: PAD.top, y2: PAD.top }),
      s('text', { x: PAD.left, y: PAD.top - 3, class: 'axis-label' }, formatAmount(max, token)),
      ...bars,
      label(PAD.left, days[0], 'start'),
      days.length > 1 ? label(WIDTH - PAD.right, days[days.length - 1], 'end') : ''),
    h('p', { id: descId, class: 'hint' },
      `${formatAmount(total, token)} from ${days[0]} to ${days[days.length - 1]}; best day ${best} with ${formatAmount(max, token)} (top of the chart).`));
}

function table(stats, days, series) {
  const byDay = new Map(stats.daily.map((entry) => [entry.day, entry]));
  return h('details', { class: 'sales-table' },
    h('summary', { testid: 'sales-table-open' }, 'Sales per day as a table'),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Sales per day' },
      h('table', { testid: 'sales-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day (UTC)'), h('th', { scope: 'col' }, 'Orders'), h('th', { scope: 'col' }, 'Lines'),
          series.map((serie) => h('th', { scope: 'col' }, `Placed (${serie.symbol})`)))),
        h('tbody', {}, days.filter((day) => byDay.has(day)).map((day) => h('tr', {},
          h('th', { scope: 'row' }, day), h('td', {}, String(byDay.get(day).orders)), h('td', {}, String(byDay.get(day).lines)),
          series.map((serie) => h('td', {}, formatAmount(serie.byDay.get(day) ?? 0n, serie)))))))));
}

function totals(stats) {
  const list = (amounts) => (amounts.length ? amounts.map((amount) => formatAmount(amount.amount, amount)).join(', ') : 'nothing yet');
  return h('dl', { class: 'facts sales-totals', testid: 'sales-totals' },
    h('div', {}, h('dt', {}, 'Orders'), h('dd', {}, String(stats.orders))),
    h('div', {}, h('dt', {}, 'Paid into escrow'), h('dd', { testid: 'sales-placed' }, list(stats.placed))),
    h('div', {}, h('dt', {}, 'Completed (before fees)'), h('dd', { testid: 'sales-completed' }, list(stats.completed))));
}

export function createSalesChart({ root, api, getSession }) {
  const render = accountPanel({
    root, getSession, what: 'your sales',
    load: (account) => api.sellerStats(account),
    show: (stats) => {
      const days = dayRange(stats.daily.map((entry) => entry.day));
      const series = seriesOf(stats.daily);
      return [
        h('h3', {}, 'Sales over time'),
        totals(stats),
        days.length === 0
          ? h('p', { class: 'empty' }, 'No sales yet: the chart starts with your first order.')
          : [series.map((serie, index) => chart(serie, days, index)), table(stats, days, series)],
      ];
    },
  });
  return { render };
}
