"""The explorer in a real browser: every event of an order line's or a product's trail shows its
transaction hash and block, and "Verify" re-reads it through the wallet's RPC: it matches the chain;
when the index is made to lie (an argument changed, a transaction that does not exist) it says so.
Also: comparing products side by side, and screenshots of the mall's key pages.

Run: ape test tests/e2e/test_explorer_ui.py
"""

import re

from mall_scene import CANDLES, MUG, SCARF, SPOON, TOWEL
from playwright.sync_api import expect
from screenshots import save_screenshot

from scripts._constants import USD

expect.set_options(timeout=20_000)

VERDICT = re.compile(r"^(matches|differs|missing|error)$")  # a final verdict, not "checking"


def verify_all(page, scope) -> list[str]:
    """Click every "Verify" in `scope`, wait for each verdict; returns the verdicts."""
    buttons = scope.locator("button.verify")
    count = buttons.count()
    assert count > 0
    for index in range(count):
        buttons.nth(index).click()
    results = scope.locator(".verify-result")
    for index in range(count):
        expect(results.nth(index)).to_have_attribute("data-verdict", VERDICT)
    return [results.nth(index).get_attribute("data-verdict") for index in range(count)]


def test_verify_an_order_lines_history_in_my_orders(mall, open_mall, carol, alice):
    (line,) = mall.checkout(carol, [(mall.products[MUG], 1)])
    mall.marketplace.acceptLine(line, sender=alice)
    mall.sync()
    page = open_mall(carol)
    page.connect(carol)
    page.go("orders")
    timeline = page.by(f"line-timeline-{line}")
    expect(timeline.locator("li")).to_have_count(2)
    placed = timeline.locator("li[data-event='LinePlaced']")
    expect(placed.locator(".block-ref")).to_contain_text("block ")
    assert verify_all(page, timeline) == ["matches", "matches"]
    expect(placed.locator(".verify-result")).to_contain_text("Matches the chain: Marketplace.LinePlaced")
    assert "eth_getTransactionReceipt" in page.wallet_log()  # read through the wallet, not the mall's RPC


def test_explorer_shows_and_verifies_a_product_trail_and_an_order(mall, open_mall, carol):
    scarf = mall.products[SCARF]
    (line,) = mall.checkout(carol, [(scarf, 2)], token=mall.usd.address)
    mall.sync()
    page = open_mall(carol)
    page.connect(carol)
    page.go("explorer")
    page.by("explorer-kind").select_option("product")
    page.by("explorer-id").fill(str(scarf))
    page.by("explorer-show").click()
    expect(page.by("explorer-title")).to_contain_text(f"{SCARF} (product #{scarf})")
    trail = page.by("explorer-trail")
    listed = trail.locator("tr[data-event='ProductListed']")
    expect(listed).to_contain_text(f"Listed: 20 in stock at {25:.2f} mUSD each")
    expect(trail.locator("tr[data-event='LinePlaced']")).to_have_count(1)
    page.by("explorer-verify-all").click()
    results = trail.locator(".verify-result")
    expect(results).to_have_count(trail.locator("tbody tr").count())
    for index in range(results.count()):
        expect(results.nth(index)).to_have_attribute("data-verdict", "matches")
    save_screenshot(page.page, "explorer-product")

    order = line >> 8
    page.page.evaluate(f"location.hash = '#explorer/order/{order}'")
    expect(page.by("explorer-title")).to_have_text(f"Order #{order} (1 line)")
    assert set(verify_all(page, page.by("explorer-trail"))) == {"matches"}
    page.page.evaluate("location.hash = '#explorer/product/999999'")
    expect(page.by("explorer-error")).to_have_text("The mall has no product #999999.")
    assert mall.usd.balanceOf(mall.marketplace) >= 2 * 25 * USD


def verify_through_a_doctored_index(open_mall, buyer, line, doctor, *, connect: bool):
    """Open the line's trail with /api/lines/{line} rewritten by `doctor(detail)`, verify its
    LinePlaced event; returns the verdict's element."""
    page = open_mall(buyer)

    def rewrite(route):
        detail = route.fetch().json()
        doctor(detail["timeline"][0])
        route.fulfill(json=detail)

    page.page.route(f"**/api/lines/{line}", rewrite)
    if connect:
        page.connect(buyer)
    page.page.evaluate(f"location.hash = '#explorer/line/{line}'")
    row = page.by("explorer-trail").locator("tr[data-event='LinePlaced']")
    row.locator("button.verify").click()
    return row.locator(".verify-result")


def test_verify_says_when_the_index_differs_from_the_chain(mall, open_mall, carol):
    (line,) = mall.checkout(carol, [(mall.products[TOWEL], 1)])
    mall.sync()

    def lie(entry):
        entry["args"]["amount"] = "1"  # the index claims 1 wei was escrowed

    result = verify_through_a_doctored_index(open_mall, carol, line, lie, connect=True)
    expect(result).to_have_attribute("data-verdict", "differs")
    expect(result).to_contain_text('amount is "1" in the index but')


def test_verify_says_when_a_transaction_is_not_on_chain(mall, open_mall, carol):
    (line,) = mall.checkout(carol, [(mall.products[CANDLES], 1)], token=mall.usd.address)
    mall.sync()

    def reorg(entry):
        entry["tx"] = "0x" + "ab" * 32  # a transaction the chain never saw

    result = verify_through_a_doctored_index(open_mall, carol, line, reorg, connect=False)
    expect(result).to_have_attribute("data-verdict", "missing")
    expect(result).to_contain_text("Not on chain (reorged?)")
    expect(result).to_contain_text("Read through the mall’s RPC (no wallet is connected)")


def test_compare_products_side_by_side(mall, open_mall, carol):
    page = open_mall(carol)
    mug, spoon, scarf = mall.products[MUG], mall.products[SPOON], mall.products[SCARF]
    page.by(f"compare-{mug}").check()
    expect(page.by("compare-count")).to_contain_text("choose at least 2")
    page.by(f"compare-{spoon}").check()
    page.by(f"compare-{scarf}").check()
    page.by("compare-open").click()
    table = page.by("compare-table")
    expect(table.locator("thead th")).to_have_count(3)
    expect(page.by(f"compare-col-{scarf}")).to_have_text(SCARF)
    expect(table).to_contain_text("25.00 mUSD")
    page.by(f"compare-remove-{spoon}").click()
    expect(table.locator("thead th")).to_have_count(2)
    save_screenshot(page.page, "compare")


def test_key_pages_screenshots(mall, open_mall, carol, alice, admin, arbiter1, support):
    """Catalogue, product, cart, orders, seller dashboard, admin, arbiter and support pages, as
    their users see them, saved under test-artifacts/screenshots/ on every run."""
    page = open_mall(carol)
    expect(page.by("catalog-list")).to_be_visible()
    save_screenshot(page.page, "catalogue")
    page.page.evaluate(f"location.hash = '#product/{mall.products[SCARF]}'")
    expect(page.by("product-page")).to_contain_text(SCARF)
    save_screenshot(page.page, "product")
    page.connect(carol)
    page.add_to_cart(mall.products[SPOON])
    page.go("cart")
    save_screenshot(page.page, "cart")
    page.go("orders")
    expect(page.page.locator("#orders-body")).not_to_be_empty()
    save_screenshot(page.page, "orders")
    for account, route in ((alice, "seller"), (admin, "admin"), (arbiter1, "arbiter"), (support, "support")):
        page.use(account)
        page.go(route)
        expect(page.page.locator(f"#{route}-body")).not_to_be_empty()
        save_screenshot(page.page, route if route != "seller" else "seller-dashboard-overview")
