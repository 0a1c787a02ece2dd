"""Deploy the mall's contracts behind UUPS proxies and write the deployment record.

    ape run deploy --network ethereum:local:node            # the demo chain (make demo)
    ape run deploy --network ethereum:sepolia:node --account my-alias

The record (``deployments/<chain id>.json``: chain id, addresses, ABIs from the build, and the
first block to index) is what the indexer and, through the API, the frontend read.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click
from ape import accounts, chain, networks, project
from ape.cli import ConnectedProviderCommand, account_option
from rich.console import Console

DEPLOYMENTS_DIR = Path(__file__).resolve().parent.parent / "deployments"

console = Console(stderr=True)


def deploy_marketplace(deployer, *, admin=None):
    """Deploy a Marketplace implementation and its proxy, initialised for ``admin``.

    Returns ``(marketplace_at_proxy, implementation, start_block)``.
    """
    start_block = chain.blocks.height + 1
    implementation = deployer.deploy(project.Marketplace)
    init_data = implementation.initialize.encode_input(admin or deployer)
    proxy = deployer.deploy(project.MallProxy, implementation, init_data)
    return project.Marketplace.at(proxy.address), implementation, start_block


def contract_entry(contract_type, proxy_address: str, implementation_address: str) -> dict:
    return {
        "address": str(proxy_address),
        "implementation": str(implementation_address),
        "abi": [item.model_dump(mode="json", by_alias=True) for item in contract_type.abi],
    }


def build_record(*, marketplace, implementation, start_block: int) -> dict:
    return {
        "chainId": chain.chain_id,
        "network": networks.provider.network_choice,
        "startBlock": start_block,
        "deployedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "contracts": {
            "Marketplace": contract_entry(
                project.Marketplace.contract_type, marketplace.address, implementation.address
            ),
        },
    }


def record_path(chain_id: int) -> Path:
    return DEPLOYMENTS_DIR / f"{chain_id}.json"


def write_record(record: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    tmp.replace(path)  # atomic: readers never see half a record


def read_record(path: Path) -> dict:
    return json.loads(path.read_text())


def default_deployer():
    """On a local dev chain, the first test account; elsewhere an Ape account is required."""
    if networks.provider.network.is_local or chain.chain_id == 31337:
        return accounts.test_accounts[0]
    raise click.UsageError("pass --account ALIAS (an account imported with `ape accounts import`)")


@click.command(cls=ConnectedProviderCommand)
@account_option(prompt=False)
@click.option("--out", type=click.Path(path_type=Path), help="Where to write the deployment record.")
def cli(account, out):
    """Deploy the marketplace behind a UUPS proxy and write the deployment record."""
    deployer = account or default_deployer()
    with console.status(f"Deploying Marketplace from {deployer.address} on chain {chain.chain_id}…"):
        marketplace, implementation, start_block = deploy_marketplace(deployer)
    console.print(f"[green]✓[/] Marketplace proxy {marketplace.address} (implementation {implementation.address})")
    record = build_record(marketplace=marketplace, implementation=implementation, start_block=start_block)
    path = out or record_path(chain.chain_id)
    write_record(record, path)
    console.print(f"[green]✓[/] Deployment record written to {path}")
