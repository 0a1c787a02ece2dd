"""Gas of the marketplace's user operations, measured through the proxy on a local chain.

    ape run bench_gas                      # a private anvil (make bench-gas)

Each figure is a second occurrence, never the first-ever write of a slot: the counters, the
seller's product list and the credit mapping are warmed by a first round before measuring.
Prints a table and writes bench-results/gas.json (operation name → gas used).
"""

import json
from pathlib import Path

import click
from ape import accounts, chain
from ape.cli import ConnectedProviderCommand
from rich.console import Console
from rich.table import Table

from scripts.deploy import deploy_marketplace
from scripts.seed import metadata_uri

RESULTS = Path(__file__).resolve().parent.parent / "bench-results" / "gas.json"
PRICE = 10**16
# Realistic calldata: a data: URI of the size the demo uses (~200 bytes); an ipfs:// CID is shorter.
METADATA = metadata_uri("Single-origin coffee beans, 1 kg", "Grocery")


def measure(marketplace, admin, seller, buyer, other_buyer) -> dict[str, int]:
    def listed(receipt):
        return receipt.events.filter(marketplace.ProductListed)[0].productId

    def placed(receipt):
        return receipt.events.filter(marketplace.OrderPlaced)[0].orderId

    # Warm-up round: first product, first order, first credit and withdrawal.
    first = listed(marketplace.listProduct(PRICE, 100, METADATA, sender=seller))
    marketplace.confirmDelivery(placed(marketplace.buy(first, 1, value=PRICE, sender=buyer)), sender=buyer)
    marketplace.withdraw(sender=seller)

    gas: dict[str, int] = {}
    receipt = marketplace.listProduct(PRICE, 100, METADATA, sender=seller)
    gas["list_product"] = receipt.gas_used
    product = listed(receipt)

    receipt = marketplace.buy(product, 1, value=PRICE, sender=buyer)
    gas["buy_1_item_eth"] = receipt.gas_used
    order_a = placed(receipt)
    receipt = marketplace.buy(product, 3, value=3 * PRICE, sender=other_buyer)
    gas["buy_3_units_eth"] = receipt.gas_used
    order_b = placed(receipt)

    receipt = marketplace.confirmDelivery(order_a, sender=buyer)
    gas["confirm_delivery_empty_credit"] = receipt.gas_used
    receipt = marketplace.confirmDelivery(order_b, sender=other_buyer)
    gas["confirm_delivery_pending_credit"] = receipt.gas_used

    gas["withdraw"] = marketplace.withdraw(sender=seller).gas_used
    return gas


@click.command(cls=ConnectedProviderCommand)
def cli():
    """Measure and print the gas of list, buy, confirm and withdraw."""
    admin, seller, buyer, other_buyer = (accounts.test_accounts[i] for i in (0, 1, 3, 4))
    marketplace, _, _ = deploy_marketplace(admin)
    gas = measure(marketplace, admin, seller, buyer, other_buyer)

    table = Table(title=f"Marketplace gas through the proxy (chain {chain.chain_id})")
    table.add_column("operation")
    table.add_column("gas used", justify="right")
    for name, used in gas.items():
        table.add_row(name, f"{used:,}")
    Console().print(table)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(gas, indent=2) + "\n")
    Console().print(f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
