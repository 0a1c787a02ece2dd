"""Upgrade one of the mall's proxies to a freshly deployed implementation (UUPS).

    ape run upgrade --network ethereum:local:node                                 # the Marketplace
    ape run upgrade --network ethereum:local:node --proxy ResolutionCenter
    ape run upgrade --network ethereum:local:node --contract MarketplaceV2Example

The caller needs the contract's UPGRADER_ROLE. Implementations that are bound to the marketplace
(an immutable constructor argument) get the marketplace of the deployment record. The record is
updated with the new implementation.
"""

from __future__ import annotations

from pathlib import Path

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand, account_option
from rich.console import Console

from scripts.deploy import contract_entry, default_deployer, read_record, record_path, write_record

console = Console(stderr=True)


def upgrade_proxy(upgrader, proxy_address: str, contract_type_name: str, marketplace_address: str | None = None):
    """Deploy ``contract_type_name`` (passing ``marketplace_address`` when its constructor takes
    one) and point the proxy at it. Returns the new implementation."""
    container = getattr(project, contract_type_name)
    constructor = container.contract_type.constructor
    args = [marketplace_address] if constructor and constructor.inputs else []
    implementation = upgrader.deploy(container, *args)
    container.at(proxy_address).upgradeToAndCall(implementation, b"", sender=upgrader)
    return implementation


def upgrade_marketplace(upgrader, proxy_address: str, contract_type_name: str = "Marketplace"):
    """Deploy ``contract_type_name`` and point the Marketplace proxy at it."""
    return upgrade_proxy(upgrader, proxy_address, contract_type_name)


@click.command(cls=ConnectedProviderCommand)
@account_option(prompt=False)
@click.option(
    "--proxy",
    "proxy_name",
    default="Marketplace",
    show_default=True,
    help="Which contract of the deployment record to upgrade.",
)
@click.option("--contract", "contract_name", help="Contract type of the new implementation (default: the same).")
@click.option("--record", type=click.Path(path_type=Path, exists=True), help="Deployment record to update.")
def cli(account, proxy_name, contract_name, record):
    """Upgrade a proxy named in the deployment record."""
    upgrader = account or default_deployer()
    contract_name = contract_name or proxy_name
    path = record or record_path(chain.chain_id)
    deployment = read_record(path)
    if proxy_name not in deployment["contracts"]:
        raise click.BadParameter(
            f"no {proxy_name} in {path}: {', '.join(deployment['contracts'])}", param_hint="--proxy"
        )
    proxy = deployment["contracts"][proxy_name]["address"]
    marketplace = deployment["contracts"]["Marketplace"]["address"]
    with console.status(f"Upgrading {proxy_name} at {proxy} to a new {contract_name}…"):
        implementation = upgrade_proxy(upgrader, proxy, contract_name, marketplace)
    upgraded = getattr(project, contract_name).at(proxy)
    version = upgraded.version() if hasattr(upgraded, "version") else "(no version())"
    deployment["contracts"][proxy_name] = contract_entry(
        getattr(project, contract_name).contract_type, proxy, implementation.address
    )
    write_record(deployment, path)
    console.print(f"[green]✓[/] {proxy_name} at {proxy} now runs {contract_name} {version} at {implementation.address}")
