"""Fixtures for the provenance, review and profile contracts: deployed once per session on top of
the root conftest's marketplace (ape reverts the chain after every test), and the extra cast (the
root's arbiter2 plays the arbiter a buyer re-seals its address to)."""

import sys
from pathlib import Path

import pytest

from scripts._constants import LineStatus as Status
from scripts._deploy_trace import deploy_trace

# The shared strict `reverts_with` lives one folder up (tests/contracts); pytest only puts this
# folder on sys.path, and `tests.…` imports are ruled out (see strict_reverts.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.fixture(scope="session")
def carrier(accounts):
    """A supply-chain participant: the parcel's carrier."""
    return accounts[5]


@pytest.fixture(scope="session")
def inspector(accounts):
    """Another participant: a certification body."""
    return accounts[6]


@pytest.fixture(scope="session")
def trace(admin, marketplace):
    """{"Provenance": (proxy, implementation), "Reviews": ..., "Profiles": ...}"""
    return deploy_trace(admin, marketplace)


@pytest.fixture(scope="session")
def provenance(trace):
    return trace["Provenance"][0]


@pytest.fixture(scope="session")
def reviews(trace):
    return trace["Reviews"][0]


@pytest.fixture(scope="session")
def profiles(trace):
    return trace["Profiles"][0]


@pytest.fixture
def line_in_dispute(marketplace, line_in, admin):
    """line_in_dispute(resolved=False) -> a shipped line (alice sells, carol buys) held for a dispute
    by the admin acting as the resolution centre, and settled half and half if `resolved`."""

    def _line(resolved=False):
        line_id = line_in(Status.SHIPPED)
        marketplace.grantRole(marketplace.RESOLVER_ROLE(), admin, sender=admin)
        marketplace.holdLine(line_id, sender=admin)
        if resolved:
            marketplace.resolveLine(line_id, 5_000, admin, 0, sender=admin)
        return line_id

    return _line
