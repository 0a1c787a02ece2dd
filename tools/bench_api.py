"""API benchmark: a catalog of N listings (default 100,000) in a real SQLite file, the real API
(``python -m indexer api``, WEB_CONCURRENCY workers) on loopback, and wrk with 16 connections on
the catalog and product routes, with the response cache on and off.

    python tools/bench_api.py [--listings 100000] [--seconds 10] [--workers 2]     (make bench-api)

Prints tables and writes bench-results/api.json. A benchmark, not a test: nothing fails on a
slow machine. The listings are synthetic ProductListed events applied through the store, so the
tables and indexes are exactly what ingest would have built. wrk asks the same URL again and
again, which the response cache answers from memory; ``catalog_distinct_queries`` asks a
different one each time, and the uncached run shows every route's cost without the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.events import ChainEvent, Checkpoint  # noqa: E402
from indexer.store import Store  # noqa: E402

ETH = "0x0000000000000000000000000000000000000000"
SELLERS = [f"0x{i:040x}" for i in range(1, 51)]
CATEGORIES = ["Home", "Grocery", "Electronics", "Clothing", "Books", "Garden", "Toys", "Sports"]
ROUTES = {
    "catalog_first_page": "/api/products?limit=20",
    "catalog_search": "/api/products?q=lamp&limit=20",
    "catalog_category_price": "/api/products?category=Garden&maxPrice=50000000000000000&sort=price_asc&limit=20",
    "product_detail": "/api/products/4242",
    "health": "/api/health",
}
console = Console()


def _event(name: str, number: int, log_index: int, **args) -> ChainEvent:
    return ChainEvent(
        contract="Marketplace",
        name=name,
        args=args,
        block_number=number,
        block_hash=f"0x{number:064x}",
        block_timestamp=1_700_000_000 + number,
        tx_hash=f"0x{number:056x}{log_index:08x}",
        log_index=log_index,
        extra=args.pop("_extra", {}),
    )


def build_catalog(store: Store, listings: int, batch: int = 5_000) -> None:
    members = [_event("MemberRegistered", 1, i, memberId=i + 1, account=s) for i, s in enumerate(SELLERS)]
    store.apply(members, Checkpoint(1, "0x" + "00" * 32))
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"Listing {listings:,} products", total=listings)
        for start in range(0, listings, batch):
            events = []
            for product_id in range(start + 1, min(start + batch, listings) + 1):
                words = ["lamp", "mug", "chair", "kettle", "scarf", "book", "plant", "ball"]
                name = f"{words[product_id % 8]} #{product_id}"
                events.append(
                    _event(
                        "ProductListed",
                        2 + product_id // 1000,
                        product_id % 1000,
                        productId=product_id,
                        sellerId=1 + product_id % len(SELLERS),
                        token=ETH,
                        price=(product_id % 997 + 1) * 10**14,
                        stock=product_id % 50,
                        metadataURI=f"ipfs://{product_id}",
                        _extra={"name": name, "category": CATEGORIES[product_id % 8], "description": f"A {name}."},
                    )
                )
            last = events[-1].block_number
            store.apply(events, Checkpoint(last, f"0x{last:064x}"))
            progress.advance(task, len(events))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, seconds: int, connections: int = 16, script: str | None = None) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *(["-s", script] if script else []), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def latency(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


# Distinct catalog queries (a minimum price per request): nothing is answered from the cache.
DISTINCT_QUERIES_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/products?limit=20&minPrice=" .. ((counter * 7919) % 99991) .. "00000000000")
end
"""


def serve_api(database: str, record: Path, *, workers: int, cache: bool) -> tuple[subprocess.Popen, str]:
    """``python -m indexer api`` on a free loopback port; returns (process, base URL) once it answers."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DEPLOYMENT_FILE": str(record),
        "RPC_URL": "http://127.0.0.1:9",
        "WEB_CONCURRENCY": str(workers),
        "RESPONSE_CACHE": "1" if cache else "0",
        "PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    server = subprocess.Popen([sys.executable, "-m", "indexer", "api"], cwd=ROOT, env=env, **quiet)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"{base}/api/health", timeout=1)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the API did not start")


def measure_routes(database: str, record: Path, *, seconds: int, workers: int, cache: bool) -> dict:
    server, base = serve_api(database, record, workers=workers, cache=cache)
    try:
        results = {name: wrk(base + path, seconds) for name, path in ROUTES.items()}
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(DISTINCT_QUERIES_LUA)
            script.flush()
            results["catalog_distinct_queries"] = wrk(base + "/api/products", seconds, script=script.name)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def catalog(listings: int) -> tuple[Path, str, Path]:
    """A temporary directory with a deployment record and a SQLite catalog of ``listings``."""
    workdir = Path(tempfile.mkdtemp(prefix="mall-bench-"))
    record = workdir / "deployment.json"
    record.write_text(json.dumps({"chainId": 31337, "startBlock": 1, "contracts": {}, "tokens": {}}))
    database = f"sqlite:///{workdir / 'bench.db'}"
    started = time.perf_counter()
    build_catalog(Store(database, chain_id=31337), listings)
    console.print(f"[green]✓[/] {listings:,} listings indexed in {time.perf_counter() - started:.1f}s")
    return workdir, database, record


def table(title: str, results: dict) -> Table:
    out = Table(title=title)
    for column in ("route", "req/s", "p50 ms", "p99 ms", "errors"):
        out.add_column(column, justify="left" if column == "route" else "right")
    for name, r in results.items():
        out.add_row(
            name, f"{r['requests_per_second']:,.0f}", f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}", str(r["errors"])
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="API worker processes (WEB_CONCURRENCY)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        console.print("[red]wrk is not installed[/] (Debian: apt-get install wrk)")
        return 1
    workdir, database, record = catalog(args.listings)
    try:
        runs = {
            mode: measure_routes(database, record, seconds=args.seconds, workers=args.workers, cache=mode == "cached")
            for mode in ("cached", "uncached")
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for mode, results in runs.items():
        console.print(table(f"API ({mode}): {args.listings:,} listings, 16 connections, {args.seconds}s each", results))
    out = ROOT / "bench-results" / "api.json"
    out.parent.mkdir(exist_ok=True)
    document = {"listings": args.listings, "connections": 16, "workers": args.workers, "routes": runs["cached"],
                "routes_without_response_cache": runs["uncached"]}  # fmt: skip
    out.write_text(json.dumps(document, indent=2) + "\n")
    console.print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
