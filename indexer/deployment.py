"""The deployment record written by ``scripts/deploy.py``: chain id, addresses, ABIs, start block.

The single source of contract addresses and ABIs for the indexer and (through the API) the
frontend.
"""

import json
from dataclasses import dataclass
from pathlib import Path


class DeploymentError(RuntimeError):
    """The deployment record is missing or malformed."""


@dataclass(frozen=True)
class ContractRecord:
    name: str
    address: str
    abi: list[dict]


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    start_block: int
    contracts: dict[str, ContractRecord]

    @classmethod
    def load(cls, path: Path) -> "Deployment":
        try:
            raw = json.loads(Path(path).read_text())
            contracts = {
                name: ContractRecord(name=name, address=entry["address"], abi=entry["abi"])
                for name, entry in raw["contracts"].items()
            }
            return cls(chain_id=int(raw["chainId"]), start_block=int(raw["startBlock"]), contracts=contracts)
        except FileNotFoundError as err:
            raise DeploymentError(f"no deployment record at {path}: run the deploy script first") from err
        except (KeyError, TypeError, ValueError) as err:
            raise DeploymentError(f"malformed deployment record {path}: {err!r}") from err
