"""The resolution centre: disputes, support cases and their messages, arbiters, role holders, support
refund allowances, a timeline of its events; who confirmed each line's delivery.

Revision ID: 0003_resolution
Revises: 0003_catalog_search
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003_resolution"
down_revision = "0003_catalog_search"
branch_labels = None
depends_on = None

ADDRESS = sa.String(42)
HASH = sa.String(66)
WEI = sa.String(78)  # models.Wei: zero-padded decimal text
NEW_TABLES = (
    "arbiters", "case_messages", "disputes", "resolution_events", "role_members", "support_cases",
    "support_refund_allowances",
)  # fmt: skip
# Marketplace events the projections before this revision ignored (besides every ResolutionCenter event).
MISSED_EVENTS = ("LineDisputed", "LineResolved")
# What the indexer derived before this revision (and its raw events and blocks): forgotten to index again.
# Named, not listed from the database: a search index kept by triggers (0003_catalog_search) follows.
DERIVED_BEFORE = ("events", "blocks", "balances", "lines", "products", "fees", "platform", "terms", "tokens", "members")


def upgrade() -> None:
    op.create_table(
        "arbiters",
        sa.Column("address", ADDRESS, nullable=False),
        sa.Column("fee_bps", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_block", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("address"),
    )
    op.create_table(
        "case_messages",
        sa.Column("tx_hash", HASH, nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("author", ADDRESS, nullable=False),
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("content_hash", HASH, nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tx_hash", "log_index"),
    )
    op.create_index("ix_case_messages_case_id", "case_messages", ["case_id"])
    op.create_table(
        "disputes",
        sa.Column("line_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("raised_by", ADDRESS, nullable=False),
        sa.Column("raised_by_role", sa.String(), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("raised_at", sa.BigInteger(), nullable=False),
        sa.Column("raised_block", sa.Integer(), nullable=False),
        sa.Column("raised_tx", HASH, nullable=False),
        sa.Column("settle_by", sa.BigInteger(), nullable=False),
        sa.Column("buyer_offer", sa.Integer(), nullable=True),
        sa.Column("seller_offer", sa.Integer(), nullable=True),
        sa.Column("escalated_by", ADDRESS, nullable=True),
        sa.Column("escalated_at", sa.BigInteger(), nullable=True),
        sa.Column("rule_by", sa.BigInteger(), nullable=True),
        sa.Column("draw_block", sa.Integer(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("arbiter", ADDRESS, nullable=True),
        sa.Column("arbiter_fee_bps", sa.Integer(), nullable=True),
        sa.Column("excluded_arbiter", ADDRESS, nullable=True),
        sa.Column("buyer_bps", sa.Integer(), nullable=True),
        sa.Column("reason_hash", HASH, nullable=True),
        sa.Column("reason_uri", sa.String(), nullable=True),
        sa.Column("buyer_amount", WEI, nullable=True),
        sa.Column("seller_amount", WEI, nullable=True),
        sa.Column("fee", WEI, nullable=True),
        sa.Column("arbiter_fee", WEI, nullable=True),
        sa.Column("resolved_at", sa.BigInteger(), nullable=True),
        sa.Column("evidence_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("line_id"),
    )
    op.create_index("ix_disputes_arbiter", "disputes", ["arbiter"])
    op.create_index("ix_disputes_raised_block", "disputes", ["raised_block"])
    op.create_index("ix_disputes_status", "disputes", ["status"])
    op.create_table(
        "resolution_events",
        sa.Column("tx_hash", HASH, nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("line_id", sa.BigInteger(), nullable=True),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", ADDRESS, nullable=True),
        sa.Column("args_json", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("tx_hash", "log_index"),
    )
    op.create_index("ix_resolution_events_case_id", "resolution_events", ["case_id"])
    op.create_index("ix_resolution_events_line_id", "resolution_events", ["line_id"])
    op.create_table(
        "role_members",
        sa.Column("contract", sa.String(), nullable=False),
        sa.Column("role", HASH, nullable=False),
        sa.Column("account", ADDRESS, nullable=False),
        sa.Column("role_name", sa.String(), nullable=False),
        sa.Column("granted_block", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("contract", "role", "account"),
    )
    op.create_index("ix_role_members_account", "role_members", ["account"])
    op.create_table(
        "support_cases",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("line_id", sa.BigInteger(), nullable=False),
        sa.Column("buyer", ADDRESS, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("opened_at", sa.BigInteger(), nullable=False),
        sa.Column("opened_block", sa.Integer(), nullable=False),
        sa.Column("opened_tx", HASH, nullable=False),
        sa.Column("closed_by", ADDRESS, nullable=True),
        sa.Column("escalated_by", ADDRESS, nullable=True),
        sa.Column("refunded", WEI, nullable=False),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_support_cases_buyer", "support_cases", ["buyer"])
    op.create_index("ix_support_cases_line_id", "support_cases", ["line_id"])
    op.create_index("ix_support_cases_status", "support_cases", ["status"])
    op.create_table(
        "support_refund_allowances",
        sa.Column("line_id", sa.BigInteger(), nullable=False),
        sa.Column("seller", ADDRESS, nullable=False),
        sa.Column("authorized", WEI, nullable=False),
        sa.Column("remaining", WEI, nullable=False),
        sa.Column("refunded", WEI, nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("line_id"),
    )
    op.add_column("lines", sa.Column("confirmed_by", ADDRESS, nullable=True))
    _backfill()


def _backfill() -> None:
    """What the older projections ignored, derived from the stored events: who confirmed each delivery,
    who holds which role. If the store holds events of disputes (a disputed line's status, the credits
    of a split), forget everything derived and the checkpoint instead: ingest reads the chain again from
    the deployment block (a migration neither replays the projections nor talks RPC)."""
    bind = op.get_bind()
    events = sa.table(
        "events", sa.column("contract"), sa.column("name"), sa.column("args_json"), sa.column("block_number"),
        sa.column("log_index"),
    )  # fmt: skip
    missed = sa.or_(events.c.contract == "ResolutionCenter", events.c.name.in_(MISSED_EVENTS))
    if bind.execute(sa.select(sa.func.count()).select_from(events).where(missed)).scalar():
        for table in DERIVED_BEFORE:
            bind.execute(sa.table(table).delete())
        sync_state = sa.table("sync_state", sa.column("block_number"), sa.column("block_hash"))
        bind.execute(sync_state.update().values(block_number=None, block_hash=None))
        return
    in_order = (events.c.block_number, events.c.log_index)
    lines = sa.table("lines", sa.column("id"), sa.column("confirmed_by"))
    delivered = sa.select(events.c.args_json).where(
        events.c.contract == "Marketplace", events.c.name == "LineDelivered"
    )
    for (args_json,) in bind.execute(delivered.order_by(*in_order)):
        args = json.loads(args_json)
        bind.execute(lines.update().where(lines.c.id == args["lineId"]).values(confirmed_by=args["confirmedBy"]))
    _backfill_roles(bind, events, in_order)


def _backfill_roles(bind, events, in_order) -> None:
    from indexer.resolution.projections import ROLE_CONTRACTS, ROLE_NAMES  # the names of the roles' hashes

    holders: dict[tuple, int] = {}  # (contract, role, account) -> block granted
    grants = sa.select(events.c.contract, events.c.name, events.c.args_json, events.c.block_number).where(
        events.c.contract.in_(ROLE_CONTRACTS), events.c.name.in_(("RoleGranted", "RoleRevoked"))
    )
    for contract, name, args_json, block in bind.execute(grants.order_by(*in_order)):
        args = json.loads(args_json)
        key = (contract, args["role"].lower(), args["account"])
        if name == "RoleRevoked":
            holders.pop(key, None)
        else:
            holders.setdefault(key, block)
    members = sa.table(
        "role_members", sa.column("contract"), sa.column("role"), sa.column("account"), sa.column("role_name"),
        sa.column("granted_block"),
    )  # fmt: skip
    rows = [
        {"contract": c, "role": r, "account": a, "role_name": ROLE_NAMES.get(r, r), "granted_block": block}
        for (c, r, a), block in holders.items()
    ]
    if rows:
        bind.execute(members.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table("lines") as batch:
        batch.drop_column("confirmed_by")
    for table in NEW_TABLES:
        op.drop_table(table)  # drops its indexes too
