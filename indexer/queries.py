"""Reads for the API. Part of the store: knows SQL (no string-built SQL), not RPC."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, column, func, literal_column, or_, table
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


# ------------------------------------------------------------------ catalog search


@dataclass(frozen=True)
class ProductSearch:
    """What a buyer can ask of the catalog. ``cursor`` is (sort value, id) of the last item seen."""

    text: str | None = None
    category: str | None = None
    seller: str | None = None
    token: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    sort: str = "newest"  # newest | oldest | price_asc | price_desc
    after: tuple[int, int] | None = None  # (price, id) of the previous page's last item


SORTS = {
    "newest": (Product.id.desc(),),
    "oldest": (Product.id.asc(),),
    "price_asc": (Product.price.asc(), Product.id.asc()),
    "price_desc": (Product.price.desc(), Product.id.desc()),
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_products(
    *, session: Session, search: ProductSearch, limit: int, offset: int = 0
) -> tuple[list[Product], int]:
    """Filtered, sorted products after the cursor, and how many match in all."""
    query = select(Product)
    if search.text:
        candidates = _text_candidates(session, search.text)
        if candidates is not None:
            query = query.where(Product.id.in_(candidates))
        pattern = f"%{_escape_like(search.text)}%"
        query = query.where(
            or_(
                Product.name.ilike(pattern, escape="\\"),
                Product.description.ilike(pattern, escape="\\"),
                Product.category.ilike(pattern, escape="\\"),
            )
        )
    if search.category:
        query = query.where(Product.category == search.category)
    if search.seller:
        query = query.where(Product.seller == search.seller)
    if search.token:
        query = query.where(Product.token == search.token)
    if search.min_price is not None:
        query = query.where(Product.price >= search.min_price)
    if search.max_price is not None:
        query = query.where(Product.price <= search.max_price)
    if search.in_stock:
        query = query.where(Product.stock > 0)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    if search.after is not None:
        price, last_id = search.after
        query = query.where(_after(search.sort, price, last_id))
    else:
        query = query.offset(offset)
    return list(session.exec(query.order_by(*SORTS[search.sort]).limit(limit))), total


# SQLite's trigram index of products' text (migration 0003_catalog_search); its rowid is products.id.
_PRODUCTS_SEARCH = table("products_search", column("rowid"))


def _text_candidates(session: Session, text: str):
    """On SQLite, the ids whose name, description or category contain ``text`` (case-folded), from
    the trigram index: a superset of the ILIKE matches that the query then checks. None where
    there is no such index (PostgreSQL's trigram indexes serve ILIKE directly) or the text is too
    short for trigrams."""
    if len(text) < 3 or session.get_bind().dialect.name != "sqlite":
        return None
    phrase = '"' + text.replace('"', '""') + '"'  # one FTS5 phrase: the text as it is, no operators
    return select(_PRODUCTS_SEARCH.c.rowid).where(literal_column("products_search").op("MATCH")(phrase))


def _after(sort: str, price: int, last_id: int):
    if sort == "newest":
        return Product.id < last_id
    if sort == "oldest":
        return Product.id > last_id
    if sort == "price_asc":
        return or_(Product.price > price, and_(Product.price == price, Product.id > last_id))
    return or_(Product.price < price, and_(Product.price == price, Product.id < last_id))


# ------------------------------------------------------------------ statistics


@dataclass
class Stats:
    """Orders and money through the mall (or one seller), in all and per UTC day."""

    orders: set[int]
    lines_by_status: dict[str, int]
    placed: dict[str, int]  # token -> amount paid into escrow
    completed: dict[str, int]  # token -> amount of completed lines (before fees)
    daily: dict[str, dict]  # "YYYY-MM-DD" -> {"orders": set, "lines": n, "placed": {token: amount}}


def order_stats(*, session: Session, seller: str | None = None) -> Stats:
    query = select(
        Line.order_id, Line.status, Line.token, Line.paid_amount, Line.placed_at, Line.seller_amount, Line.fee
    )
    if seller:
        query = query.where(Line.seller == seller)
    stats = Stats(orders=set(), lines_by_status={}, placed={}, completed={}, daily={})
    for order_id, status, token, paid, placed_at, seller_amount, fee in session.exec(query):
        stats.orders.add(order_id)
        stats.lines_by_status[status] = stats.lines_by_status.get(status, 0) + 1
        stats.placed[token] = stats.placed.get(token, 0) + paid
        if status == "Completed":
            stats.completed[token] = stats.completed.get(token, 0) + (seller_amount or 0) + (fee or 0)
        day = datetime.fromtimestamp(placed_at, UTC).date().isoformat()
        bucket = stats.daily.setdefault(day, {"orders": set(), "lines": 0, "placed": {}})
        bucket["orders"].add(order_id)
        bucket["lines"] += 1
        bucket["placed"][token] = bucket["placed"].get(token, 0) + paid
    return stats
