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


DAY = 24 * 60 * 60
# The rules new orders are bound by; each order keeps the version it was placed under.
DEFAULT_TERMS = {
    "feeBps": 250,  # 2.5% platform fee on completed lines
    "acceptWindow": 3 * DAY,
    "shipWindow": 5 * DAY,
    "deliveryWindow": 14 * DAY,
    "inspectionWindow": 3 * DAY,
}


def terms_tuple(terms: dict) -> tuple:
    return tuple(terms[key] for key in ("feeBps", "acceptWindow", "shipWindow", "deliveryWindow", "inspectionWindow"))


def deploy_marketplace(deployer, *, admin=None, treasury=None, terms: dict | None = None):
    """Deploy a Marketplace implementation and its proxy, initialised for ``admin``.

    Returns ``(marketplace_at_proxy, implementation, start_block)``.
    """
    start_block = chain.blocks.height + 1
    implementation = deployer.deploy(project.Marketplace)
    init_data = implementation.initialize.encode_input(
        admin or deployer, treasury or admin or deployer, terms_tuple(terms or DEFAULT_TERMS)
    )
    proxy = deployer.deploy(project.MallProxy, implementation, init_data)
    return project.Marketplace.at(proxy.address), implementation, start_block


# How long the parties of a dispute have to settle before either may escalate, and an arbiter to rule.
DEFAULT_WINDOWS = {"settlementWindow": 3 * DAY, "rulingWindow": 7 * DAY}


def deploy_resolution_center(deployer, marketplace, *, admin=None, windows: dict | None = None):
    """Deploy the resolution centre (disputes, arbitration, support) behind a proxy and give it
    RESOLVER_ROLE on the marketplace (``deployer`` must be the marketplace's admin).

    Returns ``(resolution_center_at_proxy, implementation)``.
    """
    windows = windows or DEFAULT_WINDOWS
    implementation = deployer.deploy(project.ResolutionCenter, marketplace)
    init_data = implementation.initialize.encode_input(
        admin or deployer, windows["settlementWindow"], windows["rulingWindow"]
    )
    proxy = deployer.deploy(project.MallProxy, implementation, init_data)
    marketplace.grantRole(marketplace.RESOLVER_ROLE(), proxy, sender=deployer)
    return project.ResolutionCenter.at(proxy.address), implementation


def deploy_demo_stablecoin(deployer, marketplace):
    """A 6-decimal stablecoin with permit, allow-listed in the marketplace (local chains only)."""
    token = deployer.deploy(project.DemoStablecoin, deployer)
    marketplace.setPaymentToken(token, True, sender=deployer)
    return token


def contract_entry(contract_type, proxy_address: str, implementation_address: str) -> dict:
    return {
        "address": str(proxy_address),
        "implementation": str(implementation_address),
        "abi": _abi(contract_type),
    }


def token_entry(token) -> dict:
    return {
        "address": str(token.address),
        "name": token.name(),
        "symbol": token.symbol(),
        "decimals": token.decimals(),
        "permit": True,
        "abi": _abi(project.DemoStablecoin.contract_type),  # ERC-20 + ERC-2612, for any such token
    }


def _abi(contract_type) -> list[dict]:
    return [item.model_dump(mode="json", by_alias=True) for item in contract_type.abi]


def build_record(*, marketplace, implementation, start_block: int, tokens=()) -> dict:
    """The deployment record: what the indexer indexes (``contracts``) and the payment tokens
    the frontend may need to approve or permit (``tokens``), with their ABIs from the build."""
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
        "tokens": {entry["symbol"]: entry for entry in map(token_entry, tokens)},
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


def _is_dev_chain() -> bool:
    return networks.provider.network.is_local or chain.chain_id == 31337


def default_deployer():
    """On a local dev chain, the first test account; elsewhere an Ape account is required."""
    if _is_dev_chain():
        return accounts.test_accounts[0]
    raise click.UsageError("pass --account ALIAS (an account imported with `ape accounts import`)")


@click.command(cls=ConnectedProviderCommand)
@account_option(prompt=False)
@click.option("--out", type=click.Path(path_type=Path), help="Where to write the deployment record.")
@click.option("--treasury", help="Address credited the platform fees (default: the deployer).")
@click.option(
    "--demo-token/--no-demo-token",
    default=None,
    help="Deploy and allow-list the demo stablecoin (default: only on local chains).",
)
def cli(account, out, treasury, demo_token):
    """Deploy the marketplace behind a UUPS proxy and write the deployment record."""
    deployer = account or default_deployer()
    if demo_token is None:
        demo_token = _is_dev_chain()
    with console.status(f"Deploying Marketplace from {deployer.address} on chain {chain.chain_id}…"):
        marketplace, implementation, start_block = deploy_marketplace(deployer, treasury=treasury)
    console.print(f"[green]✓[/] Marketplace proxy {marketplace.address} (implementation {implementation.address})")
    tokens = []
    if demo_token:
        with console.status("Deploying the demo stablecoin…"):
            tokens.append(deploy_demo_stablecoin(deployer, marketplace))
        console.print(f"[green]✓[/] Demo stablecoin mUSD {tokens[0].address}, allow-listed")
    record = build_record(
        marketplace=marketplace, implementation=implementation, start_block=start_block, tokens=tokens
    )
    path = out or record_path(chain.chain_id)
    write_record(record, path)
    console.print(f"[green]✓[/] Deployment record written to {path}")
