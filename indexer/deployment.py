"""The deployment record written by ``scripts/deploy.py``: chain id, addresses, ABIs, start block.

The single source of contract addresses and ABIs for the indexer and (through the API) the
frontend.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path


class DeploymentError(RuntimeError):
    """The deployment record is missing or malformed."""


@dataclass(frozen=True)
class ContractRecord:
    name: str
    address: str
    abi: list[dict]


@dataclass(frozen=True)
class TokenRecord:
    """A payment token the frontend may need to approve or permit (not indexed)."""

    address: str
    name: str
    symbol: str
    decimals: int
    permit: bool
    abi: list[dict]


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    start_block: int
    contracts: dict[str, ContractRecord]  # indexed: their events are followed
    tokens: dict[str, TokenRecord] = field(default_factory=dict)  # by symbol

    @classmethod
    def load(cls, path: Path) -> "Deployment":
        try:
            raw = json.loads(Path(path).read_text())
            contracts = {
                name: ContractRecord(name=name, address=entry["address"], abi=entry["abi"])
                for name, entry in raw["contracts"].items()
            }
            tokens = {
                symbol: TokenRecord(
                    address=entry["address"],
                    name=entry["name"],
                    symbol=entry["symbol"],
                    decimals=int(entry["decimals"]),
                    permit=bool(entry.get("permit", False)),
                    abi=entry["abi"],
                )
                for symbol, entry in raw.get("tokens", {}).items()
            }
            return cls(
                chain_id=int(raw["chainId"]),
                start_block=int(raw["startBlock"]),
                contracts=contracts,
                tokens=tokens,
            )
        except FileNotFoundError as err:
            raise DeploymentError(f"no deployment record at {path}: run the deploy script first") from err
        except (KeyError, TypeError, ValueError) as err:
            raise DeploymentError(f"malformed deployment record {path}: {err!r}") from err
