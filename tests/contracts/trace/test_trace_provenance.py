"""Provenance: batches, participants, EPCIS-like events on a batch and on the order lines shipped
from it. Every refusal with its exact error, including strangers, revoked participants and sellers
reaching into each other's batches."""

import pytest
from ape import chain
from strict_reverts import reverts_with

from scripts._bench_trace import bytes32
from scripts._constants import LineStatus as Status

PRODUCER, INSPECTOR, WAREHOUSE, CARRIER = 2, 3, 4, 5  # IProvenance.Role
NONE, SELLER = 0, 1
BATCH_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
SGLN = "urn:epc:id:sgln:4012345.00001.0"
DOC = bytes.fromhex("8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4")


def event_args(step="shipping", disposition="in_transit", *, at=None, read_point=SGLN, doc=DOC, uri="ipfs://waybill"):
    """recordEvent's arguments after the batch (line) id; `at` defaults to the last block's time."""
    when = chain.blocks.head.timestamp if at is None else at
    return bytes32(step), bytes32(disposition), when, read_point, doc, uri


@pytest.fixture
def product(list_product):
    """A product of alice's."""
    return list_product()


@pytest.fixture
def batch(provenance, product, alice):
    receipt = provenance.registerBatch(product, BATCH_URI, sender=alice)
    return receipt.events.filter(provenance.BatchRegistered)[0].batchId


@pytest.fixture
def carried_batch(provenance, batch, alice, carrier):
    """alice's batch, with `carrier` authorised as its carrier."""
    provenance.authorizeParticipant(batch, carrier, CARRIER, sender=alice)
    return batch


@pytest.fixture
def shipped_line(marketplace, buy, product, alice):
    """A line of `product` (alice sells, carol buys), shipped."""
    (line_id,) = buy([(product, 1)])
    marketplace.acceptLine(line_id, sender=alice)
    marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=alice)
    return line_id


# ---------------------------------------------------------------- batches


def test_register_batch__by_the_products_seller(provenance, product, alice):
    receipt = provenance.registerBatch(product, BATCH_URI, sender=alice)
    assert receipt.events == [
        provenance.BatchRegistered(batchId=1, productId=product, seller=alice, metadataURI=BATCH_URI)
    ]
    assert provenance.getBatch(1) == (alice.address, product)
    assert provenance.batchCount() == 1
    assert provenance.roleOf(1, alice) == SELLER


def test_register_batch__unknown_product__reverts(provenance, alice):
    with reverts_with(provenance.ProvenanceUnknownProduct, productId=77):
        provenance.registerBatch(77, BATCH_URI, sender=alice)


@pytest.mark.parametrize("who", ["bob", "carol", "mallory"])
def test_register_batch__not_the_seller__reverts(provenance, product, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(provenance.ProvenanceNotSeller, productId=product, caller=caller):
        provenance.registerBatch(product, BATCH_URI, sender=caller)


# ---------------------------------------------------------------- participants


def test_authorize__grants_and_changes_a_role(provenance, batch, alice, carrier):
    receipt = provenance.authorizeParticipant(batch, carrier, WAREHOUSE, sender=alice)
    assert receipt.events == [provenance.ParticipantAuthorized(batchId=batch, participant=carrier, role=WAREHOUSE)]
    assert provenance.roleOf(batch, carrier) == WAREHOUSE
    provenance.authorizeParticipant(batch, carrier, CARRIER, sender=alice)
    assert provenance.roleOf(batch, carrier) == CARRIER


@pytest.mark.parametrize("who", ["bob", "carrier", "mallory"])
def test_authorize__not_the_seller__reverts(provenance, batch, product, carrier, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(provenance.ProvenanceNotSeller, productId=product, caller=caller):
        provenance.authorizeParticipant(batch, carrier, CARRIER, sender=caller)


def test_authorize__unknown_batch__reverts(provenance, alice, carrier):
    with reverts_with(provenance.ProvenanceUnknownBatch, batchId=9):
        provenance.authorizeParticipant(9, carrier, CARRIER, sender=alice)


@pytest.mark.parametrize("role", [NONE, SELLER])
def test_authorize__role_that_cannot_be_granted__reverts(provenance, batch, alice, carrier, role):
    with reverts_with(provenance.ProvenanceInvalidRole, role=role):
        provenance.authorizeParticipant(batch, carrier, role, sender=alice)


def test_authorize__zero_address__reverts(provenance, batch, alice):
    with reverts_with(provenance.ProvenanceZeroAddress):
        provenance.authorizeParticipant(batch, "0x" + "00" * 20, CARRIER, sender=alice)


def test_authorize__the_seller_itself__reverts(provenance, batch, alice):
    with reverts_with(provenance.ProvenanceIsSeller, batchId=batch, seller=alice):
        provenance.authorizeParticipant(batch, alice, CARRIER, sender=alice)
    assert provenance.roleOf(batch, alice) == SELLER


def test_revoke__removes_the_role_and_keeps_past_events(provenance, carried_batch, alice, carrier):
    recorded = provenance.recordEvent(carried_batch, *event_args(), sender=carrier)
    receipt = provenance.revokeParticipant(carried_batch, carrier, sender=alice)
    assert receipt.events == [provenance.ParticipantRevoked(batchId=carried_batch, participant=carrier, role=CARRIER)]
    assert provenance.roleOf(carried_batch, carrier) == NONE
    with reverts_with(provenance.ProvenanceNotAuthorized, batchId=carried_batch, caller=carrier):
        provenance.recordEvent(carried_batch, *event_args(), sender=carrier)
    history = list(provenance.TraceEventRecorded.query("*", start_block=recorded.block_number).itertuples())
    assert len(history) == 1


def test_revoke__not_a_participant__reverts(provenance, batch, alice, inspector):
    with reverts_with(provenance.ProvenanceNotParticipant, batchId=batch, participant=inspector):
        provenance.revokeParticipant(batch, inspector, sender=alice)


def test_revoke__the_seller_itself__reverts(provenance, batch, alice):
    with reverts_with(provenance.ProvenanceIsSeller, batchId=batch, seller=alice):
        provenance.revokeParticipant(batch, alice, sender=alice)


@pytest.mark.parametrize("who", ["bob", "carrier", "mallory"])
def test_revoke__not_the_seller__reverts(provenance, carried_batch, product, carrier, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(provenance.ProvenanceNotSeller, productId=product, caller=caller):
        provenance.revokeParticipant(carried_batch, carrier, sender=caller)


def test_revoke__unknown_batch__reverts(provenance, alice, carrier):
    with reverts_with(provenance.ProvenanceUnknownBatch, batchId=9):
        provenance.revokeParticipant(9, carrier, sender=alice)


# ---------------------------------------------------------------- batch events


@pytest.mark.parametrize("who, role", [("alice", SELLER), ("carrier", CARRIER)])
def test_record_event__by_seller_or_participant(provenance, carried_batch, who, role, request):
    recorder = request.getfixturevalue(who)
    at = chain.blocks.head.timestamp - 3600  # it happened an hour ago, recorded now
    receipt = provenance.recordEvent(carried_batch, *event_args("departing", "in_transit", at=at), sender=recorder)
    assert receipt.events == [
        provenance.TraceEventRecorded(
            batchId=carried_batch, lineId=0, recorder=recorder, role=role, bizStep=bytes32("departing"),
            disposition=bytes32("in_transit"), eventTime=at, readPoint=SGLN, docHash=DOC, uri="ipfs://waybill",
        )
    ]  # fmt: skip


def test_record_event__optional_fields_empty(provenance, batch, alice):
    args = event_args("commissioning", "", read_point="", doc=b"\0" * 32, uri="")
    receipt = provenance.recordEvent(batch, *args, sender=alice)
    event = receipt.events.filter(provenance.TraceEventRecorded)[0]
    assert (event.disposition, event.readPoint, event.uri) == (b"\0" * 32, "", "")


@pytest.mark.parametrize("who", ["bob", "carol", "mallory"])
def test_record_event__stranger__reverts(provenance, batch, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(provenance.ProvenanceNotAuthorized, batchId=batch, caller=caller):
        provenance.recordEvent(batch, *event_args(), sender=caller)


def test_record_event__participant_of_another_batch__reverts(provenance, carried_batch, list_product, bob, carrier):
    # bob's batch: alice's carrier has no say in it, and neither has alice.
    other = provenance.registerBatch(list_product(seller=bob), BATCH_URI, sender=bob).events[0].batchId
    with reverts_with(provenance.ProvenanceNotAuthorized, batchId=other, caller=carrier):
        provenance.recordEvent(other, *event_args(), sender=carrier)


def test_record_event__unknown_batch__reverts(provenance, carrier):
    with reverts_with(provenance.ProvenanceUnknownBatch, batchId=42):
        provenance.recordEvent(42, *event_args(), sender=carrier)


def test_record_event__no_business_step__reverts(provenance, carried_batch, carrier):
    with reverts_with(provenance.ProvenanceMissingBizStep):
        provenance.recordEvent(carried_batch, *event_args(step=""), sender=carrier)


def test_record_event__time_zero_or_future__reverts(provenance, carried_batch, carrier):
    for at in (0, chain.blocks.head.timestamp + 3600):
        with reverts_with(provenance.ProvenanceInvalidEventTime, eventTime=at):
            provenance.recordEvent(carried_batch, *event_args(at=at), sender=carrier)
    chain.pending_timestamp = chain.blocks.head.timestamp + 60
    provenance.recordEvent(carried_batch, *event_args(at=chain.pending_timestamp), sender=carrier)  # "now" is fine


# ---------------------------------------------------------------- order lines


@pytest.mark.parametrize("status", [Status.SHIPPED, Status.DELIVERED, Status.COMPLETED])
def test_link_line__once_shipped(provenance, marketplace, line_in, status, alice):
    line_id = line_in(status)
    product_id = marketplace.getLine(line_id).productId
    batch = provenance.registerBatch(product_id, BATCH_URI, sender=alice).events[0].batchId
    receipt = provenance.linkLine(line_id, batch, sender=alice)
    assert receipt.events == [provenance.LineLinked(lineId=line_id, batchId=batch, productId=product_id)]
    assert provenance.batchOfLine(line_id) == batch


@pytest.mark.parametrize("resolved", [False, True], ids=["disputed", "resolved"])
def test_link_line__in_or_after_a_dispute(provenance, marketplace, line_in_dispute, resolved, alice):
    line_id = line_in_dispute(resolved)
    assert marketplace.getLine(line_id).status == (Status.RESOLVED if resolved else Status.DISPUTED)
    batch = provenance.registerBatch(marketplace.getLine(line_id).productId, BATCH_URI, sender=alice).events[0].batchId
    provenance.linkLine(line_id, batch, sender=alice)
    assert provenance.batchOfLine(line_id) == batch


@pytest.mark.parametrize(
    "status", [Status.PAID, Status.ACCEPTED, Status.CANCELLED, Status.REJECTED, Status.EXPIRED, Status.REFUNDED]
)
def test_link_line__not_shipped__reverts(provenance, marketplace, line_in, status, alice):
    line_id = line_in(status)
    product_id = marketplace.getLine(line_id).productId
    batch = provenance.registerBatch(product_id, BATCH_URI, sender=alice).events[0].batchId
    with reverts_with(provenance.ProvenanceLineNotShipped, lineId=line_id, status=status):
        provenance.linkLine(line_id, batch, sender=alice)


@pytest.mark.parametrize("who", ["bob", "carol", "carrier", "mallory"])
def test_link_line__not_the_lines_seller__reverts(provenance, shipped_line, carried_batch, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(provenance.ProvenanceNotLineSeller, lineId=shipped_line, caller=caller):
        provenance.linkLine(shipped_line, carried_batch, sender=caller)


def test_link_line__unknown_line__reverts(provenance, batch, alice):
    with reverts_with(provenance.ProvenanceNotLineSeller, lineId=12345, caller=alice):
        provenance.linkLine(12345, batch, sender=alice)


def test_link_line__unknown_batch__reverts(provenance, shipped_line, alice):
    with reverts_with(provenance.ProvenanceUnknownBatch, batchId=99):
        provenance.linkLine(shipped_line, 99, sender=alice)


def test_link_line__batch_of_another_product__reverts(provenance, shipped_line, product, list_product, alice):
    other_product = list_product()
    other = provenance.registerBatch(other_product, BATCH_URI, sender=alice).events[0].batchId
    with reverts_with(
        provenance.ProvenanceProductMismatch,
        lineId=shipped_line, lineProductId=product, batchId=other, batchProductId=other_product,
    ):  # fmt: skip
        provenance.linkLine(shipped_line, other, sender=alice)


def test_link_line__twice__reverts(provenance, shipped_line, batch, product, alice):
    provenance.linkLine(shipped_line, batch, sender=alice)
    second = provenance.registerBatch(product, BATCH_URI, sender=alice).events[0].batchId
    with reverts_with(provenance.ProvenanceLineAlreadyLinked, lineId=shipped_line, batchId=batch):
        provenance.linkLine(shipped_line, second, sender=alice)


@pytest.mark.parametrize("who, role", [("alice", SELLER), ("carrier", CARRIER)])
def test_record_line_event__by_the_batchs_participants(provenance, shipped_line, carried_batch, who, role, request):
    provenance.linkLine(shipped_line, carried_batch, sender=request.getfixturevalue("alice"))
    recorder = request.getfixturevalue(who)
    args = event_args("arriving", "in_progress")
    receipt = provenance.recordLineEvent(shipped_line, *args, sender=recorder)
    assert receipt.events == [
        provenance.TraceEventRecorded(
            batchId=carried_batch, lineId=shipped_line, recorder=recorder, role=role, bizStep=args[0],
            disposition=args[1], eventTime=args[2], readPoint=SGLN, docHash=DOC, uri="ipfs://waybill",
        )
    ]  # fmt: skip


def test_record_line_event__not_linked__reverts(provenance, shipped_line, carrier):
    with reverts_with(provenance.ProvenanceLineNotLinked, lineId=shipped_line):
        provenance.recordLineEvent(shipped_line, *event_args(), sender=carrier)


@pytest.mark.parametrize("who", ["bob", "carol", "inspector", "mallory"])
def test_record_line_event__not_a_participant__reverts(provenance, shipped_line, carried_batch, alice, who, request):
    provenance.linkLine(shipped_line, carried_batch, sender=alice)
    caller = request.getfixturevalue(who)
    with reverts_with(provenance.ProvenanceNotAuthorized, batchId=carried_batch, caller=caller):
        provenance.recordLineEvent(shipped_line, *event_args(), sender=caller)


def test_record_line_event__revoked_carrier__reverts(provenance, shipped_line, carried_batch, alice, carrier):
    provenance.linkLine(shipped_line, carried_batch, sender=alice)
    provenance.revokeParticipant(carried_batch, carrier, sender=alice)
    with reverts_with(provenance.ProvenanceNotAuthorized, batchId=carried_batch, caller=carrier):
        provenance.recordLineEvent(shipped_line, *event_args(), sender=carrier)
