"""How each Marketplace event changes the tables. Part of the store: knows SQL, not RPC.

Each projector mirrors what the contract did when it emitted the event, so that the tables
equal the chain's state (escrowed amounts, credits, fees, stock) at the checkpoint.
"""

from collections.abc import Callable

from sqlmodel import Session

from .events import ChainEvent
from .models import ETH, Balance, Dispute, Fees, Line, Member, Platform, Product, TermsVersion, Token


class ProjectionError(RuntimeError):
    """An event refers to something the store has not seen: the data is inconsistent."""


def rows(session: Session) -> dict:
    """Rows this session's projections have read or added, by (model, primary key): a strong
    cache, so that a range's events find each other's rows (even ones not flushed yet) without
    a query or a flush each. ``session.get`` stays correct beside it (autoflush), only slower."""
    return session.info.setdefault("projection_rows", {})


def find(session: Session, model, key):
    """``session.get`` through the projection cache."""
    cache = rows(session)
    row = cache.get((model, key))
    if row is None:
        row = session.get(model, key)
        if row is not None:
            cache[(model, key)] = row
    return row


def add(session: Session, row) -> None:
    """``session.add`` of a new row, which ``find`` then returns."""
    session.add(row)
    key = tuple(getattr(row, column.key) for column in row.__mapper__.primary_key)
    rows(session)[(type(row), key[0] if len(key) == 1 else key)] = row


def _get(session: Session, model, key, event: ChainEvent):
    row = find(session, model, key)
    if row is None:
        raise ProjectionError(f"{event.name} at block {event.block_number} refers to unknown {model.__name__} {key!r}")
    return row


def _balance(session: Session, account: str, token: str) -> Balance:
    balance = find(session, Balance, (account, token))
    if balance is None:
        balance = Balance(account=account, token=token)
        add(session, balance)
    return balance


def _fees(session: Session, token: str) -> Fees:
    fees = find(session, Fees, token)
    if fees is None:
        fees = Fees(token=token)
        add(session, fees)
    return fees


def _platform(session: Session) -> Platform:
    platform = find(session, Platform, 1)
    if platform is None:
        platform = Platform(id=1)
        add(session, platform)
    return platform


def _member_address(session: Session, member_id: int, e: ChainEvent) -> str:
    return _get(session, Member, member_id, e).address


# ------------------------------------------------------------------ registries and settings


def member_registered(session: Session, e: ChainEvent) -> None:
    add(session, Member(id=e.args["memberId"], address=e.args["account"]))


def payment_token_set(session: Session, e: ChainEvent) -> None:
    token = find(session, Token, e.args["tokenId"])
    if token is None:
        token = Token(
            id=e.args["tokenId"],
            address=e.args["token"],
            symbol=e.extra.get("symbol") or "?",
            decimals=e.extra.get("decimals", 18),
        )
        add(session, token)
    token.allowed = e.args["allowed"]


def terms_set(session: Session, e: ChainEvent) -> None:
    terms = e.args["terms"]
    if isinstance(terms, dict):
        terms = [terms[k] for k in ("feeBps", "acceptWindow", "shipWindow", "deliveryWindow", "inspectionWindow")]
    fee_bps, accept, ship, delivery, inspection = terms
    add(
        session,
        TermsVersion(
            id=e.args["termsId"],
            fee_bps=fee_bps,
            accept_window=accept,
            ship_window=ship,
            delivery_window=delivery,
            inspection_window=inspection,
            set_block=e.block_number,
        ),
    )
    _platform(session).terms_id = e.args["termsId"]


def treasury_set(session: Session, e: ChainEvent) -> None:
    _platform(session).treasury = e.args["treasury"]


def paused_set(session: Session, e: ChainEvent) -> None:
    _platform(session).paused = e.args["paused"]


# ------------------------------------------------------------------ catalog


def product_listed(session: Session, e: ChainEvent) -> None:
    add(
        session,
        Product(
            id=e.args["productId"],
            seller=_member_address(session, e.args["sellerId"], e),
            token=e.args["token"],
            price=e.args["price"],
            stock=e.args["stock"],
            metadata_uri=e.args["metadataURI"],
            name=e.extra.get("name"),
            category=e.extra.get("category"),
            description=e.extra.get("description"),
            listed_block=e.block_number,
            listed_tx=e.tx_hash,
        ),
    )


def product_updated(session: Session, e: ChainEvent) -> None:
    product = _get(session, Product, e.args["productId"], e)
    product.price = e.args["price"]
    product.stock = e.args["stock"]


# ------------------------------------------------------------------ order lines


def line_placed(session: Session, e: ChainEvent) -> None:
    product = _get(session, Product, e.args["productId"], e)
    product.stock -= e.args["quantity"]
    line_id = e.args["lineId"]
    add(
        session,
        Line(
            id=line_id,
            order_id=line_id >> 8,
            index=line_id & 0xFF,
            product_id=product.id,
            buyer=e.args["buyer"],
            seller=_member_address(session, e.args["sellerId"], e),
            token=product.token,
            quantity=e.args["quantity"],
            amount=e.args["amount"],
            paid_amount=e.args["amount"],
            status="Paid",
            status_at=e.block_timestamp,
            terms_id=e.args["termsId"],
            placed_block=e.block_number,
            placed_tx=e.tx_hash,
            placed_at=e.block_timestamp,
        ),
    )


def _line(session: Session, e: ChainEvent) -> Line:
    return _get(session, Line, e.args["lineId"], e)


def _move(line: Line, status: str, e: ChainEvent) -> None:
    line.status = status
    line.status_at = e.block_timestamp


def line_accepted(session: Session, e: ChainEvent) -> None:
    _move(_line(session, e), "Accepted", e)


def _refunded_in_full(status: str) -> Callable[[Session, ChainEvent], None]:
    def project(session: Session, e: ChainEvent) -> None:
        line = _line(session, e)
        _move(line, status, e)
        line.amount = 0
        line.refund_offer = 0
        _get(session, Product, line.product_id, e).stock += line.quantity
        balance = _balance(session, line.buyer, line.token)
        balance.credit += e.args["refund"]
        balance.refunded += e.args["refund"]

    return project


def line_shipped(session: Session, e: ChainEvent) -> None:
    line = _line(session, e)
    _move(line, "Shipped", e)
    line.carrier = e.args["carrier"]
    line.tracking_ref = e.args["trackingRef"]


def line_delivered(session: Session, e: ChainEvent) -> None:
    line = _line(session, e)
    terms = _get(session, TermsVersion, line.terms_id, e)
    # As the contract: a late confirmation counts as delivered when the delivery window ended.
    delivered_at = min(e.block_timestamp, line.status_at + terms.delivery_window)
    line.status = "Delivered"
    line.status_at = delivered_at
    line.confirmed_by = e.args["confirmedBy"]  # the buyer, or the logistics oracle's contract


def line_completed(session: Session, e: ChainEvent) -> None:
    line = _line(session, e)
    _move(line, "Completed", e)
    line.amount = 0
    line.refund_offer = 0
    line.seller_amount = e.args["sellerAmount"]
    line.fee = e.args["fee"]
    balance = _balance(session, line.seller, line.token)
    balance.credit += e.args["sellerAmount"]
    balance.earned += e.args["sellerAmount"]
    _fees(session, line.token).uncollected += e.args["fee"]


def refund_offered(session: Session, e: ChainEvent) -> None:
    _line(session, e).refund_offer = e.args["amount"]


def refund_accepted(session: Session, e: ChainEvent) -> None:
    line = _line(session, e)
    line.amount = e.args["remaining"]
    line.refund_offer = 0
    if e.args["remaining"] == 0:
        _move(line, "Refunded", e)
    balance = _balance(session, line.buyer, line.token)
    balance.credit += e.args["amount"]
    balance.refunded += e.args["amount"]


# ------------------------------------------------------------------ disputes (the resolution centre's hooks)


def line_disputed(session: Session, e: ChainEvent) -> None:
    _move(_line(session, e), "Disputed", e)


def line_resolved(session: Session, e: ChainEvent) -> None:
    """As the contract's resolveLine: the escrow split between the buyer (a refund), the seller and the
    arbiter (earnings) and the platform's fees; only non-zero parts are credited."""
    line = _line(session, e)
    _move(line, "Resolved", e)
    line.amount = 0
    line.refund_offer = 0
    line.seller_amount = e.args["sellerAmount"]
    line.fee = e.args["fee"]
    buyer_amount, seller_amount, arbiter_fee = e.args["buyerAmount"], e.args["sellerAmount"], e.args["arbiterFee"]
    if buyer_amount:
        balance = _balance(session, line.buyer, line.token)
        balance.credit += buyer_amount
        balance.refunded += buyer_amount
    for account, amount in ((line.seller, seller_amount), (e.args["arbiter"], arbiter_fee)):
        if amount:
            balance = _balance(session, account, line.token)
            balance.credit += amount
            balance.earned += amount
    if e.args["fee"]:
        _fees(session, line.token).uncollected += e.args["fee"]
    dispute = find(session, Dispute, line.id)  # absent if the resolution centre is not indexed
    if dispute is not None:
        dispute.buyer_amount, dispute.seller_amount, dispute.arbiter_fee = buyer_amount, seller_amount, arbiter_fee
        dispute.fee = e.args["fee"]
        dispute.resolved_at = e.block_timestamp


# ------------------------------------------------------------------ money out


def withdrawn(session: Session, e: ChainEvent) -> None:
    balance = _balance(session, e.args["account"], e.args["token"])
    balance.credit -= e.args["amount"]
    balance.withdrawn += e.args["amount"]


def fees_collected(session: Session, e: ChainEvent) -> None:
    fees = _fees(session, e.args["token"])
    fees.uncollected -= e.args["amount"]
    fees.collected += e.args["amount"]


PROJECTIONS: dict[tuple[str, str], Callable[[Session, ChainEvent], None]] = {
    ("Marketplace", "MemberRegistered"): member_registered,
    ("Marketplace", "PaymentTokenSet"): payment_token_set,
    ("Marketplace", "TermsSet"): terms_set,
    ("Marketplace", "TreasurySet"): treasury_set,
    ("Marketplace", "PausedSet"): paused_set,
    ("Marketplace", "ProductListed"): product_listed,
    ("Marketplace", "ProductUpdated"): product_updated,
    ("Marketplace", "LinePlaced"): line_placed,
    ("Marketplace", "LineAccepted"): line_accepted,
    ("Marketplace", "LineRejected"): _refunded_in_full("Rejected"),
    ("Marketplace", "LineCancelled"): _refunded_in_full("Cancelled"),
    ("Marketplace", "LineExpired"): _refunded_in_full("Expired"),
    ("Marketplace", "LineShipped"): line_shipped,
    ("Marketplace", "LineDelivered"): line_delivered,
    ("Marketplace", "LineCompleted"): line_completed,
    ("Marketplace", "LineDisputed"): line_disputed,
    ("Marketplace", "LineResolved"): line_resolved,
    ("Marketplace", "RefundOffered"): refund_offered,
    ("Marketplace", "RefundAccepted"): refund_accepted,
    ("Marketplace", "Withdrawn"): withdrawn,
    ("Marketplace", "FeesCollected"): fees_collected,
}


def seed_rows(session: Session) -> None:
    """Rows that exist before any event: ETH is token 0, and the platform row."""
    if find(session, Token, 0) is None:
        add(session, Token(id=0, address=ETH, symbol="ETH", decimals=18, allowed=True))
    _platform(session)


# ------------------------------------------------------------------ the resolution centre's own events
# Disputes, arbitration, support cases and roles (indexer/resolution/projections.py), registered after
# everything above: that module uses the models only, never this one, so the import order is free.
from .resolution.projections import RESOLUTION_PROJECTIONS  # noqa: E402

PROJECTIONS.update(RESOLUTION_PROJECTIONS)


# ------------------------------------------------------------------ provenance, reviews, profiles
# Batches, trace events, reviews, profiles and sealed envelopes (indexer/trace/projections.py): that
# module, too, uses the models only.
from .trace.projections import TRACE_PROJECTIONS  # noqa: E402

PROJECTIONS.update(TRACE_PROJECTIONS)


# ------------------------------------------------------------------ loyalty points and the points mall
# History, expiry buckets, receipts, listings and redemptions (indexer/points/projections.py).
from .points.projections import POINTS_PROJECTIONS  # noqa: E402

PROJECTIONS.update(POINTS_PROJECTIONS)
