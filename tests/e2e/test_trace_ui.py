"""Provenance, reviews, profiles and sealed shipping details in a real browser: a product page with its
provenance timeline, reviews and the seller's reputation; the seller registering a batch, authorising a
participant, recording events and linking a shipped line; a review, its amendment and the seller's
reply; a checkout that seals the address to the seller's key (refusing a missing or unsafe key in
words) and the seller's page opening it; the buyer resealing it for the arbiter of an escalated dispute.

The scene is set with ape; what the test is about happens through the page.
Run: ape test tests/e2e --network ethereum:local:foundry   (screenshots in test-artifacts/)
"""

import re
from datetime import UTC, datetime

from ape import accounts, chain
from eth_utils import keccak
from mall_scene import CANDLES, MUG, SCARF, SPOON, TOWEL, line_id
from nacl.public import PrivateKey
from playwright.sync_api import expect
from trace_scene import ADDRESS, INSPECTOR, LOW_ORDER_KEY, batch, completed, record, review, shipped, text_uri, trace_of

from scripts.deploy import DEFAULT_WINDOWS

expect.set_options(timeout=20_000)
DOC = keccak(text="Certificate of origin, lot 2026-07")


def open_product(me, product_id: int) -> None:
    me.go("catalog")
    me.by(f"product-link-{product_id}").click()
    expect(me.by("product-page")).to_have_attribute("data-product", str(product_id))


def test_product_page__provenance_timeline_reviews_and_reputation(
    mall, open_mall, screenshot, alice, carol, dave, treasury
):
    """Anyone sees where a mug comes from (its batch, who took part, each step with place, time, who,
    document hash and transaction), what its buyers said (an amendment keeps the first version, the
    seller's reply under it) and the seller's reputation: average, count, a bar per rating."""
    trace = trace_of(mall)
    mug = mall.products[MUG]
    trace.profiles.setProfile("Alice's Pottery", "", PrivateKey.generate().public_key.encode(), sender=alice)
    lot = batch(trace, mug, alice)
    trace.provenance.authorizeParticipant(lot, treasury, INSPECTOR, sender=alice)
    now = chain.blocks.head.timestamp
    record(trace, lot, "inspecting", by=treasury, at=now - 60, place="Stoke-on-Trent", disposition="conformant",
           doc=DOC, uri="ipfs://bafy-certificate")  # fmt: skip
    record(trace, lot, "commissioning", by=alice, at=now - 86_400, place="urn:epc:id:sgln:4012345.00001.0")
    carols, daves = completed(mall, carol, alice, MUG), completed(mall, dave, alice, MUG)
    review(trace, carols, 4, "Lovely glaze, a little small.", by=carol)
    review(trace, daves, 2, "Arrived chipped.", by=dave)
    review(trace, daves, 5, "Replaced at once: perfect now.", by=dave, amend=True)
    trace.reviews.replyToReview(carols, text_uri("Thank you!"), keccak(text="Thank you!"), sender=alice)
    mall.sync()

    me = open_mall(carol)
    open_product(me, mug)
    page = me.by("product-page")
    expect(page).to_contain_text(MUG)
    expect(me.by("product-seller")).to_contain_text("Alice's Pottery")
    expect(me.by("product-seller").locator("[data-badge='seller']")).to_be_visible()
    expect(me.by("product-reputation")).to_have_attribute("data-count", "2")
    expect(me.by("product-reputation-average")).to_have_text("4.5 out of 5")
    expect(me.by("product-reputation-bar-5")).to_have_attribute("data-count", "1")
    expect(me.by("product-reputation-bar-4")).to_have_attribute("data-count", "1")
    expect(me.by("product-reputation-bar-2")).to_have_attribute("data-count", "0")  # amended away, still in history

    # ---- the batch: who took part, and its steps in the order they happened
    expect(me.by(f"participants-{lot}")).to_contain_text("Alice's Pottery")
    expect(me.by(f"participant-{lot}-{treasury.address}")).to_contain_text("inspector")
    first, second = me.by(f"batch-{lot}-events-0"), me.by(f"batch-{lot}-events-1")
    expect(first).to_have_attribute("data-biz-step", "commissioning")
    expect(first).to_contain_text("as seller")
    expect(second).to_contain_text("Inspecting")
    expect(me.by(f"batch-{lot}-events-1-disposition")).to_have_text("Conformant")
    expect(me.by(f"batch-{lot}-events-1-place")).to_have_text("Stoke-on-Trent")
    expect(me.by(f"batch-{lot}-events-1-doc")).to_have_attribute("title", "Hash 0x" + DOC.hex())
    expect(second.locator("a[href='ipfs://bafy-certificate']")).to_have_count(1)
    expect(second.locator(".tx-hash")).to_have_attribute("title", re.compile(r"^Transaction 0x[0-9a-f]{64}$"))

    # ---- reviews: newest first, the amendment with its first version, the seller's reply
    expect(me.by(f"product-review-{daves}-text")).to_have_text("Replaced at once: perfect now.")
    expect(me.by(f"product-review-{daves}-amended")).to_be_visible()
    expect(me.by(f"product-review-{daves}-history")).to_contain_text("Arrived chipped.")
    expect(me.by(f"product-review-{carols}-stars")).to_have_attribute("data-rating", "4")
    expect(me.by(f"product-review-{carols}-reply")).to_contain_text("Thank you!")
    screenshot(me.page, "product-page")
    assert me.page.page_errors == []


def test_seller_registers_a_batch__authorises__records__links_a_shipped_line(
    mall, open_mall, screenshot, alice, carol, mallory
):
    """alice, on her spoon's page: registers a batch, authorises mallory as its carrier, records a step
    (and is told in words when the business step is missing), revokes mallory; then, in her order
    queue, links a shipped spoon to that batch and records a parcel event on it; the buyer sees the
    whole story on the line."""
    spoon = mall.products[SPOON]
    line = shipped(mall, carol, alice, SPOON)
    mall.sync()
    me = open_mall(alice)
    me.connect(alice)
    open_product(me, spoon)
    expect(me.by("provenance-empty")).to_be_visible()
    me.by(f"register-batch-uri-{spoon}").fill("ipfs://bafy-walnut-lot-9")
    me.click_and_wait(f"register-batch-{spoon}")
    lot = trace_of(mall).provenance.batchCount()
    expect(me.by(f"batch-{lot}")).to_contain_text("ipfs://bafy-walnut-lot-9")

    me.by(f"authorize-account-{lot}").fill(mallory.address)
    me.by(f"authorize-role-{lot}").select_option("Carrier")
    me.click_and_wait(f"authorize-{lot}")
    expect(me.by(f"participant-{lot}-{mallory.address}")).to_contain_text("carrier")

    me.by(f"record-open-{lot}").click()
    me.by(f"record-place-{lot}").fill("Leith workshop")
    me.by(f"record-{lot}").click()
    expect(me.page.locator(f"#record-error-{lot}")).to_have_text("Choose or type the business step.")
    me.by(f"record-step-{lot}").fill("packing")
    packed = datetime.fromtimestamp(chain.blocks.head.timestamp - 86_400, UTC)  # the page's time zone is UTC
    me.by(f"record-when-{lot}").fill(packed.strftime("%Y-%m-%dT%H:%M:%S"))
    me.by(f"record-disposition-{lot}").fill("in_progress")
    me.click_and_wait(f"record-{lot}")
    expect(me.by(f"batch-{lot}-events-0")).to_contain_text("Packing")
    expect(me.by(f"batch-{lot}-events-0-place")).to_have_text("Leith workshop")
    me.click_and_wait(f"revoke-{lot}-{mallory.address}")
    expect(me.by(f"participant-{lot}-{mallory.address}")).to_have_attribute("data-active", "false")
    assert trace_of(mall).provenance.roleOf(lot, mallory) == 0
    screenshot(me.page, "seller-provenance")

    me.go("seller")
    me.by(f"link-batch-{line}").select_option(str(lot))
    me.click_and_wait(f"link-{line}")
    assert trace_of(mall).provenance.batchOfLine(line) == lot
    me.by(f"record-line-open-{line}").click()
    me.by(f"record-line-step-{line}").fill("departing")
    me.by(f"record-line-place-{line}").fill("Edinburgh depot")
    me.click_and_wait(f"record-line-{line}")
    expect(me.by(f"sale-timeline-{line}")).to_contain_text("Departing at Edinburgh depot, recorded by you")

    me.use(carol)
    me.go("orders")
    me.by(f"story-open-{line}").click()
    expect(me.by(f"story-{line}-batch")).to_contain_text(f"Shipped from batch #{lot}")
    steps = me.by(f"story-{line}").locator("li")
    expect(steps).to_have_count(5)  # packing (the batch), ordered, accepted, shipped, departing (the parcel)
    expect(steps.nth(0)).to_contain_text("Packing")
    expect(steps.nth(3)).to_contain_text("Handed to the carrier with DHL")
    expect(steps.nth(4)).to_contain_text("this parcel")
    screenshot(me.page, "buyer-line-story")
    assert me.page.page_errors == []


def test_review__amendment__and_the_sellers_reply(mall, open_mall, screenshot, bob, carol):
    """carol reviews her completed towel line (a rating is required), amends it; bob, its seller,
    replies once; the product page shows the current rating with the first version kept."""
    line = completed(mall, carol, bob, TOWEL)
    mall.sync()
    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    me.by(f"review-text-{line}").fill("Soft, but the hem came loose.")
    me.by(f"review-{line}").click()
    expect(me.page.locator(f"#review-error-{line}")).to_have_text("Choose a rating from 1 to 5 stars.")
    me.by(f"review-rating-{line}-3").check()
    me.click_and_wait(f"review-{line}")
    expect(me.by(f"line-review-{line}-stars")).to_have_attribute("data-rating", "3")
    assert trace_of(mall).reviews.reviewOf(line)[1] == 3

    me.by(f"amend-open-{line}").click()
    me.by(f"amend-rating-{line}-5").check()
    me.by(f"amend-text-{line}").fill("The seller sent a new one: lovely.")
    me.click_and_wait(f"amend-{line}")
    expect(me.by(f"line-review-{line}-text")).to_have_text("The seller sent a new one: lovely.")
    expect(me.by(f"line-review-{line}-history")).to_contain_text("Soft, but the hem came loose.")

    me.use(bob)
    me.go("seller")
    me.by(f"reply-text-{line}").fill("Glad it worked out!")
    me.click_and_wait(f"reply-{line}")
    expect(me.by(f"line-review-{line}-reply")).to_contain_text("Glad it worked out!")
    expect(me.by(f"reply-{line}")).to_have_count(0)  # once only
    expect(me.by("seller-reputation")).to_contain_text("5.0 out of 5")
    screenshot(me.page, "seller-replied")

    open_product(me, mall.products[TOWEL])
    expect(me.by(f"product-review-{line}-stars")).to_have_attribute("data-rating", "5")
    expect(me.by(f"product-review-{line}-reply")).to_contain_text("Glad it worked out!")
    assert me.page.page_errors == []


def test_checkout_seals_the_address__the_sellers_page_opens_it(mall, open_mall, screenshot, alice, bob, carol):
    """alice's profile publishes a key her wallet does not recreate (made elsewhere): her profile page
    says so and publishes this wallet's key (a signature, nothing stored). carol's cart holds a scarf
    from alice and candles from bob, whose published key is unsafe: the page refuses to seal to it and
    says why; carol buys from bob without sending him an address, and her address goes to alice sealed,
    right after the checkout. alice's order queue opens it."""
    trace = trace_of(mall)
    trace.profiles.setProfile("Alice's Pottery", "", PrivateKey.generate().public_key.encode(), sender=alice)
    trace.profiles.setProfile("Bob's Candles", "", LOW_ORDER_KEY, sender=bob)
    mall.sync()

    me = open_mall(alice)
    me.connect(alice)
    me.go("profile")
    expect(me.by("profile-key-status")).to_have_attribute("data-has-key", "true")
    me.click_and_wait("profile-check-key")
    expect(me.by("profile-key-check")).to_contain_text("This wallet gives a different key")
    me.click_and_wait("profile-replace-key")
    me.click_and_wait("profile-check-key")
    expect(me.by("profile-key-check")).to_contain_text("This wallet recreates your published key")
    expect(me.by("profile-display-name")).to_have_text("Alice's Pottery")
    expect(me.by("profile-badges")).to_contain_text("seller")
    signed = me.page.evaluate("window.__stubWallet.typedData")
    assert [message["primaryType"] for message in signed] == ["EncryptionKey"] * 3
    screenshot(me.page, "profile-key")

    me.use(carol)
    me.add_to_cart(mall.products[SCARF], 1)
    me.add_to_cart(mall.products[CANDLES], 1)
    me.go("cart")
    me.by(f"ship-address-mUSD-{alice.address}").fill(ADDRESS)
    me.by(f"ship-address-mUSD-{bob.address}").fill(ADDRESS)
    orders_before = mall.marketplace.orderCount()
    text = me.click_and_wait("checkout-mUSD", "failed")
    assert "Checkout not started" in text and "The encryption key is unsafe" in text
    expect(me.by(f"ship-error-mUSD-{bob.address}")).to_contain_text("Bob's Candles: The encryption key is unsafe")
    assert mall.marketplace.orderCount() == orders_before  # nothing was paid
    screenshot(me.page, "checkout-refused")

    me.by(f"ship-address-mUSD-{bob.address}").fill("")
    me.by(f"ship-skip-mUSD-{bob.address}").check()
    me.click_and_wait("checkout-mUSD")  # pays
    order = mall.marketplace.orderCount()
    expect(me.status).to_contain_text("Sending your sealed address to the seller")
    expect(me.status).to_have_attribute("data-state", "done")
    scarf_line = next(
        line_id(order, i)
        for i in range(2)
        if mall.marketplace.getLine(line_id(order, i)).productId == mall.products[SCARF]
    )
    posted = list(trace.profiles.ShippingDetailsPosted.range(0, chain.blocks.height + 1))
    assert [(log.lineId, log.recipient) for log in posted] == [(scarf_line, alice.address)]
    assert ADDRESS.encode() not in bytes(posted[0].ciphertext)

    me.use(alice)
    me.go("seller")
    me.by(f"show-address-{scarf_line}").click()
    expect(me.by(f"address-{scarf_line}")).to_have_text(ADDRESS)
    screenshot(me.page, "seller-opened-address")
    me.by(f"hide-address-{scarf_line}").click()
    expect(me.by(f"address-{scarf_line}")).to_have_count(0)
    assert me.page.page_errors == []


def test_buyer_reseals_the_address_for_the_arbiter__who_opens_it(mall, open_mall, screenshot, carol, alice, mallory):
    """A dispute on carol's mug is escalated and an arbiter drawn: carol's card offers to share her
    address with that arbiter, and refuses in words while the arbiter has no key. Once the arbiter
    created one on their profile, carol's address is sealed to it, and the arbiter's page opens it."""
    trace = trace_of(mall)
    line = shipped(mall, carol, alice, MUG)
    mall.resolution.raiseDispute(line, "It never arrived.", sender=carol)
    mall.travel(DEFAULT_WINDOWS["settlementWindow"] + 60)
    mall.resolution.escalate(line, sender=carol)
    mall.resolution.drawArbiter(line, sender=mallory)
    arbiter = next(a for a in accounts.test_accounts if a.address == mall.resolution.getDispute(line).arbiter)
    mall.sync()

    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    expect(me.by(f"share-address-panel-{line}")).to_be_visible()
    me.by(f"share-address-address-{line}").fill(ADDRESS)
    me.by(f"share-address-{line}").click()
    expect(me.page.locator(f"#share-address-error-{line}")).to_contain_text(
        "No encryption key: the recipient has not published one in their profile"
    )

    me.use(arbiter)
    me.go("profile")
    me.click_and_wait("profile-create-key")
    expect(me.by("profile-badges")).to_contain_text("arbiter")

    me.use(carol)
    me.go("orders")
    me.click_and_wait(f"share-address-{line}")
    (posted,) = list(
        trace.profiles.ShippingDetailsPosted.range(0, chain.blocks.height + 1, search_topics={"lineId": line})
    )
    assert posted.recipient == arbiter.address and ADDRESS.encode() not in bytes(posted.ciphertext)
    screenshot(me.page, "buyer-shared-address")

    me.use(arbiter)
    me.go("arbiter")
    me.by(f"show-address-{line}").click()
    expect(me.by(f"address-{line}")).to_have_text(ADDRESS)
    screenshot(me.page, "arbiter-opened-address")
    assert me.page.page_errors == []
