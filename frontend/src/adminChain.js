/**
 * adminChain.js — what the admin page reads from the chain through the wallet's RPC (walletRpc.js),
 * and the units its forms take.
 *
 * Roles are found in each contract's ABI (its `*_ROLE` constants, plus AccessControl's
 * DEFAULT_ADMIN_ROLE), so a contract that gains a role shows it without a change here. A proxy's
 * implementation is read from its ERC-1967 slot and compared with the deployment record.
 */
import { getAddress, isAddress, keccak256, stringToBytes } from 'viem';
import { getBlock, getStorageAt, readContract } from 'viem/actions';

const IMPLEMENTATION_SLOT = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc'; // ERC-1967
export const ADMIN_ROLE = 'DEFAULT_ADMIN_ROLE';
const ZERO_HASH = `0x${'00'.repeat(32)}`;

const hasFunction = (abi, name) => abi.some((item) => item.type === 'function' && item.name === name);

/** The role names a contract defines, DEFAULT_ADMIN_ROLE first; [] without AccessControl. */
export function roleNamesOf(abi) {
  if (!hasFunction(abi, 'hasRole')) return [];
  const names = abi
    .filter((item) => item.type === 'function' && item.name.endsWith('_ROLE') && item.inputs.length === 0
      && item.outputs?.length === 1 && item.outputs[0].type === 'bytes32' && item.name !== ADMIN_ROLE)
    .map((item) => item.name)
    .sort();
  return [ADMIN_ROLE, ...names];
}

/** A role's hash: AccessControl's convention, keccak256 of its name (the admin role is zero). */
export const roleHash = (name) => (name === ADMIN_ROLE ? ZERO_HASH : keccak256(stringToBytes(name)));

export function createAdminReads({ config, reader }) {
  const contract = (name) => config.contracts[name];
  const read = (name, functionName, args = []) => {
    const { address, abi } = contract(name);
    return readContract(reader().client, { address, abi, functionName, args });
  };

  return {
    read,
    has: (name) => Boolean(contract(name)),
    hasRole: (name, role, account) => read(name, 'hasRole', [roleHash(role), account]),
    /** Unix seconds as the next block will see them (the later of the latest block's and the clock's). */
    now: async () => Math.max(Math.floor(Date.now() / 1000), Number((await getBlock(reader().client)).timestamp)),

    /** [{ name, address, recorded, implementation, version }] for every contract of the record. */
    async deployment(record) {
      const { client } = reader();
      return Promise.all(record.contracts.map(async (entry) => {
        const known = contract(entry.name);
        const [slot, version] = await Promise.all([
          getStorageAt(client, { address: entry.address, slot: IMPLEMENTATION_SLOT }).catch(() => null),
          known && hasFunction(known.abi, 'version') ? read(entry.name, 'version').catch(() => null) : null,
        ]);
        const word = slot && BigInt(slot) !== 0n ? getAddress(`0x${slot.slice(-40)}`) : null;
        return { name: entry.name, address: entry.address, recorded: entry.implementation, implementation: word, version };
      }));
    },
  };
}

// ------------------------------------------------------------------ units the admin forms take

/** A 0x address typed by a person, checksummed, or a readable Error. */
export function parseAddress(text, { what = 'address' } = {}) {
  const trimmed = String(text).trim();
  if (!isAddress(trimmed, { strict: false })) throw new Error(`Enter the ${what} as a 0x address of 40 hex digits.`);
  return getAddress(trimmed);
}

/** A duration typed in `unit`s ("48", "1.5") as whole seconds in [1, 2**32 - 1], or a readable Error. */
export function parseDuration(text, { unit = 'hours', what = 'window' } = {}) {
  const seconds = { days: 86_400, hours: 3_600, minutes: 60 }[unit];
  const trimmed = String(text).trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) throw new Error(`Enter the ${what} in ${unit}, e.g. 48 or 1.5.`);
  const value = Math.round(Number(trimmed) * seconds);
  if (value < 1) throw new Error(`The ${what} must be longer than that.`);
  if (value > 2 ** 32 - 1) throw new Error(`The ${what} is too long.`);
  return value;
}

/** "2 days", "36 hours", "90 minutes", "45 seconds": the largest unit that divides it. */
export function formatDuration(seconds) {
  const value = Number(seconds);
  for (const [unit, size] of [['day', 86_400], ['hour', 3_600], ['minute', 60]]) {
    if (value >= size && value % size === 0) return `${value / size} ${unit}${value / size === 1 ? '' : 's'}`;
  }
  return `${value} second${value === 1 ? '' : 's'}`;
}

/** A UTC day typed as YYYY-MM-DD, as unix seconds at its start, or a readable Error. */
export function parseUtcDay(text, { what = 'date' } = {}) {
  const trimmed = String(text).trim();
  const time = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? Date.parse(`${trimmed}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(time)) throw new Error(`Enter the ${what} as YYYY-MM-DD (UTC).`);
  return time / 1000;
}
