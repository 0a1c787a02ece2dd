"""Hostile parties: receivers that re-enter, tokens that lie or call back, callers who are not a
party to a line, a seller buying from itself; and the promise that disallowing a token or
pausing never traps anyone's money."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from ape import chain
from ape.exceptions import ContractLogicError, CustomError
from eth_abi import encode
from eth_utils import keccak
from hexbytes import HexBytes
from strict_reverts import reverts_with

from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status
from scripts.deploy import terms_tuple

PRICE = 10**16  # 0.01 ETH, as the list_product fixture's default

TOKENS = 10**24  # what a hostile token mints to its victims


def error_data(error, **inputs) -> bytes:
    """The bytes a contract reverts with for `error` (an ape error class) with these arguments."""
    values = [getattr(inputs[arg.name], "address", inputs[arg.name]) for arg in error.abi.inputs]
    return keccak(text=error.abi.selector)[:4] + encode([arg.canonical_type for arg in error.abi.inputs], values)


@contextmanager
def reverts_through(error, **inputs):
    """For an error that bubbles up through an intermediate contract (the attacker's). Ape decodes
    a revert with the ABI of the contract called, or else of the last contract in the trace, so
    such an error arrives undecoded, or decoded against another instance: compare the bytes."""
    with pytest.raises(ContractLogicError) as info:
        yield info
    actual = info.value
    raw = error_data(actual, **actual.inputs) if isinstance(actual, CustomError) else HexBytes(actual.revert_message)
    assert raw == error_data(error, **inputs), f"expected {error.__name__}{inputs}, got {actual!r}"


def placed_lines(marketplace, receipt) -> list[int]:
    return [event.lineId for event in receipt.events.filter(marketplace.LinePlaced)]


def act(member, target, method: str, *args, sender, value=0):
    """Have `member` (a GreedyAccount contract) call `target.method(*args)`."""
    return member.act(target, getattr(target, method).encode_input(*args), value=value, sender=sender)


@pytest.fixture
def hostile_token(project, marketplace, admin, carol):
    """deploy(name) -> an allow-listed hostile token, with plenty minted to carol."""

    def _deploy(name):
        token = admin.deploy(getattr(project, name))
        marketplace.setPaymentToken(token, True, sender=admin)
        token.mint(carol, TOKENS, sender=admin)
        return token

    return _deploy


@pytest.fixture
def greedy(project, marketplace, mallory):
    """A contract member that tries to withdraw again whenever it is paid, catching the failure."""
    return mallory.deploy(project.GreedyAccount, marketplace)


# ---------------------------------------------------------------- receivers that re-enter


@pytest.mark.parametrize("refuses_payments", [False, True], ids=["reenters", "refuses"])
def test_buyer_contract__payout_reverts__credit_kept(project, marketplace, list_product, mallory, refuses_payments):
    """A buyer contract whose receive() re-enters withdraw (or just reverts) cannot be paid: the
    whole payout reverts with MarketTransferFailed and the refund stays credited to it."""
    attacker = mallory.deploy(project.ReentrantSeller, marketplace)
    attacker.setRejectPayments(refuses_payments, sender=mallory)
    (line_id,) = placed_lines(marketplace, attacker.buy(list_product(), 1, value=PRICE, sender=mallory))
    attacker.cancel(line_id, sender=mallory)
    assert marketplace.creditOf(attacker, ETH) == PRICE

    with reverts_through(marketplace.MarketTransferFailed, to=attacker, amount=PRICE):
        attacker.withdraw(sender=mallory)

    assert marketplace.creditOf(attacker, ETH) == PRICE
    assert marketplace.balance == PRICE
    assert attacker.balance == 0
    assert attacker.reentries() == 0  # rolled back with everything else


@pytest.mark.parametrize("role", ["seller", "buyer"])
def test_greedy_contract__reentrant_withdraw__paid_once(
    marketplace, greedy, list_product, alice, carol, mallory, terms, role
):
    """A contract seller (paid on completion) or buyer (refunded on cancel) re-enters withdraw while
    receiving ETH. The reentry finds the credit already cleared; the contract gets exactly once."""
    if role == "seller":
        receipt = act(greedy, marketplace, "listProduct", ETH, PRICE, 1, "ipfs://greedy", sender=mallory)
        product_id = receipt.events.filter(marketplace.ProductListed)[0].productId
        (line_id,) = placed_lines(
            marketplace, marketplace.checkout([(product_id, 1)], ETH, PRICE, value=PRICE, sender=carol)
        )
        act(greedy, marketplace, "acceptLine", line_id, sender=mallory)
        act(greedy, marketplace, "shipLine", line_id, "DHL", "JD1", sender=mallory)
        marketplace.completeLine(line_id, sender=carol)
        owed = PRICE - PRICE * terms["feeBps"] // 10_000
    else:
        cart = [(list_product(seller=alice), 1)]
        receipt = act(greedy, marketplace, "checkout", cart, ETH, PRICE, value=PRICE, sender=mallory)
        (line_id,) = placed_lines(marketplace, receipt)
        act(greedy, marketplace, "cancelLine", line_id, sender=mallory)
        owed = PRICE
    assert marketplace.creditOf(greedy, ETH) == owed
    held = marketplace.balance

    act(greedy, marketplace, "withdraw", ETH, sender=mallory)

    assert greedy.balance == owed
    assert marketplace.balance == held - owed
    assert marketplace.creditOf(greedy, ETH) == 0
    assert (greedy.reentryAttempts(), greedy.reentrySuccesses()) == (1, 0)
    assert greedy.lastReentryError() == error_data(marketplace.MarketNothingToWithdraw, account=greedy, token=ETH)


def test_callback_token__reentrant_withdraw_during_transfer__paid_once(
    marketplace, hostile_token, greedy, list_product, alice, mallory
):
    """ERC-777-style: the token hands control to the recipient mid-transfer; its withdraw reentry
    finds nothing, since the credit was cleared before the transfer."""
    token = hostile_token("CallbackToken")
    token.mint(greedy, 5 * USD, sender=mallory)
    product_id = list_product(price=5 * USD, token=token, seller=alice)
    act(greedy, token, "approve", marketplace, 5 * USD, sender=mallory)
    receipt = act(greedy, marketplace, "checkout", [(product_id, 1)], token, 5 * USD, sender=mallory)
    (line_id,) = placed_lines(marketplace, receipt)
    act(greedy, marketplace, "cancelLine", line_id, sender=mallory)

    act(greedy, marketplace, "withdraw", token, sender=mallory)

    assert token.balanceOf(greedy) == 5 * USD
    assert token.balanceOf(marketplace) == 0
    assert (greedy.reentryAttempts(), greedy.reentrySuccesses()) == (1, 0)
    assert greedy.lastReentryError() == error_data(marketplace.MarketNothingToWithdraw, account=greedy, token=token)


# ---------------------------------------------------------------- tokens that lie


def test_fee_on_transfer_token__checkout__reverts_shortfall(marketplace, hostile_token, list_product, carol):
    token = hostile_token("FeeOnTransferToken")
    product_id = list_product(price=100 * USD, token=token)
    token.approve(marketplace, 100 * USD, sender=carol)

    with reverts_with(marketplace.MarketTokenShortfall, token=token, expected=100 * USD, received=99 * USD):
        marketplace.checkout([(product_id, 1)], token, 100 * USD, sender=carol)

    assert marketplace.orderCount() == 0
    assert marketplace.getProduct(product_id).stock == 10
    assert token.balanceOf(carol) == TOKENS


def test_false_returning_token__checkout__reverts(marketplace, hostile_token, list_product, carol):
    token = hostile_token("FalseReturningToken")
    product_id = list_product(price=100 * USD, token=token)
    token.approve(marketplace, 100 * USD, sender=carol)
    token.setFailTransfers(True, sender=carol)

    with reverts_with(marketplace.SafeERC20FailedOperation, token=token):
        marketplace.checkout([(product_id, 1)], token, 100 * USD, sender=carol)

    assert marketplace.orderCount() == 0
    assert marketplace.getProduct(product_id).stock == 10


def test_false_returning_token__withdraw_and_fees__revert_and_keep_credit(
    marketplace, hostile_token, line_in, list_product, buy, alice, carol, treasury, mallory, terms
):
    """A payout the token silently refuses must not count as paid: the credit (and the fees) stay."""
    token = hostile_token("FalseReturningToken")
    refunded = line_in(Status.PAID, price=100 * USD, token=token)
    marketplace.cancelLine(refunded, sender=carol)
    line_in(Status.COMPLETED, price=100 * USD, token=token)
    fee = 100 * USD * terms["feeBps"] // 10_000
    token.setFailTransfers(True, sender=mallory)

    with reverts_with(marketplace.SafeERC20FailedOperation, token=token):
        marketplace.withdraw(token, sender=carol)
    with reverts_with(marketplace.SafeERC20FailedOperation, token=token):
        marketplace.collectFees(token, sender=mallory)

    assert marketplace.creditOf(carol, token) == 100 * USD
    assert marketplace.feesOf(token) == fee
    token.setFailTransfers(False, sender=mallory)
    before = token.balanceOf(carol)
    marketplace.withdraw(token, sender=carol)
    marketplace.withdraw(token, sender=alice)
    marketplace.collectFees(token, sender=mallory)
    assert token.balanceOf(carol) - before == 100 * USD
    assert token.balanceOf(alice) == 100 * USD - fee
    assert token.balanceOf(treasury) == fee
    assert token.balanceOf(marketplace) == 0


def test_reentrant_token__reentry_during_payout__gets_nothing(
    marketplace, hostile_token, line_in, alice, carol, treasury, mallory, terms
):
    """The token itself calls withdraw while the marketplace pays out: nothing for it to take."""
    token = hostile_token("ReentrantToken")
    token.setMarket(marketplace, sender=mallory)
    cancelled = line_in(Status.PAID, price=100 * USD, token=token)
    marketplace.cancelLine(cancelled, sender=carol)
    line_in(Status.COMPLETED, price=100 * USD, token=token)
    fee = 100 * USD * terms["feeBps"] // 10_000
    before = token.balanceOf(carol)

    marketplace.withdraw(token, sender=carol)
    marketplace.withdraw(token, sender=alice)
    marketplace.collectFees(token, sender=mallory)

    assert token.reentryAttempts() == 3
    assert not token.reentrySucceeded()
    assert token.balanceOf(carol) - before == 100 * USD
    assert token.balanceOf(alice) == 100 * USD - fee
    assert token.balanceOf(treasury) == fee
    assert token.balanceOf(marketplace) == 0


# ---------------------------------------------------------------- callers who are not a party

SELLER_ONLY = [  # (function, the line's status when the seller could call it, extra arguments)
    ("acceptLine", Status.PAID, ()),
    ("rejectLine", Status.PAID, ()),
    ("shipLine", Status.ACCEPTED, ("DHL", "JD1")),
    ("offerRefund", Status.ACCEPTED, (1,)),
]
BUYER_ONLY = [
    ("cancelLine", Status.PAID, ()),
    ("confirmDelivery", Status.SHIPPED, ()),
    ("acceptRefund", Status.ACCEPTED, (1,)),  # with a refund of 1 on offer
]
ADMIN_ONLY = [  # (function, arguments, the role it needs)
    ("setPaymentToken", lambda mp, d: (d.mallory, True), "DEFAULT_ADMIN_ROLE"),
    ("setTerms", lambda mp, d: (terms_tuple(d.terms),), "DEFAULT_ADMIN_ROLE"),
    ("setTreasury", lambda mp, d: (d.mallory,), "DEFAULT_ADMIN_ROLE"),
    ("grantRole", lambda mp, d: (mp.PAUSER_ROLE(), d.mallory), "DEFAULT_ADMIN_ROLE"),
    ("revokeRole", lambda mp, d: (mp.PAUSER_ROLE(), d.admin), "DEFAULT_ADMIN_ROLE"),
    ("setPaused", lambda mp, d: (True,), "PAUSER_ROLE"),
    ("upgradeToAndCall", lambda mp, d: (d.implementation, b""), "UPGRADER_ROLE"),
    # The narrow hooks of the logistics oracle and the resolution centre contracts.
    ("confirmDeliveryByOracle", lambda mp, d: (1 << 8,), "ORACLE_ROLE"),
    ("holdLine", lambda mp, d: (1 << 8,), "RESOLVER_ROLE"),
    ("resolveLine", lambda mp, d: (1 << 8, 10_000, d.mallory, 0), "RESOLVER_ROLE"),
    ("refundByResolver", lambda mp, d: (1 << 8, 1), "RESOLVER_ROLE"),
]
# Open to anyone: listing (the caller becomes the seller), buying, withdrawing one's own credit,
# collecting fees (they go to the treasury), and completing or expiring once the deadline allows.
# multicall runs each call as its caller, so it opens nothing (tests/contracts/test_multicall.py).
OPEN_TO_ALL = {
    "listProduct",
    "checkout",
    "checkoutWithPermit",
    "withdraw",
    "collectFees",
    "completeLine",
    "expireLine",
    "multicall",
}
ONCE_ONLY = {"initialize", "renounceRole"}  # tested below: nobody re-initialises; one renounces only oneself


def test_every_state_changing_function_is_covered(marketplace):
    """If a new function appears, this file must say who may call it."""
    mutating = {abi.name for abi in marketplace.contract_type.mutable_methods}
    covered = {f for f, *_ in SELLER_ONLY + BUYER_ONLY + ADMIN_ONLY} | {"updateProduct"} | OPEN_TO_ALL | ONCE_ONLY
    assert mutating == covered


@pytest.mark.parametrize("intruder", ["mallory", "carol", "bob"], ids=["stranger", "buyer", "other_seller"])
@pytest.mark.parametrize(("function", "status", "extra"), SELLER_ONLY, ids=[f for f, *_ in SELLER_ONLY])
def test_seller_only__by_others__reverts(request, marketplace, line_in, alice, function, status, extra, intruder):
    line_id = line_in(status)
    caller = request.getfixturevalue(intruder)
    before = marketplace.getLine(line_id)

    with reverts_with(marketplace.MarketNotLineSeller, lineId=line_id, caller=caller):
        getattr(marketplace, function)(line_id, *extra, sender=caller)

    assert marketplace.getLine(line_id) == before
    getattr(marketplace, function)(line_id, *extra, sender=alice)  # while the seller may


@pytest.mark.parametrize("intruder", ["mallory", "alice", "dave"], ids=["stranger", "seller", "other_buyer"])
@pytest.mark.parametrize(("function", "status", "extra"), BUYER_ONLY, ids=[f for f, *_ in BUYER_ONLY])
def test_buyer_only__by_others__reverts(request, marketplace, line_in, alice, carol, function, status, extra, intruder):
    line_id = line_in(status)
    if function == "acceptRefund":
        marketplace.offerRefund(line_id, 1, sender=alice)
    caller = request.getfixturevalue(intruder)
    before = marketplace.getLine(line_id)

    with reverts_with(marketplace.MarketNotBuyer, lineId=line_id, caller=caller):
        getattr(marketplace, function)(line_id, *extra, sender=caller)

    assert marketplace.getLine(line_id) == before
    getattr(marketplace, function)(line_id, *extra, sender=carol)  # while the buyer may


@pytest.mark.parametrize("intruder", ["mallory", "bob", "carol"], ids=["stranger", "other_seller", "buyer"])
def test_update_product__by_others__reverts(request, marketplace, list_product, buy, alice, intruder):
    product_id = list_product(stock=3)
    buy([(product_id, 1)])
    caller = request.getfixturevalue(intruder)

    with reverts_with(marketplace.MarketNotSeller, productId=product_id, caller=caller):
        marketplace.updateProduct(product_id, 1, 1_000, sender=caller)

    assert marketplace.getProduct(product_id).price == PRICE
    assert marketplace.getProduct(product_id).stock == 2


@pytest.mark.parametrize("intruder", ["mallory", "alice"], ids=["stranger", "seller"])
@pytest.mark.parametrize(
    ("function", "status", "windows"),
    [
        ("completeLine", Status.SHIPPED, ("deliveryWindow", "inspectionWindow")),
        ("completeLine", Status.DELIVERED, ("inspectionWindow",)),
        ("expireLine", Status.PAID, ("acceptWindow",)),
        ("expireLine", Status.ACCEPTED, ("shipWindow",)),
    ],
    ids=["complete_shipped", "complete_delivered", "expire_paid", "expire_accepted"],
)
def test_keeper_actions__before_the_deadline__revert(
    request, marketplace, line_in, terms, function, status, windows, intruder
):
    """Anyone may complete or expire a line, but only once its windows are over: not a second early."""
    line_id = line_in(status)
    caller = request.getfixturevalue(intruder)
    deadline = marketplace.getLine(line_id).statusAt + sum(terms[w] for w in windows)
    chain.pending_timestamp = deadline  # the last second that is still too early

    with reverts_with(marketplace.MarketTooEarly, lineId=line_id, deadline=deadline):
        getattr(marketplace, function)(line_id, sender=caller)

    assert marketplace.getLine(line_id).status == status
    chain.pending_timestamp = deadline + 1  # one second later it goes through
    getattr(marketplace, function)(line_id, sender=caller)
    assert marketplace.getLine(line_id).status == (Status.COMPLETED if function == "completeLine" else Status.EXPIRED)


@pytest.mark.parametrize(("function", "arguments", "role"), ADMIN_ONLY, ids=[f for f, *_ in ADMIN_ONLY])
def test_admin_only__by_others__reverts(
    deployment, marketplace, admin, alice, mallory, terms, function, arguments, role
):
    cast = SimpleNamespace(admin=admin, mallory=mallory, terms=terms, implementation=deployment[1])
    for outsider in (mallory, alice):
        with reverts_with(
            marketplace.AccessControlUnauthorizedAccount, account=outsider, neededRole=getattr(marketplace, role)()
        ):
            getattr(marketplace, function)(*arguments(marketplace, cast), sender=outsider)
    assert not marketplace.paused()
    assert marketplace.treasury() != mallory.address
    assert not marketplace.hasRole(marketplace.PAUSER_ROLE(), mallory)


def test_once_only__initialize_and_renounce_for_others__revert(marketplace, admin, mallory, terms):
    with reverts_with(marketplace.InvalidInitialization):
        marketplace.initialize(mallory, mallory, terms_tuple(terms), sender=mallory)
    with reverts_with(marketplace.AccessControlBadConfirmation):
        marketplace.renounceRole(marketplace.DEFAULT_ADMIN_ROLE(), admin, sender=mallory)
    assert marketplace.hasRole(marketplace.DEFAULT_ADMIN_ROLE(), admin)


def test_open_functions__a_stranger_gains_nothing(marketplace, line_in, alice, treasury, mallory, terms):
    """Collecting fees or completing someone's line after the windows pays the treasury and the
    seller, never the caller."""
    line_id = line_in(Status.DELIVERED)
    chain.pending_timestamp += terms["inspectionWindow"] + 1
    fee = PRICE * terms["feeBps"] // 10_000
    treasury_before = treasury.balance

    marketplace.completeLine(line_id, sender=mallory)
    marketplace.collectFees(ETH, sender=mallory)

    assert marketplace.creditOf(alice, ETH) == PRICE - fee
    assert treasury.balance - treasury_before == fee
    with reverts_with(marketplace.MarketNothingToWithdraw, account=mallory, token=ETH):
        marketplace.withdraw(ETH, sender=mallory)


@pytest.mark.parametrize("other_seller_too", [False, True], ids=["own_product", "in_a_mixed_cart"])
def test_seller_cannot_buy_own_product(marketplace, list_product, alice, bob, other_seller_too):
    own = list_product(seller=alice)
    cart = [(list_product(seller=bob), 1), (own, 1)] if other_seller_too else [(own, 1)]
    total = PRICE * len(cart)

    with reverts_with(marketplace.MarketSellerCannotBuy, productId=own, seller=alice):
        marketplace.checkout(cart, ETH, total, value=total, sender=alice)

    assert marketplace.orderCount() == 0
    assert marketplace.getProduct(own).stock == 10


# ---------------------------------------------------------------- nothing is ever trapped


def test_disallowed_token__no_new_business__open_lines_settle(
    marketplace, usd, line_in, list_product, admin, alice, carol, treasury, mallory, terms
):
    price = 40 * USD
    completed = line_in(Status.DELIVERED, price=price, token=usd)
    cancelled = line_in(Status.PAID, price=price, token=usd)
    rejected = line_in(Status.PAID, price=price, token=usd)
    expired = line_in(Status.PAID, price=price, token=usd)
    partly_refunded = line_in(Status.SHIPPED, price=price, token=usd)
    listed = list_product(price=price, token=usd)
    carol_before = usd.balanceOf(carol)

    marketplace.setPaymentToken(usd, False, sender=admin)

    usd.approve(marketplace, price, sender=carol)
    with reverts_with(marketplace.MarketTokenNotAllowed, token=usd):
        marketplace.checkout([(listed, 1)], usd, price, sender=carol)
    with reverts_with(marketplace.MarketTokenNotAllowed, token=usd):
        marketplace.listProduct(usd, price, 1, "ipfs://new", sender=alice)
    marketplace.completeLine(completed, sender=carol)
    marketplace.cancelLine(cancelled, sender=carol)
    marketplace.rejectLine(rejected, sender=alice)
    marketplace.offerRefund(partly_refunded, price // 4, sender=alice)
    marketplace.acceptRefund(partly_refunded, price // 4, sender=carol)
    marketplace.completeLine(partly_refunded, sender=carol)
    chain.pending_timestamp += terms["acceptWindow"] + 1
    marketplace.expireLine(expired, sender=mallory)
    for account in (carol, alice):
        marketplace.withdraw(usd, sender=account)
    marketplace.collectFees(usd, sender=mallory)

    fees = (price + price * 3 // 4) * terms["feeBps"] // 10_000
    assert usd.balanceOf(marketplace) == 0
    assert usd.balanceOf(carol) - carol_before == 3 * price + price // 4
    assert usd.balanceOf(alice) == price + price * 3 // 4 - fees
    assert usd.balanceOf(treasury) == fees


def test_pause__no_new_business__everything_else_works(
    marketplace, usd, line_in, list_product, admin, alice, carol, mallory, terms
):
    lines = {
        "cancelled": line_in(Status.PAID),
        "rejected": line_in(Status.PAID, price=5 * USD, token=usd),
        "expired": line_in(Status.ACCEPTED),
        "shipped": line_in(Status.PAID, price=5 * USD, token=usd),
        "confirmed": line_in(Status.SHIPPED),
        "refunded": line_in(Status.DELIVERED, price=5 * USD, token=usd),
    }
    eth_product, usd_product = list_product(), list_product(price=5 * USD, token=usd)
    usd.approve(marketplace, 5 * USD, sender=carol)

    marketplace.setPaused(True, sender=admin)

    for attempt in (
        lambda: marketplace.listProduct(ETH, PRICE, 1, "ipfs://new", sender=alice),
        lambda: marketplace.checkout([(eth_product, 1)], ETH, PRICE, value=PRICE, sender=carol),
        lambda: marketplace.checkout([(usd_product, 1)], usd, 5 * USD, sender=carol),
    ):
        with reverts_with(marketplace.MarketPaused):
            attempt()
    marketplace.cancelLine(lines["cancelled"], sender=carol)
    marketplace.rejectLine(lines["rejected"], sender=alice)
    marketplace.acceptLine(lines["shipped"], sender=alice)
    marketplace.shipLine(lines["shipped"], "DHL", "JD1", sender=alice)
    marketplace.confirmDelivery(lines["confirmed"], sender=carol)
    marketplace.completeLine(lines["confirmed"], sender=carol)
    marketplace.offerRefund(lines["refunded"], 5 * USD, sender=alice)
    marketplace.acceptRefund(lines["refunded"], 5 * USD, sender=carol)
    chain.pending_timestamp += terms["shipWindow"] + 1
    marketplace.expireLine(lines["expired"], sender=mallory)
    chain.pending_timestamp += terms["deliveryWindow"] + terms["inspectionWindow"]
    marketplace.completeLine(lines["shipped"], sender=mallory)
    for token in (ETH, usd):
        for account in (carol, alice):
            marketplace.withdraw(token, sender=account)
        marketplace.collectFees(token, sender=mallory)

    assert [marketplace.getLine(line).status for line in lines.values()] == [
        Status.CANCELLED,
        Status.REJECTED,
        Status.EXPIRED,
        Status.COMPLETED,
        Status.COMPLETED,
        Status.REFUNDED,
    ]
    assert marketplace.balance == 0
    assert usd.balanceOf(marketplace) == 0
