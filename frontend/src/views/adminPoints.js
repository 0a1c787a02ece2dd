/**
 * views/adminPoints.js — the admin page's points rules (MallPoints, when deployed): the latest
 * rules version (check-in points, review bonus, validity, campaign), purchase rates per payment
 * token and whether users may transfer points, each with its setter (RULES_ADMIN_ROLE). A change
 * appends a rules version that applies from the second after its block (nothing earned before
 * changes). Rates are typed and shown as points per whole token; the contract counts them per
 * 10^18 of the token's smallest unit.
 */
import { formatUnits, parseUnits } from 'viem';
import { h } from '../dom.js';
import { formatTimestamp, parseWholeNumber } from '../format.js';
import { formatDuration, parseDuration, parseUtcDay } from '../adminChain.js';
import { ETH_ADDRESS } from '../tokens.js';

const UINT48_MAX = 2 ** 48 - 1;
const BPS = 10_000;

/** Points per whole token (text) → the contract's rate per 10^18 smallest units, or a readable Error. */
export function parseRate(text, token) {
  const trimmed = String(text).trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) throw new Error('Enter the points per token as a number, e.g. 10 or 0.5.');
  const scaled = parseUnits(trimmed.replace(/\.$/, ''), 18); // points per token × 10^18
  const unit = 10n ** BigInt(token.decimals);
  if (scaled % unit !== 0n) throw new Error(`That rate is finer than the contract can count for ${token.symbol}.`);
  return scaled / unit;
}

const formatRate = (rate, token) => formatUnits(BigInt(rate) * 10n ** BigInt(token.decimals), 18);

/** "1.5" (times) → 15,000 basis points, or a readable Error. */
function parseMultiplier(text) {
  const trimmed = String(text).trim().replace(/^[x×]\s*/, '');
  if (!/^\d+(\.\d{1,4})?$/.test(trimmed)) throw new Error('Enter the multiplier as a number of times, e.g. 1.5 or 2.');
  return Math.round(Number(trimmed) * BPS);
}

export function createPointsAdmin({ config, forms, reads, write, tokens, section }) {
  const rateTokens = () => [{ address: ETH_ADDRESS, symbol: 'ETH', decimals: 18 }, ...tokens.allowed().filter((token) => !token.isEth)];

  async function load(account) {
    if (!reads.has('MallPoints')) return null;
    const [count, transfers, canEdit, now] = await Promise.all([
      reads.read('MallPoints', 'rulesCount'),
      reads.read('MallPoints', 'transfersEnabled'),
      reads.hasRole('MallPoints', 'RULES_ADMIN_ROLE', account),
      reads.now(),
    ]);
    const rules = count > 0n ? await reads.read('MallPoints', 'rulesVersion', [count - 1n]) : null;
    // A rate set in the latest block applies from the next second: read it there.
    const rates = await Promise.all(rateTokens().map(async (token) => ({
      token, rate: await reads.read('MallPoints', 'purchaseRateAt', [token.address, BigInt(now + 1)]),
    })));
    return { version: Number(count) - 1, rules, transfers, canEdit, rates };
  }

  const points = (what) => (text) => parseWholeNumber(text, { min: 0, max: UINT48_MAX, what });
  const send = (label, functionName, args) => write(label, 'MallPoints', functionName, args);

  function editForms(state) {
    const rateForm = (entry) => forms.inlineForm({
      name: 'admin-rate', key: entry.token.symbol, label: `Purchase points for ${entry.token.symbol}`, submit: `Set the ${entry.token.symbol} rate`,
      fields: [['points', `Points per 1 ${entry.token.symbol} spent`, (text) => parseRate(text, entry.token), { inputmode: 'decimal' }]],
      onsubmit: ({ points: rate }) => send(`Setting the points rate for ${entry.token.symbol}`, 'setPurchaseRate', [entry.token.address, rate]),
    });
    return [
      forms.inlineForm({
        name: 'admin-checkin', key: 'points', label: 'Daily check-in points', submit: 'Set check-in points',
        fields: [['value', 'Points per daily check-in (0: off)', points('check-in points'), { inputmode: 'numeric' }]],
        onsubmit: ({ value }) => send('Setting the check-in points', 'setCheckInPoints', [value]),
      }),
      forms.inlineForm({
        name: 'admin-review-bonus', key: 'points', label: 'Review bonus', submit: 'Set the review bonus',
        fields: [['value', 'Points per review of a completed order (0: none)', points('review bonus'), { inputmode: 'numeric' }]],
        onsubmit: ({ value }) => send('Setting the review bonus', 'setReviewBonus', [value]),
      }),
      forms.inlineForm({
        name: 'admin-validity', key: 'days', label: 'Points validity', submit: 'Set the validity',
        fields: [['value', 'Points stay valid for (days)', (text) => parseDuration(text, { unit: 'days', what: 'validity' }), { inputmode: 'decimal' }]],
        onsubmit: ({ value }) => send('Setting how long points stay valid', 'setValidity', [value]),
      }),
      forms.inlineForm({
        name: 'admin-campaign', key: 'new', label: 'Campaign', submit: 'Start the campaign',
        fields: [
          ['start', 'First day (YYYY-MM-DD, UTC)', (text) => parseUtcDay(text, { what: 'first day' })],
          ['end', 'Last day (YYYY-MM-DD, UTC)', (text) => parseUtcDay(text, { what: 'last day' }) + 86_400],
          ['multiplier', 'Multiplier (times, 1 to 5)', parseMultiplier, { inputmode: 'decimal' }],
        ],
        onsubmit: ({ start, end, multiplier }) => send('Setting a points campaign', 'setCampaign', [start, end, multiplier]),
      }),
      state.rules && state.rules.campaignMultiplierBps > BPS
        ? h('button', { type: 'button', class: 'secondary', testid: 'admin-campaign-end', onclick: () => send('Ending the points campaign', 'setCampaign', [0, 0, BPS]) },
          'End the campaign')
        : null,
      h('button', {
        type: 'button', class: 'secondary', testid: 'admin-transfers-toggle',
        onclick: () => send(`${state.transfers ? 'Turning off' : 'Turning on'} points transfers`, 'setTransfersEnabled', [!state.transfers]),
      }, state.transfers ? 'Turn transfers off' : 'Turn transfers on'),
      state.rates.map(rateForm),
    ];
  }

  function view(state) {
    if (!state) return null;
    const { rules } = state;
    const campaign = rules && rules.campaignMultiplierBps > BPS && rules.campaignEnd > rules.campaignStart
      ? `×${rules.campaignMultiplierBps / BPS} from ${formatTimestamp(rules.campaignStart)} to ${formatTimestamp(rules.campaignEnd)}`
      : 'none';
    return section('points', 'Points rules',
      rules
        ? h('dl', { class: 'facts', testid: 'admin-points-rules' },
          h('div', {}, h('dt', {}, `Rules version ${state.version}`), h('dd', {}, `in force from ${formatTimestamp(rules.effectiveAt)}`)),
          h('div', {}, h('dt', {}, 'Check-in'), h('dd', { testid: 'admin-points-checkin' }, Number(rules.checkInPoints) > 0 ? `${rules.checkInPoints} points a day` : 'off')),
          h('div', {}, h('dt', {}, 'Review bonus'), h('dd', { testid: 'admin-points-review' }, `${rules.reviewBonus} points`)),
          h('div', {}, h('dt', {}, 'Validity'), h('dd', { testid: 'admin-points-validity' }, formatDuration(rules.validity))),
          h('div', {}, h('dt', {}, 'Campaign'), h('dd', { testid: 'admin-points-campaign' }, campaign)),
          h('div', {}, h('dt', {}, 'Transfers between users'), h('dd', { testid: 'admin-points-transfers' }, state.transfers ? 'on' : 'off')),
          state.rates.map(({ token, rate }) => h('div', {}, h('dt', {}, `Purchase points (${token.symbol})`),
            h('dd', { testid: `admin-points-rate-${token.symbol}` }, `${formatRate(rate, token)} per ${token.symbol}`))))
        : h('p', { class: 'empty' }, 'No rules are set.'),
      h('p', { class: 'hint' }, 'A campaign multiplies what is earned in its days by 1 to 5 times. Every change applies from the next second on; points already earned keep their rules.'),
      state.canEdit ? editForms(state) : h('p', { class: 'hint' }, 'Changing the rules needs MallPoints’ RULES_ADMIN_ROLE, which this account does not hold.'));
  }

  return { load, view };
}
