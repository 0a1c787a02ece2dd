"""Fixtures for the provenance, review and profile contracts: deployed once per session on top of
the root conftest's marketplace (ape reverts the chain after every test), and the extra cast."""

import sys
from pathlib import Path

import pytest

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
def arbiter(accounts):
    """Whom a buyer re-seals its address to when a dispute is escalated."""
    return accounts[7]


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
