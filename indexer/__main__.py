"""``python -m indexer serve``: ingest in a background thread, the API and frontend in front.
``python -m indexer ingest [--once]``: ingest only (for a separate writer process)."""

from __future__ import annotations

import argparse
import logging
import threading

import uvicorn
from web3 import Web3

from .api import create_app
from .deployment import Deployment
from .ingest import Ingestor, run_forever
from .settings import Settings
from .store import Store

log = logging.getLogger("indexer")


def _build(settings: Settings) -> tuple[Deployment, Store, Ingestor]:
    deployment = Deployment.load(settings.deployment_file)
    store = Store(settings.database_url, chain_id=deployment.chain_id)
    w3 = Web3(Web3.HTTPProvider(settings.rpc_url, request_kwargs={"timeout": 10}))
    ingestor = Ingestor(w3, deployment, store, max_block_range=settings.max_block_range)
    return deployment, store, ingestor


def serve(settings: Settings) -> None:
    deployment, store, ingestor = _build(settings)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_forever,
        args=(ingestor, stop),
        kwargs={"poll_interval": settings.poll_interval},
        name="ingest",
        daemon=True,
    )
    worker.start()
    app = create_app(settings, store, deployment)
    log.info("serving the API and frontend at http://%s:%d", settings.host, settings.port)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    finally:
        stop.set()
        worker.join(timeout=5)


def ingest(settings: Settings, *, once: bool) -> None:
    _, _, ingestor = _build(settings)
    if once:
        ingestor.check_chain()
        log.info("indexed %d events", ingestor.sync_once())
        return
    run_forever(ingestor, threading.Event(), poll_interval=settings.poll_interval)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="ingest and serve the API and frontend")
    serve_cmd.add_argument("--host")
    serve_cmd.add_argument("--port", type=int)
    ingest_cmd = commands.add_parser("ingest", help="ingest only")
    ingest_cmd.add_argument("--once", action="store_true", help="catch up to the head, then exit")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {key: value for key in ("host", "port") if (value := getattr(args, key, None)) is not None}
    settings = Settings(**overrides)
    if args.command == "serve":
        serve(settings)
    else:
        ingest(settings, once=args.once)


if __name__ == "__main__":
    main()
