"""The oracle's set-up and administration: initialisation, attesters, UUPS upgrades."""

from contextlib import contextmanager

import pytest
from ape.exceptions import ContractLogicError
from eth_utils import keccak
from strict_reverts import reverts_with

from scripts._constants import LineStatus as Status
from scripts._deploy_oracle import deploy_oracle

IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)
ZERO = "0x0000000000000000000000000000000000000000"


def _implementation(chain, proxy) -> str:
    return "0x" + bytes(chain.provider.get_storage(proxy.address, IMPLEMENTATION_SLOT))[-20:].hex()


def test_deploy__roles_wired(oracle, oracle_deployment, marketplace, admin, attester, mallory):
    _, implementation = oracle_deployment
    assert oracle.marketplace() == marketplace.address == implementation.marketplace()
    assert marketplace.hasRole(marketplace.ORACLE_ROLE(), oracle)
    assert not marketplace.hasRole(marketplace.ORACLE_ROLE(), implementation)
    assert oracle.hasRole(oracle.DEFAULT_ADMIN_ROLE(), admin) and oracle.hasRole(oracle.UPGRADER_ROLE(), admin)
    assert oracle.hasRole(oracle.ATTESTER_ROLE(), attester) and not oracle.hasRole(oracle.ATTESTER_ROLE(), admin)
    assert not any(oracle.hasRole(role, mallory) for role in (oracle.DEFAULT_ADMIN_ROLE(), oracle.ATTESTER_ROLE()))
    assert oracle.version() == "1.0.0"


def test_deploy__separate_admin(project, admin, marketplace, attester, mallory, carol):
    oracle, _ = deploy_oracle(admin, marketplace, admin=carol, attesters=[attester, mallory])
    assert oracle.hasRole(oracle.DEFAULT_ADMIN_ROLE(), carol) and not oracle.hasRole(oracle.DEFAULT_ADMIN_ROLE(), admin)
    assert oracle.hasRole(oracle.ATTESTER_ROLE(), mallory)


def test_initialize__twice__reverts(oracle, admin, mallory):
    with reverts_with(oracle.InvalidInitialization):
        oracle.initialize(mallory, [mallory], sender=mallory)


def test_initialize__the_implementation__reverts(oracle_deployment, mallory):
    _, implementation = oracle_deployment
    with reverts_with(implementation.InvalidInitialization):
        implementation.initialize(mallory, [mallory], sender=mallory)


@contextmanager
def deployment_reverts_with(signature: str):
    """ape does not decode custom errors raised while deploying: look for the error's selector in
    the revert data instead."""
    with pytest.raises(ContractLogicError) as info:
        yield
    assert keccak(text=signature)[:4].hex() in str(info.value), f"{info.value!r} is not {signature}"


@pytest.mark.parametrize("where", ["admin", "attester"])
def test_initialize__zero_address__reverts(project, marketplace, admin, attester, where):
    implementation = admin.deploy(project.LogisticsOracle, marketplace)
    args = (ZERO, [attester]) if where == "admin" else (admin, [attester, ZERO])

    with deployment_reverts_with("OracleZeroAddress()"):
        admin.deploy(project.MallProxy, implementation, implementation.initialize.encode_input(*args))


def test_constructor__zero_marketplace__reverts(project, admin):
    with deployment_reverts_with("OracleZeroAddress()"):
        admin.deploy(project.LogisticsOracle, ZERO)


def test_grant_attester__by_non_admin__reverts(oracle, mallory):
    with reverts_with(
        oracle.AccessControlUnauthorizedAccount, account=mallory.address, neededRole=oracle.DEFAULT_ADMIN_ROLE()
    ):
        oracle.grantRole(oracle.ATTESTER_ROLE(), mallory, sender=mallory)


def test_grant_attester__by_an_attester__reverts(oracle, attester, mallory):
    with reverts_with(
        oracle.AccessControlUnauthorizedAccount, account=attester.address, neededRole=oracle.DEFAULT_ADMIN_ROLE()
    ):
        oracle.grantRole(oracle.ATTESTER_ROLE(), mallory, sender=attester)


@pytest.mark.parametrize("who", ["mallory", "attester"])
def test_upgrade__without_upgrader_role__reverts(request, chain, project, oracle, marketplace, who):
    caller = request.getfixturevalue(who)
    new_implementation = caller.deploy(project.LogisticsOracle, marketplace)
    before = _implementation(chain, oracle)

    with reverts_with(
        oracle.AccessControlUnauthorizedAccount, account=caller.address, neededRole=oracle.UPGRADER_ROLE()
    ):
        oracle.upgradeToAndCall(new_implementation, b"", sender=caller)

    assert _implementation(chain, oracle) == before


def test_upgrade__implementation_cannot_be_upgraded_directly(project, oracle_deployment, marketplace, admin):
    _, implementation = oracle_deployment
    with reverts_with(implementation.UUPSUnauthorizedCallContext):
        implementation.upgradeToAndCall(admin.deploy(project.LogisticsOracle, marketplace), b"", sender=admin)


def test_upgrade__by_upgrader__keeps_roles_and_used_nonces(
    chain, project, oracle, marketplace, line_in, attestation, attester, admin, mallory
):
    first, second = line_in(Status.SHIPPED), line_in(Status.SHIPPED)
    delivery, signature = attestation(first, nonce=5)
    oracle.attestDelivery(delivery, signature, sender=mallory)
    new_implementation = admin.deploy(project.LogisticsOracle, marketplace)

    oracle.upgradeToAndCall(new_implementation, b"", sender=admin)

    assert _implementation(chain, oracle).lower() == new_implementation.address.lower()
    assert oracle.nonceUsed(attester, 5) and oracle.hasRole(oracle.ATTESTER_ROLE(), attester)
    with reverts_with(oracle.OracleAttestationReplayed, signer=attester.address, nonce=5):
        oracle.attestDelivery(*attestation(second, nonce=5), sender=mallory)
    oracle.attestDelivery(*attestation(second, nonce=6), sender=mallory)  # same domain: same proxy address
    assert marketplace.getLine(second).status == Status.DELIVERED
