"""Read routes for the dApp's admin page and explorer: the deployment record's proxies and
implementations, every AccessControl grant the index knows, and a product's on-chain trail.

``create_app`` includes ``create_router(SessionDep, settings)``; like the rest of the API, nothing
here talks to the chain (the page compares these answers with what the wallet's RPC says).
"""

import json
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from sqlmodel import func, select

from .deployment import Deployment
from .models import EventRecord, Product, RoleMember
from .schemas import ErrorMessage, PublicModel, TimelineEntry
from .settings import Settings

MAX_TRAIL = 500  # events of one product's trail (listing, updates, purchases, provenance)


class DeployedContract(PublicModel):
    name: str
    address: str  # the proxy
    implementation: str | None  # as the record on disk says now (None if it cannot be read)


class DeploymentPublic(PublicModel):
    chain_id: int
    start_block: int
    deployed_at: str | None
    contracts: list[DeployedContract]


class RoleHolder(PublicModel):
    contract: str
    role: str  # its name, e.g. PAUSER_ROLE (the hash if unknown)
    role_hash: str
    account: str
    granted_block: int


class ProductTrail(PublicModel):
    product_id: int
    total: int
    timeline: list[TimelineEntry]  # oldest first, at most MAX_TRAIL


def _read_record(settings: Settings) -> dict:
    """The record as it is on disk now (an upgrade rewrites it without restarting the indexer), or
    {} when it cannot be read: the addresses then come from the record loaded at start."""
    try:
        record = json.loads(settings.deployment_file.read_text())
        return record if isinstance(record, dict) and isinstance(record.get("contracts"), dict) else {}
    except (OSError, ValueError):
        return {}


def create_router(session_dep, settings: Settings, loaded: Deployment) -> APIRouter:
    """The routes, reading through ``session_dep`` (create_app's ``Annotated[Session, Depends(...)]``);
    ``loaded`` is the deployment record as the indexer loaded it at start."""
    router = APIRouter(prefix="/api")

    @router.get("/deployment", response_model=DeploymentPublic, tags=["meta"])
    def deployment():
        """Each contract's proxy and implementation address, as the deployment record has them."""
        record = _read_record(settings)
        entries = record.get("contracts", {})

        def implementation(name: str) -> str | None:
            entry = entries.get(name)
            return entry.get("implementation") if isinstance(entry, dict) else None

        return DeploymentPublic(
            chain_id=loaded.chain_id,
            start_block=loaded.start_block,
            deployed_at=record.get("deployedAt"),
            contracts=[
                DeployedContract(name=name, address=contract.address, implementation=implementation(name))
                for name, contract in loaded.contracts.items()
            ],
        )

    @router.get("/roles", response_model=list[RoleHolder], tags=["meta"])
    def roles(session: session_dep):
        """Every AccessControl role holder the index knows (the contracts whose grants it follows)."""
        members = session.exec(
            select(RoleMember).order_by(RoleMember.contract, RoleMember.role_name, RoleMember.granted_block)
        )
        return [
            RoleHolder(
                contract=m.contract,
                role=m.role_name,
                role_hash=m.role,
                account=m.account,
                granted_block=m.granted_block,
            )
            for m in members
        ]

    @router.get(
        "/products/{product_id}/events",
        response_model=ProductTrail,
        responses={404: {"model": ErrorMessage}},
        tags=["catalog"],
    )
    def product_events(session: session_dep, product_id: Annotated[int, Path(ge=1, le=2**63 - 1)]):
        """A product's on-chain trail: its listing, updates, purchases and provenance events, with
        transaction, block and log index (what the explorer's "verify" re-reads from the chain)."""
        if session.get(Product, product_id) is None:
            raise HTTPException(status_code=404, detail=f"product {product_id} not found")
        query = select(EventRecord).where(EventRecord.product_id == product_id)
        records = list(session.exec(query.order_by(EventRecord.block_number, EventRecord.log_index).limit(MAX_TRAIL)))
        total = len(records)
        if total == MAX_TRAIL:
            total = session.exec(select(func.count()).where(EventRecord.product_id == product_id)).one()
        return ProductTrail(
            product_id=product_id,
            total=total,
            timeline=[TimelineEntry.of(r, json.loads(r.args_json)) for r in records],
        )

    return router
