"""Order lines through their lifecycle in a real browser: the seller accepts, ships, rejects
and offers refunds; the buyer confirms delivery, releases payment, accepts a refund and claims
one when a seller missed a deadline; both withdraw their credits, one token at a time.

The scene is set with ape (checkouts, and the steps a test is not about); what the test is
about happens through the page. Run: ape test tests/e2e --network ethereum:local:foundry
"""

from mall_scene import CANDLES, MUG, SCARF, SPOON, TOWEL
from playwright.sync_api import expect

from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status
from scripts.deploy import DEFAULT_TERMS

expect.set_options(timeout=20_000)

FEE_BPS = DEFAULT_TERMS["feeBps"]


def after_fee(amount: int) -> int:
    return amount - amount * FEE_BPS // 10_000


def test_accept_ship_reject_and_refund_a_missed_deadline(mall, open_mall, screenshot, carol, alice):
    """alice accepts and ships one line (carrier and tracking reference) and rejects another;
    bob never accepts his, so once the accept window has passed carol clicks "Refund me"."""
    mug_line, spoon_line, towel_line = mall.checkout(
        carol, [(mall.products[MUG], 1), (mall.products[SPOON], 1), (mall.products[TOWEL], 1)]
    )
    mall.sync()

    # ---- alice's order queue
    me = open_mall(alice)
    me.connect(alice)
    me.go("seller")
    expect(me.by(f"sale-status-{mug_line}")).to_have_text("Paid")
    expect(me.by(f"sale-deadline-{mug_line}")).to_contain_text("Accept or reject by")
    expect(me.by(f"sale-{towel_line}")).to_have_count(0)  # bob's line is not in alice's queue
    screenshot(me.page, "seller-queue")

    me.click_and_wait(f"accept-{mug_line}")
    expect(me.by(f"sale-status-{mug_line}")).to_have_text("Accepted")
    expect(me.by(f"sale-deadline-{mug_line}")).to_contain_text("Ship by")
    me.by(f"ship-carrier-{mug_line}").fill("DHL")
    me.by(f"ship-tracking-{mug_line}").fill("JD014600006281")
    me.click_and_wait(f"ship-{mug_line}")
    expect(me.by(f"sale-status-{mug_line}")).to_have_text("Shipped")
    expect(me.by(f"sale-shipping-{mug_line}")).to_have_text("DHL · JD014600006281")
    expect(me.by(f"sale-timeline-{mug_line}")).to_contain_text("Shipped with DHL, tracking JD014600006281")

    me.click_and_wait(f"reject-{spoon_line}")
    expect(me.by(f"sale-status-{spoon_line}")).to_have_text("Rejected")
    assert mall.marketplace.getLine(mug_line).status == Status.SHIPPED
    assert mall.marketplace.getLine(spoon_line).status == Status.REJECTED
    screenshot(me.page, "seller-shipped-rejected")

    # ---- bob lets his accept window pass; carol gets her money back
    buyer = open_mall(carol)
    buyer.connect(carol)
    buyer.go("orders")
    expect(buyer.by(f"line-deadline-{towel_line}")).to_contain_text("Seller must accept by")
    expect(buyer.by(f"expire-{towel_line}")).to_have_count(0)  # not yet

    mall.travel(DEFAULT_TERMS["acceptWindow"] + 60)
    buyer.go("catalog")
    buyer.go("orders")
    expect(buyer.by(f"line-deadline-{towel_line}")).to_contain_text("The seller didn’t accept in time")
    credit_before = mall.marketplace.creditOf(carol, ETH)
    buyer.click_and_wait(f"expire-{towel_line}")
    expect(buyer.by(f"line-status-{towel_line}")).to_have_text("Expired")
    expect(buyer.by(f"line-timeline-{towel_line}")).to_contain_text("Expired (a deadline was missed); 0.006 ETH")
    assert mall.marketplace.creditOf(carol, ETH) == credit_before + 6 * 10**15
    expect(buyer.by("buyer-credit-ETH")).to_have_attribute("data-amount", str(credit_before + 6 * 10**15))
    # the shipped line's clock is the delivery window, which has not run out
    expect(buyer.by(f"line-status-{mug_line}")).to_have_text("Shipped")
    expect(buyer.by(f"expire-{mug_line}")).to_have_count(0)
    screenshot(buyer.page, "buyer-refunded")
    assert me.page.page_errors == [] and buyer.page.page_errors == []


def test_deliver_complete_and_withdraw_each_token(mall, open_mall, screenshot, carol, alice):
    """carol confirms one delivery and releases the payment, releases another straight from
    Shipped, and withdraws her refund credit; alice then withdraws ETH and mUSD separately."""
    mug, scarf, spoon = mall.products[MUG], mall.products[SCARF], mall.products[SPOON]
    (mug_line,) = mall.checkout(carol, [(mug, 2)])
    (scarf_line,) = mall.checkout(carol, [(scarf, 1)], token=mall.usd.address)
    (spoon_line,) = mall.checkout(carol, [(spoon, 1)])
    for line in (mug_line, scarf_line):
        mall.marketplace.acceptLine(line, sender=alice)
        mall.marketplace.shipLine(line, "PostNL", f"3S{line}", sender=alice)
    mall.marketplace.cancelLine(spoon_line, sender=carol)  # a refund credit to withdraw
    mall.sync()

    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    me.click_and_wait(f"confirm-{mug_line}")
    expect(me.by(f"line-status-{mug_line}")).to_have_text("Delivered")
    expect(me.by(f"line-deadline-{mug_line}")).to_contain_text("Inspection period")
    me.click_and_wait(f"complete-{mug_line}")
    expect(me.by(f"line-status-{mug_line}")).to_have_text("Completed")
    me.click_and_wait(f"complete-{scarf_line}")  # released without confirming delivery first
    expect(me.by(f"line-status-{scarf_line}")).to_have_text("Completed")
    expect(me.by(f"line-timeline-{scarf_line}")).to_contain_text("Completed; seller paid 24.375 mUSD, fee 0.625 mUSD")
    screenshot(me.page, "buyer-completed")

    # ---- carol's refund credit (ETH), withdrawn to her account
    credit = mall.marketplace.creditOf(carol, ETH)
    assert credit >= 25 * 10**15
    expect(me.by("buyer-credit-ETH")).to_have_attribute("data-amount", str(credit))
    balance_before = carol.balance
    me.click_and_wait("buyer-withdraw-ETH")
    expect(me.by("buyer-credit-ETH")).to_have_attribute("data-amount", "0")
    expect(me.by("buyer-withdraw-ETH")).to_be_disabled()
    assert mall.marketplace.creditOf(carol, ETH) == 0
    assert credit - 10**15 < carol.balance - balance_before < credit  # less well under 0.001 ETH of gas

    # ---- the wallet switches to alice (accountsChanged): no reload, her earnings per token
    me.page.evaluate("window.__sameDocument = true")
    me.use(alice)
    me.go("seller")
    eth_credit = mall.marketplace.creditOf(alice, ETH)
    usd_credit = mall.marketplace.creditOf(alice, mall.usd)
    assert eth_credit >= after_fee(2 * 10**16) and usd_credit >= after_fee(25 * USD)
    expect(me.by("seller-credit-ETH")).to_have_attribute("data-amount", str(eth_credit))
    expect(me.by("seller-credit-mUSD")).to_have_attribute("data-amount", str(usd_credit))
    expect(me.by(f"sale-status-{scarf_line}")).to_have_text("Completed")
    assert me.page.evaluate("window.__sameDocument") is True
    screenshot(me.page, "seller-earnings")

    eth_before = alice.balance
    me.click_and_wait("seller-withdraw-ETH")
    expect(me.by("seller-credit-ETH")).to_have_attribute("data-amount", "0")
    expect(me.by("seller-credit-mUSD")).to_have_attribute("data-amount", str(usd_credit))  # untouched
    assert eth_credit - 10**15 < alice.balance - eth_before < eth_credit

    usd_before = mall.usd.balanceOf(alice)
    me.click_and_wait("seller-withdraw-mUSD")
    expect(me.by("seller-credit-mUSD")).to_have_attribute("data-amount", "0")
    expect(me.by("seller-withdrawn-mUSD")).to_have_attribute("data-amount", str(usd_credit))
    assert mall.usd.balanceOf(alice) == usd_before + usd_credit
    assert mall.marketplace.creditOf(alice, ETH) == mall.marketplace.creditOf(alice, mall.usd) == 0
    screenshot(me.page, "seller-withdrawn")
    assert me.page.page_errors == []


def test_refund_offer_and_completion_after_inspection(mall, open_mall, screenshot, carol, bob):
    """bob's refund offer above the escrow is refused in words; carol accepts a smaller one;
    after the inspection period bob completes the line himself and is paid the rest."""
    (line,) = mall.checkout(carol, [(mall.products[CANDLES], 2)], token=mall.usd.address)
    mall.marketplace.acceptLine(line, sender=bob)
    mall.marketplace.shipLine(line, "UPS", "1Z999AA10123456784", sender=bob)
    mall.sync()

    me = open_mall(bob)
    me.connect(bob)
    me.go("seller")
    me.by(f"offer-refund-amount-{line}").fill("30")
    text = me.click_and_wait(f"offer-refund-{line}", "failed")
    assert "A refund of 30.00 mUSD is more than the 25.00 mUSD still in escrow for line 1 of order #" in text
    screenshot(me.page, "refund-too-large")
    me.by(f"offer-refund-amount-{line}").fill("5")
    me.click_and_wait(f"offer-refund-{line}")
    expect(me.by(f"sale-refund-offer-{line}")).to_have_text("5.00 mUSD")

    me.use(carol)
    me.go("orders")
    expect(me.by(f"accept-refund-{line}")).to_contain_text("Accept refund of 5.00 mUSD")
    me.click_and_wait(f"accept-refund-{line}")
    expect(me.by(f"line-escrowed-{line}")).to_have_text("20.00 mUSD")
    expect(me.by(f"line-status-{line}")).to_have_text("Shipped")  # a partial refund: the line goes on
    me.click_and_wait(f"confirm-{line}")
    expect(me.by(f"line-status-{line}")).to_have_text("Delivered")

    me.use(bob)
    me.go("seller")
    expect(me.by(f"complete-after-{line}")).to_contain_text("You can complete it and be paid after")
    expect(me.by(f"seller-complete-{line}")).to_have_count(0)
    mall.travel(DEFAULT_TERMS["inspectionWindow"] + 60)
    me.go("catalog")
    me.go("seller")
    credit_before = mall.marketplace.creditOf(bob, mall.usd)
    me.click_and_wait(f"seller-complete-{line}")
    expect(me.by(f"sale-status-{line}")).to_have_text("Completed")
    assert mall.marketplace.creditOf(bob, mall.usd) == credit_before + after_fee(20 * USD)
    expect(me.by("seller-credit-mUSD")).to_have_attribute("data-amount", str(credit_before + after_fee(20 * USD)))
    screenshot(me.page, "seller-completed")
    assert me.page.page_errors == []


def test_list_a_product_priced_in_musd(mall, open_mall, screenshot, alice):
    """The listing form offers the tokens the marketplace allows; the price is typed in it."""
    me = open_mall(alice)
    me.connect(alice)
    me.go("seller")
    me.page.get_by_text("List a product").click()
    me.by("list-name").fill("Felted slippers")
    me.by("list-category").fill("Clothing")
    me.by("list-token").select_option(label="mUSD")
    expect(me.page.get_by_label("Price (mUSD per unit)")).to_be_visible()
    me.by("list-price").fill("39.90")
    me.by("list-stock").fill("4")
    me.click_and_wait("list-submit")
    product_id = mall.marketplace.productCount()
    product = mall.marketplace.getProduct(product_id)
    assert (product.price, product.stock) == (39_900_000, 4)
    assert mall.marketplace.tokenOf(product.tokenId) == mall.usd.address
    me.go("catalog")
    expect(me.by(f"product-card-{product_id}")).to_contain_text("Felted slippers")
    expect(me.by(f"product-card-{product_id}")).to_contain_text("Your listing")
    expect(me.by(f"price-{product_id}")).to_have_text("39.90 mUSD")

    me.page.set_viewport_size({"width": 390, "height": 844})  # a phone
    screenshot(me.page, "catalog-narrow")
    assert me.page.page_errors == []
