"""Ingest survives what real deployments throw at it: a kill -9 mid-backfill, an RPC that goes
away or rate-limits, a provider that refuses large log ranges. Nothing may be lost or doubled."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from indexer.ingest import run_forever
from indexer.retry import Backoff
from indexer.store import Store

REPO = Path(__file__).resolve().parents[2]
QUICK = {"base": 0.02, "cap": 0.2}


@pytest.fixture
def busy_chain(chain, marketplace, list_product, buy, carol, dave):
    """A few hundred mall events spread over a few hundred blocks."""
    products = [list_product(stock=1_000) for _ in range(16)]
    for round_ in range(10):
        buyer = carol if round_ % 2 else dave
        buy([(product, 1 + round_ % 3) for product in products] * 2, buyer=buyer)
        chain.mine(25)
    return chain


def _checkpoint(url: str) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT block_number FROM sync_state")).scalar()
    except Exception:
        return None  # the schema is not there yet
    finally:
        engine.dispose()


def _ingest_once(url, record_file, rpc_url, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RPC_URL": rpc_url,
        "DEPLOYMENT_FILE": str(record_file),
        "MAX_BLOCK_RANGE": "2",
        "POLL_INTERVAL": "0.05",
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "indexer", "ingest", "--once", "--no-progress"]
    return subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)


def test_kill_9_mid_backfill__restart_equals_an_uninterrupted_run(
    busy_chain, database_url_factory, record_file, mall_deployment, tmp_path, dump, reference_dump
):
    url = database_url_factory()
    head = busy_chain.blocks.head.number
    halfway = mall_deployment.start_block + (head - mall_deployment.start_block) // 3

    first = _ingest_once(url, record_file, busy_chain.provider.uri, tmp_path)
    deadline = time.monotonic() + 60
    while (_checkpoint(url) or 0) < halfway and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert first.returncode == -signal.SIGKILL, first.stderr.read()
    killed_at = _checkpoint(url)
    assert halfway <= killed_at < head

    second = _ingest_once(url, record_file, busy_chain.provider.uri, tmp_path)
    _, errors = second.communicate(timeout=120)
    assert second.returncode == 0, errors

    resumed = Store(url, chain_id=mall_deployment.chain_id)
    try:
        assert resumed.checkpoint().block_number == head
        assert dump(resumed) == reference_dump()
        assert len(dump(resumed)["events"]) > 300
    finally:
        resumed.close()


def test_rpc_down_at_start__waits_then_catches_up(busy_chain, store, make_ingestor, rpc_proxy, dump, reference_dump):
    ingestor = make_ingestor(store, rpc_url=rpc_proxy.url, max_block_range=20)  # nothing listens yet
    done = threading.Thread(
        target=run_forever,
        args=(ingestor, threading.Event()),
        kwargs={"poll_interval": 0.05, "backoff": Backoff(**QUICK), "until_caught_up": True},
    )
    done.start()
    time.sleep(1.0)
    assert done.is_alive() and store.checkpoint() is None

    rpc_proxy.start()
    done.join(30)

    assert not done.is_alive()
    assert store.checkpoint().block_number == busy_chain.blocks.head.number
    assert dump(store) == reference_dump()


def test_rpc_outage_while_following__nothing_lost(
    chain, store, make_ingestor, rpc_proxy, list_product, buy, dump, reference_dump
):
    rpc_proxy.start()
    ingestor = make_ingestor(store, rpc_url=rpc_proxy.url)
    stop = threading.Event()
    follower = threading.Thread(
        target=run_forever, args=(ingestor, stop), kwargs={"poll_interval": 0.05, "backoff": Backoff(**QUICK)}
    )
    follower.start()
    try:
        product = list_product(stock=30)
        _wait_for(lambda: store.checkpoint() and store.checkpoint().block_number == chain.blocks.head.number)

        rpc_proxy.stop()
        for quantity in (1, 2, 3):
            buy([(product, quantity)])
        chain.mine(10)
        time.sleep(0.5)
        assert store.checkpoint().block_number < chain.blocks.head.number  # it could not see them

        rpc_proxy.start()
        _wait_for(lambda: store.checkpoint().block_number == chain.blocks.head.number)
    finally:
        stop.set()
        follower.join(10)
    assert dump(store) == reference_dump()


def test_range_too_large__halves_then_regrows(busy_chain, store, make_ingestor, rpc_proxy, dump, reference_dump):
    rpc_proxy.start()
    rpc_proxy.max_logs_range = 24
    ingestor = make_ingestor(store, rpc_url=rpc_proxy.url, max_block_range=200)

    ingestor.sync_once()

    refused = [end - start + 1 for start, end, served in rpc_proxy.logs_ranges if not served]
    served = [end - start + 1 for start, end, served in rpc_proxy.logs_ranges if served]
    assert refused[:3] == [200, 100, 50]  # halved on each refusal
    assert max(served) == 24 >= 12 and 48 in refused[3:]  # grew back to 24, tried 48 again
    assert dump(store) == reference_dump()


def test_rate_limited__backs_off_and_loses_nothing(busy_chain, store, make_ingestor, rpc_proxy, dump, reference_dump):
    rpc_proxy.start()
    rpc_proxy.rate_limited = 5
    ingestor = make_ingestor(store, rpc_url=rpc_proxy.url, max_block_range=40)
    backoff = Backoff(**QUICK)

    run_forever(ingestor, threading.Event(), poll_interval=0.05, backoff=backoff, until_caught_up=True)

    assert rpc_proxy.rate_limited == 0
    assert dump(store) == reference_dump()


def test_backoff__exponential_capped_and_jittered():
    backoff = Backoff(base=1.0, cap=8.0)
    delays = [backoff.next_delay() for _ in range(6)]
    for delay, ceiling in zip(delays, [1, 2, 4, 8, 8, 8], strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays[3:]}) > 1  # jitter: not the same wait every time
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")
