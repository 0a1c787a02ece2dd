"""Indexer fixtures: a real chain (ape's private anvil), real databases (a SQLite file and a
private PostgreSQL cluster), the real API app."""

import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.request
from glob import glob
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlmodel import SQLModel
from web3 import Web3

from indexer.deployment import Deployment
from indexer.ingest import Ingestor
from indexer.store import Store
from scripts.deploy import build_record, write_record

DATABASES = ["sqlite", "postgresql"]


# ------------------------------------------------------------------ PostgreSQL


def _postgres_bindir() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb")) or (
        [shutil.which("initdb")] if shutil.which("initdb") else []
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A throwaway trust-auth cluster on a loopback port; one database per test."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="mall-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._names = itertools.count()

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self.root.chmod(0o755)
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        log = str(self.root / "server.log")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, statement: str) -> None:
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def create_database(self) -> str:
        name = f"mall_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}")
        return name


@pytest.fixture(scope="session")
def postgres():
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed: apt-get install postgresql")
    cluster = PostgresCluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def database_url_factory(request, tmp_path):
    """database_url_factory() -> the URL of a new, empty database of this test's kind."""
    kind = getattr(request, "param", "sqlite")
    names = itertools.count()
    created = []

    def _new() -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'mall-{next(names)}.db'}"
        cluster = request.getfixturevalue("postgres")
        created.append(cluster.create_database())
        return cluster.url(created[-1])

    yield _new
    if created:
        cluster = request.getfixturevalue("postgres")
        for name in created:
            cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pytest_generate_tests(metafunc):
    """Every test that uses a database runs on SQLite and on PostgreSQL."""
    if "database_url_factory" in metafunc.fixturenames:
        metafunc.parametrize("database_url_factory", DATABASES, indirect=True)


@pytest.fixture
def database_url(database_url_factory):
    return database_url_factory()


# ------------------------------------------------------------------ the mall


@pytest.fixture
def record_file(tmp_path, deployment, usd):
    marketplace, implementation, start_block = deployment
    path = tmp_path / "deployment.json"
    record = build_record(marketplace=marketplace, implementation=implementation, start_block=start_block, tokens=[usd])
    write_record(record, path)
    return path


@pytest.fixture
def mall_deployment(record_file):
    return Deployment.load(record_file)


@pytest.fixture
def make_store(database_url_factory, mall_deployment):
    """make_store(reorg_depth=64) -> a Store on a new database (closed after the test)."""
    stores = []

    def _make(**kwargs) -> Store:
        stores.append(Store(database_url_factory(), chain_id=mall_deployment.chain_id, **kwargs))
        return stores[-1]

    yield _make
    for store in stores:
        store.close()


@pytest.fixture
def store(make_store):
    return make_store()


@pytest.fixture
def w3(chain):
    return Web3(Web3.HTTPProvider(chain.provider.uri, exception_retry_configuration=None))


@pytest.fixture
def make_ingestor(w3, mall_deployment):
    """make_ingestor(store, max_block_range=3, rpc_url=None, ...) -> an Ingestor feeding ``store``."""

    def _make(store, *, rpc_url=None, max_block_range=3, **kwargs) -> Ingestor:
        web3 = w3 if rpc_url is None else Web3(Web3.HTTPProvider(rpc_url, exception_retry_configuration=None))
        return Ingestor(web3, mall_deployment, store, max_block_range=max_block_range, **kwargs)

    return _make


@pytest.fixture
def ingestor(make_ingestor, store):
    return make_ingestor(store)


# ------------------------------------------------------------------ comparing databases


def dump_tables(store: Store) -> dict[str, list[tuple]]:
    """Every row the indexer derived, and its checkpoint, as plain values. Leaves out the
    remembered blocks (which ranges were read depends on history, not on the chain) and the
    last head seen."""
    tables = {}
    with store.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "blocks":
                continue
            columns = [c for c in table.columns if c.name != "head_block"]
            rows = connection.execute(select(*columns).order_by(*table.primary_key.columns))
            tables[table.name] = [tuple(row) for row in rows]
    return tables


@pytest.fixture
def dump():
    return dump_tables


@pytest.fixture
def reference_dump(make_store, make_ingestor):
    """reference_dump() -> dump_tables of a fresh, uninterrupted index of the chain as it is now."""

    def _dump():
        fresh = make_store()
        make_ingestor(fresh, max_block_range=50).sync_once()
        return dump_tables(fresh)

    return _dump


# ------------------------------------------------------------------ an RPC that misbehaves


class RpcProxy:
    """A JSON-RPC HTTP proxy in front of anvil that can be switched off (connection refused),
    rate-limit (HTTP 429) and refuse large eth_getLogs ranges, as real providers do."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.max_logs_range: int | None = None
        self.rate_limited = 0  # answer this many next requests with 429
        self.logs_ranges: list[tuple[int, int, bool]] = []  # (from, to, served)
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> "RpcProxy":
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, answer = proxy._answer(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _answer(self, body: bytes) -> tuple[int, bytes]:
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return 429, b'{"error": "too many requests"}'
        request = json.loads(body)  # one call, or a batch (a list of calls: passed through)
        if isinstance(request, dict) and request.get("method") == "eth_getLogs" and self.max_logs_range:
            params = request["params"][0]
            start, end = int(params["fromBlock"], 16), int(params["toBlock"], 16)
            served = end - start + 1 <= self.max_logs_range
            self.logs_ranges.append((start, end, served))
            if not served:
                error = {"code": -32005, "message": "query returned more than 10000 results"}
                return 200, json.dumps({"jsonrpc": "2.0", "id": request["id"], "error": error}).encode()
        upstream = urllib.request.Request(self.upstream, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(upstream, timeout=30) as response:
            return response.status, response.read()


@pytest.fixture
def rpc_proxy(chain):
    proxy = RpcProxy(chain.provider.uri)
    yield proxy
    proxy.stop()
