/**
 * views/adminRoles.js — the admin page's roles and arbiters.
 *
 * Roles: the holders the index knows (GET /api/roles: the contracts whose grants it follows), each
 * checked with hasRole through the wallet's RPC and revocable; and a form for any contract with
 * AccessControl and any of its roles (found in its ABI): check an address, grant, revoke. The
 * connected admin cannot revoke their own DEFAULT_ADMIN_ROLE here (that would lock the mall out).
 * Arbiters: the resolution centre's register (from the index), register one with a fee, remove one.
 */
import { h, mount } from '../dom.js';
import { sameAddress } from '../format.js';
import { ADMIN_ROLE, parseAddress, roleHash, roleNamesOf } from '../adminChain.js';
import { formatBps, parsePercent } from '../resolution.js';

export function createRolesAdmin({ api, config, forms, reads, write, getSession, section }) {
  const managed = Object.entries(config.contracts)
    .map(([name, contract]) => ({ name, roles: roleNamesOf(contract.abi) }))
    .filter((contract) => contract.roles.length);
  const choice = { contract: managed[0]?.name, role: ADMIN_ROLE }; // the form's selects, kept across re-renders
  const checkResult = h('p', { class: 'check-result', role: 'status', testid: 'admin-role-result' });

  async function load() {
    const [grants, arbiters] = await Promise.all([
      api.roles().catch(() => []),
      reads.has('ResolutionCenter') ? api.arbiters({ active: true, limit: 100 }).then((page) => page.items).catch(() => []) : [],
    ]);
    const holders = await Promise.all(grants.map(async (grant) => ({
      ...grant, onChain: await reads.read(grant.contract, 'hasRole', [grant.roleHash, grant.account]).catch(() => null),
    })));
    return { holders, arbiters };
  }

  const roleWrite = (verb, contract, role, account) => write(
    `${verb === 'grantRole' ? 'Granting' : 'Revoking'} ${role} on ${contract} ${verb === 'grantRole' ? 'to' : 'from'} ${account.slice(0, 8)}…`,
    contract, verb, [roleHash(role), account]);

  function holdersTable(holders, account) {
    if (!holders.length) return h('p', { class: 'empty' }, 'The index knows no role holders yet.');
    const onChain = (value) => (value === null ? 'could not be read' : value ? h('span', { class: 'good' }, 'yes') : h('span', { class: 'bad' }, 'no (the index is behind)'));
    return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Role holders' },
      h('table', { testid: 'admin-role-holders' },
        h('thead', {}, h('tr', {}, ['Contract', 'Role', 'Account', 'Holds it on chain', ''].map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, holders.map((grant) => {
          const own = grant.role === ADMIN_ROLE && sameAddress(grant.account, account);
          return h('tr', { testid: `holder-${grant.contract}-${grant.role}-${grant.account}` },
            h('td', {}, grant.contract), h('td', {}, grant.role), h('td', {}, h('code', { class: 'hash' }, grant.account)),
            h('td', {}, onChain(grant.onChain)),
            h('td', {}, own ? h('span', { class: 'hint' }, 'you') : h('button', {
              type: 'button', class: 'secondary', testid: `revoke-${grant.contract}-${grant.role}-${grant.account}`,
              onclick: () => roleWrite('revokeRole', grant.contract, grant.role, grant.account),
            }, 'Revoke', h('span', { class: 'visually-hidden' }, ` ${grant.role} on ${grant.contract} from ${grant.account}`))));
        }))));
  }

  function roleForm(account) {
    const contractSelect = h('select', { id: 'admin-role-contract', testid: 'admin-role-contract' },
      managed.map(({ name }) => h('option', { value: name, selected: name === choice.contract }, name)));
    const roleSelect = h('select', { id: 'admin-role-name', testid: 'admin-role-name' });
    const fillRoles = () => {
      const roles = managed.find(({ name }) => name === choice.contract)?.roles ?? [];
      if (!roles.includes(choice.role)) choice.role = roles[0];
      mount(roleSelect, roles.map((role) => h('option', { value: role, selected: role === choice.role }, role)));
    };
    fillRoles();
    contractSelect.addEventListener('change', () => { choice.contract = contractSelect.value; fillRoles(); });
    roleSelect.addEventListener('change', () => { choice.role = roleSelect.value; });
    const addressInput = forms.input('admin-role-account', { 'aria-describedby': 'admin-role-result' });
    const target = () => {
      try {
        return parseAddress(addressInput.value, { what: 'account' });
      } catch (problem) {
        mount(checkResult, problem.message);
        checkResult.dataset.result = 'error';
        return null;
      }
    };
    const act = (verb) => async () => {
      const who = target();
      if (!who) return;
      if (verb === 'check') {
        const holds = await reads.read(choice.contract, 'hasRole', [roleHash(choice.role), who]).catch(() => null);
        checkResult.dataset.result = String(holds);
        mount(checkResult, holds === null ? 'The chain could not be read.' : `${who} ${holds ? 'holds' : 'does not hold'} ${choice.role} on ${choice.contract}.`);
        return;
      }
      if (verb === 'revokeRole' && choice.role === ADMIN_ROLE && sameAddress(who, account)) {
        mount(checkResult, 'You cannot revoke your own admin role here: grant it to another administrator, who can.');
        return;
      }
      mount(checkResult);
      await roleWrite(verb, choice.contract, choice.role, who);
    };
    return h('form', { class: 'line-form role-form', novalidate: true, 'aria-label': 'Check, grant or revoke a role', onsubmit: (event) => event.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'admin-role-contract' }, 'Contract'), contractSelect),
      h('div', { class: 'field' }, h('label', { for: 'admin-role-name' }, 'Role'), roleSelect),
      h('div', { class: 'field' }, h('label', { for: 'admin-role-account' }, 'Account'), addressInput),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', testid: 'admin-role-check', onclick: act('check') }, 'Check'),
        h('button', { type: 'button', class: 'primary', testid: 'admin-role-grant', onclick: act('grantRole') }, 'Grant'),
        h('button', { type: 'button', class: 'danger', testid: 'admin-role-revoke', onclick: act('revokeRole') }, 'Revoke')),
      checkResult);
  }

  function arbitersSection(arbiters) {
    if (!reads.has('ResolutionCenter')) return null;
    return section('arbiters', 'Arbiters',
      arbiters.length === 0
        ? h('p', { class: 'empty' }, 'No arbiter is registered: escalated disputes cannot be drawn.')
        : h('ul', { class: 'plain', testid: 'admin-arbiters' }, arbiters.map((arbiter) => h('li', { testid: `admin-arbiter-${arbiter.address}` },
          h('code', { class: 'hash' }, arbiter.address), ` — fee ${formatBps(arbiter.feeBps)}, ${arbiter.openDisputes} open, ${arbiter.ruled} ruled `,
          h('button', {
            type: 'button', class: 'secondary', testid: `admin-arbiter-remove-${arbiter.address}`,
            onclick: () => write(`Removing arbiter ${arbiter.address.slice(0, 8)}…`, 'ResolutionCenter', 'removeArbiter', [arbiter.address]),
          }, 'Remove', h('span', { class: 'visually-hidden' }, ` arbiter ${arbiter.address}`))))),
      forms.inlineForm({
        name: 'admin-arbiter', key: 'new', label: 'Register an arbiter', submit: 'Register the arbiter',
        fields: [
          ['address', 'Arbiter’s address', (text) => parseAddress(text, { what: 'arbiter’s address' })],
          ['fee', 'Fee (% of the escrow, at most 10)', (text) => parsePercent(text, { what: 'fee' }), { inputmode: 'decimal' }],
        ],
        onsubmit: ({ address, fee }) => write(`Registering arbiter ${address.slice(0, 8)}…`, 'ResolutionCenter', 'registerArbiter', [address, fee]),
      }));
  }

  function view({ holders, arbiters }, account) {
    const indexed = new Set(holders.map((grant) => grant.contract));
    const unindexed = managed.filter(({ name }) => !indexed.has(name)).map(({ name }) => name);
    return [
      section('roles', 'Roles',
        holdersTable(holders, account),
        unindexed.length
          ? h('p', { class: 'hint' }, `The index does not list holders for ${unindexed.join(', ')}: check an address with the form.`)
          : null,
        roleForm(getSession().account)),
      arbitersSection(arbiters),
    ];
  }

  return { load, view };
}
