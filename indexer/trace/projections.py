"""How the events of the provenance register, the reviews and the profiles change the tables:
batches and their participants, trace events, line -> batch links, reviews with every version and
the reply, profiles, and sealed shipping envelopes.

Each projector mirrors what the contract did when it emitted the event. The trace contracts only
read the Marketplace, so its rows (lines, members) are always there before theirs. Rows are read
with ``session.get`` (autoflush makes rows added earlier in the range visible).
"""

from collections.abc import Callable

from sqlmodel import Session

from ..events import ChainEvent
from ..models import (
    Line,
    Profile,
    Review,
    ReviewVersion,
    ShippingEnvelope,
    TraceBatch,
    TraceEvent,
    TraceLineLink,
    TraceParticipant,
)

Projector = Callable[[Session, ChainEvent], None]
ROLES = ("None", "Seller", "Producer", "Inspector", "Warehouse", "Carrier")  # IProvenance.Role, in enum order
ZERO_WORD = "0x" + "00" * 32


def _require(session: Session, model, key, e: ChainEvent):
    row = session.get(model, key)
    if row is None:
        from ..projections import ProjectionError  # that module registers this one: imported when needed

        raise ProjectionError(f"{e.name} at block {e.block_number} refers to unknown {model.__name__} {key!r}")
    return row


def role_name(value: int) -> str:
    return ROLES[value] if 0 <= value < len(ROLES) else f"Role{value}"


def short_name(word: str) -> str | None:
    """A GS1 CBV short name from its left-aligned bytes32 ("shipping"); None for 0; the word as
    0x-hex if it is not printable ASCII (any private extension still shows as something)."""
    if word.lower() == ZERO_WORD:
        return None
    raw = bytes.fromhex(word[2:]).rstrip(b"\0")
    if raw and all(0x20 <= byte < 0x7F for byte in raw):
        return raw.decode("ascii")
    return word.lower()


def _or_none(word: str) -> str | None:
    return None if word.lower() == ZERO_WORD else word


# ------------------------------------------------------------------ provenance


def batch_registered(session: Session, e: ChainEvent) -> None:
    batch_id = e.args["batchId"]
    session.add(
        TraceBatch(
            id=batch_id,
            product_id=e.args["productId"],
            seller=e.args["seller"],
            metadata_uri=e.args["metadataURI"],
            registered_block=e.block_number,
            registered_tx=e.tx_hash,
            registered_at=e.block_timestamp,
        )
    )
    # The contract writes the seller's role at registration: the seller records like a participant.
    session.add(_participant(batch_id, e.args["seller"], "Seller", e))


def _participant(batch_id: int, account: str, role: str, e: ChainEvent) -> TraceParticipant:
    return TraceParticipant(
        batch_id=batch_id,
        account=account,
        role=role,
        authorized_at=e.block_timestamp,
        authorized_block=e.block_number,
    )


def participant_authorized(session: Session, e: ChainEvent) -> None:
    batch_id, account, role = e.args["batchId"], e.args["participant"], role_name(e.args["role"])
    participant = session.get(TraceParticipant, (batch_id, account))
    if participant is None:
        session.add(_participant(batch_id, account, role, e))
        return
    participant.role = role  # granting again changes the role (and brings back a revoked participant)
    participant.active = True
    participant.authorized_at = e.block_timestamp
    participant.authorized_block = e.block_number
    participant.revoked_at = None


def participant_revoked(session: Session, e: ChainEvent) -> None:
    participant = _require(session, TraceParticipant, (e.args["batchId"], e.args["participant"]), e)
    participant.active = False
    participant.revoked_at = e.block_timestamp


def line_linked(session: Session, e: ChainEvent) -> None:
    session.add(
        TraceLineLink(
            line_id=e.args["lineId"],
            batch_id=e.args["batchId"],
            product_id=e.args["productId"],
            linked_block=e.block_number,
            linked_log_index=e.log_index,
            linked_tx=e.tx_hash,
            linked_at=e.block_timestamp,
        )
    )


def trace_event_recorded(session: Session, e: ChainEvent) -> None:
    batch = _require(session, TraceBatch, e.args["batchId"], e)
    session.add(
        TraceEvent(
            tx_hash=e.tx_hash,
            log_index=e.log_index,
            batch_id=batch.id,
            line_id=e.args["lineId"] or None,
            product_id=batch.product_id,
            recorder=e.args["recorder"],
            role=role_name(e.args["role"]),
            biz_step=short_name(e.args["bizStep"]) or "",
            disposition=short_name(e.args["disposition"]),
            event_time=e.args["eventTime"],
            read_point=e.args["readPoint"],
            doc_hash=_or_none(e.args["docHash"]),
            uri=e.args["uri"],
            block_number=e.block_number,
            block_timestamp=e.block_timestamp,
        )
    )


# ------------------------------------------------------------------ reviews


def _version(session: Session, e: ChainEvent, version: int) -> None:
    session.add(
        ReviewVersion(
            tx_hash=e.tx_hash,
            log_index=e.log_index,
            line_id=e.args["lineId"],
            version=version,
            rating=e.args["rating"],
            uri=e.args["uri"],
            content_hash=e.args["contentHash"],
            block_number=e.block_number,
            block_timestamp=e.block_timestamp,
        )
    )


def review_posted(session: Session, e: ChainEvent) -> None:
    line = _require(session, Line, e.args["lineId"], e)
    session.add(
        Review(
            line_id=line.id,
            product_id=line.product_id,
            seller=line.seller,  # the event's sellerId: the line's seller
            author=e.args["author"],
            rating=e.args["rating"],
            uri=e.args["uri"],
            content_hash=e.args["contentHash"],
            posted_at=e.block_timestamp,
            posted_block=e.block_number,
            posted_tx=e.tx_hash,
        )
    )
    _version(session, e, 0)


def review_amended(session: Session, e: ChainEvent) -> None:
    """The amendment becomes the current version; the earlier ones stay in review_versions."""
    review = _require(session, Review, e.args["lineId"], e)
    review.amendments += 1
    review.rating = e.args["rating"]
    review.uri = e.args["uri"]
    review.content_hash = e.args["contentHash"]
    review.amended_at = e.block_timestamp
    _version(session, e, review.amendments)


def review_replied(session: Session, e: ChainEvent) -> None:
    review = _require(session, Review, e.args["lineId"], e)
    review.reply_uri = e.args["uri"]
    review.reply_hash = e.args["contentHash"]
    review.replied_at = e.block_timestamp
    review.reply_tx = e.tx_hash


# ------------------------------------------------------------------ profiles and sealed shipping details


def profile_set(session: Session, e: ChainEvent) -> None:
    profile = session.get(Profile, e.args["account"])
    if profile is None:
        profile = Profile(address=e.args["account"], display_name="", avatar_uri="", encryption_key="",
                          updated_block=0, updated_at=0)  # fmt: skip
        session.add(profile)
    profile.display_name = e.args["displayName"]
    profile.avatar_uri = e.args["avatarURI"]
    profile.encryption_key = e.args["encryptionKey"]
    profile.updated_block = e.block_number
    profile.updated_at = e.block_timestamp


def shipping_details_posted(session: Session, e: ChainEvent) -> None:
    session.add(
        ShippingEnvelope(
            tx_hash=e.tx_hash,
            log_index=e.log_index,
            line_id=e.args["lineId"],
            recipient=e.args["recipient"],
            recipient_key=e.args["recipientKey"],
            ciphertext=e.args["ciphertext"],
            block_number=e.block_number,
            block_timestamp=e.block_timestamp,
        )
    )


TRACE_PROJECTIONS: dict[tuple[str, str], Projector] = {
    ("Provenance", "BatchRegistered"): batch_registered,
    ("Provenance", "ParticipantAuthorized"): participant_authorized,
    ("Provenance", "ParticipantRevoked"): participant_revoked,
    ("Provenance", "LineLinked"): line_linked,
    ("Provenance", "TraceEventRecorded"): trace_event_recorded,
    ("Reviews", "ReviewPosted"): review_posted,
    ("Reviews", "ReviewAmended"): review_amended,
    ("Reviews", "ReviewReplied"): review_replied,
    ("Profiles", "ProfileSet"): profile_set,
    ("Profiles", "ShippingDetailsPosted"): shipping_details_posted,
}
