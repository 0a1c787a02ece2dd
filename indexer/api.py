"""The read-only HTTP API (FastAPI) over the store, and the static frontend at ``/``.

Reads the store and the deployment record; never talks to the chain.
"""

import base64
import binascii
import json
from collections.abc import Iterator
from typing import Annotated, Literal

from eth_utils import to_checksum_address
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from . import queries
from .deployment import Deployment
from .metrics import install_metrics
from .points import routes as points_routes
from .resolution.routes import account_roles, create_router, line_resolution
from .response_cache import ResponseCache
from .routes_admin import create_router as create_admin_router
from .schemas import (
    AccountPublic,
    BalancePublic,
    ClientConfig,
    ContractPublic,
    CursorPage,
    ErrorMessage,
    FeesPublic,
    Health,
    LineDetail,
    LinePublic,
    OrderPublic,
    Page,
    PlatformPublic,
    ProductPublic,
    StatsPublic,
    TermsPublic,
    TimelineEntry,
    TokenConfig,
    TokenPublic,
)
from .settings import Settings
from .store import Store
from .trace import routes as trace_routes
from .trace.schemas import ProductDetail

ADDRESS_PATTERN = r"^0x[0-9a-fA-F]{40}$"
ADDRESS_MESSAGE = "not a 0x-prefixed 20-byte hex address"
MAX_PAGE = 100
LineStatus = Literal[
    "Paid", "Accepted", "Shipped", "Delivered", "Completed", "Cancelled", "Rejected", "Expired", "Refunded",
    "Disputed", "Resolved",
]  # fmt: skip

AddressQuery = Annotated[str | None, Query(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte hex address")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _checksum(address: str | None) -> str | None:
    return to_checksum_address(address) if address else None


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body"))
    message = error.get("msg", "invalid")
    if error.get("type") == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ADDRESS_PATTERN:
        message = ADDRESS_MESSAGE
    return f"{where}: {message}" if where else message


def _jsonable(errors: list[dict]) -> list[dict]:
    return [{k: (v if k != "ctx" else {ck: str(cv) for ck, cv in v.items()}) for k, v in e.items()} for e in errors]


ProductSort = Literal["newest", "oldest", "price_asc", "price_desc"]
SearchText = Annotated[
    str | None, Query(min_length=1, max_length=100, description="words in name, description or category")
]


def _encode_cursor(sort: str, last: "queries.Product") -> str:
    return base64.urlsafe_b64encode(json.dumps([sort, str(last.price), last.id]).encode()).decode()


def _decode_cursor(cursor: str | None, sort: str) -> tuple[int, int] | None:
    """(price, id) of the last item of the previous page; a 422 if the cursor is not one of ours."""
    if cursor is None:
        return None
    try:
        cursor_sort, price, last_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if cursor_sort != sort:
            raise ValueError("made for another sort order")
        return int(price), int(last_id)
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error) as err:
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", "cursor"), "msg": f"not a cursor from this API ({err})"}]
        ) from err


def _mtime(path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def create_app(settings: Settings, store: Store, deployment: Deployment) -> FastAPI:
    app = FastAPI(
        title="Blockchain mall indexer",
        description="Read-only view of the mall's contracts, indexed from chain events.",
        version="0.2.0",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )

    def get_session() -> Iterator[Session]:
        with store.session() as session:
            yield session

    SessionDep = Annotated[Session, Depends(get_session)]
    not_found = {404: {"model": ErrorMessage}}
    if settings.response_cache:
        # Answers depend on the indexed data, and on the deployment record that some routes read again.
        app.add_middleware(ResponseCache, version=lambda: (store.sync_version(), _mtime(settings.deployment_file)))
    install_metrics(app, store)  # added last: outermost, so that it also counts cached answers

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        return JSONResponse(
            status_code=422,
            content={"message": "; ".join(_describe(e) for e in errors), "detail": _jsonable(errors)},
        )

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"message": str(exc.detail)})

    # -------------------------------------------------------------- meta

    @app.get("/api/health", response_model=Health, tags=["meta"])
    def health(session: SessionDep) -> Health:
        state = queries.get_sync_state(session=session)
        indexed = state.block_number if state else None
        head = state.head_block if state else None
        return Health(
            status="ok" if indexed is not None else "syncing",
            chain_id=deployment.chain_id,
            indexed_block=indexed,
            head_block=head,
            lag=(head - indexed) if head is not None and indexed is not None else None,
        )

    @app.get("/api/config", response_model=ClientConfig, tags=["meta"])
    def config() -> ClientConfig:
        """Chain, addresses and ABIs for the frontend, straight from the deployment record."""
        return ClientConfig(
            chain_id=deployment.chain_id,
            chain_name=settings.chain_name,
            rpc_url=settings.wallet_rpc_url,
            start_block=deployment.start_block,
            contracts={
                name: ContractPublic(address=record.address, abi=record.abi)
                for name, record in deployment.contracts.items()
            },
            tokens={symbol: TokenConfig(**vars(record)) for symbol, record in deployment.tokens.items()},
        )

    @app.get("/api/platform", response_model=PlatformPublic, tags=["meta"])
    def platform(session: SessionDep) -> PlatformPublic:
        """Pause state, treasury, the terms new orders get, payment tokens and platform fees."""
        settings_row, terms, tokens, fees = queries.get_platform(session=session)
        return PlatformPublic(
            paused=settings_row.paused,
            treasury=settings_row.treasury,
            terms_id=settings_row.terms_id,
            terms=TermsPublic.of(terms) if terms else None,
            tokens=[TokenPublic.of(token) for token in tokens],
            fees=[FeesPublic.of(f, token) for f, token in fees],
        )

    # -------------------------------------------------------------- catalog

    @app.get("/api/products", response_model=CursorPage[ProductPublic], tags=["catalog"])
    def products(
        session: SessionDep,
        q: Annotated[
            str | None, Query(min_length=1, max_length=100, description="words in name, description, category")
        ] = None,
        category: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
        seller: AddressQuery = None,
        token: AddressQuery = None,
        min_price: Annotated[int | None, Query(alias="minPrice", ge=0, lt=2**256)] = None,
        max_price: Annotated[int | None, Query(alias="maxPrice", ge=0, lt=2**256)] = None,
        in_stock: Annotated[bool, Query(alias="inStock")] = False,
        sort: ProductSort = "newest",
        cursor: Annotated[str | None, Query(max_length=200, description="nextCursor of the previous page")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Search the catalog: text, category, price range (in the token's smallest unit), seller,
        token, in stock; sorted; paginated by cursor (or offset)."""
        search = queries.ProductSearch(
            text=q, category=category, seller=_checksum(seller), token=_checksum(token), min_price=min_price,
            max_price=max_price, in_stock=in_stock, sort=sort, after=_decode_cursor(cursor, sort),
        )  # fmt: skip
        items, total = queries.search_products(session=session, search=search, limit=limit, offset=offset)
        tokens = queries.tokens_by_address(session=session)
        next_cursor = _encode_cursor(sort, items[-1]) if len(items) == limit else None
        return CursorPage[ProductPublic](
            items=[ProductPublic.of(p, tokens[p.token]) for p in items], total=total, next_cursor=next_cursor
        )

    @app.get("/api/products/{product_id}", response_model=ProductDetail, responses=not_found, tags=["catalog"])
    def product(session: SessionDep, product_id: Id):
        """One product, with its provenance (newest batches), newest reviews, rating and its seller's reputation."""
        found = queries.get_product(session=session, product_id=product_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"product {product_id} not found")
        public = ProductPublic.of(found, queries.tokens_by_address(session=session)[found.token])
        return ProductDetail(**public.model_dump(), **trace_routes.product_trace(session, found))

    # -------------------------------------------------------------- orders

    @app.get("/api/lines", response_model=Page[LinePublic], tags=["orders"])
    def lines(
        session: SessionDep,
        buyer: AddressQuery = None,
        seller: AddressQuery = None,
        status: LineStatus | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Order lines, newest first: a buyer's purchases or a seller's queue."""
        views, total = queries.list_lines(
            session=session, buyer=_checksum(buyer), seller=_checksum(seller), status=status, limit=limit, offset=offset
        )
        return Page[LinePublic](items=[LinePublic.of(view) for view in views], total=total)

    @app.get("/api/lines/{line_id}", response_model=LineDetail, responses=not_found, tags=["orders"])
    def line(session: SessionDep, line_id: Id):
        """One order line with its timeline: every event that touched it, oldest first."""
        view = queries.get_line(session=session, line_id=line_id)
        if view is None:
            raise HTTPException(status_code=404, detail=f"order line {line_id} not found")
        timeline = [
            TimelineEntry.of(record, json.loads(record.args_json))
            for record in queries.line_timeline(session=session, line_id=line_id)
        ]
        return LineDetail(**LinePublic.of(view).model_dump(), timeline=timeline, **line_resolution(session, line_id))

    @app.get("/api/orders", response_model=Page[OrderPublic], tags=["orders"])
    def orders(
        session: SessionDep,
        buyer: AddressQuery = None,
        seller: AddressQuery = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Orders (carts), newest first, with their lines (with ``seller``: that seller's lines)."""
        grouped, total = queries.list_orders(
            session=session, buyer=_checksum(buyer), seller=_checksum(seller), limit=limit, offset=offset
        )
        return Page[OrderPublic](items=[OrderPublic.of(oid, views) for oid, views in grouped if views], total=total)

    # -------------------------------------------------------------- statistics

    @app.get("/api/stats", response_model=StatsPublic, tags=["stats"])
    def platform_stats(session: SessionDep):
        """Orders and money through the mall: totals, by line status, per UTC day."""
        stats = queries.order_stats(session=session)
        return StatsPublic.of(stats, queries.tokens_by_address(session=session))

    @app.get("/api/sellers/{address}/stats", response_model=StatsPublic, tags=["stats"])
    def seller_stats(session: SessionDep, address: Annotated[str, Path(pattern=ADDRESS_PATTERN)]):
        """A seller's dashboard: its orders, sales by status, revenue per token and per day."""
        stats = queries.order_stats(session=session, seller=to_checksum_address(address))
        return StatsPublic.of(stats, queries.tokens_by_address(session=session))

    # -------------------------------------------------------------- accounts

    @app.get("/api/accounts/{address}", response_model=AccountPublic, tags=["accounts"])
    def account(session: SessionDep, address: Annotated[str, Path(pattern=ADDRESS_PATTERN)]):
        """What the marketplace owes an account (credit) and has paid it, per token."""
        checksummed = to_checksum_address(address)
        member_id, balances = queries.get_account(session=session, address=checksummed)
        return AccountPublic(
            address=checksummed,
            member_id=member_id,
            balances=[BalancePublic.of(balance, token) for balance, token in balances],
            **account_roles(session, checksummed),
        )

    app.include_router(create_router(SessionDep))  # disputes, arbiters, support cases
    app.include_router(trace_routes.create_router(SessionDep))  # provenance, reviews, profiles, envelopes
    app.include_router(points_routes.create_router(SessionDep))  # points: balances, history, the points mall
    app.include_router(create_admin_router(SessionDep, settings, deployment))  # record, role holders, product trails

    @app.get("/api/{rest:path}", include_in_schema=False)
    def unknown_api(rest: str):
        raise HTTPException(status_code=404, detail=f"no API route /api/{rest}")

    if settings.frontend_dir.is_dir():
        app.mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend")
    return app


def app_from_env() -> FastAPI:
    """The API alone, configured from the environment: what each uvicorn worker process runs
    (``uvicorn --factory indexer.api:app_from_env``)."""
    settings = Settings()
    deployment = Deployment.load(settings.deployment_file)
    return create_app(settings, Store(settings.database_url, chain_id=deployment.chain_id), deployment)
