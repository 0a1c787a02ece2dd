"""The read-only API over a real SQLite store, fed with the events ingest would produce."""

import json

import pytest
from fastapi.testclient import TestClient

from indexer.api import create_app
from indexer.deployment import ContractRecord, Deployment
from indexer.events import ChainEvent, Checkpoint
from indexer.settings import Settings
from indexer.store import Store

SELLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BUYER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
OTHER_BUYER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"
PRICE = 10**16
BIG_PRICE = 2**96 - 1  # beyond 64-bit integers: must survive SQLite exactly
ABI = [{"type": "event", "name": "ProductListed", "inputs": [], "anonymous": False}]


def _event(name, block, log_index=0, **args):
    return ChainEvent(
        contract="Marketplace",
        name=name,
        args=args,
        block_number=block,
        block_hash=f"0x{block:064x}",
        block_timestamp=1_700_000_000 + block,
        tx_hash=f"0x{block:062x}{log_index:02x}",
        log_index=log_index,
        extra={"name": f"Product {args.get('productId')}", "category": "Home"} if name == "ProductListed" else {},
    )


@pytest.fixture
def client(tmp_path):
    deployment = Deployment(
        chain_id=31337,
        start_block=1,
        contracts={"Marketplace": ContractRecord("Marketplace", "0x" + "ab" * 20, ABI)},
    )
    store = Store(f"sqlite:///{tmp_path / 'api.db'}", chain_id=31337)
    events = [
        _event("ProductListed", 2, productId=1, seller=SELLER, price=PRICE, stock=5, metadataURI="ipfs://a"),
        _event("ProductListed", 3, productId=2, seller=SELLER, price=BIG_PRICE, stock=1, metadataURI="ipfs://b"),
        _event("OrderPlaced", 4, orderId=1, productId=1, buyer=BUYER, seller=SELLER, quantity=2, amount=2 * PRICE),
        _event("OrderPlaced", 5, orderId=2, productId=1, buyer=OTHER_BUYER, seller=SELLER, quantity=1, amount=PRICE),
        _event("OrderCompleted", 6, orderId=1, seller=SELLER, amount=2 * PRICE),
        _event("Withdrawn", 7, account=SELLER, amount=2 * PRICE),
        _event("OrderCompleted", 8, orderId=2, seller=SELLER, amount=PRICE),
    ]
    store.apply(events, Checkpoint(block_number=8, block_hash="0x" + "08" * 32))
    store.record_head(10)
    settings = Settings(frontend_dir=tmp_path / "no-frontend", public_rpc_url="http://rpc.example:8545")
    return TestClient(create_app(settings, store, deployment))


def test_health__reports_indexed_block_and_lag(client):
    assert client.get("/api/health").json() == {
        "status": "ok",
        "chainId": 31337,
        "indexedBlock": 8,
        "headBlock": 10,
        "lag": 2,
    }


def test_config__comes_from_the_deployment_record(client):
    body = client.get("/api/config").json()
    assert body["chainId"] == 31337
    assert body["rpcUrl"] == "http://rpc.example:8545"
    assert body["contracts"]["Marketplace"] == {"address": "0x" + "ab" * 20, "abi": ABI}


def test_products__list_and_detail(client):
    body = client.get("/api/products").json()
    assert body["total"] == 2
    assert [p["id"] for p in body["items"]] == [1, 2]
    assert body["items"][0]["stock"] == 2  # 5 listed, 3 sold
    assert body["items"][1]["price"] == str(BIG_PRICE)  # exact, as a string
    assert client.get("/api/products/1").json()["name"] == "Product 1"


def test_products__filter_by_seller_any_case(client):
    assert client.get(f"/api/products?seller={SELLER.lower()}").json()["total"] == 2
    assert client.get(f"/api/products?seller={BUYER}").json()["total"] == 0


def test_products__pagination(client):
    body = client.get("/api/products?limit=1&offset=1").json()
    assert (body["total"], [p["id"] for p in body["items"]]) == (2, [2])


def test_product__unknown__404_with_message(client):
    response = client.get("/api/products/99")
    assert response.status_code == 404
    assert response.json() == {"message": "product 99 not found"}


def test_orders__by_buyer_and_by_seller(client):
    mine = client.get(f"/api/orders?buyer={BUYER}").json()
    assert [(o["id"], o["status"], o["amount"], o["productName"]) for o in mine["items"]] == [
        (1, "Completed", str(2 * PRICE), "Product 1")
    ]
    sales = client.get(f"/api/orders?seller={SELLER}").json()
    assert [o["id"] for o in sales["items"]] == [2, 1]  # newest first


def test_account__credit_earned_withdrawn(client):
    assert client.get(f"/api/accounts/{SELLER.lower()}").json() == {
        "address": SELLER,
        "credit": str(PRICE),
        "earned": str(3 * PRICE),
        "withdrawn": str(2 * PRICE),
    }
    assert client.get(f"/api/accounts/{BUYER}").json()["credit"] == "0"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/orders?buyer=0x123", "buyer: not a 0x-prefixed 20-byte hex address"),
        ("/api/orders?seller=alice", "seller: not a 0x-prefixed 20-byte hex address"),
        ("/api/products?limit=0", "limit: Input should be greater than or equal to 1"),
        ("/api/products?limit=101", "limit: Input should be less than or equal to 100"),
        ("/api/products?offset=-1", "offset: Input should be greater than or equal to 0"),
        ("/api/products/abc", "product_id: Input should be a valid integer"),
        ("/api/products/0", "product_id: Input should be greater than or equal to 1"),
        ("/api/accounts/0xnothex", "address: not a 0x-prefixed 20-byte hex address"),
    ],
)
def test_bad_input__422_with_message(client, url, message):
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["message"].startswith(message)
    json.dumps(response.json())  # the whole body is plain JSON


def test_unknown_api_route__404(client):
    assert client.get("/api/nope").status_code == 404


def test_openapi__published(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/health", "/api/config", "/api/products", "/api/products/{product_id}", "/api/orders"} <= set(paths)
