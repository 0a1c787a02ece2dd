"""Ingest: polls ``eth_getLogs`` from the deployment block, decodes logs with the built ABIs and
hands each block range to the store together with its checkpoint.

Knows RPC and ABIs; knows no SQL (the store is anything with the ``EventSink`` methods).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from eth_utils import event_abi_to_log_topic, to_checksum_address
from web3 import Web3
from web3._utils.events import get_event_data
from web3.exceptions import Web3Exception

from .deployment import Deployment
from .events import ChainEvent, Checkpoint
from .metadata import parse_metadata_uri

log = logging.getLogger("indexer.ingest")


class EventSink(Protocol):
    def checkpoint(self) -> Checkpoint | None: ...

    def apply(self, events: list[ChainEvent], checkpoint: Checkpoint) -> None: ...

    def record_head(self, block_number: int) -> None: ...


# Enough of ERC-20 to describe a payment token the marketplace allow-lists.
ERC20_METADATA_ABI = [
    {"type": "function", "name": "symbol", "inputs": [], "outputs": [{"type": "string"}], "stateMutability": "view"},
    {"type": "function", "name": "decimals", "inputs": [], "outputs": [{"type": "uint8"}], "stateMutability": "view"},
]


class ChainMismatchError(RuntimeError):
    """The RPC serves a different chain than the deployment record names."""


class LogDecoder:
    """Turns raw logs of the deployed contracts into ChainEvents, using their ABIs."""

    def __init__(self, w3: Web3, deployment: Deployment):
        self._w3 = w3
        self._events: dict[tuple[str, bytes], tuple[str, dict]] = {}
        for record in deployment.contracts.values():
            address = to_checksum_address(record.address)
            for item in record.abi:
                if item.get("type") == "event" and not item.get("anonymous"):
                    self._events[(address, event_abi_to_log_topic(item))] = (record.name, item)

    @property
    def addresses(self) -> list[str]:
        return sorted({address for address, _ in self._events})

    def decode(self, raw_log: Any, block_timestamp: int) -> ChainEvent | None:
        if not raw_log["topics"]:
            return None
        key = (to_checksum_address(raw_log["address"]), bytes(raw_log["topics"][0]))
        if key not in self._events:
            log.warning("skipping log with unknown topic %s", raw_log["topics"][0].hex())
            return None
        contract, abi = self._events[key]
        data = get_event_data(self._w3.codec, abi, raw_log)
        args = {name: _plain(value) for name, value in data["args"].items()}
        extra = parse_metadata_uri(args["metadataURI"]) if data["event"] == "ProductListed" else {}
        return ChainEvent(
            contract=contract,
            name=data["event"],
            args=args,
            block_number=raw_log["blockNumber"],
            block_hash=_hex(raw_log["blockHash"]),
            block_timestamp=block_timestamp,
            tx_hash=_hex(raw_log["transactionHash"]),
            log_index=raw_log["logIndex"],
            extra=extra,
        )


def _hex(value: bytes | str) -> str:
    return value if isinstance(value, str) else "0x" + bytes(value).hex()


def _plain(value: Any) -> Any:
    """JSON-friendly values: bytes as 0x-hex, structs as dicts, arrays as lists."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, Mapping):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Ingestor:
    """Follows the chain from the store's checkpoint (or the deployment block) to the head."""

    def __init__(self, w3: Web3, deployment: Deployment, sink: EventSink, *, max_block_range: int = 2_000):
        self._w3 = w3
        self._deployment = deployment
        self._sink = sink
        self._decoder = LogDecoder(w3, deployment)
        self._max_range = max_block_range

    def check_chain(self) -> None:
        chain_id = self._w3.eth.chain_id
        if chain_id != self._deployment.chain_id:
            raise ChainMismatchError(
                f"RPC serves chain {chain_id}, the deployment record is for chain {self._deployment.chain_id}"
            )

    def sync_once(self) -> int:
        """Index everything up to the current head. Returns the number of events applied."""
        head = self._w3.eth.block_number
        self._sink.record_head(head)
        checkpoint = self._sink.checkpoint()
        start = checkpoint.block_number + 1 if checkpoint else self._deployment.start_block
        applied = 0
        while start <= head:
            end = min(start + self._max_range - 1, head)
            events = self._fetch(start, end)
            end_block = self._w3.eth.get_block(end)
            self._sink.apply(events, Checkpoint(block_number=end, block_hash=_hex(end_block["hash"])))
            applied += len(events)
            start = end + 1
        return applied

    def _fetch(self, start: int, end: int) -> list[ChainEvent]:
        raw_logs = self._w3.eth.get_logs({"address": self._decoder.addresses, "fromBlock": start, "toBlock": end})
        timestamps = self._timestamps({entry["blockNumber"] for entry in raw_logs})
        decoded = (self._decoder.decode(entry, timestamps[entry["blockNumber"]]) for entry in raw_logs)
        events = sorted((event for event in decoded if event is not None), key=lambda e: (e.block_number, e.log_index))
        return [self._enrich(event) for event in events]

    def _enrich(self, event: ChainEvent) -> ChainEvent:
        """Add what the store needs but the event does not carry (a new token's symbol, decimals)."""
        if event.name != "PaymentTokenSet":
            return event
        token = self._w3.eth.contract(address=event.args["token"], abi=ERC20_METADATA_ABI)
        try:
            extra = {"symbol": token.functions.symbol().call(), "decimals": token.functions.decimals().call()}
        except (Web3Exception, ValueError, OverflowError):
            log.warning("token %s does not describe itself (symbol/decimals)", event.args["token"])
            extra = {}
        return ChainEvent(**{**event.__dict__, "extra": extra})

    def _timestamps(self, blocks: Iterable[int]) -> dict[int, int]:
        return {number: self._w3.eth.get_block(number)["timestamp"] for number in blocks}


def run_forever(ingestor: Ingestor, stop: threading.Event, *, poll_interval: float = 0.5) -> None:
    """Poll until ``stop`` is set. RPC failures are retried with backoff; no range is skipped,
    because the checkpoint only moves when a range has been applied."""
    backoff = poll_interval
    checked = False
    while not stop.is_set():
        try:
            if not checked:
                ingestor.check_chain()
                checked = True
            applied = ingestor.sync_once()
            if applied:
                log.info("indexed %d events", applied)
            backoff = poll_interval
        except ChainMismatchError:
            log.exception("refusing to index")
            raise
        except (Web3Exception, OSError, ValueError) as err:
            log.warning("RPC unavailable (%s); retrying in %.1fs", err, backoff)
            backoff = min(backoff * 2, 30.0)
        except Exception:
            # A bug or inconsistent data: nothing of the range was applied (one transaction), so
            # retrying later loses nothing; the lag in /api/health shows that ingest is stuck.
            log.exception("could not apply blocks; retrying in %.1fs", backoff)
            backoff = min(backoff * 2, 30.0)
        stop.wait(backoff)
