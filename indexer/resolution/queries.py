"""Reads of disputes, support cases, arbiters and roles for the API (no string-built SQL)."""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, select

from ..models import (
    Arbiter,
    CaseMessage,
    Dispute,
    Line,
    ResolutionEvent,
    RoleMember,
    SupportCase,
    SupportRefundAllowance,
)
from ..queries import LineView
from ..queries import _line_views as line_views  # the order lines' token, product name and terms

OPEN_DISPUTE = ("Negotiating", "Escalated")


@dataclass(frozen=True)
class DisputeView:
    dispute: Dispute
    line: LineView


@dataclass(frozen=True)
class CaseView:
    case: SupportCase
    line: LineView
    allowance: int  # what support may still refund of the line


def _disputes_with_lines(session: Session, disputes: list[Dispute]) -> list[DisputeView]:
    lines = {view.line.id: view for view in line_views(session, _lines(session, [d.line_id for d in disputes]))}
    return [DisputeView(dispute, lines[dispute.line_id]) for dispute in disputes]


def _lines(session: Session, line_ids) -> list[Line]:
    return list(session.exec(select(Line).where(Line.id.in_(set(line_ids))))) if line_ids else []


# ------------------------------------------------------------------ disputes


def list_disputes(
    *,
    session: Session,
    status: str | None,
    arbiter: str | None,
    party: str | None,
    limit: int,
    after: tuple[int, int] | None = None,
    offset: int = 0,
) -> tuple[list[DisputeView], int]:
    """Newest raised first; ``after`` is (raised block, line id) of the previous page's last dispute."""
    query = select(Dispute)
    if status:
        query = query.where(Dispute.status == status)
    if arbiter:
        query = query.where(Dispute.arbiter == arbiter)
    if party:
        parties = select(Line.id).where(or_(Line.buyer == party, Line.seller == party))
        query = query.where(Dispute.line_id.in_(parties))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    if after is not None:
        block, line_id = after
        query = query.where(
            or_(Dispute.raised_block < block, and_(Dispute.raised_block == block, Dispute.line_id < line_id))
        )
    else:
        query = query.offset(offset)
    disputes = list(session.exec(query.order_by(Dispute.raised_block.desc(), Dispute.line_id.desc()).limit(limit)))
    return _disputes_with_lines(session, disputes), total


def get_dispute(*, session: Session, line_id: int) -> DisputeView | None:
    dispute = session.get(Dispute, line_id)
    return _disputes_with_lines(session, [dispute])[0] if dispute else None


def line_events(*, session: Session, line_id: int) -> list[ResolutionEvent]:
    """The resolution centre's events about a line (its dispute, its support cases), oldest first."""
    query = select(ResolutionEvent).where(ResolutionEvent.line_id == line_id)
    return list(session.exec(query.order_by(ResolutionEvent.block_number, ResolutionEvent.log_index)))


# ------------------------------------------------------------------ arbiters


def list_arbiters(
    *, session: Session, active: bool | None, limit: int, offset: int
) -> tuple[list[tuple[Arbiter, int, int]], int]:
    """Arbiters (oldest registration first) with their open and ruled disputes."""
    query = select(Arbiter)
    if active is not None:
        query = query.where(Arbiter.active == active)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    arbiters = list(session.exec(query.order_by(Arbiter.registered_block, Arbiter.address).offset(offset).limit(limit)))
    counts = session.exec(
        select(
            Dispute.arbiter,
            func.sum(case((Dispute.status == "Escalated", 1), else_=0)),
            func.sum(case((Dispute.status == "Ruled", 1), else_=0)),
        )
        .where(Dispute.arbiter.in_([a.address for a in arbiters]))
        .group_by(Dispute.arbiter)
    )
    by_arbiter = {address: (int(open_), int(ruled)) for address, open_, ruled in counts}
    return [(a, *by_arbiter.get(a.address, (0, 0))) for a in arbiters], total


# ------------------------------------------------------------------ support cases


def _cases_with_lines(session: Session, cases: list[SupportCase]) -> list[CaseView]:
    line_ids = {c.line_id for c in cases}
    lines = {view.line.id: view for view in line_views(session, _lines(session, line_ids))}
    allowances = dict(
        session.exec(
            select(SupportRefundAllowance.line_id, SupportRefundAllowance.remaining).where(
                SupportRefundAllowance.line_id.in_(line_ids)
            )
        ).all()
    )
    return [CaseView(c, lines[c.line_id], allowances.get(c.line_id, 0)) for c in cases]


def list_cases(
    *, session: Session, status: str | None, buyer: str | None, seller: str | None, limit: int, offset: int
) -> tuple[list[CaseView], int]:
    """Newest first."""
    query = select(SupportCase)
    if status:
        query = query.where(SupportCase.status == status)
    if buyer:
        query = query.where(SupportCase.buyer == buyer)
    if seller:
        query = query.where(SupportCase.line_id.in_(select(Line.id).where(Line.seller == seller)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    cases = list(session.exec(query.order_by(SupportCase.id.desc()).offset(offset).limit(limit)))
    return _cases_with_lines(session, cases), total


def get_case(*, session: Session, case_id: int) -> CaseView | None:
    found = session.get(SupportCase, case_id)
    return _cases_with_lines(session, [found])[0] if found else None


def case_messages(*, session: Session, case_id: int) -> list[CaseMessage]:
    query = select(CaseMessage).where(CaseMessage.case_id == case_id)
    return list(session.exec(query.order_by(CaseMessage.block_number, CaseMessage.log_index)))


def case_events(*, session: Session, case_id: int) -> list[ResolutionEvent]:
    query = select(ResolutionEvent).where(ResolutionEvent.case_id == case_id)
    return list(session.exec(query.order_by(ResolutionEvent.block_number, ResolutionEvent.log_index)))


# ------------------------------------------------------------------ a line's and an account's part


def line_resolution(*, session: Session, line_id: int) -> tuple[DisputeView | None, int, list[SupportCase]]:
    """A line's dispute, what support may still refund of it, and its support cases (oldest first)."""
    allowance = session.get(SupportRefundAllowance, line_id)
    cases = session.exec(select(SupportCase).where(SupportCase.line_id == line_id).order_by(SupportCase.id))
    return get_dispute(session=session, line_id=line_id), allowance.remaining if allowance else 0, list(cases)


def account_roles(*, session: Session, address: str) -> tuple[list[RoleMember], Arbiter | None]:
    grants = session.exec(
        select(RoleMember).where(RoleMember.account == address).order_by(RoleMember.contract, RoleMember.role_name)
    )
    return list(grants), session.get(Arbiter, address)
