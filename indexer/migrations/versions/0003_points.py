"""Loyalty points and the points mall: per-account history, expiry buckets, redemption receipts, rules
versions, listings and redemptions.

Revision ID: 0003_points
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_points"
down_revision = "0002"
branch_labels = ("points",)
depends_on = None

ADDRESS = sa.String(42)
HASH = sa.String(66)
NEW_TABLES = (
    "points_buckets", "points_history", "points_listings", "points_receipt_parts", "points_redemptions", "points_rules",
)  # fmt: skip
POINTS_CONTRACTS = ("MallPoints", "PointsMall")
# What ingest may have derived before this revision (each emptied if it exists: revisions off 0002 apply in any order).
DERIVED_TABLES = (
    "events", "blocks", "members", "tokens", "terms", "platform", "fees", "products", "lines", "balances",
    "disputes", "support_cases", "case_messages", "arbiters", "role_members", "support_refund_allowances",
    "resolution_events", "profiles", "review_versions", "reviews", "shipping_envelopes", "trace_batches",
    "trace_events", "trace_line_links", "trace_participants",
)  # fmt: skip


def _big(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=kwargs.pop("nullable", False), **kwargs)


def upgrade() -> None:
    op.create_table(
        "points_buckets",
        sa.Column("account", ADDRESS, nullable=False),
        _big("expires_at"),
        _big("amount"),
        sa.PrimaryKeyConstraint("account", "expires_at"),
    )
    op.create_table(
        "points_history",
        sa.Column("tx_hash", HASH, nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("account", ADDRESS, nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        _big("points"),
        _big("lost"),
        _big("expires_at", nullable=True),
        _big("line_id", nullable=True),
        _big("redemption_id", nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("counterparty", ADDRESS, nullable=True),
        sa.Column("block_number", sa.Integer(), nullable=False),
        _big("block_timestamp"),
        sa.PrimaryKeyConstraint("tx_hash", "log_index"),
    )
    op.create_index("ix_points_history_account", "points_history", ["account"])
    op.create_index("ix_points_history_line_id", "points_history", ["line_id"])
    op.create_table(
        "points_listings",
        _big("id"),
        _big("price"),
        _big("stock"),
        sa.Column("metadata_uri", sa.String(), nullable=False),
        _big("created_at"),
        _big("updated_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "points_receipt_parts",
        _big("ref"),
        sa.Column("account", ADDRESS, nullable=False),
        _big("expires_at"),
        _big("amount"),
        sa.PrimaryKeyConstraint("ref", "account", "expires_at"),
    )
    op.create_table(
        "points_redemptions",
        _big("id"),
        _big("listing_id"),
        sa.Column("buyer", ADDRESS, nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        _big("points"),
        sa.Column("status", sa.String(), nullable=False),
        _big("status_at"),
        _big("placed_at"),
        sa.Column("placed_tx", HASH, nullable=False),
        sa.Column("carrier", sa.String(), nullable=True),
        sa.Column("tracking_ref", sa.String(), nullable=True),
        _big("points_returned", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_points_redemptions_buyer", "points_redemptions", ["buyer"])
    op.create_index("ix_points_redemptions_listing_id", "points_redemptions", ["listing_id"])
    op.create_table(
        "points_rules",
        sa.Column("version", sa.Integer(), nullable=False),
        _big("effective_at"),
        _big("validity"),
        _big("check_in_points"),
        _big("review_bonus"),
        sa.PrimaryKeyConstraint("version"),
    )
    _backfill()


def _backfill() -> None:
    """Older projections kept the points contracts' events but derived nothing from them. If the store
    holds any, forget the events, what was derived from them and the checkpoint: ingest reads the chain
    again from the deployment block, as 0003_resolution and 0004_trace do. Tables of revisions that have
    not run yet are skipped (they are empty)."""
    bind = op.get_bind()
    events = sa.table("events", sa.column("contract"))
    held = sa.select(sa.func.count()).select_from(events).where(events.c.contract.in_(POINTS_CONTRACTS))
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
        op.drop_table(table)
