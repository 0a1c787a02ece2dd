"""Carrier webhook signatures, in the Stripe / Shopify style: an HMAC-SHA256 of the timestamp and
the raw body under a secret shared with the carrier, sent as

    Carrier-Signature: t=1718000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

where v1 = hex(HMAC-SHA256(secret, f"{t}." + body)). Several v1 entries may be given (the carrier
rotating its secret); one must match. The timestamp is signed too, so an old webhook replayed
later fails the tolerance window even with its valid signature.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Carrier-Signature"
SCHEME = "v1"


class WebhookSignatureError(ValueError):
    """The webhook is not proven to come from the carrier (the reason is safe to return: it names no secret)."""


def compute(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    """The Carrier-Signature header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},{SCHEME}={compute(secret, timestamp, body)}"


def verify(secret: bytes, header: str | None, body: bytes, *, now: float, tolerance: int) -> int:
    """Check ``header`` against ``body``; returns the signed timestamp or raises WebhookSignatureError."""
    if not header:
        raise WebhookSignatureError(f"missing {HEADER} header")
    timestamp, signatures = _parse(header)
    if abs(now - timestamp) > tolerance:
        raise WebhookSignatureError(f"timestamp outside the tolerance of {tolerance}s")
    expected = compute(secret, timestamp, body)
    # Compare every candidate in constant time, and do not stop at the first match.
    matches = [hmac.compare_digest(expected.encode(), candidate.encode(errors="replace")) for candidate in signatures]
    if not any(matches):
        raise WebhookSignatureError("signature does not match")
    return timestamp


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp = None
    signatures = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == SCHEME:
            signatures.append(value)
    if timestamp is None or not (timestamp.isascii() and timestamp.isdigit()) or not signatures:
        raise WebhookSignatureError(f"malformed {HEADER} header: expected t=<unix seconds>,{SCHEME}=<hex hmac>")
    return int(timestamp), signatures
