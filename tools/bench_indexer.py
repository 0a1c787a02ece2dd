"""Indexer benchmarks (``make bench``): backfill speed, head latency and API throughput.

    python tools/bench_indexer.py [--events 52000] [--samples 50] [--listings 100000] [--seconds 10]

1. Backfill: a fresh anvil filled with at least ``--events`` genuine marketplace events (real
   listings, cart checkouts, accepts, ships, deliveries, completions, cancellations, rejections,
   withdrawals, sent through contracts/test/BulkTrader.sol), then a fresh ``ingest`` into SQLite
   (and PostgreSQL with ``--postgres URL``) timed from the first RPC call to the last committed
   row: events per second.
2. Head latency: ``python -m indexer serve`` follows that chain; a listing is mined ``--samples``
   times at random moments, and the time from its receipt to the product being served by the
   API (polled every 2 ms) is measured: p50, p95.
3. API: tools/bench_api.py's catalog of ``--listings`` listings under wrk, 16 connections, with
   the response cache and without it.

Prints a table with the issue's targets and anchors and writes bench-results/indexer.json. A
benchmark, not a test: nothing fails on a slow machine (but the chain must hold ≥ 50,000 events).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from eth_utils import event_abi_to_log_topic
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func
from sqlmodel import select
from web3 import Web3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import bench_api  # noqa: E402
from bench_chain import ETH, PRICE, MallChain, start_anvil  # noqa: E402

from indexer.deployment import Deployment  # noqa: E402
from indexer.ingest import Ingestor, run_forever  # noqa: E402
from indexer.models import EventRecord  # noqa: E402
from indexer.store import Store  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 150)
ANCHORS = {
    "backfill": "Envio over RPC 492, rindexer 207, Ponder 44 events/s",
    "head_latency": "graph-node and Ponder poll about once a second",
    "api": "a naive FastAPI + SQLModel list endpoint: 305–355 req/s, p99 204 ms (measured here)",
}
TARGETS = {"backfill_events_per_second": 5_000, "head_latency_p95_ms": 500, "api_rps": 1_000, "api_p99_ms": 50}


def backfill(rpc_url: str, record: Path, database_url: str) -> dict:
    """A fresh index of the whole chain, as ``ingest --once`` runs it (default settings)."""
    deployment = Deployment.load(record)
    store = Store(database_url, chain_id=deployment.chain_id)
    provider = Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 120}, exception_retry_configuration=None)
    ingestor = Ingestor(Web3(provider), deployment, store)
    started = time.perf_counter()
    run_forever(ingestor, threading.Event(), until_caught_up=True)
    seconds = time.perf_counter() - started
    with store.session() as session:
        events = session.exec(select(func.count()).select_from(EventRecord)).one()
    blocks = store.checkpoint().block_number - deployment.start_block + 1
    store.close()
    rate = round(events / seconds)
    return {"events": events, "blocks": blocks, "seconds": round(seconds, 3), "events_per_second": rate}


def head_latency(mall: MallChain, rpc_url: str, record: Path, database_url: str, samples: int) -> dict:
    """Receipt → visible in the API, with ``python -m indexer serve`` following the chain."""
    port = bench_api.free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "RPC_URL": rpc_url, "DEPLOYMENT_FILE": str(record),
           "PORT": str(port), "PYTHONPATH": str(ROOT)}  # fmt: skip
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    server = subprocess.Popen([sys.executable, "-m", "indexer", "serve"], cwd=ROOT, env=env, **quiet)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _get_json(f"{base}/api/health").get("lag") == 0, server)
        seller = mall.w3.eth.accounts[5]
        topic = event_abi_to_log_topic(mall.marketplace.events.ProductListed.abi)
        latencies = []
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Head latency", total=samples)
            for _ in range(samples):
                time.sleep(random.uniform(0.05, 0.4))  # not in step with the indexer's polling
                call = mall.marketplace.functions.listProduct(ETH, PRICE, 5, "ipfs://head-latency")
                receipt = mall.w3.eth.wait_for_transaction_receipt(call.transact({"from": seller}), poll_latency=0.001)
                received = time.perf_counter()
                (listed,) = [entry for entry in receipt["logs"] if bytes(entry["topics"][0]) == topic]
                url = f"{base}/api/products/{int.from_bytes(listed['topics'][1], 'big')}"
                while _status(url) != 200:
                    time.sleep(0.002)
                latencies.append((time.perf_counter() - received) * 1000)
                progress.advance(task)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ordered = sorted(latencies)
    return {
        "samples": samples,
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
        "poll_interval_s": float(os.environ.get("POLL_INTERVAL", 0.2)),
    }


def _get_json(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return {}


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _wait(condition, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the indexer exited with {process.returncode}")
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError("the indexer did not catch up")


def build_chain(port: int, events: int, per_tx: int) -> MallChain:
    rpc_url = f"http://127.0.0.1:{port}"
    mall = MallChain.deploy(rpc_url)
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"Filling the chain with ≥ {events:,} mall events", total=1)
        mall.fill(events, per_tx=per_tx, progress=lambda done, of: progress.update(task, completed=done, total=of))
    head = mall.w3.eth.block_number
    console.print(f"[green]✓[/] chain built: {head:,} blocks in {time.perf_counter() - started:.0f}s")
    return mall


def report(results: dict) -> None:
    api = results.get("api")
    title = "Indexer benchmarks on loopback" + (f" (API: {api['listings']:,} listings, 16 connections)" if api else "")
    table = Table(title=title)
    for column in ("figure", "measured", "target", "anchor"):
        table.add_column(column)
    for name, run in results["backfill"].items():
        table.add_row(
            f"backfill into {name} ({run['events']:,} events, {run['blocks']:,} blocks)",
            f"{run['events_per_second']:,} events/s",
            f"≥ {TARGETS['backfill_events_per_second']:,} events/s",
            ANCHORS["backfill"],
        )
    head = results["head_latency"]
    table.add_row(
        f"head latency, receipt → API ({head['samples']} listings)",
        f"p50 {head['p50_ms']:.0f} ms, p95 {head['p95_ms']:.0f} ms",
        f"p95 ≤ {TARGETS['head_latency_p95_ms']} ms",
        ANCHORS["head_latency"],
    )
    for mode, routes in (api or {}).get("runs", {}).items():
        for route, r in routes.items():
            main = route == "catalog_first_page"
            table.add_row(
                f"API {route.replace('_', ' ')}, {mode}",
                f"{r['requests_per_second']:,.0f} req/s, p99 {r['p99_ms']:.1f} ms",
                f"≥ {TARGETS['api_rps']:,} req/s, p99 ≤ {TARGETS['api_p99_ms']} ms" if main else "",
                ANCHORS["api"] if main else "",
            )
    console.print(table)
    load = results["machine"]
    start, end = load["load_average_at_start"], load["load_average_at_end"]
    console.print(f"load average of the machine (1, 5, 15 min): {start} at the start, {end} at the end")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=52_000, help="mall events on the chain (at least)")
    parser.add_argument("--per-tx", type=int, default=48, help="order lines per bulk transaction")
    parser.add_argument("--samples", type=int, default=50, help="head-latency samples")
    parser.add_argument("--listings", type=int, default=100_000, help="catalog size for the API benchmark")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per route")
    parser.add_argument("--workers", type=int, default=2, help="API worker processes (WEB_CONCURRENCY)")
    parser.add_argument("--postgres", metavar="URL", help="also backfill into this (empty) PostgreSQL database")
    parser.add_argument("--skip-api", action="store_true")
    args = parser.parse_args()
    if not args.skip_api and shutil.which("wrk") is None:
        console.print("[red]wrk is not installed[/] (Debian: apt-get install wrk)")
        return 1

    workdir = Path(tempfile.mkdtemp(prefix="mall-bench-indexer-"))
    port = bench_api.free_port()
    anvil = start_anvil(port)
    rpc_url = f"http://127.0.0.1:{port}"
    # Other work on the machine slows every figure: its load average is recorded beside them.
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average_at_start": os.getloadavg()}
    results: dict = {"machine": machine, "anchors": ANCHORS, "targets": TARGETS}
    try:
        mall = build_chain(port, args.events, args.per_tx)
        record = workdir / "deployment.json"
        record.write_text(json.dumps(mall.record()))
        sqlite_url = f"sqlite:///{workdir / 'backfill.db'}"
        results["backfill"] = {"sqlite": backfill(rpc_url, record, sqlite_url)}
        if args.postgres:
            results["backfill"]["postgresql"] = backfill(rpc_url, record, args.postgres)
        for name, run in results["backfill"].items():
            console.print(f"[green]✓[/] backfill into {name}: {run['events']:,} events, {run['events_per_second']:,}/s")
        if results["backfill"]["sqlite"]["events"] < 50_000:
            console.print("[red]the chain holds fewer than 50,000 events[/]")
            return 1
        results["head_latency"] = head_latency(mall, rpc_url, record, sqlite_url, args.samples)
        console.print(f"[green]✓[/] head latency p95 {results['head_latency']['p95_ms']:.0f} ms")
    finally:
        anvil.terminate()
        anvil.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    if not args.skip_api:
        catalog_dir, database, catalog_record = bench_api.catalog(args.listings)
        try:
            runs = {
                mode: bench_api.measure_routes(
                    database, catalog_record, seconds=args.seconds, workers=args.workers, cache=mode == "cached"
                )
                for mode in ("cached", "uncached")
            }
        finally:
            shutil.rmtree(catalog_dir, ignore_errors=True)
        results["api"] = {"listings": args.listings, "connections": 16, "workers": args.workers, "runs": runs}

    results["machine"]["load_average_at_end"] = os.getloadavg()
    report(results)
    out = ROOT / "bench-results" / "indexer.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    console.print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
