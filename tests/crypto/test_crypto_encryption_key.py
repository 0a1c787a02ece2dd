"""The seller's key pair from a wallet signature (frontend/src/crypto/encryptionKey.js): a valid
EIP-712 message bound to chain, contract and account; the same key from every encoding of the
same signature; the derivation reproduced independently (HKDF-SHA256, then X25519 with PyNaCl);
and the derived key opens what was sealed to its public half."""

import hashlib
import hmac

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from js_crypto import JsError
from nacl.public import PrivateKey, SealedBox

# anvil's first development key: a throwaway, never used on a real network.
DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
PROFILES = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707"
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def typed_data(js, *, chain_id=31337, profiles=PROFILES, account=None):
    account = account or Account.from_key(DEV_KEY).address
    return js("encryptionKeyTypedData", {"chainId": chain_id, "profiles": profiles, "account": account})


def sign(data, key=DEV_KEY) -> bytes:
    domain = {**data["domain"], "chainId": int(data["domain"]["chainId"])}
    message = {**data["message"], "version": int(data["message"]["version"])}
    signable = encode_typed_data(domain_data=domain, message_types=data["types"], message_data=message)
    return bytes(Account.sign_message(signable, key).signature)


def derive_in_python(signature: bytes) -> PrivateKey:
    """HKDF-SHA256 (RFC 5869) of r ‖ low-s, as encryptionKey.js documents it."""
    r, s = signature[:32], int.from_bytes(signature[32:64], "big")
    s = min(s, SECP256K1_N - s)
    ikm = r + s.to_bytes(32, "big")
    prk = hmac.new(b"blockchain-mall/x25519-encryption-key", ikm, hashlib.sha256).digest()
    okm = hmac.new(prk, b"sealed shipping details v1" + b"\x01", hashlib.sha256).digest()
    return PrivateKey(okm)


def test_typed_data__is_bound_to_chain_contract_and_account(js):
    data = typed_data(js)
    assert data["primaryType"] == "EncryptionKey"
    domain = {"name": "Blockchain mall", "version": "1", "chainId": "31337", "verifyingContract": PROFILES}
    assert data["domain"] == domain
    assert data["message"]["account"] == Account.from_key(DEV_KEY).address
    assert "Sign this only on the mall’s own page" in data["message"]["purpose"]


def test_key_pair__matches_an_independent_derivation_and_opens_envelopes(js):
    signature = sign(typed_data(js))
    pair = js("keyPairFromSignature", "0x" + signature.hex())
    expected = derive_in_python(signature)
    assert pair["secretKey"] == "0x" + expected.encode().hex()
    assert pair["publicKey"] == pair["publicKeyHex"] == "0x" + expected.public_key.encode().hex()
    sealed = SealedBox(expected.public_key).encrypt(b"5 Main St")
    assert js("decryptWith", pair["secretKey"], "0x" + sealed.hex()) == "5 Main St"
    assert js("derivedKeyMatches", pair, pair["publicKeyHex"].upper().replace("0X", "0x"))
    assert not js("derivedKeyMatches", pair, "0x" + "11" * 32)


def test_key_pair__same_for_every_encoding_of_the_signature(js):
    signature = sign(typed_data(js))
    assert signature == sign(typed_data(js))  # RFC 6979: the wallet signs the same way every time
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    encodings = [
        signature,
        r + signature[32:64] + bytes([v - 27]),  # v as 0/1, as some hardware wallets return it
        r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([v ^ 1]),  # the high-s twin
    ]
    keys = {js("keyPairFromSignature", "0x" + encoding.hex())["publicKeyHex"] for encoding in encodings}
    assert len(keys) == 1


@pytest.mark.parametrize(
    "change",
    [{"chain_id": 1}, {"profiles": "0x" + "11" * 20}, {"account": Account.from_key("0x" + "22" * 32).address}],
    ids=["other-chain", "other-contract", "other-account"],
)
def test_key_pair__differs_for_another_chain_contract_or_account(js, change):
    ours = js("keyPairFromSignature", "0x" + sign(typed_data(js)).hex())["publicKeyHex"]
    theirs = js("keyPairFromSignature", "0x" + sign(typed_data(js, **change)).hex())["publicKeyHex"]
    assert ours != theirs


def test_key_pair__not_a_signature__refused(js):
    with pytest.raises(JsError) as info:
        js("keyPairFromSignature", "0x" + "11" * 64)
    assert info.value.message == "A wallet signature is 65 bytes, not 64."


def test_derived_public_key__is_what_a_profile_accepts(js):
    # Not all zero and not of small order: validatePublicKey takes it back.
    pair = js("keyPairFromSignature", "0x" + sign(typed_data(js)).hex())
    assert js("validatePublicKey", pair["publicKeyHex"]) == pair["publicKeyHex"]
    assert PrivateKey(bytes.fromhex(pair["secretKey"][2:])).public_key.encode().hex() == pair["publicKeyHex"][2:]
