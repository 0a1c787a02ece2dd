"""A local chain full of genuine mall events, for the indexer benchmark (tools/bench_indexer.py).

Starts anvil, deploys the Marketplace behind its proxy from the build (``.build``, made by
``ape compile``), and drives it through BulkTrader contracts (contracts/test/BulkTrader.sol):
sellers that list, accept, reject and ship, and buyers that check out carts, cancel, confirm and
complete, many calls per transaction. Every event is the marketplace's own; nothing is cached.
"""

from __future__ import annotations

import base64
import json
import math
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from web3 import Web3

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build" / "__local__.json"
ETH = "0x0000000000000000000000000000000000000000"
DAY = 24 * 60 * 60
TERMS = (250, 3 * DAY, 5 * DAY, 14 * DAY, 3 * DAY)
PRICE = 10**12
CATEGORIES = ["Home", "Grocery", "Electronics", "Clothing", "Books", "Garden", "Toys", "Sports"]
# Events per line on average: 1 in 10 cancelled, 1 in 20 rejected (2 events), the rest completed (5).
EVENTS_PER_LINE = 0.85 * 5 + 0.15 * 2


def artifacts() -> dict:
    if not BUILD.exists():
        raise SystemExit(f"{BUILD} is missing: run `make compile` first")
    types = json.loads(BUILD.read_text())["contractTypes"]
    return {
        name: (types[name]["abi"], types[name]["deploymentBytecode"]["bytecode"])
        for name in ("Marketplace", "MallProxy", "BulkTrader")
    }


def start_anvil(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        # Old states pruned (blocks and logs stay): a chain of thousands of blocks builds ~2x faster.
        ["anvil", "--port", str(port), "--silent", "--gas-limit", "60000000", "--prune-history"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    w3 = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{port}"))
    for _ in range(100):
        try:
            w3.eth.chain_id  # noqa: B018
            return process
        except Exception:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("anvil did not start")


def metadata(product: int) -> str:
    category = CATEGORIES[product % len(CATEGORIES)]
    document = {"name": f"{category} item #{product}", "category": category, "description": "Benchmark listing"}
    return "data:application/json;base64," + base64.b64encode(json.dumps(document).encode()).decode()


@dataclass
class MallChain:
    """The deployed mall on a running anvil, and the helpers that fill it."""

    w3: Web3
    admin: str
    marketplace: object
    implementation: str
    start_block: int
    abi: list = field(repr=False)
    traders: dict = field(default_factory=dict)

    @classmethod
    def deploy(cls, rpc_url: str) -> MallChain:
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 120}))
        admin = w3.eth.accounts[0]
        built = artifacts()
        start_block = w3.eth.block_number + 1
        implementation = _deploy(w3, admin, *built["Marketplace"])
        init = w3.eth.contract(abi=built["Marketplace"][0]).encode_abi("initialize", [admin, admin, TERMS])
        proxy = _deploy(w3, admin, *built["MallProxy"], implementation, init)
        marketplace = w3.eth.contract(address=proxy, abi=built["Marketplace"][0])
        mall = cls(w3, admin, marketplace, implementation, start_block, built["Marketplace"][0])
        trader_abi, trader_code = built["BulkTrader"]
        for name in ("seller_a", "seller_b", "buyer_a", "buyer_b"):
            address = _deploy(w3, admin, trader_abi, trader_code, proxy)
            mall.traders[name] = w3.eth.contract(address=address, abi=trader_abi)
        return mall

    def record(self) -> dict:
        """The deployment record the indexer reads (as scripts/deploy.py writes it)."""
        return {
            "chainId": self.w3.eth.chain_id,
            "startBlock": self.start_block,
            "contracts": {
                "Marketplace": {
                    "address": self.marketplace.address,
                    "implementation": self.implementation,
                    "abi": self.abi,
                }
            },
            "tokens": {},
        }

    def send(self, call, value: int = 0) -> None:
        tx_hash = call.transact({"from": self.admin, "value": value, "gas": 55_000_000})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=0.005)
        if receipt["status"] != 1:
            raise RuntimeError(f"bulk transaction reverted: {call.fn_name}")

    def fill(self, events: int, per_tx: int = 50, progress=None) -> int:
        """At least ``events`` marketplace events, ``per_tx`` order lines per transaction.
        Returns the number of events the bulk transactions emitted (deployment events aside)."""
        lines_needed = math.ceil(events / EVENTS_PER_LINE)
        sellers = [self.traders["seller_a"], self.traders["seller_b"]]
        buyers = [self.traders["buyer_a"], self.traders["buyer_b"]]
        products_each = 100
        emitted = 0
        for s, seller in enumerate(sellers):
            for chunk in range(0, products_each, 25):
                first = s * products_each + chunk + 1
                self.send(seller.functions.listMany(25, ETH, PRICE, 10**9, metadata(first)))
            emitted += products_each + 1  # listings, and the seller's MemberRegistered
        cart_size = 8
        carts_per_tx = max(1, per_tx // cart_size)
        placed = 0
        round_ = 0
        while placed < lines_needed:
            buyer = buyers[round_ % 2]
            base = (round_ * cart_size) % products_each
            # Half of each cart from each seller: products 1..100 are seller_a's, 101..200 seller_b's.
            cart = [(1 + (base + i) % products_each + (i % 2) * products_each, 1 + i % 3) for i in range(cart_size)]
            total = sum(PRICE * quantity for _, quantity in cart)
            order_before = self.marketplace.functions.orderCount().call()
            self.send(buyer.functions.checkoutMany(cart, carts_per_tx), value=total * carts_per_tx)
            if round_ < 2:
                emitted += 1  # the buyer's MemberRegistered
            orders = range(order_before + 1, order_before + 1 + carts_per_tx)
            lines = [(order << 8) | i for order in orders for i in range(cart_size)]
            emitted += self._lifecycle(lines, buyer, sellers)
            placed += len(lines)
            round_ += 1
            if progress:
                progress(min(placed, lines_needed), lines_needed)
        for trader in self.traders.values():
            self.send(trader.functions.withdraw(ETH))
            emitted += 1
        return emitted

    def _lifecycle(self, lines: list[int], buyer, sellers) -> int:
        """Move freshly placed lines along: some cancelled, some rejected, the rest completed."""
        cancelled = lines[::10]
        rest = [line for line in lines if line not in set(cancelled)]
        rejected = rest[::19]
        completed = [line for line in rest if line not in set(rejected)]
        self.send(buyer.functions.cancelMany(cancelled))
        for s, seller in enumerate(sellers):
            mine = [line for line in rejected if (line & 0xFF) % 2 == s]
            if mine:
                self.send(seller.functions.rejectMany(mine))
        for s, seller in enumerate(sellers):
            mine = [line for line in completed if (line & 0xFF) % 2 == s]
            self.send(seller.functions.acceptMany(mine))
            self.send(seller.functions.shipMany(mine, "DHL", "JD014600006281"))
        self.send(buyer.functions.confirmMany(completed))
        self.send(buyer.functions.completeMany(completed))
        # LinePlaced for each; LineCancelled or LineRejected; accepted, shipped, delivered, completed.
        return len(lines) + len(cancelled) + len(rejected) + 4 * len(completed)


def _deploy(w3: Web3, sender: str, abi: list, bytecode: str, *args) -> str:
    contract = w3.eth.contract(abi=abi, bytecode=bytecode)
    tx_hash = contract.constructor(*args).transact({"from": sender})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=0.005)
    if receipt["status"] != 1:
        raise RuntimeError(f"deployment reverted: {abi}")
    return receipt["contractAddress"]
