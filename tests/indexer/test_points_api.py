"""Loyalty points and the points mall in the indexer: real MallPoints and PointsMall events on anvil,
ingested into SQLite and PostgreSQL, read through the API. The balance and the expiry buckets the
indexer derives equal the contract's ``balanceOf`` and ``bucketsOf``; history rows carry their reasons;
claimable lines are the buyer's completed lines nobody claimed; a replay gives the same tables."""

import pytest
import sqlalchemy as sa
from ape import chain
from fastapi.testclient import TestClient

from indexer import migrations
from indexer.api import create_app
from indexer.events import Checkpoint
from indexer.models import EventRecord
from indexer.settings import Settings
from indexer.store import Store, make_engine
from scripts._constants import ETH
from scripts._constants import LineStatus as Status
from scripts._deploy_points import DEFAULT_RULES, deploy_points
from scripts.deploy import build_record, write_record

DAY = 86_400
PERIOD = 30 * DAY
VALIDITY = DEFAULT_RULES["validity"]
CHECK_IN = DEFAULT_RULES["checkInPoints"]
EARNED = 1_000  # a completed 0.01 ETH line at the default ETH rate


def expiry(earned_at: int) -> int:
    return -(-(earned_at + VALIDITY) // PERIOD) * PERIOD


@pytest.fixture(scope="session")
def points_deployment(admin, marketplace):
    return deploy_points(admin, marketplace)


@pytest.fixture
def points(points_deployment):
    return points_deployment["MallPoints"][0]


@pytest.fixture
def points_mall(points_deployment):
    return points_deployment["PointsMall"][0]


@pytest.fixture(autouse=True)
def _a_second_after_the_head(points_deployment):
    """Rates take effect the second after they are set (see tests/contracts/points/conftest.py)."""
    chain.pending_timestamp = chain.blocks.head.timestamp + 1


@pytest.fixture
def record_file(tmp_path, deployment, usd, points_deployment):
    marketplace, implementation, start_block = deployment
    contracts = {"Marketplace": (marketplace, implementation), **points_deployment}
    path = tmp_path / "deployment.json"
    write_record(build_record(contracts=contracts, start_block=start_block, tokens=[usd]), path)
    return path


@pytest.fixture
def api(store, mall_deployment, tmp_path):
    settings = Settings(frontend_dir=tmp_path / "no-frontend", response_cache=False)
    return TestClient(create_app(settings, store, mall_deployment))


@pytest.fixture
def sync(ingestor):
    return ingestor.sync_once


@pytest.fixture
def completed_line(line_in, marketplace, carol):
    def _completed(price=10**16):
        line_id = line_in(Status.DELIVERED, price=price, token=ETH)
        marketplace.completeLine(line_id, sender=carol)
        return line_id

    return _completed


@pytest.fixture
def listing(points_mall, admin):
    def _listing(price=100, stock=10, metadata="ipfs://reward-mug"):
        receipt = points_mall.createListing(price, stock, metadata, sender=admin)
        return receipt.events.filter(points_mall.ListingCreated)[0].listingId

    return _listing


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def refused(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert all(word in response.json()["message"] for word in words), response.json()


def head() -> int:
    return chain.blocks.head.timestamp


def contract_buckets(points, account) -> list[dict]:
    return sorted(
        ({"points": b[0], "expiresAt": b[1]} for b in points.bucketsOf(account)), key=lambda b: b["expiresAt"]
    )


# ------------------------------------------------------------------ balance, expiries, history


def test_points__earned_spent_returned__equal_the_contract(
    api, sync, points, points_mall, completed_line, listing, carol, mallory
):
    first, second = completed_line(), completed_line()
    sync()
    claimable = ok(api.get(f"/api/points/claimable/{carol.address}"))
    assert [line["lineId"] for line in claimable["lines"]] == [first, second]
    assert claimable["lines"][0]["paidAmount"] == str(10**16) and claimable["lines"][0]["token"] == ETH

    points.claimPurchasePoints([first], sender=mallory)  # anyone may claim for the buyer
    points.checkIn(sender=carol)
    checked_in_at = head()
    mug = listing(price=100, stock=10)
    placed = points_mall.redeem(mug, 3, 300, sender=carol).events.filter(points_mall.Redeemed)[0].redemptionId
    kept = points_mall.redeem(mug, 1, 100, sender=carol).events.filter(points_mall.Redeemed)[0].redemptionId
    points_mall.cancelRedemption(placed, sender=carol)
    sync()

    assert [line["lineId"] for line in ok(api.get(f"/api/points/claimable/{carol.address}"))["lines"]] == [second]
    now = head()
    summary = ok(api.get(f"/api/points/{carol.address.lower()}?at={now}"))
    assert summary["address"] == carol.address and summary["at"] == now
    assert summary["balance"] == points.balanceOf(carol) == EARNED + CHECK_IN - 100
    assert summary["nextExpiries"] == contract_buckets(points, carol)
    assert (summary["earned"], summary["spent"], summary["expiredTotal"]) == (EARNED + CHECK_IN, 100, 0)
    assert summary["earnedByKind"] == {"earned_purchase": EARNED, "earned_review": 0, "earned_checkin": CHECK_IN}
    assert (summary["lastCheckInDay"], summary["checkedInToday"]) == (checked_in_at // DAY, True)
    assert ok(api.get(f"/api/points/{carol.address}?at={now + DAY}"))["checkedInToday"] is False

    history = ok(api.get(f"/api/points/{carol.address}/history"))
    assert [(h["kind"], h["points"], h["lineId"], h["redemptionId"]) for h in history["items"]] == [
        ("returned", 300, None, placed),
        ("spent_redemption", 100, None, kept),
        ("spent_redemption", 300, None, placed),
        ("earned_checkin", CHECK_IN, None, None),
        ("earned_purchase", EARNED, first, None),
    ]
    assert history["total"] == 5 and history["items"][3]["day"] == checked_in_at // DAY
    assert history["items"][4]["expiresAt"] == summary["nextExpiries"][0]["expiresAt"]
    paged = ok(api.get(f"/api/points/{carol.address}/history?limit=2&offset=3"))
    assert [h["kind"] for h in paged["items"]] == ["earned_checkin", "earned_purchase"] and paged["total"] == 5


def test_points__listings_and_redemptions_with_status(
    api, sync, points, points_mall, completed_line, listing, admin, carol, mallory
):
    points.claimPurchasePoints([completed_line()], sender=mallory)
    mug, poster = listing(price=100, stock=5), listing(price=40, stock=1, metadata="ipfs://poster")
    shipped = points_mall.redeem(mug, 2, 200, sender=carol).events.filter(points_mall.Redeemed)[0].redemptionId
    rejected = points_mall.redeem(poster, 1, 40, sender=carol).events.filter(points_mall.Redeemed)[0].redemptionId
    points_mall.shipRedemption(shipped, "DHL", "JD0001", sender=admin)
    points_mall.rejectRedemption(rejected, sender=admin)
    points_mall.updateListing(mug, 120, 3, sender=admin)
    sync()

    listings = ok(api.get("/api/points/mall/listings"))
    assert [(item["id"], item["price"], item["stock"], item["metadataUri"]) for item in listings["items"]] == [
        (mug, 120, 3, "ipfs://reward-mug"), (poster, 40, 1, "ipfs://poster"),
    ]  # fmt: skip
    mine = ok(api.get(f"/api/points/redemptions?buyer={carol.address.lower()}"))
    assert mine["total"] == 2
    assert [(r["id"], r["status"], r["points"], r["pointsReturned"], r["carrier"]) for r in mine["items"]] == [
        (rejected, "Rejected", 40, 40, None), (shipped, "Shipped", 200, None, "DHL"),
    ]  # fmt: skip
    assert mine["items"][1]["trackingRef"] == "JD0001" and mine["items"][1]["metadataUri"] == "ipfs://reward-mug"
    assert ok(api.get("/api/points/redemptions?status=Shipped"))["items"][0]["id"] == shipped
    assert ok(api.get(f"/api/points/redemptions?buyer={admin.address}"))["total"] == 0
    summary = ok(api.get(f"/api/points/{carol.address}?at={head()}"))
    assert summary["balance"] == points.balanceOf(carol) == EARNED - 200
    assert summary["spent"] == 200


def test_points__expired_unspent_and_lost_on_cancel(
    api, sync, points, points_mall, completed_line, listing, carol, mallory
):
    line = completed_line()
    points.claimPurchasePoints([line], sender=mallory)
    earned_at = head()
    mug = listing(price=100, stock=5)
    redemption = points_mall.redeem(mug, 1, 100, sender=carol).events.filter(points_mall.Redeemed)[0].redemptionId
    chain.pending_timestamp = expiry(earned_at) + 1  # every part of the receipt has expired
    points_mall.cancelRedemption(redemption, sender=carol)  # the buyer cancels: expired parts are lost
    sync()

    now = head()
    summary = ok(api.get(f"/api/points/{carol.address}?at={now}"))
    assert summary["balance"] == points.balanceOf(carol) == 0
    assert summary["nextExpiries"] == []
    assert summary["expired"] == [{"points": EARNED - 100, "expiresAt": expiry(earned_at)}]
    assert summary["expiredTotal"] == EARNED  # 900 expired unspent, 100 lost on the cancellation
    returned = ok(api.get(f"/api/points/{carol.address}/history?kind=returned"))["items"]
    assert [(r["points"], r["lost"], r["redemptionId"]) for r in returned] == [(0, 100, redemption)]
    before = ok(api.get(f"/api/points/{carol.address}?at={earned_at}"))
    assert before["balance"] == EARNED - 100 and before["nextExpiries"][0]["expiresAt"] == expiry(earned_at)


def test_points__rejected_after_expiry__renewed_as_earned_now(
    api, sync, points, points_mall, completed_line, listing, admin, carol, mallory
):
    points.claimPurchasePoints([completed_line()], sender=mallory)
    earned_at = head()
    redemption = points_mall.redeem(listing(), 1, 100, sender=carol).events.filter(points_mall.Redeemed)[0]
    chain.pending_timestamp = expiry(earned_at) + 1
    points_mall.rejectRedemption(redemption.redemptionId, sender=admin)
    renewed_at = head()
    sync()

    summary = ok(api.get(f"/api/points/{carol.address}?at={renewed_at}"))
    assert summary["balance"] == points.balanceOf(carol) == 100
    assert summary["nextExpiries"] == [{"points": 100, "expiresAt": expiry(renewed_at)}]
    assert summary["nextExpiries"] == [b for b in contract_buckets(points, carol) if b["expiresAt"] > renewed_at]


def test_points__replay_equals_a_fresh_index(
    sync, store, dump, reference_dump, points, points_mall, completed_line, listing, admin, carol, mallory
):
    """A rewind replays every event into emptied tables: the points tables come back equal."""
    points.claimPurchasePoints([completed_line()], sender=mallory)
    sync()
    fork = store.checkpoint()
    points.checkIn(sender=carol)
    mug = listing()
    cancelled = points_mall.redeem(mug, 2, 200, sender=carol).events.filter(points_mall.Redeemed)[0].redemptionId
    points_mall.cancelRedemption(cancelled, sender=carol)
    points_mall.shipRedemption(
        points_mall.redeem(mug, 1, 100, sender=carol).events.filter(points_mall.Redeemed)[0].redemptionId,
        "DHL", "JD0002", sender=admin,
    )  # fmt: skip
    sync()
    expected = dump(store)
    assert expected == reference_dump()
    assert all(expected[table] for table in ("points_history", "points_buckets", "points_redemptions", "points_rules"))

    assert store.rewind(Checkpoint(fork.block_number, fork.block_hash)) > 0
    sync()
    assert dump(store) == expected


def test_points__transfers_move_parts_with_their_expiries(
    api, sync, points, completed_line, admin, carol, dave, mallory
):
    points.claimPurchasePoints([completed_line()], sender=mallory)
    points.setTransfersEnabled(True, sender=admin)
    points.transfer(dave, 150, sender=carol)
    sync()

    now = head()
    for account, balance in ((carol, EARNED - 150), (dave, 150)):
        summary = ok(api.get(f"/api/points/{account.address}?at={now}"))
        assert summary["balance"] == points.balanceOf(account) == balance
        assert summary["nextExpiries"] == contract_buckets(points, account)
    (sent,) = ok(api.get(f"/api/points/{carol.address}/history?kind=transferred_out"))["items"]
    (received,) = ok(api.get(f"/api/points/{dave.address}/history"))["items"]
    assert (sent["points"], sent["counterparty"]) == (150, dave.address)
    assert (received["kind"], received["points"], received["counterparty"]) == ("transferred_in", 150, carol.address)


def test_upgrade__a_store_holding_points_events__indexes_again(
    database_url_factory, make_store, make_ingestor, mall_deployment, points, completed_line, carol, mallory, dump
):
    """A store from before 0003_points kept the points contracts' events but derived nothing from them:
    upgrading forgets what it derived and its checkpoint, and ingest starts over."""
    current = make_store()
    points.claimPurchasePoints([completed_line()], sender=mallory)
    points.checkIn(sender=carol)
    make_ingestor(current).sync_once()

    legacy_url = database_url_factory()
    legacy = make_engine(legacy_url)
    migrations.upgrade(legacy, "0004_trace")  # every head but this one
    with legacy.begin() as target, current.engine.connect() as source:
        for name in ("sync_state", "events", "lines", "products", "members"):
            table = sa.Table(name, sa.MetaData(), autoload_with=target)
            kept = sa.Table(name, sa.MetaData(), autoload_with=source)
            rows = [dict(row._mapping) for row in source.execute(sa.select(*(kept.c[c.name] for c in table.columns)))]
            if rows:
                target.execute(table.insert(), rows)
    legacy.dispose()

    upgraded = Store(legacy_url, chain_id=mall_deployment.chain_id)
    try:
        assert upgraded.checkpoint() is None
        with upgraded.session() as session:
            assert session.exec(sa.select(sa.func.count()).select_from(EventRecord)).one()[0] == 0
        make_ingestor(upgraded).sync_once()
        assert dump(upgraded) == dump(current)
        assert dump(upgraded)["points_history"]
    finally:
        upgraded.close()


# ------------------------------------------------------------------ refusals


def test_points__refusals(api, sync, carol):
    sync()
    empty = ok(api.get(f"/api/points/{carol.address}"))
    assert (empty["balance"], empty["nextExpiries"], empty["lastCheckInDay"], empty["checkedInToday"]) == (
        0, [], None, False
    )  # fmt: skip
    assert ok(api.get(f"/api/points/{carol.address}/history")) == {"items": [], "total": 0}
    refused(api.get("/api/points/0x1234"), 422, "address", "not a 0x-prefixed 20-byte hex address")
    refused(api.get("/api/points/0x1234/history"), 422, "address")
    refused(api.get("/api/points/claimable/carol"), 422, "address")
    refused(api.get(f"/api/points/{carol.address}?at=-1"), 422, "at")
    refused(api.get(f"/api/points/{carol.address}/history?kind=stolen"), 422, "kind")
    refused(api.get(f"/api/points/{carol.address}/history?limit=101"), 422, "limit")
    refused(api.get("/api/points/redemptions?buyer=nobody"), 422, "buyer")
    refused(api.get("/api/points/redemptions?status=Lost"), 422, "status")
    refused(api.get("/api/points/mall/listings?offset=-1"), 422, "offset")
