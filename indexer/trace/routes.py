"""The API's routes for provenance, reviews, reputation, profiles and sealed envelopes, and what they
add to a product's detail (``create_app`` includes the router and calls ``product_trace``)."""

from typing import Annotated

from eth_utils import to_checksum_address
from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import Field
from sqlmodel import Session

from ..models import Product
from ..queries import get_product
from ..resolution.routes import account_roles
from ..schemas import ErrorMessage, Page
from . import queries
from .schemas import (
    BatchPublic,
    EnvelopePublic,
    LineProvenancePublic,
    ProductProvenance,
    ProfilePublic,
    Reputation,
    ReviewPublic,
    SellerReputation,
)

NOT_FOUND = {404: {"model": ErrorMessage}}
EVENTS_PER_BATCH = 100  # a batch's own events in a product's provenance; `eventCount` says how many in all
LINE_EVENTS = 500  # trace events (of the batch up to the link, and of the line) in a line's timeline
DETAIL_BATCHES = 10  # what a product's detail carries; the provenance route pages through the rest
DETAIL_REVIEWS = 20
STAFF_BADGES = ("arbiter", "support")  # from the resolution centre's roles (indexer/resolution)
ProductId = Annotated[int, Path(ge=1, le=2**32 - 1)]


def _product_provenance(session: Session, product_id: int, limit: int, offset: int) -> ProductProvenance:
    views, total = queries.product_batches(
        session=session, product_id=product_id, limit=limit, offset=offset, events_limit=EVENTS_PER_BATCH
    )
    return ProductProvenance(product_id=product_id, total=total, batches=[BatchPublic.of(v) for v in views])


def _seller_reputation(session: Session, seller: str) -> SellerReputation:
    counts = queries.rating_counts(session=session, seller=seller)
    return SellerReputation(seller=seller, **Reputation.of(counts).model_dump())


def product_trace(session: Session, product: Product) -> dict:
    """ProductDetail's provenance (its newest batches), newest reviews, its rating and its seller's reputation."""
    reviews, total = queries.list_reviews(session=session, product_id=product.id, limit=DETAIL_REVIEWS)
    return {
        "provenance": _product_provenance(session, product.id, DETAIL_BATCHES, 0),
        "reviews": Page[ReviewPublic](items=[ReviewPublic.of(r) for r in reviews], total=total),
        "rating": Reputation.of(queries.rating_counts(session=session, product_id=product.id)),
        "reputation": _seller_reputation(session, product.seller),
    }


def create_router(session_dep) -> APIRouter:
    """The routes, reading through ``session_dep`` (create_app's ``Annotated[Session, Depends(...)]``)."""
    from ..api import ADDRESS_PATTERN, MAX_PAGE, Id, Limit, Offset, _checksum  # create_app calls this: api is loaded

    router = APIRouter(prefix="/api")
    address_path = Annotated[str, Path(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte hex address")]
    address = Annotated[str | None, Query(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte hex address")]
    line_ids = Annotated[
        list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None,
        Query(
            alias="line", max_length=MAX_PAGE, description=f"order line ids (repeat the parameter, at most {MAX_PAGE})"
        ),
    ]

    def _line_or_404(session: Session, line_id: int) -> None:
        if not queries.line_exists(session=session, line_id=line_id):
            raise HTTPException(status_code=404, detail=f"order line {line_id} not found")

    @router.get(
        "/products/{product_id}/provenance", response_model=ProductProvenance, responses=NOT_FOUND, tags=["provenance"]
    )
    def product_provenance(session: session_dep, product_id: ProductId, limit: Limit = 20, offset: Offset = 0):
        """A product's batches, newest first, each with its participants (revoked ones inactive) and its own
        trace events in time order (the first 100; `eventCount` says how many in all)."""
        if get_product(session=session, product_id=product_id) is None:
            raise HTTPException(status_code=404, detail=f"product {product_id} not found")
        return _product_provenance(session, product_id, limit, offset)

    @router.get(
        "/lines/{line_id}/provenance", response_model=LineProvenancePublic, responses=NOT_FOUND, tags=["provenance"]
    )
    def line_provenance(session: session_dep, line_id: Id):
        """An order line's story: the batch it was shipped from and that batch's events up to the link
        (where the goods came from), the events recorded on the line (the parcel's journey) and the
        Marketplace's events, by when each happened."""
        found = queries.line_provenance(session=session, line_id=line_id, events_limit=LINE_EVENTS)
        if found is None:
            raise HTTPException(status_code=404, detail=f"order line {line_id} not found")
        return LineProvenancePublic.of(found)

    @router.get(
        "/lines/{line_id}/envelopes", response_model=Page[EnvelopePublic], responses=NOT_FOUND, tags=["profiles"]
    )
    def envelopes(session: session_dep, line_id: Id, recipient: address = None, limit: Limit = 50, offset: Offset = 0):
        """The shipping details the line's buyer sealed (to its seller, to an arbiter), oldest first: the
        ciphertext and whose key it was sealed to. Only the recipient's browser can open one."""
        _line_or_404(session, line_id)
        found, total = queries.line_envelopes(
            session=session, line_id=line_id, recipient=_checksum(recipient), limit=limit, offset=offset
        )
        return Page[EnvelopePublic](items=[EnvelopePublic.of(e) for e in found], total=total)

    @router.get("/reviews", response_model=Page[ReviewPublic], tags=["reviews"])
    def reviews(
        session: session_dep,
        seller: address = None,
        product: Annotated[int | None, Query(ge=1, le=2**32 - 1, description="a product id")] = None,
        author: address = None,
        line: line_ids = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Reviews, newest first, each with every version (amendments never replace the history) and the
        seller's reply: by seller, product, author, or order lines."""
        found, total = queries.list_reviews(
            session=session, seller=_checksum(seller), product_id=product, author=_checksum(author), line_ids=line,
            limit=limit, offset=offset,
        )  # fmt: skip
        return Page[ReviewPublic](items=[ReviewPublic.of(r) for r in found], total=total)

    @router.get("/sellers/{address}/reputation", response_model=SellerReputation, tags=["reviews"])
    def reputation(session: session_dep, address: address_path):
        """A seller's reputation: how many of its lines were reviewed, the average of their current
        ratings, and how many got each rating from 1 to 5."""
        return _seller_reputation(session, to_checksum_address(address))

    @router.get("/profiles/{address}", response_model=ProfilePublic, tags=["profiles"])
    def profile(session: session_dep, address: address_path):
        """An account's profile (display name, avatar URI, encryption public key; nulls without one) and its
        badges: seller once it listed a product, arbiter and support from the resolution centre."""
        checksummed = to_checksum_address(address)
        found = queries.get_profile(session=session, address=checksummed)
        badges = ["seller"] if queries.has_listed(session=session, address=checksummed) else []
        badges += [role for role in account_roles(session, checksummed)["roles"] if role in STAFF_BADGES]
        return ProfilePublic(
            address=checksummed,
            has_profile=found is not None,
            display_name=found.display_name if found else None,
            avatar_uri=found.avatar_uri if found else None,
            encryption_key=found.encryption_key if found else None,
            updated_at=found.updated_at if found else None,
            updated_block=found.updated_block if found else None,
            badges=badges,
        )

    return router
