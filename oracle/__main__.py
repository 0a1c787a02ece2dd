"""``python -m oracle serve``: the webhook receiver and attester.
``python -m oracle simulate``: the demo's carrier, posting signed webhooks for shipped lines.

Settings come from the environment (or .env): see oracle/settings.py and docs/logistics-oracle.md."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

import uvicorn
from pydantic import ValidationError
from web3 import Web3

from indexer.deployment import Deployment, DeploymentError
from indexer.logs import configure as configure_logging

from .api import create_app
from .chain import OracleChain
from .service import DeliveryService
from .settings import ChainSettings, ServiceSettings, SimulatorSettings
from .shipments import ShipmentIndex, follow
from .simulator import CarrierSimulator

log = logging.getLogger("oracle")


def _web3(settings: ChainSettings) -> Web3:
    # web3's own retries are off: the shipment follower backs off, and a webhook fails visibly.
    provider = Web3.HTTPProvider(
        settings.rpc_url, request_kwargs={"timeout": settings.rpc_timeout}, exception_retry_configuration=None
    )
    return Web3(provider)


def serve(settings: ServiceSettings) -> None:
    deployment = Deployment.load(settings.deployment_file)
    relayer_key = settings.relayer_private_key
    chain = OracleChain(
        _web3(settings),
        deployment,
        attester_key=settings.oracle_private_key.get_secret_value(),
        relayer_key=relayer_key.get_secret_value() if relayer_key else None,
        attestation_ttl=settings.attestation_ttl,
        receipt_timeout=settings.receipt_timeout,
    )
    for problem in chain.readiness_problems():
        log.warning("attestations will fail: %s", problem)
    shipments = ShipmentIndex(chain.marketplace, deployment.start_block, max_block_range=settings.max_block_range)
    stop = threading.Event()
    follower = threading.Thread(
        target=follow,
        args=(shipments, stop),
        kwargs={"poll_interval": settings.poll_interval},
        name="shipments",
        daemon=True,
    )
    follower.start()

    app = create_app(
        DeliveryService(shipments, chain),
        secret=settings.webhook_secret.get_secret_value().encode(),
        tolerance=settings.webhook_tolerance,
    )
    log.info(
        "serving webhooks url=http://%s:%d/webhooks/carrier oracle=%s attester=%s relayer=%s",
        settings.host,
        settings.port,
        chain.oracle.address,
        chain.attester.address,
        chain.relayer.address,
    )
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    finally:
        stop.set()
        follower.join(timeout=5)


def simulate(settings: SimulatorSettings) -> None:
    deployment = Deployment.load(settings.deployment_file)
    record = deployment.contracts["Marketplace"]
    marketplace = _web3(settings).eth.contract(address=Web3.to_checksum_address(record.address), abi=record.abi)
    simulator = CarrierSimulator(
        ShipmentIndex(marketplace, deployment.start_block, max_block_range=settings.max_block_range),
        webhook_url=settings.webhook_url,
        secret=settings.webhook_secret.get_secret_value().encode(),
        delay=settings.delay,
    )
    log.info("simulating a carrier webhook_url=%s delay=%.0fs", settings.webhook_url, settings.delay)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    simulator.run(stop, poll_interval=settings.poll_interval)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m oracle", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="receive carrier webhooks and attest deliveries on chain")
    serve_cmd.add_argument("--host")
    serve_cmd.add_argument("--port", type=int)
    simulate_cmd = commands.add_parser("simulate", help="post signed webhooks for shipped lines (demo carrier)")
    simulate_cmd.add_argument("--webhook-url", help="the service's POST /webhooks/carrier URL")
    simulate_cmd.add_argument("--secret", help="the webhook secret (better: WEBHOOK_SECRET in the environment)")
    simulate_cmd.add_argument("--delay", type=float, help="seconds from shipping to delivered (default 20)")
    args = parser.parse_args(argv)

    configure_logging()
    given = {key: value for key, value in vars(args).items() if key != "command" and value is not None}
    if "secret" in given:
        given["webhook_secret"] = given.pop("secret")
    try:
        if args.command == "serve":
            serve(ServiceSettings(**given))
        else:
            simulate(SimulatorSettings(**given))
    except ValidationError as err:
        missing = ", ".join(str(e["loc"][0]).upper() for e in err.errors())
        sys.exit(f"oracle: settings missing or invalid: {missing} (environment or .env)")
    except (DeploymentError, LookupError) as err:
        sys.exit(f"oracle: {err}")


if __name__ == "__main__":
    main()
