"""Customer service: cases, replies, escalation to a dispute on the buyer's behalf, and refunds
within what the seller authorised."""

import pytest
from strict_reverts import reverts_with

from scripts._constants import ETH
from scripts._constants import LineStatus as Status

PRICE = 10**16
HASH = b"\x03" * 32


class C:
    """IResolutionCenter.CaseStatus"""

    NONE, OPEN, CLOSED, ESCALATED = range(4)


@pytest.fixture
def open_case(resolution, line_in, carol):
    """open_case(status=SHIPPED) -> (case id, line id), opened by the buyer carol."""

    def _open(status=Status.SHIPPED):
        line_id = line_in(status)
        receipt = resolution.openCase(line_id, "ipfs://where-is-my-parcel", HASH, sender=carol)
        return receipt.events.filter(resolution.CaseOpened)[0].caseId, line_id

    return _open


def test_open_case__by_the_buyer(resolution, line_in, carol):
    line_id = line_in(Status.SHIPPED)
    count = resolution.caseCount()
    receipt = resolution.openCase(line_id, "ipfs://q", HASH, sender=carol)
    case_id = count + 1
    assert receipt.events == [
        resolution.CaseOpened(caseId=case_id, lineId=line_id, buyer=carol, uri="ipfs://q", contentHash=HASH)
    ]
    assert resolution.getCase(case_id) == (line_id, C.OPEN, carol.address)


def test_open_case__refusals(resolution, marketplace, line_in, alice, mallory):
    line_id = line_in(Status.SHIPPED)
    for outsider in (alice, mallory):
        with reverts_with(resolution.ResolutionNotParty, lineId=line_id, caller=outsider):
            resolution.openCase(line_id, "ipfs://q", HASH, sender=outsider)
    with reverts_with(marketplace.MarketUnknownLine, lineId=77 << 8):
        resolution.openCase(77 << 8, "ipfs://q", HASH, sender=mallory)


def test_reply__support_and_the_buyer(resolution, open_case, support, carol, alice, mallory):
    case_id, _ = open_case()
    for who in (support, carol):
        receipt = resolution.replyToCase(case_id, "ipfs://msg", HASH, sender=who)
        assert receipt.events == [resolution.CaseReplied(caseId=case_id, by=who, uri="ipfs://msg", contentHash=HASH)]
    for outsider in (alice, mallory):
        with reverts_with(resolution.ResolutionNotCaseParty, caseId=case_id, caller=outsider):
            resolution.replyToCase(case_id, "ipfs://msg", HASH, sender=outsider)
    with reverts_with(resolution.ResolutionUnknownCase, caseId=10_000):
        resolution.replyToCase(10_000, "ipfs://msg", HASH, sender=support)


def test_close__then_no_more_replies(resolution, open_case, carol, support):
    case_id, _ = open_case()
    receipt = resolution.closeCase(case_id, sender=carol)
    assert receipt.events == [resolution.CaseClosed(caseId=case_id, by=carol)]
    with reverts_with(resolution.ResolutionCaseNotOpen, caseId=case_id, status=C.CLOSED):
        resolution.replyToCase(case_id, "ipfs://msg", HASH, sender=support)
    with reverts_with(resolution.ResolutionCaseNotOpen, caseId=case_id, status=C.CLOSED):
        resolution.closeCase(case_id, sender=support)


def test_escalate_case__raises_a_dispute_for_the_buyer(resolution, marketplace, open_case, support, carol, windows):
    case_id, line_id = open_case()
    receipt = resolution.escalateCase(case_id, "seller unresponsive", sender=support)
    assert receipt.events == [
        resolution.CaseEscalated(caseId=case_id, lineId=line_id, by=support),
        resolution.DisputeRaised(
            lineId=line_id,
            by=support,
            reason="seller unresponsive",
            settleBy=receipt.timestamp + windows["settlementWindow"],
        ),
        marketplace.LineDisputed(lineId=line_id),
    ]
    assert resolution.getCase(case_id).status == C.ESCALATED
    assert marketplace.getLine(line_id).status == Status.DISPUTED
    # The buyer carries on with the dispute as its party.
    resolution.proposeSettlement(line_id, 10_000, sender=carol)


def test_escalate_case__refusals(resolution, marketplace, open_case, carol, support):
    case_id, _ = open_case()
    with reverts_with(resolution.AccessControlUnauthorizedAccount, account=carol, neededRole=resolution.SUPPORT_ROLE()):
        resolution.escalateCase(case_id, "x", sender=carol)
    completed_case, line_id = open_case(Status.COMPLETED)
    with reverts_with(marketplace.MarketInvalidStatus, lineId=line_id, status=Status.COMPLETED):
        resolution.escalateCase(completed_case, "x", sender=support)
    assert resolution.getCase(completed_case).status == C.OPEN  # nothing half-done


def test_refund__within_the_sellers_authorisation(resolution, marketplace, open_case, alice, carol, support):
    case_id, line_id = open_case()
    receipt = resolution.authorizeSupportRefund(line_id, PRICE // 2, sender=alice)
    assert receipt.events == [resolution.SupportRefundAuthorized(lineId=line_id, seller=alice, maxAmount=PRICE // 2)]

    receipt = resolution.refundCase(case_id, PRICE // 5, sender=support)
    assert receipt.events == [
        resolution.SupportRefunded(caseId=case_id, lineId=line_id, by=support, amount=PRICE // 5),
        marketplace.RefundAccepted(lineId=line_id, amount=PRICE // 5, remaining=PRICE - PRICE // 5),
    ]
    assert marketplace.creditOf(carol, ETH) == PRICE // 5
    assert resolution.supportRefundAllowance(line_id) == PRICE // 2 - PRICE // 5
    with reverts_with(
        resolution.ResolutionRefundNotAuthorized, lineId=line_id, amount=PRICE // 2, authorized=PRICE // 2 - PRICE // 5
    ):
        resolution.refundCase(case_id, PRICE // 2, sender=support)


def test_refund__the_whole_line__closes_it_as_refunded(resolution, marketplace, open_case, alice, support):
    case_id, line_id = open_case()
    resolution.authorizeSupportRefund(line_id, PRICE, sender=alice)
    resolution.refundCase(case_id, PRICE, sender=support)
    assert marketplace.getLine(line_id).status == Status.REFUNDED


def test_refund__refusals(resolution, marketplace, open_case, alice, carol, support, mallory):
    case_id, line_id = open_case()
    with reverts_with(resolution.ResolutionRefundNotAuthorized, lineId=line_id, amount=1, authorized=0):
        resolution.refundCase(case_id, 1, sender=support)
    for outsider in (carol, mallory):
        with reverts_with(resolution.ResolutionNotSeller, lineId=line_id, caller=outsider):
            resolution.authorizeSupportRefund(line_id, PRICE, sender=outsider)
    resolution.authorizeSupportRefund(line_id, PRICE, sender=alice)
    with reverts_with(resolution.AccessControlUnauthorizedAccount, account=carol, neededRole=resolution.SUPPORT_ROLE()):
        resolution.refundCase(case_id, 1, sender=carol)
    with reverts_with(resolution.ResolutionRefundNotAuthorized, lineId=line_id, amount=0, authorized=PRICE):
        resolution.refundCase(case_id, 0, sender=support)
    # A completed line's escrow is gone: the marketplace refuses, nothing is deducted.
    done_case, done_line = open_case(Status.COMPLETED)
    resolution.authorizeSupportRefund(done_line, PRICE, sender=alice)
    with reverts_with(marketplace.MarketInvalidStatus, lineId=done_line, status=Status.COMPLETED):
        resolution.refundCase(done_case, 1, sender=support)
    assert resolution.supportRefundAllowance(done_line) == PRICE
