"""What the provenance, review and profile routes return: camelCase JSON like the rest of the API."""

import json
from dataclasses import replace
from typing import Literal

from ..models import EventRecord, Review, ReviewVersion, ShippingEnvelope, TraceEvent, TraceParticipant
from ..schemas import Page, ProductPublic, PublicModel, _json_safe, text_of
from .queries import BatchView, LineProvenance, ReviewView

RATINGS = range(1, 6)


def _recorded(row) -> dict:
    """When, in which block and transaction a row's event was recorded (a table row keeping its event's key)."""
    return {"timestamp": row.block_timestamp, "block": row.block_number, "tx": row.tx_hash}


# ------------------------------------------------------------------ provenance


class ParticipantPublic(PublicModel):
    account: str
    role: str  # Seller, Producer, Inspector, Warehouse, Carrier (the last one held, if revoked)
    active: bool
    authorized_at: int
    authorized_block: int
    revoked_at: int | None

    @classmethod
    def of(cls, participant: TraceParticipant) -> "ParticipantPublic":
        return cls(**participant.model_dump(exclude={"batch_id"}))


class TraceEventPublic(PublicModel):
    """An EPCIS-like event: what (batch, line), when, where, why (business step, disposition), who,
    how we know (document hash and URI); and when and where it was recorded."""

    batch_id: int
    line_id: int | None  # null: on the batch as a whole
    recorder: str
    role: str
    biz_step: str
    disposition: str | None
    event_time: int  # when it happened (unix seconds), as the recorder says
    read_point: str
    doc_hash: str | None
    uri: str
    timestamp: int  # when it was recorded: the block's time
    block: int
    tx: str
    log_index: int

    @classmethod
    def of(cls, event: TraceEvent) -> "TraceEventPublic":
        return cls(
            **event.model_dump(exclude={"tx_hash", "block_number", "block_timestamp", "product_id"}), **_recorded(event)
        )


class BatchPublic(PublicModel):
    batch_id: int
    product_id: int
    seller: str
    metadata_uri: str
    registered_at: int
    registered_block: int
    registered_tx: str
    participants: list[ParticipantPublic]
    event_count: int  # the batch's own events in all; `events` holds the first ones (in time order)
    events: list[TraceEventPublic]

    @classmethod
    def of(cls, view: BatchView) -> "BatchPublic":
        batch = view.batch
        return cls(
            batch_id=batch.id,
            **batch.model_dump(exclude={"id"}),
            participants=[ParticipantPublic.of(p) for p in view.participants],
            event_count=view.event_count,
            events=[TraceEventPublic.of(e) for e in view.events],
        )


class ProductProvenance(PublicModel):
    product_id: int
    total: int  # batches in all; `batches` is one page of them, newest first
    batches: list[BatchPublic]


class LineLinkPublic(PublicModel):
    batch_id: int
    linked_at: int
    linked_block: int
    linked_tx: str


class ProvenanceEntry(PublicModel):
    """One step of an order line's story: the batch's history up to the link, the parcel's own trace
    events, and the Marketplace's events, ordered by when they happened."""

    source: Literal["batch", "line", "order"]
    event: str  # TraceEventRecorded, or the Marketplace's event (LinePlaced, LineShipped, ...)
    time: int  # when it happened: a trace event's eventTime, the block's time otherwise
    timestamp: int  # the block's time
    block: int
    tx: str
    log_index: int
    trace: TraceEventPublic | None = None  # the EPCIS fields of a trace event
    args: dict | None = None  # a Marketplace event's arguments (integers as decimal strings)


def _traced(event: TraceEvent, source: str) -> ProvenanceEntry:
    trace = TraceEventPublic.of(event)
    return ProvenanceEntry(
        source=source, event="TraceEventRecorded", time=event.event_time, timestamp=trace.timestamp,
        block=trace.block, tx=trace.tx, log_index=trace.log_index, trace=trace,
    )  # fmt: skip


def _ordered(record: EventRecord) -> ProvenanceEntry:
    args = json.loads(record.args_json)
    return ProvenanceEntry(
        source="order", event=record.name, time=record.block_timestamp, timestamp=record.block_timestamp,
        block=record.block_number, tx=record.tx_hash, log_index=record.log_index,
        args={key: _json_safe(value) for key, value in args.items()},
    )  # fmt: skip


class LineProvenancePublic(PublicModel):
    line_id: int
    product_id: int
    link: LineLinkPublic | None  # null until the seller links the shipped line to its batch
    batch: BatchPublic | None  # with its participants; its events (up to the link) are in `timeline`
    timeline: list[ProvenanceEntry]  # by when each step happened

    @classmethod
    def of(cls, found: LineProvenance) -> "LineProvenancePublic":
        entries = [_traced(e, "batch") for e in (found.batch.events if found.batch else [])]
        entries += [_traced(e, "line") for e in found.line_events]
        entries += [_ordered(record) for record in found.order_events]
        entries.sort(key=lambda entry: (entry.time, entry.block, entry.log_index))
        link = found.link
        return cls(
            line_id=found.line.id,
            product_id=found.line.product_id,
            link=LineLinkPublic(**link.model_dump(include=set(LineLinkPublic.model_fields))) if link else None,
            batch=BatchPublic.of(replace(found.batch, events=[])) if found.batch else None,
            timeline=entries,
        )


# ------------------------------------------------------------------ reviews and reputation


class ReviewVersionPublic(PublicModel):
    version: int  # 0: as posted; then each amendment
    rating: int
    uri: str
    text: str | None  # the text of a data:text/plain URI (how the dApp posts it), else null
    content_hash: str
    timestamp: int
    block: int
    tx: str

    @classmethod
    def of(cls, version: ReviewVersion) -> "ReviewVersionPublic":
        fields = version.model_dump(include={"version", "rating", "uri", "content_hash"})
        return cls(**fields, text=text_of(version.uri), **_recorded(version))


class ReplyPublic(PublicModel):
    uri: str
    text: str | None
    content_hash: str
    timestamp: int
    tx: str

    @classmethod
    def of(cls, review: Review) -> "ReplyPublic | None":
        if review.reply_uri is None:
            return None
        return cls(
            uri=review.reply_uri,
            text=text_of(review.reply_uri),
            content_hash=review.reply_hash,
            timestamp=review.replied_at,
            tx=review.reply_tx,
        )


class ReviewPublic(PublicModel):
    line_id: int
    product_id: int
    product_name: str | None
    seller: str
    author: str
    rating: int  # current: the latest version's
    uri: str
    text: str | None
    content_hash: str
    posted_at: int  # the first version's time
    posted_block: int
    posted_tx: str
    amended: bool
    amended_at: int | None
    history: list[ReviewVersionPublic]  # every version, oldest first: nothing is edited away
    reply: ReplyPublic | None

    @classmethod
    def of(cls, view: ReviewView) -> "ReviewPublic":
        review = view.review
        return cls(
            **review.model_dump(exclude={"amendments", "reply_uri", "reply_hash", "replied_at", "reply_tx"}),
            product_name=view.product_name,
            text=text_of(review.uri),
            amended=review.amendments > 0,
            history=[ReviewVersionPublic.of(version) for version in view.versions],
            reply=ReplyPublic.of(review),
        )


class RatingCount(PublicModel):
    rating: int
    count: int


class Reputation(PublicModel):
    """Reviewed lines, each counted once with its current rating."""

    count: int
    average: float | None  # to two decimals; null without reviews
    distribution: list[RatingCount]  # ratings 1 to 5, each with its count

    @classmethod
    def of(cls, counts: dict[int, int]) -> "Reputation":
        count = sum(counts.values())
        total = sum(rating * n for rating, n in counts.items())
        return cls(
            count=count,
            average=round(total / count, 2) if count else None,
            distribution=[RatingCount(rating=r, count=counts.get(r, 0)) for r in RATINGS],
        )


class SellerReputation(Reputation):
    seller: str


# ------------------------------------------------------------------ profiles and envelopes


class ProfilePublic(PublicModel):
    address: str
    has_profile: bool
    display_name: str | None
    avatar_uri: str | None
    encryption_key: str | None  # X25519 public key (0x-hex); a browser sealing to it reads it from the chain
    updated_at: int | None
    updated_block: int | None
    badges: list[str]  # seller (has listed), arbiter (registered, active), support (SUPPORT_ROLE)


class EnvelopePublic(PublicModel):
    """Shipping details sealed by the line's buyer: ciphertext only (the indexer cannot open it)."""

    line_id: int
    recipient: str
    recipient_key: str  # the key it was sealed to
    ciphertext: str  # 0x-hex NaCl sealed box
    timestamp: int
    block: int
    tx: str
    log_index: int

    @classmethod
    def of(cls, envelope: ShippingEnvelope) -> "EnvelopePublic":
        fields = envelope.model_dump(include={"line_id", "recipient", "recipient_key", "ciphertext", "log_index"})
        return cls(**fields, **_recorded(envelope))


# ------------------------------------------------------------------ a product's detail


class ProductDetail(ProductPublic):
    """GET /api/products/{id}: the product with its provenance, its reviews and its seller's reputation."""

    provenance: ProductProvenance
    reviews: Page[ReviewPublic]  # the newest
    rating: Reputation  # this product's
    reputation: SellerReputation  # its seller's, over every product
