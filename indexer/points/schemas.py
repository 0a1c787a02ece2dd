"""What the points routes return: camelCase JSON like the rest of the API."""

from ..models import Line
from ..schemas import PublicModel
from .models import PointsHistory, PointsListing, PointsRedemption


class PointsExpiry(PublicModel):
    points: int
    expires_at: int  # unix seconds: from this second on they no longer count


class PointsSummary(PublicModel):
    """An account's points at ``at``: the live balance, when it expires, and totals."""

    address: str
    at: int  # the time the balance is reckoned at (unix seconds)
    balance: int
    next_expiries: list[PointsExpiry]  # live points, soonest first
    expired: list[PointsExpiry]  # expired unspent, by when they expired
    earned: int  # purchases, reviews and check-ins
    earned_by_kind: dict[str, int]
    spent: int  # burned by redemptions, less what came back
    expired_total: int  # expired unspent, and redeemed points lost on a cancellation
    transferred_in: int
    transferred_out: int
    last_check_in_day: int | None  # UTC day (unix time / 86,400)
    checked_in_today: bool


class PointsHistoryEntry(PublicModel):
    kind: str  # earned_purchase, earned_review, earned_checkin, spent_redemption, returned, transferred_in/out
    points: int
    lost: int  # returned: points that had expired and were not renewed
    expires_at: int | None
    line_id: int | None
    redemption_id: int | None
    day: int | None
    counterparty: str | None
    timestamp: int
    block: int
    tx: str

    @classmethod
    def of(cls, row: PointsHistory) -> "PointsHistoryEntry":
        return cls(
            **row.model_dump(exclude={"tx_hash", "log_index", "account", "block_number", "block_timestamp"}),
            timestamp=row.block_timestamp, block=row.block_number, tx=row.tx_hash,
        )  # fmt: skip


class PointsListingPublic(PublicModel):
    id: int
    price: int
    stock: int
    metadata_uri: str
    created_at: int
    updated_at: int

    @classmethod
    def of(cls, row: PointsListing) -> "PointsListingPublic":
        return cls(**row.model_dump())


class PointsRedemptionPublic(PublicModel):
    id: int
    listing_id: int
    metadata_uri: str
    buyer: str
    quantity: int
    points: int
    status: str  # Placed, Shipped, Delivered, Cancelled, Rejected, Refunded
    status_at: int
    placed_at: int
    placed_tx: str
    carrier: str | None
    tracking_ref: str | None
    points_returned: int | None

    @classmethod
    def of(cls, row: PointsRedemption, metadata_uri: str) -> "PointsRedemptionPublic":
        return cls(**row.model_dump(), metadata_uri=metadata_uri)


class ClaimableLine(PublicModel):
    """A completed line whose purchase points are unclaimed; the points it earns are the contract's
    ``purchasePointsOf(lineId)`` (the rate in force at completion)."""

    line_id: int
    product_id: int
    token: str
    paid_amount: str  # smallest units, as decimal text
    completed_at: int

    @classmethod
    def of(cls, line: Line) -> "ClaimableLine":
        return cls(
            line_id=line.id, product_id=line.product_id, token=line.token, paid_amount=str(line.paid_amount),
            completed_at=line.status_at,
        )  # fmt: skip


class Claimable(PublicModel):
    address: str
    lines: list[ClaimableLine]
