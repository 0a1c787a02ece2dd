"""Gas of the marketplace's user operations, measured through the proxy on a local chain.

    ape run bench_gas --network ethereum:local:foundry      (make bench-gas)

Each figure is a steady-state occurrence, never the first-ever write of a slot: the counters,
the seller registry, the credit and fee slots are warmed by a first round before measuring.
Prints a table and writes bench-results/gas.json (operation name → gas used).
"""

import json
from pathlib import Path

import click
from ape import accounts, chain
from ape.cli import ConnectedProviderCommand
from rich.console import Console
from rich.table import Table

from scripts import _bench_oracle, _bench_points, _bench_trace
from scripts._constants import ETH
from scripts._deploy_oracle import deploy_oracle
from scripts._deploy_points import deploy_points
from scripts._deploy_trace import deploy_trace
from scripts._permit import sign_permit
from scripts.deploy import (
    DEFAULT_TERMS,
    DEFAULT_WINDOWS,
    deploy_demo_stablecoin,
    deploy_marketplace,
    deploy_resolution_center,
)

RESULTS = Path(__file__).resolve().parent.parent / "bench-results" / "gas.json"

PRICE = 10**16
USD_PRICE = 25 * 10**6
# Realistic calldata: a metadata document on IPFS (a CIDv1 is 59 characters).
METADATA = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
TARGETS = {
    "list_product": 70_000,
    "buy_1_item_eth": 85_000,
    "each_extra_cart_line": 40_000,
    "confirm_delivery": 55_000,
    "complete_line": 55_000,
    "withdraw_eth": 35_000,
    "rule_dispute": 60_000,
}


def measure(marketplace, usd, admin, alice, bob, carol, dave) -> dict[str, int]:
    def listed(receipt):
        return receipt.events.filter(marketplace.ProductListed)[0].productId

    def lines(receipt):
        return [event.lineId for event in receipt.events.filter(marketplace.LinePlaced)]

    def checkout_eth(cart, buyer):
        total = sum(marketplace.getProduct(p).price * q for p, q in cart)
        return marketplace.checkout(cart, ETH, total, value=total, sender=buyer)

    def through_to_delivery(line_id, buyer, seller=alice):
        marketplace.acceptLine(line_id, sender=seller)
        marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=seller)
        return marketplace.confirmDelivery(line_id, sender=buyer)

    gas: dict[str, int] = {}
    # Warm-up: alice and bob register as sellers; a first order completes, so alice's and the
    # treasury's credit slots are non-zero (alice withdraws later, as a busy seller would not).
    mug = listed(marketplace.listProduct(ETH, PRICE, 1_000, METADATA, sender=alice))
    lamp = listed(marketplace.listProduct(ETH, PRICE, 1_000, METADATA, sender=bob))
    (warm,) = lines(checkout_eth([(mug, 1)], carol))
    through_to_delivery(warm, carol)
    marketplace.completeLine(warm, sender=carol)
    checkout_eth([(lamp, 1)], dave)  # dave becomes a member too

    receipt = marketplace.listProduct(ETH, PRICE, 100, METADATA, sender=alice)
    gas["list_product"] = receipt.gas_used
    tea = listed(receipt)

    receipt = checkout_eth([(tea, 1)], carol)
    gas["buy_1_item_eth"] = receipt.gas_used
    (line_a,) = lines(receipt)
    receipt = checkout_eth([(tea, 1), (mug, 2), (lamp, 1)], dave)
    gas["buy_3_lines_eth"] = receipt.gas_used
    gas["each_extra_cart_line"] = (gas["buy_3_lines_eth"] - gas["buy_1_item_eth"]) // 2
    line_b, line_c, line_d = lines(receipt)

    gas["accept_line"] = marketplace.acceptLine(line_a, sender=alice).gas_used
    gas["ship_line"] = marketplace.shipLine(line_a, "DHL", "JD014600006281", sender=alice).gas_used
    gas["confirm_delivery"] = marketplace.confirmDelivery(line_a, sender=carol).gas_used
    gas["complete_line"] = marketplace.completeLine(line_a, sender=carol).gas_used

    through_to_delivery(line_b, dave)
    chain.pending_timestamp += DEFAULT_TERMS["inspectionWindow"] + 1
    gas["complete_line_by_anyone_after_inspection"] = marketplace.completeLine(line_b, sender=admin).gas_used
    gas["cancel_line"] = marketplace.cancelLine(line_c, sender=dave).gas_used
    gas["reject_line"] = marketplace.rejectLine(line_d, sender=bob).gas_used

    (line_e,) = lines(checkout_eth([(tea, 1)], carol))
    chain.pending_timestamp += DEFAULT_TERMS["acceptWindow"] + 1
    gas["expire_line"] = marketplace.expireLine(line_e, sender=admin).gas_used

    (line_f,) = lines(checkout_eth([(tea, 1)], carol))
    marketplace.acceptLine(line_f, sender=alice)
    gas["offer_refund"] = marketplace.offerRefund(line_f, PRICE // 4, sender=alice).gas_used
    gas["accept_partial_refund"] = marketplace.acceptRefund(line_f, PRICE // 4, sender=carol).gas_used

    gas["withdraw_eth"] = marketplace.withdraw(ETH, sender=alice).gas_used

    # Stablecoin: approve + checkout, and checkout with a permit (one transaction).
    coffee = listed(marketplace.listProduct(usd, USD_PRICE, 1_000, METADATA, sender=alice))
    usd.approve(marketplace, 10 * USD_PRICE, sender=carol)
    marketplace.checkout([(coffee, 1)], usd, USD_PRICE, sender=carol)  # warms the token balance slot
    gas["buy_1_item_erc20_after_approve"] = marketplace.checkout([(coffee, 1)], usd, USD_PRICE, sender=carol).gas_used
    deadline = chain.pending_timestamp + 3600
    v, r, s = sign_permit(usd, dave, marketplace.address, USD_PRICE, deadline)
    gas["buy_1_item_erc20_with_permit"] = marketplace.checkoutWithPermit(
        [(coffee, 1)], usd, USD_PRICE, deadline, v, r, s, sender=dave
    ).gas_used
    (line_g,) = lines(marketplace.checkout([(coffee, 1)], usd, USD_PRICE, sender=carol))
    through_to_delivery(line_g, carol)
    marketplace.completeLine(line_g, sender=carol)
    gas["withdraw_erc20"] = marketplace.withdraw(usd, sender=alice).gas_used
    return gas


def measure_disputes(marketplace, resolution, admin, alice, carol, arbiters) -> dict[str, int]:
    """Disputes in the steady state: the parties, the arbiters and the fee slot already hold credits
    (a first dispute of each kind warms them)."""
    product = marketplace.listProduct(ETH, PRICE, 1_000, METADATA, sender=alice).events[-1].productId
    by_address = {arbiter.address: arbiter for arbiter in arbiters}

    def shipped_line():
        receipt = marketplace.checkout([(product, 1)], ETH, PRICE, value=PRICE, sender=carol)
        line_id = receipt.events.filter(marketplace.LinePlaced)[0].lineId
        marketplace.acceptLine(line_id, sender=alice)
        marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=alice)
        return line_id

    def escalated_line():
        line_id = shipped_line()
        resolution.raiseDispute(line_id, "damaged", sender=carol)
        chain.pending_timestamp += DEFAULT_WINDOWS["settlementWindow"] + 1
        resolution.escalate(line_id, sender=carol)
        receipt = resolution.drawArbiter(line_id, sender=admin)
        return line_id, receipt, by_address[receipt.events[0].arbiter]

    def ruled(gas=None):
        line_id, draw, arbiter = escalated_line()
        receipt = resolution.rule(line_id, 6_000, b"\x11" * 32, "ipfs://ruling", sender=arbiter)
        if gas is not None:
            gas["draw_arbiter"] = draw.gas_used
            gas["rule_dispute"] = receipt.gas_used

    for _ in range(6):  # until every arbiter has ruled once: their credit slots are warm
        ruled()
    gas: dict[str, int] = {}
    line_id = shipped_line()
    gas["raise_dispute"] = resolution.raiseDispute(line_id, "damaged", sender=carol).gas_used
    gas["propose_settlement"] = resolution.proposeSettlement(line_id, 7_000, sender=carol).gas_used
    gas["accept_settlement"] = resolution.acceptSettlement(line_id, 7_000, sender=alice).gas_used
    line_id = shipped_line()
    resolution.raiseDispute(line_id, "damaged", sender=carol)
    gas["submit_evidence"] = resolution.submitEvidence(line_id, METADATA, b"\x22" * 32, sender=carol).gas_used
    chain.pending_timestamp += DEFAULT_WINDOWS["settlementWindow"] + 1
    gas["escalate_dispute"] = resolution.escalate(line_id, sender=carol).gas_used
    ruled(gas)
    return gas


@click.command(cls=ConnectedProviderCommand)
def cli():
    """Measure and print the gas of every marketplace operation."""
    admin, alice, bob, carol, dave, treasury = (accounts.test_accounts[i] for i in (0, 1, 2, 3, 4, 8))
    marketplace, _, _ = deploy_marketplace(admin, treasury=treasury)
    usd = deploy_demo_stablecoin(admin, marketplace)
    for buyer in (carol, dave):
        usd.mint(buyer, 10**6 * 10**6, sender=admin)
    gas = measure(marketplace, usd, admin, alice, bob, carol, dave)
    resolution, _ = deploy_resolution_center(admin, marketplace)
    arbiters = [accounts.test_accounts[i] for i in (5, 6)]
    for arbiter in arbiters:
        resolution.registerArbiter(arbiter, 200, sender=admin)
    gas |= measure_disputes(marketplace, resolution, admin, alice, carol, arbiters)
    attester = accounts.test_accounts[7]  # measure() signs with a test account's key
    oracle, _ = deploy_oracle(admin, marketplace, attesters=[attester])
    gas |= dict(_bench_oracle.measure(marketplace, oracle, accounts.test_accounts, attester))
    gas |= dict(_bench_trace.measure(marketplace, deploy_trace(admin, marketplace), accounts.test_accounts))
    points = {name: proxy for name, (proxy, _) in deploy_points(admin, marketplace).items()}
    gas |= dict(_bench_points.measure(marketplace, points["MallPoints"], points["PointsMall"], accounts.test_accounts))
    targets = TARGETS | _bench_oracle.TARGETS | _bench_trace.TARGETS | _bench_points.TARGETS

    table = Table(title=f"Marketplace gas through the proxy (chain {chain.chain_id})")
    for column, justify in (("operation", "left"), ("gas used", "right"), ("target", "right"), ("", "left")):
        table.add_column(column, justify=justify)
    for name, used in gas.items():
        target = targets.get(name)
        verdict = "" if target is None else ("✓" if used <= target else "✗ over")
        table.add_row(name, f"{used:,}", f"≤ {target:,}" if target else "", verdict)
    console = Console()
    console.print(table)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(gas, indent=2) + "\n")
    console.print(f"written to {RESULTS}")
