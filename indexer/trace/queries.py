"""Reads of batches, trace events, reviews, profiles and envelopes for the API (no string-built SQL)."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from ..models import (
    EventRecord,
    Line,
    Product,
    Profile,
    Review,
    ReviewVersion,
    ShippingEnvelope,
    TraceBatch,
    TraceEvent,
    TraceLineLink,
    TraceParticipant,
)

IN_TIME_ORDER = (TraceEvent.event_time, TraceEvent.block_number, TraceEvent.log_index)


@dataclass(frozen=True)
class BatchView:
    batch: TraceBatch
    participants: list[TraceParticipant]  # the seller first, then by their latest grant
    events: list[TraceEvent]  # the batch's own events (not its lines'), in time order, the first `events_limit`
    event_count: int  # all of them


@dataclass(frozen=True)
class LineProvenance:
    line: Line
    link: TraceLineLink | None
    batch: BatchView | None  # the batch it was shipped from; its events: those recorded up to the link
    line_events: list[TraceEvent]  # recorded on the line itself (the parcel's journey)
    order_events: list[EventRecord]  # the Marketplace's events of the line


@dataclass(frozen=True)
class ReviewView:
    review: Review
    product_name: str | None
    versions: list[ReviewVersion]  # as posted, then each amendment


# ------------------------------------------------------------------ provenance


def _participants(session: Session, batch_ids: list[int]) -> dict[int, list[TraceParticipant]]:
    found: dict[int, list[TraceParticipant]] = {batch_id: [] for batch_id in batch_ids}
    query = select(TraceParticipant).where(TraceParticipant.batch_id.in_(batch_ids))
    for participant in session.exec(query.order_by(TraceParticipant.authorized_block, TraceParticipant.account)):
        found[participant.batch_id].append(participant)
    for participants in found.values():
        participants.sort(key=lambda p: p.role != "Seller")  # stable: the seller first, the rest as granted
    return found


def _batch_events(session: Session, batch_id: int, limit: int, up_to: tuple[int, int] | None = None):
    """(the first `limit` events on the batch itself in time order, how many there are); with `up_to`
    (block, log index) only those recorded up to that point of the chain."""
    query = select(TraceEvent).where(TraceEvent.batch_id == batch_id, TraceEvent.line_id.is_(None))
    if up_to is not None:
        block, log_index = up_to
        query = query.where(
            or_(
                TraceEvent.block_number < block,
                and_(TraceEvent.block_number == block, TraceEvent.log_index <= log_index),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    return list(session.exec(query.order_by(*IN_TIME_ORDER).limit(limit))), total


def product_batches(
    *, session: Session, product_id: int, limit: int, offset: int, events_limit: int
) -> tuple[list[BatchView], int]:
    """A product's batches, newest first, each with its participants and its own events."""
    query = select(TraceBatch).where(TraceBatch.product_id == product_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    batches = list(session.exec(query.order_by(TraceBatch.id.desc()).offset(offset).limit(limit)))
    participants = _participants(session, [b.id for b in batches])
    views = []
    for batch in batches:
        events, count = _batch_events(session, batch.id, events_limit)
        views.append(BatchView(batch, participants[batch.id], events, count))
    return views, total


def line_exists(*, session: Session, line_id: int) -> bool:
    return session.get(Line, line_id) is not None


def line_provenance(*, session: Session, line_id: int, events_limit: int) -> LineProvenance | None:
    line = session.get(Line, line_id)
    if line is None:
        return None
    link = session.get(TraceLineLink, line_id)
    batch = None
    if link is not None:
        found = session.get(TraceBatch, link.batch_id)
        events, count = _batch_events(session, found.id, events_limit, up_to=(link.linked_block, link.linked_log_index))
        batch = BatchView(found, _participants(session, [found.id])[found.id], events, count)
    line_events = session.exec(
        select(TraceEvent).where(TraceEvent.line_id == line_id).order_by(*IN_TIME_ORDER).limit(events_limit)
    )
    order_events = session.exec(
        select(EventRecord)
        .where(EventRecord.line_id == line_id, EventRecord.contract == "Marketplace")
        .order_by(EventRecord.block_number, EventRecord.log_index)
    )
    return LineProvenance(line, link, batch, list(line_events), list(order_events))


# ------------------------------------------------------------------ reviews and reputation


def rating_counts(*, session: Session, seller: str | None = None, product_id: int | None = None) -> dict[int, int]:
    """Reviewed lines by current rating (each line once, with its latest version's rating)."""
    query = select(Review.rating, func.count()).group_by(Review.rating)
    if seller is not None:
        query = query.where(Review.seller == seller)
    if product_id is not None:
        query = query.where(Review.product_id == product_id)
    return {rating: count for rating, count in session.exec(query)}


def list_reviews(
    *,
    session: Session,
    seller: str | None = None,
    product_id: int | None = None,
    author: str | None = None,
    line_ids: list[int] | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[ReviewView], int]:
    """Newest first, each with every version and its product's name."""
    query = select(Review)
    if seller:
        query = query.where(Review.seller == seller)
    if product_id is not None:
        query = query.where(Review.product_id == product_id)
    if author:
        query = query.where(Review.author == author)
    if line_ids:
        query = query.where(Review.line_id.in_(line_ids))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    reviews = list(
        session.exec(query.order_by(Review.posted_block.desc(), Review.line_id.desc()).offset(offset).limit(limit))
    )
    line_ids = [r.line_id for r in reviews]
    versions: dict[int, list[ReviewVersion]] = {line_id: [] for line_id in line_ids}
    in_order = (ReviewVersion.block_number, ReviewVersion.log_index)
    for version in session.exec(select(ReviewVersion).where(ReviewVersion.line_id.in_(line_ids)).order_by(*in_order)):
        versions[version.line_id].append(version)
    product_ids = {r.product_id for r in reviews}
    names = dict(session.exec(select(Product.id, Product.name).where(Product.id.in_(product_ids))).all())
    return [ReviewView(r, names.get(r.product_id), versions[r.line_id]) for r in reviews], total


# ------------------------------------------------------------------ profiles and envelopes


def get_profile(*, session: Session, address: str) -> Profile | None:
    return session.get(Profile, address)


def has_listed(*, session: Session, address: str) -> bool:
    return session.exec(select(Product.id).where(Product.seller == address).limit(1)).first() is not None


def line_envelopes(
    *, session: Session, line_id: int, recipient: str | None, limit: int, offset: int
) -> tuple[list[ShippingEnvelope], int]:
    """The envelopes posted for a line (to anyone, or to `recipient`), oldest first."""
    query = select(ShippingEnvelope).where(ShippingEnvelope.line_id == line_id)
    if recipient:
        query = query.where(ShippingEnvelope.recipient == recipient)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    in_order = (ShippingEnvelope.block_number, ShippingEnvelope.log_index)
    return list(session.exec(query.order_by(*in_order).offset(offset).limit(limit))), total
