"""Tables (``X(table=True)``) and the shapes the API returns (``XPublic``)."""

from sqlalchemy import String, TypeDecorator
from sqlmodel import Field, SQLModel

WEI_DIGITS = 78  # 2**256 has 78 decimal digits


class Wei(TypeDecorator):
    """A uint256 amount kept exactly in any database: zero-padded decimal text, so that it also
    sorts and compares correctly as a string (SQLite has no 256-bit integers)."""

    impl = String(WEI_DIGITS)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(int(value)).zfill(WEI_DIGITS)

    def process_result_value(self, value, dialect):
        return None if value is None else int(value)


# ------------------------------------------------------------------ products


class ProductBase(SQLModel):
    seller: str = Field(index=True, max_length=42)
    price: int = Field(sa_type=Wei)
    stock: int
    metadata_uri: str
    name: str | None = None
    category: str | None = Field(default=None, index=True)
    description: str | None = None
    listed_block: int
    listed_tx: str


class Product(ProductBase, table=True):
    __tablename__ = "products"
    id: int = Field(primary_key=True)


# ------------------------------------------------------------------ orders


class OrderBase(SQLModel):
    product_id: int = Field(index=True)
    buyer: str = Field(index=True, max_length=42)
    seller: str = Field(index=True, max_length=42)
    quantity: int
    amount: int = Field(sa_type=Wei)
    status: str = Field(index=True)
    placed_block: int
    placed_tx: str
    placed_at: int
    completed_block: int | None = None
    completed_tx: str | None = None


class Order(OrderBase, table=True):
    __tablename__ = "orders"
    id: int = Field(primary_key=True)


# ------------------------------------------------------------------ accounts


class Account(SQLModel, table=True):
    """Money the marketplace owes or has paid an account (sellers, for now)."""

    __tablename__ = "accounts"
    address: str = Field(primary_key=True, max_length=42)
    credit: int = Field(default=0, sa_type=Wei)  # withdrawable now
    earned: int = Field(default=0, sa_type=Wei)  # credited in total
    withdrawn: int = Field(default=0, sa_type=Wei)  # withdrawn in total


# ------------------------------------------------------------------ raw events and sync state


class EventRecord(SQLModel, table=True):
    """Every decoded log, once: the key makes re-applying a range a no-op."""

    __tablename__ = "events"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    block_number: int = Field(index=True)
    block_hash: str = Field(max_length=66)
    block_timestamp: int
    contract: str
    name: str = Field(index=True)
    args_json: str


class SyncState(SQLModel, table=True):
    """One row: the checkpoint (last indexed block and its hash) and the last head seen."""

    __tablename__ = "sync_state"
    id: int = Field(default=1, primary_key=True)
    chain_id: int
    block_number: int | None = None
    block_hash: str | None = None
    head_block: int | None = None
