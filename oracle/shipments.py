"""Which order lines a parcel carries: the Marketplace's LineShipped events, followed by polling
``eth_getLogs`` from the deployment's first block, kept in memory by tracking reference.

A tracking reference may name several lines (a seller ships one parcel for several lines of an
order). Reorgs are not followed: a shipment that a reorg removed only produces an attestation the
contract refuses (OracleTrackingMismatch), which the service logs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from indexer.retry import Backoff

log = logging.getLogger("oracle.shipments")


@dataclass(frozen=True)
class Shipment:
    line_id: int
    carrier: str
    tracking_ref: str
    tracking_hash: bytes
    block_number: int


class ShipmentIndex:
    def __init__(self, marketplace, start_block: int, *, max_block_range: int = 2_000):
        """``marketplace``: a web3 contract with the Marketplace's ABI."""
        self._w3 = marketplace.w3
        self._event = marketplace.events.LineShipped
        self._next_block = start_block
        self._max_block_range = max_block_range
        self._by_ref: dict[str, list[Shipment]] = {}
        self._lock = threading.Lock()

    @property
    def synced_to(self) -> int:
        """The last block read."""
        return self._next_block - 1

    def sync(self) -> list[Shipment]:
        """Read LineShipped events up to the chain's head; returns the shipments new since the last call."""
        with self._lock:
            head = self._w3.eth.block_number
            new = []
            while self._next_block <= head:
                end = min(head, self._next_block + self._max_block_range - 1)
                for event in self._event.get_logs(from_block=self._next_block, to_block=end):
                    args = event["args"]
                    shipment = Shipment(
                        line_id=args["lineId"],
                        carrier=args["carrier"],
                        tracking_ref=args["trackingRef"],
                        tracking_hash=bytes(args["trackingHash"]),
                        block_number=event["blockNumber"],
                    )
                    self._by_ref.setdefault(shipment.tracking_ref, []).append(shipment)
                    new.append(shipment)
                self._next_block = end + 1
            return new

    def lookup(self, tracking_ref: str) -> list[Shipment]:
        with self._lock:
            return list(self._by_ref.get(tracking_ref, ()))


def follow(
    index: ShipmentIndex,
    stop: threading.Event,
    *,
    poll_interval: float,
    on_new: Callable[[list[Shipment]], None] | None = None,
) -> None:
    """Sync ``index`` every ``poll_interval`` seconds until ``stop``; waits out RPC failures with backoff."""
    backoff = Backoff(base=max(poll_interval, 0.1))
    while not stop.is_set():
        try:
            new = index.sync()
        except Exception as err:  # the RPC is down or refuses: wait and retry, never give up
            delay = backoff.next_delay()
            log.warning("sync failed error=%r retry_in=%.1fs", err, delay)
            stop.wait(delay)
            continue
        backoff.reset()
        if new:
            log.info("shipments new=%d synced_to=%d", len(new), index.synced_to)
            if on_new:
                on_new(new)
        stop.wait(poll_interval)
