"""Gas of the logistics oracle's attestations, through both proxies (not an ape script: the leading
underscore; scripts/bench_gas.py calls it). Each figure is a steady-state occurrence: the seller, the
buyer and the attester's nonce word are warmed first."""

from __future__ import annotations

from ape import chain

from oracle.attestation import Delivery, Domain, sign_delivery, tracking_hash
from scripts._constants import ETH

PRICE = 10**16
TRACKING_REF = "JD014600006281"
# ≈ the buyer's confirmDelivery plus a signature check, a cross-contract read and a nonce bit.
TARGETS = {"attest_delivery": 75_000}


def measure(marketplace, oracle, accounts, attester) -> list[tuple[str, int]]:
    """``accounts``: ape's test accounts (1 sells, 3 buys, 9 relays); ``attester`` holds ATTESTER_ROLE
    and its private key. Returns [(operation, gas used)]."""
    seller, buyer, relayer = accounts[1], accounts[3], accounts[9]
    domain = Domain.from_eip5267(oracle.eip712Domain())
    product = marketplace.listProduct(ETH, PRICE, 1_000, "ipfs://bench", sender=seller).events[-1].productId
    nonces = iter(range(1_000))

    def shipped_lines(count: int) -> list[int]:
        cart = [(product, 1)] * count
        receipt = marketplace.checkout(cart, ETH, PRICE * count, value=PRICE * count, sender=buyer)
        lines = [event.lineId for event in receipt.events.filter(marketplace.LinePlaced)]
        for line_id in lines:
            marketplace.acceptLine(line_id, sender=seller)
            marketplace.shipLine(line_id, "DHL", TRACKING_REF, sender=seller)
        return lines

    def signed(line_id: int, nonce: int | None = None) -> tuple[tuple, bytes]:
        now = chain.blocks.head.timestamp
        delivery = Delivery(
            line_id, tracking_hash(TRACKING_REF), now, next(nonces) if nonce is None else nonce, now + 600
        )
        return delivery.as_tuple(), sign_delivery(attester.private_key, domain, delivery)

    def attest_batch(lines: list[int]):
        pairs = [signed(line_id) for line_id in lines]
        return oracle.attestDeliveries([d for d, _ in pairs], [s for _, s in pairs], sender=relayer)

    gas: list[tuple[str, int]] = []
    (line_id,) = shipped_lines(1)
    gas.append(
        ("attest_delivery_first_in_nonce_word", oracle.attestDelivery(*signed(line_id), sender=relayer).gas_used)
    )
    (line_id,) = shipped_lines(1)
    single = oracle.attestDelivery(*signed(line_id), sender=relayer).gas_used
    gas.append(("attest_delivery", single))
    batch_of_3 = attest_batch(shipped_lines(3)).gas_used
    gas.append(("attest_deliveries_3_lines", batch_of_3))
    gas.append(("each_extra_line_in_attest_batch", (batch_of_3 - single) // 2))
    return gas
