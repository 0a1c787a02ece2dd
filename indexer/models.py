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
    confirmed_by: str | None = Field(default=None, max_length=42)  # who confirmed delivery (buyer or oracle)
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


# ------------------------------------------------------------------ resolution centre: disputes, support, roles


class Dispute(SQLModel, table=True):
    """A dispute on an order line (at most one per line), as IResolutionCenter.Dispute plus its story."""

    __tablename__ = "disputes"
    line_id: int = Field(primary_key=True, sa_type=BigInteger)
    status: str = Field(index=True)  # Negotiating, Escalated, Settled, Ruled, Defaulted
    raised_by: str = Field(max_length=42)
    raised_by_role: str  # buyer, seller, or support (a support case escalated for the buyer)
    case_id: int | None = Field(default=None, sa_type=BigInteger)  # the escalated support case, if any
    reason: str
    raised_at: int = Field(sa_type=BigInteger)
    raised_block: int = Field(index=True)
    raised_tx: str = Field(max_length=66)
    settle_by: int = Field(sa_type=BigInteger)  # after it, either party may escalate
    buyer_offer: int | None = None  # the buyer's proposed buyer share, basis points
    seller_offer: int | None = None  # the seller's proposed buyer share, basis points
    escalated_by: str | None = Field(default=None, max_length=42)
    escalated_at: int | None = Field(default=None, sa_type=BigInteger)
    rule_by: int | None = Field(default=None, sa_type=BigInteger)  # the running arbiter's deadline
    draw_block: int | None = None  # an arbiter draw is pending from the block after this one
    round: int = 0  # 0: the first arbiter; 1: the replacement
    arbiter: str | None = Field(default=None, index=True, max_length=42)
    arbiter_fee_bps: int | None = None
    excluded_arbiter: str | None = Field(default=None, max_length=42)  # timed out, never redrawn
    buyer_bps: int | None = None  # the outcome's buyer share
    reason_hash: str | None = Field(default=None, max_length=66)  # the ruling's
    reason_uri: str | None = None
    buyer_amount: int | None = Field(default=None, sa_type=Wei)  # the escrow's split (LineResolved)
    seller_amount: int | None = Field(default=None, sa_type=Wei)
    fee: int | None = Field(default=None, sa_type=Wei)
    arbiter_fee: int | None = Field(default=None, sa_type=Wei)
    resolved_at: int | None = Field(default=None, sa_type=BigInteger)
    evidence_count: int = 0
    updated_at: int = Field(sa_type=BigInteger)


class SupportCase(SQLModel, table=True):
    __tablename__ = "support_cases"
    id: int = Field(primary_key=True, sa_type=BigInteger)
    line_id: int = Field(index=True, sa_type=BigInteger)
    buyer: str = Field(index=True, max_length=42)
    status: str = Field(index=True)  # Open, Closed, Escalated
    opened_at: int = Field(sa_type=BigInteger)
    opened_block: int
    opened_tx: str = Field(max_length=66)
    closed_by: str | None = Field(default=None, max_length=42)
    escalated_by: str | None = Field(default=None, max_length=42)
    refunded: int = Field(default=0, sa_type=Wei)  # refunded by support from the line's escrow
    message_count: int = 0
    updated_at: int = Field(sa_type=BigInteger)


class CaseMessage(SQLModel, table=True):
    """The opening message of a support case and every reply."""

    __tablename__ = "case_messages"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    case_id: int = Field(index=True, sa_type=BigInteger)
    author: str = Field(max_length=42)
    uri: str
    content_hash: str = Field(max_length=66)
    block_number: int
    block_timestamp: int = Field(sa_type=BigInteger)


class Arbiter(SQLModel, table=True):
    """The arbiter registry; a removed arbiter stays, inactive (their past rulings refer to them)."""

    __tablename__ = "arbiters"
    address: str = Field(primary_key=True, max_length=42)
    fee_bps: int
    active: bool = True
    registered_block: int
    registered_at: int = Field(sa_type=BigInteger)


class RoleMember(SQLModel, table=True):
    """Who holds which AccessControl role of which contract."""

    __tablename__ = "role_members"
    contract: str = Field(primary_key=True)
    role: str = Field(primary_key=True, max_length=66)
    account: str = Field(primary_key=True, index=True, max_length=42)
    role_name: str  # e.g. SUPPORT_ROLE; the role's hash when it is not a known name
    granted_block: int


class SupportRefundAllowance(SQLModel, table=True):
    """How much of a line the seller lets support refund, and what is left of it."""

    __tablename__ = "support_refund_allowances"
    line_id: int = Field(primary_key=True, sa_type=BigInteger)
    seller: str = Field(max_length=42)
    authorized: int = Field(default=0, sa_type=Wei)  # the seller's last figure
    remaining: int = Field(default=0, sa_type=Wei)
    refunded: int = Field(default=0, sa_type=Wei)
    updated_at: int = Field(sa_type=BigInteger)


class ResolutionEvent(SQLModel, table=True):
    """Every ResolutionCenter event, tagged with its line (case events too, through their case) and
    who acted: the timelines of disputes and cases."""

    __tablename__ = "resolution_events"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    block_number: int
    block_timestamp: int = Field(sa_type=BigInteger)
    name: str
    line_id: int | None = Field(default=None, index=True, sa_type=BigInteger)
    case_id: int | None = Field(default=None, index=True, sa_type=BigInteger)
    actor: str | None = Field(default=None, max_length=42)
    args_json: str


RESOLUTION_TABLES = (Dispute, SupportCase, CaseMessage, Arbiter, RoleMember, SupportRefundAllowance, ResolutionEvent)

# ------------------------------------------------------------------ provenance, reviews, profiles (indexer/trace)


class TraceBatch(SQLModel, table=True):
    """A batch of one product (IProvenance.Batch), described at its metadata URI."""

    __tablename__ = "trace_batches"
    id: int = Field(primary_key=True, sa_type=BigInteger)
    product_id: int = Field(index=True)
    seller: str = Field(max_length=42)
    metadata_uri: str
    registered_block: int
    registered_tx: str = Field(max_length=66)
    registered_at: int = Field(sa_type=BigInteger)


class TraceParticipant(SQLModel, table=True):
    """Who may record events for a batch, as what; a revoked participant stays, inactive (its past
    events refer to it). The batch's seller is one too, from the registration on."""

    __tablename__ = "trace_participants"
    batch_id: int = Field(primary_key=True, sa_type=BigInteger)
    account: str = Field(primary_key=True, index=True, max_length=42)
    role: str  # IProvenance.Role: Seller, Producer, Inspector, Warehouse, Carrier (the last held, if revoked)
    active: bool = True
    authorized_at: int = Field(sa_type=BigInteger)  # the latest grant
    authorized_block: int
    revoked_at: int | None = Field(default=None, sa_type=BigInteger)


class TraceEvent(SQLModel, table=True):
    """An EPCIS-like event (TraceEventRecorded): on a batch, or on an order line shipped from it."""

    __tablename__ = "trace_events"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    batch_id: int = Field(index=True, sa_type=BigInteger)
    line_id: int | None = Field(default=None, index=True, sa_type=BigInteger)  # None: on the batch
    product_id: int = Field(index=True)
    recorder: str = Field(max_length=42)
    role: str  # the role the recorder held when recording
    biz_step: str  # GS1 CBV short name, e.g. "shipping" (0x-hex if the bytes32 is not ASCII text)
    disposition: str | None = None  # e.g. "in_transit"; None when 0
    event_time: int = Field(sa_type=BigInteger)  # when it happened (unix seconds), as the recorder says
    read_point: str
    doc_hash: str | None = Field(default=None, max_length=66)  # None when 0
    uri: str
    block_number: int
    block_timestamp: int = Field(sa_type=BigInteger)  # when it was recorded


class TraceLineLink(SQLModel, table=True):
    """Order line -> the batch it was shipped from (LineLinked: once, never changed)."""

    __tablename__ = "trace_line_links"
    line_id: int = Field(primary_key=True, sa_type=BigInteger)
    batch_id: int = Field(index=True, sa_type=BigInteger)
    product_id: int
    linked_block: int
    linked_log_index: int
    linked_tx: str = Field(max_length=66)
    linked_at: int = Field(sa_type=BigInteger)


class Review(SQLModel, table=True):
    """The review of an order line, as it stands: the current rating and text (the latest version),
    the first posting time, and the seller's one reply."""

    __tablename__ = "reviews"
    line_id: int = Field(primary_key=True, sa_type=BigInteger)
    product_id: int = Field(index=True)
    seller: str = Field(index=True, max_length=42)
    author: str = Field(index=True, max_length=42)
    rating: int  # current: the latest version's
    uri: str
    content_hash: str = Field(max_length=66)
    posted_at: int = Field(sa_type=BigInteger)
    posted_block: int = Field(index=True)
    posted_tx: str = Field(max_length=66)
    amendments: int = 0
    amended_at: int | None = Field(default=None, sa_type=BigInteger)
    reply_uri: str | None = None
    reply_hash: str | None = Field(default=None, max_length=66)
    replied_at: int | None = Field(default=None, sa_type=BigInteger)
    reply_tx: str | None = Field(default=None, max_length=66)


class ReviewVersion(SQLModel, table=True):
    """Every version of every review (ReviewPosted, then each ReviewAmended): nothing is edited away."""

    __tablename__ = "review_versions"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    line_id: int = Field(index=True, sa_type=BigInteger)
    version: int  # 0: as posted; 1, 2, ...: amendments
    rating: int
    uri: str
    content_hash: str = Field(max_length=66)
    block_number: int
    block_timestamp: int = Field(sa_type=BigInteger)


class Profile(SQLModel, table=True):
    """An account's profile (ProfileSet): display name, avatar URI, X25519 public key."""

    __tablename__ = "profiles"
    address: str = Field(primary_key=True, max_length=42)
    display_name: str
    avatar_uri: str
    encryption_key: str = Field(max_length=66)
    updated_block: int
    updated_at: int = Field(sa_type=BigInteger)


class ShippingEnvelope(SQLModel, table=True):
    """Shipping details sealed by a line's buyer to a recipient's key (ShippingDetailsPosted): the
    ciphertext exactly as posted. The indexer cannot open it and keeps nothing else of it."""

    __tablename__ = "shipping_envelopes"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    line_id: int = Field(index=True, sa_type=BigInteger)
    recipient: str = Field(index=True, max_length=42)
    recipient_key: str = Field(max_length=66)
    ciphertext: str  # 0x-hex
    block_number: int
    block_timestamp: int = Field(sa_type=BigInteger)


TRACE_TABLES = (
    TraceBatch,
    TraceParticipant,
    TraceEvent,
    TraceLineLink,
    Review,
    ReviewVersion,
    Profile,
    ShippingEnvelope,
)

# Loyalty points and the points mall (indexer/points/models.py): only SQLModel there, so importing it here is safe.
from .points.models import POINTS_TABLES  # noqa: E402

# Everything derived from ``events``: emptied and re-derived when a reorg orphans events.
PROJECTION_TABLES = (
    Member, Token, TermsVersion, Platform, Fees, Product, Line, Balance, *RESOLUTION_TABLES, *TRACE_TABLES,
    *POINTS_TABLES,
)  # fmt: skip
