"""Seed the demo: two sellers list products in ETH and in the demo stablecoin, buyers get
stablecoins, a few orders are left in different states so every screen has something, two
arbiters and a support agent take their posts, and a dispute and a support case are under way.

    ape run seed --network ethereum:local:node

Uses the dev chain's test accounts (the same keys anvil prints): #1 and #2 are the sellers,
#3 and #4 buyers, #5 and #6 arbiters, #7 support. Only for local chains.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand
from eth_utils import keccak
from rich.progress import Progress

from scripts._constants import ETH, ETHER, USD
from scripts.deploy import read_record, record_path

# (seller index, name, price, stock, category, priced in the stablecoin?); the metadata is a
# data: URI so the demo needs no IPFS node. Real listings point at ipfs:// or https:// documents.
CATALOG = [
    (1, "Hand-thrown stoneware mug", ETHER // 100, 40, "Home", False),
    (1, "Single-origin coffee beans, 1 kg", 24 * USD, 120, "Grocery", True),
    (1, "Linen tea towel set", ETHER // 80, 60, "Home", False),
    (2, "Mechanical keyboard, 75%", 149 * USD, 15, "Electronics", True),
    (2, "USB-C hub, 7 ports", ETHER // 40, 50, "Electronics", False),
    (2, "Noise-cancelling headphones", 279 * USD, 8, "Electronics", True),
]
BUYER_STABLECOINS = 5_000 * USD


def metadata_uri(name: str, category: str) -> str:
    document = json.dumps({"name": name, "category": category, "description": f"{name}, from the demo catalog."})
    return "data:application/json," + quote(document, safe="")


ARBITER_FEES_BPS = (150, 250)  # the demo arbiters' published fees


def seed_resolution(marketplace, resolution, admin, sellers, buyers, arbiters, support, product_ids) -> None:
    """Arbiters and support take their posts; dave's hub dispute went to an arbiter, carol disputes a
    shipped mug (alice proposed a partial refund), and carol asks support about another hub.

    Runs before the other orders: the escalation needs the settlement window (10 minutes on the demo
    chain) to pass, and the chain's clock jumps that far."""
    for arbiter, fee in zip(arbiters, ARBITER_FEES_BPS, strict=True):
        resolution.registerArbiter(arbiter, fee, sender=admin)
    resolution.grantRole(resolution.SUPPORT_ROLE(), support, sender=admin)
    mug, _, _, _, hub, _ = product_ids
    carol, dave = buyers
    alice, bob = sellers[1], sellers[2]

    def shipped(product, buyer, seller, tracking):
        price = marketplace.getProduct(product).price
        receipt = marketplace.checkout([(product, 1)], ETH, price, value=price, sender=buyer)
        line_id = receipt.events.filter(marketplace.LinePlaced)[0].lineId
        marketplace.acceptLine(line_id, sender=seller)
        marketplace.shipLine(line_id, "DHL", tracking, sender=seller)
        return line_id

    line = shipped(hub, dave, bob, "JD014600009002")
    resolution.raiseDispute(line, "Only 4 of the 7 ports work.", sender=dave)
    resolution.proposeSettlement(line, 10_000, sender=dave)
    resolution.proposeSettlement(line, 2_000, sender=bob)
    # anvil's own method: ape's generic node provider has no timestamp setter.
    chain.provider.make_request("evm_setNextBlockTimestamp", [resolution.getDispute(line).deadline + 1])
    chain.provider.make_request("evm_mine", [])
    resolution.escalate(line, sender=dave)
    chain.provider.make_request("evm_mine", [])  # the draw uses the escalation block's hash: a block later
    resolution.drawArbiter(line, sender=admin)

    line = shipped(mug, carol, alice, "JD014600009001")
    resolution.raiseDispute(line, "The mug arrived with a chipped rim.", sender=carol)
    photo = "https://example.org/photos/chipped-rim.jpg"
    resolution.submitEvidence(line, photo, keccak(text=photo), sender=carol)
    resolution.proposeSettlement(line, 3_000, sender=alice)

    line = shipped(hub, carol, bob, "JD014600009003")
    question, answer = "Where is my parcel?", "We asked the carrier; it should arrive on Monday."
    receipt = resolution.openCase(line, "data:text/plain," + quote(question), keccak(text=question), sender=carol)
    case_id = receipt.events.filter(resolution.CaseOpened)[0].caseId
    resolution.replyToCase(case_id, "data:text/plain," + quote(answer), keccak(text=answer), sender=support)
    resolution.authorizeSupportRefund(line, marketplace.getProduct(hub).price // 5, sender=bob)


def seed(
    marketplace, stablecoin, admin, sellers, buyers, *, progress: Progress | None = None, before_orders=None
) -> list[int]:
    """List CATALOG and leave orders in several states; ``before_orders(product_ids)`` runs between
    the two. Returns the product ids."""
    steps = len(CATALOG) + len(buyers) + 4
    task = progress.add_task("Seeding demo data", total=steps) if progress else None

    def advance():
        if progress:
            progress.advance(task)

    for buyer in buyers:
        stablecoin.mint(buyer, BUYER_STABLECOINS, sender=admin)
        advance()
    product_ids = []
    for seller_index, name, price, stock, category, in_stablecoin in CATALOG:
        token = stablecoin if in_stablecoin else ETH
        receipt = marketplace.listProduct(
            token, price, stock, metadata_uri(name, category), sender=sellers[seller_index]
        )
        product_ids.append(receipt.events.filter(marketplace.ProductListed)[0].productId)
        advance()

    if before_orders:
        before_orders(product_ids)
    mug, coffee, towel, keyboard, hub, _ = product_ids
    carol, dave = buyers

    def checkout_eth(cart, buyer):
        total = sum(marketplace.getProduct(p).price * q for p, q in cart)
        receipt = marketplace.checkout(cart, ETH, total, value=total, sender=buyer)
        return [e.lineId for e in receipt.events.filter(marketplace.LinePlaced)]

    # A completed sale: carol bought two mugs; delivered and released.
    (done,) = checkout_eth([(mug, 2)], carol)
    marketplace.acceptLine(done, sender=sellers[1])
    marketplace.shipLine(done, "DHL", "JD014600006281", sender=sellers[1])
    marketplace.confirmDelivery(done, sender=carol)
    marketplace.completeLine(done, sender=carol)
    advance()
    # A cart across both sellers, waiting for them: a towel (alice) and a hub (bob).
    towel_line, _hub_line = checkout_eth([(towel, 1), (hub, 1)], carol)
    marketplace.acceptLine(towel_line, sender=sellers[1])
    advance()
    # Stablecoin orders: dave's coffee is shipped; carol's keyboard awaits acceptance.
    total = marketplace.getProduct(coffee).price * 3
    stablecoin.approve(marketplace, total, sender=dave)
    receipt = marketplace.checkout([(coffee, 3)], stablecoin, total, sender=dave)
    coffee_line = receipt.events.filter(marketplace.LinePlaced)[0].lineId
    marketplace.acceptLine(coffee_line, sender=sellers[1])
    marketplace.shipLine(coffee_line, "UPS", "1Z999AA10123456784", sender=sellers[1])
    advance()
    price = marketplace.getProduct(keyboard).price
    stablecoin.approve(marketplace, price, sender=carol)
    marketplace.checkout([(keyboard, 1)], stablecoin, price, sender=carol)
    advance()
    return product_ids


@click.command(cls=ConnectedProviderCommand)
def cli():
    """List the demo catalog from two sellers and place a few orders."""
    deployment = read_record(record_path(chain.chain_id))
    contracts = deployment["contracts"]
    marketplace = project.Marketplace.at(contracts["Marketplace"]["address"])
    resolution = project.ResolutionCenter.at(contracts["ResolutionCenter"]["address"])
    stablecoin = project.DemoStablecoin.at(deployment["tokens"]["mUSD"]["address"])
    test_accounts = accounts.test_accounts
    admin = test_accounts[0]
    sellers = {1: test_accounts[1], 2: test_accounts[2]}
    buyers = [test_accounts[3], test_accounts[4]]
    with Progress() as progress:

        def disputes_and_support(product_ids):
            task = progress.add_task("Disputes and support cases", total=1)
            seed_resolution(
                marketplace, resolution, admin, sellers, buyers, test_accounts[5:7], test_accounts[7], product_ids
            )
            progress.advance(task)

        seed(marketplace, stablecoin, admin, sellers, buyers, progress=progress, before_orders=disputes_and_support)
