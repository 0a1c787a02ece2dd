"""Shared fixtures: the cast of accounts and a freshly deployed mall, reset between tests."""

import pytest

from scripts.deploy import deploy_marketplace


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
def mallory(accounts):
    """Not a party to anything."""
    return accounts[9]


@pytest.fixture(scope="session")
def deployment(admin):
    """(marketplace at its proxy, implementation, start block): deployed once per session."""
    return deploy_marketplace(admin)


@pytest.fixture(scope="session")
def marketplace(deployment):
    return deployment[0]


@pytest.fixture
def list_product(marketplace, alice):
    """list_product(price=..., stock=..., seller=...) -> product id."""

    def _list(price=10**16, stock=10, seller=alice, metadata="ipfs://demo-product"):
        receipt = marketplace.listProduct(price, stock, metadata, sender=seller)
        return receipt.events.filter(marketplace.ProductListed)[0].productId

    return _list


@pytest.fixture
def place_order(marketplace, carol):
    """place_order(product_id, quantity=1, buyer=carol) -> order id, paying the exact price."""

    def _buy(product_id, quantity=1, buyer=carol):
        price = marketplace.getProduct(product_id).price
        receipt = marketplace.buy(product_id, quantity, value=price * quantity, sender=buyer)
        return receipt.events.filter(marketplace.OrderPlaced)[0].orderId

    return _buy
