"""The schema as ``SQLModel.metadata.create_all`` made it before migrations existed.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ADDRESS = sa.String(42)
HASH = sa.String(66)
WEI = sa.String(78)  # models.Wei: zero-padded decimal text


def upgrade() -> None:
    op.create_table(
        "balances",
        sa.Column("account", ADDRESS, nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("credit", WEI, nullable=False),
        sa.Column("earned", WEI, nullable=False),
        sa.Column("refunded", WEI, nullable=False),
        sa.Column("withdrawn", WEI, nullable=False),
        sa.PrimaryKeyConstraint("account", "token"),
    )
    op.create_table(
        "events",
        sa.Column("tx_hash", HASH, nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("block_hash", HASH, nullable=False),
        sa.Column("block_timestamp", sa.Integer(), nullable=False),
        sa.Column("contract", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("args_json", sa.String(), nullable=False),
        sa.Column("line_id", sa.BigInteger(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("tx_hash", "log_index"),
    )
    op.create_index("ix_events_block_number", "events", ["block_number"])
    op.create_index("ix_events_line_id", "events", ["line_id"])
    op.create_index("ix_events_name", "events", ["name"])
    op.create_index("ix_events_product_id", "events", ["product_id"])
    op.create_table(
        "fees",
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("uncollected", WEI, nullable=False),
        sa.Column("collected", WEI, nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_table(
        "lines",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("buyer", ADDRESS, nullable=False),
        sa.Column("seller", ADDRESS, nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", WEI, nullable=False),
        sa.Column("paid_amount", WEI, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("status_at", sa.Integer(), nullable=False),
        sa.Column("terms_id", sa.Integer(), nullable=False),
        sa.Column("refund_offer", WEI, nullable=False),
        sa.Column("carrier", sa.String(), nullable=True),
        sa.Column("tracking_ref", sa.String(), nullable=True),
        sa.Column("seller_amount", WEI, nullable=True),
        sa.Column("fee", WEI, nullable=True),
        sa.Column("placed_block", sa.Integer(), nullable=False),
        sa.Column("placed_tx", sa.String(), nullable=False),
        sa.Column("placed_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("buyer", "order_id", "product_id", "seller", "status"):
        op.create_index(f"ix_lines_{column}", "lines", [column])
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", ADDRESS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_members_address", "members", ["address"], unique=True)
    op.create_table(
        "platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("treasury", sa.String(), nullable=True),
        sa.Column("terms_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seller", ADDRESS, nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("price", WEI, nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("metadata_uri", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("listed_block", sa.Integer(), nullable=False),
        sa.Column("listed_tx", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("category", "price", "seller", "token"):
        op.create_index(f"ix_products_{column}", "products", [column])
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=True),
        sa.Column("block_hash", sa.String(), nullable=True),
        sa.Column("head_block", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fee_bps", sa.Integer(), nullable=False),
        sa.Column("accept_window", sa.Integer(), nullable=False),
        sa.Column("ship_window", sa.Integer(), nullable=False),
        sa.Column("delivery_window", sa.Integer(), nullable=False),
        sa.Column("inspection_window", sa.Integer(), nullable=False),
        sa.Column("set_block", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", ADDRESS, nullable=False),
        sa.Column("symbol", sa.String(), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_tokens_address", "tokens", ["address"], unique=True)


def downgrade() -> None:
    for table in ("tokens", "terms", "sync_state", "products", "platform", "members", "lines", "fees", "events"):
        op.drop_table(table)
    op.drop_table("balances")
