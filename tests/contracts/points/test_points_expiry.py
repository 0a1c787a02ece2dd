"""Expiry: points count while block.timestamp < expiresAt (the first 30-day boundary at or after
earning time + validity) and never from that second on: not in balanceOf, not in transfers, not
in redemptions. Spending takes the soonest-expiring points first; the ring of buckets that
holds an account's older points is reused as they expire."""

import pytest
from points_helpers import DAY, PERIOD, expiry
from strict_reverts import reverts_with

from scripts._deploy_points import DEFAULT_RULES

VALIDITY = DEFAULT_RULES["validity"]
CHECK_IN = DEFAULT_RULES["checkInPoints"]


def day_in_period(after: int, validity: int, offset_days: int) -> int:
    """The first day boundary from `after` on at which points earned expire `offset_days` days
    into a period's rounding, i.e. (t + validity) % PERIOD == offset_days days."""
    residue = (offset_days * DAY - validity) % PERIOD
    t = after - after % PERIOD + residue
    return t if t >= after else t + PERIOD


@pytest.fixture
def spend(points_mall, admin):
    """spend(account, n): redeem n points in the points mall (a 1-point listing)."""
    listing_id = points_mall.createListing(1, 2**32 - 1, "ipfs://one-point", sender=admin).events[0].listingId

    def _spend(account, amount):
        return points_mall.redeem(listing_id, amount, amount, sender=account)

    return _spend


@pytest.fixture
def start(chain):
    """A day boundary after the chain's clock at which points earned (with the default validity)
    expire one day into a period's rounding: check-ins on the next days share that expiry."""
    return day_in_period(chain.blocks.head.timestamp + 1, VALIDITY, 1)


def test_expiry__exact_second(points, carol, at, mine_at, start, spend):
    at(start)
    points.checkIn(sender=carol)
    at(start + DAY)
    points.checkIn(sender=carol)  # the same expiry: one bucket
    expires_at = expiry(start, VALIDITY)
    assert expiry(start + DAY, VALIDITY) == expires_at
    assert expires_at == start + VALIDITY + PERIOD - DAY  # rounded up to the boundary

    mine_at(expires_at - 1)
    assert points.balanceOf(carol) == 2 * CHECK_IN
    assert points.bucketsOf(carol) == [(2 * CHECK_IN, expires_at)]

    at(expires_at - 1)
    spend(carol, CHECK_IN)  # the last second they count: spendable
    mine_at(expires_at)
    assert points.balanceOf(carol) == 0
    assert points.bucketsOf(carol) == []
    assert points.totalSupply() == CHECK_IN  # minted minus burned: expired points stay counted

    at(expires_at + 1)
    with reverts_with(points.ERC20InsufficientBalance, sender=carol, balance=0, needed=1):
        spend(carol, 1)


def test_spending__takes_the_soonest_expiring_points_first(points, points_mall, carol, at, start, spend):
    earned_at = [start + k * PERIOD for k in range(3)]
    for t in earned_at:
        at(t)
        points.checkIn(sender=carol)
    expiries = [expiry(t, VALIDITY) for t in earned_at]
    assert points.bucketsOf(carol) == [(CHECK_IN, e) for e in expiries]

    receipt = spend(carol, CHECK_IN + 5)

    redemption_id = receipt.events.filter(points_mall.Redeemed)[0].redemptionId
    assert points.bucketsOf(carol) == [(5, expiries[1]), (CHECK_IN, expiries[2])]
    assert points.receiptOf(points_mall, carol, redemption_id) == [(CHECK_IN, expiries[0]), (5, expiries[1])]
    assert points.balanceOf(carol) == 15


def test_expired_points__are_skipped_by_spending(points, carol, at, start, spend):
    at(start)
    points.checkIn(sender=carol)
    at(start + PERIOD)
    points.checkIn(sender=carol)
    first, second = expiry(start, VALIDITY), expiry(start + PERIOD, VALIDITY)

    at(first)  # the older points are gone; only the newer ones can be spent
    with reverts_with(points.ERC20InsufficientBalance, sender=carol, balance=CHECK_IN, needed=2 * CHECK_IN):
        spend(carol, 2 * CHECK_IN)
    spend(carol, CHECK_IN)
    assert points.bucketsOf(carol) == []
    assert points.balanceOf(carol) == 0
    assert second > first


def test_lower_validity__newer_points_expire_first_and_are_spent_first(points, admin, carol, at, start, spend):
    at(start)
    points.checkIn(sender=carol)
    points.setValidity(60 * DAY, sender=admin)
    at(start + DAY)
    points.checkIn(sender=carol)
    long_lived, short_lived = expiry(start, VALIDITY), expiry(start + DAY, 60 * DAY)
    assert short_lived < long_lived

    spend(carol, 5)
    assert points.bucketsOf(carol) == [(5, short_lived), (CHECK_IN, long_lived)]


def test_ring__longest_validity_many_periods_and_reuse_of_expired_buckets(points, admin, carol, at, chain, spend):
    """Monthly check-ins for 40 periods at the longest validity (720 days): up to 25 live buckets
    at once (the newest in the header, the rest in the ring), and after two years the ring's
    indices are reused by new buckets as the old ones expire. The balance and the bucket list
    follow a plain model throughout; then everything is spent."""
    points.setValidity(720 * DAY, sender=admin)
    first = day_in_period(chain.blocks.head.timestamp + 2, 720 * DAY, 1)
    earned: list[tuple[int, int]] = []  # (amount, expiry)
    most_live = 0
    for k in range(40):
        t = first + k * PERIOD
        at(t)
        points.checkIn(sender=carol)
        earned.append((CHECK_IN, expiry(t, 720 * DAY)))
        live = [(amount, e) for amount, e in earned if e > t]
        most_live = max(most_live, len(live))
        if k % 8 == 7:
            assert points.bucketsOf(carol) == live
            assert points.balanceOf(carol) == sum(amount for amount, _ in live)
    assert most_live == 25

    balance = points.balanceOf(carol)
    spend(carol, balance)
    assert points.balanceOf(carol) == 0
    assert points.bucketsOf(carol) == []
