"""A buyer and a seller use the mall in a real browser, through a MetaMask-like wallet.

carol connects (picking her wallet among two, the dApp adding and switching to its chain),
is told in words why buying more than the stock fails and that she rejected a request, buys
two mugs, sees the order as Paid, confirms delivery (Completed); then the wallet switches to
alice — no reload — who sees her credit and withdraws it to her account.

Run: ape test tests/e2e --network ethereum:local:foundry   (screenshots in test-artifacts/)
"""

import re

from playwright.sync_api import expect

MUG = "Hand-thrown stoneware mug"
TOWEL = "Linen tea towel"
MUG_PRICE = 10**16  # 0.01 ETH, as listed in conftest.PRODUCTS
HEX_BLOB = re.compile(r"0x[0-9a-fA-F]{10,}")

expect.set_options(timeout=20_000)


def test_buy_confirm_withdraw(mall, open_mall, dev_key, screenshot, carol, alice, chain):
    mug, towel = mall.products[MUG], mall.products[TOWEL]
    page = open_mall(dev_key(carol))
    by = page.get_by_test_id
    status = by("tx-status")

    # ---- the catalog, before connecting
    expect(by(f"product-card-{mug}")).to_contain_text(MUG)
    expect(by(f"price-{mug}")).to_have_text("0.01 ETH")
    expect(by(f"stock-{mug}")).to_have_text("38")
    expect(by(f"stock-{towel}")).to_have_text("3")
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
    assert {"wallet_switchEthereumChain", "wallet_addEthereumChain"} <= set(page.evaluate("window.__stubWallet.log"))

    # ---- more than the stock: the contract's reason, in words
    by(f"qty-{towel}").fill("5")
    by(f"buy-{towel}").click()
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_contain_text("Only 3 left in stock (you asked for 5)")
    assert not HEX_BLOB.search(status.inner_text())
    screenshot(page, "more-than-stock")

    # ---- rejecting in the wallet
    page.evaluate("window.__stubWallet.rejectNext()")
    by(f"qty-{towel}").fill("1")
    by(f"buy-{towel}").click()
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_contain_text("You rejected the request in your wallet")
    assert mall.marketplace.getProduct(towel).stock == 3

    # ---- buy two mugs
    by(f"qty-{mug}").fill("2")
    by(f"buy-{mug}").click()
    expect(status).to_have_attribute("data-state", "done")
    expect(status).to_contain_text("confirmed in block")
    expect(by(f"stock-{mug}")).to_have_text("36")
    assert mall.marketplace.getProduct(mug).stock == 36
    order_id = mall.marketplace.orderCount()
    screenshot(page, "bought")

    # ---- my orders: Paid, then confirm delivery → Completed
    by("nav-orders").click()
    expect(by(f"order-{order_id}")).to_contain_text(MUG)
    expect(by(f"order-status-{order_id}")).to_have_text("Paid")
    screenshot(page, "orders-paid")
    by(f"confirm-{order_id}").click()
    expect(status).to_have_attribute("data-state", "done")
    expect(by(f"order-status-{order_id}")).to_have_text("Completed")
    expect(by(f"confirm-{order_id}")).to_have_count(0)
    screenshot(page, "orders-completed")

    # ---- the wallet switches to alice (accountsChanged); the page must not reload
    page.evaluate("window.__sameDocument = true")
    page.evaluate("key => window.__stubWallet.useKey(key)", dev_key(alice))
    expect(by("account")).to_have_attribute("data-address", alice.address)
    by("nav-seller").click()
    expect(by("credit")).to_have_attribute("data-wei", str(2 * MUG_PRICE))
    expect(by("credit")).to_have_text("0.02 ETH")
    expect(by(f"sale-status-{order_id}")).to_have_text("Completed")
    expect(by("withdraw-button")).to_be_enabled()
    assert page.evaluate("window.__sameDocument") is True
    screenshot(page, "seller-credit")

    # ---- withdraw: credit goes to 0 and alice's balance goes up by it, less gas
    balance_before = alice.balance
    by("withdraw-button").click()
    expect(status).to_have_attribute("data-state", "done")
    expect(by("credit")).to_have_attribute("data-wei", "0")
    expect(by("withdrawn")).to_have_attribute("data-wei", str(2 * MUG_PRICE))
    expect(by("withdraw-button")).to_be_disabled()
    gained = alice.balance - balance_before
    assert 2 * MUG_PRICE - 10**15 < gained < 2 * MUG_PRICE  # 0.02 ETH minus well under 0.001 ETH of gas
    assert mall.marketplace.creditOf(alice) == 0
    screenshot(page, "seller-withdrawn")

    # ---- alice lists a new product with the form; it shows up in the catalog
    page.get_by_text("List a product").click()
    by("list-name").fill("Beeswax candle")
    by("list-category").fill("Home")
    by("list-description").fill("Hand-poured, burns 20 hours.")
    by("list-price").fill("0.004")
    by("list-stock").fill("7")
    by("list-submit").click()
    expect(status).to_have_attribute("data-state", "done")
    candle = mall.marketplace.productCount()
    assert mall.marketplace.getProduct(candle) == (alice.address, 4 * 10**15, 7)
    by("nav-catalog").click()
    expect(by(f"product-card-{candle}")).to_contain_text("Beeswax candle")
    expect(by(f"product-card-{candle}")).to_contain_text("Your listing")
    expect(by(f"price-{candle}")).to_have_text("0.004 ETH")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    screenshot(page, "catalog-narrow")

    assert page.page_errors == []
