"""Webhooks that race: the same parcel reported twice at once, and a buyer who confirms while the
oracle attests. Each line is delivered once, by one transaction at most, and nobody gets an error."""

import logging
import threading
from datetime import UTC, datetime

from oracle.service import TrackingUpdate
from scripts._constants import LineStatus as Status


def delivered(tracking_number: str) -> TrackingUpdate:
    return TrackingUpdate("DHL", tracking_number, "delivered", datetime.now(UTC))


def test_same_parcel_twice_at_once__one_transaction(service, ship, marketplace, sent):
    lines = ship("PARCEL-R", lines=2)
    barrier = threading.Barrier(2)
    results = []

    def report():
        barrier.wait()
        results.append(service.handle(delivered("PARCEL-R")))

    threads = [threading.Thread(target=report) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sent() == 1
    assert all(marketplace.getLine(line_id).status == Status.DELIVERED for line_id in lines)
    by_result = sorted(outcome.result for outcomes in results for outcome in outcomes)
    assert by_result.count("delivered") == 2  # both lines, by whichever report came first
    assert set(by_result) - {"delivered"} <= {"in_progress", "already_delivered"}


def test_buyer_confirms_while_the_oracle_attests__no_error_nothing_sent(
    service, oracle_chain, ship, marketplace, carol, sent, monkeypatch
):
    (line_id,) = ship("PARCEL-S")
    attest = oracle_chain.attest

    def buyer_first(shipments, delivered_at):
        marketplace.confirmDelivery(line_id, sender=carol)
        return attest(shipments, delivered_at)

    monkeypatch.setattr(oracle_chain, "attest", buyer_first)

    (outcome,) = service.handle(delivered("PARCEL-S"))

    assert (outcome.result, outcome.status, outcome.tx_hash) == ("already_delivered", "Delivered", None)
    assert sent() == 0  # the gas estimate saw MarketInvalidStatus: nothing was broadcast


def test_buyer_confirms_after_the_estimate__mined_revert_is_decoded_and_no_error(
    service, oracle_chain, w3, ship, marketplace, carol, sent, monkeypatch, caplog
):
    caplog.set_level(logging.INFO, logger="oracle")
    (line_id,) = ship("PARCEL-T")
    send = w3.eth.send_raw_transaction

    def buyer_first(raw):
        marketplace.confirmDelivery(line_id, sender=carol)
        return send(raw)

    monkeypatch.setattr(w3.eth, "send_raw_transaction", buyer_first)

    (outcome,) = service.handle(delivered("PARCEL-T"))

    assert (outcome.result, outcome.status) == ("already_delivered", "Delivered")
    assert sent() == 1  # broadcast, mined, reverted
    assert f"error=MarketInvalidStatus(lineId={line_id}, status=4)" in caplog.text
