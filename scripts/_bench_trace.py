"""Gas of the provenance, review and profile operations, measured through their proxies (not an
ape script: the leading underscore; scripts/bench_gas.py calls ``measure``).

Each figure is a steady-state occurrence, as in bench_gas: counters are warmed by a first round,
and the Marketplace lines are fresh ones in the state each operation needs.
"""

from __future__ import annotations

import os

from ape import chain

from scripts._constants import ETH

PRICE = 10**16
# Realistic calldata: documents on IPFS (a CIDv1 is 59 characters), a GS1 SGLN read point.
METADATA = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
READ_POINT = "urn:epc:id:sgln:4012345.00001.0"
DOC_HASH = bytes.fromhex("8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4")
# A sealed postal address with a phone number: 48 bytes of overhead + 150 bytes of text.
SHIPPING_CIPHERTEXT_BYTES = 48 + 150

# The targets (bench_gas prints ✓ or ✗ against them).
TARGETS = {
    "record_trace_event": 40_000,
    "record_trace_event_by_seller": 40_000,
    "record_line_trace_event": 40_000,
    "post_review": 60_000,
}
# What the tests hold the code to: the targets, except two that cannot be met as designed
# (docs/traceability.md, "Gas"): a line event reads the line's batch link as well (a cold slot),
# and a review stores a new slot and reads the line and its buyer through the Marketplace's proxy.
CEILINGS = TARGETS | {"record_line_trace_event": 42_000, "post_review": 72_000}

CARRIER = 5  # index in the test accounts of the participant authorised as a carrier
ROLE_CARRIER = 5  # IProvenance.Role.Carrier


def bytes32(text: str) -> bytes:
    """A GS1 CBV short name as the contracts take it: left-aligned ASCII in 32 bytes."""
    return text.encode().ljust(32, b"\0")


def measure(marketplace, contracts: dict, accounts, *, seller_index=1, buyer_index=3) -> list[tuple[str, int]]:
    """Do each operation once on the chain and return ``[(operation, gas_used), ...]``.

    ``contracts`` is what ``deploy_trace`` returns (name -> (proxy contract, implementation)) or
    name -> proxy contract; ``accounts`` the test accounts (seller, buyer and carrier by index).
    """
    provenance, reviews, profiles = (_proxy(contracts[name]) for name in ("Provenance", "Reviews", "Profiles"))
    seller, buyer, carrier = accounts[seller_index], accounts[buyer_index], accounts[CARRIER]

    def batch_of(receipt):
        return receipt.events.filter(provenance.BatchRegistered)[0].batchId

    gas: list[tuple[str, int]] = []
    receipt = marketplace.listProduct(ETH, PRICE, 1_000, METADATA, sender=seller)
    product = receipt.events.filter(marketplace.ProductListed)[0].productId
    batch_of(provenance.registerBatch(product, METADATA, sender=seller))  # warms the batch counter

    receipt = provenance.registerBatch(product, METADATA, sender=seller)
    gas.append(("register_batch", receipt.gas_used))
    batch = batch_of(receipt)
    receipt = provenance.authorizeParticipant(batch, carrier, ROLE_CARRIER, sender=seller)
    gas.append(("authorize_participant", receipt.gas_used))
    receipt = provenance.recordEvent(batch, *trace_event("shipping", "in_transit"), sender=carrier)
    gas.append(("record_trace_event", receipt.gas_used))
    receipt = provenance.recordEvent(batch, *trace_event("inspecting", "conformant"), sender=seller)
    gas.append(("record_trace_event_by_seller", receipt.gas_used))

    shipped, completed = (_line(marketplace, product, seller, buyer) for _ in range(2))
    for line in (shipped, completed):
        marketplace.acceptLine(line, sender=seller)
        marketplace.shipLine(line, "DHL", "JD014600006281", sender=seller)
    marketplace.completeLine(completed, sender=buyer)
    gas.append(("link_line", provenance.linkLine(shipped, batch, sender=seller).gas_used))
    receipt = provenance.recordLineEvent(shipped, *trace_event("arriving", "in_progress"), sender=carrier)
    gas.append(("record_line_trace_event", receipt.gas_used))

    content = os.urandom(32)
    gas.append(("post_review", reviews.postReview(completed, 4, METADATA, content, sender=buyer).gas_used))
    gas.append(("reply_to_review", reviews.replyToReview(completed, METADATA, content, sender=seller).gas_used))
    gas.append(("amend_review", reviews.amendReview(completed, 5, METADATA, content, sender=buyer).gas_used))

    key = os.urandom(32)
    gas.append(("set_profile", profiles.setProfile("Alice's tea shop", METADATA, key, sender=seller).gas_used))
    gas.append(("update_profile", profiles.setProfile("Alice's teas", METADATA, key, sender=seller).gas_used))
    line = _line(marketplace, product, seller, buyer)
    envelope = os.urandom(SHIPPING_CIPHERTEXT_BYTES)
    gas.append(("post_shipping_details", profiles.postShippingDetails(line, seller, envelope, sender=buyer).gas_used))
    return gas


def _proxy(entry):
    return entry[0] if isinstance(entry, tuple) else entry


def trace_event(step: str, disposition: str) -> tuple:
    """recordEvent's arguments after the batch (or line) id, for an event that happened just now."""
    return bytes32(step), bytes32(disposition), chain.blocks.head.timestamp, READ_POINT, DOC_HASH, METADATA


def _line(marketplace, product, seller, buyer) -> int:
    receipt = marketplace.checkout([(product, 1)], ETH, PRICE, value=PRICE, sender=buyer)
    return receipt.events.filter(marketplace.LinePlaced)[0].lineId
