"""Reorg safety: recent block hashes, each event's derived data, 64-bit times and counts.

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Columns that hold uint32 or unix seconds: past a signed 32-bit integer (PostgreSQL's INTEGER).
WIDENED = {
    "events": ("block_timestamp",),
    "lines": ("status_at", "placed_at"),
    "products": ("stock",),
    "terms": ("accept_window", "ship_window", "delivery_window", "inspection_window"),
}


def upgrade() -> None:
    op.create_table(
        "blocks",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(66), nullable=False),
        sa.Column("parent_hash", sa.String(66), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )
    op.add_column("events", sa.Column("extra_json", sa.String(), nullable=True))
    for table, columns in WIDENED.items():
        # SQLite cannot alter a column: batch mode copies the table (its INTEGER is 64-bit anyway).
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)
    _backfill_extra()


def _backfill_extra() -> None:
    """Existing events get the derived data their projections kept (no RPC in a migration)."""
    bind = op.get_bind()
    events = sa.table(
        "events", sa.column("tx_hash"), sa.column("log_index"), sa.column("name"), sa.column("args_json"),
        sa.column("extra_json"), sa.column("product_id"),
    )  # fmt: skip
    products = sa.table("products", sa.column("id"), sa.column("name"), sa.column("category"), sa.column("description"))
    tokens = sa.table("tokens", sa.column("id"), sa.column("symbol"), sa.column("decimals"))
    described = {row.id: row for row in bind.execute(sa.select(products))}
    symbols = {row.id: row for row in bind.execute(sa.select(tokens))}
    rows = bind.execute(sa.select(events).where(events.c.name.in_(("ProductListed", "PaymentTokenSet")))).all()
    for row in rows:
        if row.name == "ProductListed":
            product = described.get(row.product_id)
            fields = ("name", "category", "description")
            extra = {f: getattr(product, f) for f in fields if product and getattr(product, f)}
        else:
            token = symbols.get(json.loads(row.args_json)["tokenId"])
            known = token is not None and token.symbol != "?"
            extra = {"symbol": token.symbol, "decimals": token.decimals} if known else {}
        bind.execute(
            events.update()
            .where(events.c.tx_hash == row.tx_hash, events.c.log_index == row.log_index)
            .values(extra_json=json.dumps(extra))
        )


def downgrade() -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)
    with op.batch_alter_table("events") as batch:
        batch.drop_column("extra_json")
    op.drop_table("blocks")
