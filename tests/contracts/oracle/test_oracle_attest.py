"""attestDelivery: a carrier's delivery, signed by an attester and relayed by anyone, delivers a
shipped line exactly as the buyer's click does; forged, tampered, replayed, expired or mismatched
attestations revert with named errors and change nothing."""

import pytest
from eth_account import Account
from eth_account.messages import _hash_eip191_message
from eth_utils import keccak
from strict_reverts import reverts_with

from oracle.attestation import Delivery, Domain, delivery_message, sign_delivery, tracking_hash
from scripts._constants import LineStatus as Status

TRACKING_REF = "JD014600006281"
ZERO = "0x0000000000000000000000000000000000000000"


@pytest.fixture
def shipped(line_in):
    return line_in(Status.SHIPPED)


def recovered(domain, delivery: tuple, signature: bytes) -> str:
    """Whom the contract takes `signature` over `delivery` to be from."""
    return Account.recover_message(delivery_message(domain, Delivery(*delivery)), signature=signature)


# ------------------------------------------------------------------ the happy path


def test_attest__relayed_by_anyone__delivers_and_starts_inspection_window(
    chain, oracle, marketplace, shipped, attestation, attester, mallory, terms
):
    delivery, signature = attestation(shipped, delivered_at=chain.blocks.head.timestamp - 60)

    receipt = oracle.attestDelivery(delivery, signature, sender=mallory)

    assert receipt.events == [
        oracle.DeliveryAttested(
            lineId=shipped, signer=attester, deliveredAt=delivery[2], trackingHash=tracking_hash(TRACKING_REF)
        ),
        marketplace.LineDelivered(lineId=shipped, confirmedBy=oracle),
    ]
    line = marketplace.getLine(shipped)
    assert (line.status, line.statusAt) == (Status.DELIVERED, receipt.timestamp)
    assert marketplace.deadlineOf(shipped) == receipt.timestamp + terms["inspectionWindow"]
    assert oracle.nonceUsed(attester, delivery[3])


def test_attest__same_clock_as_the_buyers_click(chain, oracle, marketplace, line_in, attestation, carol, terms):
    by_buyer, by_oracle = line_in(Status.SHIPPED), line_in(Status.SHIPPED)
    chain.pending_timestamp += 3600
    clicked = marketplace.confirmDelivery(by_buyer, sender=carol)
    chain.pending_timestamp = clicked.timestamp
    attested = oracle.attestDelivery(*attestation(by_oracle), sender=carol)

    assert attested.timestamp == clicked.timestamp
    assert marketplace.getLine(by_oracle).statusAt == marketplace.getLine(by_buyer).statusAt == clicked.timestamp
    assert marketplace.deadlineOf(by_oracle) == marketplace.deadlineOf(by_buyer)


def test_attest__inspection_window__buyer_completes_at_once_others_after_it(
    chain, oracle, marketplace, shipped, attestation, carol, mallory, terms
):
    receipt = oracle.attestDelivery(*attestation(shipped), sender=mallory)
    completable_at = receipt.timestamp + terms["inspectionWindow"]

    with reverts_with(marketplace.MarketTooEarly, lineId=shipped, deadline=completable_at):
        marketplace.completeLine(shipped, sender=mallory)
    chain.pending_timestamp = completable_at + 1
    marketplace.completeLine(shipped, sender=mallory)
    assert marketplace.getLine(shipped).status == Status.COMPLETED


def test_attest__buyer_can_still_dispute_during_the_inspection_window(
    oracle, marketplace, resolution, shipped, attestation, carol, mallory
):
    """A wrong "delivered" from the carrier costs the buyer a dispute, not the escrow."""
    oracle.attestDelivery(*attestation(shipped), sender=mallory)

    resolution.raiseDispute(shipped, "never arrived", sender=carol)

    assert marketplace.getLine(shipped).status == Status.DISPUTED


def test_attest__after_the_delivery_window__counts_as_delivered_at_its_end(
    chain, oracle, marketplace, shipped, attestation, mallory, terms
):
    shipped_at = marketplace.getLine(shipped).statusAt
    chain.pending_timestamp = shipped_at + terms["deliveryWindow"] + 100
    chain.mine()

    oracle.attestDelivery(*attestation(shipped), sender=mallory)

    assert marketplace.getLine(shipped).statusAt == shipped_at + terms["deliveryWindow"]


def test_attest_deliveries__one_parcel_several_lines_in_one_transaction(
    oracle, marketplace, list_product, buy, alice, attestation, attester, mallory
):
    lines = buy([(list_product(), 1), (list_product(), 2)])
    for line_id in lines:
        marketplace.acceptLine(line_id, sender=alice)
        marketplace.shipLine(line_id, "DHL", "PARCEL-7", sender=alice)
    signed = [attestation(line_id, tracking_ref="PARCEL-7") for line_id in lines]

    receipt = oracle.attestDeliveries([d for d, _ in signed], [s for _, s in signed], sender=mallory)

    assert [event.lineId for event in receipt.events.filter(oracle.DeliveryAttested)] == lines
    assert [event.event_name for event in receipt.events] == ["DeliveryAttested", "LineDelivered"] * 2
    assert all(marketplace.getLine(line_id).status == Status.DELIVERED for line_id in lines)


def test_hash_delivery__matches_the_services_eip712_encoding(oracle, domain, shipped, attestation):
    delivery, _ = attestation(shipped)
    assert oracle.hashDelivery(delivery) == _hash_eip191_message(delivery_message(domain, Delivery(*delivery)))
    assert (domain.name, domain.version, domain.verifying_contract) == ("LogisticsOracle", "1", oracle.address)


# ------------------------------------------------------------------ forged and unauthorised signatures


def test_attest__signed_with_a_key_that_is_no_attester__reverts(oracle, marketplace, shipped, attestation, mallory):
    stranger = Account.create()
    delivery, signature = attestation(shipped, signer=stranger)

    with reverts_with(oracle.OracleUnauthorizedSigner, signer=stranger.address):
        oracle.attestDelivery(delivery, signature, sender=mallory)

    assert marketplace.getLine(shipped).status == Status.SHIPPED


@pytest.mark.parametrize("who", ["mallory", "admin", "carol", "alice"])
def test_attest__signed_by_an_account_without_the_role__reverts(
    request, oracle, marketplace, shipped, attestation, who
):
    """Not even the admin, the buyer or the seller can sign a delivery: only attesters."""
    signer = request.getfixturevalue(who)
    delivery, signature = attestation(shipped, signer=signer)

    with reverts_with(oracle.OracleUnauthorizedSigner, signer=signer.address):
        oracle.attestDelivery(delivery, signature, sender=signer)

    assert marketplace.getLine(shipped).status == Status.SHIPPED


@pytest.mark.parametrize(
    "field, value",
    [(0, "other line"), (1, keccak(text="OTHER-REF")), (2, 1), (3, 999), (4, "later")],
    ids=["lineId", "trackingHash", "deliveredAt", "nonce", "deadline"],
)
def test_attest__tampered_after_signing__reverts(chain, oracle, domain, line_in, attestation, mallory, field, value):
    """Changing any field of a signed delivery changes whom the signature recovers to."""
    shipped, other = line_in(Status.SHIPPED), line_in(Status.SHIPPED)
    delivery, signature = attestation(shipped)
    value = {"other line": other, "later": delivery[4] + 3600}.get(value, value)
    tampered = tuple(value if i == field else v for i, v in enumerate(delivery))
    forger = recovered(domain, tampered, signature)
    assert forger != ZERO

    with reverts_with(oracle.OracleUnauthorizedSigner, signer=forger):
        oracle.attestDelivery(tampered, signature, sender=mallory)


def test_attest__signed_for_another_chain_or_contract__reverts(oracle, domain, shipped, attestation, attester, mallory):
    delivery, _ = attestation(shipped)
    for other in (
        Domain(domain.name, domain.version, domain.chain_id + 1, domain.verifying_contract),
        Domain(domain.name, domain.version, domain.chain_id, mallory.address),
    ):
        signature = sign_delivery(attester.private_key, other, Delivery(*delivery))
        with reverts_with(oracle.OracleUnauthorizedSigner, signer=recovered(domain, delivery, signature)):
            oracle.attestDelivery(delivery, signature, sender=mallory)


SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@pytest.mark.parametrize("length", [0, 64, 66])
def test_attest__signature_of_the_wrong_length__reverts(oracle, shipped, attestation, mallory, length):
    delivery, signature = attestation(shipped)
    mangled = (signature + b"\x00")[:length]

    with reverts_with(oracle.ECDSAInvalidSignatureLength, length=length):
        oracle.attestDelivery(delivery, mangled, sender=mallory)


def test_attest__malleated_high_s_signature__reverts(oracle, shipped, attestation, mallory):
    """(r, n - s, flipped v) recovers the same key: refused, so a signature has one encoding only."""
    delivery, signature = attestation(shipped)
    high_s = SECP256K1_ORDER - int.from_bytes(signature[32:64], "big")
    malleated = signature[:32] + high_s.to_bytes(32, "big") + bytes([55 - signature[64]])  # v: 27 <-> 28

    with reverts_with(oracle.ECDSAInvalidSignatureS, s=high_s.to_bytes(32, "big")):
        oracle.attestDelivery(delivery, malleated, sender=mallory)


def test_attest__signature_no_key_recovers__reverts(oracle, shipped, attestation, mallory):
    delivery, signature = attestation(shipped)

    with reverts_with(oracle.ECDSAInvalidSignature):
        oracle.attestDelivery(delivery, signature[:64] + bytes([29]), sender=mallory)  # v must be 27 or 28


def test_attest__attester_revoked__its_unrelayed_attestations_are_void(
    oracle, marketplace, shipped, attestation, attester, admin, mallory
):
    delivery, signature = attestation(shipped)
    oracle.revokeRole(oracle.ATTESTER_ROLE(), attester, sender=admin)

    with reverts_with(oracle.OracleUnauthorizedSigner, signer=attester.address):
        oracle.attestDelivery(delivery, signature, sender=mallory)

    assert marketplace.getLine(shipped).status == Status.SHIPPED


def test_attest__oracle_role_revoked_by_the_marketplace__reverts(
    oracle, marketplace, shipped, attestation, admin, mallory
):
    """The marketplace's admin can switch the oracle off whatever its attesters sign."""
    marketplace.revokeRole(marketplace.ORACLE_ROLE(), oracle, sender=admin)

    with reverts_with(
        marketplace.AccessControlUnauthorizedAccount, account=oracle.address, neededRole=marketplace.ORACLE_ROLE()
    ):
        oracle.attestDelivery(*attestation(shipped), sender=mallory)


# ------------------------------------------------------------------ replay, expiry, time


def test_attest__replayed__reverts(oracle, marketplace, shipped, attestation, attester, mallory):
    delivery, signature = attestation(shipped)
    oracle.attestDelivery(delivery, signature, sender=mallory)

    with reverts_with(oracle.OracleAttestationReplayed, signer=attester.address, nonce=delivery[3]):
        oracle.attestDelivery(delivery, signature, sender=mallory)


def test_attest__nonce_reused_for_another_line__reverts(oracle, marketplace, line_in, attestation, attester, mallory):
    first, second = line_in(Status.SHIPPED), line_in(Status.SHIPPED)
    oracle.attestDelivery(*attestation(first, nonce=42), sender=mallory)

    with reverts_with(oracle.OracleAttestationReplayed, signer=attester.address, nonce=42):
        oracle.attestDelivery(*attestation(second, nonce=42), sender=mallory)

    assert marketplace.getLine(second).status == Status.SHIPPED


def test_attest__nonces_are_unordered_and_per_signer(oracle, line_in, attestation, attester, admin, mallory, accounts):
    """Any unused nonce works, in any order; a second attester has nonces of its own."""
    second_attester = accounts[7]
    oracle.grantRole(oracle.ATTESTER_ROLE(), second_attester, sender=admin)
    for nonce, signer in ((2**255 + 7, attester), (7, attester), (3, attester), (7, second_attester)):
        oracle.attestDelivery(*attestation(line_in(Status.SHIPPED), nonce=nonce, signer=signer), sender=mallory)
        assert oracle.nonceUsed(signer, nonce)
    assert not oracle.nonceUsed(attester, 6) and not oracle.nonceUsed(second_attester, 3)


def test_attest__expired__reverts(chain, oracle, marketplace, shipped, attestation, mallory):
    deadline = chain.blocks.head.timestamp + 60
    delivery, signature = attestation(shipped, deadline=deadline)
    chain.pending_timestamp = deadline + 1

    with reverts_with(oracle.OracleAttestationExpired, deadline=deadline, currentTime=deadline + 1):
        oracle.attestDelivery(delivery, signature, sender=mallory)

    assert marketplace.getLine(shipped).status == Status.SHIPPED


def test_attest__at_its_deadline__still_valid(chain, oracle, marketplace, shipped, attestation, mallory):
    deadline = chain.blocks.head.timestamp + 60
    delivery, signature = attestation(shipped, deadline=deadline)
    chain.pending_timestamp = deadline

    oracle.attestDelivery(delivery, signature, sender=mallory)

    assert marketplace.getLine(shipped).status == Status.DELIVERED


def test_attest__delivered_in_the_future__reverts(chain, oracle, shipped, attestation, mallory):
    now = chain.blocks.head.timestamp + 10
    delivery, signature = attestation(shipped, delivered_at=now + 1)
    chain.pending_timestamp = now

    with reverts_with(oracle.OracleDeliveredInFuture, deliveredAt=now + 1, currentTime=now):
        oracle.attestDelivery(delivery, signature, sender=mallory)


# ------------------------------------------------------------------ the wrong line or parcel


def test_attest__tracking_reference_mismatch__reverts(oracle, marketplace, shipped, attestation, mallory):
    delivery, signature = attestation(shipped, tracking_ref="JD000000000000")

    with reverts_with(
        oracle.OracleTrackingMismatch,
        lineId=shipped,
        expected=tracking_hash(TRACKING_REF),
        got=tracking_hash("JD000000000000"),
    ):
        oracle.attestDelivery(delivery, signature, sender=mallory)

    assert marketplace.getLine(shipped).status == Status.SHIPPED


@pytest.mark.parametrize("status", [Status.PAID, Status.ACCEPTED, Status.CANCELLED])
def test_attest__line_never_shipped__reverts_as_tracking_mismatch(
    oracle, marketplace, line_in, attestation, mallory, status
):
    line_id = line_in(status)
    delivery, signature = attestation(line_id)

    with reverts_with(oracle.OracleTrackingMismatch, lineId=line_id, expected=b"\x00" * 32, got=delivery[1]):
        oracle.attestDelivery(delivery, signature, sender=mallory)

    assert marketplace.getLine(line_id).status == status


def test_attest__unknown_line_with_zero_hash__reverts_in_the_marketplace(
    chain, oracle, marketplace, domain, attester, mallory
):
    """An attester that signs the zero hash gets past the tracking check, not past the marketplace."""
    unknown = 12345 << 8
    now = chain.blocks.head.timestamp
    delivery = Delivery(line_id=unknown, tracking_hash=b"\x00" * 32, delivered_at=now, nonce=1, deadline=now + 60)

    with reverts_with(marketplace.MarketUnknownLine, lineId=unknown):
        oracle.attestDelivery(
            delivery.as_tuple(), sign_delivery(attester.private_key, domain, delivery), sender=mallory
        )


@pytest.mark.parametrize("status", [Status.DELIVERED, Status.COMPLETED, Status.REFUNDED])
def test_attest__line_no_longer_shipped__reverts_with_the_marketplaces_status_error(
    oracle, marketplace, line_in, attestation, attester, mallory, status
):
    line_id = line_in(status)
    delivery, signature = attestation(line_id)

    with reverts_with(marketplace.MarketInvalidStatus, lineId=line_id, status=status):
        oracle.attestDelivery(delivery, signature, sender=mallory)

    assert not oracle.nonceUsed(attester, delivery[3])  # the whole transaction reverted


def test_attest_deliveries__one_bad_item__nothing_delivered(oracle, marketplace, line_in, attestation, mallory):
    good, bad = line_in(Status.SHIPPED), line_in(Status.SHIPPED)
    signed = [attestation(good), attestation(bad, tracking_ref="WRONG")]

    with reverts_with(
        oracle.OracleTrackingMismatch, lineId=bad, expected=tracking_hash(TRACKING_REF), got=tracking_hash("WRONG")
    ):
        oracle.attestDeliveries([d for d, _ in signed], [s for _, s in signed], sender=mallory)

    assert marketplace.getLine(good).status == Status.SHIPPED


def test_attest_deliveries__same_attestation_twice__reverts(oracle, shipped, attestation, attester, mallory):
    delivery, signature = attestation(shipped)

    with reverts_with(oracle.OracleAttestationReplayed, signer=attester.address, nonce=delivery[3]):
        oracle.attestDeliveries([delivery, delivery], [signature, signature], sender=mallory)


def test_attest_deliveries__lengths_differ__reverts(oracle, shipped, attestation, mallory):
    delivery, signature = attestation(shipped)

    with reverts_with(oracle.OracleLengthMismatch, deliveries=1, signatures=2):
        oracle.attestDeliveries([delivery], [signature, signature], sender=mallory)
