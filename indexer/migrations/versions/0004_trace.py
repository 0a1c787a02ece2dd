"""Provenance, reviews, profiles and sealed shipping details: batches, their participants, trace events,
line -> batch links, reviews and every version of them, profiles, shipping envelopes.

Revision ID: 0004_trace
Revises: 0003_catalog_search, 0003_resolution
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_trace"
down_revision = ("0003_catalog_search", "0003_resolution")  # joins the two heads written in parallel
branch_labels = None
depends_on = None

ADDRESS = sa.String(42)
HASH = sa.String(66)
NEW_TABLES = (
    "profiles", "review_versions", "reviews", "shipping_envelopes", "trace_batches", "trace_events",
    "trace_line_links", "trace_participants",
)  # fmt: skip
TRACE_CONTRACTS = ("Provenance", "Reviews", "Profiles")
# What ingest writes: the events, the remembered blocks, and every table derived from them, those of
# 0003_points included (a sibling head: revisions off 0002 apply in any order; a table not made yet is skipped).
DERIVED_TABLES = (
    "events", "blocks", "members", "tokens", "terms", "platform", "fees", "products", "lines", "balances",
    "disputes", "support_cases", "case_messages", "arbiters", "role_members", "support_refund_allowances",
    "resolution_events", "points_buckets", "points_history", "points_listings", "points_receipt_parts",
    "points_redemptions", "points_rules", *NEW_TABLES,
)  # fmt: skip


def _event_key() -> list[sa.Column]:
    return [sa.Column("tx_hash", HASH, nullable=False), sa.Column("log_index", sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("address", ADDRESS, nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("avatar_uri", sa.String(), nullable=False),
        sa.Column("encryption_key", HASH, nullable=False),
        sa.Column("updated_block", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("address"),
    )
    op.create_table(
        "review_versions",
        *_event_key(),
        sa.Column("line_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("content_hash", HASH, nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tx_hash", "log_index"),
    )
    op.create_index("ix_review_versions_line_id", "review_versions", ["line_id"])
    op.create_table(
        "reviews",
        sa.Column("line_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("seller", ADDRESS, nullable=False),
        sa.Column("author", ADDRESS, nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("content_hash", HASH, nullable=False),
        sa.Column("posted_at", sa.BigInteger(), nullable=False),
        sa.Column("posted_block", sa.Integer(), nullable=False),
        sa.Column("posted_tx", HASH, nullable=False),
        sa.Column("amendments", sa.Integer(), nullable=False),
        sa.Column("amended_at", sa.BigInteger(), nullable=True),
        sa.Column("reply_uri", sa.String(), nullable=True),
        sa.Column("reply_hash", HASH, nullable=True),
        sa.Column("replied_at", sa.BigInteger(), nullable=True),
        sa.Column("reply_tx", HASH, nullable=True),
        sa.PrimaryKeyConstraint("line_id"),
    )
    for column in ("author", "posted_block", "product_id", "seller"):
        op.create_index(f"ix_reviews_{column}", "reviews", [column])
    op.create_table(
        "shipping_envelopes",
        *_event_key(),
        sa.Column("line_id", sa.BigInteger(), nullable=False),
        sa.Column("recipient", ADDRESS, nullable=False),
        sa.Column("recipient_key", HASH, nullable=False),
        sa.Column("ciphertext", sa.String(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tx_hash", "log_index"),
    )
    op.create_index("ix_shipping_envelopes_line_id", "shipping_envelopes", ["line_id"])
    op.create_index("ix_shipping_envelopes_recipient", "shipping_envelopes", ["recipient"])
    op.create_table(
        "trace_batches",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("seller", ADDRESS, nullable=False),
        sa.Column("metadata_uri", sa.String(), nullable=False),
        sa.Column("registered_block", sa.Integer(), nullable=False),
        sa.Column("registered_tx", HASH, nullable=False),
        sa.Column("registered_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_trace_batches_product_id", "trace_batches", ["product_id"])
    op.create_table(
        "trace_events",
        *_event_key(),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("line_id", sa.BigInteger(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("recorder", ADDRESS, nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("biz_step", sa.String(), nullable=False),
        sa.Column("disposition", sa.String(), nullable=True),
        sa.Column("event_time", sa.BigInteger(), nullable=False),
        sa.Column("read_point", sa.String(), nullable=False),
        sa.Column("doc_hash", HASH, nullable=True),
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tx_hash", "log_index"),
    )
    for column in ("batch_id", "line_id", "product_id"):
        op.create_index(f"ix_trace_events_{column}", "trace_events", [column])
    op.create_table(
        "trace_line_links",
        sa.Column("line_id", sa.BigInteger(), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("linked_block", sa.Integer(), nullable=False),
        sa.Column("linked_log_index", sa.Integer(), nullable=False),
        sa.Column("linked_tx", HASH, nullable=False),
        sa.Column("linked_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("line_id"),
    )
    op.create_index("ix_trace_line_links_batch_id", "trace_line_links", ["batch_id"])
    op.create_table(
        "trace_participants",
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("account", ADDRESS, nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("authorized_at", sa.BigInteger(), nullable=False),
        sa.Column("authorized_block", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("batch_id", "account"),
    )
    op.create_index("ix_trace_participants_account", "trace_participants", ["account"])
    _backfill()


def _backfill() -> None:
    """The older projections kept the trace contracts' events but derived nothing from them. If the
    store holds any, forget the events, everything derived from them and the checkpoint: ingest reads
    the chain again from the deployment block (a migration neither replays the projections nor talks
    RPC), as 0003_resolution does. Only the tables named here are emptied: the catalog's search index
    (0003_catalog_search) follows ``products`` through its own triggers."""
    bind = op.get_bind()
    events = sa.table("events", sa.column("contract"))
    held = sa.select(sa.func.count()).select_from(events).where(events.c.contract.in_(TRACE_CONTRACTS))
    if not bind.execute(held).scalar():
        return
    existing = set(sa.inspect(bind).get_table_names())
    for table in DERIVED_TABLES:
        if table in existing:
            bind.execute(sa.table(table).delete())
    sync_state = sa.table("sync_state", sa.column("block_number"), sa.column("block_hash"))
    bind.execute(sync_state.update().values(block_number=None, block_hash=None))


def downgrade() -> None:
    for table in NEW_TABLES:
        op.drop_table(table)  # drops its indexes too
