"""Plain values passed from ingest to the store: decoded events and checkpoints."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChainEvent:
    """One decoded contract log."""

    contract: str  # contract name in the deployment record, e.g. "Marketplace"
    name: str  # event name, e.g. "OrderPlaced"
    args: dict[str, Any]  # decoded arguments; addresses checksummed, ints as int
    block_number: int
    block_hash: str
    block_timestamp: int
    tx_hash: str
    log_index: int
    # Derived off-chain data the store keeps beside the event (e.g. parsed product metadata).
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Checkpoint:
    """How far the store has indexed: everything up to and including ``block_number``."""

    block_number: int
    block_hash: str


@dataclass(frozen=True)
class BlockRef:
    """A block the store remembers for a while, to find where a reorg forked off."""

    number: int
    hash: str
    parent_hash: str
