"""The read-only API over a real SQLite store, fed with the events ingest would produce."""

import json

import pytest
from fastapi.testclient import TestClient
from mall_data import (
    ABI,
    BIG_PRICE,
    BUYER,
    DAY,
    ETH,
    PRICE,
    SELLER,
    T0,
    USDC,
    populated_store,
)

from indexer.api import create_app
from indexer.settings import Settings


@pytest.fixture
def client(tmp_path):
    store, deployment = populated_store(tmp_path / "api.db")
    settings = Settings(frontend_dir=tmp_path / "no-frontend", public_rpc_url="http://rpc.example:8545")
    return TestClient(create_app(settings, store, deployment))


def test_health__reports_indexed_block_and_lag(client):
    assert client.get("/api/health").json() == {
        "status": "ok",
        "chainId": 31337,
        "indexedBlock": 10,
        "headBlock": 12,
        "lag": 2,
    }


def test_config__comes_from_the_deployment_record(client):
    body = client.get("/api/config").json()
    assert body["chainId"] == 31337
    assert body["rpcUrl"] == "http://rpc.example:8545"
    assert body["contracts"]["Marketplace"] == {"address": "0x" + "ab" * 20, "abi": ABI}
    assert body["tokens"]["mUSD"]["decimals"] == 6 and body["tokens"]["mUSD"]["permit"] is True


def test_platform__terms_tokens_fees(client):
    body = client.get("/api/platform").json()
    assert body["terms"] == {
        "feeBps": 250, "acceptWindow": 3 * DAY, "shipWindow": 5 * DAY, "deliveryWindow": 14 * DAY,
        "inspectionWindow": 3 * DAY,
    }  # fmt: skip
    assert [(t["symbol"], t["allowed"]) for t in body["tokens"]] == [("ETH", True), ("mUSD", True)]
    assert body["fees"] == [
        {"token": ETH, "symbol": "ETH", "decimals": 18, "uncollected": str(2 * PRICE * 25 // 1000), "collected": "0"}
    ]


def test_products__list_detail_and_token(client):
    body = client.get("/api/products?sort=oldest").json()
    assert body["total"] == 3
    assert body["items"][0]["stock"] == 2  # 5 listed, 3 sold
    assert body["items"][1]["price"] == str(BIG_PRICE)  # exact, as a string
    assert body["items"][2]["stock"] == 10  # one sold, then cancelled: back in stock
    assert (body["items"][2]["tokenSymbol"], body["items"][2]["tokenDecimals"]) == ("mUSD", 6)
    assert client.get("/api/products/1").json()["name"] == "Product 1"


def test_products__filters_and_pagination(client):
    assert client.get(f"/api/products?seller={SELLER.lower()}").json()["total"] == 3
    assert client.get(f"/api/products?seller={BUYER}").json()["total"] == 0
    assert [p["id"] for p in client.get(f"/api/products?token={USDC}").json()["items"]] == [3]
    body = client.get("/api/products?sort=oldest&limit=1&offset=1").json()
    assert (body["total"], [p["id"] for p in body["items"]]) == (3, [2])


def test_lines__statuses_deadlines_and_filters(client):
    body = client.get(f"/api/lines?buyer={BUYER}").json()
    by_id = {line["id"]: line for line in body["items"]}
    assert [line["id"] for line in body["items"]] == [257, 256]  # newest first
    assert (by_id[256]["status"], by_id[256]["amount"], by_id[256]["paidAmount"]) == ("Completed", "0", str(2 * PRICE))
    assert by_id[256]["deadline"] is None
    assert (by_id[256]["carrier"], by_id[256]["trackingRef"]) == ("DHL", "JD1")
    assert by_id[257]["status"] == "Cancelled"
    assert by_id[256]["completableAt"] is None
    waiting = client.get("/api/lines?status=Paid").json()["items"]
    assert [(line["id"], line["deadlineKind"], line["deadline"]) for line in waiting] == [
        (512, "accept", T0 + 5 + 3 * DAY)
    ]


def test_line__timeline_oldest_first(client):
    body = client.get("/api/lines/256").json()
    assert [entry["event"] for entry in body["timeline"]] == [
        "LinePlaced", "LineAccepted", "LineShipped", "LineDelivered", "LineCompleted",
    ]  # fmt: skip
    assert body["timeline"][0]["args"]["amount"] == str(2 * PRICE)  # integers as strings


def test_orders__group_lines(client):
    body = client.get(f"/api/orders?buyer={BUYER}").json()
    (order,) = body["items"]
    assert (order["id"], [line["id"] for line in order["lines"]]) == (1, [256, 257])
    sales = client.get(f"/api/orders?seller={SELLER}").json()
    assert [o["id"] for o in sales["items"]] == [2, 1]


def test_account__balances_per_token(client):
    seller = client.get(f"/api/accounts/{SELLER.lower()}").json()
    assert seller["address"] == SELLER and seller["memberId"] == 1
    (eth,) = seller["balances"]
    earned = 2 * PRICE * 975 // 1000
    assert (eth["credit"], eth["earned"], eth["withdrawn"]) == (str(earned - PRICE), str(earned), str(PRICE))
    buyer = client.get(f"/api/accounts/{BUYER}").json()
    assert [(b["symbol"], b["credit"], b["refunded"]) for b in buyer["balances"]] == [
        ("mUSD", str(25 * 10**6), str(25 * 10**6))
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/orders?buyer=0x123", "buyer: not a 0x-prefixed 20-byte hex address"),
        ("/api/lines?seller=alice", "seller: not a 0x-prefixed 20-byte hex address"),
        ("/api/lines?status=Lost", "status: Input should be 'Paid'"),
        ("/api/products?token=eth", "token: not a 0x-prefixed 20-byte hex address"),
        ("/api/products?limit=0", "limit: Input should be greater than or equal to 1"),
        ("/api/products?limit=101", "limit: Input should be less than or equal to 100"),
        ("/api/products?offset=-1", "offset: Input should be greater than or equal to 0"),
        ("/api/products/abc", "product_id: Input should be a valid integer"),
        ("/api/products/0", "product_id: Input should be greater than or equal to 1"),
        ("/api/lines/99999999999999999999999", "line_id: Input should be less than or equal to"),
        ("/api/accounts/0xnothex", "address: not a 0x-prefixed 20-byte hex address"),
    ],
)
def test_bad_input__422_with_message(client, url, message):
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["message"].startswith(message)
    json.dumps(response.json())  # the whole body is plain JSON


@pytest.mark.parametrize(("url", "message"), [("/api/products/99", "product 99"), ("/api/lines/7", "order line 7")])
def test_unknown__404_with_message(client, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"message": f"{message} not found"}


def test_unknown_api_route__404(client):
    assert client.get("/api/nope").status_code == 404


def test_openapi__published(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/health", "/api/config", "/api/platform", "/api/products", "/api/lines", "/api/orders"} <= set(paths)


# ---------------------------------------------------------------- search, stats, metrics


def test_search__text_category_price_stock(client):
    assert [p["id"] for p in client.get("/api/products?q=product 3").json()["items"]] == [3]
    assert client.get("/api/products?q=PRODUCT").json()["total"] == 3  # case-insensitive
    assert client.get("/api/products?q=100%25").json()["total"] == 0  # % is a character, not a wildcard
    assert client.get("/api/products?category=Home").json()["total"] == 3
    cheap = client.get(f"/api/products?token={ETH}&maxPrice={PRICE}").json()["items"]
    assert [p["id"] for p in cheap] == [1]
    assert [p["id"] for p in client.get(f"/api/products?minPrice={PRICE + 1}").json()["items"]] == [2]


def test_search__in_stock_only(client):
    # product 2 (one unit) is still in stock; nothing else sold out in this fixture
    assert client.get("/api/products?inStock=true").json()["total"] == 3


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("newest", [3, 2, 1]), ("oldest", [1, 2, 3]), ("price_asc", [3, 1, 2]), ("price_desc", [2, 1, 3])],
)
def test_search__cursor_pages_through_every_sort(client, sort, expected):
    seen, cursor = [], None
    for _ in range(5):
        url = f"/api/products?sort={sort}&limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [p["id"] for p in body["items"]]
        cursor = body["nextCursor"]
        if cursor is None:
            break
    # Raw amounts, across tokens (filter by token for a meaningful order): 25 * 10**6 mUSD units
    # (product 3) < 10**16 wei (product 1) < 2**96 - 1 wei (product 2).
    assert seen == expected


@pytest.mark.parametrize("cursor", ["zzz", "bm90IGpzb24=", "WyJvbGRlc3QiLCAiMSIsIDFd"])
def test_search__foreign_cursor__422(client, cursor):
    response = client.get(f"/api/products?sort=newest&cursor={cursor}")
    assert response.status_code == 422
    assert response.json()["message"].startswith("cursor: not a cursor from this API")


def test_stats__platform_and_seller(client):
    body = client.get("/api/stats").json()
    assert (body["orders"], body["lines"]) == (2, 3)
    assert body["linesByStatus"] == {"Completed": 1, "Cancelled": 1, "Paid": 1}
    placed = {entry["symbol"]: entry["amount"] for entry in body["placed"]}
    assert placed == {"ETH": str(3 * PRICE), "mUSD": str(25 * 10**6)}
    assert [(d["day"], d["orders"]) for d in body["daily"]] == [("2023-11-14", 2)]
    assert client.get(f"/api/sellers/{SELLER}/stats").json()["orders"] == 2
    assert client.get(f"/api/sellers/{BUYER}/stats").json() == {
        "orders": 0, "lines": 0, "linesByStatus": {}, "placed": [], "completed": [], "daily": [],
    }  # fmt: skip


def test_metrics__prometheus_text(client):
    client.get("/api/lines/256")
    body = client.get("/metrics").text
    assert 'mall_api_requests_total{method="GET",route="/api/lines/{line_id}",status="200"} 1.0' in body
    assert "mall_indexer_indexed_block 10.0" in body
    assert "mall_indexer_lag_blocks 2.0" in body


def test_search__text_index_agrees_with_a_scan(client):
    """Three characters and more go through the trigram index (SQLite), shorter ones scan: the
    same answers, case-folded, with quotes and FTS operators taken as plain text."""
    for text, expected in (("duct", 3), ("DUCT 2", 1), ("pr", 3), ('"product', 0), ("uct OR x", 0), ("Home", 3)):
        assert client.get("/api/products", params={"q": text}).json()["total"] == expected, text
