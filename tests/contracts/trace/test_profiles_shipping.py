"""Profiles and sealed shipping details: keys exactly 32 bytes and never zero, envelopes posted by the
line's buyer only, sealed to someone who published a key, within the size bound; the recipient (and
nobody else) opens them with PyNaCl, as libsodium would."""

import pytest
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from strict_reverts import reverts_with

from scripts._constants import LineStatus as Status

ADDRESS = "Carol Buyer\nHauptstraße 5\n10115 Berlin\nGermany\n+49 30 1234567"
AVATAR = "ipfs://bafkreib3xxl5c6n3rw6gqj5wyehdyfbjn6nvmmxayk5dnf4h7wmsb5k6am"
ZERO_ADDRESS = "0x" + "00" * 20


def seal(public_key: bytes, text: str = ADDRESS) -> bytes:
    return SealedBox(PublicKey(bytes(public_key))).encrypt(text.encode())


@pytest.fixture
def keys():
    """name -> a fresh X25519 key pair (PyNaCl PrivateKey)."""
    return {name: PrivateKey.generate() for name in ("alice", "arbiter", "mallory")}


@pytest.fixture
def published(profiles, keys, alice, arbiter2):
    """alice (the seller) and an arbiter (arbiter2) have published their keys."""
    profiles.setProfile("Alice's teas", AVATAR, keys["alice"].public_key.encode(), sender=alice)
    profiles.setProfile("Arbiter", "", keys["arbiter"].public_key.encode(), sender=arbiter2)
    return keys


# ---------------------------------------------------------------- profiles


def test_set_profile__stores_the_key_and_says_everything(profiles, alice):
    key = PrivateKey.generate().public_key.encode()
    receipt = profiles.setProfile("Alice's teas", AVATAR, key, sender=alice)
    assert receipt.events == [
        profiles.ProfileSet(account=alice, displayName="Alice's teas", avatarURI=AVATAR, encryptionKey=key)
    ]
    assert profiles.encryptionKeyOf(alice) == key


def test_set_profile__again_replaces_the_key(profiles, alice):
    first, second = (PrivateKey.generate().public_key.encode() for _ in range(2))
    profiles.setProfile("Alice", "", first, sender=alice)
    profiles.setProfile("Alice's teas", "", second, sender=alice)
    assert profiles.encryptionKeyOf(alice) == second


def test_encryption_key_of__none(profiles, mallory):
    assert profiles.encryptionKeyOf(mallory) == bytes(32)


@pytest.mark.parametrize(
    "key",
    [b"", bytes(30) + b"\x01", b"\x01" * 33, bytes(32), b"\x01" * 64],
    ids=["empty", "31-bytes", "33-bytes", "all-zero", "64-bytes"],
)
def test_set_profile__malformed_key__reverts(profiles, alice, key):
    with reverts_with(profiles.ProfilesInvalidEncryptionKey, key=key):
        profiles.setProfile("Alice", "", key, sender=alice)


def test_set_profile__name_or_avatar_too_long__reverts(profiles, alice):
    key = PrivateKey.generate().public_key.encode()
    name = "é" * 33  # 66 bytes of UTF-8: the limit is in bytes
    with reverts_with(profiles.ProfilesFieldTooLong, field="displayName", length=66, max=64):
        profiles.setProfile(name, "", key, sender=alice)
    with reverts_with(profiles.ProfilesFieldTooLong, field="avatarURI", length=257, max=256):
        profiles.setProfile("Alice", "x" * 257, key, sender=alice)
    profiles.setProfile("é" * 32, "x" * 256, key, sender=alice)  # exactly at the limits


# ---------------------------------------------------------------- shipping details


def test_post_shipping_details__the_seller_and_only_the_seller_opens_them(profiles, line_in, published, alice, carol):
    line_id = line_in(Status.PAID)
    seller_key = published["alice"].public_key.encode()
    envelope = seal(seller_key)
    receipt = profiles.postShippingDetails(line_id, alice, envelope, sender=carol)
    assert receipt.events == [
        profiles.ShippingDetailsPosted(lineId=line_id, recipient=alice, recipientKey=seller_key, ciphertext=envelope)
    ]
    posted = receipt.events[0].ciphertext
    assert SealedBox(published["alice"]).decrypt(bytes(posted)).decode() == ADDRESS
    for other in ("arbiter", "mallory"):
        with pytest.raises(CryptoError):
            SealedBox(published[other]).decrypt(bytes(posted))


def test_post_shipping_details__resealed_for_the_arbiter_in_a_dispute(profiles, line_in, published, carol, arbiter2):
    line_id = line_in(Status.SHIPPED)
    arbiter_key = profiles.encryptionKeyOf(arbiter2)  # what the buyer's browser reads through its wallet
    receipt = profiles.postShippingDetails(line_id, arbiter2, seal(arbiter_key), sender=carol)
    event = receipt.events.filter(profiles.ShippingDetailsPosted)[0]
    assert (event.recipient, event.recipientKey) == (arbiter2.address, arbiter_key)
    assert SealedBox(published["arbiter"]).decrypt(bytes(event.ciphertext)).decode() == ADDRESS


@pytest.mark.parametrize("who", ["alice", "dave", "mallory"])
def test_post_shipping_details__not_the_buyer__reverts(profiles, line_in, published, alice, who, request):
    line_id = line_in(Status.PAID)
    caller = request.getfixturevalue(who)
    with reverts_with(profiles.ProfilesNotBuyer, lineId=line_id, caller=caller):
        profiles.postShippingDetails(line_id, alice, seal(published["alice"].public_key.encode()), sender=caller)


def test_post_shipping_details__unknown_line__reverts(profiles, published, alice, carol):
    with reverts_with(profiles.ProfilesNotBuyer, lineId=999, caller=carol):
        profiles.postShippingDetails(999, alice, seal(published["alice"].public_key.encode()), sender=carol)


@pytest.mark.parametrize("who", ["bob", "zero"])
def test_post_shipping_details__recipient_without_key__reverts(profiles, line_in, carol, bob, who):
    line_id = line_in(Status.PAID)
    recipient = bob.address if who == "bob" else ZERO_ADDRESS
    with reverts_with(profiles.ProfilesNoEncryptionKey, recipient=recipient):
        profiles.postShippingDetails(line_id, recipient, b"\x01" * 100, sender=carol)


@pytest.mark.parametrize("length", [0, 48, 1025, 4096])
def test_post_shipping_details__size_out_of_bounds__reverts(profiles, line_in, published, alice, carol, length):
    line_id = line_in(Status.PAID)
    with reverts_with(profiles.ProfilesInvalidCiphertextLength, length=length, min=49, max=1024):
        profiles.postShippingDetails(line_id, alice, b"\x07" * length, sender=carol)


@pytest.mark.parametrize("length", [49, 1024])
def test_post_shipping_details__size_at_the_bounds(profiles, line_in, published, alice, carol, length):
    line_id = line_in(Status.PAID)
    envelope = seal(published["alice"].public_key.encode(), "x" * (length - 48))
    assert len(envelope) == length
    profiles.postShippingDetails(line_id, alice, envelope, sender=carol)
