"""A carrier for the demo: follows the Marketplace's LineShipped events and, for each parcel (a
tracking reference), posts signed tracking webhooks to the oracle service: "in_transit" after half
of ``delay`` seconds, "delivered" after ``delay``. Retries while the service is down or has not seen
the shipment yet (404); gives up on 401 and 422, which retrying cannot fix."""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import webhook_signature
from .shipments import Shipment, ShipmentIndex, follow

log = logging.getLogger("oracle.simulator")

DESCRIPTIONS = {
    "in_transit": "Departed the sorting facility",
    "delivered": "Delivered, left with the recipient",
}
RETRY_DELAY = 2.0  # seconds before posting a refused or failed webhook again
MAX_ATTEMPTS = 15
FINAL = {401, 422}  # what retrying cannot fix

# (url, body, headers) -> (HTTP status or None if unreachable, response text)
Poster = Callable[[str, bytes, dict[str, str]], tuple[int | None, str]]


@dataclass
class Parcel:
    tracking_ref: str
    carrier: str
    line_ids: list[int]
    steps: list[tuple[float, str]]  # (when, status), soonest first
    attempts: int = 0
    last_response: str = field(default="", repr=False)


def post_json(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as err:
        return None, str(err)


class CarrierSimulator:
    def __init__(
        self,
        shipments: ShipmentIndex,
        *,
        webhook_url: str,
        secret: bytes,
        delay: float,
        post: Poster = post_json,
        clock: Callable[[], float] = time.time,
    ):
        self._shipments = shipments
        self._url = webhook_url
        self._secret = secret
        self._delay = delay
        self._post = post
        self._clock = clock
        self._parcels: dict[str, Parcel] = {}  # not yet delivered, by tracking reference
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._parcels)

    def on_shipped(self, shipments: list[Shipment]) -> None:
        now = self._clock()
        with self._lock:
            for shipment in shipments:
                parcel = self._parcels.get(shipment.tracking_ref)
                if parcel is None:
                    steps = [(now + self._delay / 2, "in_transit"), (now + self._delay, "delivered")]
                    parcel = Parcel(shipment.tracking_ref, shipment.carrier, [], steps)
                    self._parcels[shipment.tracking_ref] = parcel
                    log.info(
                        "picked up tracking=%s carrier=%s delivering_in=%.0fs",
                        shipment.tracking_ref,
                        shipment.carrier,
                        self._delay,
                    )
                parcel.line_ids.append(shipment.line_id)

    def tick(self) -> None:
        """Post every webhook that is due."""
        now = self._clock()
        with self._lock:
            due = [parcel for parcel in self._parcels.values() if parcel.steps[0][0] <= now]
        for parcel in due:
            self._post_step(parcel, now)

    def run(self, stop: threading.Event, *, poll_interval: float) -> None:
        follower = threading.Thread(
            target=follow,
            args=(self._shipments, stop),
            kwargs={"poll_interval": poll_interval, "on_new": self.on_shipped},
            name="shipments",
            daemon=True,
        )
        follower.start()
        while not stop.is_set():
            self.tick()
            stop.wait(0.2)
        follower.join(timeout=5)

    def _post_step(self, parcel: Parcel, now: float) -> None:
        status = parcel.steps[0][1]
        body = json.dumps(
            {
                "id": f"evt_{secrets.token_hex(8)}",
                "event": "tracking.updated",
                "carrier": parcel.carrier,
                "trackingNumber": parcel.tracking_ref,
                "status": status,
                "description": DESCRIPTIONS.get(status, status),
                "occurredAt": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds"),
            }
        ).encode()
        signature = webhook_signature.sign(self._secret, body, int(self._clock()))
        code, text = self._post(self._url, body, {webhook_signature.HEADER: signature})
        parcel.attempts += 1
        if code is not None and 200 <= code < 300:
            log.info(
                "posted tracking=%s status=%s lines=%s response=%s", parcel.tracking_ref, status, parcel.line_ids, text
            )
            parcel.steps.pop(0)
            parcel.attempts = 0
        elif code in FINAL or parcel.attempts >= MAX_ATTEMPTS:
            log.error("gave up tracking=%s status=%s http=%s response=%s", parcel.tracking_ref, status, code, text)
            parcel.steps.clear()
        else:
            log.warning("retrying tracking=%s status=%s http=%s response=%s", parcel.tracking_ref, status, code, text)
            parcel.steps[0] = (now + RETRY_DELAY, status)
        if not parcel.steps:
            with self._lock:
                self._parcels.pop(parcel.tracking_ref, None)
