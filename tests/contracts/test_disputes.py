"""Disputes: raising, settling, escalating, the arbiter's draw and ruling, the fallbacks, evidence,
and every refusal with its exact error."""

import ape
import pytest
from ape import chain
from eth_abi import encode
from eth_utils import keccak
from strict_reverts import reverts_with

from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status

PRICE = 10**16
BPS = 10_000
FEE_BPS = 250  # the default terms' platform fee


class D:
    """IResolutionCenter.DisputeStatus"""

    NONE, NEGOTIATING, ESCALATED, SETTLED, RULED, DEFAULTED = range(6)


def expected_split(amount, buyer_bps, arbiter_fee_bps=0, fee_bps=FEE_BPS):
    """The published rule: arbiter's fee off the top, the buyer's share of the rest, the seller the
    remainder less the platform fee."""
    arbiter_fee = amount * arbiter_fee_bps // BPS
    buyer = (amount - arbiter_fee) * buyer_bps // BPS
    seller_gross = amount - arbiter_fee - buyer
    fee = seller_gross * fee_bps // BPS
    return buyer, seller_gross - fee, fee, arbiter_fee


def account_of(address):
    return next(account for account in ape.accounts.test_accounts if account.address == address)


@pytest.fixture
def disputed(resolution, line_in, carol):
    """disputed(status=SHIPPED, by=carol) -> a line id with a dispute in negotiation."""

    def _disputed(status=Status.SHIPPED, by=carol, **kwargs):
        line_id = line_in(status, **kwargs)
        resolution.raiseDispute(line_id, "parcel arrived damaged", sender=by)
        return line_id

    return _disputed


@pytest.fixture
def escalated(resolution, disputed, windows, carol):
    """escalated() -> a line whose dispute was escalated (arbiter not drawn yet)."""

    def _escalated(**kwargs):
        line_id = disputed(**kwargs)
        chain.pending_timestamp += windows["settlementWindow"] + 1
        resolution.escalate(line_id, sender=carol)
        return line_id

    return _escalated


@pytest.fixture
def assigned(resolution, escalated, mallory):
    """assigned() -> (line id, the drawn arbiter account)."""

    def _assigned(**kwargs):
        line_id = escalated(**kwargs)
        receipt = resolution.drawArbiter(line_id, sender=mallory)
        return line_id, account_of(receipt.events.filter(resolution.ArbiterAssigned)[0].arbiter)

    return _assigned


# ---------------------------------------------------------------- raising


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.SHIPPED, Status.DELIVERED])
@pytest.mark.parametrize("party", ["alice", "carol"])
def test_raise__by_either_party__holds_the_line(resolution, marketplace, line_in, windows, status, party, request):
    line_id = line_in(status)
    by = request.getfixturevalue(party)
    receipt = resolution.raiseDispute(line_id, "not as described", sender=by)
    settle_by = receipt.timestamp + windows["settlementWindow"]
    assert receipt.events == [
        resolution.DisputeRaised(lineId=line_id, by=by, reason="not as described", settleBy=settle_by),
        marketplace.LineDisputed(lineId=line_id),
    ]
    assert marketplace.getLine(line_id).status == Status.DISPUTED
    dispute = resolution.getDispute(line_id)
    assert (dispute.status, dispute.deadline, dispute.arbiter) == (D.NEGOTIATING, settle_by, ETH)


def test_raise__non_party__reverts(resolution, line_in, mallory, bob):
    line_id = line_in(Status.SHIPPED)
    for outsider in (mallory, bob):
        with reverts_with(resolution.ResolutionNotParty, lineId=line_id, caller=outsider):
            resolution.raiseDispute(line_id, "x", sender=outsider)


@pytest.mark.parametrize(
    "status",
    [Status.PAID, Status.COMPLETED, Status.CANCELLED, Status.REJECTED, Status.EXPIRED, Status.REFUNDED],
)
def test_raise__line_not_in_progress__reverts(resolution, marketplace, line_in, carol, status):
    """A completed order (and any closed or not yet accepted one) cannot be disputed."""
    line_id = line_in(status)
    with reverts_with(marketplace.MarketInvalidStatus, lineId=line_id, status=status):
        resolution.raiseDispute(line_id, "too late", sender=carol)


def test_raise__unknown_line__reverts(resolution, marketplace, carol):
    with reverts_with(marketplace.MarketUnknownLine, lineId=999 << 8):
        resolution.raiseDispute(999 << 8, "x", sender=carol)


def test_raise__after_the_ship_deadline__reverts(resolution, marketplace, line_in, terms, alice):
    """A seller who missed the ship deadline cannot dodge the buyer's full refund by disputing."""
    line_id = line_in(Status.ACCEPTED)
    deadline = marketplace.deadlineOf(line_id)
    chain.pending_timestamp = deadline + 1
    with reverts_with(marketplace.MarketDeadlinePassed, lineId=line_id, deadline=deadline):
        resolution.raiseDispute(line_id, "x", sender=alice)


def test_raise__once_completable_by_anyone__reverts(resolution, marketplace, line_in, terms, carol):
    line_id = line_in(Status.SHIPPED)
    shipped_at = marketplace.getLine(line_id).statusAt
    until = shipped_at + terms["deliveryWindow"] + terms["inspectionWindow"]
    chain.pending_timestamp = until  # the last second it may still be disputed
    resolution.raiseDispute(line_id, "never arrived", sender=carol)

    other = line_in(Status.DELIVERED)
    until = marketplace.getLine(other).statusAt + terms["inspectionWindow"]
    chain.pending_timestamp = until + 1
    with reverts_with(marketplace.MarketDeadlinePassed, lineId=other, deadline=until):
        resolution.raiseDispute(other, "x", sender=carol)


def test_raise__twice__reverts(resolution, disputed, alice):
    line_id = disputed()
    with reverts_with(resolution.ResolutionDisputeExists, lineId=line_id, status=D.NEGOTIATING):
        resolution.raiseDispute(line_id, "me too", sender=alice)


def test_disputed_line__nothing_else_moves_it(marketplace, disputed, carol, alice, mallory):
    line_id = disputed()
    moves = [
        (marketplace.confirmDelivery, carol),
        (marketplace.completeLine, carol),
        (marketplace.completeLine, mallory),
        (marketplace.expireLine, mallory),
        (marketplace.cancelLine, carol),
        (marketplace.rejectLine, alice),
    ]
    for move, who in moves:
        with reverts_with(marketplace.MarketInvalidStatus, lineId=line_id, status=Status.DISPUTED):
            move(line_id, sender=who)
    with reverts_with(marketplace.MarketInvalidStatus, lineId=line_id, status=Status.DISPUTED):
        marketplace.offerRefund(line_id, 1, sender=alice)


# ---------------------------------------------------------------- settlement


def test_settlement__proposed_and_accepted__splits_the_escrow(resolution, marketplace, disputed, alice, carol):
    line_id = disputed()
    receipt = resolution.proposeSettlement(line_id, 7_000, sender=carol)
    assert receipt.events == [resolution.SettlementProposed(lineId=line_id, by=carol, buyerBps=7_000)]

    receipt = resolution.acceptSettlement(line_id, 7_000, sender=alice)
    buyer, seller, fee, _ = expected_split(PRICE, 7_000)
    assert receipt.events == [
        resolution.DisputeSettled(lineId=line_id, buyerBps=7_000),
        marketplace.LineResolved(
            lineId=line_id, buyerAmount=buyer, sellerAmount=seller, fee=fee, arbiter=ETH, arbiterFee=0
        ),
    ]
    assert buyer + seller + fee == PRICE
    assert marketplace.getLine(line_id).status == Status.RESOLVED
    assert resolution.getDispute(line_id).status == D.SETTLED
    assert marketplace.creditOf(carol, ETH) == buyer
    assert marketplace.creditOf(alice, ETH) == seller


def test_settlement__seller_proposes__in_stablecoin(resolution, marketplace, usd, disputed, alice, carol):
    line_id = disputed(price=40 * USD, token=usd)
    resolution.proposeSettlement(line_id, 2_500, sender=alice)
    resolution.acceptSettlement(line_id, 2_500, sender=carol)
    buyer, seller, fee, _ = expected_split(40 * USD, 2_500)
    assert (marketplace.creditOf(carol, usd), marketplace.creditOf(alice, usd), marketplace.feesOf(usd)) == (
        buyer,
        seller,
        fee,
    )
    balance = usd.balanceOf(carol)
    marketplace.withdraw(usd, sender=carol)
    assert usd.balanceOf(carol) == balance + buyer


def test_settlement__a_newer_proposal_replaces_the_older(resolution, disputed, alice, carol):
    line_id = disputed()
    resolution.proposeSettlement(line_id, 9_000, sender=carol)
    resolution.proposeSettlement(line_id, 8_000, sender=carol)
    with reverts_with(resolution.ResolutionOfferMismatch, lineId=line_id, buyerBps=9_000, offered=8_000):
        resolution.acceptSettlement(line_id, 9_000, sender=alice)
    resolution.acceptSettlement(line_id, 8_000, sender=alice)


def test_settlement__refusals(resolution, disputed, alice, carol, mallory):
    line_id = disputed()
    with reverts_with(resolution.ResolutionInvalidBps, bps=10_001):
        resolution.proposeSettlement(line_id, 10_001, sender=carol)
    with reverts_with(resolution.ResolutionNotParty, lineId=line_id, caller=mallory):
        resolution.proposeSettlement(line_id, 5_000, sender=mallory)
    # Nothing offered yet; and one cannot accept one's own proposal.
    with reverts_with(resolution.ResolutionOfferMismatch, lineId=line_id, buyerBps=5_000, offered=0):
        resolution.acceptSettlement(line_id, 5_000, sender=alice)
    resolution.proposeSettlement(line_id, 5_000, sender=carol)
    with reverts_with(resolution.ResolutionOfferMismatch, lineId=line_id, buyerBps=5_000, offered=0):
        resolution.acceptSettlement(line_id, 5_000, sender=carol)
    with reverts_with(resolution.ResolutionNotParty, lineId=line_id, caller=mallory):
        resolution.acceptSettlement(line_id, 5_000, sender=mallory)


def test_settlement__no_dispute__reverts(resolution, line_in, carol):
    line_id = line_in(Status.SHIPPED)
    with reverts_with(resolution.ResolutionInvalidStatus, lineId=line_id, status=D.NONE):
        resolution.proposeSettlement(line_id, 5_000, sender=carol)


def test_settlement__after_escalation__reverts(resolution, escalated, alice, carol):
    line_id = escalated()
    with reverts_with(resolution.ResolutionInvalidStatus, lineId=line_id, status=D.ESCALATED):
        resolution.proposeSettlement(line_id, 5_000, sender=carol)


# ---------------------------------------------------------------- escalation and the draw


def test_escalate__only_after_the_settlement_deadline(resolution, disputed, windows, carol, mallory):
    line_id = disputed()
    deadline = resolution.getDispute(line_id).deadline
    chain.pending_timestamp = deadline
    with reverts_with(resolution.ResolutionTooEarly, lineId=line_id, allowedAfter=deadline):
        resolution.escalate(line_id, sender=carol)
    chain.pending_timestamp = deadline + 1
    with reverts_with(resolution.ResolutionNotParty, lineId=line_id, caller=mallory):
        resolution.escalate(line_id, sender=mallory)
    receipt = resolution.escalate(line_id, sender=carol)
    rule_by = receipt.timestamp + windows["rulingWindow"]
    assert receipt.events == [
        resolution.DisputeEscalated(lineId=line_id, by=carol, drawBlock=receipt.block_number, ruleBy=rule_by)
    ]
    dispute = resolution.getDispute(line_id)
    assert (dispute.status, dispute.drawBlock, dispute.arbiter) == (D.ESCALATED, receipt.block_number, ETH)


def test_draw__picks_by_the_escalation_blocks_hash(resolution, escalated, mallory, arbiter1, arbiter2, windows):
    """The arbiter is fixed by the hash of the escalation's own block, which no party could know
    when it sent the escalation."""
    line_id = escalated()
    draw_block = resolution.getDispute(line_id).drawBlock
    receipt = resolution.drawArbiter(line_id, sender=mallory)
    seed = chain.blocks[draw_block].hash
    registry = resolution.arbiters()
    expected = registry[int.from_bytes(keccak(encode(["bytes32", "uint256", "uint8"], [seed, line_id, 0]))) % 2]
    fee = {arbiter1.address: 200, arbiter2.address: 300}[expected]
    rule_by = receipt.timestamp + windows["rulingWindow"]
    assert receipt.events == [resolution.ArbiterAssigned(lineId=line_id, arbiter=expected, feeBps=fee, ruleBy=rule_by)]
    dispute = resolution.getDispute(line_id)
    assert (dispute.arbiter, dispute.arbiterFeeBps, dispute.drawBlock, dispute.deadline) == (expected, fee, 0, rule_by)


def test_draw__the_escalating_party_cannot_draw_in_the_same_transaction(
    resolution, marketplace, list_product, project, admin, alice, windows
):
    """A party that escalates cannot see the draw's outcome before committing to it."""
    buyer = admin.deploy(project.EscalatingBuyer, marketplace, resolution)
    product_id = list_product()
    buyer.buy(product_id, value=PRICE, sender=admin)
    line_id = marketplace.lineIdOf(marketplace.orderCount(), 0)
    marketplace.acceptLine(line_id, sender=alice)
    buyer.raiseDispute(line_id, sender=admin)
    chain.pending_timestamp += windows["settlementWindow"] + 1
    escalation_block = chain.blocks.height + 1  # the block the transaction is mined in
    with reverts_with(resolution.ResolutionDrawTooEarly, lineId=line_id, drawBlock=escalation_block):
        buyer.escalateAndDraw(line_id, sender=admin)


def test_draw__parties_are_never_drawn(resolution, marketplace, escalated, admin, alice, carol, mallory):
    """Even when the buyer and the seller are registered arbiters themselves."""
    resolution.registerArbiter(alice, 0, sender=admin)
    resolution.registerArbiter(carol, 0, sender=admin)
    drawn = set()
    for _ in range(6):
        line_id = escalated()
        receipt = resolution.drawArbiter(line_id, sender=mallory)
        drawn.add(receipt.events.filter(resolution.ArbiterAssigned)[0].arbiter)
    assert drawn and not drawn & {alice.address, carol.address}


def test_draw__refusals(resolution, disputed, escalated, mallory):
    line_id = disputed()
    with reverts_with(resolution.ResolutionInvalidStatus, lineId=line_id, status=D.NEGOTIATING):
        resolution.drawArbiter(line_id, sender=mallory)
    line_id = escalated()
    resolution.drawArbiter(line_id, sender=mallory)
    with reverts_with(resolution.ResolutionNothingToDraw, lineId=line_id):
        resolution.drawArbiter(line_id, sender=mallory)


def test_draw__hash_aged_out__deferred_to_a_later_block(resolution, escalated, mallory):
    line_id = escalated()
    chain.mine(257)
    receipt = resolution.drawArbiter(line_id, sender=mallory)
    assert receipt.events == [resolution.ArbiterDrawDeferred(lineId=line_id, drawBlock=receipt.block_number)]
    assert resolution.getDispute(line_id).arbiter == ETH
    receipt = resolution.drawArbiter(line_id, sender=mallory)
    assert [e.event_name for e in receipt.events] == ["ArbiterAssigned"]


def test_draw__no_eligible_arbiter__reverts(resolution, escalated, admin, arbiter1, arbiter2, mallory):
    for arbiter in (arbiter1, arbiter2):
        resolution.removeArbiter(arbiter, sender=admin)
    line_id = escalated()
    with reverts_with(resolution.ResolutionNoEligibleArbiter, lineId=line_id):
        resolution.drawArbiter(line_id, sender=mallory)


# ---------------------------------------------------------------- ruling


@pytest.mark.parametrize("buyer_bps", [0, 6_000, 10_000])
def test_rule__splits_with_the_arbiters_fee(resolution, marketplace, assigned, alice, carol, buyer_bps):
    line_id, arbiter = assigned()
    fee_bps = resolution.getDispute(line_id).arbiterFeeBps
    reason = keccak(text="photos show the damage")
    receipt = resolution.rule(line_id, buyer_bps, reason, "ipfs://ruling", sender=arbiter)
    buyer, seller, fee, arbiter_fee = expected_split(PRICE, buyer_bps, fee_bps)
    assert receipt.events == [
        resolution.DisputeRuled(
            lineId=line_id, arbiter=arbiter, buyerBps=buyer_bps, reasonHash=reason, reasonURI="ipfs://ruling"
        ),
        marketplace.LineResolved(
            lineId=line_id, buyerAmount=buyer, sellerAmount=seller, fee=fee, arbiter=arbiter, arbiterFee=arbiter_fee
        ),
    ]
    assert buyer + seller + fee + arbiter_fee == PRICE
    assert marketplace.creditOf(carol, ETH) == buyer
    assert marketplace.creditOf(alice, ETH) == seller
    assert marketplace.creditOf(arbiter, ETH) == arbiter_fee
    assert resolution.getDispute(line_id).status == D.RULED
    balance = arbiter.balance
    receipt = marketplace.withdraw(ETH, sender=arbiter)
    assert arbiter.balance == balance + arbiter_fee - receipt.total_fees_paid


def test_rule__by_anyone_but_the_drawn_arbiter__reverts(resolution, assigned, escalated, alice, carol, mallory):
    line_id, arbiter = assigned()
    for outsider in (alice, carol, mallory):
        with reverts_with(resolution.ResolutionNotArbiter, lineId=line_id, caller=outsider):
            resolution.rule(line_id, 5_000, b"\x00" * 32, "", sender=outsider)
    undrawn = escalated()
    with reverts_with(resolution.ResolutionArbiterNotDrawn, lineId=undrawn):
        resolution.rule(undrawn, 5_000, b"\x00" * 32, "", sender=arbiter)


def test_rule__twice__reverts(resolution, assigned):
    line_id, arbiter = assigned()
    resolution.rule(line_id, 5_000, b"\x01" * 32, "", sender=arbiter)
    with reverts_with(resolution.ResolutionInvalidStatus, lineId=line_id, status=D.RULED):
        resolution.rule(line_id, 4_000, b"\x01" * 32, "", sender=arbiter)


def test_rule__after_the_deadline__reverts(resolution, assigned):
    line_id, arbiter = assigned()
    deadline = resolution.getDispute(line_id).deadline
    chain.pending_timestamp = deadline + 1
    with reverts_with(resolution.ResolutionDeadlinePassed, lineId=line_id, deadline=deadline):
        resolution.rule(line_id, 5_000, b"\x01" * 32, "", sender=arbiter)


def test_rule__invalid_share__reverts(resolution, assigned):
    line_id, arbiter = assigned()
    with reverts_with(resolution.ResolutionInvalidBps, bps=10_001):
        resolution.rule(line_id, 10_001, b"\x01" * 32, "", sender=arbiter)


# ---------------------------------------------------------------- fallbacks


def test_missed_deadline__redrawn_once__never_the_same_arbiter(resolution, marketplace, assigned, mallory, carol):
    line_id, first = assigned()
    deadline = resolution.getDispute(line_id).deadline
    chain.pending_timestamp = deadline
    with reverts_with(resolution.ResolutionTooEarly, lineId=line_id, allowedAfter=deadline):
        resolution.timeoutRuling(line_id, sender=mallory)
    chain.pending_timestamp = deadline + 1
    receipt = resolution.timeoutRuling(line_id, sender=mallory)
    timed_out = receipt.events.filter(resolution.ArbiterTimedOut)[0]
    assert (timed_out.arbiter, timed_out.drawBlock) == (first.address, receipt.block_number)
    dispute = resolution.getDispute(line_id)
    assert (dispute.round, dispute.arbiter, dispute.excludedArbiter) == (1, ETH, first.address)

    receipt = resolution.drawArbiter(line_id, sender=mallory)
    second = receipt.events.filter(resolution.ArbiterAssigned)[0].arbiter
    assert second != first.address
    with reverts_with(resolution.ResolutionNotArbiter, lineId=line_id, caller=first):
        resolution.rule(line_id, 5_000, b"\x01" * 32, "", sender=first)
    resolution.rule(line_id, 10_000, b"\x01" * 32, "", sender=account_of(second))
    assert marketplace.getLine(line_id).status == Status.RESOLVED


def test_two_missed_deadlines__default_outcome_half_each(resolution, marketplace, assigned, mallory, alice, carol):
    line_id, _ = assigned()
    for _ in range(2):
        chain.pending_timestamp = resolution.getDispute(line_id).deadline + 1
        receipt = resolution.timeoutRuling(line_id, sender=mallory)
        if resolution.getDispute(line_id).status == D.ESCALATED:
            resolution.drawArbiter(line_id, sender=mallory)
    buyer, seller, _, _ = expected_split(PRICE, 5_000)
    assert receipt.events.filter(resolution.DisputeDefaulted) == [
        resolution.DisputeDefaulted(lineId=line_id, buyerBps=5_000)
    ]
    assert resolution.getDispute(line_id).status == D.DEFAULTED
    assert (marketplace.creditOf(carol, ETH), marketplace.creditOf(alice, ETH)) == (buyer, seller)


def test_no_arbiter_at_all__funds_released(resolution, marketplace, escalated, admin, arbiter1, arbiter2, mallory):
    for arbiter in (arbiter1, arbiter2):
        resolution.removeArbiter(arbiter, sender=admin)
    line_id = escalated()
    for _ in range(2):
        chain.pending_timestamp = resolution.getDispute(line_id).deadline + 1
        resolution.timeoutRuling(line_id, sender=mallory)
    assert marketplace.getLine(line_id).status == Status.RESOLVED
    assert resolution.getDispute(line_id).status == D.DEFAULTED


# ---------------------------------------------------------------- evidence


def test_evidence__parties_support_and_the_arbiter(resolution, assigned, disputed, alice, carol, support, mallory):
    line_id, arbiter = assigned()
    for who in (carol, alice, support, arbiter):
        receipt = resolution.submitEvidence(line_id, "ipfs://photo", b"\x02" * 32, sender=who)
        assert receipt.events == [
            resolution.EvidenceSubmitted(lineId=line_id, by=who, uri="ipfs://photo", contentHash=b"\x02" * 32)
        ]
    with reverts_with(resolution.ResolutionNotParty, lineId=line_id, caller=mallory):
        resolution.submitEvidence(line_id, "ipfs://spam", b"\x02" * 32, sender=mallory)
    resolution.rule(line_id, 5_000, b"\x01" * 32, "", sender=arbiter)
    with reverts_with(resolution.ResolutionInvalidStatus, lineId=line_id, status=D.RULED):
        resolution.submitEvidence(line_id, "ipfs://late", b"\x02" * 32, sender=carol)


# ---------------------------------------------------------------- admin and the marketplace's hooks


def test_arbiter_registry(resolution, admin, mallory, arbiter1):
    receipt = resolution.registerArbiter(mallory, 150, sender=admin)
    assert receipt.events == [resolution.ArbiterRegistered(arbiter=mallory, feeBps=150)]
    assert resolution.arbiterFeeOf(mallory) == (150, True)
    receipt = resolution.setArbiterFee(90, sender=mallory)
    assert receipt.events == [resolution.ArbiterFeeSet(arbiter=mallory, feeBps=90)]
    receipt = resolution.removeArbiter(arbiter1, sender=admin)
    assert receipt.events == [resolution.ArbiterRemoved(arbiter=arbiter1)]
    assert arbiter1.address not in resolution.arbiters() and mallory.address in resolution.arbiters()
    assert resolution.arbiterFeeOf(arbiter1) == (0, False)


def test_arbiter_registry__refusals(resolution, admin, mallory, arbiter1):
    with reverts_with(
        resolution.AccessControlUnauthorizedAccount, account=mallory, neededRole=resolution.DEFAULT_ADMIN_ROLE()
    ):
        resolution.registerArbiter(mallory, 100, sender=mallory)
    with reverts_with(resolution.ResolutionFeeTooHigh, feeBps=1_001, maxFeeBps=1_000):
        resolution.registerArbiter(mallory, 1_001, sender=admin)
    with reverts_with(resolution.ResolutionArbiterExists, account=arbiter1):
        resolution.registerArbiter(arbiter1, 100, sender=admin)
    with reverts_with(resolution.ResolutionUnknownArbiter, account=mallory):
        resolution.removeArbiter(mallory, sender=admin)
    with reverts_with(resolution.ResolutionUnknownArbiter, account=mallory):
        resolution.setArbiterFee(10, sender=mallory)
    with reverts_with(resolution.ResolutionFeeTooHigh, feeBps=2_000, maxFeeBps=1_000):
        resolution.setArbiterFee(2_000, sender=arbiter1)
    with reverts_with(resolution.ResolutionInvalidWindows, settlementWindow=0, rulingWindow=5):
        resolution.setWindows(0, 5, sender=admin)
    with reverts_with(resolution.ResolutionZeroAddress):
        resolution.registerArbiter(ETH, 100, sender=admin)


def test_set_windows(resolution, admin):
    receipt = resolution.setWindows(60, 120, sender=admin)
    assert receipt.events == [resolution.WindowsSet(settlementWindow=60, rulingWindow=120)]
    assert resolution.windows() == (60, 120)


def test_upgrade__without_role__reverts(resolution, project, admin, mallory):
    implementation = admin.deploy(project.ResolutionCenter, resolution.marketplace())
    with reverts_with(
        resolution.AccessControlUnauthorizedAccount, account=mallory, neededRole=resolution.UPGRADER_ROLE()
    ):
        resolution.upgradeToAndCall(implementation, b"", sender=mallory)


def test_marketplace_hooks__only_for_their_roles(marketplace, line_in, mallory, admin):
    line_id = line_in(Status.SHIPPED)
    resolver, oracle = marketplace.RESOLVER_ROLE(), marketplace.ORACLE_ROLE()
    calls = [
        (resolver, lambda: marketplace.holdLine(line_id, sender=mallory)),
        (resolver, lambda: marketplace.resolveLine(line_id, 5_000, mallory, 0, sender=mallory)),
        (resolver, lambda: marketplace.refundByResolver(line_id, 1, sender=mallory)),
        (oracle, lambda: marketplace.confirmDeliveryByOracle(line_id, sender=mallory)),
    ]
    for role, call in calls:
        with reverts_with(marketplace.AccessControlUnauthorizedAccount, account=mallory, neededRole=role):
            call()


def test_resolve_line__invalid_split__reverts(marketplace, line_in, admin, mallory):
    marketplace.grantRole(marketplace.RESOLVER_ROLE(), mallory, sender=admin)
    line_id = line_in(Status.SHIPPED)
    marketplace.holdLine(line_id, sender=mallory)
    with reverts_with(marketplace.MarketInvalidSplit, buyerBps=10_001, arbiterFeeBps=0):
        marketplace.resolveLine(line_id, 10_001, mallory, 0, sender=mallory)
    with reverts_with(marketplace.MarketInvalidSplit, buyerBps=0, arbiterFeeBps=10_001):
        marketplace.resolveLine(line_id, 0, mallory, 10_001, sender=mallory)
    other = line_in(Status.SHIPPED)
    with reverts_with(marketplace.MarketInvalidStatus, lineId=other, status=Status.SHIPPED):
        marketplace.resolveLine(other, 0, mallory, 0, sender=mallory)


def test_upgrade__state_survives(resolution, marketplace, disputed, admin, arbiter1, arbiter2, alice, carol):
    """A new implementation (bound to the same marketplace) keeps arbiters, windows and disputes."""
    from scripts.upgrade import upgrade_proxy

    line_id = disputed()
    resolution.proposeSettlement(line_id, 4_000, sender=carol)
    before = (resolution.arbiters(), resolution.windows(), resolution.getDispute(line_id))

    implementation = upgrade_proxy(admin, resolution.address, "ResolutionCenter", marketplace.address)

    assert implementation.address != resolution.address
    assert (resolution.arbiters(), resolution.windows(), resolution.getDispute(line_id)) == before
    resolution.acceptSettlement(line_id, 4_000, sender=alice)  # and it still works
    assert marketplace.getLine(line_id).status == Status.RESOLVED
