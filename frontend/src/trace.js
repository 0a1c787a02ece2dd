/**
 * trace.js — the provenance register, the reviews and the profiles as the page needs them: their
 * calls through the wallet, GS1 CBV names as the bytes32 the contracts take, reading an encryption
 * key from the chain through the wallet's own RPC, and the seller's key pair from a wallet signature.
 *
 * Addresses and ABIs come from /api/config (contracts.Provenance, .Reviews, .Profiles).
 */
import { createClient, custom, stringToHex } from 'viem';
import { getBlock, readContract } from 'viem/actions';
import { deriveEncryptionKeyPair } from './crypto/encryptionKey.js';
import { postable } from './resolution.js';

/** IProvenance.Role, in enum order; the seller's role is written at registration, the others granted. */
export const ROLES = ['None', 'Seller', 'Producer', 'Inspector', 'Warehouse', 'Carrier'];
export const GRANTABLE_ROLES = ROLES.slice(2);

/** GS1 CBV business steps and dispositions the forms offer (any other short name can be typed). */
export const BIZ_STEPS = [
  'commissioning', 'inspecting', 'packing', 'storing', 'picking', 'shipping', 'departing', 'arriving', 'receiving',
  'accepting',
];
export const DISPOSITIONS = ['active', 'conformant', 'non_conformant', 'in_progress', 'in_transit', 'damaged', 'sellable_accessible'];

/** Profiles' limits (IProfiles): UTF-8 bytes. */
export const MAX_DISPLAY_NAME_BYTES = 64;
export const MAX_AVATAR_URI_BYTES = 256;
/** What a sealed address may hold: 1,024 bytes of envelope less 48 of overhead. */
export const MAX_ADDRESS_BYTES = 976;

export const utf8Length = (text) => new TextEncoder().encode(text).length;

/** "in_transit" → "In transit" */
export const humanName = (name) => (name ? name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ') : '');

/**
 * A GS1 CBV short name as the contracts take it: left-aligned ASCII in a bytes32 (empty: 0, for an
 * optional disposition). Throws a readable Error for anything that does not fit.
 */
export function cbvName(text, { what = 'business step', optional = false } = {}) {
  const name = String(text ?? '').trim();
  if (!name) {
    if (optional) return `0x${'00'.repeat(32)}`;
    throw new Error(`Choose or type the ${what}.`);
  }
  if (!/^[\x21-\x7e]{1,32}$/.test(name)) {
    throw new Error(`The ${what} must be a GS1 short name: up to 32 letters, digits or marks, no spaces (e.g. in_transit).`);
  }
  return stringToHex(name, { size: 32 });
}

/** A document hash typed by a person: 0x and 64 hex digits, or empty for none. */
export function documentHash(text) {
  const typed = String(text ?? '').trim();
  if (!typed) return `0x${'00'.repeat(32)}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(typed)) throw new Error('The document hash must be 0x followed by 64 hex digits (or left empty).');
  return typed.toLowerCase();
}

/**
 * The latest block's time (unix seconds): the latest an event may say it happened, since the contract
 * takes no eventTime later than the block recording it (and a simulation runs in the latest block).
 */
export const latestBlockTime = (chainReader) => getBlock(chainReader.client, { blockTag: 'latest' }).then((block) => Number(block.timestamp));

/** Contract reads through the connected wallet's own provider (EIP-1193), not the mall's servers. */
export function walletReader(provider) {
  const client = createClient({ transport: custom(provider) });
  return (contract, functionName, args = []) => readContract(client, { address: contract.address, abi: contract.abi, functionName, args });
}

/**
 * `account`'s published X25519 key (0x-hex bytes32; all zero without one), read from the chain
 * through the wallet: whoever serves the key could serve their own and read the address.
 */
export const encryptionKeyOf = (provider, config, account) =>
  walletReader(provider)(config.contracts.Profiles, 'encryptionKeyOf', [account]);

/** This wallet's key pair (a signature of the fixed key message; nothing is stored). */
export const myKeyPair = (mall, config) =>
  deriveEncryptionKeyPair(mall.signTypedData, { chainId: config.chainId, profiles: config.contracts.Profiles.address, account: mall.account });

/**
 * The trace contracts' writes for a connected mall (contract.js createMall); each takes the
 * runner's `onStep` last but one and an optional `step` ("step 1 of 2: …") last.
 */
export function traceCalls(mall, config) {
  const on = (name) => (functionName, args, onStep, step) => {
    const { address, abi } = config.contracts[name];
    return mall.send({ address, abi, functionName, args }, onStep, step);
  };
  const provenance = on('Provenance');
  const reviews = on('Reviews');
  const profiles = on('Profiles');
  const id = (value) => BigInt(value);
  return {
    registerBatch: (productId, uri, onStep) => provenance('registerBatch', [id(productId), uri], onStep),
    authorizeParticipant: (batchId, account, role, onStep) =>
      provenance('authorizeParticipant', [id(batchId), account, ROLES.indexOf(role)], onStep),
    revokeParticipant: (batchId, account, onStep) => provenance('revokeParticipant', [id(batchId), account], onStep),
    linkLine: (lineId, batchId, onStep) => provenance('linkLine', [id(lineId), id(batchId)], onStep),
    /** `event`: { bizStep, disposition (bytes32), eventTime (unix seconds), readPoint, docHash, uri } */
    recordEvent: (batchId, event, onStep) => provenance('recordEvent', [id(batchId), ...eventArgs(event)], onStep),
    recordLineEvent: (lineId, event, onStep) => provenance('recordLineEvent', [id(lineId), ...eventArgs(event)], onStep),
    postReview: (lineId, rating, text, onStep) => reviews('postReview', [id(lineId), rating, ...postable(text)], onStep),
    amendReview: (lineId, rating, text, onStep) => reviews('amendReview', [id(lineId), rating, ...postable(text)], onStep),
    replyToReview: (lineId, text, onStep) => reviews('replyToReview', [id(lineId), ...postable(text)], onStep),
    setProfile: (name, avatarUri, publicKeyHex, onStep, step) => profiles('setProfile', [name, avatarUri, publicKeyHex], onStep, step),
    postShippingDetails: (lineId, recipient, ciphertext, onStep, step) =>
      profiles('postShippingDetails', [id(lineId), recipient, ciphertext], onStep, step),
  };
}

function eventArgs({ bizStep, disposition, eventTime, readPoint, docHash, uri }) {
  return [bizStep, disposition, BigInt(eventTime), readPoint, docHash, uri];
}

/**
 * traceRunner({ runTx, requireMall, config }) → run(label, call(calls, onStep), context): runs a trace
 * call through the connected wallet (connecting first), narrated in the status region as `label`.
 */
export function traceRunner({ runTx, requireMall, config }) {
  return async (label, call, context = {}) => {
    const mall = await requireMall();
    if (!mall) return false;
    return runTx({ label, send: (onStep) => call(traceCalls(mall, config), onStep), context });
  };
}
