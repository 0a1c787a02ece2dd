"""Fixtures for the browser end-to-end tests: a freshly deployed mall on ape's private anvil
(every contract, as `deploy_mall` wires them: marketplace, resolution centre with two arbiters
and a support agent, logistics oracle, provenance, reviews, points), the real indexer serving the
API and the frontend, and headless Chromium whose wallet is a stand-in for MetaMask
(tests/e2e/wallet_stub) holding a dev key in the page.

Sharing and chain isolation: starting the indexer and deploying take seconds, so each test
*module* gets one mall (its contracts, demo stablecoin, listings) and one indexer, and the whole
session one Chromium (each test opens its own browser context: fresh localStorage, fresh wallet).
Ape normally snapshots the chain before every test and reverts it afterwards; a revert under a
running indexer would look like the chain going backwards. So `_function_isolation` is switched
off below for this folder: the tests of a module run on one chain that only moves forward
(each sets up the orders it needs, and asserts against the chain's state, not against totals
left by an earlier test), and ape's module snapshot is restored only after the module's
indexer has stopped.
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
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from eth_account import Account
from mall_scene import ARBITER_FEES_BPS, ATTESTER, PRODUCTS

from scripts._constants import ETH, USD
from scripts.deploy import deploy_mall, write_record

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
STUB_WALLET = "test.mall.stubwallet"  # its EIP-6963 rdns


def metadata_uri(name: str, category: str, description: str) -> str:
    document = json.dumps({"name": name, "category": category, "description": description})
    return "data:application/json;base64," + base64.b64encode(document.encode()).decode()


@pytest.fixture
def _function_isolation():
    """Ape's per-test snapshot/revert, switched off for the browser tests (see the module doc)."""
    yield


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.loads(response.read())


@dataclass
class Mall:
    """One deployed mall with its indexer, and the ape gestures tests use to set a scene."""

    marketplace: object
    usd: object  # the demo stablecoin (mUSD), allow-listed
    resolution: object  # the resolution centre: disputes, arbitration, support
    oracle: object  # the logistics oracle; ATTESTER (mall_scene) signs its delivery attestations
    record_path: Path
    products: dict[str, int]  # name -> product id
    chain: object
    url: str = ""  # the indexer (API + frontend), once started
    log_path: Path | None = None
    _process: subprocess.Popen | None = field(default=None, repr=False)

    def sync(self, timeout: float = 20) -> None:
        """Wait until the indexer has ingested the chain's head (after setting up with ape)."""
        head = self.chain.blocks.height
        deadline = time.monotonic() + timeout
        while True:
            if self._process is not None and self._process.poll() is not None:
                pytest.fail(f"the indexer exited with {self._process.returncode}:\n{self.log_path.read_text()}")
            try:
                if (_get_json(f"{self.url}/api/health").get("indexedBlock") or -1) >= head:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the indexer did not catch up with block {head}:\n{self.log_path.read_text()}")
            time.sleep(0.1)

    def travel(self, seconds: int) -> None:
        """Move the chain's clock forward and mine a block at the new time; wait for the index."""
        self.chain.pending_timestamp += seconds
        self.chain.mine()
        self.sync()

    def checkout(self, buyer, cart: list[tuple[int, int]], token=ETH) -> list[int]:
        """Check out [(product id, quantity)] with ape (setting the scene); returns the line ids."""
        total = sum(self.marketplace.getProduct(pid).price * quantity for pid, quantity in cart)
        if token == ETH:
            receipt = self.marketplace.checkout(cart, ETH, total, value=total, sender=buyer)
        else:
            self.usd.approve(self.marketplace, total, sender=buyer)
            receipt = self.marketplace.checkout(cart, token, total, sender=buyer)
        return [event.lineId for event in receipt.events.filter(self.marketplace.LinePlaced)]

    def shipped_line(self, buyer, seller, product: str, token=ETH, carrier="DHL", tracking="JD014600006281") -> int:
        """A line of one `product` (by name) bought by `buyer`, accepted and shipped by `seller`."""
        (line,) = self.checkout(buyer, [(self.products[product], 1)], token=token)
        self.marketplace.acceptLine(line, sender=seller)
        self.marketplace.shipLine(line, carrier, tracking, sender=seller)
        return line


@pytest.fixture(scope="module")
def mall(
    admin, alice, bob, carol, dave, arbiter1, arbiter2, support, treasury, mallory, chain, frontend_built,
    tmp_path_factory,
):  # fmt: skip
    """Every contract of the mall (deploy_mall) and mUSD with the PRODUCTS listed, buyers funded
    with mUSD, two arbiters registered and a support agent, and the real indexer (`python -m
    indexer serve`) on a free port, caught up with the chain.

    It asks for every persona a test may use: ape reverts to the module snapshot ("rebases")
    when a session fixture is first requested mid-module, which would pull the chain from under
    the running indexer."""
    deployed = deploy_mall(admin, treasury=treasury, demo_token=True, attesters=[ATTESTER.address])
    marketplace, resolution, (usd,) = deployed["Marketplace"], deployed["ResolutionCenter"], deployed.tokens
    for buyer in (carol, dave):
        usd.mint(buyer, 10_000 * USD, sender=admin)
    for arbiter, fee in zip((arbiter1, arbiter2), ARBITER_FEES_BPS, strict=True):
        resolution.registerArbiter(arbiter, fee, sender=admin)
    resolution.grantRole(resolution.SUPPORT_ROLE(), support, sender=admin)
    workdir = tmp_path_factory.mktemp("mall")
    record_path = workdir / "deployment.json"
    write_record(deployed.record(), record_path)
    sellers = {"alice": alice, "bob": bob}
    products = {}
    for seller, name, category, description, token, price, stock in PRODUCTS:
        token_address = ETH if token == ETH else usd.address
        receipt = marketplace.listProduct(
            token_address, price, stock, metadata_uri(name, category, description), sender=sellers[seller]
        )
        products[name] = receipt.events.filter(marketplace.ProductListed)[0].productId

    mall = Mall(
        marketplace=marketplace, usd=usd, resolution=resolution, oracle=deployed["LogisticsOracle"],
        record_path=record_path, products=products, chain=chain,
    )  # fmt: skip
    port = _free_port()
    env = {
        **os.environ,
        "RPC_URL": chain.provider.uri,
        "DATABASE_URL": f"sqlite:///{workdir / 'index.db'}",
        "DEPLOYMENT_FILE": str(record_path),
        "FRONTEND_DIR": str(frontend_built),
        "POLL_INTERVAL": "0.1",
    }
    env.pop("PUBLIC_RPC_URL", None)
    mall.log_path = workdir / "indexer.log"
    with mall.log_path.open("w") as log:
        mall._process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    mall.url = f"http://127.0.0.1:{port}"
    try:
        mall.sync(timeout=30)
        yield mall
    finally:
        mall._process.terminate()
        try:
            mall._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            mall._process.kill()
            mall._process.wait()


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


class Shopper:
    """A page of the mall plus the few gestures every test repeats."""

    def __init__(self, page, dev_key):
        self.page = page
        self.by = page.get_by_test_id
        self.status = page.get_by_test_id("tx-status")
        self._dev_key = dev_key

    def connect(self, account) -> None:
        """Connect the stub wallet (picking it if a decoy announced itself too)."""
        from playwright.sync_api import expect

        self.by("connect-button").click()
        if self.page.locator("#wallet-picker[open]").count():
            self.by(f"wallet-option-{STUB_WALLET}").click()
        expect(self.by("account")).to_have_attribute("data-address", account.address)
        # The catalog redraws its controls for the connected account: wait, or typing races it.
        expect(self.page.locator("#catalog-body")).to_have_attribute("data-account", account.address)

    def use(self, account) -> None:
        """Switch the wallet to `account` (accountsChanged; the page does not reload)."""
        from playwright.sync_api import expect

        self.page.evaluate("key => window.__stubWallet.useKey(key)", self._dev_key(account))
        expect(self.by("account")).to_have_attribute("data-address", account.address)
        expect(self.page.locator("#catalog-body")).to_have_attribute("data-account", account.address)

    def go(self, route: str) -> None:
        self.by(f"nav-{route}").click()

    def add_to_cart(self, product_id: int, quantity: int = 1) -> None:
        from playwright.sync_api import expect

        self.go("catalog")
        # A catalog refresh (new block indexed, wallet event) can land between fill()'s select-all
        # and its typing; a person would see it and retype, and so does this helper.
        for _ in range(3):
            self.by(f"qty-{product_id}").fill(str(quantity))
            if self.by(f"qty-{product_id}").input_value() == str(quantity):
                break
        expect(self.by(f"qty-{product_id}")).to_have_value(str(quantity))
        self.by(f"add-{product_id}").click()
        expect(self.by("announcer")).to_contain_text("to your cart")

    def click_and_wait(self, testid: str, state: str = "done") -> str:
        """Click an action and wait for the transaction to end in `state`; returns the status text."""
        from playwright.sync_api import expect

        self.status.evaluate("el => { el.dataset.state = 'idle'; }")  # a fresh state to wait for
        self.by(testid).click()
        expect(self.status).to_have_attribute("data-state", state)
        return self.status.inner_text()

    def wallet_log(self) -> list[str]:
        return self.page.evaluate("window.__stubWallet.log")

    def record_status(self) -> None:
        """Start keeping every message the tx status region shows (see status_log)."""
        self.page.evaluate(
            """() => {
                const region = document.querySelector('[data-testid="tx-status"]');
                window.__statusLog = [];
                new MutationObserver(() => window.__statusLog.push([region.dataset.state, region.textContent]))
                    .observe(region, { childList: true });
            }"""
        )

    def status_log(self) -> list[tuple[str, str]]:
        """[(data-state, message)] shown since record_status(), in order."""
        return [tuple(entry) for entry in self.page.evaluate("window.__statusLog")]


@pytest.fixture
def open_mall(browser, mall, wallet_stub_bundle, chain, dev_key):
    """open_mall(account, start_on_mall_chain=True, decoy=False, patch_config=None) -> a Shopper
    on the mall, with the stub wallet holding the account's key. With start_on_mall_chain=False
    the wallet starts on another chain it has no RPC for, so the dApp must switch/add its chain;
    with decoy=True a second wallet announces itself, so the dApp must show its picker;
    patch_config(config) -> config rewrites what /api/config tells the page."""
    contexts = []

    def _open(account, *, start_on_mall_chain: bool = True, decoy: bool = False, patch_config=None) -> Shopper:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="UTC")
        contexts.append(context)
        if patch_config is not None:  # e.g. pretend a token has no permit
            context.route(
                "**/api/config",
                lambda route: route.fulfill(json=patch_config(route.fetch().json())),
            )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.page_errors = []  # uncaught exceptions in the page; a test can assert there are none
        page.on("pageerror", lambda err: page.page_errors.append(str(err)))
        wallet_config = {
            "privateKey": dev_key(account),
            "chainId": chain.chain_id if start_on_mall_chain else 1,
            "rpcUrl": chain.provider.uri if start_on_mall_chain else None,
            "decoy": decoy,
        }
        page.add_init_script(
            script=f"window.__STUB_WALLET_CONFIG__ = {json.dumps(wallet_config)};"
            "window.__installStubWallet?.(window.__STUB_WALLET_CONFIG__);"
        )
        page.add_init_script(path=str(wallet_stub_bundle))
        page.goto(mall.url)
        page.wait_for_selector("body[data-ready='true']")
        return Shopper(page, dev_key)

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
