"""Deploy the mall's contracts behind UUPS proxies and write the deployment record.

    ape run deploy --network ethereum:local:node            # the demo chain (make demo)
    ape run deploy --network ethereum:sepolia:node --account my-alias

The record (``deployments/<chain id>.json``: chain id, addresses, ABIs from the build, and the
first block to index) is what the indexer and, through the API, the frontend read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
from ape import accounts, chain, networks, project
from ape.cli import ConnectedProviderCommand, account_option
from rich.console import Console
from rich.progress import Progress

from scripts._deploy_oracle import deploy_oracle
from scripts._deploy_points import deploy_points, set_default_rates
from scripts._deploy_trace import deploy_trace

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
# The local demo's: short enough to try an escalation and a timeout in one sitting.
DEMO_WINDOWS = {"settlementWindow": 10 * 60, "rulingWindow": DAY}


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


@dataclass
class Mall:
    """Everything `deploy_mall` deployed: ``contracts`` maps a name to (contract at its proxy,
    implementation); ``mall["Name"]`` is the contract at its proxy."""

    contracts: dict[str, tuple]
    tokens: list
    start_block: int

    def __getitem__(self, name: str):
        return self.contracts[name][0]

    def record(self) -> dict:
        return build_record(contracts=self.contracts, start_block=self.start_block, tokens=self.tokens)


# What deploy_mall deploys, in order, for the progress bar.
MALL_STEPS = ("Marketplace", "ResolutionCenter", "LogisticsOracle", "Provenance, Reviews, Profiles", "Points")


def deploy_mall(deployer, *, treasury=None, demo_token=False, attesters=(), windows=None, on_step=None) -> Mall:
    """Deploy every contract of the mall behind its proxy, wired together: the resolution centre and
    the logistics oracle get their roles on the marketplace, the points contract reads the reviews and
    earns in every payment token. The deployer administers everything (hand roles over afterwards).
    ``on_step(name)`` is called after each step (progress)."""
    step = on_step or (lambda _name: None)
    marketplace, implementation, start_block = deploy_marketplace(deployer, treasury=treasury)
    contracts = {"Marketplace": (marketplace, implementation)}
    step(MALL_STEPS[0])
    contracts["ResolutionCenter"] = deploy_resolution_center(deployer, marketplace, windows=windows)
    step(MALL_STEPS[1])
    contracts["LogisticsOracle"] = deploy_oracle(deployer, marketplace, attesters=attesters)
    step(MALL_STEPS[2])
    contracts |= deploy_trace(deployer, marketplace)
    step(MALL_STEPS[3])
    contracts |= deploy_points(deployer, marketplace)
    tokens = [deploy_demo_stablecoin(deployer, marketplace)] if demo_token else []
    points = contracts["MallPoints"][0]
    set_default_rates(points, [token.address for token in tokens], deployer)
    points.setReviewSource(contracts["Reviews"][0], sender=deployer)
    step(MALL_STEPS[4])
    return Mall(contracts=contracts, tokens=tokens, start_block=start_block)


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


def build_record(*, start_block: int, contracts=None, marketplace=None, implementation=None, tokens=()) -> dict:
    """The deployment record: what the indexer indexes (``contracts``: name -> (contract at its proxy,
    implementation)) and the payment tokens the frontend may need to approve or permit (``tokens``),
    with their ABIs from the build. ``marketplace``/``implementation`` alone record just the Marketplace."""
    if contracts is None:
        contracts = {"Marketplace": (marketplace, implementation)}
    return {
        "chainId": chain.chain_id,
        "network": networks.provider.network_choice,
        "startBlock": start_block,
        "deployedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "contracts": {
            name: contract_entry(getattr(project, name).contract_type, proxy.address, impl.address)
            for name, (proxy, impl) in contracts.items()
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
    "--attester",
    "attesters",
    multiple=True,
    help="Address whose EIP-712 delivery attestations the logistics oracle accepts (repeatable).",
)
@click.option(
    "--demo-token/--no-demo-token",
    default=None,
    help="Deploy and allow-list the demo stablecoin (default: only on local chains).",
)
def cli(account, out, treasury, attesters, demo_token):
    """Deploy every contract of the mall behind UUPS proxies and write the deployment record."""
    deployer = account or default_deployer()
    if demo_token is None:
        demo_token = _is_dev_chain()
    console.print(f"Deploying the mall from {deployer.address} on chain {chain.chain_id}")
    with Progress(console=console) as progress:
        task = progress.add_task("Deploying", total=len(MALL_STEPS))
        mall = deploy_mall(
            deployer,
            treasury=treasury,
            demo_token=demo_token,
            attesters=attesters,
            windows=DEMO_WINDOWS if _is_dev_chain() else DEFAULT_WINDOWS,
            on_step=lambda name: progress.update(task, advance=1, description=f"Deployed {name}"),
        )
    for name, (proxy, implementation) in mall.contracts.items():
        console.print(f"[green]✓[/] {name} {proxy.address} (implementation {implementation.address})")
    for token in mall.tokens:
        console.print(f"[green]✓[/] Demo stablecoin {token.symbol()} {token.address}, allow-listed")
    path = out or record_path(chain.chain_id)
    write_record(mall.record(), path)
    console.print(f"[green]✓[/] Deployment record written to {path}")
