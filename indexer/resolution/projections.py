"""How the resolution centre's events change the tables: disputes, support cases and their messages,
the arbiter registry, refund allowances, a timeline of every event; and who holds which role of the
Marketplace, the ResolutionCenter and the LogisticsOracle.

Each projector mirrors what ResolutionCenter did when it emitted the event. The line's own status and
the escrow's split come from the Marketplace's LineDisputed / LineResolved (``indexer.projections``).
Rows are read with ``session.get`` (autoflush makes rows added earlier in the range visible).
"""

import json
from collections.abc import Callable

from eth_utils import keccak
from sqlmodel import Session, select

from ..events import ChainEvent
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

Projector = Callable[[Session, ChainEvent], None]
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

# AccessControl roles of the mall's contracts, by their hash (bytes32 topics come as lower-case hex).
KNOWN_ROLES = ("UPGRADER_ROLE", "PAUSER_ROLE", "ORACLE_ROLE", "RESOLVER_ROLE", "SUPPORT_ROLE", "ATTESTER_ROLE")
ROLE_NAMES = {"0x" + "00" * 32: "DEFAULT_ADMIN_ROLE"} | {"0x" + keccak(text=name).hex(): name for name in KNOWN_ROLES}
ROLE_CONTRACTS = ("Marketplace", "ResolutionCenter", "LogisticsOracle")


def _require(session: Session, model, key, e: ChainEvent):
    row = session.get(model, key)
    if row is None:
        from ..projections import ProjectionError  # that module registers this one: imported when needed

        raise ProjectionError(f"{e.name} at block {e.block_number} refers to unknown {model.__name__} {key!r}")
    return row


def _dispute(session: Session, e: ChainEvent) -> Dispute:
    dispute = _require(session, Dispute, e.args["lineId"], e)
    dispute.updated_at = e.block_timestamp
    return dispute


def _case(session: Session, e: ChainEvent) -> SupportCase:
    case = _require(session, SupportCase, e.args["caseId"], e)
    case.updated_at = e.block_timestamp
    return case


def _address_or_none(address: str) -> str | None:
    return None if address == ZERO_ADDRESS else address


# ------------------------------------------------------------------ disputes


def dispute_raised(session: Session, e: ChainEvent) -> None:
    line = _require(session, Line, e.args["lineId"], e)
    by = e.args["by"]
    role = "buyer" if by == line.buyer else "seller" if by == line.seller else "support"
    case_id = None
    if role == "support":  # escalateCase: the line's one escalated case, marked just before (same transaction)
        case_id = session.exec(
            select(SupportCase.id).where(SupportCase.line_id == line.id, SupportCase.status == "Escalated")
        ).first()
    session.add(
        Dispute(
            line_id=line.id,
            status="Negotiating",
            raised_by=by,
            raised_by_role=role,
            case_id=case_id,
            reason=e.args["reason"],
            raised_at=e.block_timestamp,
            raised_block=e.block_number,
            raised_tx=e.tx_hash,
            settle_by=e.args["settleBy"],
            updated_at=e.block_timestamp,
        )
    )


def settlement_proposed(session: Session, e: ChainEvent) -> None:
    dispute = _dispute(session, e)
    line = _require(session, Line, dispute.line_id, e)
    if e.args["by"] == line.buyer:
        dispute.buyer_offer = e.args["buyerBps"]
    else:
        dispute.seller_offer = e.args["buyerBps"]


def _decided(status: str) -> Projector:
    """Settled or Defaulted: the outcome's buyer share (the split itself comes with LineResolved)."""

    def project(session: Session, e: ChainEvent) -> None:
        dispute = _dispute(session, e)
        dispute.status = status
        dispute.buyer_bps = e.args["buyerBps"]

    return project


def dispute_escalated(session: Session, e: ChainEvent) -> None:
    dispute = _dispute(session, e)
    dispute.status = "Escalated"
    dispute.escalated_by = e.args["by"]
    dispute.escalated_at = e.block_timestamp
    dispute.draw_block = e.args["drawBlock"]
    dispute.rule_by = e.args["ruleBy"]


def arbiter_draw_deferred(session: Session, e: ChainEvent) -> None:
    _dispute(session, e).draw_block = e.args["drawBlock"]


def arbiter_assigned(session: Session, e: ChainEvent) -> None:
    dispute = _dispute(session, e)
    dispute.arbiter = e.args["arbiter"]
    dispute.arbiter_fee_bps = e.args["feeBps"]
    dispute.rule_by = e.args["ruleBy"]
    dispute.draw_block = None


def dispute_ruled(session: Session, e: ChainEvent) -> None:
    dispute = _dispute(session, e)
    dispute.status = "Ruled"
    dispute.buyer_bps = e.args["buyerBps"]
    dispute.reason_hash = e.args["reasonHash"]
    dispute.reason_uri = e.args["reasonURI"]


def arbiter_timed_out(session: Session, e: ChainEvent) -> None:
    """The first missed deadline: a redraw without that arbiter. The second (drawBlock 0): the default
    outcome follows in DisputeDefaulted."""
    dispute = _dispute(session, e)
    if e.args["drawBlock"] == 0:
        return
    dispute.excluded_arbiter = _address_or_none(e.args["arbiter"])
    dispute.arbiter = None
    dispute.arbiter_fee_bps = None
    dispute.round = 1
    dispute.rule_by = e.args["ruleBy"]
    dispute.draw_block = e.args["drawBlock"]


def evidence_submitted(session: Session, e: ChainEvent) -> None:
    _dispute(session, e).evidence_count += 1


# ------------------------------------------------------------------ support cases


def _message(e: ChainEvent, author: str) -> CaseMessage:
    return CaseMessage(
        tx_hash=e.tx_hash,
        log_index=e.log_index,
        case_id=e.args["caseId"],
        author=author,
        uri=e.args["uri"],
        content_hash=e.args["contentHash"],
        block_number=e.block_number,
        block_timestamp=e.block_timestamp,
    )


def case_opened(session: Session, e: ChainEvent) -> None:
    session.add(
        SupportCase(
            id=e.args["caseId"],
            line_id=e.args["lineId"],
            buyer=e.args["buyer"],
            status="Open",
            opened_at=e.block_timestamp,
            opened_block=e.block_number,
            opened_tx=e.tx_hash,
            message_count=1,
            updated_at=e.block_timestamp,
        )
    )
    session.add(_message(e, e.args["buyer"]))


def case_replied(session: Session, e: ChainEvent) -> None:
    _case(session, e).message_count += 1
    session.add(_message(e, e.args["by"]))


def case_closed(session: Session, e: ChainEvent) -> None:
    case = _case(session, e)
    case.status = "Closed"
    case.closed_by = e.args["by"]


def case_escalated(session: Session, e: ChainEvent) -> None:
    case = _case(session, e)
    case.status = "Escalated"
    case.escalated_by = e.args["by"]


def support_refund_authorized(session: Session, e: ChainEvent) -> None:
    allowance = session.get(SupportRefundAllowance, e.args["lineId"])
    if allowance is None:
        allowance = SupportRefundAllowance(line_id=e.args["lineId"], seller=e.args["seller"], updated_at=0)
        session.add(allowance)
    allowance.seller = e.args["seller"]
    allowance.authorized = allowance.remaining = e.args["maxAmount"]
    allowance.updated_at = e.block_timestamp


def support_refunded(session: Session, e: ChainEvent) -> None:
    """The allowance shrinks; the line and the buyer's credit follow from the Marketplace's RefundAccepted."""
    allowance = _require(session, SupportRefundAllowance, e.args["lineId"], e)
    allowance.remaining -= e.args["amount"]
    allowance.refunded += e.args["amount"]
    allowance.updated_at = e.block_timestamp
    _case(session, e).refunded += e.args["amount"]


# ------------------------------------------------------------------ arbiters and roles


def arbiter_registered(session: Session, e: ChainEvent) -> None:
    arbiter = session.get(Arbiter, e.args["arbiter"])  # a removed arbiter may be registered again
    if arbiter is None:
        arbiter = Arbiter(address=e.args["arbiter"], fee_bps=0, registered_block=0, registered_at=0)
        session.add(arbiter)
    arbiter.fee_bps = e.args["feeBps"]
    arbiter.active = True
    arbiter.registered_block = e.block_number
    arbiter.registered_at = e.block_timestamp


def arbiter_removed(session: Session, e: ChainEvent) -> None:
    _require(session, Arbiter, e.args["arbiter"], e).active = False


def arbiter_fee_set(session: Session, e: ChainEvent) -> None:
    _require(session, Arbiter, e.args["arbiter"], e).fee_bps = e.args["feeBps"]


def role_granted(session: Session, e: ChainEvent) -> None:
    role = e.args["role"].lower()
    key = (e.contract, role, e.args["account"])
    if session.get(RoleMember, key) is None:  # AccessControl emits only real grants; stay safe anyway
        name = ROLE_NAMES.get(role, role)
        session.add(RoleMember(contract=e.contract, role=role, account=e.args["account"], role_name=name,
                               granted_block=e.block_number))  # fmt: skip


def role_revoked(session: Session, e: ChainEvent) -> None:
    member = session.get(RoleMember, (e.contract, e.args["role"].lower(), e.args["account"]))
    if member is not None:
        session.delete(member)


def _ignore(_session: Session, _e: ChainEvent) -> None:
    """Recorded in the timeline only."""


# ------------------------------------------------------------------ every event, for timelines


def _actor(args: dict) -> str | None:
    for key in ("by", "arbiter", "buyer", "seller", "account"):
        if key in args:
            return _address_or_none(args[key])
    return None


def _recorded(project: Projector) -> Projector:
    """Apply ``project``, then keep the event in ``resolution_events`` with its line (a case's event
    through its case) and who acted."""

    def record(session: Session, e: ChainEvent) -> None:
        project(session, e)
        line_id = e.args.get("lineId")
        case_id = e.args.get("caseId")
        if line_id is None and case_id is not None:
            line_id = _require(session, SupportCase, case_id, e).line_id
        session.add(
            ResolutionEvent(
                tx_hash=e.tx_hash,
                log_index=e.log_index,
                block_number=e.block_number,
                block_timestamp=e.block_timestamp,
                name=e.name,
                line_id=line_id,
                case_id=case_id,
                actor=_actor(e.args),
                args_json=json.dumps(e.args, default=str),
            )
        )

    return record


_CENTER_EVENTS: dict[str, Projector] = {
    "DisputeRaised": dispute_raised,
    "SettlementProposed": settlement_proposed,
    "DisputeSettled": _decided("Settled"),
    "DisputeEscalated": dispute_escalated,
    "ArbiterDrawDeferred": arbiter_draw_deferred,
    "ArbiterAssigned": arbiter_assigned,
    "DisputeRuled": dispute_ruled,
    "ArbiterTimedOut": arbiter_timed_out,
    "DisputeDefaulted": _decided("Defaulted"),
    "EvidenceSubmitted": evidence_submitted,
    "CaseOpened": case_opened,
    "CaseReplied": case_replied,
    "CaseClosed": case_closed,
    "CaseEscalated": case_escalated,
    "SupportRefundAuthorized": support_refund_authorized,
    "SupportRefunded": support_refunded,
    "ArbiterRegistered": arbiter_registered,
    "ArbiterRemoved": arbiter_removed,
    "ArbiterFeeSet": arbiter_fee_set,
    "WindowsSet": _ignore,
    "RoleGranted": role_granted,
    "RoleRevoked": role_revoked,
    "RoleAdminChanged": _ignore,
    "Initialized": _ignore,
    "Upgraded": _ignore,
}

RESOLUTION_PROJECTIONS: dict[tuple[str, str], Projector] = {
    **{(contract, "RoleGranted"): role_granted for contract in ROLE_CONTRACTS},
    **{(contract, "RoleRevoked"): role_revoked for contract in ROLE_CONTRACTS},
    **{("ResolutionCenter", name): _recorded(project) for name, project in _CENTER_EVENTS.items()},
}
