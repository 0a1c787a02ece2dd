"""Ingest: polls ``eth_getLogs`` from the deployment block, decodes logs with the built ABIs and
hands each block range to the store together with its checkpoint.

Reorg-safe: before a range is applied, the checkpoint's block must still be the chain's block at
that height; if not, the store is rewound to the newest block it remembers that still is (the
common ancestor) and indexing resumes from there. Ranges shrink when the provider says "too many
results" or times out, and grow back after quiet successes.

Knows RPC and ABIs; knows no SQL (the store is anything with the ``EventSink`` methods).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple, Protocol

from eth_utils import to_checksum_address
from web3 import Web3
from web3.exceptions import BlockNotFound, Web3Exception, Web3RPCError
from web3.types import RPCEndpoint

from .decoding import EventDecoder, as_int, hex_str
from .deployment import Deployment
from .events import BlockRef, ChainEvent, Checkpoint
from .metadata import parse_metadata_uri
from .retry import Backoff, is_range_too_large, is_transient

log = logging.getLogger("indexer.ingest")


class EventSink(Protocol):
    def checkpoint(self) -> Checkpoint | None: ...

    def recent_blocks(self) -> list[BlockRef]:
        """Blocks remembered from recent ranges, newest first."""

    def apply(self, events: list[ChainEvent], checkpoint: Checkpoint, blocks: list[BlockRef]) -> None:
        """Apply one range's events, remember its blocks, move the checkpoint: one transaction."""

    def rewind(self, ancestor: Checkpoint | None) -> int:
        """Forget everything after ``ancestor`` (None: everything); returns the orphaned events."""

    def record_head(self, block_number: int) -> None: ...


# Called with (indexed up to block, target block) as a backfill advances.
Progress = Callable[[int, int], None]
GROW_AFTER = 3  # quiet ranges in a row before the range doubles again
HEADER_BATCH = 500  # block headers per JSON-RPC batch request


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
        self._events: dict[tuple[str, str], EventDecoder] = {}
        for record in deployment.contracts.values():
            for item in record.abi:
                if item.get("type") == "event" and not item.get("anonymous"):
                    decoder = EventDecoder(record.name, item)
                    self._events[(record.address.lower(), decoder.topic)] = decoder
        self._addresses = sorted({to_checksum_address(address) for address, _ in self._events})

    @property
    def addresses(self) -> list[str]:
        return self._addresses

    def decode(self, raw_log: Any, block_timestamp: int) -> ChainEvent | None:
        """A log as JSON-RPC returns it (hex strings) or as web3 formats it (bytes, ints)."""
        topics = [hex_str(topic).lower() for topic in raw_log["topics"]]
        if not topics:
            return None
        decoder = self._events.get((hex_str(raw_log["address"]).lower(), topics[0]))
        if decoder is None:
            log.warning("skipping log with unknown topic %s", topics[0])
            return None
        args = decoder.args(topics, hex_str(raw_log["data"]))
        extra = parse_metadata_uri(args["metadataURI"]) if decoder.name == "ProductListed" else {}
        return ChainEvent(
            contract=decoder.contract,
            name=decoder.name,
            args=args,
            block_number=as_int(raw_log["blockNumber"]),
            block_hash=hex_str(raw_log["blockHash"]),
            block_timestamp=block_timestamp,
            tx_hash=hex_str(raw_log["transactionHash"]),
            log_index=as_int(raw_log["logIndex"]),
            extra=extra,
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a range is decoded or applied: a backfill range makes
    tens of thousands of short-lived objects (and ORM rows), which would trigger many collections
    that find nothing to free (about a third faster without). Reference counting still frees
    everything; a collection may run afterwards as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Header(NamedTuple):
    number: int
    hash: str
    parent_hash: str
    timestamp: int

    def ref(self) -> BlockRef:
        return BlockRef(number=self.number, hash=self.hash, parent_hash=self.parent_hash)


class Ingestor:
    """Follows the chain from the store's checkpoint (or the deployment block) to the head."""

    def __init__(
        self,
        w3: Web3,
        deployment: Deployment,
        sink: EventSink,
        *,
        max_block_range: int = 2_000,
        confirmations: int = 0,
    ):
        self._w3 = w3
        self._deployment = deployment
        self._sink = sink
        self._decoder = LogDecoder(w3, deployment)
        self._max_range = max_block_range
        self._confirmations = confirmations
        self.block_range = max_block_range  # adapts to what the provider accepts
        self._quiet = 0
        self._head_recorded: int | None = None

    def check_chain(self) -> None:
        chain_id = self._w3.eth.chain_id
        if chain_id != self._deployment.chain_id:
            raise ChainMismatchError(
                f"RPC serves chain {chain_id}, the deployment record is for chain {self._deployment.chain_id}"
            )

    def sync_once(self, progress: Progress | None = None) -> int:
        """Index everything up to the current head minus ``confirmations``. Returns the number
        of events applied. RPC failures propagate (nothing half-applied); ``run_forever`` retries."""
        head = self._w3.eth.block_number
        if head != self._head_recorded:  # an idle poll writes nothing
            self._sink.record_head(head)
            self._head_recorded = head
        target = head - self._confirmations
        applied = 0
        while True:
            checkpoint = self._sink.checkpoint()
            start = checkpoint.block_number + 1 if checkpoint else self._deployment.start_block
            if start > target:
                if checkpoint and not self._is_canonical(checkpoint):
                    self._recover_from_reorg(checkpoint)
                    continue
                return applied
            if progress and applied == 0:
                progress(start - 1, target)
            end = min(start + self.block_range - 1, target)
            try:
                with _gc_paused():
                    fetched = self._fetch_range(start, end)
            except Exception as err:
                if not is_range_too_large(err) or self.block_range == 1:
                    raise
                self._shrink(start, end, err)
                continue
            # Checked after the fetch: the checkpoint and the range's end were both on the chain
            # then, so the range continues what the store holds.
            if checkpoint and not self._is_canonical(checkpoint):
                self._recover_from_reorg(checkpoint)
                continue
            if fetched is None:
                log.info("chain moved under range from=%d to=%d; fetching it again", start, end)
                continue
            events, blocks = fetched
            with _gc_paused():
                self._sink.apply(events, Checkpoint(block_number=end, block_hash=blocks[-1].hash), blocks)
            log.debug("range applied from=%d to=%d events=%d range=%d", start, end, len(events), self.block_range)
            applied += len(events)
            self._grow()
            if progress:
                progress(end, target)

    # -------------------------------------------------------------- reorgs

    def _is_canonical(self, block: Checkpoint | BlockRef) -> bool:
        number, expected = (
            (block.block_number, block.block_hash) if isinstance(block, Checkpoint) else (block.number, block.hash)
        )
        try:
            return self._header(number).hash == expected
        except BlockNotFound:
            return False

    def _recover_from_reorg(self, checkpoint: Checkpoint) -> None:
        ancestor = next(
            (Checkpoint(b.number, b.hash) for b in self._sink.recent_blocks() if self._is_canonical(b)),
            None,
        )
        if ancestor is None:
            log.warning("reorg deeper than the remembered blocks; re-indexing from block=%d",
                        self._deployment.start_block)  # fmt: skip
        orphaned = self._sink.rewind(ancestor)
        log.warning(
            "reorg checkpoint=%d ancestor=%s orphaned_events=%d",
            checkpoint.block_number,
            ancestor.block_number if ancestor else None,
            orphaned,
        )

    # -------------------------------------------------------------- adaptive ranges

    def _shrink(self, start: int, end: int, err: BaseException) -> None:
        self.block_range = max(1, self.block_range // 2)
        self._quiet = 0
        log.warning("range too large from=%d to=%d error=%r new_range=%d", start, end, err, self.block_range)

    def _grow(self) -> None:
        self._quiet += 1
        if self._quiet >= GROW_AFTER and self.block_range < self._max_range:
            self.block_range = min(self._max_range, self.block_range * 2)
            self._quiet = 0

    # -------------------------------------------------------------- fetching

    def _fetch_range(self, start: int, end: int) -> tuple[list[ChainEvent], list[BlockRef]] | None:
        """The range's events and the blocks to remember (those with events, and the end), or
        None if the chain changed while it was read."""
        before = self._header(end)
        events, headers = self._logs(start, end, known=before)
        after = self._header(end)
        if before.hash != after.hash or any(e.block_hash != headers[e.block_number].hash for e in events):
            return None
        blocks = {header.number: header.ref() for header in headers.values()}
        blocks[end] = after.ref()
        return events, [blocks[number] for number in sorted(blocks)]

    def _fetch(self, start: int, end: int) -> list[ChainEvent]:
        return self._logs(start, end)[0]

    def _logs(self, start: int, end: int, known: _Header | None = None) -> tuple[list[ChainEvent], dict[int, _Header]]:
        """Decoded events of the range and the headers of their blocks (``known``: a header
        already fetched, typically the range's end, where new events usually are). The logs are
        read raw (web3's per-field formatting costs more than the decoding) and the headers in
        JSON-RPC batches."""
        params = {"address": self._decoder.addresses, "fromBlock": hex(start), "toBlock": hex(end)}
        raw_logs = self._rpc("eth_getLogs", [params])
        numbers = {as_int(entry["blockNumber"]) for entry in raw_logs}
        headers = {known.number: known} if known and known.number in numbers else {}
        headers.update(self._headers(numbers - headers.keys()))
        decoded = (self._decoder.decode(entry, headers[as_int(entry["blockNumber"])].timestamp) for entry in raw_logs)
        events = sorted((event for event in decoded if event is not None), key=lambda e: (e.block_number, e.log_index))
        return [self._enrich(event) for event in events], headers

    def _rpc(self, method: str, params: list) -> Any:
        response = self._w3.provider.make_request(RPCEndpoint(method), params)
        if "error" in response:
            raise Web3RPCError(str(response["error"]), rpc_response=response)
        return response["result"]

    def _headers(self, numbers: set[int]) -> dict[int, _Header]:
        """Headers of many blocks, HEADER_BATCH per JSON-RPC batch request (one by one where the
        provider does not take batches)."""
        headers: dict[int, _Header] = {}
        ordered = sorted(numbers)
        for first in range(0, len(ordered), HEADER_BATCH):
            chunk = ordered[first : first + HEADER_BATCH]
            requests = [(RPCEndpoint("eth_getBlockByNumber"), [hex(number), False]) for number in chunk]
            try:
                responses = self._w3.provider.make_batch_request(requests)
            except NotImplementedError:
                responses = None
            if not isinstance(responses, list):
                headers.update((number, self._header(number)) for number in chunk)
                continue
            for number, response in zip(chunk, responses, strict=True):
                block = response.get("result")
                if block is None:
                    raise BlockNotFound(f"block {number}: {response.get('error', 'not found')}")
                headers[number] = _Header(number, block["hash"], block["parentHash"], int(block["timestamp"], 16))
        return headers

    def _header(self, number: int) -> _Header:
        block = self._w3.eth.get_block(number)
        return _Header(number, hex_str(block["hash"]), hex_str(block["parentHash"]), block["timestamp"])

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


def run_forever(
    ingestor: Ingestor,
    stop: threading.Event,
    *,
    poll_interval: float = 0.2,
    backoff: Backoff | None = None,
    until_caught_up: bool = False,
    progress: Progress | None = None,
) -> None:
    """Poll until ``stop`` is set (or, with ``until_caught_up``, until one sync reaches the head).

    An unavailable or rate-limiting RPC is retried with exponential backoff and jitter; no range
    is skipped, because the checkpoint only moves when a range has been applied."""
    backoff = backoff or Backoff(base=max(poll_interval, 0.1))
    checked = False
    while not stop.is_set():
        try:
            if not checked:
                ingestor.check_chain()
                checked = True
            applied = ingestor.sync_once(progress)
        except ChainMismatchError:
            log.exception("refusing to index")
            raise
        except Exception as err:
            delay = backoff.next_delay()
            if is_transient(err):
                log.warning("rpc unavailable error=%r attempt=%d retry_in=%.2fs", err, backoff.failures, delay)
            elif until_caught_up:
                raise
            else:
                # A bug or inconsistent data: nothing of the range was applied (one transaction), so
                # retrying later loses nothing; the lag in /api/health shows that ingest is stuck.
                log.exception("could not apply blocks attempt=%d retry_in=%.2fs", backoff.failures, delay)
        else:
            backoff.reset()
            if applied:
                log.info("synced events=%d", applied)
            if until_caught_up:
                return
            delay = poll_interval
        stop.wait(delay)
