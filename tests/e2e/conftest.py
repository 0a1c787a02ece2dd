"""Fixtures for the browser end-to-end tests: a freshly deployed mall on ape's private anvil,
the real indexer serving the API and the frontend, and headless Chromium whose wallet is a
stand-in for MetaMask (tests/e2e/wallet_stub) holding a dev key in the page.

Chain isolation: ape snapshots the chain before each test and reverts it afterwards. Every
fixture that mines blocks or watches them (deployment, listings, indexer, page) is therefore
function-scoped: it is set up after the snapshot and torn down — indexer stopped — before
the revert, so the running indexer never sees the chain go backwards. Each test gets its
own deployment and its own SQLite index.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account import Account

from scripts.deploy import build_record, deploy_marketplace, write_record

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PRODUCTS = [  # (seller, name, category, description, price in wei, stock)
    ("alice", "Hand-thrown stoneware mug", "Home", "Glazed by hand; holds 350 ml.", 10**16, 38),
    ("bob", "Linen tea towel", "Home", "Stonewashed Lithuanian linen.", 6 * 10**15, 3),
    ("alice", "Walnut spoon", "Kitchen", "Carved from one piece of walnut.", 25 * 10**15, 12),
]


def metadata_uri(name: str, category: str, description: str) -> str:
    document = json.dumps({"name": name, "category": category, "description": description})
    return "data:application/json;base64," + base64.b64encode(document.encode()).decode()


# ---------------------------------------------------------------- build


@pytest.fixture(scope="session")
def wallet_stub_bundle(tmp_path_factory) -> Path:
    """The stub wallet bundled (viem included) into one init script."""
    out = tmp_path_factory.mktemp("wallet-stub") / "wallet-stub.js"
    subprocess.run(
        [
            ESBUILD,
            "tests/e2e/wallet_stub/index.js",
            "--bundle",
            "--format=iife",
            "--target=es2020",
            f"--outfile={out}",
            "--log-level=warning",
        ],
        cwd=REPO,
        check=True,
    )
    return out


@pytest.fixture(scope="session")
def frontend_built() -> Path:
    """Build the dApp bundle the indexer serves, so the test never runs a stale one."""
    subprocess.run(["npm", "run", "--silent", "build:frontend"], cwd=REPO, check=True)
    return REPO / "frontend"


# ---------------------------------------------------------------- keys


@pytest.fixture(scope="session")
def dev_key(accounts):
    """dev_key(account) -> the account's private key, derived from ape's test mnemonic (the
    same one anvil uses) and checked against the account's address."""
    Account.enable_unaudited_hdwallet_features()

    def _key(account) -> str:
        derived = Account.from_mnemonic(accounts.mnemonic, account_path=f"{accounts.hd_path}/{account.index}")
        assert derived.address == account.address, "ape's test accounts do not come from its mnemonic"
        return derived.key.to_0x_hex()

    return _key


# ---------------------------------------------------------------- chain and indexer


@dataclass
class Mall:
    marketplace: object
    record_path: Path
    products: dict[str, int]  # name -> product id


@pytest.fixture
def mall(admin, alice, bob, tmp_path) -> Mall:
    """A fresh marketplace with the PRODUCTS listed, and its deployment record on disk."""
    marketplace, implementation, start_block = deploy_marketplace(admin)
    record_path = tmp_path / "deployment.json"
    write_record(
        build_record(marketplace=marketplace, implementation=implementation, start_block=start_block), record_path
    )
    sellers = {"alice": alice, "bob": bob}
    products = {}
    for seller, name, category, description, price, stock in PRODUCTS:
        receipt = marketplace.listProduct(
            price, stock, metadata_uri(name, category, description), sender=sellers[seller]
        )
        products[name] = receipt.events.filter(marketplace.ProductListed)[0].productId
    return Mall(marketplace=marketplace, record_path=record_path, products=products)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.loads(response.read())


@pytest.fixture
def indexer_url(mall, chain, frontend_built, tmp_path):
    """The real indexer (`python -m indexer serve`) on a free port, caught up with the chain."""
    port = _free_port()
    env = {
        **os.environ,
        "RPC_URL": chain.provider.uri,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'index.db'}",
        "DEPLOYMENT_FILE": str(mall.record_path),
        "FRONTEND_DIR": str(frontend_built),
    }
    env.pop("PUBLIC_RPC_URL", None)
    log_path = tmp_path / "indexer.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        head = chain.blocks.height
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"the indexer exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                health = _get_json(f"{url}/api/health")
                if (health.get("indexedBlock") or -1) >= head:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the indexer did not catch up with block {head}:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_mall(browser, indexer_url, wallet_stub_bundle, chain):
    """open_mall(private_key, start_on_mall_chain=False, decoy=True) -> a Page showing the mall,
    with the stub wallet holding `private_key`. By default the wallet starts on another chain
    it has no RPC for, so the dApp must switch/add its chain, and a second (decoy) wallet
    announces itself, so the dApp must show its picker."""
    contexts = []

    def _open(private_key: str, *, start_on_mall_chain: bool = False, decoy: bool = True):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.page_errors = []  # uncaught exceptions in the page; a test can assert there are none
        page.on("pageerror", lambda err: page.page_errors.append(str(err)))
        wallet_config = {
            "privateKey": private_key,
            "chainId": chain.chain_id if start_on_mall_chain else 1,
            "rpcUrl": chain.provider.uri if start_on_mall_chain else None,
            "decoy": decoy,
        }
        page.add_init_script(
            script=f"window.__STUB_WALLET_CONFIG__ = {json.dumps(wallet_config)};"
            "window.__installStubWallet?.(window.__STUB_WALLET_CONFIG__);"
        )
        page.add_init_script(path=str(wallet_stub_bundle))
        page.goto(indexer_url)
        page.wait_for_selector("body[data-ready='true']")
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, name): save test-artifacts/<test>-<n>-<name>.png (kept on every run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    counter = iter(range(1, 100))

    def _shot(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
