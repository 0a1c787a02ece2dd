"""Transfers between users: off by default (against farming), switched on and off by the rules
admin with an event. When on, points move with their expiries, soonest-expiring first."""

import pytest
from points_helpers import PERIOD, ZERO_ADDRESS, expiry
from strict_reverts import reverts_with

from scripts._deploy_points import DEFAULT_RULES

VALIDITY = DEFAULT_RULES["validity"]
CHECK_IN = DEFAULT_RULES["checkInPoints"]
EARNED = 1_000


@pytest.fixture
def carol_earned(completed_line, claim):
    claim(completed_line())
    return EARNED


@pytest.fixture
def transfers_on(points, admin):
    receipt = points.setTransfersEnabled(True, sender=admin)
    assert receipt.events == [points.TransfersEnabledSet(enabled=True)]


def test_transfers__off_by_default(points, carol_earned, carol, dave):
    assert not points.transfersEnabled()
    with reverts_with(points.PointsTransfersDisabled):
        points.transfer(dave, 1, sender=carol)
    receipt = points.approve(dave, 100, sender=carol)  # approvals are harmless and allowed
    assert receipt.events == [points.Approval(owner=carol, spender=dave, value=100)]
    with reverts_with(points.PointsTransfersDisabled):
        points.transferFrom(carol, dave, 100, sender=dave)
    assert (points.balanceOf(carol), points.balanceOf(dave)) == (EARNED, 0)


def test_transfers__on_then_off_again(points, carol_earned, transfers_on, admin, carol, dave):
    expires_at = points.bucketsOf(carol)[0].expiresAt
    receipt = points.transfer(dave, 300, sender=carol)
    assert receipt.events == [points.Transfer(**{"from": carol, "to": dave, "value": 300})]
    assert (points.balanceOf(carol), points.balanceOf(dave)) == (700, 300)
    assert points.bucketsOf(dave) == [(300, expires_at)]  # the expiry travels with the points
    assert points.totalSupply() == EARNED

    receipt = points.setTransfersEnabled(False, sender=admin)
    assert receipt.events == [points.TransfersEnabledSet(enabled=False)]
    with reverts_with(points.PointsTransfersDisabled):
        points.transfer(carol, 1, sender=dave)


def test_transfer__moves_each_part_with_its_own_expiry(points, transfers_on, carol, dave, at, chain):
    first = (chain.blocks.head.timestamp // PERIOD + 1) * PERIOD
    for k in range(3):
        at(first + k * PERIOD)
        points.checkIn(sender=carol)
    at(first + 3 * PERIOD)
    points.checkIn(sender=dave)
    expiries = [expiry(first + k * PERIOD, VALIDITY) for k in range(4)]

    points.transfer(dave, 2 * CHECK_IN + 3, sender=carol)

    assert points.bucketsOf(carol) == [(CHECK_IN - 3, expiries[2])]
    assert points.bucketsOf(dave) == [
        (CHECK_IN, expiries[0]),
        (CHECK_IN, expiries[1]),
        (3, expiries[2]),
        (CHECK_IN, expiries[3]),
    ]


def test_transfer_from__spends_the_allowance(points, carol_earned, transfers_on, carol, dave, mallory):
    points.approve(dave, 400, sender=carol)
    points.transferFrom(carol, mallory, 150, sender=dave)
    assert points.allowance(carol, dave) == 250
    assert points.balanceOf(mallory) == 150
    with reverts_with(points.ERC20InsufficientAllowance, spender=dave, allowance=250, needed=251):
        points.transferFrom(carol, mallory, 251, sender=dave)


def test_transfer__refusals(points, carol_earned, transfers_on, carol, dave):
    with reverts_with(points.ERC20InsufficientBalance, sender=carol, balance=EARNED, needed=EARNED + 1):
        points.transfer(dave, EARNED + 1, sender=carol)
    with reverts_with(points.ERC20InvalidReceiver, receiver=ZERO_ADDRESS):
        points.transfer(ZERO_ADDRESS, 1, sender=carol)
    with reverts_with(points.ERC20InsufficientBalance, sender=dave, balance=0, needed=1):
        points.transfer(carol, 1, sender=dave)


def test_transfer__expired_points_cannot_move(points, carol_earned, transfers_on, carol, dave, at):
    expires_at = points.bucketsOf(carol)[0].expiresAt
    at(expires_at)
    with reverts_with(points.ERC20InsufficientBalance, sender=carol, balance=0, needed=1):
        points.transfer(dave, 1, sender=carol)


def test_transfer__to_oneself_changes_nothing(points, carol_earned, transfers_on, carol):
    before = points.bucketsOf(carol)
    points.transfer(carol, 600, sender=carol)
    assert points.bucketsOf(carol) == before
    assert points.balanceOf(carol) == EARNED
