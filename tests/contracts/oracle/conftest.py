"""Fixtures for the logistics oracle: deployed once per session on top of the root conftest's
marketplace (ape reverts the chain after every test), its attester, and a factory of signed
delivery attestations."""

import itertools
import sys
from pathlib import Path

import pytest

from oracle.attestation import Delivery, Domain, sign_delivery, tracking_hash
from scripts._deploy_oracle import deploy_oracle

# The shared strict `reverts_with` lives one folder up (tests/contracts); pytest only puts this
# folder on sys.path, and `tests.…` imports are ruled out (see strict_reverts.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TRACKING_REF = "JD014600006281"  # what the root conftest's line_in ships with
HOUR = 3600


@pytest.fixture(scope="session")
def attester(accounts):
    """The oracle service's signing key (holds ATTESTER_ROLE)."""
    return accounts[6]


@pytest.fixture(scope="session")
def oracle_deployment(admin, marketplace, attester):
    """(oracle at its proxy, implementation), holding the marketplace's ORACLE_ROLE."""
    return deploy_oracle(admin, marketplace, attesters=[attester])


@pytest.fixture(scope="session")
def oracle(oracle_deployment):
    return oracle_deployment[0]


@pytest.fixture(scope="session")
def domain(oracle):
    return Domain.from_eip5267(oracle.eip712Domain())


@pytest.fixture
def attestation(chain, domain, attester):
    """attestation(line_id, signer=attester, tracking_ref=..., delivered_at=..., nonce=..., deadline=...)
    -> (delivery tuple, signature): what the service relays. Nonces count up from 0 unless given."""
    nonces = itertools.count()

    def _attest(line_id, *, signer=attester, tracking_ref=TRACKING_REF, delivered_at=None, nonce=None, deadline=None):
        now = chain.blocks.head.timestamp
        delivery = Delivery(
            line_id=line_id,
            tracking_hash=tracking_hash(tracking_ref),
            delivered_at=now if delivered_at is None else delivered_at,
            nonce=next(nonces) if nonce is None else nonce,
            deadline=now + HOUR if deadline is None else deadline,
        )
        key = signer.private_key if hasattr(signer, "private_key") else signer.key  # ape or eth_account
        return delivery.as_tuple(), sign_delivery(key, domain, delivery)

    return _attest
