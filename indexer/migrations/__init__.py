"""Schema migrations (Alembic). ``upgrade(engine)`` brings any indexer database to the current
schema in place, so that a new version needs no re-sync:

- an empty database gets every migration, from 0001;
- a database made before migrations existed (``create_all``: tables, no ``alembic_version``)
  has exactly the 0001 schema, so it is stamped 0001 and upgraded from there.

Every head is applied ("heads"): revisions written in parallel off the same parent (one per
feature) apply side by side; a merge revision (``alembic merge heads``) may join them later.

To add a migration: ``alembic -c indexer/migrations/alembic.ini revision -m "what"`` (or copy
one in versions/), then write upgrade() and downgrade() by hand; tests compare the result with
the models.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

HERE = Path(__file__).resolve().parent
BASELINE = "0001"
# Any constant: serialises concurrent upgrades (API and ingest processes starting together).
_PG_LOCK_KEY = 0x6D616C6C


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        cfg = config(connection)
        tables = set(inspect(connection).get_table_names())
        if "sync_state" in tables and "alembic_version" not in tables:
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, revision)
