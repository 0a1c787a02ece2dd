"""Reads for the API. Part of the store: knows SQL (no string-built SQL), not RPC."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from .models import Balance, EventRecord, Fees, Line, Member, Platform, Product, SyncState, TermsVersion, Token


@dataclass(frozen=True)
class LineView:
    line: Line
    product_name: str | None
    token: Token
    terms: TermsVersion


def get_sync_state(*, session: Session) -> SyncState | None:
    return session.get(SyncState, 1)


def tokens_by_address(*, session: Session) -> dict[str, Token]:
    return {token.address: token for token in session.exec(select(Token))}


def list_products(
    *, session: Session, seller: str | None, token: str | None, limit: int, offset: int
) -> tuple[list[Product], int]:
    query = select(Product)
    if seller:
        query = query.where(Product.seller == seller)
    if token:
        query = query.where(Product.token == token)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    return list(session.exec(query.order_by(Product.id).offset(offset).limit(limit))), total


def get_product(*, session: Session, product_id: int) -> Product | None:
    return session.get(Product, product_id)


def _line_views(session: Session, lines: list[Line]) -> list[LineView]:
    tokens = tokens_by_address(session=session)
    terms = {t.id: t for t in session.exec(select(TermsVersion))}
    product_ids = {line.product_id for line in lines}
    names = {
        pid: name for pid, name in session.exec(select(Product.id, Product.name).where(Product.id.in_(product_ids)))
    }
    return [LineView(line, names.get(line.product_id), tokens[line.token], terms[line.terms_id]) for line in lines]


def list_lines(
    *, session: Session, buyer: str | None, seller: str | None, status: str | None, limit: int, offset: int
) -> tuple[list[LineView], int]:
    query = select(Line)
    if buyer:
        query = query.where(Line.buyer == buyer)
    if seller:
        query = query.where(Line.seller == seller)
    if status:
        query = query.where(Line.status == status)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    lines = list(session.exec(query.order_by(Line.id.desc()).offset(offset).limit(limit)))
    return _line_views(session, lines), total


def get_line(*, session: Session, line_id: int) -> LineView | None:
    line = session.get(Line, line_id)
    return _line_views(session, [line])[0] if line else None


def line_timeline(*, session: Session, line_id: int) -> list[EventRecord]:
    query = select(EventRecord).where(EventRecord.line_id == line_id)
    return list(session.exec(query.order_by(EventRecord.block_number, EventRecord.log_index)))


def list_orders(
    *, session: Session, buyer: str | None, seller: str | None, limit: int, offset: int
) -> tuple[list[tuple[int, list[LineView]]], int]:
    """Orders (newest first) with their lines; with ``seller``, only that seller's lines."""
    query = select(Line.order_id).distinct()
    if buyer:
        query = query.where(Line.buyer == buyer)
    if seller:
        query = query.where(Line.seller == seller)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    order_ids = list(session.exec(query.order_by(Line.order_id.desc()).offset(offset).limit(limit)))
    lines_query = select(Line).where(Line.order_id.in_(order_ids))
    if seller:
        lines_query = lines_query.where(Line.seller == seller)
    views = _line_views(session, list(session.exec(lines_query.order_by(Line.id))))
    by_order: dict[int, list[LineView]] = {order_id: [] for order_id in order_ids}
    for view in views:
        by_order[view.line.order_id].append(view)
    return list(by_order.items()), total


def get_account(*, session: Session, address: str) -> tuple[int | None, list[tuple[Balance, Token]]]:
    member = session.exec(select(Member).where(Member.address == address)).first()
    rows = session.exec(
        select(Balance, Token).join(Token, Token.address == Balance.token).where(Balance.account == address)
    ).all()
    return (member.id if member else None), [(balance, token) for balance, token in rows]


def get_platform(*, session: Session) -> tuple[Platform, TermsVersion | None, list[Token], list[tuple[Fees, Token]]]:
    platform = session.get(Platform, 1) or Platform()
    terms = session.get(TermsVersion, platform.terms_id) if platform.terms_id else None
    tokens = list(session.exec(select(Token).order_by(Token.id)))
    fees = session.exec(select(Fees, Token).join(Token, Token.address == Fees.token)).all()
    return platform, terms, tokens, [(f, t) for f, t in fees]
