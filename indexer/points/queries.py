"""Reads of the points tables for the API (no string-built SQL)."""

from sqlalchemy import func
from sqlmodel import Session, select

from ..models import Line
from .models import PointsBucket, PointsHistory, PointsListing, PointsRedemption

EARNED = ("earned_purchase", "earned_review", "earned_checkin")


def buckets(*, session: Session, account: str) -> list[PointsBucket]:
    """The account's buckets that still hold points (live or expired), soonest expiry first."""
    return list(
        session.exec(
            select(PointsBucket)
            .where(PointsBucket.account == account, PointsBucket.amount > 0)
            .order_by(PointsBucket.expires_at)
        ).all()
    )


def totals_by_kind(*, session: Session, account: str) -> dict[str, tuple[int, int]]:
    """kind -> (sum of points, sum of lost) over the account's history."""
    found = session.exec(
        select(PointsHistory.kind, func.sum(PointsHistory.points), func.sum(PointsHistory.lost))
        .where(PointsHistory.account == account)
        .group_by(PointsHistory.kind)
    ).all()
    return {kind: (int(points or 0), int(lost or 0)) for kind, points, lost in found}


def last_check_in_day(*, session: Session, account: str) -> int | None:
    return session.exec(
        select(func.max(PointsHistory.day)).where(
            PointsHistory.account == account, PointsHistory.kind == "earned_checkin"
        )
    ).first()


def history(*, session: Session, account: str, kind: str | None, limit: int, offset: int):
    """The account's history, newest first, and how many entries in all."""
    where = [PointsHistory.account == account] + ([PointsHistory.kind == kind] if kind else [])
    total = session.exec(select(func.count()).select_from(PointsHistory).where(*where)).one()
    rows = session.exec(
        select(PointsHistory)
        .where(*where)
        .order_by(PointsHistory.block_number.desc(), func.abs(PointsHistory.log_index).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def listings(*, session: Session, on_sale: bool, limit: int, offset: int):
    where = [PointsListing.stock > 0] if on_sale else []
    total = session.exec(select(func.count()).select_from(PointsListing).where(*where)).one()
    rows = session.exec(select(PointsListing).where(*where).order_by(PointsListing.id).limit(limit).offset(offset))
    return list(rows.all()), total


def redemptions(*, session: Session, buyer: str | None, status: str | None, limit: int, offset: int):
    where = ([PointsRedemption.buyer == buyer] if buyer else []) + (
        [PointsRedemption.status == status] if status else []
    )
    total = session.exec(select(func.count()).select_from(PointsRedemption).where(*where)).one()
    rows = session.exec(
        select(PointsRedemption, PointsListing.metadata_uri)
        .join(PointsListing, PointsListing.id == PointsRedemption.listing_id)
        .where(*where)
        .order_by(PointsRedemption.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def claimable_lines(*, session: Session, buyer: str) -> list[Line]:
    """Lines this buyer completed whose purchase points nobody has claimed yet, oldest completion first."""
    claimed = select(PointsHistory.line_id).where(PointsHistory.kind == "earned_purchase")
    return list(
        session.exec(
            select(Line)
            .where(Line.buyer == buyer, Line.status == "Completed", Line.id.not_in(claimed))
            .order_by(Line.status_at, Line.id)
        ).all()
    )
