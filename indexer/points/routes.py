"""The API's points routes (``create_app`` includes the router):

- ``GET /api/points/{address}``: balance now, next expiries, expired unspent, totals;
- ``GET /api/points/{address}/history``: earned, spent, returned, transferred, with their reasons;
- ``GET /api/points/claimable/{address}``: completed lines whose purchase points are unclaimed;
- ``GET /api/points/mall/listings`` and ``GET /api/points/redemptions``: the points mall.
"""

import time
from typing import Annotated, Literal

from eth_utils import to_checksum_address
from fastapi import APIRouter, Path, Query

from ..schemas import Page
from . import queries
from .schemas import (
    Claimable,
    ClaimableLine,
    PointsExpiry,
    PointsHistoryEntry,
    PointsListingPublic,
    PointsRedemptionPublic,
    PointsSummary,
)

DAY = 86_400
HistoryKind = Literal[
    "earned_purchase", "earned_review", "earned_checkin", "spent_redemption", "returned", "transferred_in",
    "transferred_out",
]  # fmt: skip
RedemptionStatus = Literal["Placed", "Shipped", "Delivered", "Cancelled", "Rejected", "Refunded"]
At = Annotated[int | None, Query(ge=0, le=2**40, description="reckon the balance at this unix second (default: now)")]


def summary(session, address: str, at: int) -> PointsSummary:
    buckets = queries.buckets(session=session, account=address)
    live = [PointsExpiry(points=b.amount, expires_at=b.expires_at) for b in buckets if b.expires_at > at]
    expired = [PointsExpiry(points=b.amount, expires_at=b.expires_at) for b in buckets if b.expires_at <= at]
    totals = queries.totals_by_kind(session=session, account=address)
    points = {kind: value for kind, (value, _) in totals.items()}
    last_day = queries.last_check_in_day(session=session, account=address)
    return PointsSummary(
        address=address,
        at=at,
        balance=sum(e.points for e in live),
        next_expiries=live,
        expired=expired,
        earned=sum(points.get(kind, 0) for kind in queries.EARNED),
        earned_by_kind={kind: points.get(kind, 0) for kind in queries.EARNED},
        spent=points.get("spent_redemption", 0) - points.get("returned", 0),
        expired_total=sum(e.points for e in expired) + totals.get("returned", (0, 0))[1],
        transferred_in=points.get("transferred_in", 0),
        transferred_out=points.get("transferred_out", 0),
        last_check_in_day=last_day,
        checked_in_today=last_day is not None and last_day == at // DAY,
    )


def create_router(session_dep) -> APIRouter:
    """The routes, reading through ``session_dep`` (create_app's ``Annotated[Session, Depends(...)]``)."""
    from ..api import ADDRESS_PATTERN, Limit, Offset, _checksum  # create_app calls this: api is loaded

    router = APIRouter(prefix="/api/points", tags=["points"])
    Address = Annotated[str, Path(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte hex address")]

    # Fixed paths first: "/redemptions" would otherwise be read as an address.
    @router.get("/mall/listings", response_model=Page[PointsListingPublic])
    def mall_listings(
        session: session_dep,
        on_sale: Annotated[bool, Query(alias="onSale", description="only listings with stock")] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """The points mall's items, oldest first."""
        rows, total = queries.listings(session=session, on_sale=on_sale, limit=limit, offset=offset)
        return Page[PointsListingPublic](items=[PointsListingPublic.of(r) for r in rows], total=total)

    @router.get("/redemptions", response_model=Page[PointsRedemptionPublic])
    def redemptions(
        session: session_dep,
        buyer: Annotated[str | None, Query(pattern=ADDRESS_PATTERN, description="who redeemed")] = None,
        status: RedemptionStatus | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Redemptions in the points mall, newest first."""
        rows, total = queries.redemptions(
            session=session, buyer=_checksum(buyer), status=status, limit=limit, offset=offset
        )
        return Page[PointsRedemptionPublic](items=[PointsRedemptionPublic.of(r, uri) for r, uri in rows], total=total)

    @router.get("/claimable/{address}", response_model=Claimable)
    def claimable(session: session_dep, address: Address):
        """Lines this buyer completed whose purchase points nobody claimed yet. How many points each earns
        is the contract's ``purchasePointsOf(lineId)`` (the rate in force at completion; 0 if none)."""
        checksummed = to_checksum_address(address)
        lines = queries.claimable_lines(session=session, buyer=checksummed)
        return Claimable(address=checksummed, lines=[ClaimableLine.of(line) for line in lines])

    @router.get("/{address}", response_model=PointsSummary)
    def points(session: session_dep, address: Address, at: At = None):
        """The account's live balance at ``at`` (default now), what expires when, what expired unspent,
        and totals earned, spent and expired."""
        return summary(session, to_checksum_address(address), int(time.time()) if at is None else at)

    @router.get("/{address}/history", response_model=Page[PointsHistoryEntry])
    def history(
        session: session_dep, address: Address, kind: HistoryKind | None = None, limit: Limit = 50, offset: Offset = 0
    ):
        """Every change of the account's points with its reason (line, redemption, day, counterparty), newest first."""
        rows, total = queries.history(
            session=session, account=to_checksum_address(address), kind=kind, limit=limit, offset=offset
        )
        return Page[PointsHistoryEntry](items=[PointsHistoryEntry.of(r) for r in rows], total=total)

    return router
