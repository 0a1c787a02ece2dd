"""The webhook receiver: ``POST /webhooks/carrier`` (a carrier's tracking update, HMAC-signed) and
``GET /health``.

    401  missing, malformed, stale or wrong Carrier-Signature: nothing is read, nothing is sent
    422  the body is not a tracking update (the message says why)
    404  no line was shipped with this tracking number (the carrier retries later)
    200  done: per line, delivered (with the transaction), already_delivered, in_progress,
         not_deliverable (its status), or noted (an update other than "delivered"); also for
         events other than tracking.updated, which are ignored
    502  the chain refused the attestation (the error's name is in the message): the carrier retries
    503  the chain cannot be reached, or the transaction was not mined in time
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel
from web3.exceptions import Web3Exception

from . import webhook_signature
from .chain import AttestationFailed
from .service import DeliveryService, TrackingUpdate, UnknownTrackingNumber

log = logging.getLogger("oracle.api")

TRACKING_UPDATED = "tracking.updated"


class CarrierWebhook(BaseModel):
    """A carrier's tracking webhook (the shape EasyPost, Shippo or AfterShip send, reduced to what
    the oracle reads; other fields are ignored)."""

    model_config = ConfigDict(alias_generator=to_camel, extra="ignore")

    id: str | None = Field(None, max_length=128)  # the carrier's event id
    event: str = Field(min_length=1, max_length=64)
    carrier: str = Field(min_length=1, max_length=64)
    tracking_number: str = Field(min_length=1, max_length=128)
    status: str = Field(min_length=1, max_length=64)
    occurred_at: AwareDatetime


def create_app(
    service: DeliveryService,
    *,
    secret: bytes,
    tolerance: int = 300,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    app = FastAPI(title="Blockchain mall logistics oracle", docs_url="/docs", openapi_url="/openapi.json")

    @app.post("/webhooks/carrier")
    async def carrier_webhook(request: Request):
        body = await request.body()
        header = request.headers.get(webhook_signature.HEADER)
        try:
            webhook_signature.verify(secret, header, body, now=clock(), tolerance=tolerance)
        except webhook_signature.WebhookSignatureError as err:
            log.warning("webhook refused reason=%r client=%s", str(err), request.client.host if request.client else "?")
            return _message(401, str(err))
        try:
            webhook = CarrierWebhook.model_validate_json(body)
        except ValidationError as err:
            return _message(422, _describe(err))
        if webhook.event != TRACKING_UPDATED:
            log.info("webhook ignored event=%s id=%s", webhook.event, webhook.id)
            return {"event": webhook.event, "result": "ignored"}

        update = TrackingUpdate(webhook.carrier, webhook.tracking_number, webhook.status.lower(), webhook.occurred_at)
        try:
            outcomes = await run_in_threadpool(service.handle, update)
        except UnknownTrackingNumber:
            log.info("webhook for an unknown parcel tracking=%s id=%s", update.tracking_number, webhook.id)
            return _message(404, f"no line was shipped with tracking number {update.tracking_number!r}")
        except AttestationFailed as err:
            return _message(502, f"attestation refused by the chain: {err.error}")
        except (OSError, Web3Exception) as err:  # refused, timed out, or not mined in time
            log.error("chain unavailable error=%r", err)
            return _message(503, "the chain is unavailable; try again later")
        return {
            "trackingNumber": update.tracking_number,
            "status": update.status,
            "lines": [
                {"lineId": o.line_id, "result": o.result, "lineStatus": o.status, "txHash": o.tx_hash} for o in outcomes
            ],
        }

    @app.get("/health")
    def get_health():
        return {"status": "ok", **service.describe()}

    return app


def _message(status_code: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status_code, content={"message": message})


def _describe(error: ValidationError) -> str:
    """'occurredAt: Input should have timezone info; trackingNumber: Field required'."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"])
        parts.append(f"{where}: {item['msg']}" if where else item["msg"])
    return "; ".join(parts)
