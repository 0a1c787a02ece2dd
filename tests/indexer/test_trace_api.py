"""Provenance, reviews, profiles and sealed shipping details: real Provenance, Reviews and Profiles
events on anvil, ingested into SQLite and PostgreSQL, read through the API. Reputation counts each
line once with its current rating; a replay (what a reorg does) gives the same tables; and after a
whole order with a sealed address, no piece of that address is in the indexer's database, its
answers or its log."""

import logging
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from ape import chain, project
from eth_utils import keccak, to_checksum_address
from fastapi.testclient import TestClient
from nacl.public import PrivateKey, PublicKey, SealedBox

from indexer import migrations
from indexer.api import create_app
from indexer.events import Checkpoint
from indexer.models import EventRecord
from indexer.settings import Settings
from indexer.store import Store, make_engine
from scripts._bench_trace import bytes32
from scripts._constants import LineStatus as Status
from scripts._deploy_trace import deploy_trace
from scripts.deploy import build_record, write_record

IMPLEMENTATION_SLOT = int.from_bytes(keccak(text="eip1967.proxy.implementation")) - 1
INSPECTOR, WAREHOUSE, CARRIER = 3, 4, 5  # IProvenance.Role
DOC = "0x" + keccak(text="certificate of origin").hex()
ADDRESS = "Carol Whitfield-Okafor\nFlat 3, 17 Marchmont Crescent\nEdinburgh EH9 1HD\n+44 7700 900123"
WINDOW = 8  # bytes: a piece of the address this long never turns up by chance


def text_uri(text: str) -> str:
    """What the dApp posts for a typed review or reply."""
    return "data:text/plain;charset=utf-8," + quote(text)


# ------------------------------------------------------------------ the mall: trace contracts, resolution centre


@pytest.fixture(scope="session")
def trace(admin, marketplace):
    return deploy_trace(admin, marketplace)


@pytest.fixture
def provenance(trace):
    return trace["Provenance"][0]


@pytest.fixture
def reviews(trace):
    return trace["Reviews"][0]


@pytest.fixture
def profiles(trace):
    return trace["Profiles"][0]


@pytest.fixture
def record_file(tmp_path, deployment, usd, trace, resolution, w3):
    """The conftest's record plus the trace contracts and the resolution centre (arbiter and support badges)."""
    marketplace, implementation, start_block = deployment
    slot = w3.eth.get_storage_at(resolution.address, IMPLEMENTATION_SLOT)
    contracts = {
        "Marketplace": (marketplace, implementation),
        "ResolutionCenter": (resolution, project.ResolutionCenter.at(to_checksum_address(slot[-20:]))),
        **trace,
    }
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


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def refused(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert all(word in response.json()["message"] for word in words), response.json()


def now() -> int:
    return chain.blocks.head.timestamp


@pytest.fixture
def batch_of(provenance, list_product, alice):
    """batch_of(product=None) -> (product id, batch id): a batch alice registered (of a new listing)."""

    def _batch(product=None, uri="ipfs://batch-lot-42"):
        product = product or list_product()
        receipt = provenance.registerBatch(product, uri, sender=alice)
        return product, receipt.events.filter(provenance.BatchRegistered)[0].batchId

    return _batch


def record(provenance, batch, step, *, by, disposition="", place="urn:epc:id:sgln:4012345.00001.0", at=None,
           doc=bytes(32), uri=""):  # fmt: skip
    return provenance.recordEvent(batch, bytes32(step), bytes32(disposition), at or now(), place, doc, uri, sender=by)


# ------------------------------------------------------------------ provenance


def test_product_provenance__batches_participants_events_in_time_order(
    api, sync, provenance, batch_of, alice, dave, treasury
):
    product, batch = batch_of()
    provenance.authorizeParticipant(batch, treasury, INSPECTOR, sender=alice)
    provenance.authorizeParticipant(batch, dave, CARRIER, sender=alice)
    harvested = now() - 86_400
    record(provenance, batch, "inspecting", by=treasury, disposition="conformant", doc=DOC, uri="ipfs://cert")
    record(provenance, batch, "commissioning", by=alice, at=harvested, place="Darjeeling, India")
    provenance.revokeParticipant(batch, treasury, sender=alice)
    provenance.authorizeParticipant(batch, dave, WAREHOUSE, sender=alice)  # granting again changes the role
    _, empty = batch_of(product, uri="ipfs://batch-lot-43")
    sync()

    found = ok(api.get(f"/api/products/{product}/provenance"))
    assert (found["productId"], found["total"], [b["batchId"] for b in found["batches"]]) == (
        product, 2, [empty, batch]
    )  # fmt: skip
    newer, lot = found["batches"]
    assert (newer["eventCount"], newer["events"], newer["metadataUri"]) == (0, [], "ipfs://batch-lot-43")
    assert (lot["seller"], lot["metadataUri"], lot["eventCount"]) == (alice.address, "ipfs://batch-lot-42", 2)
    assert [(p["account"], p["role"], p["active"], p["revokedAt"] is None) for p in lot["participants"]] == [
        (alice.address, "Seller", True, True), (treasury.address, "Inspector", False, False),
        (dave.address, "Warehouse", True, True),
    ]  # fmt: skip
    # In the order things happened (eventTime), not the order they were recorded.
    commissioning, inspecting = lot["events"]
    assert commissioning | {"timestamp": 0, "block": 0, "tx": "", "logIndex": 0} == {
        "batchId": batch, "lineId": None, "recorder": alice.address, "role": "Seller", "bizStep": "commissioning",
        "disposition": None, "eventTime": harvested, "readPoint": "Darjeeling, India", "docHash": None, "uri": "",
        "timestamp": 0, "block": 0, "tx": "", "logIndex": 0,
    }  # fmt: skip
    assert (inspecting["recorder"], inspecting["role"], inspecting["bizStep"], inspecting["disposition"]) == (
        treasury.address, "Inspector", "inspecting", "conformant"
    )  # fmt: skip
    assert (inspecting["docHash"], inspecting["uri"], inspecting["readPoint"]) == (
        DOC, "ipfs://cert", "urn:epc:id:sgln:4012345.00001.0"
    )  # fmt: skip
    assert inspecting["timestamp"] >= inspecting["eventTime"] and inspecting["tx"].startswith("0x")

    detail = ok(api.get(f"/api/products/{product}"))
    assert detail["provenance"] == found and detail["id"] == product
    assert ok(api.get(f"/api/products/{product}/provenance?limit=1&offset=1"))["batches"][0]["batchId"] == batch


def test_product_provenance__refusals(api, sync, list_product):
    product = list_product()
    sync()
    assert ok(api.get(f"/api/products/{product}/provenance")) == {"productId": product, "total": 0, "batches": []}
    refused(api.get("/api/products/999999/provenance"), 404, "product 999999 not found")
    refused(api.get("/api/products/0/provenance"), 422, "product_id")
    refused(api.get(f"/api/products/{product}/provenance?limit=101"), 422, "limit")
    refused(api.get("/api/products/x/provenance"), 422, "product_id")


def test_line_provenance__batch_history_up_to_the_link__then_the_parcel(
    api, sync, marketplace, provenance, batch_of, buy, alice, carol, dave
):
    product, batch = batch_of()
    provenance.authorizeParticipant(batch, dave, CARRIER, sender=alice)
    record(provenance, batch, "commissioning", by=alice, at=now() - 3_600, place="Kandy, Sri Lanka")
    (line_id,) = buy([(product, 1)])
    (unlinked,) = buy([(product, 1)])
    marketplace.acceptLine(line_id, sender=alice)
    marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=alice)
    provenance.linkLine(line_id, batch, sender=alice)
    record(provenance, batch, "inspecting", by=alice)  # after the link: about the rest of the batch
    provenance.recordLineEvent(
        line_id, bytes32("arriving"), bytes32("in_transit"), now(), "Glasgow sorting hub", bytes(32), "", sender=dave
    )
    marketplace.confirmDelivery(line_id, sender=carol)
    sync()

    story = ok(api.get(f"/api/lines/{line_id}/provenance"))
    assert (story["lineId"], story["productId"], story["link"]["batchId"]) == (line_id, product, batch)
    assert story["batch"]["batchId"] == batch and story["batch"]["events"] == []
    assert [p["role"] for p in story["batch"]["participants"]] == ["Seller", "Carrier"]
    steps = [
        (e["source"], e["event"], e["trace"]["bizStep"] if e["trace"] else e["args"].get("carrier"))
        for e in story["timeline"]
    ]
    assert steps == [
        ("batch", "TraceEventRecorded", "commissioning"),
        ("order", "LinePlaced", None), ("order", "LineAccepted", None), ("order", "LineShipped", "DHL"),
        ("line", "TraceEventRecorded", "arriving"), ("order", "LineDelivered", None),
    ]  # fmt: skip
    arriving = story["timeline"][4]["trace"]
    assert (arriving["lineId"], arriving["recorder"], arriving["role"], arriving["disposition"]) == (
        line_id, dave.address, "Carrier", "in_transit"
    )  # fmt: skip
    assert story["timeline"][1]["args"]["lineId"] == str(line_id)  # integers as decimal strings

    alone = ok(api.get(f"/api/lines/{unlinked}/provenance"))
    assert (alone["link"], alone["batch"], [e["event"] for e in alone["timeline"]]) == (None, None, ["LinePlaced"])
    refused(api.get("/api/lines/12345678/provenance"), 404, "order line 12345678 not found")
    refused(api.get("/api/lines/0/provenance"), 422, "line_id")


# ------------------------------------------------------------------ reviews and reputation


@pytest.fixture
def completed(marketplace, list_product, buy, alice, carol):
    """completed(buyer=carol, seller=alice, product=None) -> (product, line): a completed line."""

    def _line(buyer=carol, seller=alice, product=None):
        product = product or list_product(seller=seller)
        (line_id,) = buy([(product, 1)], buyer=buyer)
        marketplace.acceptLine(line_id, sender=seller)
        marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=seller)
        marketplace.confirmDelivery(line_id, sender=buyer)
        marketplace.completeLine(line_id, sender=buyer)
        return product, line_id

    return _line


def post(reviews, line_id, rating, text, *, by, amend=False):
    call = reviews.amendReview if amend else reviews.postReview
    return call(line_id, rating, text_uri(text), keccak(text=text), sender=by)


def test_reviews__versions_reply_and_reputation(api, sync, reviews, completed, alice, bob, carol, dave):
    mug, carols = completed()
    _, daves = completed(buyer=dave, product=mug)
    _, bobs = completed(seller=bob)
    post(reviews, carols, 2, "Chipped on arrival.", by=carol)
    post(reviews, daves, 5, "Lovely mug.", by=dave)
    post(reviews, carols, 4, "The seller sent a new one: fine now.", by=carol, amend=True)
    reviews.replyToReview(carols, text_uri("Sorry about that!"), keccak(text="Sorry about that!"), sender=alice)
    post(reviews, bobs, 1, "Never again.", by=carol)
    sync()

    page = ok(api.get(f"/api/reviews?seller={alice.address.lower()}"))
    assert (page["total"], [r["lineId"] for r in page["items"]]) == (2, [daves, carols])  # newest first
    review = page["items"][1]
    assert (review["rating"], review["text"], review["amended"], review["author"], review["seller"]) == (
        4, "The seller sent a new one: fine now.", True, carol.address, alice.address
    )  # fmt: skip
    assert [(v["version"], v["rating"], v["text"]) for v in review["history"]] == [
        (0, 2, "Chipped on arrival."), (1, 4, "The seller sent a new one: fine now.")
    ]  # fmt: skip
    assert review["history"][0]["contentHash"] == "0x" + keccak(text="Chipped on arrival.").hex()
    assert (review["postedAt"], review["amendedAt"]) == tuple(v["timestamp"] for v in review["history"])
    assert (review["reply"]["text"], review["reply"]["tx"].startswith("0x")) == ("Sorry about that!", True)
    assert page["items"][0]["reply"] is None and page["items"][0]["amended"] is False
    assert review["productId"] == mug and review["productName"] is None  # listed with a plain ipfs:// URI

    # Each line once, with its current rating: carol's 2 became 4.
    assert ok(api.get(f"/api/sellers/{alice.address}/reputation")) == {
        "seller": alice.address, "count": 2, "average": 4.5,
        "distribution": [{"rating": r, "count": int(r in (4, 5))} for r in range(1, 6)],
    }  # fmt: skip
    assert ok(api.get(f"/api/sellers/{bob.address}/reputation"))["average"] == 1.0
    nobody = ok(api.get(f"/api/sellers/{dave.address}/reputation"))
    assert (nobody["count"], nobody["average"], {d["count"] for d in nobody["distribution"]}) == (0, None, {0})

    assert [r["lineId"] for r in ok(api.get(f"/api/reviews?author={carol.address}"))["items"]] == [bobs, carols]
    assert ok(api.get(f"/api/reviews?product={mug}"))["total"] == 2
    assert [r["lineId"] for r in ok(api.get(f"/api/reviews?line={carols}&line={bobs}"))["items"]] == [bobs, carols]
    detail = ok(api.get(f"/api/products/{mug}"))
    assert (detail["reviews"]["total"], detail["rating"]["average"], detail["reputation"]["count"]) == (2, 4.5, 2)
    assert detail["reputation"]["seller"] == alice.address


def test_reviews__refusals(api, sync):
    sync()
    refused(api.get("/api/reviews?seller=0x123"), 422, "seller", "not a 0x-prefixed 20-byte hex address")
    refused(api.get("/api/reviews?line=0"), 422, "line")
    refused(api.get("/api/reviews?" + "&".join(f"line={i}" for i in range(1, 102))), 422, "line")
    refused(api.get("/api/reviews?product=-1"), 422, "product")
    refused(api.get("/api/reviews?limit=0"), 422, "limit")
    refused(api.get("/api/sellers/alice/reputation"), 422, "address")
    assert ok(api.get("/api/reviews?line=1&line=2")) == {"items": [], "total": 0}


# ------------------------------------------------------------------ profiles and envelopes


def test_profiles__name_avatar_key_and_badges(
    api, sync, profiles, list_product, alice, arbiter1, support, mallory
):  # fmt: skip
    key = PrivateKey.generate().public_key.encode()
    list_product(seller=alice)
    profiles.setProfile("Alice's teas", "ipfs://avatar", key, sender=alice)
    profiles.setProfile("Arbiter Anne", "", PrivateKey.generate().public_key.encode(), sender=arbiter1)
    sync()

    alice_profile = ok(api.get(f"/api/profiles/{alice.address.lower()}"))
    assert alice_profile | {"updatedAt": 0, "updatedBlock": 0} == {
        "address": alice.address, "hasProfile": True, "displayName": "Alice's teas", "avatarUri": "ipfs://avatar",
        "encryptionKey": "0x" + key.hex(), "updatedAt": 0, "updatedBlock": 0, "badges": ["seller"],
    }  # fmt: skip
    assert ok(api.get(f"/api/profiles/{arbiter1.address}"))["badges"] == ["arbiter"]
    assert ok(api.get(f"/api/profiles/{support.address}")) == {
        "address": support.address, "hasProfile": False, "displayName": None, "avatarUri": None,
        "encryptionKey": None, "updatedAt": None, "updatedBlock": None, "badges": ["support"],
    }  # fmt: skip
    assert ok(api.get(f"/api/profiles/{mallory.address}"))["badges"] == []

    new_key = PrivateKey.generate().public_key.encode()
    profiles.setProfile("Alice's Tea House", "", new_key, sender=alice)
    sync()
    again = ok(api.get(f"/api/profiles/{alice.address}"))
    assert (again["displayName"], again["avatarUri"], again["encryptionKey"]) == (
        "Alice's Tea House", "", "0x" + new_key.hex()
    )  # fmt: skip
    refused(api.get("/api/profiles/0xZZ"), 422, "address")


@pytest.fixture
def sealed_order(marketplace, provenance, reviews, profiles, batch_of, buy, alice, carol, dave, arbiter2):
    """A whole order with sealed shipping details (for alice, then resealed for an arbiter), a batch and a
    carrier's event on the line, completion and a review. Returns (line id, {recipient: secret key})."""
    keys = {alice.address: PrivateKey.generate(), arbiter2.address: PrivateKey.generate()}
    profiles.setProfile("Alice's teas", "ipfs://avatar", keys[alice.address].public_key.encode(), sender=alice)
    profiles.setProfile("Arbiter Anne", "", keys[arbiter2.address].public_key.encode(), sender=arbiter2)
    product, batch = batch_of()
    provenance.authorizeParticipant(batch, dave, CARRIER, sender=alice)
    (line_id,) = buy([(product, 1)])
    for recipient in (alice, arbiter2):
        sealed = SealedBox(PublicKey(bytes(profiles.encryptionKeyOf(recipient)))).encrypt(ADDRESS.encode())
        profiles.postShippingDetails(line_id, recipient, sealed, sender=carol)
    marketplace.acceptLine(line_id, sender=alice)
    marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=alice)
    provenance.linkLine(line_id, batch, sender=alice)
    provenance.recordLineEvent(
        line_id, bytes32("arriving"), bytes32("in_progress"), now(), "Glasgow sorting hub", bytes(32), "", sender=dave
    )
    marketplace.confirmDelivery(line_id, sender=carol)
    marketplace.completeLine(line_id, sender=carol)
    post(reviews, line_id, 5, "Arrived safely.", by=carol)
    return line_id, keys


def test_envelopes__ciphertext_as_posted__opened_only_by_their_recipient(api, sync, sealed_order, alice, arbiter2):
    line_id, keys = sealed_order
    sync()

    page = ok(api.get(f"/api/lines/{line_id}/envelopes"))
    assert (page["total"], [e["recipient"] for e in page["items"]]) == (2, [alice.address, arbiter2.address])
    for envelope in page["items"]:
        key = keys[envelope["recipient"]]
        assert envelope["recipientKey"] == "0x" + key.public_key.encode().hex()
        assert SealedBox(key).decrypt(bytes.fromhex(envelope["ciphertext"][2:])).decode() == ADDRESS
        assert set(envelope) == {"lineId", "recipient", "recipientKey", "ciphertext", "timestamp", "block", "tx",
                                 "logIndex"}  # fmt: skip
    mine = ok(api.get(f"/api/lines/{line_id}/envelopes?recipient={arbiter2.address.lower()}"))
    assert [e["recipient"] for e in mine["items"]] == [arbiter2.address]
    assert ok(api.get(f"/api/lines/{line_id}/envelopes?limit=1&offset=1"))["items"] == mine["items"]
    refused(api.get("/api/lines/12345678/envelopes"), 404, "order line 12345678 not found")
    refused(api.get(f"/api/lines/{line_id}/envelopes?recipient=carol"), 422, "recipient")
    refused(api.get(f"/api/lines/{line_id}/envelopes?limit=101"), 422, "limit")


def pieces(text: str) -> set[bytes]:
    data = text.encode()
    return {data[i : i + WINDOW] for i in range(len(data) - WINDOW + 1)}


def found_in(data: bytes, text: str) -> int:
    """How many 8-byte pieces of `text` are in `data`, as bytes or as their hex."""
    return sum(piece in data or piece.hex().encode() in data for piece in pieces(text))


def stored_bytes(store: Store, dump) -> bytes:
    """What the database holds: for SQLite every byte of its files (the write-ahead log too), for
    PostgreSQL every row of every table."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        files = (Path(url.database), Path(url.database + "-wal"))
        return b"".join(path.read_bytes() for path in files if path.exists())
    return repr(dump(store)).encode()


def test_privacy__no_piece_of_the_address_in_the_database_answers_or_log(
    api, sync, store, dump, sealed_order, caplog, alice, carol
):
    """The same search the contract tests run over the chain, over what the indexer keeps and says:
    none of the address; the display name and a read point (public) are found, so the search can fail."""
    line_id, _ = sealed_order
    with caplog.at_level(logging.DEBUG):
        sync()
        answers = b"".join(
            api.get(path).content
            for path in (
                f"/api/lines/{line_id}", f"/api/lines/{line_id}/envelopes", f"/api/lines/{line_id}/provenance",
                f"/api/profiles/{alice.address}", f"/api/reviews?author={carol.address}", "/api/products?limit=100",
            )
        )  # fmt: skip
    log = caplog.text.encode() + repr([r.__dict__ for r in caplog.records]).encode()
    with store.engine.connect() as connection:  # SQLite: checkpoint the write-ahead log into the file too
        if store.engine.url.get_backend_name() == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    database = stored_bytes(store, dump)
    assert {where: found_in(data, ADDRESS) for where, data in (("db", database), ("api", answers), ("log", log))} == {
        "db": 0, "api": 0, "log": 0
    }  # fmt: skip
    for public in ("Alice's teas", "Glasgow sorting hub"):
        assert found_in(database, public) and found_in(answers, public), public
    assert log, "the log recorded nothing: the search over it proves nothing"


# ------------------------------------------------------------------ reorgs and upgrades


def test_replay__equals_a_fresh_index(
    store, sync, dump, reference_dump, marketplace, provenance, reviews, profiles, batch_of, completed, buy,
    alice, carol, dave, treasury,
):  # fmt: skip
    """A rewind replays every event into emptied tables: the trace tables come back equal."""
    product, batch = batch_of()
    provenance.authorizeParticipant(batch, treasury, INSPECTOR, sender=alice)
    _, line_id = completed(product=product)
    post(reviews, line_id, 3, "ok", by=carol)
    profiles.setProfile("Alice", "", PrivateKey.generate().public_key.encode(), sender=alice)
    sync()
    fork = store.checkpoint()
    record(provenance, batch, "inspecting", by=treasury, disposition="conformant")
    provenance.revokeParticipant(batch, treasury, sender=alice)
    provenance.linkLine(line_id, batch, sender=alice)
    provenance.recordLineEvent(line_id, bytes32("receiving"), bytes32(""), now(), "Leith", bytes(32), "", sender=alice)
    post(reviews, line_id, 5, "better", by=carol, amend=True)
    reviews.replyToReview(line_id, "ipfs://thanks", bytes(32), sender=alice)
    (other,) = buy([(product, 1)], buyer=dave)
    sealed = SealedBox(PublicKey(bytes(profiles.encryptionKeyOf(alice)))).encrypt(b"somewhere")
    profiles.postShippingDetails(other, alice, sealed, sender=dave)
    profiles.setProfile("Alice's teas", "ipfs://a", PrivateKey.generate().public_key.encode(), sender=alice)
    sync()
    expected = dump(store)
    assert expected == reference_dump()
    assert all(expected[table] for table in ("trace_events", "review_versions", "shipping_envelopes", "profiles"))

    assert store.rewind(Checkpoint(fork.block_number, fork.block_hash)) > 0
    sync()
    assert dump(store) == expected


def test_upgrade__a_store_holding_trace_events__indexes_again(
    database_url_factory, make_store, make_ingestor, mall_deployment, provenance, batch_of, dump
):
    """A store from before this schema kept the trace contracts' events but derived nothing from them:
    upgrading forgets what it derived and its checkpoint, and ingest starts over."""
    current = make_store()
    _, batch = batch_of()
    record(provenance, batch, "commissioning", by=provenance.getBatch(batch).seller)
    make_ingestor(current).sync_once()

    legacy_url = database_url_factory()
    legacy = make_engine(legacy_url)
    migrations.upgrade(legacy, "0003_resolution")
    with legacy.begin() as target, current.engine.connect() as source:
        for name in ("sync_state", "events", "lines", "products", "members"):  # enough of the 0003 tables to tell
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
    finally:
        upgraded.close()


def test_line_timeline__shows_the_trace_contracts_events_too(api, sync, sealed_order):
    """GET /api/lines/{id} lists every event about the line, the envelope's ciphertext included (it is public)."""
    line_id, _ = sealed_order
    sync()
    events = [entry["event"] for entry in ok(api.get(f"/api/lines/{line_id}"))["timeline"]]
    assert events.count("ShippingDetailsPosted") == 2
    assert {"LineLinked", "TraceEventRecorded", "ReviewPosted"} <= set(events)
    assert Status.COMPLETED.name.title() == ok(api.get(f"/api/lines/{line_id}"))["status"]
