"""Batches through the Marketplace's multicall: a catalogue import in one transaction, all or
nothing, and no way to reuse one payment for several checkouts."""

import ape
from strict_reverts import reverts_with

from scripts._constants import ETH

PRICE = 10**16


def test_multicall__lists_a_catalogue_in_one_transaction(marketplace, alice):
    first = marketplace.productCount() + 1
    calls = [marketplace.listProduct.encode_input(ETH, PRICE * (i + 1), 5, f"ipfs://item-{i}") for i in range(3)]
    receipt = marketplace.multicall(calls, sender=alice)
    listed = receipt.events.filter(marketplace.ProductListed)
    assert [(e.productId, e.sellerId, e.price) for e in listed] == [
        (first + i, marketplace.memberIdOf(alice), PRICE * (i + 1)) for i in range(3)
    ]
    assert all(marketplace.getProduct(first + i).stock == 5 for i in range(3))


def test_multicall__one_bad_call__nothing_happens(marketplace, alice):
    count = marketplace.productCount()
    calls = [
        marketplace.listProduct.encode_input(ETH, PRICE, 5, "ipfs://good"),
        marketplace.listProduct.encode_input(ETH, 0, 5, "ipfs://free"),
    ]
    with reverts_with(marketplace.MarketZeroPrice):
        marketplace.multicall(calls, sender=alice)
    assert marketplace.productCount() == count


def test_multicall__cannot_carry_ether(marketplace, list_product, carol):
    """Not payable: one payment can never be counted by several batched checkouts."""
    product_id = list_product()
    checkout = marketplace.checkout.encode_input([(product_id, 1)], ETH, PRICE)
    with ape.reverts():  # a non-payable function refuses value before anything runs (no error data)
        carol.transfer(marketplace, PRICE, data=marketplace.multicall.encode_input([checkout, checkout]))
    with reverts_with(marketplace.MarketWrongPayment, expected=PRICE, sent=0):
        marketplace.multicall([checkout], sender=carol)
