"""Prometheus metrics for the API: request counts and latencies per route, and the indexer's
progress (indexed block, chain head, lag) read from the store at scrape time."""

import time
from collections.abc import Callable

from fastapi import FastAPI, Request, Response
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

    @app.middleware("http")
    async def _measure(request: Request, call_next: Callable):
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        # The route's template (/api/lines/{line_id}), not the raw path: bounded label values.
        name = getattr(route, "path", "static" if not request.url.path.startswith("/api/") else "unknown")
        latency.labels(name).observe(time.perf_counter() - started)
        requests.labels(name, request.method, str(response.status_code)).inc()
        return response

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
