"""``python -m indexer serve``: ingest in a background thread, the API and frontend in front.
``python -m indexer ingest [--once] [--progress]``: ingest only (for a separate writer process).
``python -m indexer api``: the API and frontend only (replicas in front of the database).

The API runs in ``WEB_CONCURRENCY`` uvicorn worker processes (default 1); ingest in one."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import threading

import uvicorn
from web3 import Web3

from .deployment import Deployment
from .ingest import Ingestor, run_forever
from .logs import configure as configure_logging
from .progress import BackfillProgress
from .retry import Backoff
from .settings import Settings
from .store import Store

log = logging.getLogger("indexer")


def _build(settings: Settings) -> tuple[Deployment, Store, Ingestor]:
    deployment = Deployment.load(settings.deployment_file)
    store = Store(settings.database_url, chain_id=deployment.chain_id, reorg_depth=settings.reorg_depth)
    # web3's own retries are off: run_forever's backoff decides, and a range is never skipped.
    provider = Web3.HTTPProvider(
        settings.rpc_url, request_kwargs={"timeout": settings.rpc_timeout}, exception_retry_configuration=None
    )
    ingestor = Ingestor(
        Web3(provider),
        deployment,
        store,
        max_block_range=settings.max_block_range,
        confirmations=settings.confirmations,
    )
    return deployment, store, ingestor


def _backoff(settings: Settings) -> Backoff:
    return Backoff(base=max(settings.poll_interval, 0.1), cap=settings.retry_max_delay)


def api(settings: Settings) -> None:
    log.info(
        "serving the API and frontend at http://%s:%d (%d worker(s))",
        settings.host, settings.port, settings.web_concurrency,
    )  # fmt: skip
    uvicorn.run(
        "indexer.api:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        log_level="warning",
        access_log=False,
    )


def serve(settings: Settings) -> None:
    _, _, ingestor = _build(settings)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_forever,
        args=(ingestor, stop),
        kwargs={"poll_interval": settings.poll_interval, "backoff": _backoff(settings)},
        name="ingest",
        daemon=True,
    )
    worker.start()
    try:
        api(settings)
    finally:
        stop.set()
        worker.join(timeout=5)


def ingest(settings: Settings, *, once: bool, progress: bool) -> None:
    """With ``once``: catch up to the head (waiting out RPC outages), then exit."""
    _, store, ingestor = _build(settings)
    bar = BackfillProgress() if once and progress else None
    with bar or contextlib.nullcontext():
        run_forever(
            ingestor,
            threading.Event(),
            poll_interval=settings.poll_interval,
            backoff=_backoff(settings),
            until_caught_up=once,
            progress=bar,
        )
    if once:
        checkpoint = store.checkpoint()
        log.info("caught up block=%s", checkpoint.block_number if checkpoint else None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="ingest and serve the API and frontend")
    serve_cmd.add_argument("--host")
    serve_cmd.add_argument("--port", type=int)
    api_cmd = commands.add_parser("api", help="the API and frontend only (no ingest)")
    api_cmd.add_argument("--host")
    api_cmd.add_argument("--port", type=int)
    ingest_cmd = commands.add_parser("ingest", help="ingest only")
    ingest_cmd.add_argument("--once", action="store_true", help="catch up to the head, then exit")
    ingest_cmd.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar with ETA for --once (default: when stderr is a terminal)",
    )
    args = parser.parse_args(argv)

    configure_logging()
    overrides = {key: value for key in ("host", "port") if (value := getattr(args, key, None)) is not None}
    settings = Settings(**overrides)
    if args.command == "serve":
        serve(settings)
    elif args.command == "api":
        api(settings)
    else:
        show_progress = args.progress if args.progress is not None else sys.stderr.isatty()
        ingest(settings, once=args.once, progress=show_progress)


if __name__ == "__main__":
    main()
