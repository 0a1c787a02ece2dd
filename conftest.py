"""Shared fixtures: the cast of accounts, a freshly deployed mall, and factories for the
common steps (list, buy, move a line along). Ape reverts the chain after every test."""

import pytest
from ape import chain

from scripts._constants import ETH, USD, LineStatus
from scripts.deploy import (
    DEFAULT_TERMS,
    DEFAULT_WINDOWS,
    deploy_demo_stablecoin,
    deploy_marketplace,
    deploy_resolution_center,
)

PRICE = 10**16  # 0.01 ETH
Status = LineStatus
__all__ = ["ETH", "PRICE", "USD", "Status"]


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def alice(accounts):
    """A seller."""
    return accounts[1]


@pytest.fixture(scope="session")
def bob(accounts):
    """Another seller."""
    return accounts[2]


@pytest.fixture(scope="session")
def carol(accounts):
    """A buyer."""
    return accounts[3]


@pytest.fixture(scope="session")
def dave(accounts):
    """Another buyer."""
    return accounts[4]


@pytest.fixture(scope="session")
def arbiter1(accounts):
    """A registered arbiter (fee 200 bps)."""
    return accounts[5]


@pytest.fixture(scope="session")
def arbiter2(accounts):
    """Another registered arbiter (fee 300 bps)."""
    return accounts[6]


@pytest.fixture(scope="session")
def support(accounts):
    """Customer-service staff."""
    return accounts[7]


@pytest.fixture(scope="session")
def treasury(accounts):
    """Where platform fees go."""
    return accounts[8]


@pytest.fixture(scope="session")
def mallory(accounts):
    """Not a party to anything."""
    return accounts[9]


@pytest.fixture(scope="session")
def terms():
    return dict(DEFAULT_TERMS)


@pytest.fixture(scope="session")
def deployment(admin, treasury):
    """(marketplace at its proxy, implementation, start block): deployed once per session."""
    return deploy_marketplace(admin, treasury=treasury)


@pytest.fixture(scope="session")
def marketplace(deployment):
    return deployment[0]


@pytest.fixture(scope="session")
def windows():
    return dict(DEFAULT_WINDOWS)


@pytest.fixture(scope="session")
def resolution(admin, marketplace, arbiter1, arbiter2, support):
    """The resolution centre, with two arbiters and a support agent."""
    center, _ = deploy_resolution_center(admin, marketplace)
    center.registerArbiter(arbiter1, 200, sender=admin)
    center.registerArbiter(arbiter2, 300, sender=admin)
    center.grantRole(center.SUPPORT_ROLE(), support, sender=admin)
    return center


@pytest.fixture(scope="session")
def usd(admin, marketplace, carol, dave):
    """The demo stablecoin, allow-listed, with 1,000,000 for each buyer."""
    token = deploy_demo_stablecoin(admin, marketplace)
    for buyer in (carol, dave):
        token.mint(buyer, 1_000_000 * USD, sender=admin)
    return token


@pytest.fixture
def list_product(marketplace, alice):
    """list_product(price=..., stock=..., seller=..., token=...) -> product id."""

    def _list(price=PRICE, stock=10, seller=alice, token=ETH, metadata="ipfs://demo-product"):
        receipt = marketplace.listProduct(token, price, stock, metadata, sender=seller)
        return receipt.events.filter(marketplace.ProductListed)[0].productId

    return _list


def cart_total(marketplace, cart) -> int:
    return sum(marketplace.getProduct(product_id).price * quantity for product_id, quantity in cart)


@pytest.fixture
def buy(marketplace, carol):
    """buy([(product_id, quantity), ...], buyer=carol, token=ETH) -> list of line ids.

    Pays the exact total; for an ERC-20 approves it first.
    """

    def _buy(cart, buyer=carol, token=ETH):
        total = cart_total(marketplace, cart)
        if token == ETH:
            receipt = marketplace.checkout(cart, ETH, total, value=total, sender=buyer)
        else:
            token.approve(marketplace, total, sender=buyer)
            receipt = marketplace.checkout(cart, token, total, sender=buyer)
        return [event.lineId for event in receipt.events.filter(marketplace.LinePlaced)]

    return _buy


@pytest.fixture
def line_in(marketplace, list_product, buy, alice, carol, terms):
    """line_in(status, price=..., token=ETH) -> a fresh line id (alice sells, carol buys) in
    that status, moved there through the public functions."""

    def _line(status, price=PRICE, token=ETH, quantity=1):
        product_id = list_product(price=price, token=token)
        (line_id,) = buy([(product_id, quantity)], token=token)
        if status == Status.PAID:
            return line_id
        if status == Status.CANCELLED:
            marketplace.cancelLine(line_id, sender=carol)
            return line_id
        if status == Status.REJECTED:
            marketplace.rejectLine(line_id, sender=alice)
            return line_id
        if status == Status.EXPIRED:
            chain.pending_timestamp += terms["acceptWindow"] + 1
            marketplace.expireLine(line_id, sender=carol)
            return line_id
        marketplace.acceptLine(line_id, sender=alice)
        if status == Status.ACCEPTED:
            return line_id
        marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=alice)
        if status == Status.SHIPPED:
            return line_id
        if status == Status.REFUNDED:
            amount = marketplace.getLine(line_id).amount
            marketplace.offerRefund(line_id, amount, sender=alice)
            marketplace.acceptRefund(line_id, amount, sender=carol)
            return line_id
        marketplace.confirmDelivery(line_id, sender=carol)
        if status == Status.DELIVERED:
            return line_id
        marketplace.completeLine(line_id, sender=carol)
        assert status == Status.COMPLETED
        return line_id

    return _line
