"""What the API returns: camelCase JSON, token amounts as decimal strings (they overflow JS
numbers), addresses checksummed."""

import base64
import binascii
from typing import Generic, TypeVar
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from .models import (
    Arbiter,
    Balance,
    CaseMessage,
    Dispute,
    EventRecord,
    Fees,
    Product,
    ResolutionEvent,
    RoleMember,
    SupportCase,
    TermsVersion,
    Token,
)
from .queries import LineView

T = TypeVar("T")

DEADLINES = {  # status -> (which deadline runs, the Terms field that sets it)
    "Paid": ("accept", "accept_window"),
    "Accepted": ("ship", "ship_window"),
    "Shipped": ("delivery", "delivery_window"),
    "Delivered": ("inspection", "inspection_window"),
}


class PublicModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class Page(PublicModel, Generic[T]):
    items: list[T]
    total: int


class CursorPage(Page[T], Generic[T]):
    next_cursor: str | None  # pass as `cursor` for the next page; null on the last one


class ErrorMessage(PublicModel):
    message: str


# ------------------------------------------------------------------ meta


class Health(PublicModel):
    status: str  # "ok" once something is indexed, "syncing" before
    chain_id: int
    indexed_block: int | None
    head_block: int | None
    lag: int | None


class ContractPublic(PublicModel):
    address: str
    abi: list[dict]


class TokenConfig(PublicModel):
    address: str
    name: str
    symbol: str
    decimals: int
    permit: bool
    abi: list[dict]


class ClientConfig(PublicModel):
    chain_id: int
    chain_name: str
    rpc_url: str
    start_block: int
    contracts: dict[str, ContractPublic]
    tokens: dict[str, TokenConfig]


class TermsPublic(PublicModel):
    fee_bps: int
    accept_window: int
    ship_window: int
    delivery_window: int
    inspection_window: int

    @classmethod
    def of(cls, terms: TermsVersion) -> "TermsPublic":
        return cls(**terms.model_dump(exclude={"id", "set_block"}))


class TokenPublic(PublicModel):
    token_id: int
    address: str
    symbol: str
    decimals: int
    allowed: bool

    @classmethod
    def of(cls, token: Token) -> "TokenPublic":
        return cls(token_id=token.id, **token.model_dump(exclude={"id"}))


class FeesPublic(PublicModel):
    token: str
    symbol: str
    decimals: int
    uncollected: str
    collected: str

    @classmethod
    def of(cls, fees: Fees, token: Token) -> "FeesPublic":
        return cls(
            token=fees.token,
            symbol=token.symbol,
            decimals=token.decimals,
            uncollected=str(fees.uncollected),
            collected=str(fees.collected),
        )


class PlatformPublic(PublicModel):
    paused: bool
    treasury: str | None
    terms_id: int | None
    terms: TermsPublic | None
    tokens: list[TokenPublic]
    fees: list[FeesPublic]


# ------------------------------------------------------------------ catalog


class ProductPublic(PublicModel):
    id: int
    seller: str
    token: str
    token_symbol: str
    token_decimals: int
    price: str
    stock: int
    metadata_uri: str
    name: str | None
    category: str | None
    description: str | None
    listed_block: int
    listed_tx: str

    @classmethod
    def of(cls, product: Product, token: Token) -> "ProductPublic":
        return cls(
            **product.model_dump(exclude={"price"}),
            price=str(product.price),
            token_symbol=token.symbol,
            token_decimals=token.decimals,
        )


# ------------------------------------------------------------------ orders


class LinePublic(PublicModel):
    id: int
    order_id: int
    index: int
    product_id: int
    product_name: str | None
    buyer: str
    seller: str
    token: str
    token_symbol: str
    token_decimals: int
    quantity: int
    amount: str
    paid_amount: str
    status: str
    status_at: int
    deadline: int | None
    deadline_kind: str | None
    completable_at: int | None  # after this, anyone may complete the line (Shipped or Delivered)
    terms_id: int
    fee_bps: int
    refund_offer: str
    carrier: str | None
    tracking_ref: str | None
    confirmed_by: str | None  # who confirmed delivery: the buyer, or the LogisticsOracle contract
    placed_at: int
    placed_block: int
    placed_tx: str
    seller_amount: str | None
    fee: str | None

    @classmethod
    def of(cls, view: LineView) -> "LinePublic":
        line, terms = view.line, view.terms
        kind, window = DEADLINES.get(line.status, (None, None))
        return cls(
            **line.model_dump(exclude={"amount", "paid_amount", "refund_offer", "seller_amount", "fee"}),
            product_name=view.product_name,
            token_symbol=view.token.symbol,
            token_decimals=view.token.decimals,
            amount=str(line.amount),
            paid_amount=str(line.paid_amount),
            refund_offer=str(line.refund_offer),
            seller_amount=None if line.seller_amount is None else str(line.seller_amount),
            fee=None if line.fee is None else str(line.fee),
            deadline=line.status_at + getattr(terms, window) if window else None,
            deadline_kind=kind,
            completable_at=_completable_at(line, terms),
            fee_bps=terms.fee_bps,
        )


def _completable_at(line, terms: TermsVersion) -> int | None:
    """As the contract's completeLine: the inspection window after delivery, which for a line
    never confirmed counts from the end of the delivery window."""
    if line.status == "Delivered":
        return line.status_at + terms.inspection_window
    if line.status == "Shipped":
        return line.status_at + terms.delivery_window + terms.inspection_window
    return None


class TimelineEntry(PublicModel):
    event: str
    block: int
    tx: str
    log_index: int
    timestamp: int
    args: dict

    @classmethod
    def of(cls, record: EventRecord, args: dict) -> "TimelineEntry":
        return cls(
            event=record.name,
            block=record.block_number,
            tx=record.tx_hash,
            log_index=record.log_index,
            timestamp=record.block_timestamp,
            args={key: _json_safe(value) for key, value in args.items()},
        )


def _json_safe(value):
    """Event integers as decimal strings, like every amount in this API (JS numbers lose
    precision above 2**53)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return str(value)


class LineDetail(LinePublic):
    timeline: list[TimelineEntry]
    dispute: "DisputePublic | None" = None
    support_refund_allowance: str = "0"  # what support may still refund of it (the seller's authorisation)
    cases: list["CaseSummary"] = []


class OrderPublic(PublicModel):
    id: int
    buyer: str
    token: str
    token_symbol: str
    token_decimals: int
    total: str
    placed_at: int
    placed_block: int
    placed_tx: str
    lines: list[LinePublic]

    @classmethod
    def of(cls, order_id: int, views: list[LineView]) -> "OrderPublic":
        first = views[0]
        return cls(
            id=order_id,
            buyer=first.line.buyer,
            token=first.line.token,
            token_symbol=first.token.symbol,
            token_decimals=first.token.decimals,
            total=str(sum(view.line.paid_amount for view in views)),
            placed_at=first.line.placed_at,
            placed_block=first.line.placed_block,
            placed_tx=first.line.placed_tx,
            lines=[LinePublic.of(view) for view in views],
        )


# ------------------------------------------------------------------ accounts


class BalancePublic(PublicModel):
    token: str
    symbol: str
    decimals: int
    credit: str
    earned: str
    refunded: str
    withdrawn: str

    @classmethod
    def of(cls, balance: Balance, token: Token) -> "BalancePublic":
        return cls(
            token=balance.token,
            symbol=token.symbol,
            decimals=token.decimals,
            credit=str(balance.credit),
            earned=str(balance.earned),
            refunded=str(balance.refunded),
            withdrawn=str(balance.withdrawn),
        )


class AccountPublic(PublicModel):
    address: str
    member_id: int | None
    balances: list[BalancePublic]
    roles: list[str] = []  # arbiter, support, admin, pauser, upgrader, resolver, oracle, attester
    role_grants: list["RoleGrantPublic"] = []


# ------------------------------------------------------------------ statistics


class TokenAmount(PublicModel):
    token: str
    symbol: str
    decimals: int
    amount: str


class DayStats(PublicModel):
    day: str  # YYYY-MM-DD, UTC
    orders: int
    lines: int
    placed: list[TokenAmount]


class StatsPublic(PublicModel):
    orders: int
    lines: int
    lines_by_status: dict[str, int]
    placed: list[TokenAmount]  # paid into escrow (gross merchandise value)
    completed: list[TokenAmount]  # of completed lines, before fees
    daily: list[DayStats]  # oldest first

    @classmethod
    def of(cls, stats, tokens: dict[str, Token]) -> "StatsPublic":
        def amounts(by_token: dict[str, int]) -> list[TokenAmount]:
            return [
                TokenAmount(
                    token=address, symbol=tokens[address].symbol, decimals=tokens[address].decimals, amount=str(value)
                )
                for address, value in sorted(by_token.items())
            ]

        return cls(
            orders=len(stats.orders),
            lines=sum(stats.lines_by_status.values()),
            lines_by_status=stats.lines_by_status,
            placed=amounts(stats.placed),
            completed=amounts(stats.completed),
            daily=[
                DayStats(day=day, orders=len(b["orders"]), lines=b["lines"], placed=amounts(b["placed"]))
                for day, b in sorted(stats.daily.items())
            ],
        )


# ------------------------------------------------------------------ resolution centre: disputes, support, roles


def text_of(uri: str) -> str | None:
    """The text of a ``data:text/plain`` URI (how the dApp posts what people type), else None."""
    header, comma, payload = uri.partition(",")
    if not comma or not header.startswith("data:text/plain"):
        return None
    if not header.endswith(";base64"):
        return unquote(payload)
    try:
        return base64.b64decode(payload, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _amount(value: int | None) -> str | None:
    return None if value is None else str(value)


class DisputePublic(PublicModel):
    """A dispute and the line it holds. Shares are the buyer's, in basis points."""

    line_id: int
    order_id: int
    product_id: int
    product_name: str | None
    buyer: str
    seller: str
    token: str
    token_symbol: str
    token_decimals: int
    paid_amount: str
    escrow: str  # still held (zero once split)
    fee_bps: int  # the line's platform fee on the seller's part
    status: str  # Negotiating, Escalated, Settled, Ruled, Defaulted
    open: bool
    raised_by: str
    raised_by_role: str  # buyer, seller, support
    case_id: int | None
    reason: str
    raised_at: int
    raised_block: int
    raised_tx: str
    settle_by: int
    buyer_offer: int | None
    seller_offer: int | None
    escalated_by: str | None
    escalated_at: int | None
    deadline: int | None  # the running one: escalation allowed after it, or the arbiter's ruling deadline
    deadline_kind: str | None  # settlement | ruling
    rule_by: int | None
    draw_block: int | None  # an arbiter draw is pending, possible from the next block
    round: int
    arbiter: str | None
    arbiter_fee_bps: int | None
    excluded_arbiter: str | None
    buyer_bps: int | None
    reason_hash: str | None
    reason_uri: str | None
    buyer_amount: str | None
    seller_amount: str | None
    fee: str | None
    arbiter_fee: str | None
    resolved_at: int | None
    evidence_count: int
    updated_at: int

    @classmethod
    def of(cls, dispute: Dispute, view: "LineView") -> "DisputePublic":
        line = view.line
        open_ = dispute.status in ("Negotiating", "Escalated")
        kind = {"Negotiating": "settlement", "Escalated": "ruling"}.get(dispute.status)
        return cls(
            **dispute.model_dump(exclude={"buyer_amount", "seller_amount", "fee", "arbiter_fee"}),
            order_id=line.order_id,
            product_id=line.product_id,
            product_name=view.product_name,
            buyer=line.buyer,
            seller=line.seller,
            token=line.token,
            token_symbol=view.token.symbol,
            token_decimals=view.token.decimals,
            paid_amount=str(line.paid_amount),
            escrow=str(line.amount),
            fee_bps=view.terms.fee_bps,
            open=open_,
            deadline=dispute.settle_by if kind == "settlement" else dispute.rule_by if kind else None,
            deadline_kind=kind,
            buyer_amount=_amount(dispute.buyer_amount),
            seller_amount=_amount(dispute.seller_amount),
            fee=_amount(dispute.fee),
            arbiter_fee=_amount(dispute.arbiter_fee),
        )


class ResolutionTimelineEntry(TimelineEntry):
    actor: str | None
    case_id: int | None

    @classmethod
    def of(cls, record: ResolutionEvent, args: dict) -> "ResolutionTimelineEntry":
        entry = TimelineEntry.of(record, args)
        return cls(**entry.model_dump(), actor=record.actor, case_id=record.case_id)


class PostedPublic(PublicModel):
    """Something posted on chain as a URI and the hash of its content: evidence, a support message."""

    uri: str
    text: str | None  # the text itself, when the URI carries it (data:text/plain)
    content_hash: str
    timestamp: int
    block: int
    tx: str


class EvidencePublic(PostedPublic):
    by: str
    by_role: str  # buyer, seller, arbiter, support


class DisputeDetail(DisputePublic):
    timeline: list[ResolutionTimelineEntry]  # every resolution-centre event of the line, support cases too
    evidence: list[EvidencePublic]


class ArbiterPublic(PublicModel):
    address: str
    fee_bps: int
    active: bool
    registered_block: int
    registered_at: int
    open_disputes: int  # assigned, not ruled yet
    ruled: int

    @classmethod
    def of(cls, arbiter: Arbiter, open_disputes: int, ruled: int) -> "ArbiterPublic":
        return cls(**arbiter.model_dump(), open_disputes=open_disputes, ruled=ruled)


class CaseSummary(PublicModel):
    id: int
    status: str  # Open, Closed, Escalated


class CasePublic(PublicModel):
    id: int
    line_id: int
    order_id: int
    product_name: str | None
    buyer: str
    seller: str
    token: str
    token_symbol: str
    token_decimals: int
    line_status: str
    escrow: str
    refund_allowance: str  # what support may refund of the line now
    status: str  # Open, Closed, Escalated
    opened_at: int
    opened_block: int
    opened_tx: str
    closed_by: str | None
    escalated_by: str | None
    refunded: str
    message_count: int
    updated_at: int

    @classmethod
    def of(cls, case: SupportCase, view: "LineView", allowance: int) -> "CasePublic":
        line = view.line
        return cls(
            **case.model_dump(exclude={"refunded"}),
            order_id=line.order_id,
            product_name=view.product_name,
            seller=line.seller,
            token=line.token,
            token_symbol=view.token.symbol,
            token_decimals=view.token.decimals,
            line_status=line.status,
            escrow=str(line.amount),
            refund_allowance=str(allowance),
            refunded=str(case.refunded),
        )


class CaseMessagePublic(PostedPublic):
    author: str
    author_role: str  # buyer or support

    @classmethod
    def of(cls, message: CaseMessage, buyer: str) -> "CaseMessagePublic":
        return cls(
            author=message.author,
            author_role="buyer" if message.author == buyer else "support",
            uri=message.uri,
            text=text_of(message.uri),
            content_hash=message.content_hash,
            timestamp=message.block_timestamp,
            block=message.block_number,
            tx=message.tx_hash,
        )


class CaseDetail(CasePublic):
    messages: list[CaseMessagePublic]  # the opening message first
    timeline: list[ResolutionTimelineEntry]


class RoleGrantPublic(PublicModel):
    contract: str
    role: str  # its name, e.g. SUPPORT_ROLE (the hash if unknown)
    role_hash: str

    @classmethod
    def of(cls, member: RoleMember) -> "RoleGrantPublic":
        return cls(contract=member.contract, role=member.role_name, role_hash=member.role)


LineDetail.model_rebuild()
AccountPublic.model_rebuild()
