"""Store: applies ChainEvents to SQL tables, one transaction per block range, together with the
checkpoint. Knows SQL; knows no RPC. Reads live in ``queries``; event effects in ``projections``.

SQLite (WAL, so the API reads while ingest writes) by default; any SQLAlchemy URL otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from .events import ChainEvent, Checkpoint
from .models import EventRecord, SyncState
from .projections import PROJECTIONS, ProjectionError, seed_rows

__all__ = ["ProjectionError", "Store", "make_engine"]


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa_event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
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
            elif state.chain_id != chain_id:
                raise RuntimeError(f"database holds chain {state.chain_id}, not {chain_id}: use another DATABASE_URL")
            seed_rows(session)
            session.commit()

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
                projector = PROJECTIONS.get((chain_event.contract, chain_event.name))
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
        line_id=e.args.get("lineId"),
        product_id=e.args.get("productId"),
    )
