"""UUPS upgrades: only the upgrader may upgrade, and every order, in every state, survives it."""

import ape
import pytest

from scripts._constants import ETH
from scripts._constants import LineStatus as Status
from scripts.upgrade import upgrade_marketplace

IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)

PRICE = 10**16  # 0.01 ETH, as the list_product fixture's default


def _implementation(chain, proxy):
    return "0x" + bytes(chain.provider.get_storage(proxy.address, IMPLEMENTATION_SLOT))[-20:].hex()


def test_upgrade__by_non_upgrader__reverts(project, marketplace, mallory):
    new_impl = mallory.deploy(project.MarketplaceV2Example)
    with ape.reverts(
        marketplace.AccessControlUnauthorizedAccount, account=mallory, neededRole=marketplace.UPGRADER_ROLE()
    ):
        marketplace.upgradeToAndCall(new_impl, b"", sender=mallory)


def test_upgrade__implementation_cannot_be_upgraded_directly(project, deployment, admin):
    _, implementation, _ = deployment
    new_impl = admin.deploy(project.MarketplaceV2Example)
    with ape.reverts(implementation.UUPSUnauthorizedCallContext):
        implementation.upgradeToAndCall(new_impl, b"", sender=admin)


@pytest.fixture
def lines_in_every_state(line_in, usd):
    # Expired first: getting there travels past the accept window, which would expire the others.
    order = [Status.EXPIRED] + [s for s in range(Status.PAID, Status.REFUNDED + 1) if s != Status.EXPIRED]
    lines = {status: line_in(status) for status in order}
    lines["usd_delivered"] = line_in(Status.DELIVERED, price=10**6, token=usd)
    return lines


def test_upgrade__keeps_every_order_and_flows_continue(
    chain, project, marketplace, lines_in_every_state, admin, alice, carol, usd, terms
):
    lines = lines_in_every_state
    before = {key: marketplace.getLine(line_id) for key, line_id in lines.items()}
    credits_before = {who: marketplace.creditOf(who, ETH) for who in (alice, carol)}
    fees_before = marketplace.feesOf(ETH)
    balance_before = marketplace.balance

    implementation = upgrade_marketplace(admin, marketplace.address, "MarketplaceV2Example")

    assert _implementation(chain, marketplace).lower() == implementation.address.lower()
    v2 = project.MarketplaceV2Example.at(marketplace.address)
    assert v2.version() == "2.0.0-example"
    # Everything from before the upgrade is intact...
    assert {key: v2.getLine(line_id) for key, line_id in lines.items()} == before
    assert {who: v2.creditOf(who, ETH) for who in (alice, carol)} == credits_before
    assert (v2.feesOf(ETH), v2.balance, v2.currentTermsId(), v2.treasury()) == (
        fees_before, balance_before, 1, marketplace.treasury(),
    )  # fmt: skip
    assert v2.hasRole(v2.UPGRADER_ROLE(), admin) and v2.isTokenAllowed(usd)
    # ...the new field works...
    v2.setMotto("trust the code", sender=admin)
    assert v2.motto() == "trust the code"
    # ...and the open lines carry on under the new code.
    v2.acceptLine(lines[Status.PAID], sender=alice)
    v2.shipLine(lines[Status.ACCEPTED], "DHL", "X1", sender=alice)
    v2.confirmDelivery(lines[Status.SHIPPED], sender=carol)
    v2.completeLine(lines[Status.DELIVERED], sender=carol)
    v2.completeLine(lines["usd_delivered"], sender=carol)
    v2.withdraw(ETH, sender=alice)
    v2.withdraw(usd, sender=alice)
    assert v2.getLine(lines[Status.DELIVERED]).status == Status.COMPLETED
    assert v2.creditOf(alice, ETH) == 0 and usd.balanceOf(alice) > 0
    # New orders work too.
    product_id = v2.listProduct(ETH, PRICE, 1, "ipfs://after", sender=alice).events.filter(v2.ProductListed)[0]
    v2.checkout([(product_id.productId, 1)], ETH, PRICE, value=PRICE, sender=carol)
