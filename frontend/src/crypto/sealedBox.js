/**
 * sealedBox.js — seal a message to someone's X25519 public key so that only they can read it.
 *
 * A NaCl sealed box, byte for byte libsodium's crypto_box_seal (PyNaCl's SealedBox): a fresh
 * ephemeral key pair per message; nonce = BLAKE2b-192(ephemeral public key ‖ recipient public key);
 * the box is XSalsa20-Poly1305 (tweetnacl's nacl.box) from the ephemeral secret key to the
 * recipient; the envelope is the ephemeral public key followed by the box, 48 bytes longer than
 * the message. The sender keeps nothing and cannot open its own envelope.
 *
 * Used for shipping details: the buyer's browser seals the address to the seller's (or an
 * arbiter's) key from their on-chain profile; only the envelope travels. Keys are hex strings
 * (with or without 0x, as a bytes32 comes back from the chain); envelopes are 0x-hex.
 */
import { blake2b } from '@noble/hashes/blake2b';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import nacl from 'tweetnacl';

export const PUBLIC_KEY_BYTES = nacl.box.publicKeyLength; // 32
export const SECRET_KEY_BYTES = nacl.box.secretKeyLength; // 32
/** Ephemeral public key (32) + Poly1305 tag (16). */
export const SEALED_BOX_OVERHEAD = nacl.box.publicKeyLength + nacl.box.overheadLength;

/** An encryption key is missing or cannot be used; `message` says why, for the page. */
export class EncryptionKeyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

/** An envelope cannot be opened (another key, altered, truncated); `message` says why. */
export class SealedBoxError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SealedBoxError';
  }
}

// Points of small order on Curve25519 (libsodium's blocklist, compared with the top bit cleared
// as X25519 ignores it): a box to one of them uses a shared secret anyone can compute. The
// all-zero key is also what the profile contract reports for "no key" and is handled apart.
const LOW_ORDER_POINTS = [
  '0100000000000000000000000000000000000000000000000000000000000000', // 1 (order 1)
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', // order 8
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p - 1 (order 2)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p, i.e. 0 (order 4)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1, i.e. 1 (order 1)
];

/**
 * Check a recipient's public key and return its 32 bytes. Throws an EncryptionKeyError whose
 * message says, in a sentence for the page, why the key cannot be used.
 */
export function validatePublicKey(hex) {
  if (hex === undefined || hex === null || hex === '' || hex === '0x') {
    throw new EncryptionKeyError(
      'No encryption key: the recipient has not published one in their profile, so the details cannot be sealed for them.',
    );
  }
  if (typeof hex !== 'string') {
    throw new EncryptionKeyError('The encryption key must be given as a hex string.');
  }
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]*$/.test(digits)) {
    throw new EncryptionKeyError('The encryption key is malformed: it contains characters that are not hex digits.');
  }
  if (digits.length !== PUBLIC_KEY_BYTES * 2) {
    throw new EncryptionKeyError(
      `The encryption key is malformed: it must be ${PUBLIC_KEY_BYTES} bytes (${PUBLIC_KEY_BYTES * 2} hex digits), not ${digits.length} hex digits.`,
    );
  }
  const key = hexToBytes(digits.toLowerCase());
  if (key.every((byte) => byte === 0)) {
    throw new EncryptionKeyError(
      'No encryption key: the recipient’s profile has an empty (all-zero) key, so the details cannot be sealed for them.',
    );
  }
  const cleared = key.slice();
  cleared[31] &= 0x7f;
  if (LOW_ORDER_POINTS.includes(bytesToHex(cleared))) {
    throw new EncryptionKeyError(
      'The encryption key is unsafe: it is a weak (low-order) point, and anything sealed to it could be read by anyone.',
    );
  }
  return key;
}

/**
 * Seal `plaintext` (a string, sent as UTF-8, or bytes) to the holder of `publicKeyHex`.
 * Refuses a missing or malformed key before anything is encrypted. Returns the envelope as 0x-hex.
 */
export function encryptFor(publicKeyHex, plaintext) {
  const recipient = validatePublicKey(publicKeyHex);
  const message = typeof plaintext === 'string' ? utf8ToBytes(plaintext) : plaintext;
  if (!(message instanceof Uint8Array) || message.length === 0) {
    throw new TypeError('Nothing to seal: the message is empty (or neither text nor bytes).');
  }
  const ephemeral = nacl.box.keyPair();
  const box = nacl.box(message, sealNonce(ephemeral.publicKey, recipient), recipient, ephemeral.secretKey);
  ephemeral.secretKey.fill(0); // forget it: nobody, the sender included, may open the envelope
  return `0x${bytesToHex(concatBytes(ephemeral.publicKey, box))}`;
}

/**
 * Open an envelope sealed to the key pair whose secret key is `secretKey` (32 bytes, or hex).
 * Returns the message as a string (UTF-8); throws a SealedBoxError if it cannot be opened.
 */
export function decryptWith(secretKey, ciphertext) {
  const secret = toBytes(secretKey, 'secret key');
  if (secret.length !== SECRET_KEY_BYTES) {
    throw new EncryptionKeyError(`The secret key must be ${SECRET_KEY_BYTES} bytes, not ${secret.length}.`);
  }
  const envelope = toBytes(ciphertext, 'envelope');
  if (envelope.length <= SEALED_BOX_OVERHEAD) {
    throw new SealedBoxError(`This envelope is too short (${envelope.length} bytes) to hold a sealed message.`);
  }
  const ephemeralPublicKey = envelope.subarray(0, PUBLIC_KEY_BYTES);
  const ownPublicKey = nacl.box.keyPair.fromSecretKey(secret).publicKey;
  const opened = nacl.box.open(
    envelope.subarray(PUBLIC_KEY_BYTES),
    sealNonce(ephemeralPublicKey, ownPublicKey),
    ephemeralPublicKey,
    secret,
  );
  if (opened === null) {
    throw new SealedBoxError('This envelope cannot be opened with your key: it was sealed to another key, or altered.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(opened);
  } catch {
    throw new SealedBoxError('This envelope opened, but what it holds is not text.');
  }
}

/** libsodium's crypto_box_seal nonce: BLAKE2b with a 24-byte output over epk ‖ recipient pk. */
function sealNonce(ephemeralPublicKey, recipientPublicKey) {
  return blake2b(concatBytes(ephemeralPublicKey, recipientPublicKey), { dkLen: nacl.box.nonceLength });
}

function toBytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    const digits = value.startsWith('0x') ? value.slice(2) : value;
    if (digits.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(digits)) return hexToBytes(digits);
  }
  throw new TypeError(`The ${what} must be bytes or a hex string.`);
}
