"""Deployment, roles and UUPS upgrades of the three trace contracts: only the upgrader upgrades,
nobody initialises twice, and state survives an upgrade."""

import pytest
from ape.exceptions import ContractLogicError
from eth_utils import keccak
from nacl.public import PrivateKey
from strict_reverts import reverts_with

from scripts._constants import LineStatus as Status
from scripts._deploy_trace import TRACE_CONTRACTS

IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)
ZERO_ADDRESS = "0x" + "00" * 20


@pytest.fixture(params=TRACE_CONTRACTS)
def deployed(request, trace):
    """(name, contract at its proxy, implementation), for each of the three."""
    proxy, implementation = trace[request.param]
    return request.param, proxy, implementation


def test_initialize__roles_marketplace_version(deployed, marketplace, admin, mallory):
    _, contract, _ = deployed
    for role in (contract.DEFAULT_ADMIN_ROLE(), contract.UPGRADER_ROLE()):
        assert contract.hasRole(role, admin)
        assert not contract.hasRole(role, mallory)
    assert contract.marketplace() == marketplace.address
    assert contract.version() == "1.0.0"


def test_initialize__twice__reverts(deployed, mallory):
    _, contract, implementation = deployed
    for target in (contract, implementation):
        with reverts_with(contract.InvalidInitialization):
            target.initialize(mallory, sender=mallory)


def test_deploy__zero_marketplace_or_admin__reverts(deployed, project, admin):
    # ape decodes no custom error from a failed deployment: compare the raw revert data.
    name, _, implementation = deployed
    for deploy in (
        lambda: admin.deploy(getattr(project, name), ZERO_ADDRESS),
        lambda: admin.deploy(project.MallProxy, implementation, implementation.initialize.encode_input(ZERO_ADDRESS)),
    ):
        with pytest.raises(ContractLogicError) as info:
            deploy()
        assert str(info.value) == "0x" + keccak(text="ModuleZeroAddress()")[:4].hex()


def test_upgrade__by_non_upgrader__reverts(deployed, project, marketplace, mallory):
    name, contract, _ = deployed
    new_implementation = mallory.deploy(getattr(project, name), marketplace)
    with reverts_with(contract.AccessControlUnauthorizedAccount, account=mallory, neededRole=contract.UPGRADER_ROLE()):
        contract.upgradeToAndCall(new_implementation, b"", sender=mallory)


def test_upgrade__implementation_directly__reverts(deployed, project, marketplace, admin):
    name, contract, implementation = deployed
    new_implementation = admin.deploy(getattr(project, name), marketplace)
    with reverts_with(contract.UUPSUnauthorizedCallContext):
        implementation.upgradeToAndCall(new_implementation, b"", sender=admin)


def test_upgrade__keeps_batches_reviews_and_keys(
    chain, project, trace, marketplace, provenance, reviews, profiles, line_in, admin, alice, carol, carrier
):
    line_id = line_in(Status.COMPLETED)
    product_id = marketplace.getLine(line_id).productId
    batch = provenance.registerBatch(product_id, "ipfs://batch", sender=alice).events[0].batchId
    provenance.authorizeParticipant(batch, carrier, 5, sender=alice)
    provenance.linkLine(line_id, batch, sender=alice)
    reviews.postReview(line_id, 5, "ipfs://review", bytes(32), sender=carol)
    key = PrivateKey.generate().public_key.encode()
    profiles.setProfile("Alice", "", key, sender=alice)
    before = (
        provenance.getBatch(batch), provenance.roleOf(batch, carrier), provenance.batchOfLine(line_id),
        reviews.getReview(line_id), profiles.encryptionKeyOf(alice),
    )  # fmt: skip

    for name in TRACE_CONTRACTS:
        proxy, _ = trace[name]
        new_implementation = admin.deploy(getattr(project, name), marketplace)
        proxy.upgradeToAndCall(new_implementation, b"", sender=admin)
        stored = bytes(chain.provider.get_storage(proxy.address, IMPLEMENTATION_SLOT))[-20:]
        assert "0x" + stored.hex() == new_implementation.address.lower()

    after = (
        provenance.getBatch(batch), provenance.roleOf(batch, carrier), provenance.batchOfLine(line_id),
        reviews.getReview(line_id), profiles.encryptionKeyOf(alice),
    )  # fmt: skip
    assert after == before
    # ...and the rules still hold under the new code.
    with reverts_with(reviews.ReviewsAlreadyReviewed, lineId=line_id):
        reviews.postReview(line_id, 1, "ipfs://again", bytes(32), sender=carol)
    provenance.recordLineEvent(
        line_id, b"arriving".ljust(32, b"\0"), bytes(32), chain.blocks.head.timestamp, "", bytes(32), "", sender=carrier
    )
