"""POST /webhooks/carrier against the real chain: a signed "delivered" webhook delivers the
parcel's lines through the oracle; a bad, stale or missing signature gets 401 and nothing reaches
the chain; duplicates are no-ops; unknown parcels 404; malformed bodies 422."""

import time

import pytest

from oracle import webhook_signature
from oracle.attestation import tracking_hash
from scripts._constants import LineStatus as Status

SECRET = b"whsec_test_0123456789abcdef"  # as the conftest's


@pytest.fixture
def parcel(ship):
    """A line shipped as parcel "PARCEL-1"."""
    (line_id,) = ship("PARCEL-1")
    return line_id


def status_of(marketplace, line_id) -> Status:
    return Status(marketplace.getLine(line_id).status)


# ------------------------------------------------------------------ delivered by the oracle


def test_delivered__line_becomes_delivered_by_the_oracle(
    chain, client, post, webhook_body, marketplace, oracle, parcel, attester_address, sent, terms
):
    response = post(webhook_body("PARCEL-1"))

    assert response.status_code == 200, response.text
    (line,) = response.json()["lines"]
    assert (line["lineId"], line["result"], line["lineStatus"]) == (parcel, "delivered", "Delivered")
    receipt = chain.get_receipt(line["txHash"])
    assert receipt.events == [
        oracle.DeliveryAttested(
            lineId=parcel,
            signer=attester_address,
            deliveredAt=receipt.events[0].deliveredAt,
            trackingHash=tracking_hash("PARCEL-1"),
        ),
        marketplace.LineDelivered(lineId=parcel, confirmedBy=oracle),
    ]
    assert receipt.events[0].deliveredAt <= receipt.timestamp
    assert status_of(marketplace, parcel) == Status.DELIVERED
    assert marketplace.deadlineOf(parcel) == receipt.timestamp + terms["inspectionWindow"]
    assert sent() == 1


def test_delivered__one_transaction_for_every_line_of_the_parcel(post, webhook_body, marketplace, ship, sent):
    lines = ship("PARCEL-2", lines=3)

    response = post(webhook_body("PARCEL-2"))

    assert response.status_code == 200, response.text
    results = response.json()["lines"]
    assert [(r["lineId"], r["result"]) for r in results] == [(line_id, "delivered") for line_id in lines]
    assert len({r["txHash"] for r in results}) == 1 and sent() == 1
    assert all(status_of(marketplace, line_id) == Status.DELIVERED for line_id in lines)


def test_delivered__lines_the_buyer_confirmed_are_left_alone(post, webhook_body, marketplace, ship, carol, sent):
    confirmed, pending = ship("PARCEL-3", lines=2)
    marketplace.confirmDelivery(confirmed, sender=carol)

    response = post(webhook_body("PARCEL-3"))

    results = {r["lineId"]: r["result"] for r in response.json()["lines"]}
    assert results == {confirmed: "already_delivered", pending: "delivered"}
    assert sent() == 1


def test_delivered__shipped_after_the_last_poll__still_found(client, post, webhook_body, marketplace, shipments, ship):
    shipments.sync()
    (line_id,) = ship("PARCEL-LATE")

    response = post(webhook_body("PARCEL-LATE"))

    assert response.status_code == 200, response.text
    assert status_of(marketplace, line_id) == Status.DELIVERED


def test_delivered__a_line_added_to_a_known_parcel_since_the_last_poll__included(
    client, post, webhook_body, marketplace, shipments, ship, sent
):
    (first,) = ship("PARCEL-GROWS")
    shipments.sync()
    (second,) = ship("PARCEL-GROWS")

    response = post(webhook_body("PARCEL-GROWS"))

    assert [r["result"] for r in response.json()["lines"]] == ["delivered", "delivered"]
    assert all(status_of(marketplace, line_id) == Status.DELIVERED for line_id in (first, second))
    assert sent() == 1


def test_delivered__carrier_clock_ahead_of_the_chain__delivered_at_is_clamped(
    chain, post, webhook_body, marketplace, parcel
):
    response = post(webhook_body("PARCEL-1", occurredAt="2999-01-01T00:00:00+00:00"))

    assert response.status_code == 200, response.text
    receipt = chain.get_receipt(response.json()["lines"][0]["txHash"])
    assert receipt.events[0].deliveredAt <= receipt.timestamp


@pytest.mark.parametrize("carrier_status", ["in_transit", "out_for_delivery", "IN_TRANSIT"])
def test_not_delivered_yet__noted_nothing_sent(post, webhook_body, marketplace, parcel, sent, carrier_status):
    response = post(webhook_body("PARCEL-1", carrier_status))

    assert response.status_code == 200, response.text
    assert response.json()["lines"] == [{"lineId": parcel, "result": "noted", "lineStatus": None, "txHash": None}]
    assert status_of(marketplace, parcel) == Status.SHIPPED and sent() == 0


def test_other_event_types__ignored(post, webhook_body, parcel, sent, marketplace):
    response = post(webhook_body("PARCEL-1", event="tracker.created"))

    assert response.status_code == 200 and response.json()["result"] == "ignored"
    assert status_of(marketplace, parcel) == Status.SHIPPED and sent() == 0


# ------------------------------------------------------------------ idempotence


def test_duplicate_webhook__second_is_a_no_op(post, webhook_body, marketplace, parcel, sent):
    body = webhook_body("PARCEL-1")
    assert post(body).status_code == 200
    assert sent() == 1

    again = post(body)

    assert again.status_code == 200, again.text
    assert again.json()["lines"] == [
        {"lineId": parcel, "result": "already_delivered", "lineStatus": "Delivered", "txHash": None}
    ]
    assert sent() == 1


def test_line_no_longer_deliverable__reported_not_sent(post, webhook_body, marketplace, line_in, sent):
    """A shipped line refunded in full before the parcel arrived."""
    refunded = line_in(Status.REFUNDED)  # shipped as "JD014600006281", then refunded

    response = post(webhook_body("JD014600006281"))

    assert response.status_code == 200, response.text
    assert response.json()["lines"] == [
        {"lineId": refunded, "result": "not_deliverable", "lineStatus": "Refunded", "txHash": None}
    ]
    assert sent() == 0


# ------------------------------------------------------------------ refused webhooks: nothing reaches the chain


def forged_header(forgery: str, webhook_body) -> str:
    now = int(time.time())
    if forgery == "wrong_secret":
        return webhook_signature.sign(b"whsec_someone_else_entirely", webhook_body("PARCEL-1"), now)
    if forgery == "signed_another_body":
        return webhook_signature.sign(SECRET, webhook_body("PARCEL-OTHER"), now)
    return {
        "missing": "",
        "empty_signature": f"t={now},v1=",
        "no_timestamp": "v1=" + "0" * 64,
        "other_scheme": "sha256=deadbeef",
        "unicode_digit": f"t={now}\u00b2,v1=" + "0" * 64,
        "non_ascii_signature": f"t={now},v1=\u00e9" + "0" * 63,
    }[forgery]


@pytest.mark.parametrize(
    "forgery",
    [
        "wrong_secret",
        "signed_another_body",
        "missing",
        "empty_signature",
        "no_timestamp",
        "other_scheme",
        "unicode_digit",
        "non_ascii_signature",
    ],
)
def test_bad_signature__401_and_nothing_sent(post, webhook_body, marketplace, parcel, sent, forgery):
    response = post(webhook_body("PARCEL-1"), header=forged_header(forgery, webhook_body))

    assert response.status_code == 401, response.text
    assert response.json()["message"]
    assert status_of(marketplace, parcel) == Status.SHIPPED and sent() == 0


@pytest.mark.parametrize("age", [301, -301, 10**6])
def test_stale_or_future_timestamp__401_even_with_a_valid_hmac(post, webhook_body, marketplace, parcel, sent, age):
    response = post(webhook_body("PARCEL-1"), timestamp=int(time.time()) - age)

    assert response.status_code == 401
    assert "tolerance" in response.json()["message"]
    assert status_of(marketplace, parcel) == Status.SHIPPED and sent() == 0


def test_bad_signature_on_a_malformed_body__401_not_422(post, parcel):
    assert post(b"{not json", secret="whsec_someone_else_entirely").status_code == 401


# ------------------------------------------------------------------ malformed and unknown


@pytest.mark.parametrize(
    "body, complaint",
    [
        (b"{not json", "Invalid JSON"),
        (b"[]", "object"),
        (b'{"event": "tracking.updated"}', "trackingNumber: Field required"),
        ('{"trackingNumber": 5}', "trackingNumber"),
        ("naive_time", "occurredAt"),
        ("empty_number", "trackingNumber"),
    ],
)
def test_malformed_body__422_with_a_message(post, webhook_body, parcel, sent, body, complaint):
    if body == "naive_time":
        body = webhook_body("PARCEL-1", occurredAt="2025-01-01T12:00:00")
    elif body == "empty_number":
        body = webhook_body("")
    elif isinstance(body, str):
        body = body.encode()

    response = post(body)

    assert response.status_code == 422, response.text
    assert complaint in response.json()["message"]
    assert sent() == 0


def test_unknown_tracking_number__404_and_nothing_sent(post, webhook_body, parcel, sent):
    response = post(webhook_body("NEVER-SHIPPED"))

    assert response.status_code == 404
    assert "NEVER-SHIPPED" in response.json()["message"]
    assert sent() == 0


# ------------------------------------------------------------------ the chain refuses


def test_attester_revoked__502_names_the_error_and_nothing_is_sent(
    post, webhook_body, oracle, marketplace, parcel, admin, attester_address, sent
):
    oracle.revokeRole(oracle.ATTESTER_ROLE(), attester_address, sender=admin)

    response = post(webhook_body("PARCEL-1"))

    assert response.status_code == 502
    assert f"OracleUnauthorizedSigner(signer={attester_address})" in response.json()["message"]
    assert status_of(marketplace, parcel) == Status.SHIPPED and sent() == 0


def test_health(client, oracle, attester_address):
    body = client.get("/health").json()
    assert (body["status"], body["oracle"], body["attester"], body["relayer"]) == (
        "ok",
        oracle.address,
        attester_address,
        attester_address,
    )
