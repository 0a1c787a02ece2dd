"""The carrier simulator: its schedule and retries with a fake clock and a fake service, then end
to end with the real processes (`python -m oracle serve` and `python -m oracle simulate`) on the
real chain: a line shipped by its seller ends up delivered by the oracle."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from oracle import webhook_signature
from oracle.shipments import Shipment
from oracle.simulator import MAX_ATTEMPTS, RETRY_DELAY, CarrierSimulator
from scripts._constants import LineStatus as Status

SECRET = b"whsec_test_0123456789abcdef"  # as the conftest's
ROOT = Path(__file__).resolve().parents[2]


class FakeService:
    """Records what the simulator posts; answers with the queued status codes (then 200)."""

    def __init__(self, *codes):
        self.codes = list(codes)
        self.posts = []

    def __call__(self, url, body, headers):
        self.posts.append((url, json.loads(body), body, headers))
        return (self.codes.pop(0) if self.codes else 200), "{}"


class Clock:
    def __init__(self):
        self.now = 1_750_000_000.0

    def __call__(self):
        return self.now


def shipment(line_id, ref="PARCEL-9", carrier="UPS"):
    return Shipment(line_id=line_id, carrier=carrier, tracking_ref=ref, tracking_hash=b"", block_number=1)


@pytest.fixture
def clock():
    return Clock()


def simulator(service, clock, delay=20):
    return CarrierSimulator(None, webhook_url="http://svc/hook", secret=SECRET, delay=delay, post=service, clock=clock)


def test_simulator__in_transit_at_half_the_delay_then_delivered(clock):
    service = FakeService()
    carrier = simulator(service, clock)
    carrier.on_shipped([shipment(256), shipment(512)])  # one parcel, two lines

    for elapsed, expected in ((9, []), (10, ["in_transit"]), (19, ["in_transit"]), (20, ["in_transit", "delivered"])):
        clock.now += elapsed - (clock.now - 1_750_000_000.0)
        carrier.tick()
        assert [payload["status"] for _, payload, _, _ in service.posts] == expected

    url, payload, body, headers = service.posts[-1]
    assert url == "http://svc/hook" and carrier.pending == 0
    assert (payload["event"], payload["carrier"], payload["trackingNumber"]) == ("tracking.updated", "UPS", "PARCEL-9")
    assert webhook_signature.verify(SECRET, headers[webhook_signature.HEADER], body, now=clock.now, tolerance=0)


def test_simulator__retries_while_the_service_is_down_or_has_not_seen_the_parcel(clock):
    service = FakeService(None, 404, 503)
    carrier = simulator(service, clock, delay=0)
    carrier.on_shipped([shipment(256)])

    for _ in range(4):
        carrier.tick()
        clock.now += RETRY_DELAY
    carrier.tick()

    assert [payload["status"] for _, payload, _, _ in service.posts] == ["in_transit"] * 4 + ["delivered"]
    assert carrier.pending == 0


@pytest.mark.parametrize("code", [401, 422])
def test_simulator__gives_up_on_what_retrying_cannot_fix(clock, code):
    service = FakeService(code)
    carrier = simulator(service, clock, delay=0)
    carrier.on_shipped([shipment(256)])

    for _ in range(3):
        carrier.tick()
        clock.now += RETRY_DELAY

    assert len(service.posts) == 1 and carrier.pending == 0


def test_simulator__gives_up_after_many_attempts(clock):
    service = FakeService(*[500] * 100)
    carrier = simulator(service, clock, delay=0)
    carrier.on_shipped([shipment(256)])

    for _ in range(MAX_ATTEMPTS + 5):
        carrier.tick()
        clock.now += RETRY_DELAY

    assert len(service.posts) == MAX_ATTEMPTS and carrier.pending == 0


# ------------------------------------------------------------------ end to end


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(condition, timeout: float, what: str, processes=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, f"{process.args} exited early"
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout}s")


@pytest.fixture
def run(tmp_path):
    """run(name, *args, env) -> a `python -m oracle ...` child process (stopped after the test; its
    output in tmp_path/<name>.log, see ``run.log(name)``)."""
    children = []

    def _run(name, *args, env):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the child
        child = subprocess.Popen(
            [sys.executable, "-m", "oracle", *args],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        children.append((child, log))
        return child

    _run.log = lambda name: (tmp_path / f"{name}.log").read_text()
    yield _run
    for child, log in children:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        log.close()


def test_end_to_end__simulated_carrier_and_service_deliver_a_shipped_line(
    chain, run, record_file, attester_key, ship, marketplace, oracle, terms
):
    port = _free_port()
    env = {
        "RPC_URL": chain.provider.uri,
        "DEPLOYMENT_FILE": str(record_file),
        "WEBHOOK_SECRET": SECRET.decode(),
        "POLL_INTERVAL": "0.2",
    }
    service = run("service", "serve", env=env | {"ORACLE_PRIVATE_KEY": attester_key, "ORACLE_PORT": str(port)})
    health = f"http://127.0.0.1:{port}/health"
    _wait(lambda: urllib.request.urlopen(health, timeout=1).status == 200, 30, "the service answers", [service])
    carrier = run(
        "simulator", "simulate", "--webhook-url", f"http://127.0.0.1:{port}/webhooks/carrier", "--delay", "1", env=env
    )

    (line_id,) = ship("SIM-0001", carrier="DHL")

    _wait(
        lambda: marketplace.getLine(line_id).status == Status.DELIVERED,
        60,
        "the line delivered by the oracle",
        [service, carrier],
    )
    (attested,) = oracle.DeliveryAttested.query("*", start_block=0)["event_arguments"]
    assert attested["lineId"] == line_id
    _wait(lambda: "status=delivered" in run.log("simulator"), 10, "the simulator logs the delivery")
    assert "status=in_transit" in run.log("simulator")
    service_log = run.log("service")
    assert f"delivered tracking=SIM-0001 lines=[{line_id}]" in service_log
    assert attester_key.removeprefix("0x") not in service_log and SECRET.decode() not in service_log
