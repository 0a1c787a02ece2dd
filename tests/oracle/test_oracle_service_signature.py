"""The Carrier-Signature scheme on its own: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">."""

import hashlib
import hmac

import pytest

from oracle.webhook_signature import WebhookSignatureError, sign, verify

SECRET = b"whsec_test_0123456789abcdef"
BODY = b'{"trackingNumber": "JD014600006281", "status": "delivered"}'
NOW = 1_750_000_000


def test_sign__is_the_documented_hmac():
    expected = hmac.new(SECRET, f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, BODY, NOW) == f"t={NOW},v1={expected}"


def test_verify__round_trip_returns_the_timestamp():
    assert verify(SECRET, sign(SECRET, BODY, NOW), BODY, now=NOW + 10, tolerance=300) == NOW


def test_verify__any_of_several_signatures__secret_rotation():
    new = sign(SECRET, BODY, NOW).split(",")[1]
    old = sign(b"whsec_the_previous_secret_value", BODY, NOW).split(",")[1]
    assert verify(SECRET, f"t={NOW},{old},{new}", BODY, now=NOW, tolerance=300) == NOW
    assert verify(SECRET, f"t={NOW}, {new} ,v0=ignored", BODY, now=NOW, tolerance=300) == NOW


@pytest.mark.parametrize("age", [300, -300])
def test_verify__at_the_edge_of_the_tolerance__accepted(age):
    assert verify(SECRET, sign(SECRET, BODY, NOW), BODY, now=NOW + age, tolerance=300) == NOW


@pytest.mark.parametrize(
    "header, body, now, reason",
    [
        (None, BODY, NOW, "missing"),
        ("", BODY, NOW, "missing"),
        (sign(SECRET, BODY, NOW), BODY, NOW + 301, "tolerance"),
        (sign(SECRET, BODY, NOW), BODY, NOW - 301, "tolerance"),
        (sign(SECRET, BODY, NOW), BODY + b" ", NOW, "does not match"),
        (sign(b"whsec_someone_else_entirely", BODY, NOW), BODY, NOW, "does not match"),
        (sign(SECRET, BODY, NOW).replace(f"t={NOW}", f"t={NOW + 1}"), BODY, NOW, "does not match"),
        (sign(SECRET, BODY, NOW).upper(), BODY, NOW, "malformed"),
        (f"t={NOW}", BODY, NOW, "malformed"),
        (f"t=-{NOW},v1=00", BODY, NOW, "malformed"),
        (f"t={NOW}\u00b2,v1=00", BODY, NOW, "malformed"),
        (f"t={NOW},v1=\u00e9", BODY, NOW, "does not match"),
        ("garbage", BODY, NOW, "malformed"),
    ],
    ids=[
        "none",
        "empty",
        "stale",
        "future",
        "body_changed",
        "wrong_secret",
        "timestamp_changed",
        "upper_case_keys",
        "no_signature",
        "negative_time",
        "unicode_digit",
        "non_ascii_signature",
        "garbage",
    ],
)
def test_verify__refused(header, body, now, reason):
    with pytest.raises(WebhookSignatureError, match=reason):
        verify(SECRET, header, body, now=now, tolerance=300)
