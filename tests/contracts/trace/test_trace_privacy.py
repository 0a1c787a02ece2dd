"""No plaintext personal data on chain: after a full order (profile keys, checkout, the sealed
address for the seller, shipping, a carrier's line event, completion, a review, the address resealed
for an arbiter), no 8-byte piece of the buyer's address is anywhere in any transaction's input, any
log, or the chain's whole state (anvil_dumpState: every account's storage and code)."""

import gzip

import pytest
from ape import chain
from nacl.public import PrivateKey, PublicKey, SealedBox

from scripts._bench_trace import bytes32

ADDRESS = "Carol Whitfield-Okafor\nFlat 3, 17 Marchmont Crescent\nEdinburgh EH9 1HD\n+44 7700 900123"
WINDOW = 8  # bytes: random chain data matches a given 8-byte piece with odds of 2**-64


def pieces(text: str) -> set[bytes]:
    data = text.encode()
    return {data[i : i + WINDOW] for i in range(len(data) - WINDOW + 1)}


def chain_record(since_block: int) -> dict[str, bytes]:
    """Everything the chain keeps, by where it is kept: raw bytes of inputs and logs, the state dump."""
    inputs, logs = b"", b""
    for number in range(since_block, chain.blocks.height + 1):
        for tx in chain.blocks[number].transactions:
            inputs += bytes(tx.data)
            for log in chain.provider.get_receipt(tx.txn_hash.hex()).logs:
                logs += b"".join(bytes(topic) for topic in log["topics"]) + bytes(log["data"])
    dump = gzip.decompress(bytes.fromhex(chain.provider.make_request("anvil_dumpState", [])[2:]))
    return {"transaction inputs": inputs, "logs": logs, "state (hex)": dump.lower()}


def found_in(record: dict[str, bytes], text: str) -> dict[str, int]:
    """How many pieces of `text` each part of the record holds (the state dump holds hex)."""
    hits = {}
    for where, data in record.items():
        needles = {piece.hex().encode() for piece in pieces(text)} if where.startswith("state") else pieces(text)
        hits[where] = sum(needle in data for needle in needles)
    return hits


@pytest.fixture
def full_order(marketplace, provenance, reviews, profiles, list_product, buy, alice, carol, carrier, arbiter2):
    """Run a whole order with sealed shipping details; returns the first block it used."""
    start = chain.blocks.height + 1
    seller_key, arbiter_key = PrivateKey.generate(), PrivateKey.generate()
    profiles.setProfile("Alice's teas", "ipfs://avatar", seller_key.public_key.encode(), sender=alice)
    profiles.setProfile("Arbiter Anne", "", arbiter_key.public_key.encode(), sender=arbiter2)
    product = list_product()
    batch = provenance.registerBatch(product, "ipfs://batch", sender=alice).events[0].batchId
    provenance.authorizeParticipant(batch, carrier, 5, sender=alice)

    (line_id,) = buy([(product, 1)])
    for recipient in (alice, arbiter2):  # at checkout, and again when a dispute is escalated
        sealed = SealedBox(PublicKey(bytes(profiles.encryptionKeyOf(recipient)))).encrypt(ADDRESS.encode())
        profiles.postShippingDetails(line_id, recipient, sealed, sender=carol)
    marketplace.acceptLine(line_id, sender=alice)
    marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=alice)
    provenance.linkLine(line_id, batch, sender=alice)
    now = chain.blocks.head.timestamp
    provenance.recordLineEvent(
        line_id, bytes32("arriving"), bytes32("in_progress"), now, "Glasgow sorting hub", bytes(32), "", sender=carrier
    )
    marketplace.confirmDelivery(line_id, sender=carol)
    marketplace.completeLine(line_id, sender=carol)
    reviews.postReview(line_id, 5, "ipfs://review", bytes(32), sender=carol)

    # What each recipient sees: the address, opened from the chain with their own key only.
    for key in (seller_key, arbiter_key):
        posted = profiles.ShippingDetailsPosted.range(start, chain.blocks.height + 1, search_topics={"lineId": line_id})
        opened = [SealedBox(key).decrypt(bytes(log.ciphertext)).decode() for log in posted if _mine(log, key)]
        assert opened == [ADDRESS]
    return start


def _mine(log, key) -> bool:
    return bytes(log.recipientKey) == key.public_key.encode()


def test_full_order__no_piece_of_the_address_on_chain(full_order):
    record = chain_record(full_order)
    assert found_in(record, ADDRESS) == {where: 0 for where in record}


def test_full_order__the_search_finds_what_is_public(full_order):
    # The same search finds public text (the carrier's read point, the seller's display name) in
    # every part: inputs, logs, and the state dump (which keeps the blocks' transactions too).
    record = chain_record(full_order)
    for public in ("Glasgow sorting hub", "Alice's teas"):
        hits = found_in(record, public)
        assert all(hits.values()), (public, hits)
