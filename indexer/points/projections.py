"""How the events of MallPoints and the PointsMall change the points tables.

The buckets are a model of the token's ledger (contracts/points/PointsLedger.sol, docs/points.md):
earnings go to the bucket of their expiry; spending (redemptions, transfers) takes live points
soonest-expiring first and a redemption's burn keeps what it took as receipt parts; a return gives
each part back with its expiry, or renews it as earned now (reject, refund: the event's ``lost`` is 0)
or loses it (cancel) if it expired meanwhile.
"""

from collections.abc import Callable

from sqlmodel import Session, select

from ..events import ChainEvent
from .models import PointsBucket, PointsHistory, PointsListing, PointsReceiptPart, PointsRedemption, PointsRules

Projector = Callable[[Session, ChainEvent], None]
PERIOD = 30 * 24 * 60 * 60  # expiries fall on multiples of 30 days since 1970
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def expiry_of(earned_at: int, validity: int) -> int:
    """MallPoints.expiryOf: the first period boundary at or after earned_at + validity."""
    return -(-(earned_at + validity) // PERIOD) * PERIOD


def _history(session: Session, e: ChainEvent, account: str, kind: str, points: int, **fields) -> None:
    session.add(
        PointsHistory(
            tx_hash=e.tx_hash,
            log_index=e.log_index,
            account=account,
            kind=kind,
            points=points,
            block_number=e.block_number,
            block_timestamp=e.block_timestamp,
            **fields,
        )
    )


def _credit(session: Session, account: str, expires_at: int, amount: int) -> None:
    bucket = session.get(PointsBucket, (account, expires_at))
    if bucket is None:
        session.add(PointsBucket(account=account, expires_at=expires_at, amount=amount))
    else:
        bucket.amount += amount


def _spend(session: Session, account: str, amount: int, now: int) -> list[tuple[int, int]]:
    """Take ``amount`` live points, soonest-expiring first: the parts (expiry, amount) taken."""
    live = session.exec(
        select(PointsBucket)
        .where(PointsBucket.account == account, PointsBucket.expires_at > now, PointsBucket.amount > 0)
        .order_by(PointsBucket.expires_at)
    ).all()
    parts = []
    for bucket in live:
        if amount == 0:
            break
        taken = min(bucket.amount, amount)
        bucket.amount -= taken
        amount -= taken
        parts.append((bucket.expires_at, taken))
    return parts


def _validity_at(session: Session, timestamp: int) -> int:
    rules = session.exec(
        select(PointsRules).where(PointsRules.effective_at <= timestamp).order_by(PointsRules.version.desc())
    ).first()
    return rules.validity if rules else 0


def _earned(kind: str, account_arg: str) -> Projector:
    def project(session: Session, e: ChainEvent) -> None:
        account, points, expires_at = e.args[account_arg], e.args["points"], e.args["expiresAt"]
        _credit(session, account, expires_at, points)
        extra = {"day": e.args["day"]} if kind == "earned_checkin" else {"line_id": e.args["lineId"]}
        _history(session, e, account, kind, points, expires_at=expires_at, **extra)

    return project


def rules_changed(session: Session, e: ChainEvent) -> None:
    rules = e.args["rules"]
    if not isinstance(rules, dict):  # decoded as a tuple in IMallPoints.Rules order
        names = ("effectiveAt", "validity", "checkInPoints", "reviewBonus", "campaignStart", "campaignEnd")
        rules = dict(zip(names, rules, strict=False))
    session.add(
        PointsRules(
            version=e.args["version"],
            effective_at=rules["effectiveAt"],
            validity=rules["validity"],
            check_in_points=rules["checkInPoints"],
            review_bonus=rules["reviewBonus"],
        )
    )


def points_redeemed(session: Session, e: ChainEvent) -> None:
    account, ref, amount = e.args["account"], e.args["ref"], e.args["amount"]
    for expires_at, taken in _spend(session, account, amount, e.block_timestamp):
        session.add(PointsReceiptPart(ref=ref, account=account, expires_at=expires_at, amount=taken))
    _history(session, e, account, "spent_redemption", amount, redemption_id=ref)


def points_returned(session: Session, e: ChainEvent) -> None:
    account, ref, lost = e.args["account"], e.args["ref"], e.args["lost"]
    now = e.block_timestamp
    parts = session.exec(
        select(PointsReceiptPart).where(PointsReceiptPart.ref == ref, PointsReceiptPart.account == account)
    ).all()
    for part in parts:
        if part.expires_at > now:
            _credit(session, account, part.expires_at, part.amount)
        elif lost == 0:  # renewed, as earned now
            _credit(session, account, expiry_of(now, _validity_at(session, now)), part.amount)
        session.delete(part)
    _history(session, e, account, "returned", e.args["returned"], lost=lost, redemption_id=ref)


def transfer(session: Session, e: ChainEvent) -> None:
    """Transfers between users only: mints and burns are told by the earning and redemption events."""
    sender, receiver, value = e.args["from"], e.args["to"], e.args["value"]
    if ZERO_ADDRESS in (sender, receiver) or value == 0:
        return
    for expires_at, taken in _spend(session, sender, value, e.block_timestamp):
        _credit(session, receiver, expires_at, taken)
    _history(session, e, sender, "transferred_out", value, counterparty=receiver)
    session.add(
        PointsHistory(
            tx_hash=e.tx_hash,
            log_index=-1 - e.log_index,
            account=receiver,
            kind="transferred_in",
            points=value,
            counterparty=sender,
            block_number=e.block_number,
            block_timestamp=e.block_timestamp,
        )
    )  # one log, two rows: the receiver's keyed by a negative log index


# ------------------------------------------------------------------ the points mall


def listing_created(session: Session, e: ChainEvent) -> None:
    session.add(
        PointsListing(
            id=e.args["listingId"],
            price=e.args["price"],
            stock=e.args["stock"],
            metadata_uri=e.args["metadataURI"],
            created_at=e.block_timestamp,
            updated_at=e.block_timestamp,
        )
    )


def listing_updated(session: Session, e: ChainEvent) -> None:
    listing = session.get(PointsListing, e.args["listingId"])
    listing.price, listing.stock, listing.updated_at = e.args["price"], e.args["stock"], e.block_timestamp


def redeemed(session: Session, e: ChainEvent) -> None:
    listing = session.get(PointsListing, e.args["listingId"])
    listing.stock -= e.args["quantity"]
    session.add(
        PointsRedemption(
            id=e.args["redemptionId"],
            listing_id=e.args["listingId"],
            buyer=e.args["buyer"],
            quantity=e.args["quantity"],
            points=e.args["points"],
            status="Placed",
            status_at=e.block_timestamp,
            placed_at=e.block_timestamp,
            placed_tx=e.tx_hash,
        )
    )


def _redemption(session: Session, e: ChainEvent, status: str) -> PointsRedemption:
    redemption = session.get(PointsRedemption, e.args["redemptionId"])
    redemption.status, redemption.status_at = status, e.block_timestamp
    return redemption


def redemption_shipped(session: Session, e: ChainEvent) -> None:
    redemption = _redemption(session, e, "Shipped")
    redemption.carrier, redemption.tracking_ref = e.args["carrier"], e.args["trackingRef"]


def redemption_delivered(session: Session, e: ChainEvent) -> None:
    _redemption(session, e, "Delivered")


def _given_back(status: str, restock: bool) -> Projector:
    def project(session: Session, e: ChainEvent) -> None:
        redemption = _redemption(session, e, status)
        redemption.points_returned = e.args["pointsReturned"]
        if restock:  # cancelled and rejected units go back in stock (saturating at uint32)
            listing = session.get(PointsListing, redemption.listing_id)
            listing.stock = min(listing.stock + redemption.quantity, 2**32 - 1)

    return project


POINTS_PROJECTIONS: dict[tuple[str, str], Projector] = {
    ("MallPoints", "RulesChanged"): rules_changed,
    ("MallPoints", "CheckedIn"): _earned("earned_checkin", "account"),
    ("MallPoints", "PurchasePointsClaimed"): _earned("earned_purchase", "buyer"),
    ("MallPoints", "ReviewBonusClaimed"): _earned("earned_review", "author"),
    ("MallPoints", "PointsRedeemed"): points_redeemed,
    ("MallPoints", "PointsReturned"): points_returned,
    ("MallPoints", "Transfer"): transfer,
    ("PointsMall", "ListingCreated"): listing_created,
    ("PointsMall", "ListingUpdated"): listing_updated,
    ("PointsMall", "Redeemed"): redeemed,
    ("PointsMall", "RedemptionShipped"): redemption_shipped,
    ("PointsMall", "RedemptionDelivered"): redemption_delivered,
    ("PointsMall", "RedemptionCancelled"): _given_back("Cancelled", restock=True),
    ("PointsMall", "RedemptionRejected"): _given_back("Rejected", restock=True),
    ("PointsMall", "RedemptionRefunded"): _given_back("Refunded", restock=False),
}
