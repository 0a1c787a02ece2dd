"""Prometheus metrics for the API: request counts and latencies per route, and the indexer's
progress (indexed block, chain head, lag) read from the store at scrape time."""

import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from . import queries
from .store import Store


def install_metrics(app: FastAPI, store: Store) -> None:
    registry = CollectorRegistry()  # one per app, so that several apps (tests) never clash
    requests = Counter("mall_api_requests", "API requests served", ["route", "method", "status"], registry=registry)
    latency = Histogram(
        "mall_api_request_seconds",
        "API request latency",
        ["route"],
        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
        registry=registry,
    )
    indexed = Gauge("mall_indexer_indexed_block", "Last block applied to the database", registry=registry)
    head = Gauge("mall_indexer_head_block", "Last chain head seen by ingest", registry=registry)
    lag = Gauge("mall_indexer_lag_blocks", "Blocks the database is behind the chain head", registry=registry)

    app.add_middleware(_Measure, requests=requests, latency=latency)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        with store.session() as session:
            state = queries.get_sync_state(session=session)
        if state is not None and state.block_number is not None:
            indexed.set(state.block_number)
        if state is not None and state.head_block is not None:
            head.set(state.head_block)
            if state.block_number is not None:
                lag.set(state.head_block - state.block_number)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class _Measure:
    """Counts and times every HTTP request (plain ASGI: no per-request task or body streaming
    wrapper, as ``@app.middleware("http")`` adds)."""

    def __init__(self, app, *, requests: Counter, latency: Histogram):
        self.app = app
        self.requests = requests
        self.latency = latency

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_see(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_see)
        finally:
            # The route's template (/api/lines/{line_id}), not the raw path: bounded label values.
            path = scope["path"]
            name = getattr(scope.get("route"), "path", "static" if not path.startswith("/api/") else "unknown")
            self.latency.labels(name).observe(time.perf_counter() - started)
            self.requests.labels(name, scope["method"], str(status)).inc()
