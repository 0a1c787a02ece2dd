/**
 * encryptionKey.js — an X25519 key pair that only the wallet's owner can recreate.
 *
 * The wallet signs a fixed EIP-712 message bound to the mall's Profiles contract and chain; the
 * signature (r ‖ s, s in its low form) goes through HKDF-SHA256 into a 32-byte X25519 secret key.
 * Nothing is stored: the page asks for the signature again whenever it must open an envelope,
 * keeps the secret key in memory for that moment only, and publishes just the public key in the
 * profile. Wallets sign deterministically (RFC 6979) in practice, so the same wallet gets the same
 * key on every device; `derivedKeyMatches` tells when it did not. Caveats: docs/traceability.md.
 */
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import nacl from 'tweetnacl';

export const KEY_VERSION = 1n;
const HKDF_SALT = utf8ToBytes('blockchain-mall/x25519-encryption-key');
const HKDF_INFO = utf8ToBytes('sealed shipping details v1');
// secp256k1's group order: a signature's s and n - s are both valid, so use the low one.
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const PURPOSE =
  'Unlock the key that opens shipping addresses sent to me in the blockchain mall. ' +
  'Sign this only on the mall’s own page: whoever holds this signature can read those addresses.';

/**
 * The message the wallet signs (viem's signTypedData shape: domain, types, primaryType, message).
 * Bound to the chain, the Profiles contract and the account, so a signature for one never serves another.
 */
export function encryptionKeyTypedData({ chainId, profiles, account }) {
  return {
    domain: { name: 'Blockchain mall', version: '1', chainId: BigInt(chainId), verifyingContract: profiles },
    types: {
      EncryptionKey: [
        { name: 'purpose', type: 'string' },
        { name: 'account', type: 'address' },
        { name: 'version', type: 'uint256' },
      ],
    },
    primaryType: 'EncryptionKey',
    message: { purpose: PURPOSE, account, version: KEY_VERSION },
  };
}

/**
 * The key pair a 65-byte signature (0x-hex) of that message yields:
 * { publicKey, secretKey } (Uint8Array) and publicKeyHex (0x-hex, what the profile publishes).
 */
export function keyPairFromSignature(signature) {
  const bytes = hexToBytes(signature.startsWith('0x') ? signature.slice(2) : signature);
  if (bytes.length !== 65) throw new TypeError(`A wallet signature is 65 bytes, not ${bytes.length}.`);
  // v (27/28 or 0/1 depending on the wallet) is left out, and s taken in its low form, so that
  // every wallet's encoding of the same signature gives the same key.
  const r = bytes.subarray(0, 32);
  let s = BigInt(`0x${bytesToHex(bytes.subarray(32, 64))}`);
  if (s > SECP256K1_N / 2n) s = SECP256K1_N - s;
  const lowS = hexToBytes(s.toString(16).padStart(64, '0'));
  const seed = hkdf(sha256, new Uint8Array([...r, ...lowS]), HKDF_SALT, HKDF_INFO, 32);
  const { publicKey, secretKey } = nacl.box.keyPair.fromSecretKey(seed);
  return { publicKey, secretKey, publicKeyHex: `0x${bytesToHex(publicKey)}` };
}

/**
 * Ask the wallet to sign the key message and derive the key pair. `signTypedData(typedData)`
 * is the wallet's EIP-712 signer (contract.js's `mall.signTypedData`).
 */
export async function deriveEncryptionKeyPair(signTypedData, { chainId, profiles, account }) {
  return keyPairFromSignature(await signTypedData(encryptionKeyTypedData({ chainId, profiles, account })));
}

/** Whether a derived key pair is the one the profile publishes (0x-hex bytes32 from the chain). */
export function derivedKeyMatches(keyPair, publishedKeyHex) {
  return typeof publishedKeyHex === 'string' && keyPair.publicKeyHex.toLowerCase() === publishedKeyHex.toLowerCase();
}
