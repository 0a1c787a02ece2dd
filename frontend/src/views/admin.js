/**
 * views/admin.js — the mall's administration (#admin), for holders of the Marketplace's
 * DEFAULT_ADMIN_ROLE; the tab is shown only to them. Everything shown is read through the wallet's
 * RPC (adminChain.js), not from the index, and every change is a transaction through the wallet
 * (runTx: simulated, signed, mined, reverts in words):
 * - the deployed contracts: proxy, implementation (ERC-1967 slot vs the deployment record), version();
 * - pause and unpause new listings and orders (PAUSER_ROLE);
 * - the terms new orders get (platform fee and the four windows) and the treasury, fees to collect;
 * - payment tokens: allow or disallow each known one, or allow another by address;
 * - roles and arbiters (views/adminRoles.js), points rules (views/adminPoints.js).
 */
import { h, remount } from '../dom.js';
import { formatAmount, sameAddress } from '../format.js';
import { ADMIN_ROLE, createAdminReads, formatDuration, parseAddress, parseDuration } from '../adminChain.js';
import { formatBps, parsePercent } from '../resolution.js';
import { ETH_ADDRESS, isEth } from '../tokens.js';
import { createPointsAdmin } from './adminPoints.js';
import { createRolesAdmin } from './adminRoles.js';
import { createForms } from './forms.js';

const WINDOWS = [
  ['acceptWindow', 'Seller accepts within (hours)'],
  ['shipWindow', 'Seller ships within (hours)'],
  ['deliveryWindow', 'Counts as delivered after (hours)'],
  ['inspectionWindow', 'Buyer inspects for (hours)'],
];

const section = (key, title, ...children) => h('section', { class: 'admin-section', 'aria-labelledby': `admin-${key}-heading`, testid: `admin-section-${key}` },
  h('h3', { id: `admin-${key}-heading` }, title), ...children);

export function createAdminView({ root, api, config, tokens, getSession, requireMall, runTx, reader }) {
  const reads = createAdminReads({ config, reader });
  const forms = createForms();
  let generation = 0;

  /** Send `functionName(args)` to contract `name` through the wallet; resolves true once done. */
  async function write(label, name, functionName, args = [], context = {}) {
    const mall = await requireMall();
    if (!mall) return false;
    const { address, abi } = config.contracts[name];
    return runTx({ label, context, send: (onStep) => mall.send({ address, abi, functionName, args }, onStep) });
  }
  const roles = createRolesAdmin({ api, config, forms, reads, write, getSession, section });
  const points = createPointsAdmin({ config, forms, reads, write, tokens, section });

  /** Every token the mall knows (the record's and the marketplace's registry), with its state on chain. */
  async function loadTokens() {
    const platform = await api.platform().catch(() => ({ tokens: [] }));
    const known = new Map();
    for (const token of [...Object.values(config.tokens ?? {}), ...platform.tokens]) {
      if (isEth(token.address)) continue; // always accepted, not in the registry
      if (!known.has(token.address.toLowerCase())) known.set(token.address.toLowerCase(), { address: token.address, symbol: token.symbol, decimals: token.decimals });
    }
    const listed = [...known.values()];
    const [allowed, fees] = await Promise.all([
      Promise.all(listed.map((token) => reads.read('Marketplace', 'isTokenAllowed', [token.address]))),
      Promise.all([{ address: ETH_ADDRESS, symbol: 'ETH', decimals: 18 }, ...listed]
        .map(async (token) => ({ ...token, fees: await reads.read('Marketplace', 'feesOf', [token.address]) }))),
    ]);
    return { tokens: listed.map((token, index) => ({ ...token, allowed: allowed[index] })), fees };
  }

  async function load(account) {
    const termsId = await reads.read('Marketplace', 'currentTermsId');
    const [deployed, paused, canPause, terms, treasury, money, roleState, pointState] = await Promise.all([
      api.deployment().then((record) => reads.deployment(record)),
      reads.read('Marketplace', 'paused'),
      reads.hasRole('Marketplace', 'PAUSER_ROLE', account),
      reads.read('Marketplace', 'getTerms', [termsId]),
      reads.read('Marketplace', 'treasury'),
      loadTokens(),
      roles.load(),
      points.load(account),
    ]);
    return { deployed, paused, canPause, termsId, terms, treasury, ...money, roleState, pointState };
  }

  function deploymentSection(deployed) {
    const check = (entry) => {
      if (!entry.implementation) return h('span', { class: 'bad' }, 'no ERC-1967 implementation found');
      if (!entry.recorded) return 'not in the record';
      return sameAddress(entry.implementation, entry.recorded)
        ? h('span', { class: 'good' }, 'matches the record')
        : h('span', { class: 'bad' }, `differs from the record (${entry.recorded})`);
    };
    return section('deployment', 'Deployed contracts',
      h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Deployed contracts' },
        h('table', { testid: 'admin-contracts' },
          h('thead', {}, h('tr', {}, ['Contract', 'Version', 'Proxy', 'Implementation (on chain)', 'Record'].map((text) => h('th', { scope: 'col' }, text)))),
          h('tbody', {}, deployed.map((entry) => h('tr', { testid: `deployed-${entry.name}` },
            h('th', { scope: 'row' }, entry.name),
            h('td', { testid: `version-${entry.name}` }, entry.version ?? '—'),
            h('td', {}, h('code', { class: 'hash' }, entry.address)),
            h('td', {}, h('code', { class: 'hash' }, entry.implementation ?? '—')),
            h('td', { testid: `implementation-check-${entry.name}` }, check(entry))))))));
  }

  function pauseSection({ paused, canPause }) {
    return section('pause', 'Pause',
      h('p', { testid: 'admin-paused-state', 'data-paused': String(paused) },
        paused ? 'The marketplace is paused: new listings and orders are refused; everything else carries on.'
          : 'The marketplace is open: new listings and orders are accepted.'),
      canPause
        ? h('button', {
          type: 'button', class: paused ? 'primary' : 'danger', testid: paused ? 'admin-unpause' : 'admin-pause',
          onclick: () => write(paused ? 'Reopening the marketplace' : 'Pausing the marketplace', 'Marketplace', 'setPaused', [!paused]),
        }, paused ? 'Unpause the marketplace' : 'Pause the marketplace')
        : h('p', { class: 'hint' }, 'Pausing needs the marketplace’s PAUSER_ROLE, which this account does not hold (grant it below).'));
  }

  function termsSection({ terms, termsId, treasury, fees }) {
    const hours = (seconds) => String(Number(seconds) / 3600);
    const termsForm = forms.inlineForm({
      name: 'admin-terms', key: 'current', label: 'New terms for new orders', submit: 'Set the terms',
      fields: [
        ['feeBps', 'Platform fee (%)', (text) => parsePercent(text, { what: 'platform fee' }), { value: String(Number(terms.feeBps) / 100), inputmode: 'decimal' }],
        ...WINDOWS.map(([key, label]) => [key, label, (text) => parseDuration(text, { unit: 'hours', what: label.replace(/ \(hours\)$/, '').toLowerCase() }),
          { value: hours(terms[key]), inputmode: 'decimal' }]),
      ],
      // The typed values stay in the form: once confirmed they are the current terms.
      onsubmit: async (values) => { await write('Setting the terms for new orders', 'Marketplace', 'setTerms', [values]); return false; },
    });
    const treasuryForm = forms.inlineForm({
      name: 'admin-treasury', key: 'current', label: 'Change the treasury', submit: 'Change the treasury',
      fields: [['address', 'New treasury address', (text) => parseAddress(text, { what: 'treasury' })]],
      onsubmit: ({ address }) => write('Changing the treasury', 'Marketplace', 'setTreasury', [address]),
    });
    return section('terms', 'Fees and terms',
      h('p', { testid: 'admin-terms-now' },
        `Terms #${termsId}, for orders placed from now on: platform fee ${formatBps(terms.feeBps)}; the seller accepts within `,
        `${formatDuration(terms.acceptWindow)} and ships within ${formatDuration(terms.shipWindow)}; a parcel counts as delivered after `,
        `${formatDuration(terms.deliveryWindow)}; the buyer inspects for ${formatDuration(terms.inspectionWindow)}. Open orders keep the terms they were placed under.`),
      termsForm,
      h('p', {}, 'Fees are credited to the treasury ', h('code', { class: 'hash', testid: 'admin-treasury' }, treasury), '.'),
      treasuryForm,
      h('ul', { class: 'plain', testid: 'admin-fees' }, fees.map((token) => h('li', {},
        `Fees not yet collected: ${formatAmount(token.fees, token)} `,
        token.fees > 0n
          ? h('button', { type: 'button', class: 'secondary', testid: `admin-collect-${token.symbol}`,
            onclick: () => write(`Sending the ${token.symbol} fees to the treasury`, 'Marketplace', 'collectFees', [token.address], { token }) },
          `Send to the treasury`)
          : null))));
  }

  function tokensSection({ tokens: list }) {
    const allowForm = forms.inlineForm({
      name: 'admin-token', key: 'new', label: 'Allow another payment token', submit: 'Allow this token',
      fields: [['address', 'ERC-20 token address', (text) => parseAddress(text, { what: 'token address' })]],
      onsubmit: ({ address }) => write('Allowing a payment token', 'Marketplace', 'setPaymentToken', [address, true]),
    });
    return section('tokens', 'Payment tokens',
      h('p', { class: 'hint' }, 'ETH is always accepted. A token that is no longer allowed takes no new listings or orders; open orders in it still complete, refund and withdraw.'),
      h('ul', { class: 'plain', testid: 'admin-token-list' }, list.map((token) => h('li', { testid: `admin-token-${token.address}`, 'data-allowed': String(token.allowed) },
        h('strong', {}, token.symbol), ' ', h('code', { class: 'hash' }, token.address), ` — ${token.allowed ? 'allowed' : 'not allowed'} `,
        h('button', {
          type: 'button', class: 'secondary', testid: `admin-token-toggle-${token.address}`,
          onclick: () => write(`${token.allowed ? 'Disallowing' : 'Allowing'} ${token.symbol}`, 'Marketplace', 'setPaymentToken', [token.address, !token.allowed]),
        }, token.allowed ? 'Disallow' : 'Allow', h('span', { class: 'visually-hidden' }, ` ${token.symbol}`))))),
      allowForm);
  }

  async function render() {
    const mine = ++generation;
    const nav = document.querySelector('[data-testid="nav-admin"]');
    const { account } = getSession();
    let isAdmin = false;
    if (account) isAdmin = await reads.hasRole('Marketplace', ADMIN_ROLE, account).catch(() => false);
    if (mine !== generation) return;
    if (nav) nav.hidden = !isAdmin;
    if (root.closest('section')?.hidden) return; // off the page, only the tab's visibility matters
    if (!isAdmin) {
      remount(root, h('p', { class: 'empty', testid: 'admin-denied' }, account
        ? `This page is for the mall’s administrators: ${account} does not hold the marketplace’s ${ADMIN_ROLE}.`
        : 'Connect the wallet of one of the mall’s administrators.'));
      return;
    }
    let state;
    try {
      state = await load(account);
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t read the contracts: ${error.shortMessage ?? error.message}`));
      return;
    }
    if (mine !== generation) return;
    const { note } = reader();
    remount(root,
      note ? h('p', { class: 'hint' }, note) : h('p', { class: 'hint' }, 'Read through your wallet’s RPC.'),
      deploymentSection(state.deployed),
      pauseSection(state),
      termsSection(state),
      tokensSection(state),
      roles.view(state.roleState, account),
      points.view(state.pointState));
  }

  return { render };
}
