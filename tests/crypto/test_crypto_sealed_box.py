"""The browser's sealed boxes (frontend/src/crypto/sealedBox.js, under Node) against libsodium's
(PyNaCl's SealedBox): each opens the other's envelopes, and malformed or unsafe keys are refused
with a sentence before anything is encrypted."""

import pytest
from js_crypto import JsError
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

ADDRESSES = [
    "Carol Buyer, 5 Main St, Springfield",
    "Ólafur Þórsson\nLaugavegur 12\n101 Reykjavík\nÍsland",
    "王小明\n北京市朝阳区建国路88号\n100022 中国 📦",
    "x" * 976,  # the largest the Profiles contract takes (1,024 bytes sealed)
]

# Curve25519 points of small order (libsodium refuses to box to them), and one with the ignored
# top bit set.
LOW_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
]


def hex0x(data: bytes) -> str:
    return "0x" + data.hex()


def test_js_seals__pynacl_opens(js):
    recipient = PrivateKey.generate()
    envelopes = js.many([("encryptFor", [hex0x(recipient.public_key.encode()), text]) for text in ADDRESSES])
    for text, envelope in zip(ADDRESSES, envelopes, strict=True):
        sealed = bytes.fromhex(envelope[2:])
        assert len(sealed) == len(text.encode()) + 48
        assert SealedBox(recipient).decrypt(sealed).decode() == text


def test_pynacl_seals__js_opens(js):
    recipient = PrivateKey.generate()
    sealed = [SealedBox(recipient.public_key).encrypt(text.encode()) for text in ADDRESSES]
    opened = js.many([("decryptWith", [hex0x(recipient.encode()), hex0x(envelope)]) for envelope in sealed])
    assert opened == ADDRESSES


def test_js_seals__fresh_every_time_and_only_the_recipient_opens(js):
    recipient, other = PrivateKey.generate(), PrivateKey.generate()
    key = recipient.public_key.encode().hex()  # without 0x, as some callers will pass it
    first, second = js.many([("encryptFor", [key, ADDRESSES[0]])] * 2)
    assert first != second  # a new ephemeral key per envelope
    for envelope in (first, second):
        with pytest.raises(CryptoError):
            SealedBox(other).decrypt(bytes.fromhex(envelope[2:]))
    assert js("decryptWith", hex0x(recipient.encode()), first) == ADDRESSES[0]


def test_decrypt__wrong_key_altered_or_short__refused(js):
    recipient, other = PrivateKey.generate(), PrivateKey.generate()
    sealed = SealedBox(recipient.public_key).encrypt(b"Carol Buyer, 5 Main St")
    altered = sealed[:40] + bytes([sealed[40] ^ 1]) + sealed[41:]
    errors = js.many(
        [
            ("decryptWith", [hex0x(other.encode()), hex0x(sealed)]),
            ("decryptWith", [hex0x(recipient.encode()), hex0x(altered)]),
            ("decryptWith", [hex0x(recipient.encode()), hex0x(sealed[:48])]),
            ("decryptWith", [hex0x(recipient.encode()[:31]), hex0x(sealed)]),
        ]
    )
    assert [(e.name, e.message) for e in errors] == [
        ("SealedBoxError", "This envelope cannot be opened with your key: it was sealed to another key, or altered."),
        ("SealedBoxError", "This envelope cannot be opened with your key: it was sealed to another key, or altered."),
        ("SealedBoxError", "This envelope is too short (48 bytes) to hold a sealed message."),
        ("EncryptionKeyError", "The secret key must be 32 bytes, not 31."),
    ]


def test_decrypt__not_text__refused(js):
    recipient = PrivateKey.generate()
    sealed = SealedBox(recipient.public_key).encrypt(b"\xff\xfe\x00binary")
    with pytest.raises(JsError, match="opened, but what it holds is not text"):
        js("decryptWith", hex0x(recipient.encode()), hex0x(sealed))


CANNOT_SEAL = "so the details cannot be sealed for them."
MISSING = f"No encryption key: the recipient has not published one in their profile, {CANNOT_SEAL}"
ZERO = f"No encryption key: the recipient’s profile has an empty (all-zero) key, {CANNOT_SEAL}"
NOT_HEX = "The encryption key is malformed: it contains characters that are not hex digits."
WRONG_LENGTH = "The encryption key is malformed: it must be 32 bytes (64 hex digits), not {} hex digits."
UNSAFE = (
    "The encryption key is unsafe: it is a weak (low-order) point, and anything sealed to it could be read by anyone."
)


@pytest.mark.parametrize(
    "key, message",
    [
        ([], MISSING),  # undefined: no profile read yet
        ([None], MISSING),
        ([""], MISSING),
        (["0x"], MISSING),
        (["0x" + "00" * 32], ZERO),  # what encryptionKeyOf returns for an account without a profile
        ([12345], "The encryption key must be given as a hex string."),
        (["0x" + "ab" * 31], WRONG_LENGTH.format(62)),
        (["0x" + "ab" * 33], WRONG_LENGTH.format(66)),
        (["0x" + "zz" * 32], NOT_HEX),
        (["0x" + "ab" * 31 + "a "], NOT_HEX),
    ],
    ids=["undefined", "null", "empty", "0x", "zero", "number", "short", "long", "not-hex", "space"],
)
def test_malformed_key__refused_with_a_sentence_by_validate_and_encrypt(js, key, message):
    validated, encrypted = js.many([("validatePublicKey", key), ("encryptFor", [*(key or [None]), "5 Main St"])])
    for error in (validated, encrypted):
        assert isinstance(error, JsError)
        assert (error.name, error.message) == ("EncryptionKeyError", message)


@pytest.mark.parametrize("point", LOW_ORDER)
def test_low_order_key__refused_like_libsodium(js, point):
    with pytest.raises(CryptoError):  # libsodium will not box to it either
        SealedBox(PublicKey(bytes.fromhex(point))).encrypt(b"5 Main St")
    with pytest.raises(JsError) as info:
        js("encryptFor", point, "5 Main St")
    assert (info.value.name, info.value.message) == ("EncryptionKeyError", UNSAFE)


def test_valid_key__accepted_in_any_hex_spelling(js):
    key = PrivateKey.generate().public_key.encode()
    spellings = [hex0x(key), key.hex(), "0x" + key.hex().upper()]
    assert js.many([("validatePublicKey", [spelling]) for spelling in spellings]) == [hex0x(key)] * 3


def test_empty_message__refused(js):
    key = hex0x(PrivateKey.generate().public_key.encode())
    with pytest.raises(JsError, match="Nothing to seal"):
        js("encryptFor", key, "")
