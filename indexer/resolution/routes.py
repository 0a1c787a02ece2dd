"""The API's routes for disputes, arbiters and support cases, and what the resolution centre adds to a
line's detail and to an account (``create_app`` includes the router and calls the two helpers)."""

import base64
import binascii
import json
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.exceptions import RequestValidationError
from sqlmodel import Session

from ..schemas import (
    ArbiterPublic,
    CaseDetail,
    CaseMessagePublic,
    CasePublic,
    CaseSummary,
    CursorPage,
    DisputeDetail,
    DisputePublic,
    ErrorMessage,
    EvidencePublic,
    Page,
    ResolutionTimelineEntry,
    RoleGrantPublic,
    text_of,
)
from . import queries

DisputeStatus = Literal["Negotiating", "Escalated", "Settled", "Ruled", "Defaulted"]
CaseStatus = Literal["Open", "Closed", "Escalated"]
# Friendly names of roles in /api/accounts: "admin" is the Marketplace's administrator.
FRIENDLY_ROLES = {
    ("Marketplace", "DEFAULT_ADMIN_ROLE"): "admin",
    ("ResolutionCenter", "SUPPORT_ROLE"): "support",
    ("Marketplace", "PAUSER_ROLE"): "pauser",
    ("Marketplace", "UPGRADER_ROLE"): "upgrader",
    ("Marketplace", "RESOLVER_ROLE"): "resolver",
    ("Marketplace", "ORACLE_ROLE"): "oracle",
    ("LogisticsOracle", "ATTESTER_ROLE"): "attester",
}
NOT_FOUND = {404: {"model": ErrorMessage}}


def _encode_cursor(last: queries.DisputeView) -> str:
    return base64.urlsafe_b64encode(json.dumps([last.dispute.raised_block, last.dispute.line_id]).encode()).decode()


def _decode_cursor(cursor: str | None) -> tuple[int, int] | None:
    if cursor is None:
        return None
    try:
        block, line_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return int(block), int(line_id)
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error) as err:
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", "cursor"), "msg": f"not a cursor from this API ({err})"}]
        ) from err


def _timeline(records) -> list[ResolutionTimelineEntry]:
    return [ResolutionTimelineEntry.of(record, json.loads(record.args_json)) for record in records]


def _evidence(view: queries.DisputeView, timeline: list[ResolutionTimelineEntry]) -> list[EvidencePublic]:
    line, dispute = view.line.line, view.dispute
    # Posted by a party, an arbiter drawn for the dispute, or support (the only others allowed).
    roles = {a: "arbiter" for a in (dispute.arbiter, dispute.excluded_arbiter) if a}
    roles |= {line.buyer: "buyer", line.seller: "seller"}
    return [
        EvidencePublic(
            by=entry.args["by"],
            by_role=roles.get(entry.args["by"], "support"),
            uri=entry.args["uri"],
            text=text_of(entry.args["uri"]),
            content_hash=entry.args["contentHash"],
            timestamp=entry.timestamp,
            block=entry.block,
            tx=entry.tx,
        )
        for entry in timeline
        if entry.event == "EvidenceSubmitted"
    ]


def line_resolution(session: Session, line_id: int) -> dict:
    """LineDetail's dispute, support refund allowance and support cases."""
    dispute, allowance, cases = queries.line_resolution(session=session, line_id=line_id)
    return {
        "dispute": DisputePublic.of(dispute.dispute, dispute.line) if dispute else None,
        "support_refund_allowance": str(allowance),
        "cases": [CaseSummary(id=c.id, status=c.status) for c in cases],
    }


def account_roles(session: Session, address: str) -> dict:
    """AccountPublic's roles: friendly names (an active arbiter is "arbiter") and every grant."""
    grants, arbiter = queries.account_roles(session=session, address=address)
    names = {FRIENDLY_ROLES[key] for key in ((g.contract, g.role_name) for g in grants) if key in FRIENDLY_ROLES}
    if arbiter is not None and arbiter.active:
        names.add("arbiter")
    return {"roles": sorted(names), "role_grants": [RoleGrantPublic.of(g) for g in grants]}


def create_router(session_dep) -> APIRouter:
    """The routes, reading through ``session_dep`` (create_app's ``Annotated[Session, Depends(...)]``)."""
    from ..api import ADDRESS_PATTERN, Id, Limit, Offset, _checksum  # create_app calls this: api is loaded

    router = APIRouter(prefix="/api")
    address = Annotated[str | None, Query(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte hex address")]

    @router.get("/disputes", response_model=CursorPage[DisputePublic], tags=["disputes"])
    def disputes(
        session: session_dep,
        status: DisputeStatus | None = None,
        arbiter: address = None,
        party: Annotated[
            str | None, Query(pattern=ADDRESS_PATTERN, description="the buyer or the seller of the line")
        ] = None,
        cursor: Annotated[str | None, Query(max_length=200, description="nextCursor of the previous page")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Disputes, newest raised first: by status, by drawn arbiter, by party; paginated by cursor (or offset)."""
        views, total = queries.list_disputes(
            session=session, status=status, arbiter=_checksum(arbiter), party=_checksum(party), limit=limit,
            after=_decode_cursor(cursor), offset=offset,
        )  # fmt: skip
        return CursorPage[DisputePublic](
            items=[DisputePublic.of(v.dispute, v.line) for v in views],
            total=total,
            next_cursor=_encode_cursor(views[-1]) if len(views) == limit else None,
        )

    @router.get("/disputes/{line_id}", response_model=DisputeDetail, responses=NOT_FOUND, tags=["disputes"])
    def dispute(session: session_dep, line_id: Id):
        """A line's dispute with its timeline (support cases of the line included) and its evidence."""
        view = queries.get_dispute(session=session, line_id=line_id)
        if view is None:
            raise HTTPException(status_code=404, detail=f"no dispute on order line {line_id}")
        timeline = _timeline(queries.line_events(session=session, line_id=line_id))
        summary = DisputePublic.of(view.dispute, view.line).model_dump()
        return DisputeDetail(**summary, timeline=timeline, evidence=_evidence(view, timeline))

    @router.get("/arbiters", response_model=Page[ArbiterPublic], tags=["disputes"])
    def arbiters(session: session_dep, active: bool | None = None, limit: Limit = 50, offset: Offset = 0):
        """The arbiter registry (removed arbiters are inactive), with each one's open and ruled disputes."""
        rows, total = queries.list_arbiters(session=session, active=active, limit=limit, offset=offset)
        return Page[ArbiterPublic](items=[ArbiterPublic.of(*row) for row in rows], total=total)

    @router.get("/cases", response_model=Page[CasePublic], tags=["support"])
    def cases(
        session: session_dep,
        status: CaseStatus | None = None,
        buyer: address = None,
        seller: address = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ):
        """Support cases, newest first: by status, buyer, or the line's seller."""
        views, total = queries.list_cases(
            session=session, status=status, buyer=_checksum(buyer), seller=_checksum(seller), limit=limit,
            offset=offset,
        )  # fmt: skip
        return Page[CasePublic](items=[CasePublic.of(v.case, v.line, v.allowance) for v in views], total=total)

    @router.get("/cases/{case_id}", response_model=CaseDetail, responses=NOT_FOUND, tags=["support"])
    def support_case(session: session_dep, case_id: Id):
        """A support case with its messages (the opening one first) and its events."""
        view = queries.get_case(session=session, case_id=case_id)
        if view is None:
            raise HTTPException(status_code=404, detail=f"support case {case_id} not found")
        summary = CasePublic.of(view.case, view.line, view.allowance).model_dump()
        messages = [
            CaseMessagePublic.of(m, view.case.buyer) for m in queries.case_messages(session=session, case_id=case_id)
        ]
        timeline = _timeline(queries.case_events(session=session, case_id=case_id))
        return CaseDetail(**summary, messages=messages, timeline=timeline)

    return router
