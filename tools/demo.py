"""`make demo`: a local chain, the deployed and seeded contracts, the indexer, API and frontend.

Ctrl-C stops everything this started. Ports: RPC_PORT (default 8545), PORT (default 8000).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from eth_account import Account
from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".demo"
CHAIN_ID = 31337
MNEMONIC = "test test test test test test test test test test test junk"  # anvil's public dev mnemonic
ROLES = [
    "admin / deployer",
    "seller (Alice)",
    "seller (Bob)",
    "buyer (Carol)",
    "buyer (Dave)",
    "arbiter (Erin)",
    "arbiter (Frank)",
    "support (Grace)",
    "logistics oracle",
]
HEARTBEAT_SECONDS = 2.0
ORACLE_ACCOUNT = 8  # signs the logistics oracle's delivery attestations and sends them


def dev_account(index: int):
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")


console = Console()


class DemoError(RuntimeError):
    pass


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def wait_for(what: str, check, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise DemoError(f"{what} exited early (code {process.returncode}); see its log in {STATE}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise DemoError(f"{what} did not come up within {timeout:.0f}s")


def rpc_ready(url: str) -> bool:
    request = urllib.request.Request(
        url,
        data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=1) as response:
        return int(json.load(response)["result"], 16) == CHAIN_ID


def api_ready(url: str, path: str = "/api/health") -> bool:
    with urllib.request.urlopen(f"{url}{path}", timeout=1) as response:
        return json.load(response)["status"] == "ok"


class Processes:
    """Children started in their own process groups, all stopped together."""

    def __init__(self):
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(STATE / f"{name}.log", "w")  # noqa: SIM115 - lives as long as the child
        child = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children.append((name, child))
        return child

    def stop(self) -> None:
        for name, child in reversed(self.children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                console.print(f"  stopped {name}")


def run_step(description: str, args: list[str]) -> None:
    with console.status(description):
        result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        console.print(result.stdout[-4000:], result.stderr[-4000:], markup=False)
        raise DemoError(f"{description} failed")
    console.print(f"[green]✓[/] {description}")


def print_accounts() -> None:
    """Full addresses and keys, one account a line, so they copy cleanly at any terminal width."""
    console.print("\n[bold]Demo accounts[/] (anvil's public development keys: for local use only)")
    for index, role in enumerate(ROLES):
        account = dev_account(index)
        key = "0x" + account.key.hex().removeprefix("0x")
        console.print(f"  #{index} {role:<17} {account.address}\n     private key {key}", soft_wrap=True)


def heartbeat(rpc_url: str, stop: threading.Event) -> None:
    """An empty block every couple of seconds, as a real chain would have: anvil mines only on
    transactions, and without blocks the chain's clock stands still (deadlines never pass) and the
    arbiter draw, which needs the block after the escalation, would wait for someone's transaction."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []}).encode()
    while not stop.wait(HEARTBEAT_SECONDS):
        request = urllib.request.Request(rpc_url, data=body, headers={"Content-Type": "application/json"})
        with contextlib.suppress(OSError):  # the chain is stopping, or busy: the next beat will do
            urllib.request.urlopen(request, timeout=5).read()


def main() -> int:
    host = "127.0.0.1"
    rpc_port = int(os.environ.get("RPC_PORT", "8545"))
    port = int(os.environ.get("PORT", "8000"))
    oracle_port = int(os.environ.get("ORACLE_PORT", "8100"))
    rpc_url, app_url = f"http://{host}:{rpc_port}", f"http://{host}:{port}"
    oracle_url = f"http://{host}:{oracle_port}"
    busy = (("the chain", rpc_port, "RPC_PORT"), ("the app", port, "PORT"), ("the oracle", oracle_port, "ORACLE_PORT"))
    for what, busy_port, variable in busy:
        if port_in_use(host, busy_port):
            console.print(f"[red]Port {busy_port} ({what}) is already in use.[/] Stop what uses it or set {variable}=…")
            return 1

    shutil.rmtree(STATE, ignore_errors=True)
    STATE.mkdir()
    processes = Processes()
    # Explicit handlers: a shell that starts the demo in the background ignores SIGINT, and
    # Python would then never raise KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ape = str(Path(sys.executable).parent / "ape")
    try:
        anvil = processes.start(
            "anvil", ["anvil", "--host", host, "--port", str(rpc_port), "--chain-id", str(CHAIN_ID)]
        )
        with console.status(f"Starting anvil on {rpc_url}"):
            wait_for("anvil", lambda: rpc_ready(rpc_url), process=anvil)
        console.print(f"[green]✓[/] Local chain {CHAIN_ID} at {rpc_url}")

        network = ["--network", rpc_url]
        attester = ["--attester", dev_account(ORACLE_ACCOUNT).address]
        run_step("Deploying the mall's contracts behind UUPS proxies", [ape, "run", "deploy", *attester, *network])
        run_step("Seeding products, orders, disputes and support cases", [ape, "run", "seed", *network])
        stop_heartbeat = threading.Event()
        threading.Thread(target=heartbeat, args=(rpc_url, stop_heartbeat), daemon=True).start()

        indexer_env = {
            "RPC_URL": rpc_url,
            "DATABASE_URL": f"sqlite:///{STATE / 'mall.db'}",
            "DEPLOYMENT_FILE": str(ROOT / "deployments" / f"{CHAIN_ID}.json"),
            "HOST": host,
            "PORT": str(port),
        }
        indexer = processes.start("indexer", [sys.executable, "-m", "indexer", "serve"], env=indexer_env)
        with console.status("Starting the indexer, API and frontend"):
            wait_for("the indexer", lambda: api_ready(app_url), process=indexer)
        console.print(f"[green]✓[/] Indexer, API and frontend at {app_url}")

        # The logistics oracle: carrier webhooks in (HMAC-signed with a secret made for this run),
        # EIP-712 delivery attestations out; and a carrier that delivers every shipped parcel.
        record = str(ROOT / "deployments" / f"{CHAIN_ID}.json")
        secret = secrets.token_hex(32)
        oracle_key = "0x" + dev_account(ORACLE_ACCOUNT).key.hex().removeprefix("0x")
        oracle_env = {"RPC_URL": rpc_url, "DEPLOYMENT_FILE": record, "WEBHOOK_SECRET": secret}
        oracle = processes.start(
            "oracle",
            [sys.executable, "-m", "oracle", "serve"],
            env=oracle_env | {"ORACLE_PRIVATE_KEY": oracle_key, "ORACLE_HOST": host, "ORACLE_PORT": str(oracle_port)},
        )
        with console.status("Starting the logistics oracle"):
            wait_for("the oracle", lambda: api_ready(oracle_url, "/health"), process=oracle)
        webhook = f"{oracle_url}/webhooks/carrier"
        processes.start(
            "carrier",
            [sys.executable, "-m", "oracle", "simulate", "--webhook-url", webhook, "--delay", "20"],
            env=oracle_env,
        )
        console.print(
            f"[green]✓[/] Logistics oracle at {webhook}; a simulated carrier delivers shipped parcels ~20 s later"
        )

        print_accounts()
        console.print(
            f"\n[bold]Open {app_url}[/]  ·  API docs {app_url}/api/docs  ·  chain RPC {rpc_url} (chain id {CHAIN_ID})\n"
            "MetaMask: add the network above, import a key from the list above. Logs are in .demo/. "
            "[bold]Ctrl-C[/] stops everything."
        )
        while all(child.poll() is None for _, child in processes.children):
            time.sleep(0.5)
        name = next(name for name, child in processes.children if child.poll() is not None)
        raise DemoError(f"{name} stopped unexpectedly; see .demo/{name}.log")
    except KeyboardInterrupt:
        console.print("\nStopping…")
        return 0
    except DemoError as err:
        console.print(f"[red]✗ {err}[/]")
        return 1
    finally:
        processes.stop()


if __name__ == "__main__":
    sys.exit(main())
