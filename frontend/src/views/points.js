/**
 * views/points.js — #points: the connected account's loyalty points. The balance and what expires
 * when (from the API's buckets), the history with reasons, the daily check-in (disabled with a
 * sentence once done today: the contract's lastCheckInDay against the chain's clock, read through
 * the wallet's RPC) and "Collect points" for completed lines nobody claimed yet (each line's points
 * read from the contract's purchasePointsOf). The points mall follows (views/pointsMall.js).
 */
import { createAdminReads } from '../adminChain.js';
import { h, remount } from '../dom.js';
import { formatAmount, formatDeadline, formatTimestamp, shortAddress } from '../format.js';
import { lineLabel } from '../lines.js';
import { createPointsMall } from './pointsMall.js';

export const POINTS = { symbol: 'points', decimals: 0 };
const DAY = 86_400;
const HISTORY_PAGE = 50;

const pts = (value) => formatAmount(BigInt(value), POINTS);

/** Why an entry of the history happened, in words. */
export function reasonOf(entry) {
  switch (entry.kind) {
    case 'earned_purchase': return `Purchase: ${lineLabel(entry.lineId)}`;
    case 'earned_review': return `Review of ${lineLabel(entry.lineId)}`;
    case 'earned_checkin': return `Daily check-in (${new Date(entry.day * DAY * 1000).toISOString().slice(0, 10)})`;
    case 'spent_redemption': return `Redeemed in the points mall (#${entry.redemptionId})`;
    case 'returned':
      return `Given back from redemption #${entry.redemptionId}${entry.lost ? `; ${pts(entry.lost)} had expired and were lost` : ''}`;
    case 'transferred_in': return `Received from ${shortAddress(entry.counterparty)}`;
    case 'transferred_out': return `Sent to ${shortAddress(entry.counterparty)}`;
    default: return entry.kind;
  }
}

const SPENDING = new Set(['spent_redemption', 'transferred_out']);

export function createPointsView({ root, api, config, getSession, runTx, requireMall, reader }) {
  const reads = createAdminReads({ config, reader });
  let generation = 0;

  async function write(label, name, functionName, args) {
    const mall = await requireMall();
    if (!mall) return false;
    const { address, abi } = config.contracts[name];
    return runTx({ label, context: { token: POINTS }, send: (onStep) => mall.send({ address, abi, functionName, args }, onStep) });
  }
  const mallView = createPointsMall({ api, config, write, getSession });

  function summaryPanel(summary, now) {
    return h('section', { class: 'points-summary', 'aria-labelledby': 'points-balance-heading' },
      h('h3', { id: 'points-balance-heading' }, 'Balance'),
      h('p', { class: 'points-balance', testid: 'points-balance' }, pts(summary.balance)),
      h('p', { class: 'hint', testid: 'points-totals' },
        `Earned ${pts(summary.earned)}, spent ${pts(summary.spent)}, expired ${pts(summary.expiredTotal)}.`),
      h('h4', {}, 'Expires when'),
      summary.nextExpiries.length
        ? h('ul', { testid: 'points-expiries' }, summary.nextExpiries.map((e) =>
          h('li', {}, `${pts(e.points)} expire on `, h('time', {}, formatDeadline(e.expiresAt, now)))))
        : h('p', { class: 'empty', testid: 'points-expiries' }, 'No points to expire.'));
  }

  function checkInPanel(lastDay, now) {
    const today = Math.floor(now / DAY);
    const done = lastDay !== null && Number(lastDay) === today;
    const off = !config.contracts.MallPoints;
    return h('section', { class: 'points-checkin', 'aria-labelledby': 'points-checkin-heading' },
      h('h3', { id: 'points-checkin-heading' }, 'Daily check-in'),
      h('button', {
        type: 'button', class: 'primary', testid: 'points-checkin', disabled: done || off,
        'aria-describedby': done ? 'points-checkin-note' : null,
        onclick: () => write('Checking in', 'MallPoints', 'checkIn', []),
      }, 'Check in'),
      done ? h('p', { class: 'hint', id: 'points-checkin-note', testid: 'points-checkin-note' },
        'You already checked in today; come back after midnight (UTC).') : null);
  }

  function collectPanel(claimable) {
    const total = claimable.reduce((sum, line) => sum + line.points, 0n);
    return h('section', { class: 'points-collect', 'aria-labelledby': 'points-collect-heading' },
      h('h3', { id: 'points-collect-heading' }, 'Points to collect'),
      claimable.length === 0
        ? h('p', { class: 'empty', testid: 'points-claimable' }, 'No completed orders with points to collect.')
        : [
          h('ul', { testid: 'points-claimable' }, claimable.map((line) =>
            h('li', { testid: `points-claimable-${line.lineId}` }, `${lineLabel(line.lineId)}: ${pts(line.points)}`))),
          h('button', {
            type: 'button', class: 'primary', testid: 'points-collect',
            onclick: () => write(`Collecting ${pts(total)}`, 'MallPoints', 'claimPurchasePoints', [claimable.map((l) => BigInt(l.lineId))]),
          }, `Collect ${pts(total)}`),
        ]);
  }

  function historyPanel(history) {
    return h('section', { class: 'points-history', 'aria-labelledby': 'points-history-heading' },
      h('h3', { id: 'points-history-heading' }, 'History'),
      history.items.length === 0
        ? h('p', { class: 'empty', testid: 'points-history' }, 'No points yet.')
        : h('table', { testid: 'points-history' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Points'),
            h('th', { scope: 'col' }, 'Why'), h('th', { scope: 'col' }, 'Valid until'))),
          h('tbody', {}, history.items.map((entry) => h('tr', { 'data-kind': entry.kind },
            h('td', {}, formatTimestamp(entry.timestamp)),
            h('td', { class: 'amount' }, `${SPENDING.has(entry.kind) ? '−' : '+'}${pts(entry.points)}`),
            h('td', {}, reasonOf(entry)),
            h('td', {}, entry.expiresAt ? formatTimestamp(entry.expiresAt) : ''))))),
      history.total > history.items.length ? h('p', { class: 'hint' }, `The newest ${history.items.length} of ${history.total}.`) : null);
  }

  /** Each claimable line with the points the contract says it earns (0-point lines are left out). */
  async function claimableWithPoints(account) {
    const { lines } = await api.claimablePoints(account);
    const earned = await Promise.all(lines.map((line) => reads.read('MallPoints', 'purchasePointsOf', [BigInt(line.lineId)])));
    return lines.map((line, index) => ({ ...line, points: earned[index][1] })).filter((line) => line.points > 0n);
  }

  async function render() {
    // Only while shown: navigating to #points renders it (main.js), so hidden it costs no reads.
    if (root.closest('section')?.hidden) return;
    const mine = ++generation;
    const { account } = getSession();
    if (!config.contracts.MallPoints) {
      remount(root, h('p', { class: 'empty' }, 'This mall has no points token.'));
      return;
    }
    if (!account) {
      remount(root, h('p', { class: 'empty', testid: 'points-connect' }, 'Connect a wallet to see your points.'));
      return;
    }
    let parts;
    try {
      const now = await reads.now();
      const [summary, history, claimable, lastDay, mall] = await Promise.all([
        api.points(account, { at: now }), api.pointsHistory(account, { limit: HISTORY_PAGE }),
        claimableWithPoints(account), reads.read('MallPoints', 'lastCheckInDay', [account]), mallView.load(account),
      ]);
      parts = [summaryPanel(summary, now), checkInPanel(lastDay === 0n ? null : lastDay, now), collectPanel(claimable),
        historyPanel(history), mallView.render(mall)];
    } catch (error) {
      parts = [h('p', { class: 'notice', role: 'alert' }, `Your points could not be loaded: ${error.message}`)];
    }
    if (mine !== generation) return;
    remount(root, ...parts);
  }

  return { render };
}
