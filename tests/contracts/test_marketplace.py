"""The marketplace through its proxy: listing, buying into escrow, confirming, withdrawing."""

import ape
import pytest

PRICE = 10**16  # 0.01 ETH
PAID, COMPLETED = 1, 2


# ---------------------------------------------------------------- deployment


def test_initialize__grants_admin_and_upgrader(marketplace, admin, mallory):
    assert marketplace.hasRole(marketplace.DEFAULT_ADMIN_ROLE(), admin)
    assert marketplace.hasRole(marketplace.UPGRADER_ROLE(), admin)
    assert not marketplace.hasRole(marketplace.UPGRADER_ROLE(), mallory)
    assert marketplace.version() == "1.0.0"


def test_initialize__twice__reverts(marketplace, mallory):
    with ape.reverts(marketplace.InvalidInitialization):
        marketplace.initialize(mallory, sender=mallory)


def test_initialize__implementation_directly__reverts(deployment, mallory):
    _, implementation, _ = deployment
    with ape.reverts(implementation.InvalidInitialization):
        implementation.initialize(mallory, sender=mallory)


# ---------------------------------------------------------------- listing


def test_list_product__stores_and_emits(marketplace, alice):
    receipt = marketplace.listProduct(PRICE, 5, "ipfs://mug", sender=alice)
    assert receipt.events == [
        marketplace.ProductListed(productId=1, seller=alice, price=PRICE, stock=5, metadataURI="ipfs://mug")
    ]
    assert marketplace.getProduct(1) == (alice.address, PRICE, 5)
    assert marketplace.productCount() == 1


def test_list_product__ids_increase(list_product, bob):
    assert [list_product(), list_product(seller=bob), list_product()] == [1, 2, 3]


def test_list_product__zero_price__reverts(marketplace, alice):
    with ape.reverts(marketplace.MarketZeroPrice):
        marketplace.listProduct(0, 5, "ipfs://free", sender=alice)


def test_list_product__zero_stock__reverts(marketplace, alice):
    with ape.reverts(marketplace.MarketZeroQuantity):
        marketplace.listProduct(PRICE, 0, "ipfs://none", sender=alice)


# ---------------------------------------------------------------- buying


def test_buy__escrows_payment_and_decrements_stock(marketplace, list_product, alice, carol):
    product_id = list_product(stock=10)
    buyer_before = carol.balance
    receipt = marketplace.buy(product_id, 3, value=3 * PRICE, sender=carol)

    assert receipt.events == [
        marketplace.OrderPlaced(
            orderId=1, productId=product_id, buyer=carol, seller=alice, quantity=3, amount=3 * PRICE
        )
    ]
    assert marketplace.getProduct(product_id).stock == 7
    order = marketplace.getOrder(1)
    assert (order.buyer, order.amount, order.productId, order.quantity, order.status) == (
        carol.address,
        3 * PRICE,
        product_id,
        3,
        PAID,
    )
    assert order.placedAt == receipt.timestamp
    assert marketplace.balance == 3 * PRICE
    assert carol.balance == buyer_before - 3 * PRICE - receipt.total_fees_paid
    assert marketplace.creditOf(alice) == 0  # nothing is owed until delivery


def test_buy__whole_stock__then_sold_out(marketplace, list_product, carol, dave):
    product_id = list_product(stock=2)
    marketplace.buy(product_id, 2, value=2 * PRICE, sender=carol)
    with ape.reverts(marketplace.MarketInsufficientStock, productId=product_id, available=0, requested=1):
        marketplace.buy(product_id, 1, value=PRICE, sender=dave)


def test_buy__more_than_stock__reverts(marketplace, list_product, carol):
    product_id = list_product(stock=2)
    with ape.reverts(marketplace.MarketInsufficientStock, productId=product_id, available=2, requested=3):
        marketplace.buy(product_id, 3, value=3 * PRICE, sender=carol)


@pytest.mark.parametrize("sent", [0, PRICE - 1, PRICE + 1, 2 * PRICE])
def test_buy__wrong_payment__reverts(marketplace, list_product, carol, sent):
    product_id = list_product()
    with ape.reverts(marketplace.MarketWrongPayment, expected=PRICE, sent=sent):
        marketplace.buy(product_id, 1, value=sent, sender=carol)


def test_buy__unknown_product__reverts(marketplace, carol):
    with ape.reverts(marketplace.MarketUnknownProduct, productId=42):
        marketplace.buy(42, 1, value=PRICE, sender=carol)


def test_buy__zero_quantity__reverts(marketplace, list_product, carol):
    product_id = list_product()
    with ape.reverts(marketplace.MarketZeroQuantity):
        marketplace.buy(product_id, 0, value=0, sender=carol)


def test_buy__own_product__reverts(marketplace, list_product, alice):
    product_id = list_product(seller=alice)
    with ape.reverts(marketplace.MarketSellerCannotBuy, productId=product_id, seller=alice):
        marketplace.buy(product_id, 1, value=PRICE, sender=alice)


def test_buy__failed_purchase__leaves_stock_and_funds(marketplace, list_product, carol):
    product_id = list_product(stock=4)
    with ape.reverts(marketplace.MarketWrongPayment):
        marketplace.buy(product_id, 1, value=1, sender=carol)
    assert marketplace.getProduct(product_id).stock == 4
    assert marketplace.orderCount() == 0
    assert marketplace.balance == 0


# ---------------------------------------------------------------- confirming delivery


def test_confirm_delivery__credits_seller(marketplace, list_product, place_order, alice, carol):
    order_id = place_order(list_product(), quantity=2)
    receipt = marketplace.confirmDelivery(order_id, sender=carol)

    assert receipt.events == [marketplace.OrderCompleted(orderId=order_id, seller=alice, amount=2 * PRICE)]
    assert marketplace.getOrder(order_id).status == COMPLETED
    assert marketplace.creditOf(alice) == 2 * PRICE
    assert marketplace.balance == 2 * PRICE  # still held until the seller withdraws


def test_confirm_delivery__credits_accumulate(marketplace, list_product, place_order, alice, carol, dave):
    product_id = list_product()
    first, second = place_order(product_id), place_order(product_id, buyer=dave)
    marketplace.confirmDelivery(first, sender=carol)
    marketplace.confirmDelivery(second, sender=dave)
    assert marketplace.creditOf(alice) == 2 * PRICE


@pytest.mark.parametrize("who", ["alice", "dave", "mallory"])
def test_confirm_delivery__not_buyer__reverts(marketplace, list_product, place_order, request, who):
    order_id = place_order(list_product())
    caller = request.getfixturevalue(who)
    with ape.reverts(marketplace.MarketNotBuyer, orderId=order_id, caller=caller):
        marketplace.confirmDelivery(order_id, sender=caller)


def test_confirm_delivery__twice__reverts(marketplace, list_product, place_order, carol):
    order_id = place_order(list_product())
    marketplace.confirmDelivery(order_id, sender=carol)
    with ape.reverts(marketplace.MarketInvalidOrderStatus, orderId=order_id, status=COMPLETED):
        marketplace.confirmDelivery(order_id, sender=carol)


def test_confirm_delivery__unknown_order__reverts(marketplace, carol):
    with ape.reverts(marketplace.MarketUnknownOrder, orderId=7):
        marketplace.confirmDelivery(7, sender=carol)


# ---------------------------------------------------------------- withdrawing


def test_withdraw__pays_the_whole_credit(marketplace, list_product, place_order, alice, carol):
    order_id = place_order(list_product(), quantity=3)
    marketplace.confirmDelivery(order_id, sender=carol)
    before = alice.balance

    receipt = marketplace.withdraw(sender=alice)

    assert receipt.events == [marketplace.Withdrawn(account=alice, amount=3 * PRICE)]
    assert alice.balance == before + 3 * PRICE - receipt.total_fees_paid
    assert marketplace.creditOf(alice) == 0
    assert marketplace.balance == 0


def test_withdraw__nothing_owed__reverts(marketplace, mallory):
    with ape.reverts(marketplace.MarketNothingToWithdraw, account=mallory):
        marketplace.withdraw(sender=mallory)


def test_withdraw__escrow_is_not_withdrawable(marketplace, list_product, place_order, alice):
    place_order(list_product())  # paid, not yet confirmed
    with ape.reverts(marketplace.MarketNothingToWithdraw, account=alice):
        marketplace.withdraw(sender=alice)


def test_withdraw__twice__reverts(marketplace, list_product, place_order, alice, carol):
    marketplace.confirmDelivery(place_order(list_product()), sender=carol)
    marketplace.withdraw(sender=alice)
    with ape.reverts(marketplace.MarketNothingToWithdraw, account=alice):
        marketplace.withdraw(sender=alice)


# ---------------------------------------------------------------- attackers


@pytest.fixture
def attacker_seller(project, marketplace, mallory):
    return mallory.deploy(project.ReentrantSeller, marketplace)


def _sell_through(attacker_seller, marketplace, buyer, mallory, price=PRICE):
    attacker_seller.list(price, 5, sender=mallory)
    product_id = marketplace.productCount()
    marketplace.buy(product_id, 1, value=price, sender=buyer)
    marketplace.confirmDelivery(marketplace.orderCount(), sender=buyer)


def test_withdraw__reentrant_receiver__cannot_take_twice(project, marketplace, attacker_seller, carol, mallory):
    _sell_through(attacker_seller, marketplace, carol, mallory)
    # The attacker's receive() re-enters withdraw(); the guard makes its payout fail, so the
    # whole withdrawal reverts and the credit stays where it was. (Matched on the contract type:
    # ape attributes a revert that crossed the attacker's frames to the attacker's address.)
    with ape.reverts(project.Marketplace.MarketTransferFailed, to=attacker_seller, amount=PRICE):
        attacker_seller.withdraw(sender=mallory)
    assert marketplace.creditOf(attacker_seller) == PRICE
    assert marketplace.balance == PRICE


def test_withdraw__rejecting_receiver__keeps_credit(marketplace, attacker_seller, carol, mallory):
    _sell_through(attacker_seller, marketplace, carol, mallory)
    attacker_seller.setRejectPayments(True, sender=mallory)
    with ape.reverts(marketplace.MarketTransferFailed, to=attacker_seller, amount=PRICE):
        attacker_seller.withdraw(sender=mallory)
    assert marketplace.creditOf(attacker_seller) == PRICE


def test_direct_eth_transfer__reverts(marketplace, mallory):
    with ape.reverts(marketplace.MarketUnexpectedPayment, sender=mallory, amount=1):
        mallory.transfer(marketplace, 1)
    assert marketplace.balance == 0
