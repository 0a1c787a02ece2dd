"""The admin and explorer reads (indexer/routes_admin.py): the deployment record's proxies and
implementations, read from the file at request time; every role holder the index knows; and a
product's on-chain trail (listing, updates, purchases) with transaction, block and log index."""

import json

import pytest
from fastapi.testclient import TestClient

from indexer.api import create_app
from indexer.settings import Settings

PRICE = 10**16
ADMIN_ROLE = "0x" + "00" * 32


@pytest.fixture
def api(store, mall_deployment, record_file, tmp_path):
    settings = Settings(frontend_dir=tmp_path / "no-frontend", deployment_file=record_file, response_cache=False)
    return TestClient(create_app(settings, store, mall_deployment))


def ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def test_deployment__the_records_proxy_and_implementation(api, deployment, record_file):
    marketplace, implementation, start_block = deployment
    body = ok(api.get("/api/deployment"))
    assert body["startBlock"] == start_block
    assert body["contracts"] == [
        {"name": "Marketplace", "address": marketplace.address, "implementation": implementation.address}
    ]
    # An upgrade rewrites the record: the next answer has the new implementation, no restart needed.
    record = json.loads(record_file.read_text())
    record["contracts"]["Marketplace"]["implementation"] = "0x" + "12" * 20
    record_file.write_text(json.dumps(record))
    assert ok(api.get("/api/deployment"))["contracts"][0]["implementation"] == "0x" + "12" * 20


def test_deployment__an_unreadable_record_leaves_implementations_unknown(api, deployment, record_file):
    record_file.write_text("{not json")
    body = ok(api.get("/api/deployment"))
    assert body["contracts"] == [{"name": "Marketplace", "address": deployment[0].address, "implementation": None}]
    record_file.unlink()
    assert ok(api.get("/api/deployment"))["contracts"][0]["implementation"] is None


def test_roles__every_holder_the_index_knows(api, ingestor, marketplace, admin, mallory):
    pauser = marketplace.PAUSER_ROLE()
    marketplace.grantRole(pauser, mallory, sender=admin)
    ingestor.sync_once()
    holders = ok(api.get("/api/roles"))
    assert {(h["contract"], h["role"], h["account"]) for h in holders} >= {
        ("Marketplace", "DEFAULT_ADMIN_ROLE", admin.address),
        ("Marketplace", "PAUSER_ROLE", mallory.address),
    }
    admin_entry = next(h for h in holders if h["account"] == admin.address and h["role"] == "DEFAULT_ADMIN_ROLE")
    assert admin_entry["roleHash"] == ADMIN_ROLE

    marketplace.revokeRole(pauser, mallory, sender=admin)
    ingestor.sync_once()
    assert all(h["account"] != mallory.address for h in ok(api.get("/api/roles")))


def test_product_events__the_on_chain_trail(api, ingestor, marketplace, list_product, buy, alice):
    product_id = list_product(price=PRICE, stock=5)
    marketplace.updateProduct(product_id, 2 * PRICE, 7, sender=alice)
    (line_id,) = buy([(product_id, 2)])
    ingestor.sync_once()

    trail = ok(api.get(f"/api/products/{product_id}/events"))
    assert trail["productId"] == product_id and trail["total"] == 3
    assert [entry["event"] for entry in trail["timeline"]] == ["ProductListed", "ProductUpdated", "LinePlaced"]
    updated = trail["timeline"][1]
    assert updated["args"] == {"productId": str(product_id), "price": str(2 * PRICE), "stock": "7"}
    placed = trail["timeline"][2]
    assert placed["args"]["lineId"] == str(line_id)
    receipt = marketplace.provider.web3.eth.get_transaction_receipt(placed["tx"])
    assert receipt["blockNumber"] == placed["block"]
    assert any(log["logIndex"] == placed["logIndex"] for log in receipt["logs"])


@pytest.mark.parametrize(("path", "status"), [("/api/products/999999/events", 404), ("/api/products/0/events", 422)])
def test_product_events__unknown_and_malformed_products(api, path, status):
    response = api.get(path)
    assert response.status_code == status
    assert response.json()["message"]
