"""Deployment, roles and the admin settings: tokens, terms (snapshotted per order), treasury, pause."""

import ape
import pytest
from ape import chain

from scripts._constants import ETH
from scripts._constants import LineStatus as Status
from scripts.deploy import terms_tuple

NEW_TERMS = {"feeBps": 500, "acceptWindow": 3600, "shipWindow": 7200, "deliveryWindow": 86_400,
             "inspectionWindow": 600}  # fmt: skip

PRICE = 10**16  # 0.01 ETH, as the list_product fixture's default


def test_initialize__roles_treasury_terms(marketplace, admin, treasury, mallory, terms):
    for role in ("DEFAULT_ADMIN_ROLE", "PAUSER_ROLE", "UPGRADER_ROLE"):
        assert marketplace.hasRole(getattr(marketplace, role)(), admin)
        assert not marketplace.hasRole(getattr(marketplace, role)(), mallory)
    assert marketplace.treasury() == treasury.address
    assert marketplace.currentTermsId() == 1
    assert marketplace.getTerms(1) == terms_tuple(terms)
    assert marketplace.version() == "1.1.0"
    assert not marketplace.paused()


def test_initialize__twice__reverts(marketplace, mallory, terms):
    with ape.reverts(marketplace.InvalidInitialization):
        marketplace.initialize(mallory, mallory, terms_tuple(terms), sender=mallory)


def test_initialize__implementation_directly__reverts(deployment, mallory, terms):
    _, implementation, _ = deployment
    with ape.reverts(implementation.InvalidInitialization):
        implementation.initialize(mallory, mallory, terms_tuple(terms), sender=mallory)


# ---------------------------------------------------------------- payment tokens


def test_set_payment_token__registers_once_and_toggles(marketplace, project, admin):
    token = admin.deploy(project.DemoStablecoin, admin)
    receipt = marketplace.setPaymentToken(token, True, sender=admin)
    # The next free id (1 on a fresh mall; a session fixture may have registered the stablecoin first).
    token_id = receipt.events[0].tokenId
    assert token_id >= 1 and marketplace.tokenOf(token_id) == token.address
    assert receipt.events == [marketplace.PaymentTokenSet(token=token, tokenId=token_id, allowed=True)]
    assert marketplace.isTokenAllowed(token)
    receipt = marketplace.setPaymentToken(token, False, sender=admin)
    assert receipt.events == [marketplace.PaymentTokenSet(token=token, tokenId=token_id, allowed=False)]
    assert not marketplace.isTokenAllowed(token)
    assert marketplace.isTokenAllowed(ETH)


def test_set_payment_token__eth__reverts(marketplace, admin):
    with ape.reverts(marketplace.MarketZeroAddress):
        marketplace.setPaymentToken(ETH, False, sender=admin)


def test_disallowed_token__open_orders_still_settle(marketplace, usd, line_in, list_product, admin, alice, carol):
    """Taking a token off the list stops new business in it, never traps what is escrowed."""
    line_id = line_in(Status.DELIVERED, price=10**6, token=usd)
    product_id = list_product(price=10**6, token=usd)
    marketplace.setPaymentToken(usd, False, sender=admin)

    usd.approve(marketplace, 10**6, sender=carol)
    with ape.reverts(marketplace.MarketTokenNotAllowed, token=usd):
        marketplace.checkout([(product_id, 1)], usd, 10**6, sender=carol)
    marketplace.completeLine(line_id, sender=carol)
    marketplace.withdraw(usd, sender=alice)
    assert usd.balanceOf(alice) > 0


# ---------------------------------------------------------------- terms


def test_set_terms__new_version_for_new_orders_only(marketplace, line_in, admin, alice, terms):
    open_line = line_in(Status.PAID)
    receipt = marketplace.setTerms(terms_tuple(NEW_TERMS), sender=admin)
    (event,) = receipt.events
    assert (event.event_name, event.termsId, tuple(event.terms)) == ("TermsSet", 2, terms_tuple(NEW_TERMS))
    new_line = line_in(Status.PAID)

    assert marketplace.getLine(open_line).termsId == 1
    assert marketplace.getLine(new_line).termsId == 2
    # The open order keeps its accept window (3 days) and its fee (2.5%) under the new terms.
    chain.pending_timestamp += NEW_TERMS["acceptWindow"] + 10
    marketplace.acceptLine(open_line, sender=alice)
    with ape.reverts(marketplace.MarketDeadlinePassed):
        marketplace.acceptLine(new_line, sender=alice)


def test_set_terms__fee_snapshot(marketplace, line_in, admin, alice, carol):
    line_id = line_in(Status.DELIVERED)
    marketplace.setTerms(terms_tuple(NEW_TERMS), sender=admin)
    receipt = marketplace.completeLine(line_id, sender=carol)
    assert receipt.events.filter(marketplace.LineCompleted)[0].fee == PRICE * 250 // 10_000


@pytest.mark.parametrize(
    "bad",
    [{"feeBps": 2_001}, {"acceptWindow": 0}, {"shipWindow": 0}, {"deliveryWindow": 0}, {"inspectionWindow": 0}],
)
def test_set_terms__out_of_range__reverts(marketplace, admin, terms, bad):
    with ape.reverts(marketplace.MarketInvalidTerms, maxFeeBps=2_000):
        marketplace.setTerms(terms_tuple({**terms, **bad}), sender=admin)


# ---------------------------------------------------------------- treasury and pause


def test_set_treasury(marketplace, admin, mallory):
    receipt = marketplace.setTreasury(mallory, sender=admin)
    assert receipt.events == [marketplace.TreasurySet(treasury=mallory)]
    assert marketplace.treasury() == mallory.address
    with ape.reverts(marketplace.MarketZeroAddress):
        marketplace.setTreasury(ETH, sender=admin)


def test_pause__stops_new_business_only(marketplace, line_in, list_product, admin, alice, carol, mallory, terms):
    product_id = list_product()
    cancelled = line_in(Status.PAID)
    completed = line_in(Status.DELIVERED)
    expiring = line_in(Status.ACCEPTED)
    receipt = marketplace.setPaused(True, sender=admin)
    assert receipt.events == [marketplace.PausedSet(paused=True, by=admin)]

    with ape.reverts(marketplace.MarketPaused):
        marketplace.listProduct(ETH, PRICE, 1, "ipfs://x", sender=alice)
    with ape.reverts(marketplace.MarketPaused):
        marketplace.checkout([(product_id, 1)], ETH, PRICE, value=PRICE, sender=carol)
    # Funds never trapped: refunds, completions, timeouts, withdrawals and fee collection go on.
    marketplace.cancelLine(cancelled, sender=carol)
    marketplace.completeLine(completed, sender=carol)
    chain.pending_timestamp += terms["shipWindow"] + 1
    marketplace.expireLine(expiring, sender=mallory)
    marketplace.withdraw(ETH, sender=carol)
    marketplace.withdraw(ETH, sender=alice)
    marketplace.collectFees(ETH, sender=mallory)
    assert marketplace.balance == 0

    marketplace.setPaused(False, sender=admin)
    marketplace.checkout([(product_id, 1)], ETH, PRICE, value=PRICE, sender=carol)


# ---------------------------------------------------------------- who may do it


@pytest.mark.parametrize(
    ("call", "role"),
    [
        (lambda m, who, terms: m.setPaymentToken(who, True, sender=who), "DEFAULT_ADMIN_ROLE"),
        (lambda m, who, terms: m.setTerms(terms_tuple(terms), sender=who), "DEFAULT_ADMIN_ROLE"),
        (lambda m, who, terms: m.setTreasury(who, sender=who), "DEFAULT_ADMIN_ROLE"),
        (lambda m, who, terms: m.setPaused(True, sender=who), "PAUSER_ROLE"),
        (lambda m, who, terms: m.grantRole(m.PAUSER_ROLE(), who, sender=who), "DEFAULT_ADMIN_ROLE"),
    ],
)
def test_admin_functions__by_others__revert(marketplace, mallory, alice, terms, call, role):
    for outsider in (mallory, alice):
        with ape.reverts(
            marketplace.AccessControlUnauthorizedAccount, account=outsider, neededRole=getattr(marketplace, role)()
        ):
            call(marketplace, outsider, terms)


def test_pauser_role_can_be_delegated(marketplace, admin, mallory):
    marketplace.grantRole(marketplace.PAUSER_ROLE(), mallory, sender=admin)
    marketplace.setPaused(True, sender=mallory)
    assert marketplace.paused()
