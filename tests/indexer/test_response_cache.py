"""The API's response cache: answers from memory while the indexed data is unchanged, a fresh
answer as soon as a block is applied, errors never kept, concurrent identical requests computed
once, and metrics that still count every request."""

import asyncio
import concurrent.futures
import os

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from indexer.api import create_app
from indexer.deployment import Deployment
from indexer.events import ChainEvent, Checkpoint
from indexer.response_cache import ResponseCache
from indexer.settings import Settings
from indexer.store import Store

SELLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
ETH = "0x0000000000000000000000000000000000000000"


def run_in_fresh_loop(coroutine_function):
    """asyncio.run in a thread of its own: an earlier test (schemathesis, TestClient) may leave an
    event loop running in this thread, and asyncio.run refuses to nest."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()


def _event(name, block, log_index, **args):
    return ChainEvent(
        contract="Marketplace", name=name, args=args, block_number=block, block_hash=f"0x{block:064x}",
        block_timestamp=1_700_000_000 + block, tx_hash=f"0x{block:056x}{log_index:08x}", log_index=log_index,
        extra={"name": f"Product {args.get('productId')}", "category": "Home"} if name == "ProductListed" else {},
    )  # fmt: skip


def _list(store, block, product_id):
    listing = _event("ProductListed", block, 0, productId=product_id, sellerId=1, token=ETH, price=10**16, stock=3,
                     metadataURI="ipfs://x")  # fmt: skip
    store.apply([listing], Checkpoint(block, f"0x{block:064x}"))


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'cache.db'}", chain_id=31337)
    store.apply([_event("MemberRegistered", 1, 0, memberId=1, account=SELLER)], Checkpoint(1, f"0x{1:064x}"))
    _list(store, 2, 1)
    yield store
    store.close()


@pytest.fixture
def app(store, tmp_path):
    settings = Settings(frontend_dir=tmp_path / "none", deployment_file=tmp_path / "none.json")
    return create_app(settings, store, Deployment(chain_id=31337, start_block=1, contracts={}))


@pytest.fixture
def statements(store):
    """The SQL statements run against the store, as they run."""
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def _product_queries(statements):
    return [s for s in statements if "FROM products" in s and "LIMIT" in s]


def test_same_request__answered_from_memory(app, statements):
    client = TestClient(app)
    first = client.get("/api/products?limit=5")
    assert _product_queries(statements)
    statements.clear()

    second = client.get("/api/products?limit=5")

    assert second.status_code == 200 and second.content == first.content
    assert len(statements) == 1 and "sync_state" in statements[0]  # only the version check


def test_new_block__fresh_answer(app, store):
    client = TestClient(app)
    assert [p["id"] for p in client.get("/api/products").json()["items"]] == [1]
    assert client.get("/api/products/2").status_code == 404

    _list(store, 3, 2)

    assert [p["id"] for p in client.get("/api/products").json()["items"]] == [2, 1]
    assert client.get("/api/products/2").status_code == 200  # the 404 was not kept
    assert client.get("/api/health").json()["indexedBlock"] == 3


def test_head_seen__health_fresh(app, store):
    client = TestClient(app)
    assert client.get("/api/health").json()["lag"] is None
    store.record_head(9)
    assert client.get("/api/health").json()["lag"] == 7


def test_metrics__count_cached_answers_by_route(app):
    client = TestClient(app)
    for _ in range(3):
        assert client.get("/api/products/1").status_code == 200
    body = client.get("/metrics").text
    assert 'mall_api_requests_total{method="GET",route="/api/products/{product_id}",status="200"} 3.0' in body


def test_concurrent_identical_requests__computed_once(app, statements):
    async def burst():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await asyncio.gather(*(client.get("/api/products?q=Product") for _ in range(8)))

    answers = run_in_fresh_loop(burst)

    assert {a.status_code for a in answers} == {200} and len({a.content for a in answers}) == 1
    assert len(_product_queries(statements)) == 1


def test_cache_off__every_request_queries(store, tmp_path, statements):
    settings = Settings(frontend_dir=tmp_path / "none", response_cache=False)
    client = TestClient(create_app(settings, store, Deployment(chain_id=31337, start_block=1, contracts={})))
    client.get("/api/products")
    client.get("/api/products")
    assert len(_product_queries(statements)) == 2


def test_bounded__least_recently_used_evicted_by_count_and_bytes():
    async def app(scope, receive, send):
        body = b"x" * int(scope["path"].rsplit("/", 1)[1])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    cache = ResponseCache(app, version=lambda: 1, max_entries=3, max_bytes=100)

    async def get(size: int) -> None:
        scope = {"type": "http", "method": "GET", "path": f"/api/{size}", "query_string": b""}

        async def send(_message):
            pass

        await cache(scope, None, send)

    async def run():
        for size in (10, 20, 30, 40):  # four entries: the oldest goes
            await get(size)
        assert [key[0] for key in cache.entries] == ["/api/20", "/api/30", "/api/40"]
        await get(20)  # used again: now the most recent
        await get(60)  # 20 + 40 + 60 > 100 bytes: 30 then 40 go
        assert [key[0] for key in cache.entries] == ["/api/20", "/api/60"]
        assert cache.size == 80
        await get(500)  # larger than the whole budget: not kept
        assert cache.size == 80

    run_in_fresh_loop(run)


def test_deployment_record_rewritten__fresh_answer(store, tmp_path, statements):
    """Some routes read the deployment record again (an upgrade rewrites it): a new record is a
    new version too."""
    record = tmp_path / "record.json"
    record.write_text("{}")
    settings = Settings(frontend_dir=tmp_path / "none", deployment_file=record)
    client = TestClient(create_app(settings, store, Deployment(chain_id=31337, start_block=1, contracts={})))
    client.get("/api/products")
    client.get("/api/products")
    assert len(_product_queries(statements)) == 1

    written = record.stat().st_mtime_ns
    os.utime(record, ns=(written, written + 10**9))

    client.get("/api/products")
    assert len(_product_queries(statements)) == 2
