"""The points tables. Amounts are whole points (the token has 0 decimals)."""

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class PointsHistory(SQLModel, table=True):
    """One change of an account's points, with its reason: earned_purchase (line), earned_review
    (line), earned_checkin (day), spent_redemption (redemption), returned (redemption: ``points``
    came back, ``lost`` had expired and were not renewed), transferred_in / transferred_out."""

    __tablename__ = "points_history"
    tx_hash: str = Field(primary_key=True, max_length=66)
    log_index: int = Field(primary_key=True)
    account: str = Field(index=True, max_length=42)
    kind: str
    points: int = Field(sa_type=BigInteger)
    lost: int = Field(default=0, sa_type=BigInteger)
    expires_at: int | None = Field(default=None, sa_type=BigInteger)  # earnings only
    line_id: int | None = Field(default=None, index=True, sa_type=BigInteger)
    redemption_id: int | None = Field(default=None, sa_type=BigInteger)
    day: int | None = None  # check-ins: the UTC day (unix time / 86,400)
    counterparty: str | None = Field(default=None, max_length=42)  # transfers
    block_number: int
    block_timestamp: int = Field(sa_type=BigInteger)


class PointsBucket(SQLModel, table=True):
    """Points of an account that expire at ``expires_at`` (as PointsLedger keeps them). Expired buckets
    stay: what they hold has expired unspent."""

    __tablename__ = "points_buckets"
    account: str = Field(primary_key=True, max_length=42)
    expires_at: int = Field(primary_key=True, sa_type=BigInteger)
    amount: int = Field(default=0, sa_type=BigInteger)


class PointsReceiptPart(SQLModel, table=True):
    """What a redemption's burn took, part by part (the token's receipt): given back on return."""

    __tablename__ = "points_receipt_parts"
    ref: int = Field(primary_key=True, sa_type=BigInteger)
    account: str = Field(primary_key=True, max_length=42)
    expires_at: int = Field(primary_key=True, sa_type=BigInteger)
    amount: int = Field(sa_type=BigInteger)


class PointsRules(SQLModel, table=True):
    """A rules version (RulesChanged): what a renewal of expired points reads its validity from."""

    __tablename__ = "points_rules"
    version: int = Field(primary_key=True)
    effective_at: int = Field(sa_type=BigInteger)
    validity: int = Field(sa_type=BigInteger)
    check_in_points: int = Field(sa_type=BigInteger)
    review_bonus: int = Field(sa_type=BigInteger)


class PointsListing(SQLModel, table=True):
    """An item of the points mall."""

    __tablename__ = "points_listings"
    id: int = Field(primary_key=True, sa_type=BigInteger)
    price: int = Field(sa_type=BigInteger)
    stock: int = Field(sa_type=BigInteger)
    metadata_uri: str
    created_at: int = Field(sa_type=BigInteger)
    updated_at: int = Field(sa_type=BigInteger)


class PointsRedemption(SQLModel, table=True):
    """A redemption in the points mall and where it stands (IPointsMall.RedemptionStatus)."""

    __tablename__ = "points_redemptions"
    id: int = Field(primary_key=True, sa_type=BigInteger)
    listing_id: int = Field(index=True, sa_type=BigInteger)
    buyer: str = Field(index=True, max_length=42)
    quantity: int
    points: int = Field(sa_type=BigInteger)
    status: str
    status_at: int = Field(sa_type=BigInteger)
    placed_at: int = Field(sa_type=BigInteger)
    placed_tx: str = Field(max_length=66)
    carrier: str | None = None
    tracking_ref: str | None = None
    points_returned: int | None = Field(default=None, sa_type=BigInteger)


POINTS_TABLES = (PointsHistory, PointsBucket, PointsReceiptPart, PointsRules, PointsListing, PointsRedemption)
