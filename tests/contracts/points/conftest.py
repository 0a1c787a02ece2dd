"""Fixtures of the points tests: the points token and the points mall deployed once per session
on top of the shared marketplace (the root conftest's cast and its line_in factory), a stand-in
for the reviews contract, and helpers for the clock and for claims."""

import sys
from pathlib import Path

import pytest

from scripts._constants import ETH, LineStatus
from scripts._deploy_points import deploy_points, set_default_rates

# strict_reverts.py is one folder up; pytest puts only this folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@pytest.fixture(scope="session")
def points_deployment(admin, marketplace):
    return deploy_points(admin, marketplace)


@pytest.fixture(autouse=True)
def _a_second_after_the_head(points_deployment, chain):
    """Each test starts a second after the chain's head. Rules and rates take effect the second
    after they are set, and anvil mines many blocks a second: after the chain is reverted to the
    deployment, the next block could otherwise share the deployment's second."""
    chain.pending_timestamp = chain.blocks.head.timestamp + 1


@pytest.fixture(scope="session")
def points(points_deployment):
    return points_deployment["MallPoints"][0]


@pytest.fixture(scope="session")
def points_mall(points_deployment):
    return points_deployment["PointsMall"][0]


@pytest.fixture
def usd_rate(points, usd, admin, chain):
    """The default mUSD rate, in effect (from the second after it was set)."""
    rate = set_default_rates(points, [usd], admin)[str(usd.address)]
    chain.pending_timestamp = chain.blocks.head.timestamp + 1
    return rate


@pytest.fixture(scope="session")
def reviews(project, admin, points):
    """A stand-in for the reviews contract (contracts/test/ReviewRegistryStub.sol: tests write
    whatever review they need), set as the points contract's review source."""
    stub = admin.deploy(project.ReviewRegistryStub)
    points.setReviewSource(stub, sender=admin)
    return stub


@pytest.fixture
def at(chain):
    """at(t): the next block is mined at unix second t."""

    def _at(timestamp):
        chain.pending_timestamp = timestamp

    return _at


@pytest.fixture
def mine_at(chain):
    """mine_at(t): mine an empty block at unix second t, so that views see that second."""

    def _mine_at(timestamp):
        chain.mine(timestamp=timestamp)

    return _mine_at


@pytest.fixture
def completed_line(line_in, marketplace, carol, chain):
    """completed_line(price=..., token=ETH, at=None) -> a line alice sold to carol, completed by
    carol (at unix second `at` if given)."""

    def _completed(price=10**16, token=ETH, at=None):
        line_id = line_in(LineStatus.DELIVERED, price=price, token=token)
        if at is not None:
            chain.pending_timestamp = at
        marketplace.completeLine(line_id, sender=carol)
        return line_id

    return _completed


@pytest.fixture
def claim(points, mallory):
    """claim(*line_ids) -> receipt: a keeper (mallory) claims the lines' purchase points."""

    def _claim(*line_ids):
        return points.claimPurchasePoints(list(line_ids), sender=mallory)

    return _claim


@pytest.fixture
def listing(points_mall, admin):
    """listing(price=..., stock=...) -> id of a new points-mall listing."""

    def _listing(price=100, stock=10, metadata="ipfs://reward"):
        receipt = points_mall.createListing(price, stock, metadata, sender=admin)
        return receipt.events.filter(points_mall.ListingCreated)[0].listingId

    return _listing
