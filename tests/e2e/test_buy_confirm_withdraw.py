"""Buying in a real browser, through a MetaMask-like wallet: carts, checkout in ETH and with an
EIP-2612 permit in mUSD, cancelling, and refusals explained in words.

Run: ape test tests/e2e --network ethereum:local:foundry   (screenshots in test-artifacts/)
"""

import re

from mall_scene import CANDLES, MUG, SCARF, SPOON, TOWEL, line_id
from playwright.sync_api import expect

from scripts._constants import ETH, USD

HEX_BLOB = re.compile(r"0x[0-9a-fA-F]{10,}")

expect.set_options(timeout=20_000)


def without_addresses(me, symbol: str) -> None:
    """The cart asks for a shipping address per seller, sealed to the seller's key (test_trace_ui.py);
    these tests buy without sending one, which the buyer must confirm for each seller."""
    expect(me.by(f"shipping-{symbol}")).to_be_visible()
    boxes = me.page.locator(f"[data-testid^='ship-skip-{symbol}-']")
    for index in range(boxes.count()):
        boxes.nth(index).check()


def test_connect_and_check_out_a_cart_from_two_sellers(mall, open_mall, screenshot, carol, alice, bob, chain):
    """carol connects (picking her wallet among two; the dApp adds and switches to its chain),
    fills a cart from alice and bob in ETH plus an mUSD product, finds it again after a reload,
    rejects once in her wallet, then checks the ETH group out in one transaction."""
    mug, towel, scarf = mall.products[MUG], mall.products[TOWEL], mall.products[SCARF]
    me = open_mall(carol, start_on_mall_chain=False, decoy=True)
    page, by = me.page, me.by

    # ---- the catalog, before connecting: prices in their tokens
    expect(by(f"product-card-{mug}")).to_contain_text(MUG)
    expect(by(f"price-{mug}")).to_have_text("0.01 ETH")
    expect(by(f"price-{towel}")).to_have_text("0.006 ETH")
    expect(by(f"price-{scarf}")).to_have_text("25.00 mUSD")
    expect(by(f"price-{mall.products[CANDLES]}")).to_have_text("12.50 mUSD")
    screenshot(page, "catalog")

    # ---- connect: two wallets announced themselves (EIP-6963), so the dApp asks which one
    by("connect-button").click()
    expect(page.locator("#wallet-picker img")).to_have_count(2)
    screenshot(page, "wallet-picker")
    by("wallet-option-test.mall.stubwallet").click()
    expect(by("account")).to_have_attribute("data-address", carol.address)
    # the wallet started on chain 1: the dApp switched, got 4902, added the chain, switched
    expect(by("network")).to_have_text("Mall local (anvil)")
    assert page.evaluate("window.__stubWallet.chainId") == chain.chain_id
    assert {"wallet_switchEthereumChain", "wallet_addEthereumChain"} <= set(me.wallet_log())

    # ---- a cart from two sellers and two tokens; it survives a reload (localStorage)
    me.add_to_cart(mug, 2)
    me.add_to_cart(towel, 1)
    me.add_to_cart(scarf, 1)
    expect(by("cart-count")).to_have_attribute("data-count", "4")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    expect(by("cart-count")).to_have_attribute("data-count", "4")
    me.connect(carol)
    me.go("cart")
    expect(by("cart-group-ETH")).to_contain_text(MUG)
    expect(by("cart-group-ETH")).to_contain_text(TOWEL)
    expect(by("cart-group-mUSD")).to_contain_text(SCARF)
    expect(by(f"cart-line-total-{mug}")).to_have_text("0.02 ETH")
    expect(by("cart-total-ETH")).to_have_text("0.026 ETH")
    expect(by("cart-total-mUSD")).to_have_text("25.00 mUSD")
    screenshot(page, "cart")

    # ---- rejecting in the wallet: nothing happens on chain
    orders_before = mall.marketplace.orderCount()
    without_addresses(me, "ETH")
    page.evaluate("window.__stubWallet.rejectNext()")
    text = me.click_and_wait("checkout-ETH", "failed")
    assert "You rejected the request in your wallet" in text
    assert mall.marketplace.orderCount() == orders_before

    # ---- one transaction for both sellers' products
    sent_before = me.wallet_log().count("eth_sendTransaction")
    text = me.click_and_wait("checkout-ETH")
    order_id = mall.marketplace.orderCount()
    assert order_id == orders_before + 1
    assert f"order #{order_id} placed" in text
    assert me.wallet_log().count("eth_sendTransaction") == sent_before + 1
    mug_line, towel_line = line_id(order_id, 0), line_id(order_id, 1)
    assert mall.marketplace.memberOf(mall.marketplace.getLine(mug_line).sellerId) == alice.address
    assert mall.marketplace.memberOf(mall.marketplace.getLine(towel_line).sellerId) == bob.address
    assert mall.marketplace.getProduct(mug).stock == 36
    # the ETH group left the cart; the mUSD one stays for another checkout
    expect(by("cart-group-ETH")).to_have_count(0)
    expect(by("cart-group-mUSD")).to_be_visible()
    expect(by("cart-count")).to_have_attribute("data-count", "1")

    # ---- my orders: one order, two lines, each waiting for its seller
    me.go("orders")
    expect(by(f"order-{order_id}")).to_contain_text("0.026 ETH")
    expect(by(f"line-status-{mug_line}")).to_have_text("Paid")
    expect(by(f"line-status-{towel_line}")).to_have_text("Paid")
    expect(by(f"line-deadline-{mug_line}")).to_contain_text("Seller must accept by")
    expect(by(f"line-timeline-{mug_line}")).to_contain_text("Ordered and paid 0.02 ETH into escrow")
    expect(by(f"cancel-{towel_line}")).to_be_visible()
    screenshot(page, "orders-paid")
    assert page.page_errors == []


def test_check_out_in_musd_with_a_permit(mall, open_mall, screenshot, carol):
    """mUSD supports EIP-2612: the wallet signs a permit (eth_signTypedData_v4), and one
    transaction (checkoutWithPermit) pays — no separate approval."""
    scarf, candles = mall.products[SCARF], mall.products[CANDLES]
    me = open_mall(carol)
    me.connect(carol)
    me.add_to_cart(scarf, 2)
    me.add_to_cart(candles, 1)
    me.go("cart")
    expect(me.by("cart-total-mUSD")).to_have_text("62.50 mUSD")
    expect(me.by("cart-group-mUSD")).to_contain_text("sign a spending permit")

    balance_before = mall.usd.balanceOf(carol)
    nonce_before = mall.usd.nonces(carol)
    sent_before = me.wallet_log().count("eth_sendTransaction")
    without_addresses(me, "mUSD")
    me.record_status()
    text = me.click_and_wait("checkout-mUSD")
    assert "placed" in text
    states = [state for state, _ in me.status_log()]
    assert states == ["signing", "simulating", "signing", "pending", "confirmed", "done"]
    assert "sign the permit for the mall to take 62.50 mUSD" in me.status_log()[0][1]

    log = me.wallet_log()
    assert log.count("eth_signTypedData_v4") == 1
    assert log.count("eth_sendTransaction") == sent_before + 1  # one transaction, no approve
    (permit,) = me.page.evaluate("window.__stubWallet.typedData")
    assert permit["primaryType"] == "Permit"
    assert permit["domain"]["name"] == "Mall Demo Dollar"
    assert int(permit["message"]["value"]) == 62 * USD + USD // 2
    assert mall.usd.balanceOf(carol) == balance_before - (62 * USD + USD // 2)
    assert mall.usd.nonces(carol) == nonce_before + 1
    assert mall.usd.allowance(carol, mall.marketplace) == 0

    order_id = mall.marketplace.orderCount()
    me.go("orders")
    expect(me.by(f"order-total-{order_id}")).to_have_text("62.50 mUSD")
    expect(me.by(f"line-paid-{line_id(order_id, 0)}")).to_have_text("50.00 mUSD")
    screenshot(me.page, "orders-musd")
    assert me.page.page_errors == []


def test_check_out_in_two_steps_when_the_token_has_no_permit(mall, open_mall, dave):
    """For an ERC-20 without EIP-2612 the page asks for an approval first, then pays: two
    transactions, each step named in the status region. (mUSD has a permit; the page is told
    it has none.)"""

    def without_permit(config):
        for token in config["tokens"].values():
            token["permit"] = False
        return config

    candles = mall.products[CANDLES]
    assert mall.usd.allowance(dave, mall.marketplace) == 0
    me = open_mall(dave, patch_config=without_permit)
    me.connect(dave)
    me.add_to_cart(candles, 2)
    me.go("cart")
    expect(me.by("cart-group-mUSD")).to_contain_text("Two transactions")
    balance_before = mall.usd.balanceOf(dave)
    without_addresses(me, "mUSD")
    me.record_status()
    me.click_and_wait("checkout-mUSD")

    assert me.wallet_log().count("eth_sendTransaction") == 2
    assert "eth_signTypedData_v4" not in me.wallet_log()
    messages = [message for _, message in me.status_log()]
    assert any("(step 1 of 2, allowing the mall to take 25.00 mUSD): confirm the transaction" in m for m in messages)
    assert any("(step 2 of 2, paying): confirmed in block" in m for m in messages)
    assert mall.usd.balanceOf(dave) == balance_before - 25 * USD
    assert mall.usd.allowance(dave, mall.marketplace) == 0  # exactly the total was approved
    assert me.page.page_errors == []


def test_cancel_a_paid_line(mall, open_mall, carol):
    """A line the seller has not accepted yet can be cancelled: refunded as a credit in its token."""
    spoon = mall.products[SPOON]
    (line,) = mall.checkout(carol, [(spoon, 2)])
    mall.sync()
    credit_before = mall.marketplace.creditOf(carol, ETH)

    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    expect(me.by(f"line-status-{line}")).to_have_text("Paid")
    me.click_and_wait(f"cancel-{line}")
    expect(me.by(f"line-status-{line}")).to_have_text("Cancelled")
    expect(me.by(f"cancel-{line}")).to_have_count(0)
    expect(me.by(f"line-timeline-{line}")).to_contain_text("Cancelled by the buyer; 0.05 ETH refunded")
    credit = mall.marketplace.creditOf(carol, ETH)
    assert credit == credit_before + 2 * 25 * 10**15
    expect(me.by("buyer-credit-ETH")).to_have_attribute("data-amount", str(credit))
    assert mall.marketplace.getProduct(spoon).stock == 12  # back on sale
    assert me.page.page_errors == []


def test_refusals_are_explained_in_words(mall, open_mall, screenshot, carol, alice):
    """What the contract refuses comes back as a sentence, never as hex: more than the stock,
    and a price that changed between showing the cart and paying (the cart then refreshes)."""
    towel, mug = mall.products[TOWEL], mall.products[MUG]
    me = open_mall(carol)
    me.connect(carol)

    # ---- typing nonsense is caught before the wallet
    me.by(f"qty-{towel}").fill("0")
    expect(me.by(f"qty-{towel}")).to_have_value("0")
    me.by(f"add-{towel}").click()
    expect(me.by(f"product-card-{towel}")).to_contain_text("The quantity must be at least 1.")

    # ---- more than the stock: the contract's reason, in words
    stock = mall.marketplace.getProduct(towel).stock
    me.add_to_cart(towel, stock + 2)
    me.go("cart")
    without_addresses(me, "ETH")
    text = me.click_and_wait("checkout-ETH", "failed")
    assert f"Only {stock} left in stock of “{TOWEL}” (you asked for {stock + 2})" in text
    assert not HEX_BLOB.search(text)
    screenshot(me.page, "more-than-stock")
    me.by(f"cart-remove-{towel}").click()

    # ---- a price change between view and purchase
    me.add_to_cart(mug, 1)
    me.go("cart")
    expect(me.by("cart-total-ETH")).to_have_text("0.01 ETH")
    without_addresses(me, "ETH")
    product = mall.marketplace.getProduct(mug)
    mall.marketplace.updateProduct(mug, 12 * 10**15, product.stock, sender=alice)
    mall.sync()
    text = me.click_and_wait("checkout-ETH", "failed")
    assert "A price changed: the cart now costs 0.012 ETH, not 0.01 ETH" in text
    expect(me.by("cart-total-ETH")).to_have_text("0.012 ETH")  # refreshed
    screenshot(me.page, "price-changed")
    me.click_and_wait("checkout-ETH")
    expect(me.by("cart-empty")).to_be_visible()
    assert me.page.page_errors == []


def test_token_refusals_are_explained_in_words(mall, open_mall, mallory):
    """A revert inside the payment token (here: no mUSD at all) is decoded with the token's ABI."""
    assert mall.usd.balanceOf(mallory) == 0
    me = open_mall(mallory)
    me.connect(mallory)
    me.add_to_cart(mall.products[SCARF], 1)
    me.go("cart")
    without_addresses(me, "mUSD")
    text = me.click_and_wait("checkout-mUSD", "failed")
    assert "Your account holds 0.00 mUSD, but 25.00 mUSD is needed." in text
    assert not HEX_BLOB.search(text)
    assert me.page.page_errors == []
