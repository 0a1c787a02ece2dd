"""The read-only HTTP API (FastAPI) over the store, and the static frontend at ``/``.

Reads the store and the deployment record; never talks to the chain.
"""

from collections.abc import Iterator
from typing import Annotated

from eth_utils import to_checksum_address
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from . import store as queries
from .deployment import Deployment
from .schemas import (
    AccountPublic,
    ClientConfig,
    ContractPublic,
    ErrorMessage,
    Health,
    OrderPublic,
    Page,
    ProductPublic,
)
from .settings import Settings
from .store import Store

ADDRESS_PATTERN = r"^0x[0-9a-fA-F]{40}$"
MAX_PAGE = 100

AddressQuery = Annotated[str | None, Query(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte hex address")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _checksum(address: str | None) -> str | None:
    return to_checksum_address(address) if address else None


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body"))
    message = error.get("msg", "invalid")
    if error.get("type") == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ADDRESS_PATTERN:
        message = "not a 0x-prefixed 20-byte hex address"
    return f"{where}: {message}" if where else message


def create_app(settings: Settings, store: Store, deployment: Deployment) -> FastAPI:
    app = FastAPI(
        title="Blockchain mall indexer",
        description="Read-only view of the mall's contracts, indexed from chain events.",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )

    def get_session() -> Iterator[Session]:
        with store.session() as session:
            yield session

    SessionDep = Annotated[Session, Depends(get_session)]

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

    not_found = {404: {"model": ErrorMessage}}

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
        )

    @app.get("/api/products", response_model=Page[ProductPublic], tags=["catalog"])
    def products(session: SessionDep, seller: AddressQuery = None, limit: Limit = 50, offset: Offset = 0):
        items, total = queries.list_products(session=session, seller=_checksum(seller), limit=limit, offset=offset)
        return Page[ProductPublic](items=[ProductPublic.of(p) for p in items], total=total)

    @app.get("/api/products/{product_id}", response_model=ProductPublic, responses=not_found, tags=["catalog"])
    def product(session: SessionDep, product_id: Annotated[int, Path(ge=1, le=2**64 - 1)]):
        found = queries.get_product(session=session, product_id=product_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"product {product_id} not found")
        return ProductPublic.of(found)

    @app.get("/api/orders", response_model=Page[OrderPublic], tags=["orders"])
    def orders(
        session: SessionDep,
        buyer: AddressQuery = None,
        seller: AddressQuery = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        rows, total = queries.list_orders(
            session=session, buyer=_checksum(buyer), seller=_checksum(seller), limit=limit, offset=offset
        )
        return Page[OrderPublic](items=[OrderPublic.of(o, name) for o, name in rows], total=total)

    @app.get("/api/accounts/{address}", response_model=AccountPublic, tags=["accounts"])
    def account(session: SessionDep, address: Annotated[str, Path(pattern=ADDRESS_PATTERN)]):
        """What the marketplace owes (credit) and has paid (withdrawn) an account."""
        return AccountPublic.of(queries.get_account(session=session, address=to_checksum_address(address)))

    @app.get("/api/{rest:path}", include_in_schema=False)
    def unknown_api(rest: str):
        raise HTTPException(status_code=404, detail=f"no API route /api/{rest}")

    if settings.frontend_dir.is_dir():
        app.mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend")
    return app


def _jsonable(errors: list[dict]) -> list[dict]:
    return [{k: (v if k != "ctx" else {ck: str(cv) for ck, cv in v.items()}) for k, v in e.items()} for e in errors]
