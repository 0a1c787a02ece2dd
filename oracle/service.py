"""What a carrier's tracking update means for the order lines its parcel carries: a "delivered"
update has each Shipped line attested on chain (one transaction for the parcel); anything else is
only logged. Knows neither HTTP nor HMAC (see api.py)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from .chain import AttestationFailed, OracleChain
from .shipments import Shipment, ShipmentIndex

log = logging.getLogger("oracle.service")

DELIVERED = "delivered"
DELIVERED_STATUSES = ("Delivered", "Completed")  # the line went through delivery already


@dataclass(frozen=True)
class TrackingUpdate:
    carrier: str
    tracking_number: str
    status: str  # the carrier's, lower case: in_transit, out_for_delivery, delivered, ...
    occurred_at: datetime


@dataclass(frozen=True)
class LineOutcome:
    line_id: int
    result: str  # delivered | already_delivered | in_progress | not_deliverable | noted
    status: str | None = None  # the line's status after the update (None if not read)
    tx_hash: str | None = None


class UnknownTrackingNumber(LookupError):
    pass


class DeliveryService:
    def __init__(self, shipments: ShipmentIndex, chain: OracleChain):
        self._shipments = shipments
        self._chain = chain
        self._in_flight: set[int] = set()  # lines whose attestation is being sent
        self._lock = threading.Lock()

    def describe(self) -> dict:
        """Who signs and pays, and how far the shipments are read (for GET /health)."""
        return {
            "oracle": self._chain.oracle.address,
            "attester": self._chain.attester.address,
            "relayer": self._chain.relayer.address,
            "shipmentsSyncedTo": self._shipments.synced_to,
        }

    def handle(self, update: TrackingUpdate) -> list[LineOutcome]:
        """Raises UnknownTrackingNumber, or AttestationFailed if the chain refused for a reason other
        than the line having been delivered meanwhile."""
        shipments = self._shipments_of(update.tracking_number)
        if update.status != DELIVERED:
            log.info(
                "tracking update tracking=%s status=%s lines=%d", update.tracking_number, update.status, len(shipments)
            )
            return [LineOutcome(s.line_id, "noted") for s in shipments]

        statuses = {s.line_id: self._chain.line_status(s.line_id) for s in shipments}
        with self._lock:
            mine = [s for s in shipments if statuses[s.line_id] == "Shipped" and s.line_id not in self._in_flight]
            self._in_flight.update(s.line_id for s in mine)
            busy = {s.line_id for s in shipments if statuses[s.line_id] == "Shipped"} - {s.line_id for s in mine}
        outcomes = {line_id: _settled(line_id, status) for line_id, status in statuses.items()}
        outcomes.update({line_id: LineOutcome(line_id, "in_progress", "Shipped") for line_id in busy})
        if mine:
            try:
                outcomes.update(self._attest(update, mine))
            finally:
                with self._lock:
                    self._in_flight.difference_update(s.line_id for s in mine)
        return [outcomes[s.line_id] for s in shipments]

    def _shipments_of(self, tracking_number: str) -> list[Shipment]:
        self._shipments.sync()  # lines shipped since the last poll, perhaps in this very parcel
        shipments = self._shipments.lookup(tracking_number)
        if not shipments:
            raise UnknownTrackingNumber(tracking_number)
        return shipments

    def _attest(self, update: TrackingUpdate, shipments: list[Shipment]) -> dict[int, LineOutcome]:
        line_ids = [s.line_id for s in shipments]
        try:
            attested = self._chain.attest(shipments, int(update.occurred_at.timestamp()))
        except AttestationFailed as err:
            after = {line_id: self._chain.line_status(line_id) for line_id in line_ids}
            if all(status != "Shipped" for status in after.values()):
                # Delivered by the buyer (or disputed) while we attested: nothing left to do.
                log.info("attestation overtaken tracking=%s lines=%s error=%s", update.tracking_number, line_ids, err)
                return {line_id: _settled(line_id, status) for line_id, status in after.items()}
            log.error(
                "attestation failed tracking=%s lines=%s error=%s tx=%s",
                update.tracking_number,
                line_ids,
                err,
                err.tx_hash,
            )
            raise
        log.info(
            "delivered tracking=%s lines=%s tx=%s block=%d gas=%d",
            update.tracking_number,
            line_ids,
            attested.tx_hash,
            attested.block_number,
            attested.gas_used,
        )
        return {line_id: LineOutcome(line_id, "delivered", "Delivered", attested.tx_hash) for line_id in line_ids}


def _settled(line_id: int, status: str) -> LineOutcome:
    """The outcome for a line this update does not attest."""
    return LineOutcome(line_id, "already_delivered" if status in DELIVERED_STATUSES else "not_deliverable", status)
