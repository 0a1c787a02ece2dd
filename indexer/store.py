"""Store: applies ChainEvents to SQL tables, one transaction per block range, and answers the
API's queries. Knows SQL; knows no RPC.

SQLite (WAL, so the API reads while ingest writes) by default; any SQLAlchemy URL otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event as sa_event
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, select

from .events import ChainEvent, Checkpoint
from .models import Account, EventRecord, Order, Product, SyncState

PAID, COMPLETED = "Paid", "Completed"


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa_event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


class Store:
    """The indexer's database. ``apply`` is the only writer of chain data."""

    def __init__(self, database_url: str, *, chain_id: int):
        self.engine = make_engine(database_url)
        self.chain_id = chain_id
        SQLModel.metadata.create_all(self.engine)
        with self.session() as session:
            state = session.get(SyncState, 1)
            if state is None:
                session.add(SyncState(chain_id=chain_id))
                session.commit()
            elif state.chain_id != chain_id:
                raise RuntimeError(f"database holds chain {state.chain_id}, not {chain_id}: use another DATABASE_URL")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    # -------------------------------------------------------------- EventSink

    def checkpoint(self) -> Checkpoint | None:
        with self.session() as session:
            state = session.get(SyncState, 1)
            if state is None or state.block_number is None:
                return None
            return Checkpoint(block_number=state.block_number, block_hash=state.block_hash or "")

    def record_head(self, block_number: int) -> None:
        with self.session() as session:
            state = session.get(SyncState, 1)
            state.head_block = block_number
            session.commit()

    def apply(self, events: list[ChainEvent], checkpoint: Checkpoint) -> None:
        """Apply a block range's events and move the checkpoint, all or nothing."""
        with self.session() as session, session.begin():
            for chain_event in events:
                key = (chain_event.tx_hash, chain_event.log_index)
                if session.get(EventRecord, key) is not None:
                    continue  # already applied: re-running a range changes nothing
                session.add(_event_record(chain_event))
                projector = _PROJECTIONS.get((chain_event.contract, chain_event.name))
                if projector:
                    projector(session, chain_event)
                session.flush()
            state = session.get(SyncState, 1)
            state.block_number = checkpoint.block_number
            state.block_hash = checkpoint.block_hash


def _event_record(e: ChainEvent) -> EventRecord:
    return EventRecord(
        tx_hash=e.tx_hash,
        log_index=e.log_index,
        block_number=e.block_number,
        block_hash=e.block_hash,
        block_timestamp=e.block_timestamp,
        contract=e.contract,
        name=e.name,
        args_json=json.dumps(e.args, default=str),
    )


# ------------------------------------------------------------------ projections


def _account(session: Session, address: str) -> Account:
    account = session.get(Account, address)
    if account is None:
        account = Account(address=address)
        session.add(account)
    return account


def _on_product_listed(session: Session, e: ChainEvent) -> None:
    session.add(
        Product(
            id=e.args["productId"],
            seller=e.args["seller"],
            price=e.args["price"],
            stock=e.args["stock"],
            metadata_uri=e.args["metadataURI"],
            name=e.extra.get("name"),
            category=e.extra.get("category"),
            description=e.extra.get("description"),
            listed_block=e.block_number,
            listed_tx=e.tx_hash,
        )
    )


def _on_order_placed(session: Session, e: ChainEvent) -> None:
    product = session.get(Product, e.args["productId"])
    product.stock -= e.args["quantity"]
    session.add(
        Order(
            id=e.args["orderId"],
            product_id=e.args["productId"],
            buyer=e.args["buyer"],
            seller=e.args["seller"],
            quantity=e.args["quantity"],
            amount=e.args["amount"],
            status=PAID,
            placed_block=e.block_number,
            placed_tx=e.tx_hash,
            placed_at=e.block_timestamp,
        )
    )


def _on_order_completed(session: Session, e: ChainEvent) -> None:
    order = session.get(Order, e.args["orderId"])
    order.status = COMPLETED
    order.completed_block = e.block_number
    order.completed_tx = e.tx_hash
    account = _account(session, e.args["seller"])
    account.credit += e.args["amount"]
    account.earned += e.args["amount"]


def _on_withdrawn(session: Session, e: ChainEvent) -> None:
    account = _account(session, e.args["account"])
    account.credit -= e.args["amount"]
    account.withdrawn += e.args["amount"]


_PROJECTIONS: dict[tuple[str, str], Callable[[Session, ChainEvent], None]] = {
    ("Marketplace", "ProductListed"): _on_product_listed,
    ("Marketplace", "OrderPlaced"): _on_order_placed,
    ("Marketplace", "OrderCompleted"): _on_order_completed,
    ("Marketplace", "Withdrawn"): _on_withdrawn,
}


# ------------------------------------------------------------------ queries (used by the API)


def get_sync_state(*, session: Session) -> SyncState | None:
    return session.get(SyncState, 1)


def list_products(*, session: Session, seller: str | None, limit: int, offset: int) -> tuple[list[Product], int]:
    query = select(Product)
    if seller:
        query = query.where(Product.seller == seller)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    items = session.exec(query.order_by(Product.id).offset(offset).limit(limit)).all()
    return list(items), total


def get_product(*, session: Session, product_id: int) -> Product | None:
    return session.get(Product, product_id)


def list_orders(
    *, session: Session, buyer: str | None, seller: str | None, limit: int, offset: int
) -> tuple[list[tuple[Order, str | None]], int]:
    """Orders, newest first, each with its product's name."""
    query = select(Order, Product.name).join(Product, Product.id == Order.product_id, isouter=True)
    if buyer:
        query = query.where(Order.buyer == buyer)
    if seller:
        query = query.where(Order.seller == seller)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Order.id.desc()).offset(offset).limit(limit)).all()
    return [(order, name) for order, name in rows], total


def get_account(*, session: Session, address: str) -> Account:
    return session.get(Account, address) or Account(address=address)
