"""Customer service in a real browser: the buyer opens a support case from an order, the seller lets
support refund up to an amount, support replies and refunds within it (and is told in words when it
asks for more), and escalates another case to a dispute on the buyer's behalf.

The scene is set with ape; what the test is about happens through the page.
Run: ape test tests/e2e --network ethereum:local:foundry   (screenshots in test-artifacts/)
"""

from urllib.parse import quote

from eth_utils import keccak
from mall_scene import CANDLES, TOWEL
from playwright.sync_api import expect

from scripts._constants import USD

expect.set_options(timeout=20_000)


def test_case__reply_and_refund_within_the_sellers_allowance(mall, open_mall, screenshot, carol, bob, support):
    line = mall.shipped_line(carol, bob, CANDLES, token=mall.usd.address, carrier="UPS")  # 12.50 mUSD
    mall.sync()

    # ---- carol asks support from her order
    me = open_mall(carol)
    me.connect(carol)
    me.go("orders")
    me.by(f"open-case-message-{line}").fill("The candles are not here after two weeks.")
    me.click_and_wait(f"open-case-{line}")
    case_id = mall.resolution.caseCount()
    expect(me.by(f"line-cases-{line}")).to_contain_text(f"support case #{case_id} (open)")
    expect(me.by(f"line-timeline-{line}")).to_contain_text(
        f"Support case #{case_id} opened by the buyer: “The candles are not here after two weeks.”"
    )

    # ---- bob lets support refund up to 5 mUSD of the line
    me.use(bob)
    me.go("seller")
    expect(me.by(f"support-allowance-{line}")).to_have_text("Support may not refund any of this line.")
    me.by(f"support-refund-amount-{line}").fill("5")
    me.click_and_wait(f"support-refund-{line}")
    expect(me.by(f"support-allowance-{line}")).to_have_text("Support may refund up to 5.00 mUSD of this line.")
    assert mall.resolution.supportRefundAllowance(line) == 5 * USD

    # ---- support answers, is refused more than the allowance, refunds within it
    staff = open_mall(support)
    staff.connect(support)
    staff.go("support")
    expect(staff.by("support-staff")).to_be_visible()
    expect(staff.by(f"case-messages-{case_id}")).to_contain_text("The candles are not here after two weeks.")
    expect(staff.by(f"case-allowance-{case_id}")).to_have_text("5.00 mUSD")
    staff.by(f"reply-text-{case_id}").fill("Sorry! We refund part of it while the carrier looks for them.")
    staff.click_and_wait(f"reply-{case_id}")
    expect(staff.by(f"case-messages-{case_id}")).to_contain_text("We refund part of it")
    staff.by(f"refund-case-amount-{case_id}").fill("6")
    text = staff.click_and_wait(f"refund-case-{case_id}", "failed")
    assert (
        "A refund of 6.00 mUSD is more than the 5.00 mUSD the seller lets support refund of line 1 of order #" in text
    )
    credit_before = mall.marketplace.creditOf(carol, mall.usd)
    staff.by(f"refund-case-amount-{case_id}").fill("4")
    staff.click_and_wait(f"refund-case-{case_id}")
    expect(staff.by(f"case-allowance-{case_id}")).to_have_text("1.00 mUSD")
    expect(staff.by(f"case-escrow-{case_id}")).to_have_text("8.50 mUSD")
    expect(staff.by(f"case-refunded-{case_id}")).to_have_text("4.00 mUSD")
    assert mall.marketplace.creditOf(carol, mall.usd) == credit_before + 4 * USD
    assert mall.marketplace.getLine(line).amount == 8_500_000
    screenshot(staff.page, "support-refunded")
    staff.click_and_wait(f"close-case-{case_id}")
    expect(staff.by(f"case-{case_id}")).to_have_count(0)  # no longer among the open cases

    # ---- carol sees the answer and her refund
    me.use(carol)
    me.go("support")
    expect(me.by(f"my-case-status-{case_id}")).to_have_text("Closed")
    expect(me.by(f"my-case-messages-{case_id}")).to_contain_text("We refund part of it")
    me.go("orders")
    expect(me.by("buyer-credit-mUSD")).to_have_attribute("data-amount", str(credit_before + 4 * USD))
    expect(me.by(f"line-timeline-{line}")).to_contain_text("Support refunded 4.00 mUSD")
    screenshot(me.page, "buyer-after-support")
    assert me.page.page_errors == [] and staff.page.page_errors == []


def test_case__escalated_to_a_dispute_for_the_buyer(mall, open_mall, screenshot, dave, bob, support):
    line = mall.shipped_line(dave, bob, TOWEL)
    question = "The towel is torn."
    receipt = mall.resolution.openCase(
        line, "data:text/plain;charset=utf-8," + quote(question), keccak(text=question), sender=dave
    )
    case_id = receipt.events.filter(mall.resolution.CaseOpened)[0].caseId
    mall.sync()

    staff = open_mall(support)
    staff.connect(support)
    staff.go("support")
    expect(staff.by(f"case-messages-{case_id}")).to_contain_text(question)
    expect(staff.by(f"refund-case-{case_id}")).to_have_count(0)  # the seller allowed no refund
    staff.by(f"escalate-case-reason-{case_id}").fill("The seller does not answer the buyer.")
    staff.click_and_wait(f"escalate-case-{case_id}")
    expect(staff.by(f"case-status-{case_id}")).to_have_text("Escalated")
    expect(staff.by(f"case-dispute-{case_id}")).to_contain_text("Settle by")
    staff.by(f"support-evidence-text-{case_id}").fill("https://carrier.example/claims/4711")
    staff.click_and_wait(f"support-evidence-{case_id}")
    expect(staff.by(f"case-evidence-{case_id}")).to_contain_text("https://carrier.example/claims/4711")
    screenshot(staff.page, "support-escalated")

    buyer = open_mall(dave)
    buyer.connect(dave)
    buyer.go("orders")
    expect(buyer.by(f"line-status-{line}")).to_have_text("Disputed")
    expect(buyer.by(f"dispute-reason-{line}")).to_contain_text("Raised by support, for the buyer on")
    expect(buyer.by(f"dispute-reason-{line}")).to_contain_text("“The seller does not answer the buyer.”")
    assert staff.page.page_errors == [] and buyer.page.page_errors == []
