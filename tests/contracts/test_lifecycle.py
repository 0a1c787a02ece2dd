"""Every transition of an order line, and every way each one refuses, with the exact error."""

import ape
import pytest
from ape import chain
from eth_utils import keccak

from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status

TRACKING = "JD014600006281"

PRICE = 10**16  # 0.01 ETH, as the list_product fixture's default


# ---------------------------------------------------------------- listing


def test_list_product__registers_seller_stores_and_emits(marketplace, alice):
    receipt = marketplace.listProduct(ETH, PRICE, 5, "ipfs://mug", sender=alice)
    assert receipt.events == [
        marketplace.MemberRegistered(memberId=1, account=alice),
        marketplace.ProductListed(productId=1, sellerId=1, token=ETH, price=PRICE, stock=5, metadataURI="ipfs://mug"),
    ]
    assert marketplace.getProduct(1) == (1, 0, PRICE, 5)
    assert marketplace.memberOf(1) == alice.address
    # A second listing reuses the member id.
    receipt = marketplace.listProduct(ETH, PRICE, 1, "ipfs://bowl", sender=alice)
    assert [e.event_name for e in receipt.events] == ["ProductListed"]


def test_list_product__in_stablecoin(marketplace, usd, alice):
    marketplace.listProduct(usd, 25 * USD, 3, "ipfs://coffee", sender=alice)
    assert marketplace.getProduct(1).tokenId == 1
    assert marketplace.tokenOf(1) == usd.address


@pytest.mark.parametrize(
    ("price", "stock", "error"),
    [(0, 5, "MarketZeroPrice"), (PRICE, 0, "MarketZeroQuantity")],
)
def test_list_product__bad_values__revert(marketplace, alice, price, stock, error):
    with ape.reverts(getattr(marketplace, error)):
        marketplace.listProduct(ETH, price, stock, "ipfs://x", sender=alice)


def test_list_product__token_not_allowed__reverts(marketplace, alice, mallory):
    with ape.reverts(marketplace.MarketTokenNotAllowed, token=mallory):
        marketplace.listProduct(mallory, PRICE, 1, "ipfs://x", sender=alice)


def test_update_product__reprices_and_restocks(marketplace, list_product, alice):
    product_id = list_product(stock=2)
    receipt = marketplace.updateProduct(product_id, 2 * PRICE, 0, sender=alice)
    assert receipt.events == [marketplace.ProductUpdated(productId=product_id, price=2 * PRICE, stock=0)]
    assert marketplace.getProduct(product_id)[2:] == (2 * PRICE, 0)


def test_update_product__reverts(marketplace, list_product, alice, bob):
    product_id = list_product(seller=alice)
    with ape.reverts(marketplace.MarketUnknownProduct, productId=99):
        marketplace.updateProduct(99, PRICE, 1, sender=alice)
    with ape.reverts(marketplace.MarketNotSeller, productId=product_id, caller=bob):
        marketplace.updateProduct(product_id, PRICE, 1, sender=bob)
    with ape.reverts(marketplace.MarketZeroPrice):
        marketplace.updateProduct(product_id, 0, 1, sender=alice)


# ---------------------------------------------------------------- checkout


def test_checkout__one_line_in_eth(marketplace, list_product, alice, carol):
    product_id = list_product(stock=10)
    receipt = marketplace.checkout([(product_id, 3)], ETH, 3 * PRICE, value=3 * PRICE, sender=carol)
    line_id = (1 << 8) | 0
    assert receipt.events == [
        marketplace.MemberRegistered(memberId=2, account=carol),
        marketplace.LinePlaced(
            lineId=line_id, buyer=carol, sellerId=1, productId=product_id, quantity=3, amount=3 * PRICE, termsId=1
        ),
    ]
    line = marketplace.getLine(line_id)
    assert (line.productId, line.sellerId, line.buyerId, line.termsId, line.quantity, line.amount) == (
        product_id, 1, 2, 1, 3, 3 * PRICE,
    )  # fmt: skip
    assert (line.status, line.statusAt) == (Status.PAID, receipt.timestamp)
    assert marketplace.getProduct(product_id).stock == 7
    assert marketplace.balance == 3 * PRICE
    assert marketplace.orderCount() == 1


def test_checkout__cart_across_sellers(marketplace, list_product, alice, bob, carol):
    mug, lamp = list_product(seller=alice), list_product(seller=bob, price=3 * PRICE)
    receipt = marketplace.checkout([(mug, 1), (lamp, 2)], ETH, 7 * PRICE, value=7 * PRICE, sender=carol)
    placed = receipt.events.filter(marketplace.LinePlaced)
    assert [(e.lineId, e.sellerId, e.amount) for e in placed] == [(256, 1, PRICE), (257, 2, 6 * PRICE)]
    assert marketplace.lineIdOf(1, 1) == 257


def test_checkout__stablecoin_after_approve(marketplace, usd, list_product, buy, carol):
    product_id = list_product(price=25 * USD, token=usd)
    before = usd.balanceOf(carol)
    (line_id,) = buy([(product_id, 2)], token=usd)
    assert usd.balanceOf(carol) == before - 50 * USD
    assert usd.balanceOf(marketplace) == 50 * USD
    assert marketplace.getLine(line_id).amount == 50 * USD


@pytest.mark.parametrize("sent", [PRICE - 1, PRICE + 1, 0])
def test_checkout__wrong_eth_value__reverts(marketplace, list_product, carol, sent):
    product_id = list_product()
    with ape.reverts(marketplace.MarketWrongPayment, expected=PRICE, sent=sent):
        marketplace.checkout([(product_id, 1)], ETH, PRICE, value=sent, sender=carol)


def test_checkout__stale_total__reverts(marketplace, list_product, alice, carol):
    """The seller raised the price after the buyer looked: the buyer's declared total protects them."""
    product_id = list_product()
    marketplace.updateProduct(product_id, 2 * PRICE, 10, sender=alice)
    with ape.reverts(marketplace.MarketWrongPayment, expected=2 * PRICE, sent=PRICE):
        marketplace.checkout([(product_id, 1)], ETH, PRICE, value=PRICE, sender=carol)


def test_checkout__reverts(marketplace, usd, list_product, alice, carol):
    mug = list_product(stock=2)
    coffee = list_product(price=USD, token=usd)
    cases = [
        ([], ETH, 0, marketplace.MarketBadCartSize, {"size": 0, "max": 32}),
        ([(mug, 1)] * 33, ETH, 33 * PRICE, marketplace.MarketBadCartSize, {"size": 33, "max": 32}),
        ([(77, 1)], ETH, PRICE, marketplace.MarketUnknownProduct, {"productId": 77}),
        ([(mug, 0)], ETH, 0, marketplace.MarketZeroQuantity, {}),
        ([(mug, 3)], ETH, 3 * PRICE, marketplace.MarketInsufficientStock,
         {"productId": mug, "available": 2, "requested": 3}),
        ([(mug, 1), (coffee, 1)], ETH, PRICE, marketplace.MarketTokenMismatch,
         {"productId": coffee, "productToken": usd.address, "orderToken": ETH}),
    ]  # fmt: skip
    for cart, token, total, error, args in cases:
        with ape.reverts(error, **args):
            marketplace.checkout(cart, token, total, value=total if token == ETH else 0, sender=carol)
    with ape.reverts(marketplace.MarketSellerCannotBuy, productId=mug, seller=alice):
        marketplace.checkout([(mug, 1)], ETH, PRICE, value=PRICE, sender=alice)
    with ape.reverts(marketplace.MarketUnexpectedEth, value=1):
        marketplace.checkout([(coffee, 1)], usd, USD, value=1, sender=carol)
    assert marketplace.getProduct(mug).stock == 2 and marketplace.orderCount() == 0


def test_checkout__stablecoin_without_allowance__reverts(marketplace, usd, list_product, carol):
    product_id = list_product(price=USD, token=usd)
    with ape.reverts(usd.ERC20InsufficientAllowance, spender=marketplace, allowance=0, needed=USD):
        marketplace.checkout([(product_id, 1)], usd, USD, sender=carol)


# ---------------------------------------------------------------- seller: accept, reject, ship


def test_accept_line(marketplace, line_in, alice):
    line_id = line_in(Status.PAID)
    receipt = marketplace.acceptLine(line_id, sender=alice)
    assert receipt.events == [marketplace.LineAccepted(lineId=line_id)]
    assert marketplace.getLine(line_id).status == Status.ACCEPTED


def test_accept_line__after_deadline__reverts(marketplace, line_in, alice, terms):
    line_id = line_in(Status.PAID)
    deadline = marketplace.deadlineOf(line_id)
    assert deadline == marketplace.getLine(line_id).statusAt + terms["acceptWindow"]
    chain.pending_timestamp = deadline + 1
    with ape.reverts(marketplace.MarketDeadlinePassed, lineId=line_id, deadline=deadline):
        marketplace.acceptLine(line_id, sender=alice)


def test_reject_line__refunds_and_restocks(marketplace, list_product, buy, alice, carol):
    product_id = list_product(stock=5)
    (line_id,) = buy([(product_id, 2)])
    receipt = marketplace.rejectLine(line_id, sender=alice)
    assert receipt.events == [marketplace.LineRejected(lineId=line_id, refund=2 * PRICE)]
    assert marketplace.getLine(line_id).status == Status.REJECTED
    assert marketplace.creditOf(carol, ETH) == 2 * PRICE
    assert marketplace.getProduct(product_id).stock == 5


def test_ship_line__records_tracking(marketplace, line_in, alice):
    line_id = line_in(Status.ACCEPTED)
    receipt = marketplace.shipLine(line_id, "DHL", TRACKING, sender=alice)
    assert receipt.events == [
        marketplace.LineShipped(lineId=line_id, carrier="DHL", trackingRef=TRACKING, trackingHash=keccak(text=TRACKING))
    ]
    assert marketplace.getLine(line_id).status == Status.SHIPPED
    assert marketplace.trackingHashOf(line_id) == keccak(text=TRACKING)


def test_ship_line__after_deadline__reverts(marketplace, line_in, alice, terms):
    line_id = line_in(Status.ACCEPTED)
    deadline = marketplace.getLine(line_id).statusAt + terms["shipWindow"]
    chain.pending_timestamp = deadline + 1
    with ape.reverts(marketplace.MarketDeadlinePassed, lineId=line_id, deadline=deadline):
        marketplace.shipLine(line_id, "DHL", TRACKING, sender=alice)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("acceptLine", Status.ACCEPTED), ("rejectLine", Status.ACCEPTED), ("rejectLine", Status.SHIPPED),
        ("shipLine", Status.PAID), ("shipLine", Status.SHIPPED), ("acceptLine", Status.CANCELLED),
    ],
)  # fmt: skip
def test_seller_actions__wrong_status__revert(marketplace, line_in, alice, action, status):
    line_id = line_in(status)
    args = (line_id, "DHL", TRACKING) if action == "shipLine" else (line_id,)
    with ape.reverts(marketplace.MarketInvalidStatus, lineId=line_id, status=status):
        getattr(marketplace, action)(*args, sender=alice)


# ---------------------------------------------------------------- buyer: cancel, confirm, complete


def test_cancel_line__full_refund(marketplace, list_product, buy, carol):
    product_id = list_product(stock=3)
    (line_id,) = buy([(product_id, 3)])
    receipt = marketplace.cancelLine(line_id, sender=carol)
    assert receipt.events == [marketplace.LineCancelled(lineId=line_id, refund=3 * PRICE)]
    assert marketplace.creditOf(carol, ETH) == 3 * PRICE
    assert marketplace.getProduct(product_id).stock == 3


def test_cancel_line__after_acceptance__reverts(marketplace, line_in, carol):
    line_id = line_in(Status.ACCEPTED)
    with ape.reverts(marketplace.MarketInvalidStatus, lineId=line_id, status=Status.ACCEPTED):
        marketplace.cancelLine(line_id, sender=carol)


def test_confirm_delivery__starts_inspection(marketplace, line_in, carol, terms):
    line_id = line_in(Status.SHIPPED)
    receipt = marketplace.confirmDelivery(line_id, sender=carol)
    assert receipt.events == [marketplace.LineDelivered(lineId=line_id, confirmedBy=carol)]
    line = marketplace.getLine(line_id)
    assert (line.status, line.statusAt) == (Status.DELIVERED, receipt.timestamp)
    assert marketplace.deadlineOf(line_id) == receipt.timestamp + terms["inspectionWindow"]


def test_confirm_delivery__late__counts_from_the_delivery_window(marketplace, line_in, carol, terms):
    line_id = line_in(Status.SHIPPED)
    shipped_at = marketplace.getLine(line_id).statusAt
    chain.pending_timestamp = shipped_at + terms["deliveryWindow"] + 100
    marketplace.confirmDelivery(line_id, sender=carol)
    assert marketplace.getLine(line_id).statusAt == shipped_at + terms["deliveryWindow"]


def test_confirm_delivery__not_shipped__reverts(marketplace, line_in, carol):
    line_id = line_in(Status.ACCEPTED)
    with ape.reverts(marketplace.MarketInvalidStatus, lineId=line_id, status=Status.ACCEPTED):
        marketplace.confirmDelivery(line_id, sender=carol)


def test_complete_line__by_buyer__pays_seller_less_fee(marketplace, line_in, alice, carol, terms):
    line_id = line_in(Status.DELIVERED, quantity=4)
    fee = 4 * PRICE * terms["feeBps"] // 10_000
    receipt = marketplace.completeLine(line_id, sender=carol)
    assert receipt.events == [marketplace.LineCompleted(lineId=line_id, sellerAmount=4 * PRICE - fee, fee=fee)]
    assert marketplace.creditOf(alice, ETH) == 4 * PRICE - fee
    assert marketplace.feesOf(ETH) == fee
    assert marketplace.getLine(line_id).status == Status.COMPLETED


def test_complete_line__by_anyone_only_after_inspection(marketplace, line_in, mallory, terms):
    line_id = line_in(Status.DELIVERED)
    completable_at = marketplace.getLine(line_id).statusAt + terms["inspectionWindow"]
    chain.pending_timestamp = completable_at
    with ape.reverts(marketplace.MarketTooEarly, lineId=line_id, deadline=completable_at):
        marketplace.completeLine(line_id, sender=mallory)
    chain.pending_timestamp = completable_at + 1
    marketplace.completeLine(line_id, sender=mallory)
    assert marketplace.getLine(line_id).status == Status.COMPLETED


def test_complete_line__shipped_never_confirmed__after_delivery_and_inspection(marketplace, line_in, mallory, terms):
    line_id = line_in(Status.SHIPPED)
    completable_at = marketplace.getLine(line_id).statusAt + terms["deliveryWindow"] + terms["inspectionWindow"]
    chain.pending_timestamp = completable_at
    with ape.reverts(marketplace.MarketTooEarly, lineId=line_id, deadline=completable_at):
        marketplace.completeLine(line_id, sender=mallory)
    chain.pending_timestamp = completable_at + 1
    marketplace.completeLine(line_id, sender=mallory)


@pytest.mark.parametrize("status", [Status.PAID, Status.ACCEPTED, Status.COMPLETED, Status.REFUNDED])
def test_complete_line__wrong_status__reverts(marketplace, line_in, carol, status):
    line_id = line_in(status)
    with ape.reverts(marketplace.MarketInvalidStatus, lineId=line_id, status=status):
        marketplace.completeLine(line_id, sender=carol)


# ---------------------------------------------------------------- timeouts


@pytest.mark.parametrize(("status", "window"), [(Status.PAID, "acceptWindow"), (Status.ACCEPTED, "shipWindow")])
def test_expire_line__after_missed_deadline__refunds(marketplace, line_in, carol, mallory, terms, status, window):
    line_id = line_in(status)
    deadline = marketplace.getLine(line_id).statusAt + terms[window]
    chain.pending_timestamp = deadline
    with ape.reverts(marketplace.MarketTooEarly, lineId=line_id, deadline=deadline):
        marketplace.expireLine(line_id, sender=mallory)
    chain.pending_timestamp = deadline + 1
    receipt = marketplace.expireLine(line_id, sender=mallory)  # anyone may trigger it
    assert receipt.events == [marketplace.LineExpired(lineId=line_id, refund=PRICE)]
    assert marketplace.creditOf(carol, ETH) == PRICE


@pytest.mark.parametrize("status", [Status.SHIPPED, Status.DELIVERED, Status.CANCELLED])
def test_expire_line__wrong_status__reverts(marketplace, line_in, mallory, status):
    line_id = line_in(status)
    chain.pending_timestamp += 365 * 86_400
    with ape.reverts(marketplace.MarketInvalidStatus, lineId=line_id, status=status):
        marketplace.expireLine(line_id, sender=mallory)


# ---------------------------------------------------------------- partial refunds


def test_partial_refund__offer_accept_then_complete(marketplace, line_in, alice, carol, terms):
    line_id = line_in(Status.SHIPPED, quantity=2)
    receipt = marketplace.offerRefund(line_id, PRICE // 2, sender=alice)
    assert receipt.events == [marketplace.RefundOffered(lineId=line_id, amount=PRICE // 2)]
    assert marketplace.refundOffer(line_id) == PRICE // 2

    receipt = marketplace.acceptRefund(line_id, PRICE // 2, sender=carol)
    remaining = 2 * PRICE - PRICE // 2
    assert receipt.events == [marketplace.RefundAccepted(lineId=line_id, amount=PRICE // 2, remaining=remaining)]
    assert marketplace.creditOf(carol, ETH) == PRICE // 2
    assert marketplace.refundOffer(line_id) == 0

    marketplace.completeLine(line_id, sender=carol)
    fee = remaining * terms["feeBps"] // 10_000
    assert marketplace.creditOf(alice, ETH) == remaining - fee


def test_partial_refund__whole_amount__refunded(marketplace, line_in, carol):
    line_id = line_in(Status.REFUNDED)
    assert marketplace.getLine(line_id).status == Status.REFUNDED
    assert marketplace.creditOf(carol, ETH) == PRICE


def test_partial_refund__reverts(marketplace, line_in, alice, carol):
    line_id = line_in(Status.ACCEPTED)
    with ape.reverts(marketplace.MarketRefundTooLarge, lineId=line_id, amount=PRICE + 1, escrowed=PRICE):
        marketplace.offerRefund(line_id, PRICE + 1, sender=alice)
    with ape.reverts(marketplace.MarketRefundNotOffered, lineId=line_id, amount=1, offered=0):
        marketplace.acceptRefund(line_id, 1, sender=carol)
    marketplace.offerRefund(line_id, 100, sender=alice)
    # The seller cannot swap the offer under the buyer: the buyer names the amount accepted.
    with ape.reverts(marketplace.MarketRefundNotOffered, lineId=line_id, amount=200, offered=100):
        marketplace.acceptRefund(line_id, 200, sender=carol)
    paid = line_in(Status.PAID)
    with ape.reverts(marketplace.MarketInvalidStatus, lineId=paid, status=Status.PAID):
        marketplace.offerRefund(paid, 1, sender=alice)


# ---------------------------------------------------------------- withdrawals and fees


def test_withdraw__eth_and_stablecoin_separately(marketplace, usd, line_in, alice, terms):
    eth_line = line_in(Status.COMPLETED)
    usd_line = line_in(Status.COMPLETED, price=20 * USD, token=usd)
    fee_bps = terms["feeBps"]
    eth_due, usd_due = PRICE - PRICE * fee_bps // 10_000, 20 * USD - 20 * USD * fee_bps // 10_000
    assert (eth_line, usd_line) and marketplace.creditOf(alice, usd) == usd_due

    before = alice.balance
    receipt = marketplace.withdraw(ETH, sender=alice)
    assert receipt.events == [marketplace.Withdrawn(account=alice, token=ETH, amount=eth_due)]
    assert alice.balance == before + eth_due - receipt.total_fees_paid

    marketplace.withdraw(usd, sender=alice)
    assert usd.balanceOf(alice) == usd_due
    assert marketplace.creditOf(alice, usd) == 0 == marketplace.creditOf(alice, ETH)


def test_withdraw__nothing_owed__reverts(marketplace, usd, mallory):
    for token in (ETH, usd.address):
        with ape.reverts(marketplace.MarketNothingToWithdraw, account=mallory, token=token):
            marketplace.withdraw(token, sender=mallory)


def test_withdraw__escrow_is_not_withdrawable(marketplace, line_in, alice):
    line_in(Status.DELIVERED)
    with ape.reverts(marketplace.MarketNothingToWithdraw, account=alice, token=ETH):
        marketplace.withdraw(ETH, sender=alice)


def test_collect_fees__to_treasury_by_anyone(marketplace, line_in, treasury, mallory, terms):
    line_in(Status.COMPLETED)
    fee = PRICE * terms["feeBps"] // 10_000
    before = treasury.balance
    receipt = marketplace.collectFees(ETH, sender=mallory)
    assert receipt.events == [marketplace.FeesCollected(token=ETH, treasury=treasury, amount=fee)]
    assert treasury.balance == before + fee
    with ape.reverts(marketplace.MarketNoFees, token=ETH):
        marketplace.collectFees(ETH, sender=mallory)


def test_direct_eth_transfer__reverts(marketplace, mallory):
    with ape.reverts(marketplace.MarketUnexpectedPayment, sender=mallory, amount=1):
        mallory.transfer(marketplace, 1)


# ---------------------------------------------------------------- unknown lines


@pytest.mark.parametrize(
    "action", ["acceptLine", "rejectLine", "cancelLine", "confirmDelivery", "completeLine", "expireLine"]
)
def test_unknown_line__reverts(marketplace, carol, action):
    with ape.reverts(marketplace.MarketUnknownLine, lineId=12345):
        getattr(marketplace, action)(12345, sender=carol)
