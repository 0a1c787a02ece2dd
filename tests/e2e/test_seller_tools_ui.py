"""The seller's tools in a real browser: a catalogue imported from a CSV file (every row checked
before anything is sent, listed 20 per transaction with a progress bar, resumable when a batch
fails), "My listings" (change the price, restock, delist, relist) and the sales chart.

Run: ape test tests/e2e/test_seller_tools_ui.py
"""

import csv
from datetime import UTC, datetime

from mall_scene import MUG, SPOON
from playwright.sync_api import expect
from screenshots import save_screenshot

from scripts._constants import USD

expect.set_options(timeout=30_000)

HEADER = ["name", "description", "category", "price", "token", "stock"]


def catalogue_rows(count: int, prefix: str) -> list[list[str]]:
    """`count` valid products, alternately in ETH and mUSD; names carry commas and quotes."""
    rows = []
    for n in range(1, count + 1):
        if n % 2:
            rows.append([f'{prefix} {n}, "oak"', f"Oiled oak, piece {n}", "Home", f"0.0{n % 9 + 1}", "ETH", str(n)])
        else:
            rows.append([f"{prefix} {n}", "Linen\nwith a second line", "Kitchen", f"{n}.5", "mUSD", "3"])
    return rows


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def open_seller(open_mall, seller):
    page = open_mall(seller)
    page.connect(seller)
    page.go("seller")
    expect(page.by("catalog-import")).to_be_visible()
    return page


def listed_by(mall, receipt_count_before: int, seller) -> list[int]:
    """Product ids listed since `receipt_count_before`, checked to be `seller`'s."""
    ids = list(range(receipt_count_before + 1, mall.marketplace.productCount() + 1))
    seller_id = mall.marketplace.memberIdOf(seller)
    assert all(mall.marketplace.getProduct(pid).sellerId == seller_id for pid in ids)
    return ids


def test_import_a_25_row_catalogue_in_two_batches(mall, open_mall, alice, tmp_path):
    rows = catalogue_rows(25, "Tray")
    path = write_csv(tmp_path / "catalogue.csv", rows)
    before = mall.marketplace.productCount()
    page = open_seller(open_mall, alice)
    page.record_status()

    page.by("import-file").set_input_files(str(path))
    expect(page.by("import-preview").locator("tbody tr")).to_have_count(25)
    expect(page.by("import-row-status-1")).to_have_text("Ready")
    expect(page.by("import-row-1")).to_contain_text('Tray 1, "oak"')
    expect(page.by("import-submit")).to_have_text("List 25 products (2 transactions)")
    save_screenshot(page.page, "seller-import-preview")

    page.by("import-submit").click()
    progress = page.by("import-progress")
    expect(progress).to_have_attribute("aria-valuenow", "25", timeout=60_000)
    expect(progress).to_have_attribute("aria-valuemax", "25")
    expect(page.by("import-progress-text")).to_have_text("All 25 products are listed.")
    expect(page.status).to_have_attribute("data-state", "done")

    sent = [method for method in page.wallet_log() if method == "eth_sendTransaction"]
    assert len(sent) == 2  # two multicalls: rows 1–20, then 21–25
    done = [text for state, text in page.status_log() if state == "done"]
    assert any("batch 1 of 2 (rows 1–20): 20 products listed" in text for text in done)
    assert any("batch 2 of 2 (rows 21–25): 5 products listed" in text for text in done)

    ids = listed_by(mall, before, alice)
    assert len(ids) == 25
    first, last = mall.marketplace.getProduct(ids[0]), mall.marketplace.getProduct(ids[-1])
    assert (first.price, first.stock) == (2 * 10**16, 1)  # row 1: 0.02 ETH, 1 in stock
    assert (last.price, last.stock) == (8 * 10**16, 25)  # row 25: 0.08 ETH, 25 in stock
    assert mall.marketplace.getProduct(ids[1]).price == 2 * USD + USD // 2  # row 2: 2.5 mUSD
    expect(page.by("import-row-status-25")).to_have_text(f"Listed as #{ids[-1]}")
    for pid in (ids[0], ids[-1]):
        expect(page.by(f"my-listing-{pid}")).to_be_visible()
    save_screenshot(page.page, "seller-dashboard")


def test_csv_errors_are_shown_per_row_and_nothing_is_sent(mall, open_mall, alice, tmp_path):
    rows = [
        ["Good mug", "", "Home", "0.01", "ETH", "4"],
        ["", "no name", "Home", "0.01", "ETH", "4"],
        ["Pricey", "", "Home", "ten", "ETH", "4"],
        ["Foreign", "", "Home", "1", "DOGE", "4"],
        ["Empty shelf", "", "Home", "1", "mUSD", "0"],
        ["Too fine", "", "Home", "1.1234567", "mUSD", "1"],
    ]
    before = mall.marketplace.productCount()
    page = open_seller(open_mall, alice)
    page.by("import-file").set_input_files(str(write_csv(tmp_path / "bad.csv", rows)))

    expect(page.by("import-problems")).to_contain_text("5 of 6 rows have errors")
    expect(page.by("import-row-status-1")).to_have_text("Ready")
    expect(page.by("import-row-2")).to_have_attribute("aria-invalid", "true")
    expect(page.by("import-row-status-2")).to_have_text("The name is missing.")
    expect(page.by("import-row-status-3")).to_contain_text("Enter the price as a number of ETH")
    expect(page.by("import-row-status-4")).to_contain_text("DOGE is not a token the marketplace accepts (ETH, mUSD)")
    expect(page.by("import-row-status-5")).to_contain_text("The stock must be at least 1")
    expect(page.by("import-row-status-6")).to_contain_text("mUSD has at most 6 decimal places")
    expect(page.by("import-submit")).to_have_count(0)  # nothing can be sent while a row is wrong
    save_screenshot(page.page, "seller-import-errors")

    # A file without the required columns is refused as a whole.
    write_csv(tmp_path / "columns.csv", [["Mug", "1"]], header=["title", "cost"])
    page.by("import-file").set_input_files(str(tmp_path / "columns.csv"))
    expect(page.by("import-problems")).to_contain_text("The header row has no name, price, token, stock column")
    assert "eth_sendTransaction" not in page.wallet_log()
    assert mall.marketplace.productCount() == before


def test_a_failed_batch_is_reported_and_resumed_without_listing_twice(mall, open_mall, bob, tmp_path):
    path = write_csv(tmp_path / "resume.csv", catalogue_rows(25, "Bowl"))
    before = mall.marketplace.productCount()
    page = open_seller(open_mall, bob)
    page.by("import-file").set_input_files(str(path))
    # The seller declines the second transaction in the wallet, once the first batch is listed.
    page.page.evaluate(
        """() => new MutationObserver((changes, observer) => {
            const bar = document.querySelector('[data-testid="import-progress"]');
            if (bar?.getAttribute('aria-valuenow') !== '20') return;
            window.__stubWallet.rejectNext();
            observer.disconnect();
        }).observe(document.querySelector('[data-testid="import-body"]'),
                   { subtree: true, childList: true, attributes: true })"""
    )
    page.by("import-submit").click()
    expect(page.by("import-failure")).to_contain_text("Rows 21–25 were not listed")
    expect(page.by("import-failure")).to_contain_text("rows 1–20 are listed")
    expect(page.status).to_contain_text("You rejected the request in your wallet")
    expect(page.by("import-progress")).to_have_attribute("aria-valuenow", "20")
    expect(page.by("import-row-status-21")).to_have_text("Ready")
    assert len(listed_by(mall, before, bob)) == 20

    expect(page.by("import-submit")).to_have_text("Resume from row 21 (1 transaction left)")
    page.click_and_wait("import-submit")
    expect(page.by("import-progress")).to_have_attribute("aria-valuenow", "25")
    assert len(listed_by(mall, before, bob)) == 25  # rows 1–20 were not sent again


def test_seller_changes_price_restocks_delists_and_relists(mall, open_mall, alice, carol):
    mug = mall.products[MUG]
    page = open_seller(open_mall, alice)
    stock = mall.marketplace.getProduct(mug).stock
    expect(page.by(f"my-listing-stock-{mug}")).to_have_text(str(stock))
    page.by(f"listing-edit-{mug}").click()  # unfold its tools: they stay open across re-renders

    page.by(f"listing-restock-units-{mug}").fill("five")
    page.by(f"listing-restock-{mug}").click()
    error = page.page.locator(f"#listing-restock-error-{mug}")
    expect(error).to_contain_text("Enter the number of units as a whole number")

    page.by(f"listing-restock-units-{mug}").fill("5")
    page.click_and_wait(f"listing-restock-{mug}")
    assert mall.marketplace.getProduct(mug).stock == stock + 5
    expect(page.by(f"my-listing-stock-{mug}")).to_have_text(str(stock + 5))

    page.click_and_wait(f"listing-delist-{mug}")
    assert mall.marketplace.getProduct(mug).stock == 0
    expect(page.by(f"my-listing-status-{mug}")).to_have_text("Delisted")
    buyer = open_mall(carol)
    buyer.page.evaluate(f"location.hash = '#product/{mug}'")
    expect(buyer.by("product-page")).to_contain_text("Sold out")

    page.by(f"listing-relist-units-{mug}").fill("3")
    page.click_and_wait(f"listing-relist-{mug}")
    assert mall.marketplace.getProduct(mug).stock == 3
    expect(page.by(f"my-listing-status-{mug}")).to_have_text("Listed")

    page.by(f"listing-price-value-{mug}").fill("0.02")
    page.click_and_wait(f"listing-price-{mug}")
    product = mall.marketplace.getProduct(mug)
    assert (product.price, product.stock) == (2 * 10**16, 3)
    expect(page.by(f"my-listing-price-{mug}")).to_have_text("0.02 ETH")


def test_restock_counts_sales_the_index_has_not_shown(mall, open_mall, alice, carol):
    """The page starts from the chain's stock, so a sale made after it rendered is not undone."""
    spoon = mall.products[SPOON]
    page = open_seller(open_mall, alice)
    stock = mall.marketplace.getProduct(spoon).stock
    expect(page.by(f"my-listing-stock-{spoon}")).to_have_text(str(stock))
    mall.checkout(carol, [(spoon, 2)])  # bought while the seller looks at the old figure
    page.by(f"listing-edit-{spoon}").click()
    page.by(f"listing-restock-units-{spoon}").fill("1")
    page.click_and_wait(f"listing-restock-{spoon}")
    assert mall.marketplace.getProduct(spoon).stock == stock - 2 + 1


def test_sales_chart_shows_the_days_sales_with_a_table(mall, open_mall, alice, carol):
    spoon = mall.products[SPOON]
    mall.checkout(carol, [(spoon, 1)])
    mall.sync()
    today = datetime.fromtimestamp(mall.chain.blocks.head.timestamp, UTC).date().isoformat()
    page = open_seller(open_mall, alice)
    chart = page.by("sales-chart-ETH")
    expect(chart).to_be_visible()
    expect(chart.locator("svg[role='img'] rect.sales-bar")).not_to_have_count(0)
    expect(page.by("sales-placed")).to_contain_text("ETH")
    page.by("sales-table-open").click()
    rows = page.by("sales-table").locator("tbody tr")
    expect(rows.last.locator("th")).to_have_text(today)
    expect(rows.last).to_contain_text("ETH")
    save_screenshot(page.by("sales"), "seller-sales-chart")
