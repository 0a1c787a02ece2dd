"""Disputes in a real browser: the buyer raises one, the seller proposes a split, the buyer accepts
it (credits shown); an escalation after the settlement period, the arbiter's draw and ruling from
the arbiter's own wallet; a late arbiter replaced through the arbiter page; and a delivery the
logistics oracle attested.

The scene is set with ape; what the test is about happens through the page.
Run: ape test tests/e2e --network ethereum:local:foundry   (screenshots in test-artifacts/)
"""

from mall_scene import ATTESTER, MUG, SCARF, SPOON, TOWEL
from playwright.sync_api import expect

from oracle.attestation import Delivery, Domain, sign_delivery, tracking_hash
from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status
from scripts.deploy import DEFAULT_WINDOWS

expect.set_options(timeout=20_000)


def musd(units: int) -> str:
    """As the page writes mUSD: every significant digit, at least two decimals."""
    whole, fraction = divmod(units, USD)
    digits = f"{fraction:06d}".rstrip("0").ljust(2, "0")
    return f"{whole:,}.{digits} mUSD"


def arbiter_of(mall, line, *candidates):
    drawn = mall.resolution.getDispute(line).arbiter
    return next(account for account in candidates if account.address == drawn)


def test_raise_propose_accept__credits_shown(mall, open_mall, screenshot, carol, alice):
    """carol raises a dispute on a shipped mug; alice proposes that carol gets 60%, in words and
    amounts; carol accepts: the escrow is split and both credits are shown."""
    line = mall.shipped_line(carol, alice, MUG)  # 0.01 ETH
    mall.sync()

    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    expect(me.by(f"line-status-{line}")).to_have_text("Shipped")
    me.by(f"raise-reason-{line}").fill("The mug arrived with a chipped rim.")
    me.click_and_wait(f"raise-{line}")
    expect(me.by(f"line-status-{line}")).to_have_text("Disputed")
    expect(me.by(f"dispute-reason-{line}")).to_contain_text("Raised by you")
    expect(me.by(f"dispute-deadline-{line}")).to_contain_text("Settle by")
    expect(me.by(f"escalate-after-{line}")).to_contain_text("you can ask for an arbiter after")
    expect(me.by(f"line-timeline-{line}")).to_contain_text(
        "Dispute raised by you: “The mug arrived with a chipped rim.”"
    )
    assert mall.marketplace.getLine(line).status == Status.DISPUTED

    # ---- alice proposes a split: the form says what it means before she sends it
    me.use(alice)
    me.go("seller")
    expect(me.by(f"sale-status-{line}")).to_have_text("Disputed")
    me.by(f"propose-share-{line}").fill("60")
    expect(me.by(f"propose-preview-{line}")).to_have_text(
        "If accepted: the buyer gets 60% (0.006 ETH); you get 40% (0.0039 ETH after the platform fee)."
    )
    me.click_and_wait(f"propose-{line}")
    expect(me.by(f"dispute-offer-mine-{line}")).to_contain_text("Your proposal: the buyer gets 60% (0.006 ETH)")
    screenshot(me.page, "seller-proposed")

    # ---- carol sees it as "you get 60%" and accepts
    me.use(carol)
    me.go("orders")
    expect(me.by(f"dispute-offer-theirs-{line}")).to_have_text(
        "The seller proposes: you get 60% (0.006 ETH); the seller gets 0.0039 ETH after the platform fee."
    )
    screenshot(me.page, "buyer-sees-offer")
    carol_before, alice_before = mall.marketplace.creditOf(carol, ETH), mall.marketplace.creditOf(alice, ETH)
    me.click_and_wait(f"accept-offer-{line}")
    expect(me.by(f"line-status-{line}")).to_have_text("Resolved")
    expect(me.by(f"dispute-outcome-{line}")).to_have_text(
        "Settled by agreement: you get 60% (0.006 ETH); the seller gets 0.0039 ETH after the platform fee."
    )
    assert mall.marketplace.creditOf(carol, ETH) == carol_before + 6 * 10**15
    assert mall.marketplace.creditOf(alice, ETH) == alice_before + 39 * 10**14
    expect(me.by("buyer-credit-ETH")).to_have_attribute("data-amount", str(carol_before + 6 * 10**15))
    expect(me.by(f"line-timeline-{line}")).to_contain_text("Dispute resolved: buyer 0.006 ETH, seller 0.0039 ETH")
    screenshot(me.page, "buyer-settled")

    me.use(alice)
    me.go("seller")
    expect(me.by("seller-credit-ETH")).to_have_attribute("data-amount", str(alice_before + 39 * 10**14))
    expect(me.by(f"dispute-outcome-{line}")).to_contain_text("you get 40% (0.0039 ETH after the platform fee)")
    assert me.page.page_errors == []


def test_escalate_draw_and_the_arbiter_rules(mall, open_mall, screenshot, carol, alice, arbiter1, arbiter2):
    """No agreement on a scarf (25 mUSD): after the settlement period carol asks for an arbiter
    (escalation and draw, two transactions); the drawn arbiter reads the evidence and rules 75%
    for carol from their own wallet; the arbiter's fee and carol's credit are shown."""
    line = mall.shipped_line(carol, alice, SCARF, token=mall.usd.address)
    mall.resolution.raiseDispute(line, "Wrong size: M instead of L.", sender=carol)
    mall.resolution.proposeSettlement(line, 10_000, sender=carol)
    mall.resolution.proposeSettlement(line, 1_000, sender=alice)
    mall.sync()

    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    expect(me.by(f"escalate-{line}")).to_have_count(0)  # the settlement period runs
    me.by(f"evidence-text-{line}").fill("The label says M; I ordered L.")
    me.click_and_wait(f"evidence-{line}")
    expect(me.by(f"line-timeline-{line}")).to_contain_text("Evidence from you: “The label says M; I ordered L.”")

    mall.travel(DEFAULT_WINDOWS["settlementWindow"] + 60)
    me.go("catalog")
    me.go("orders")
    expect(me.by(f"dispute-deadline-{line}")).to_contain_text("either party can now ask for an arbiter")
    me.click_and_wait(f"escalate-{line}")  # escalate, then draw from the next block
    expect(me.by(f"dispute-deadline-{line}")).to_contain_text("must rule by")
    arbiter = arbiter_of(mall, line, arbiter1, arbiter2)
    fee_bps = 200 if arbiter == arbiter1 else 300
    screenshot(me.page, "buyer-escalated")

    # ---- the arbiter's queue, the evidence, the ruling
    judge = open_mall(arbiter)
    judge.connect(arbiter)
    judge.go("arbiter")
    expect(judge.by("arbiter-registration")).to_contain_text(f"your fee is {fee_bps // 100}%")
    expect(judge.by(f"arbiter-case-{line}")).to_contain_text("Wrong size: M instead of L.")
    expect(judge.by(f"arbiter-evidence-{line}")).to_contain_text("The label says M; I ordered L.")
    expect(judge.by(f"arbiter-escrow-{line}")).to_have_text("25.00 mUSD")
    judge.by(f"rule-share-{line}").fill("75")
    arbiter_fee = 25 * USD * fee_bps // 10_000
    buyer_amount = (25 * USD - arbiter_fee) * 75 // 100
    expect(judge.by(f"rule-preview-{line}")).to_contain_text(f"the buyer gets 75% ({musd(buyer_amount)})")
    judge.by(f"rule-reason-{line}").fill("The label shows the wrong size was sent.")
    screenshot(judge.page, "arbiter-ruling")
    judge.click_and_wait(f"rule-{line}")
    expect(judge.by("arbiter-queue-empty")).to_be_visible()
    assert mall.resolution.getDispute(line).status == 4  # Ruled
    assert mall.marketplace.creditOf(arbiter, mall.usd) >= arbiter_fee
    expect(judge.by("arbiter-credit-mUSD")).to_have_attribute(
        "data-amount", str(mall.marketplace.creditOf(arbiter, mall.usd))
    )
    screenshot(judge.page, "arbiter-fees")

    me.go("catalog")
    me.go("orders")
    expect(me.by(f"line-status-{line}")).to_have_text("Resolved")
    expect(me.by(f"dispute-outcome-{line}")).to_contain_text(
        f"Ruled by the arbiter {arbiter.address[:6]}…{arbiter.address[-4:]}: you get 75%"
    )
    expect(me.by("buyer-credit-mUSD")).to_have_attribute("data-amount", str(mall.marketplace.creditOf(carol, mall.usd)))
    screenshot(me.page, "buyer-ruled")
    assert me.page.page_errors == [] and judge.page.page_errors == []


def test_a_late_arbiter_is_replaced_from_the_arbiter_page(
    mall, open_mall, screenshot, dave, bob, mallory, arbiter1, arbiter2
):
    """The drawn arbiter lets the ruling deadline pass: anyone (mallory) calls the timeout on the
    arbiter page, the dispute waits for a new arbiter, and mallory draws one (never the same)."""
    line = mall.shipped_line(dave, bob, TOWEL)
    mall.resolution.raiseDispute(line, "Never arrived.", sender=dave)
    mall.travel(DEFAULT_WINDOWS["settlementWindow"] + 60)
    mall.resolution.escalate(line, sender=bob)
    mall.resolution.drawArbiter(line, sender=mallory)
    late = arbiter_of(mall, line, arbiter1, arbiter2)
    mall.travel(DEFAULT_WINDOWS["rulingWindow"] + 60)

    me = open_mall(mallory)
    me.connect(mallory)
    me.go("arbiter")
    expect(me.by("arbiter-registration")).to_contain_text("not a registered arbiter")
    expect(me.by(f"arbiter-waiting-{line}")).to_contain_text("missed the ruling deadline")
    me.click_and_wait(f"arbiter-timeout-{line}")
    expect(me.by(f"arbiter-draw-{line}")).to_be_visible()
    screenshot(me.page, "arbiter-waiting-for-draw")
    me.click_and_wait(f"arbiter-draw-{line}")
    expect(me.by(f"arbiter-waiting-{line}")).to_have_count(0)
    dispute = mall.resolution.getDispute(line)
    assert (dispute.round, dispute.excludedArbiter) == (1, late.address)
    assert dispute.arbiter not in (late.address, "0x" + "00" * 20)
    assert me.page.page_errors == []


def test_delivered_by_the_logistics_oracle(mall, open_mall, carol, alice, mallory, chain):
    """The carrier's attestation, relayed to the oracle by anyone, delivers the line: the order says so."""
    tracking = "JD014600007777"
    line = mall.shipped_line(carol, alice, SPOON, tracking=tracking)
    now = chain.blocks.head.timestamp
    delivery = Delivery(
        line_id=line, tracking_hash=tracking_hash(tracking), delivered_at=now, nonce=line, deadline=now + 3600
    )
    signature = sign_delivery(ATTESTER.key, Domain.from_eip5267(mall.oracle.eip712Domain()), delivery)
    mall.oracle.attestDelivery(delivery.as_tuple(), signature, sender=mallory)
    mall.sync()

    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    expect(me.by(f"line-status-{line}")).to_have_text("Delivered")
    expect(me.by(f"line-delivered-by-{line}")).to_have_text("Delivered by the logistics oracle")
    expect(me.by(f"line-timeline-{line}")).to_contain_text("Delivery confirmed by the logistics oracle")
    assert me.page.page_errors == []
