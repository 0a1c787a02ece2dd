"""Upgrade the Marketplace proxy to a freshly deployed implementation (UUPS).

    ape run upgrade --network ethereum:local:node
    ape run upgrade --network ethereum:local:node --contract MarketplaceV2

The caller needs UPGRADER_ROLE. The deployment record is updated with the new implementation.
"""

from __future__ import annotations

from pathlib import Path

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand, account_option
from rich.console import Console

from scripts.deploy import contract_entry, default_deployer, read_record, record_path, write_record

console = Console(stderr=True)


def upgrade_marketplace(upgrader, proxy_address: str, contract_type_name: str = "Marketplace"):
    """Deploy ``contract_type_name`` and point the proxy at it. Returns the new implementation."""
    container = getattr(project, contract_type_name)
    implementation = upgrader.deploy(container)
    project.Marketplace.at(proxy_address).upgradeToAndCall(implementation, b"", sender=upgrader)
    return implementation


@click.command(cls=ConnectedProviderCommand)
@account_option(prompt=False)
@click.option(
    "--contract",
    "contract_name",
    default="Marketplace",
    show_default=True,
    help="Contract type of the new implementation.",
)
@click.option("--record", type=click.Path(path_type=Path, exists=True), help="Deployment record to update.")
def cli(account, contract_name, record):
    """Upgrade the Marketplace proxy named in the deployment record."""
    upgrader = account or default_deployer()
    path = record or record_path(chain.chain_id)
    deployment = read_record(path)
    proxy = deployment["contracts"]["Marketplace"]["address"]
    with console.status(f"Upgrading {proxy} to a new {contract_name}…"):
        implementation = upgrade_marketplace(upgrader, proxy, contract_name)
    version = project.Marketplace.at(proxy).version()
    deployment["contracts"]["Marketplace"] = contract_entry(
        getattr(project, contract_name).contract_type, proxy, implementation.address
    )
    write_record(deployment, path)
    console.print(f"[green]✓[/] {proxy} now runs {contract_name} {version} at {implementation.address}")
