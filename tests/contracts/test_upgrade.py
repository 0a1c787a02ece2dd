"""UUPS upgrades: only the upgrader may upgrade, and state and flows survive the upgrade."""

import ape

from scripts.upgrade import upgrade_marketplace

PRICE = 10**16
IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)


def _implementation(chain, proxy):
    return "0x" + chain.provider.get_storage(proxy.address, IMPLEMENTATION_SLOT)[-20:].hex()


def test_upgrade__by_non_upgrader__reverts(project, marketplace, mallory):
    new_impl = mallory.deploy(project.MarketplaceV2Example)
    with ape.reverts(
        marketplace.AccessControlUnauthorizedAccount, account=mallory, neededRole=marketplace.UPGRADER_ROLE()
    ):
        marketplace.upgradeToAndCall(new_impl, b"", sender=mallory)


def test_upgrade__keeps_state_and_flows_continue(
    chain, project, marketplace, list_product, place_order, admin, alice, bob, carol, dave
):
    mug = list_product(stock=5)
    lamp = list_product(seller=bob, stock=3)
    completed = place_order(mug, quantity=2)
    marketplace.confirmDelivery(completed, sender=carol)
    open_order = place_order(lamp, buyer=dave)

    implementation = upgrade_marketplace(admin, marketplace.address, "MarketplaceV2Example")

    assert _implementation(chain, marketplace).lower() == implementation.address.lower()
    v2 = project.MarketplaceV2Example.at(marketplace.address)
    assert v2.version() == "2.0.0-example"
    # Everything from before the upgrade is intact...
    assert v2.getProduct(mug) == (alice.address, PRICE, 3)
    assert v2.getProduct(lamp).stock == 2
    assert v2.getOrder(completed).status == 2
    assert v2.getOrder(open_order).status == 1
    assert v2.creditOf(alice) == 2 * PRICE
    assert v2.hasRole(v2.UPGRADER_ROLE(), admin)
    # ...the new field works...
    v2.setMotto("trust the code", sender=admin)
    assert v2.motto() == "trust the code"
    # ...and the open order completes under the new code.
    v2.confirmDelivery(open_order, sender=dave)
    v2.withdraw(sender=bob)
    assert v2.creditOf(bob) == 0
    assert v2.balance == 2 * PRICE  # alice has not withdrawn yet
