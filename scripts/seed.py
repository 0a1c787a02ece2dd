"""Seed the demo: two sellers list products, and one sale goes all the way through.

    ape run seed --network ethereum:local:node

Uses the dev chain's test accounts (the same keys anvil prints): #1 and #2 are the sellers,
#3 a buyer. Only for local chains.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand
from rich.progress import Progress

from scripts.deploy import read_record, record_path

ETH = 10**18

# (seller index, name, price in wei, stock, category); the metadata is a data: URI so the demo
# needs no IPFS node. Real listings point at ipfs:// or https:// documents of the same shape.
CATALOG = [
    (1, "Hand-thrown stoneware mug", ETH // 100, 40, "Home"),
    (1, "Single-origin coffee beans, 1 kg", ETH // 50, 120, "Grocery"),
    (1, "Linen tea towel set", ETH // 80, 60, "Home"),
    (2, "Mechanical keyboard, 75%", ETH // 8, 15, "Electronics"),
    (2, "USB-C hub, 7 ports", ETH // 40, 50, "Electronics"),
    (2, "Noise-cancelling headphones", ETH // 4, 8, "Electronics"),
]


def metadata_uri(name: str, category: str) -> str:
    document = json.dumps({"name": name, "category": category, "description": f"{name}, from the demo catalog."})
    return "data:application/json," + quote(document, safe="")


def seed(marketplace, sellers, buyer, *, progress: Progress | None = None) -> list[int]:
    """List CATALOG and run one purchase to completion. Returns the product ids."""
    task = progress.add_task("Seeding demo data", total=len(CATALOG) + 2) if progress else None
    product_ids = []
    for seller_index, name, price, stock, category in CATALOG:
        receipt = marketplace.listProduct(price, stock, metadata_uri(name, category), sender=sellers[seller_index])
        product_ids.append(receipt.events.filter(marketplace.ProductListed)[0].productId)
        if progress:
            progress.advance(task)
    first = product_ids[0]
    price = marketplace.getProduct(first).price
    marketplace.buy(first, 2, value=price * 2, sender=buyer)
    if progress:
        progress.advance(task)
    marketplace.confirmDelivery(marketplace.orderCount(), sender=buyer)
    if progress:
        progress.advance(task)
    return product_ids


@click.command(cls=ConnectedProviderCommand)
def cli():
    """List the demo catalog from two sellers and complete one order."""
    deployment = read_record(record_path(chain.chain_id))
    marketplace = project.Marketplace.at(deployment["contracts"]["Marketplace"]["address"])
    test_accounts = accounts.test_accounts
    sellers = {1: test_accounts[1], 2: test_accounts[2]}
    with Progress() as progress:
        seed(marketplace, sellers, test_accounts[3], progress=progress)
