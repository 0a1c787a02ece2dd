"""Tables (``X(table=True)``): the mall's chain state as the indexer derives it from events."""

from sqlalchemy import BigInteger, Index, String, TypeDecorator
from sqlmodel import Field, SQLModel

WEI_DIGITS = 78  # 2**256 has 78 decimal digits
ETH = "0x0000000000000000000000000000000000000000"


class Wei(TypeDecorator):
    """A uint256 amount kept exactly in any database: zero-padded decimal text, so that it also
    sorts and compares correctly as a string (SQLite has no 256-bit integers)."""

    impl = String(WEI_DIGITS)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(int(value)).zfill(WEI_DIGITS)

    def process_result_value(self, value, dialect):
        return None if value is None else int(value)


# ------------------------------------------------------------------ registries


class Member(SQLModel, table=True):
    """An account's small id in the marketplace (buyers and sellers share the registry)."""

    __tablename__ = "members"
    id: int = Field(primary_key=True)
    address: str = Field(index=True, unique=True, max_length=42)


class Token(SQLModel, table=True):
    """A payment token; id 0 is ETH."""

    __tablename__ = "tokens"
    id: int = Field(primary_key=True)
    address: str = Field(index=True, unique=True, max_length=42)
    symbol: str
    decimals: int
    allowed: bool = True


class TermsVersion(SQLModel, table=True):
    """The rules orders are bound by; each line keeps the version it was placed under."""

    __tablename__ = "terms"
    id: int = Field(primary_key=True)
    fee_bps: int
    # uint32 seconds on chain: beyond a signed 32-bit column, hence BigInteger.
    accept_window: int = Field(sa_type=BigInteger)
    ship_window: int = Field(sa_type=BigInteger)
    delivery_window: int = Field(sa_type=BigInteger)
    inspection_window: int = Field(sa_type=BigInteger)
    set_block: int


class Platform(SQLModel, table=True):
    """One row: the marketplace-wide settings."""

    __tablename__ = "platform"
    id: int = Field(default=1, primary_key=True)
    paused: bool = False
    treasury: str | None = None
    terms_id: int | None = None


class Fees(SQLModel, table=True):
    __tablename__ = "fees"
    token: str = Field(primary_key=True, max_length=42)
    uncollected: int = Field(default=0, sa_type=Wei)
    collected: int = Field(default=0, sa_type=Wei)


# ------------------------------------------------------------------ catalog and orders


class Product(SQLModel, table=True):
    __tablename__ = "products"
    # Category pages sorted by price: filtered, ordered and counted from this index alone.
    __table_args__ = (Index("ix_products_category_price", "category", "price", "id"),)
    id: int = Field(primary_key=True)
    seller: str = Field(index=True, max_length=42)
    token: str = Field(index=True, max_length=42)
    price: int = Field(sa_type=Wei, index=True)
    stock: int = Field(sa_type=BigInteger)  # uint32 on chain
    metadata_uri: str
    name: str | None = None
    category: str | None = Field(default=None, index=True)
    description: str | None = None
    listed_block: int
    listed_tx: str


class Line(SQLModel, table=True):
    """One product in one order: the unit of escrow and of the lifecycle. Its id is
    (orderId << 8) | index: a signed 64-bit column holds it while orderId < 2**55."""

    __tablename__ = "lines"
    id: int = Field(primary_key=True, sa_type=BigInteger)
    order_id: int = Field(index=True, sa_type=BigInteger)
    index: int
    product_id: int = Field(index=True)
    buyer: str = Field(index=True, max_length=42)
    seller: str = Field(index=True, max_length=42)
    token: str = Field(max_length=42)
    quantity: int
    amount: int = Field(sa_type=Wei)  # still escrowed
    paid_amount: int = Field(sa_type=Wei)
    status: str = Field(index=True)
    status_at: int = Field(sa_type=BigInteger)  # unix seconds: past 2038 in a signed 32-bit column
    terms_id: int
    refund_offer: int = Field(default=0, sa_type=Wei)
    carrier: str | None = None
    tracking_ref: str | None = None
    seller_amount: int | None = Field(default=None, sa_type=Wei)
    fee: int | None = Field(default=None, sa_type=Wei)
    placed_block: int
    placed_tx: str
    placed_at: int = Field(sa_type=BigInteger)


class Balance(SQLModel, table=True):
    """What the marketplace owes (credit) and has paid an account, per token."""

    __tablename__ = "balances"
    account: str = Field(primary_key=True, max_length=42)
    token: str = Field(primary_key=True, max_length=42)
    credit: int = Field(default=0, sa_type=Wei)  # withdrawable now
    earned: int = Field(default=0, sa_type=Wei)  # credited from completed sales
    refunded: int = Field(default=0, sa_type=Wei)  # credited from refunds
    withdrawn: int = Field(default=0, sa_type=Wei)


# ------------------------------------------------------------------ raw events and sync state


class EventRecord(SQLModel, table=True):
    """Every decoded log, once: the key makes re-applying a range a no-op. Tagged with the
    line or product it concerns, for timelines."""

    __tablename__ = "events"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    block_number: int = Field(index=True)
    block_hash: str = Field(max_length=66)
    block_timestamp: int = Field(sa_type=BigInteger)
    contract: str
    name: str = Field(index=True)
    args_json: str
    # Off-chain data derived at ingest (parsed product metadata, a token's symbol): kept so that
    # a rollback can re-derive the tables from this table alone, without the RPC.
    extra_json: str | None = None
    line_id: int | None = Field(default=None, index=True, sa_type=BigInteger)
    product_id: int | None = Field(default=None, index=True)


class SyncState(SQLModel, table=True):
    """One row: the checkpoint (last indexed block and its hash) and the last head seen."""

    __tablename__ = "sync_state"
    id: int = Field(default=1, primary_key=True)
    chain_id: int
    block_number: int | None = None
    block_hash: str | None = None
    head_block: int | None = None


class Block(SQLModel, table=True):
    """A recently indexed block (range ends and blocks with events) of the last ``reorg_depth``:
    how the store finds the common ancestor with the chain after a reorg."""

    __tablename__ = "blocks"
    number: int = Field(primary_key=True)
    hash: str = Field(max_length=66)
    parent_hash: str = Field(max_length=66)


# Everything derived from ``events``: emptied and re-derived when a reorg orphans events.
PROJECTION_TABLES = (Member, Token, TermsVersion, Platform, Fees, Product, Line, Balance)
