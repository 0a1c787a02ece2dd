"""Loyalty points in a real browser: a buyer with a completed order collects its points, checks in
(then sees the button disabled with a sentence), redeems an item of the points mall (listed by the
MERCHANT_ROLE admin with ape), cancels a second redemption, and sees the balance, what expires when
and the history with reasons; a redemption beyond the balance is refused in words.

The scene is set with ape; what the test is about happens through the page.
Run: ape test tests/e2e/test_points_ui.py
"""

import json

from ape import project
from mall_scene import MUG
from playwright.sync_api import expect
from trace_scene import completed

expect.set_options(timeout=20_000)
CHECK_IN = 10  # scripts/_deploy_points.py DEFAULT_RULES


def points_of(mall):
    contracts = json.loads(mall.record_path.read_text())["contracts"]
    return project.MallPoints.at(contracts["MallPoints"]["address"]), project.PointsMall.at(
        contracts["PointsMall"]["address"]
    )


def test_points__collect_check_in_redeem_and_history(mall, open_mall, screenshot, admin, alice, carol):
    points, points_mall = points_of(mall)
    line = completed(mall, carol, alice, MUG)
    earned = points.purchasePointsOf(line)[1]
    assert earned > 0
    receipt = points_mall.createListing(earned // 4, 5, "data:text/plain;charset=utf-8,Tote%20bag", sender=admin)
    tote = receipt.events.filter(points_mall.ListingCreated)[0].listingId
    mall.sync()

    me = open_mall(carol)
    me.connect(carol)
    me.go("points")
    expect(me.by("points-balance")).to_have_text("0 points")
    expect(me.by(f"points-claimable-{line}")).to_contain_text(f"{earned:,} points")
    assert "Collecting" in me.click_and_wait("points-collect")
    expect(me.by("points-balance")).to_have_text(f"{earned:,} points")
    expect(me.by("points-claimable")).to_have_text("No completed orders with points to collect.")

    me.click_and_wait("points-checkin")
    expect(me.by("points-balance")).to_have_text(f"{earned + CHECK_IN:,} points")
    expect(me.by("points-checkin")).to_be_disabled()
    expect(me.by("points-checkin-note")).to_have_text("You already checked in today; come back after midnight (UTC).")

    me.by(f"redeem-quantity-{tote}").fill("2")
    assert "Redeeming 2 × Tote bag" in me.click_and_wait(f"redeem-{tote}")
    spent = 2 * (earned // 4)
    expect(me.by("points-balance")).to_have_text(f"{earned + CHECK_IN - spent:,} points")
    me.by(f"redeem-quantity-{tote}").fill("1")
    me.click_and_wait(f"redeem-{tote}")
    first, second = 1, 2  # a fresh points mall: redemptions are numbered from 1
    assert points_mall.redemptionCount() == 2
    me.click_and_wait(f"cancel-redemption-{second}")
    expect(me.by(f"redemption-status-{second}")).to_have_text("Cancelled")
    expect(me.by(f"redemption-status-{first}")).to_have_text("Placed")
    expect(me.by("points-balance")).to_have_text(f"{earned + CHECK_IN - spent:,} points")
    assert points.balanceOf(carol) == earned + CHECK_IN - spent

    expect(me.by("points-expiries")).to_contain_text("points expire on")
    history = me.by("points-history")
    expect(history.locator("tbody tr")).to_have_count(5)
    expect(history).to_contain_text(f"Given back from redemption #{second}")
    expect(history).to_contain_text(f"Redeemed in the points mall (#{first})")
    expect(history).to_contain_text("Daily check-in")
    expect(history).to_contain_text("Purchase: line 1 of order")

    me.by(f"redeem-quantity-{tote}").fill("3")  # 3 x earned/4 > what is left
    assert "Your account holds" in me.click_and_wait(f"redeem-{tote}", state="failed")
    screenshot(me.page, "points")
    assert me.page.page_errors == []
