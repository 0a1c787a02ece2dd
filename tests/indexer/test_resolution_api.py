"""Disputes, arbitration, support cases and roles: real ResolutionCenter and LogisticsOracle events on
anvil, ingested into SQLite and PostgreSQL, read through the API. The indexed credits and fees must
equal the Marketplace's after every split, and a replay (what a reorg does) must give the same tables."""

import base64
import json
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from ape import chain, project
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from fastapi.testclient import TestClient

from indexer import migrations
from indexer.api import create_app
from indexer.events import Checkpoint
from indexer.models import EventRecord
from indexer.schemas import text_of
from indexer.settings import Settings
from indexer.store import Store, make_engine
from oracle.attestation import Delivery, Domain, sign_delivery, tracking_hash
from scripts._constants import ETH
from scripts._constants import LineStatus as Status
from scripts._deploy_oracle import deploy_oracle
from scripts.deploy import build_record, write_record

PRICE = 10**16
TRACKING_REF = "JD014600006281"  # what the root conftest's line_in ships with
ATTESTER = Account.from_key("0x" + "a7" * 32)  # the logistics oracle's signing key (needs no ether)
IMPLEMENTATION_SLOT = int.from_bytes(keccak(text="eip1967.proxy.implementation")) - 1
HASH = "0x" + "ab" * 32


def text_uri(text: str) -> str:
    """What the dApp posts for a typed message."""
    return "data:text/plain;charset=utf-8," + quote(text)


# ------------------------------------------------------------------ the mall: marketplace, resolution centre, oracle


@pytest.fixture(scope="session")
def oracle(admin, marketplace):
    """(logistics oracle at its proxy, implementation), its attester holding ATTESTER_ROLE."""
    return deploy_oracle(admin, marketplace, attesters=[ATTESTER.address])


@pytest.fixture
def record_file(tmp_path, deployment, usd, resolution, oracle, w3):
    """The conftest's record, plus the resolution centre and the oracle: their events are indexed."""
    marketplace, implementation, start_block = deployment
    slot = w3.eth.get_storage_at(resolution.address, IMPLEMENTATION_SLOT)
    contracts = {
        "Marketplace": (marketplace, implementation),
        "ResolutionCenter": (resolution, project.ResolutionCenter.at(to_checksum_address(slot[-20:]))),
        "LogisticsOracle": oracle,
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


def assert_books_match(api, marketplace, accounts, token=ETH):
    """Every account's withdrawable credit and the platform's fees, as the API says, equal the chain's."""
    for account in accounts:
        balances = {b["token"]: b["credit"] for b in ok(api.get(f"/api/accounts/{account.address}"))["balances"]}
        assert int(balances.get(token, "0")) == marketplace.creditOf(account, token), account
    fees = {f["token"]: f["uncollected"] for f in ok(api.get("/api/platform"))["fees"]}
    assert int(fees.get(token, "0")) == marketplace.feesOf(token)


def split(amount, buyer_bps, arbiter_fee_bps=0, fee_bps=250):
    """The published rule (IResolutionCenter): arbiter's fee first, the buyer's share, the seller less the fee."""
    arbiter_fee = amount * arbiter_fee_bps // 10_000
    buyer = (amount - arbiter_fee) * buyer_bps // 10_000
    fee = (amount - arbiter_fee - buyer) * fee_bps // 10_000
    return buyer, amount - arbiter_fee - buyer - fee, fee, arbiter_fee


def events_of(timeline) -> list[str]:
    return [entry["event"] for entry in timeline]


# ------------------------------------------------------------------ disputes


def test_settlement__offers_acceptance_and_the_split(
    api, sync, resolution, marketplace, line_in, alice, carol, windows
):
    line_id = line_in(Status.SHIPPED)
    raised = resolution.raiseDispute(line_id, "parcel arrived damaged", sender=carol)
    resolution.proposeSettlement(line_id, 9_000, sender=carol)
    resolution.proposeSettlement(line_id, 6_000, sender=alice)
    sync()

    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["status"], dispute["open"], dispute["raisedBy"], dispute["raisedByRole"]) == (
        "Negotiating", True, carol.address, "buyer"
    )  # fmt: skip
    assert (dispute["buyerOffer"], dispute["sellerOffer"]) == (9_000, 6_000)
    assert (dispute["deadlineKind"], dispute["deadline"]) == (
        "settlement",
        raised.timestamp + windows["settlementWindow"],
    )
    assert (dispute["escrow"], dispute["feeBps"], dispute["buyer"], dispute["seller"]) == (
        str(PRICE), 250, carol.address, alice.address
    )  # fmt: skip
    line = ok(api.get(f"/api/lines/{line_id}"))
    assert line["status"] == "Disputed" and line["dispute"]["sellerOffer"] == 6_000
    assert ok(api.get("/api/lines?status=Disputed"))["total"] >= 1

    resolution.acceptSettlement(line_id, 6_000, sender=carol)
    sync()
    buyer_amount, seller_amount, fee, _ = split(PRICE, 6_000)
    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["status"], dispute["open"], dispute["buyerBps"], dispute["deadline"]) == (
        "Settled",
        False,
        6_000,
        None,
    )
    assert (dispute["buyerAmount"], dispute["sellerAmount"], dispute["fee"], dispute["arbiterFee"]) == (
        str(buyer_amount), str(seller_amount), str(fee), "0"
    )  # fmt: skip
    assert events_of(dispute["timeline"]) == [
        "DisputeRaised", "SettlementProposed", "SettlementProposed", "DisputeSettled"
    ]  # fmt: skip
    line = ok(api.get(f"/api/lines/{line_id}"))
    assert (line["status"], line["amount"], line["sellerAmount"], line["fee"]) == (
        "Resolved", "0", str(seller_amount), str(fee)
    )  # fmt: skip
    assert events_of(line["timeline"])[-6:] == [
        "DisputeRaised", "LineDisputed", "SettlementProposed", "SettlementProposed", "DisputeSettled", "LineResolved"
    ]  # fmt: skip
    assert_books_match(api, marketplace, [carol, alice])
    buyer = {b["token"]: b for b in ok(api.get(f"/api/accounts/{carol.address}"))["balances"]}[ETH]
    assert int(buyer["refunded"]) >= buyer_amount  # the buyer's share counts as a refund


def test_escalation__draw__evidence__ruling(
    api, sync, resolution, marketplace, line_in, alice, carol, support, arbiter1, arbiter2, mallory, windows
):
    line_id = line_in(Status.DELIVERED)
    resolution.raiseDispute(line_id, "not as described", sender=alice)
    chain.pending_timestamp += windows["settlementWindow"] + 1
    escalated = resolution.escalate(line_id, sender=carol)
    sync()
    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["status"], dispute["raisedByRole"], dispute["escalatedBy"], dispute["arbiter"]) == (
        "Escalated", "seller", carol.address, None
    )  # fmt: skip
    assert (dispute["drawBlock"], dispute["deadlineKind"]) == (escalated.block_number, "ruling")

    drawn = resolution.drawArbiter(line_id, sender=mallory).events.filter(resolution.ArbiterAssigned)[0]
    arbiter = arbiter1 if drawn.arbiter == arbiter1.address else arbiter2
    arbiter_bps = 200 if arbiter == arbiter1 else 300
    for who, text in ((carol, "photos of the scratches"), (alice, "it left intact"), (support, "carrier log")):
        resolution.submitEvidence(line_id, text_uri(text), keccak(text=text), sender=who)
    resolution.submitEvidence(line_id, "ipfs://report", HASH, sender=arbiter)
    sync()

    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["arbiter"], dispute["arbiterFeeBps"], dispute["drawBlock"], dispute["evidenceCount"]) == (
        arbiter.address, arbiter_bps, None, 4
    )  # fmt: skip
    assert dispute["ruleBy"] == drawn.ruleBy == dispute["deadline"]
    assert [(e["byRole"], e["text"]) for e in dispute["evidence"]] == [
        ("buyer", "photos of the scratches"), ("seller", "it left intact"), ("support", "carrier log"),
        ("arbiter", None),
    ]  # fmt: skip
    assert dispute["evidence"][3]["uri"] == "ipfs://report" and dispute["evidence"][3]["contentHash"] == HASH
    assert dispute["evidence"][0]["contentHash"] == "0x" + keccak(text="photos of the scratches").hex()
    queue = ok(api.get(f"/api/disputes?arbiter={arbiter.address.lower()}&status=Escalated"))
    assert line_id in [d["lineId"] for d in queue["items"]]
    arbiters = {a["address"]: a for a in ok(api.get("/api/arbiters"))["items"]}
    assert arbiters[arbiter.address]["openDisputes"] >= 1 and arbiters[arbiter.address]["feeBps"] == arbiter_bps

    reason = "The photos show damage in transit."
    resolution.rule(line_id, 7_500, keccak(text=reason), "ipfs://ruling", sender=arbiter)
    sync()
    buyer_amount, seller_amount, fee, arbiter_fee = split(PRICE, 7_500, arbiter_bps)
    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["status"], dispute["buyerBps"], dispute["reasonHash"], dispute["reasonUri"]) == (
        "Ruled", 7_500, "0x" + keccak(text=reason).hex(), "ipfs://ruling"
    )  # fmt: skip
    assert [dispute[k] for k in ("buyerAmount", "sellerAmount", "fee", "arbiterFee")] == [
        str(buyer_amount), str(seller_amount), str(fee), str(arbiter_fee)
    ]  # fmt: skip
    assert_books_match(api, marketplace, [carol, alice, arbiter])
    earned = {b["token"]: b["earned"] for b in ok(api.get(f"/api/accounts/{arbiter.address}"))["balances"]}
    assert int(earned[ETH]) >= arbiter_fee
    assert ok(api.get("/api/arbiters?active=true"))["total"] == 2
    assert arbiter.address in {a["address"] for a in ok(api.get("/api/arbiters"))["items"] if a["ruled"] >= 1}


def test_missed_deadlines__one_redraw_then_half_each(
    api, sync, resolution, marketplace, line_in, alice, carol, mallory, windows
):
    line_id = line_in(Status.ACCEPTED)
    resolution.raiseDispute(line_id, "no tracking", sender=carol)
    chain.pending_timestamp += windows["settlementWindow"] + 1
    resolution.escalate(line_id, sender=alice)
    first = resolution.drawArbiter(line_id, sender=mallory).events.filter(resolution.ArbiterAssigned)[0].arbiter
    chain.pending_timestamp += windows["rulingWindow"] + 1
    redraw = resolution.timeoutRuling(line_id, sender=mallory)
    sync()
    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["status"], dispute["round"], dispute["arbiter"], dispute["excludedArbiter"]) == (
        "Escalated", 1, None, first
    )  # fmt: skip
    assert dispute["drawBlock"] == redraw.block_number

    second = resolution.drawArbiter(line_id, sender=mallory).events.filter(resolution.ArbiterAssigned)[0].arbiter
    assert second != first
    chain.pending_timestamp += windows["rulingWindow"] + 1
    resolution.timeoutRuling(line_id, sender=mallory)
    sync()
    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["status"], dispute["buyerBps"], dispute["arbiterFee"]) == ("Defaulted", 5_000, "0")
    assert events_of(dispute["timeline"]) == [
        "DisputeRaised", "DisputeEscalated", "ArbiterAssigned", "ArbiterTimedOut", "ArbiterAssigned",
        "ArbiterTimedOut", "DisputeDefaulted",
    ]  # fmt: skip
    assert_books_match(api, marketplace, [carol, alice])


def test_disputes__filters_cursor_pages_and_refusals(
    api, sync, resolution, line_in, carol, alice, dave, list_product, buy
):
    lines = [line_in(Status.SHIPPED) for _ in range(3)]
    for line_id in lines:
        resolution.raiseDispute(line_id, "late", sender=carol)
    (undisputed,) = buy([(list_product(), 1)], buyer=dave)
    sync()

    first = ok(api.get("/api/disputes?status=Negotiating&limit=2"))
    assert first["total"] == 3 and len(first["items"]) == 2 and first["nextCursor"]
    second = ok(api.get(f"/api/disputes?status=Negotiating&limit=2&cursor={first['nextCursor']}"))
    assert [d["lineId"] for d in first["items"] + second["items"]] == sorted(lines, reverse=True)
    assert second["nextCursor"] is None
    assert ok(api.get(f"/api/disputes?party={carol.address}"))["total"] == 3
    assert ok(api.get(f"/api/disputes?party={alice.address}"))["total"] == 3
    assert ok(api.get(f"/api/disputes?party={dave.address}"))["total"] == 0
    assert ok(api.get("/api/disputes?status=Ruled"))["total"] == 0
    assert ok(api.get(f"/api/lines/{undisputed}"))["dispute"] is None

    for query, where in (
        ("status=Lost", "status"),
        ("arbiter=0x1234", "arbiter: not a 0x-prefixed 20-byte hex address"),
        ("party=nobody", "party: not a 0x-prefixed 20-byte hex address"),
        ("limit=101", "limit"),
        ("cursor=%%%", "cursor: not a cursor from this API"),
    ):
        response = api.get(f"/api/disputes?{query}")
        assert response.status_code == 422 and response.json()["message"].startswith(where), query
    assert api.get("/api/cases?status=Pending").status_code == 422
    assert api.get("/api/arbiters?limit=0").status_code == 422
    assert api.get(f"/api/disputes/{undisputed}").status_code == 404
    assert api.get(f"/api/disputes/{undisputed}").json()["message"] == f"no dispute on order line {undisputed}"
    assert api.get("/api/cases/999999").status_code == 404
    assert api.get("/api/disputes/0").status_code == 422


# ------------------------------------------------------------------ support


def test_support_case__messages_refund_within_the_allowance_escalation(
    api, sync, resolution, marketplace, line_in, alice, carol, support, windows
):
    line_id = line_in(Status.SHIPPED)
    opened = resolution.openCase(
        line_id, text_uri("Where is my parcel?"), keccak(text="Where is my parcel?"), sender=carol
    )
    case_id = opened.events.filter(resolution.CaseOpened)[0].caseId
    resolution.replyToCase(case_id, text_uri("Asking the carrier."), keccak(text="Asking the carrier."), sender=support)
    resolution.replyToCase(case_id, "ipfs://photo", HASH, sender=carol)
    resolution.authorizeSupportRefund(line_id, PRICE // 2, sender=alice)
    resolution.refundCase(case_id, PRICE // 5, sender=support)
    sync()

    case = ok(api.get(f"/api/cases/{case_id}"))
    assert (case["status"], case["lineId"], case["buyer"], case["seller"], case["messageCount"]) == (
        "Open", line_id, carol.address, alice.address, 3
    )  # fmt: skip
    assert [(m["authorRole"], m["text"]) for m in case["messages"]] == [
        ("buyer", "Where is my parcel?"), ("support", "Asking the carrier."), ("buyer", None)
    ]  # fmt: skip
    assert case["messages"][2]["uri"] == "ipfs://photo"
    assert (case["refunded"], case["refundAllowance"], case["escrow"]) == (
        str(PRICE // 5), str(PRICE // 2 - PRICE // 5), str(PRICE - PRICE // 5)
    )  # fmt: skip
    assert events_of(case["timeline"]) == ["CaseOpened", "CaseReplied", "CaseReplied", "SupportRefunded"]
    line = ok(api.get(f"/api/lines/{line_id}"))
    assert (line["amount"], line["supportRefundAllowance"], line["cases"]) == (
        str(PRICE - PRICE // 5), str(PRICE // 2 - PRICE // 5), [{"id": case_id, "status": "Open"}]
    )  # fmt: skip
    assert int(line["amount"]) == marketplace.getLine(line_id).amount
    assert int(line["supportRefundAllowance"]) == resolution.supportRefundAllowance(line_id)
    assert ok(api.get(f"/api/cases?status=Open&buyer={carol.address}"))["total"] >= 1
    assert case_id in [c["id"] for c in ok(api.get(f"/api/cases?seller={alice.address}"))["items"]]
    assert ok(api.get(f"/api/cases?seller={carol.address}"))["total"] == 0

    resolution.escalateCase(case_id, "the seller does not answer", sender=support)
    sync()
    case = ok(api.get(f"/api/cases/{case_id}"))
    assert (case["status"], case["escalatedBy"]) == ("Escalated", support.address)
    dispute = ok(api.get(f"/api/disputes/{line_id}"))
    assert (dispute["raisedBy"], dispute["raisedByRole"], dispute["caseId"], dispute["reason"]) == (
        support.address, "support", case_id, "the seller does not answer"
    )  # fmt: skip
    assert events_of(dispute["timeline"])[-3:] == ["SupportRefunded", "CaseEscalated", "DisputeRaised"]
    assert_books_match(api, marketplace, [carol, alice])


def test_support_case__closed_by_the_buyer(api, sync, resolution, line_in, carol):
    line_id = line_in(Status.ACCEPTED)
    receipt = resolution.openCase(line_id, "ipfs://q", HASH, sender=carol)
    case_id = receipt.events.filter(resolution.CaseOpened)[0].caseId
    resolution.closeCase(case_id, sender=carol)
    sync()
    case = ok(api.get(f"/api/cases/{case_id}"))
    assert (case["status"], case["closedBy"], case["refundAllowance"]) == ("Closed", carol.address, "0")
    assert case_id not in [c["id"] for c in ok(api.get("/api/cases?status=Open"))["items"]]


# ------------------------------------------------------------------ roles and the oracle


def test_accounts__roles(api, sync, resolution, admin, support, arbiter1, carol):
    sync()
    assert ok(api.get(f"/api/accounts/{support.address}"))["roles"] == ["support"]
    assert ok(api.get(f"/api/accounts/{arbiter1.address}"))["roles"] == ["arbiter"]
    assert ok(api.get(f"/api/accounts/{carol.address}"))["roles"] == []
    admin_account = ok(api.get(f"/api/accounts/{admin.address}"))
    assert {"admin", "pauser", "upgrader"} <= set(admin_account["roles"])
    assert {
        "contract": "ResolutionCenter",
        "role": "DEFAULT_ADMIN_ROLE",
        "roleHash": "0x" + "00" * 32,
    } in admin_account["roleGrants"]
    center = ok(api.get(f"/api/accounts/{resolution.address}"))
    assert center["roles"] == ["resolver"]  # the resolution centre holds the marketplace's RESOLVER_ROLE

    resolution.revokeRole(resolution.SUPPORT_ROLE(), support, sender=admin)
    resolution.removeArbiter(arbiter1, sender=admin)
    sync()
    assert ok(api.get(f"/api/accounts/{support.address}"))["roles"] == []
    assert ok(api.get(f"/api/accounts/{arbiter1.address}"))["roles"] == []
    arbiters = {a["address"]: a["active"] for a in ok(api.get("/api/arbiters"))["items"]}
    assert arbiters[arbiter1.address] is False
    assert [a["address"] for a in ok(api.get("/api/arbiters?active=false"))["items"]] == [arbiter1.address]


def test_oracle_delivery__confirmed_by_the_oracle(api, sync, line_in, oracle, mallory, carol):
    oracle_contract = oracle[0]
    by_oracle, by_buyer = line_in(Status.SHIPPED), line_in(Status.DELIVERED)
    now = chain.blocks.head.timestamp
    delivery = Delivery(
        line_id=by_oracle, tracking_hash=tracking_hash(TRACKING_REF), delivered_at=now, nonce=1, deadline=now + 3600
    )
    domain = Domain.from_eip5267(oracle_contract.eip712Domain())
    signature = sign_delivery(ATTESTER.key, domain, delivery)
    oracle_contract.attestDelivery(delivery.as_tuple(), signature, sender=mallory)
    sync()
    line = ok(api.get(f"/api/lines/{by_oracle}"))
    assert (line["status"], line["confirmedBy"]) == ("Delivered", oracle_contract.address)
    assert ok(api.get(f"/api/lines/{by_buyer}"))["confirmedBy"] == carol.address
    attester = ok(api.get(f"/api/accounts/{ATTESTER.address}"))
    assert attester["roles"] == ["attester"]


# ------------------------------------------------------------------ reorg safety


def test_replay__equals_a_fresh_index(
    store, sync, dump, reference_dump, resolution, line_in, alice, carol, support, mallory, windows
):
    """What a reorg does (forget events, re-derive the tables from the rest) gives the same tables as
    indexing from scratch, with disputes, cases and allowances in every state."""
    settled, ruled, cased = line_in(Status.SHIPPED), line_in(Status.DELIVERED), line_in(Status.SHIPPED)
    for line_id in (settled, ruled):
        resolution.raiseDispute(line_id, "damaged", sender=carol)
    resolution.proposeSettlement(settled, 4_000, sender=alice)
    resolution.acceptSettlement(settled, 4_000, sender=carol)
    case_id = resolution.openCase(cased, "ipfs://q", HASH, sender=carol).events.filter(resolution.CaseOpened)[0].caseId
    resolution.authorizeSupportRefund(cased, PRICE, sender=alice)
    sync()
    fork = store.checkpoint()
    chain.pending_timestamp += windows["settlementWindow"] + 1
    resolution.escalate(ruled, sender=carol)
    resolution.drawArbiter(ruled, sender=mallory)
    resolution.refundCase(case_id, PRICE // 4, sender=support)
    resolution.escalateCase(case_id, "refund was not enough", sender=support)
    sync()
    expected = dump(store)
    assert expected == reference_dump()

    assert store.rewind(Checkpoint(fork.block_number, fork.block_hash)) > 0
    sync()
    assert dump(store) == expected


def test_upgrade__a_store_holding_dispute_events__indexes_again(
    database_url_factory, make_store, make_ingestor, mall_deployment, resolution, line_in, carol, dump
):
    """A store from before this schema kept the resolution centre's events but ignored them (and
    LineDisputed): upgrading forgets what it derived and its checkpoint, and ingest starts over."""
    current = make_store()
    line_id = line_in(Status.SHIPPED)
    resolution.raiseDispute(line_id, "late", sender=carol)
    make_ingestor(current).sync_once()

    legacy_url = database_url_factory()
    legacy = make_engine(legacy_url)
    migrations.upgrade(legacy, "0002")
    with legacy.begin() as target, current.engine.connect() as source:
        for name in ("sync_state", "events", "lines"):  # enough of the 0002 tables to tell
            table = sa.Table(name, sa.MetaData(), autoload_with=target)
            kept = sa.Table(name, sa.MetaData(), autoload_with=source)
            rows = source.execute(sa.select(*(kept.c[column.name] for column in table.columns)))
            target.execute(table.insert(), [dict(row._mapping) for row in rows])
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


def test_text_of__data_uris():
    assert text_of(text_uri("50% off? Ça va")) == "50% off? Ça va"
    assert text_of("data:text/plain;base64," + base64.b64encode("hé".encode()).decode()) == "hé"
    assert text_of("data:text/plain;base64,%%%") is None
    assert text_of("data:application/json," + quote(json.dumps({"a": 1}))) is None
    assert text_of("https://example.org/x") is None
