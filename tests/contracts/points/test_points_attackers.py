"""Attackers: minting without the rules, checking in twice, claiming a line twice or a line that
never completed (refunded, cancelled, rejected, expired, still open), burning or returning
someone else's points, a second redeemer reaching into the mall's receipts, upgrading or
re-initialising without the role."""

import pytest
from points_helpers import ZERO_ADDRESS
from strict_reverts import reverts_with

from scripts._constants import LineStatus as Status

EARNED = 1_000


def test_no_function_mints_outside_the_rules(points):
    functions = {item.name for item in points.contract_type.abi if item.type == "function"}
    assert not {name for name in functions if "mint" in name.lower()}
    # The only ways in: the three earnings and the return of a redemption's own receipt.
    writers = {
        item.name
        for item in points.contract_type.abi
        if item.type == "function" and item.stateMutability in ("nonpayable", "payable")
    }
    assert writers == {
        "checkIn",
        "claimPurchasePoints",
        "claimReviewBonus",
        "burnForRedemption",
        "returnRedemption",
        "transfer",
        "transferFrom",
        "approve",
        "setCheckInPoints",
        "setReviewBonus",
        "setValidity",
        "setCampaign",
        "setPurchaseRate",
        "setTransfersEnabled",
        "setReviewSource",
        "grantRole",
        "revokeRole",
        "renounceRole",
        "upgradeToAndCall",
        "initialize",
    }


def test_redeemer_functions__by_non_redeemer__revert(points, completed_line, claim, carol, mallory):
    claim(completed_line())
    role = points.REDEEMER_ROLE()
    with reverts_with(points.AccessControlUnauthorizedAccount, account=mallory, neededRole=role):
        points.burnForRedemption(carol, EARNED, 1, sender=mallory)
    with reverts_with(points.AccessControlUnauthorizedAccount, account=mallory, neededRole=role):
        points.returnRedemption(mallory, 1, True, sender=mallory)
    assert points.balanceOf(carol) == EARNED


def test_check_in__twice_the_same_day__reverts(points, mallory, chain):
    receipt = points.checkIn(sender=mallory)
    with reverts_with(points.PointsAlreadyCheckedIn, account=mallory, day=receipt.timestamp // 86_400):
        points.checkIn(sender=mallory)
    assert points.balanceOf(mallory) == 10


def test_claim__twice__reverts(points, completed_line, claim, carol):
    line_id = completed_line()
    claim(line_id)
    with reverts_with(points.PointsAlreadyClaimed, lineId=line_id):
        claim(line_id)
    other = completed_line()
    with reverts_with(points.PointsAlreadyClaimed, lineId=other):
        claim(other, other)  # twice in one batch
    assert points.balanceOf(carol) == EARNED


@pytest.mark.parametrize(
    "status",
    [
        Status.REFUNDED,
        Status.CANCELLED,
        Status.REJECTED,
        Status.EXPIRED,
        Status.PAID,
        Status.ACCEPTED,
        Status.SHIPPED,
        Status.DELIVERED,
    ],
)
def test_claim__line_that_did_not_complete__reverts(points, line_in, claim, carol, status):
    line_id = line_in(status)
    with reverts_with(points.PointsLineNotCompleted, lineId=line_id, status=status):
        claim(line_id)
    assert points.purchasePointsOf(line_id) == (ZERO_ADDRESS, 0, 0)
    assert not points.isPurchaseClaimed(line_id)
    assert points.balanceOf(carol) == 0


def test_claim__batch_with_a_refunded_line__reverts_whole(points, completed_line, line_in, claim, carol):
    good = completed_line()
    refunded = line_in(Status.REFUNDED)
    with reverts_with(points.PointsLineNotCompleted, lineId=refunded, status=Status.REFUNDED):
        claim(good, refunded)
    assert not points.isPurchaseClaimed(good)
    assert points.balanceOf(carol) == 0


def test_claim__lines_that_do_not_exist__revert(points, claim):
    with reverts_with(points.PointsLineNotCompleted, lineId=(999 << 8) | 3, status=Status.NONE):
        claim((999 << 8) | 3)
    with reverts_with(points.PointsUnknownLine, lineId=(1 << 8) | 32):  # no order has a 33rd line
        claim((1 << 8) | 32)


def test_burn__someone_elses_points_through_the_mall__reverts(
    points, points_mall, completed_line, claim, listing, carol, mallory
):
    claim(completed_line())
    listing_id = listing(price=100)
    # The mall burns only the caller's own points.
    with reverts_with(points.ERC20InsufficientBalance, sender=mallory, balance=0, needed=100):
        points_mall.redeem(listing_id, 1, 100, sender=mallory)
    receipt = points_mall.redeem(listing_id, 1, 100, sender=carol)
    redemption_id = receipt.events.filter(points_mall.Redeemed)[0].redemptionId
    with reverts_with(points_mall.PointsMallNotBuyer, redemptionId=redemption_id, caller=mallory):
        points_mall.cancelRedemption(redemption_id, sender=mallory)
    assert points.balanceOf(carol) == EARNED - 100


def test_second_redeemer__cannot_reach_the_malls_receipts(
    points, points_mall, completed_line, claim, listing, admin, carol, dave
):
    """A redeemer can only give back what it burned itself, once, to the account it took it from."""
    claim(completed_line())
    listing_id = listing(price=100)
    points_mall.redeem(listing_id, 1, 100, sender=carol)  # the mall's receipt 1 for carol
    points.grantRole(points.REDEEMER_ROLE(), dave, sender=admin)

    with reverts_with(points.PointsUnknownReceipt, redeemer=dave, account=carol, ref=1):
        points.returnRedemption(carol, 1, True, sender=dave)
    points.burnForRedemption(carol, 50, 1, sender=dave)  # dave's own receipt 1: another namespace
    with reverts_with(points.PointsReceiptExists, redeemer=dave, account=carol, ref=1):
        points.burnForRedemption(carol, 50, 1, sender=dave)
    with reverts_with(points.PointsUnknownReceipt, redeemer=dave, account=dave, ref=1):
        points.returnRedemption(dave, 1, True, sender=dave)  # to another account
    with reverts_with(points.PointsZeroAmount):
        points.burnForRedemption(carol, 0, 2, sender=dave)

    points.returnRedemption(carol, 1, True, sender=dave)
    with reverts_with(points.PointsUnknownReceipt, redeemer=dave, account=carol, ref=1):
        points.returnRedemption(carol, 1, True, sender=dave)  # only once
    assert points.balanceOf(carol) == EARNED - 100
    assert points.receiptOf(points_mall, carol, 1)[0].amount == 100  # the mall's receipt is intact


@pytest.mark.parametrize("contract", ["points", "points_mall"])
def test_upgrade__without_the_role__reverts(request, project, mallory, contract):
    proxy = request.getfixturevalue(contract)
    implementation = mallory.deploy(project.MallPoints if contract == "points" else project.PointsMall)
    with reverts_with(proxy.AccessControlUnauthorizedAccount, account=mallory, neededRole=proxy.UPGRADER_ROLE()):
        proxy.upgradeToAndCall(implementation, b"", sender=mallory)


def test_upgrade__by_the_upgrader_keeps_balances_rules_and_receipts(
    project, points, points_mall, completed_line, claim, listing, admin, carol
):
    claim(completed_line())
    listing_id = listing(price=100)
    points_mall.redeem(listing_id, 1, 100, sender=carol)
    before = (points.balanceOf(carol), points.bucketsOf(carol), points.totalSupply(), points.rulesCount())

    points.upgradeToAndCall(admin.deploy(project.MallPoints), b"", sender=admin)
    points_mall.upgradeToAndCall(admin.deploy(project.PointsMall), b"", sender=admin)

    assert (points.balanceOf(carol), points.bucketsOf(carol), points.totalSupply(), points.rulesCount()) == before
    points_mall.cancelRedemption(1, sender=carol)
    assert points.balanceOf(carol) == EARNED


@pytest.mark.parametrize("contract", ["points", "points_mall"])
def test_initialize__again_or_on_the_implementation__reverts(request, points_deployment, admin, marketplace, contract):
    name = "MallPoints" if contract == "points" else "PointsMall"
    proxy, implementation = points_deployment[name]
    args = (admin, marketplace, 86_400 * 30, 1, 1) if contract == "points" else (admin, proxy, 86_400)
    for target in (proxy, implementation):
        with reverts_with(target.InvalidInitialization):
            target.initialize(*args, sender=admin)


def test_upgrade__implementation_directly__reverts(project, points_deployment, admin):
    _, implementation = points_deployment["MallPoints"]
    with reverts_with(implementation.UUPSUnauthorizedCallContext):
        implementation.upgradeToAndCall(admin.deploy(project.MallPoints), b"", sender=admin)
