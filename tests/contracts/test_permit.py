"""Checkout with an EIP-2612 permit: one transaction, no approval; and every way a permit can be
stale, replayed, forged, front-run or misused."""

import pytest
from eth_account import Account
from strict_reverts import reverts_with

from scripts._constants import ETH, USD
from scripts._permit import permit_message, sign_permit

PRICE = 25 * USD


def recovered_signer(token, owner, spender, value: int, nonce: int, deadline: int, v, r, s) -> str:
    """Whom the token will take the signature to be from, for this owner and nonce."""
    message = permit_message(token, owner.address, spender.address, value, nonce, deadline)
    return Account.recover_message(message, vrs=(v, r, s))


@pytest.fixture
def product(list_product, usd):
    return list_product(price=PRICE, token=usd)


@pytest.fixture
def deadline(chain):
    return chain.pending_timestamp + 3600


def balances(marketplace, usd, *accounts):
    return [usd.balanceOf(account) for account in (*accounts, marketplace)]


def test_checkout_with_permit__one_transaction_no_approval(marketplace, usd, product, carol, deadline):
    assert usd.allowance(carol, marketplace) == 0
    carol_before, market_before = balances(marketplace, usd, carol)
    v, r, s = sign_permit(usd, carol, marketplace, PRICE, deadline)

    receipt = marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, deadline, v, r, s, sender=carol)

    (placed,) = receipt.events.filter(marketplace.LinePlaced)
    assert (placed.buyer, placed.productId, placed.amount) == (carol.address, product, PRICE)
    assert balances(marketplace, usd, carol) == [carol_before - PRICE, market_before + PRICE]
    assert usd.allowance(carol, marketplace) == 0  # the permit allowed exactly the total
    assert usd.nonces(carol) == 1


def test_checkout_with_permit__expired__reverts(marketplace, usd, product, carol, chain):
    expired = chain.blocks.head.timestamp - 1
    v, r, s = sign_permit(usd, carol, marketplace, PRICE, expired)
    before = balances(marketplace, usd, carol)

    with reverts_with(usd.ERC2612ExpiredSignature, deadline=expired):
        marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, expired, v, r, s, sender=carol)

    assert balances(marketplace, usd, carol) == before
    assert (usd.nonces(carol), marketplace.orderCount(), marketplace.getProduct(product).stock) == (0, 0, 10)


def test_checkout_with_permit__replayed__reverts(marketplace, usd, product, carol, deadline):
    v, r, s = sign_permit(usd, carol, marketplace, PRICE, deadline)
    marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, deadline, v, r, s, sender=carol)
    before = balances(marketplace, usd, carol)
    # The nonce moved on: the same signature now recovers to some other address.
    signer = recovered_signer(usd, carol, marketplace, PRICE, 1, deadline, v, r, s)

    with reverts_with(usd.ERC2612InvalidSigner, signer=signer, owner=carol):
        marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, deadline, v, r, s, sender=carol)

    assert balances(marketplace, usd, carol) == before
    assert (usd.nonces(carol), marketplace.orderCount(), marketplace.getProduct(product).stock) == (1, 1, 9)


def test_checkout_with_permit__signed_by_someone_else__reverts(marketplace, usd, product, carol, dave, deadline):
    """Dave signs a permit over carol's funds: the token sees dave's signature, not carol's."""
    v, r, s = sign_permit(usd, carol, marketplace, PRICE, deadline, signer=dave)
    before = balances(marketplace, usd, carol)

    with reverts_with(usd.ERC2612InvalidSigner, signer=dave, owner=carol):
        marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, deadline, v, r, s, sender=carol)

    assert balances(marketplace, usd, carol) == before
    assert marketplace.orderCount() == 0


def test_checkout_with_permit__someone_elses_signature__reverts(marketplace, usd, product, carol, dave, deadline):
    """Dave lifts carol's signature from the mempool to buy with it: the permit is for carol's
    funds, and the marketplace only ever asks the token for the caller's."""
    v, r, s = sign_permit(usd, carol, marketplace, PRICE, deadline)
    signer = recovered_signer(usd, dave, marketplace, PRICE, 0, deadline, v, r, s)
    before = balances(marketplace, usd, carol, dave)

    with reverts_with(usd.ERC2612InvalidSigner, signer=signer, owner=dave):
        marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, deadline, v, r, s, sender=dave)

    assert balances(marketplace, usd, carol, dave) == before
    assert usd.nonces(carol) == 0  # carol's signature is still good for carol


def test_checkout_with_permit__for_another_amount__reverts(marketplace, usd, product, carol, deadline):
    """The price went up after signing: the permit does not cover the new total."""
    v, r, s = sign_permit(usd, carol, marketplace, PRICE - 1, deadline)
    signer = recovered_signer(usd, carol, marketplace, PRICE, 0, deadline, v, r, s)

    with reverts_with(usd.ERC2612InvalidSigner, signer=signer, owner=carol):
        marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, deadline, v, r, s, sender=carol)

    assert marketplace.orderCount() == 0


def test_checkout_with_permit__front_run__still_succeeds(marketplace, usd, product, carol, mallory, deadline):
    """A griefer submits carol's permit to the token first. Her checkout's own permit call then
    fails (nonce used), but the allowance is there, so the purchase goes through."""
    v, r, s = sign_permit(usd, carol, marketplace, PRICE, deadline)
    usd.permit(carol, marketplace, PRICE, deadline, v, r, s, sender=mallory)
    assert usd.allowance(carol, marketplace) == PRICE
    carol_before, market_before = balances(marketplace, usd, carol)

    receipt = marketplace.checkoutWithPermit([(product, 1)], usd, PRICE, deadline, v, r, s, sender=carol)

    assert len(receipt.events.filter(marketplace.LinePlaced)) == 1
    assert balances(marketplace, usd, carol) == [carol_before - PRICE, market_before + PRICE]
    assert usd.allowance(carol, marketplace) == 0


def test_checkout_with_permit__eth__reverts(marketplace, usd, list_product, carol, deadline):
    """ETH has no permit: checkout with msg.value is the way."""
    eth_product = list_product()
    v, r, s = sign_permit(usd, carol, marketplace, 10**16, deadline)

    with reverts_with(marketplace.MarketTokenNotAllowed, token=ETH):
        marketplace.checkoutWithPermit([(eth_product, 1)], ETH, 10**16, deadline, v, r, s, sender=carol)

    assert marketplace.orderCount() == 0
