"""Store: applies ChainEvents to SQL tables, one transaction per block range, together with the
checkpoint. Knows SQL; knows no RPC. Reads live in ``queries``; event effects in ``projections``.

SQLite (WAL, so the API reads while ingest writes) by default; PostgreSQL with
``postgresql+psycopg://``; the schema comes from the migrations in ``indexer/migrations``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, insert
from sqlalchemy import event as sa_event
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine, select

from . import migrations
from .events import BlockRef, ChainEvent, Checkpoint
from .models import PROJECTION_TABLES, Block, EventRecord, SyncState
from .projections import PROJECTIONS, ProjectionError, seed_rows

__all__ = ["ProjectionError", "Store", "make_engine"]


def normalize_url(database_url: str) -> str:
    """``postgres://`` and ``postgresql://`` (psycopg2 in SQLAlchemy) mean psycopg 3 here."""
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url.removeprefix(prefix)
    return database_url


# Kept connections for the API's concurrent requests (16 and more): beyond the pool, each request
# would open and close its own connection, which costs more than its queries.
POOL = {"pool_size": 16, "max_overflow": 16}


def make_engine(database_url: str) -> Engine:
    database_url = normalize_url(database_url)
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30}, **POOL)

        @sa_event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True, **POOL)


_SYNC_VERSION = sa_select(SyncState.block_number, SyncState.block_hash, SyncState.head_block).where(SyncState.id == 1)


class Store:
    """The indexer's database. ``apply`` and ``rewind`` are the only writers of chain data."""

    def __init__(self, database_url: str, *, chain_id: int, reorg_depth: int = 64):
        self.engine = make_engine(database_url)
        self.chain_id = chain_id
        self.reorg_depth = reorg_depth
        self._version_connection: Connection | None = None
        self._version_lock = threading.Lock()
        migrations.upgrade(self.engine)
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

    def close(self) -> None:
        with self._version_lock:
            if self._version_connection is not None:
                self._version_connection.close()
                self._version_connection = None
        self.engine.dispose()

    # -------------------------------------------------------------- EventSink

    def checkpoint(self) -> Checkpoint | None:
        with self.session() as session:
            state = session.get(SyncState, 1)
            if state is None or state.block_number is None:
                return None
            return Checkpoint(block_number=state.block_number, block_hash=state.block_hash or "")

    def sync_version(self) -> tuple:
        """The sync state (checkpoint and last head seen), read cheaply: every change of the
        indexed data moves it, so the API's response cache is valid while it stays equal."""
        with self._version_lock:
            # Its own autocommit connection, kept: the API asks on every request, from its event
            # loop, which must never wait for the pool the request threads hold.
            if self._version_connection is None or self._version_connection.invalidated:
                self._version_connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                row = self._version_connection.execute(_SYNC_VERSION).first()
            except Exception:
                self._version_connection.close()
                self._version_connection = None
                raise
        return tuple(row) if row else ()

    def recent_blocks(self) -> list[BlockRef]:
        """The remembered blocks, newest first: candidates for the common ancestor after a reorg."""
        with self.session() as session:
            rows = session.exec(select(Block).order_by(Block.number.desc()))
            return [BlockRef(number=b.number, hash=b.hash, parent_hash=b.parent_hash) for b in rows]

    def record_head(self, block_number: int) -> None:
        with self.session() as session:
            state = session.get(SyncState, 1)
            state.head_block = block_number
            session.commit()

    def apply(self, events: list[ChainEvent], checkpoint: Checkpoint, blocks: list[BlockRef] = ()) -> None:
        """Apply a block range's events, remember its blocks and move the checkpoint, all or nothing.

        Built for backfills: the range's raw events go in as one multi-row insert, projections
        share one row cache and flush once, blocks too old to matter for reorgs are not written."""
        oldest = checkpoint.block_number - self.reorg_depth
        with self.session() as session, session.begin():
            fresh = _unseen(session, events)  # already applied: re-running a range changes nothing
            if fresh:
                session.execute(insert(EventRecord.__table__), [_event_row(e) for e in fresh])
                for chain_event in fresh:
                    _project(session, chain_event)
                session.flush()
            kept = [b for b in blocks if b.number > oldest or b.number == checkpoint.block_number]
            if kept:
                session.execute(delete(Block).where(Block.number.in_([b.number for b in kept])))
                session.execute(
                    insert(Block.__table__),
                    [{"number": b.number, "hash": b.hash, "parent_hash": b.parent_hash} for b in kept],
                )
            # Keep the checkpoint's block whatever the depth: it is the first place to look.
            session.execute(delete(Block).where(Block.number <= oldest, Block.number != checkpoint.block_number))
            _set_checkpoint(session, checkpoint)

    def rewind(self, ancestor: Checkpoint | None) -> int:
        """Forget everything after ``ancestor`` (None: everything), as one transaction with the
        checkpoint. The tables are incremental (stock -= …), so when events are orphaned they are
        emptied and re-derived from the remaining events: O(all events), fine at this scale and
        obviously correct. Returns the number of orphaned events."""
        keep_up_to = ancestor.block_number if ancestor else -1
        with self.session() as session, session.begin():
            orphaned = session.execute(delete(EventRecord).where(EventRecord.block_number > keep_up_to)).rowcount
            session.execute(delete(Block).where(Block.number > keep_up_to))
            if orphaned:
                _replay(session)
            _set_checkpoint(session, ancestor)
        return orphaned


def _unseen(session: Session, events: list[ChainEvent]) -> list[ChainEvent]:
    """The events not in the database yet (one query over the range's blocks), each once."""
    if not events:
        return []
    low = min(e.block_number for e in events)
    high = max(e.block_number for e in events)
    known = EventRecord.__table__.c
    seen = set(
        session.execute(
            sa_select(known.tx_hash, known.log_index).where(known.block_number >= low, known.block_number <= high)
        )
    )
    fresh = []
    for e in events:
        key = (e.tx_hash, e.log_index)
        if key not in seen:
            seen.add(key)
            fresh.append(e)
    return fresh


def _project(session: Session, chain_event: ChainEvent) -> None:
    projector = PROJECTIONS.get((chain_event.contract, chain_event.name))
    if projector:
        projector(session, chain_event)


def _replay(session: Session) -> None:
    for table in PROJECTION_TABLES:
        session.execute(delete(table))
    seed_rows(session)
    session.flush()
    events = EventRecord.__table__
    records = session.execute(sa_select(events).order_by(events.c.block_number, events.c.log_index))
    for record in records:
        _project(session, _chain_event(record))
    session.flush()


def _set_checkpoint(session: Session, checkpoint: Checkpoint | None) -> None:
    state = session.get(SyncState, 1)
    state.block_number = checkpoint.block_number if checkpoint else None
    state.block_hash = checkpoint.block_hash if checkpoint else None


def _event_row(e: ChainEvent) -> dict:
    return {
        "tx_hash": e.tx_hash,
        "log_index": e.log_index,
        "block_number": e.block_number,
        "block_hash": e.block_hash,
        "block_timestamp": e.block_timestamp,
        "contract": e.contract,
        "name": e.name,
        "args_json": json.dumps(e.args, default=str),
        "extra_json": json.dumps(e.extra, default=str),
        "line_id": e.args.get("lineId"),
        "product_id": e.args.get("productId"),
    }


def _chain_event(record) -> ChainEvent:
    """An ``events`` row (ORM object or core row) as the ChainEvent it was made from."""
    return ChainEvent(
        contract=record.contract,
        name=record.name,
        args=json.loads(record.args_json),
        block_number=record.block_number,
        block_hash=record.block_hash,
        block_timestamp=record.block_timestamp,
        tx_hash=record.tx_hash,
        log_index=record.log_index,
        extra=json.loads(record.extra_json or "{}"),
    )
