"""Earning rules: purchase points per payment token for completed lines, the review bonus, the
daily check-in and campaigns. Every change is an event and applies to later actions only: each
earning is priced with the rules in force at the second it is dated (completion, review, check-in).

The review bonus is read from contracts/test/ReviewRegistryStub.sol, a stand-in for the reviews
contract that lets each test write the review it needs."""

import pytest
from points_helpers import DAY, PERIOD, ZERO_ADDRESS, expiry, minted, purchase_points
from strict_reverts import reverts_with

from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status
from scripts._deploy_points import DEFAULT_RULES, ETH_POINTS_PER_ETHER

PRICE = 10**16  # 0.01 ETH, the line_in default
VALIDITY = DEFAULT_RULES["validity"]
CHECK_IN = DEFAULT_RULES["checkInPoints"]
BONUS = DEFAULT_RULES["reviewBonus"]


def head_time(chain):
    return chain.blocks.head.timestamp


RULES_FIELDS = (
    "effectiveAt",
    "validity",
    "checkInPoints",
    "reviewBonus",
    "campaignStart",
    "campaignEnd",
    "campaignMultiplierBps",
)


def rules_changed(receipt) -> dict:
    """The Rules carried by a receipt's RulesChanged event (decoded as a plain list), by field name."""
    (event,) = [event for event in receipt.events if event.event_name == "RulesChanged"]
    return {"version": event.version, **dict(zip(RULES_FIELDS, event.rules, strict=True))}


def rules_tuple(points, timestamp):
    rules = points.rulesAt(timestamp)
    return (
        rules.validity,
        rules.checkInPoints,
        rules.reviewBonus,
        rules.campaignStart,
        rules.campaignEnd,
        rules.campaignMultiplierBps,
    )


# ---------------------------------------------------------------- deployment


def test_deployment__default_rules_and_roles(points, points_mall, marketplace, admin, chain):
    assert (points.name(), points.symbol(), points.decimals(), points.version()) == ("Mall Points", "MPT", 0, "1.0.0")
    assert points.rulesCount() == 1
    assert rules_tuple(points, head_time(chain) + 1) == (VALIDITY, CHECK_IN, BONUS, 0, 0, 10_000)
    assert points.purchaseRateAt(ETH, head_time(chain) + 1) == ETH_POINTS_PER_ETHER
    assert not points.transfersEnabled()
    assert points.marketplace() == marketplace.address
    assert points.totalSupply() == 0
    for role in ("DEFAULT_ADMIN_ROLE", "UPGRADER_ROLE", "RULES_ADMIN_ROLE"):
        assert points.hasRole(getattr(points, role)(), admin)
    assert points.hasRole(points.REDEEMER_ROLE(), points_mall)
    assert not points.hasRole(points.REDEEMER_ROLE(), admin)
    assert points_mall.points() == points.address
    assert points_mall.deliveryWindow() == 14 * DAY


# ---------------------------------------------------------------- purchase points


def test_claim__eth_line_earns_its_amount_times_the_rate(points, marketplace, completed_line, claim, carol):
    line_id = completed_line()
    completed_at = marketplace.getLine(line_id).statusAt
    earned = purchase_points(PRICE, ETH_POINTS_PER_ETHER)
    assert earned == 1_000

    receipt = claim(line_id)

    expires_at = expiry(completed_at, VALIDITY)
    assert receipt.events == [
        minted(points, carol, earned),
        points.PurchasePointsClaimed(lineId=line_id, buyer=carol, points=earned, expiresAt=expires_at),
    ]
    assert points.balanceOf(carol) == points.totalSupply() == earned
    assert points.bucketsOf(carol) == [(earned, expires_at)]
    assert points.isPurchaseClaimed(line_id)
    assert points.purchasePointsOf(line_id) == (carol, earned, expires_at)


def test_claim__stablecoin_line_earns_at_the_stablecoin_rate(points, completed_line, claim, usd, usd_rate, carol):
    line_id = completed_line(price=25 * USD, token=usd)
    claim(line_id)
    assert points.balanceOf(carol) == purchase_points(25 * USD, usd_rate) == 1_000


def test_claim__partly_refunded_line_earns_on_what_stayed_in_escrow(points, marketplace, line_in, claim, alice, carol):
    line_id = line_in(Status.SHIPPED)
    marketplace.offerRefund(line_id, PRICE // 4, sender=alice)
    marketplace.acceptRefund(line_id, PRICE // 4, sender=carol)
    marketplace.completeLine(line_id, sender=carol)

    claim(line_id)

    assert points.balanceOf(carol) == purchase_points(PRICE * 3 // 4, ETH_POINTS_PER_ETHER) == 750


def test_claim__batch_pays_each_buyer(points, completed_line, line_in, marketplace, claim, carol, dave, buy, alice):
    mine = completed_line()
    product_id = marketplace.getLine(mine).productId
    (theirs,) = buy([(product_id, 2)], buyer=dave)
    marketplace.acceptLine(theirs, sender=alice)
    marketplace.shipLine(theirs, "DHL", "1", sender=alice)
    marketplace.completeLine(theirs, sender=dave)

    receipt = claim(mine, theirs)

    assert [event.event_name for event in receipt.events] == ["Transfer", "PurchasePointsClaimed"] * 2
    assert (points.balanceOf(carol), points.balanceOf(dave)) == (1_000, 2_000)


def test_claim__token_without_a_rate_earns_nothing(points, completed_line, claim, usd):
    line_id = completed_line(price=25 * USD, token=usd)  # no mUSD rate set (the usd_rate fixture is not used)
    with reverts_with(points.PointsNothingEarned, lineId=line_id):
        claim(line_id)
    assert points.purchasePointsOf(line_id)[1] == 0


def test_claim__after_the_points_would_have_expired__reverts(points, marketplace, completed_line, claim, at):
    line_id = completed_line()
    expires_at = expiry(marketplace.getLine(line_id).statusAt, VALIDITY)
    at(expires_at)
    with reverts_with(points.PointsEarnedExpired, lineId=line_id, expiredAt=expires_at):
        claim(line_id)


def test_claim__one_second_before_expiry_earns_points_that_last_one_second(
    points, marketplace, completed_line, claim, at, mine_at, carol
):
    line_id = completed_line()
    expires_at = expiry(marketplace.getLine(line_id).statusAt, VALIDITY)
    at(expires_at - 1)
    claim(line_id)
    assert points.balanceOf(carol) == 1_000
    mine_at(expires_at)
    assert points.balanceOf(carol) == 0


def test_rate_change__applies_to_lines_completed_after_it(points, marketplace, line_in, claim, admin, carol, at):
    before, same_second, after = (line_in(Status.DELIVERED) for _ in range(3))
    marketplace.completeLine(before, sender=carol)

    change = points.setPurchaseRate(ETH, 2 * ETH_POINTS_PER_ETHER, sender=admin)
    assert change.events == [
        points.PurchaseRateSet(
            token=ETH,
            previousRate=ETH_POINTS_PER_ETHER,
            rate=2 * ETH_POINTS_PER_ETHER,
            effectiveAt=change.timestamp + 1,
        )
    ]
    # Completed in the change's own second (as if earlier in its block): still the old rate.
    at(change.timestamp)
    marketplace.completeLine(same_second, sender=carol)
    at(change.timestamp + 1)
    marketplace.completeLine(after, sender=carol)

    claim(before, same_second, after)  # all claimed after the change

    assert [points.purchasePointsOf(line)[1] for line in (before, same_second, after)] == [1_000, 1_000, 2_000]
    assert points.balanceOf(carol) == 4_000
    assert points.purchaseRateAt(ETH, change.timestamp) == ETH_POINTS_PER_ETHER
    assert points.purchaseRateAt(ETH, change.timestamp + 1) == 2 * ETH_POINTS_PER_ETHER


def test_rate_history__is_kept_for_old_completions(points, marketplace, line_in, claim, admin, carol, at, chain):
    """Lines completed under each of several rates, all claimed after the last change: the lookup
    goes back through the history (a binary search past the latest rate)."""
    lines = [line_in(Status.DELIVERED) for _ in range(7)]
    start = head_time(chain) + 10
    for i, line_id in enumerate(lines):
        at(start + 10 * i)
        points.setPurchaseRate(ETH, (i + 1) * ETH_POINTS_PER_ETHER, sender=admin)
        at(start + 10 * i + 5)
        marketplace.completeLine(line_id, sender=carol)
    claim(*lines)
    assert [points.purchasePointsOf(line)[1] for line in lines] == [1_000 * (i + 1) for i in range(7)]
    assert points.balanceOf(carol) == 1_000 * sum(range(1, 8))


# ---------------------------------------------------------------- review bonus


def test_review_bonus__paid_to_the_buyer_under_the_rules_at_posting(
    points, reviews, completed_line, admin, carol, mallory, chain, at
):
    line_id = completed_line()
    posted_at = head_time(chain)
    reviews.setReview(line_id, carol, 5, posted_at, sender=carol)
    points.setReviewBonus(BONUS * 2, sender=admin)  # after the review: does not apply to it
    at(posted_at + 100)

    receipt = points.claimReviewBonus(line_id, sender=mallory)

    expires_at = expiry(posted_at, VALIDITY)
    assert receipt.events == [
        minted(points, carol, BONUS),
        points.ReviewBonusClaimed(lineId=line_id, author=carol, points=BONUS, expiresAt=expires_at),
    ]
    assert points.balanceOf(carol) == BONUS
    assert points.isReviewBonusClaimed(line_id)


def test_review_bonus__review_after_a_change_gets_the_new_bonus(points, reviews, completed_line, admin, carol, at):
    line_id = completed_line()
    change = points.setReviewBonus(BONUS * 2, sender=admin)
    reviews.setReview(line_id, carol, 4, change.timestamp + 1, sender=carol)
    at(change.timestamp + 1)
    points.claimReviewBonus(line_id, sender=carol)
    assert points.balanceOf(carol) == BONUS * 2


def test_review_bonus__dated_in_the_future_counts_as_now(points, reviews, completed_line, carol, at, chain):
    line_id = completed_line()
    now = head_time(chain) + 5
    reviews.setReview(line_id, carol, 5, now + 10 * 365 * DAY, sender=carol)
    at(now)
    receipt = points.claimReviewBonus(line_id, sender=carol)
    assert receipt.events.filter(points.ReviewBonusClaimed)[0].expiresAt == expiry(now, VALIDITY)


def test_review_bonus__refusals(points, reviews, completed_line, line_in, admin, carol, dave, chain):
    line_id = completed_line()
    with reverts_with(points.PointsNoReview, lineId=line_id):
        points.claimReviewBonus(line_id, sender=carol)
    reviews.setReview(line_id, carol, 0, head_time(chain), sender=carol)  # no rating: not a review
    with reverts_with(points.PointsNoReview, lineId=line_id):
        points.claimReviewBonus(line_id, sender=carol)

    reviews.setReview(line_id, dave, 1, head_time(chain), sender=dave)
    with reverts_with(points.PointsReviewerNotBuyer, lineId=line_id, author=dave):
        points.claimReviewBonus(line_id, sender=dave)

    delivered = line_in(Status.DELIVERED)
    reviews.setReview(delivered, carol, 5, head_time(chain), sender=carol)
    with reverts_with(points.PointsLineNotCompleted, lineId=delivered, status=Status.DELIVERED):
        points.claimReviewBonus(delivered, sender=carol)

    reviews.setReview(line_id, carol, 5, head_time(chain), sender=carol)
    points.claimReviewBonus(line_id, sender=carol)
    with reverts_with(points.PointsBonusAlreadyClaimed, lineId=line_id):
        points.claimReviewBonus(line_id, sender=carol)

    receipt = points.setReviewSource(ZERO_ADDRESS, sender=admin)
    assert receipt.events == [points.ReviewSourceSet(reviews=ZERO_ADDRESS)]
    with reverts_with(points.PointsReviewsNotSet):
        points.claimReviewBonus(line_id, sender=carol)


def test_review_bonus__zero_bonus_earns_nothing(points, reviews, completed_line, admin, carol, at):
    line_id = completed_line()
    change = points.setReviewBonus(0, sender=admin)
    reviews.setReview(line_id, carol, 5, change.timestamp + 1, sender=carol)
    at(change.timestamp + 1)
    with reverts_with(points.PointsNothingEarned, lineId=line_id):
        points.claimReviewBonus(line_id, sender=carol)


# ---------------------------------------------------------------- check-in


def test_check_in__once_per_utc_day_per_address(points, carol, dave, at, chain):
    day = head_time(chain) // DAY + 1
    at(day * DAY)
    receipt = points.checkIn(sender=carol)
    expires_at = expiry(day * DAY, VALIDITY)
    assert receipt.events == [
        minted(points, carol, CHECK_IN),
        points.CheckedIn(account=carol, day=day, points=CHECK_IN, expiresAt=expires_at),
    ]
    assert points.lastCheckInDay(carol) == day
    points.checkIn(sender=dave)  # per address

    at((day + 1) * DAY - 1)  # the last second of the same UTC day
    with reverts_with(points.PointsAlreadyCheckedIn, account=carol, day=day):
        points.checkIn(sender=carol)

    at((day + 1) * DAY)  # the next day's first second
    points.checkIn(sender=carol)
    assert points.balanceOf(carol) == 2 * CHECK_IN
    assert points.lastCheckInDay(carol) == day + 1


def test_check_in__off_when_it_pays_nothing(points, admin, carol, at):
    change = points.setCheckInPoints(0, sender=admin)
    assert rules_changed(change)["checkInPoints"] == 0
    at(change.timestamp)  # the change's own second: still the old rules
    points.checkIn(sender=carol)
    at((change.timestamp // DAY + 1) * DAY)
    with reverts_with(points.PointsCheckInOff):
        points.checkIn(sender=carol)


# ---------------------------------------------------------------- campaigns


def test_campaign__multiplies_earnings_dated_in_its_window(
    points, marketplace, line_in, claim, admin, carol, dave, at, chain
):
    lines = [line_in(Status.DELIVERED) for _ in range(3)]
    start = (head_time(chain) // DAY + 2) * DAY  # a day boundary, so each check-in is a new day
    end = start + 2 * DAY
    receipt = points.setCampaign(start, end, 25_000, sender=admin)
    assert len(receipt.events) == 1
    assert rules_changed(receipt) == {
        "version": 1,
        "effectiveAt": receipt.timestamp + 1,
        "validity": VALIDITY,
        "checkInPoints": CHECK_IN,
        "reviewBonus": BONUS,
        "campaignStart": start,
        "campaignEnd": end,
        "campaignMultiplierBps": 25_000,
    }

    at(start - 1)
    points.checkIn(sender=carol)  # before the window: x1
    marketplace.completeLine(lines[0], sender=carol)
    at(start)
    points.checkIn(sender=dave)  # first second of the window: x2.5
    at(end - 1)
    marketplace.completeLine(lines[1], sender=carol)  # last second of the window
    at(end)
    marketplace.completeLine(lines[2], sender=carol)  # the window is over

    claim(*lines)  # after the campaign: what counts is when each line completed
    assert points.balanceOf(dave) == CHECK_IN * 25 // 10
    assert points.balanceOf(carol) == CHECK_IN + 1_000 + 2_500 + 1_000


def test_campaign__ended_early_by_a_new_version(points, admin, carol, at, chain):
    start = (head_time(chain) // DAY + 1) * DAY
    points.setCampaign(start, start + 10 * DAY, 20_000, sender=admin)
    at(start)
    points.checkIn(sender=carol)
    stop = points.setCampaign(0, 0, 10_000, sender=admin)
    assert points.rulesAt(stop.timestamp).campaignEnd == start + 10 * DAY  # history unchanged
    at(start + DAY)
    points.checkIn(sender=carol)
    assert points.balanceOf(carol) == 2 * CHECK_IN + CHECK_IN


# ---------------------------------------------------------------- validity


def test_validity_change__applies_to_points_earned_after_it(points, admin, carol, at, chain):
    day = head_time(chain) // DAY + 1
    at(day * DAY)
    points.checkIn(sender=carol)
    points.setValidity(60 * DAY, sender=admin)
    at((day + 1) * DAY)
    points.checkIn(sender=carol)

    first = expiry(day * DAY, VALIDITY)
    second = expiry((day + 1) * DAY, 60 * DAY)
    assert second < first
    assert points.bucketsOf(carol) == [(CHECK_IN, second), (CHECK_IN, first)]
    assert points.balanceOf(carol) == 2 * CHECK_IN


# ---------------------------------------------------------------- setters


def test_rules_history__each_change_is_a_version(points, admin, chain):
    receipts = [
        points.setCheckInPoints(7, sender=admin),
        points.setReviewBonus(9, sender=admin),
        points.setValidity(90 * DAY, sender=admin),
    ]
    assert [rules_changed(receipt)["version"] for receipt in receipts] == [1, 2, 3]
    assert points.rulesCount() == 4
    latest = points.rulesVersion(3)
    assert (latest.validity, latest.checkInPoints, latest.reviewBonus) == (90 * DAY, 7, 9)
    # Version 0 is untouched: the history is append-only.
    first = points.rulesVersion(0)
    assert (first.validity, first.checkInPoints, first.reviewBonus) == (VALIDITY, CHECK_IN, BONUS)
    assert rules_tuple(points, receipts[-1].timestamp + 1)[:3] == (90 * DAY, 7, 9)


@pytest.mark.parametrize("validity", [DAY - 1, 24 * PERIOD + 1, 0])
def test_set_validity__out_of_range__reverts(points, admin, validity):
    with reverts_with(points.PointsInvalidValidity, validity=validity, min=DAY, max=24 * PERIOD):
        points.setValidity(validity, sender=admin)


@pytest.mark.parametrize(("start", "end", "multiplier"), [(10, 5, 20_000), (1, 2, 9_999), (1, 2, 50_001)])
def test_set_campaign__invalid__reverts(points, admin, start, end, multiplier):
    with reverts_with(
        points.PointsInvalidCampaign, start=start, end=end, multiplierBps=multiplier, maxMultiplierBps=50_000
    ):
        points.setCampaign(start, end, multiplier, sender=admin)


def test_set_purchase_rate__above_the_maximum__reverts(points, admin):
    with reverts_with(points.PointsRateTooHigh, rate=10**24 + 1, max=10**24):
        points.setPurchaseRate(ETH, 10**24 + 1, sender=admin)


@pytest.mark.parametrize(
    ("setter", "args"),
    [
        ("setCheckInPoints", (100,)),
        ("setReviewBonus", (100,)),
        ("setValidity", (30 * DAY,)),
        ("setCampaign", (0, 1, 50_000)),
        ("setPurchaseRate", (ETH, 10**6)),
        ("setTransfersEnabled", (True,)),
    ],
)
def test_rules_setters__by_non_rules_admin__revert(points, mallory, setter, args):
    with reverts_with(points.AccessControlUnauthorizedAccount, account=mallory, neededRole=points.RULES_ADMIN_ROLE()):
        getattr(points, setter)(*args, sender=mallory)


def test_set_review_source__by_non_admin__reverts(points, mallory):
    with reverts_with(points.AccessControlUnauthorizedAccount, account=mallory, neededRole=points.DEFAULT_ADMIN_ROLE()):
        points.setReviewSource(mallory, sender=mallory)


def test_rules_admin_role__can_be_given_to_a_marketing_account(points, admin, dave):
    points.grantRole(points.RULES_ADMIN_ROLE(), dave, sender=admin)
    points.setCheckInPoints(25, sender=dave)
    assert points.rulesVersion(1).checkInPoints == 25
