"""A small mall's worth of events (tokens, terms, listings, orders in several states) applied
to a real store: what the API tests and the schemathesis run query."""

from dataclasses import replace

from indexer.deployment import ContractRecord, Deployment, TokenRecord
from indexer.events import ChainEvent, Checkpoint
from indexer.store import Store
from scripts._constants import ETH

SELLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BUYER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
OTHER_BUYER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"
USDC = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
PRICE = 10**16
BIG_PRICE = 2**96 - 1  # beyond 64-bit integers: must survive SQLite exactly
DAY = 86_400
ABI = [{"type": "event", "name": "ProductListed", "inputs": [], "anonymous": False}]
T0 = 1_700_000_000


def _event(name, block, log_index=0, extra=None, **args):
    return ChainEvent(
        contract="Marketplace",
        name=name,
        args=args,
        block_number=block,
        block_hash=f"0x{block:064x}",
        block_timestamp=T0 + block,
        tx_hash=f"0x{block:062x}{log_index:02x}",
        log_index=log_index,
        extra=extra or {},
    )


def _listed(block, product_id, token, price, stock):
    extra = {"name": f"Product {product_id}", "category": "Home"}
    return _event(
        "ProductListed", block, productId=product_id, sellerId=1, token=token, price=price, stock=stock,
        metadataURI=f"ipfs://{product_id}", extra=extra,
    )  # fmt: skip


def _placed(block, line_id, product_id, buyer, quantity, amount):
    return _event(
        "LinePlaced", block, lineId=line_id, buyer=buyer, sellerId=1, productId=product_id, quantity=quantity,
        amount=amount, termsId=1,
    )  # fmt: skip


def populated_store(path) -> tuple[Store, Deployment]:
    """A SQLite store at ``path`` with the mall's events applied, and its deployment record."""
    deployment = Deployment(
        chain_id=31337,
        start_block=1,
        contracts={"Marketplace": ContractRecord("Marketplace", "0x" + "ab" * 20, ABI)},
        tokens={"mUSD": TokenRecord(USDC, "Mall Demo Dollar", "mUSD", 6, True, ABI)},
    )
    store = Store(f"sqlite:///{path}", chain_id=31337)
    terms = [250, 3 * DAY, 5 * DAY, 14 * DAY, 3 * DAY]
    events = [
        _event("TreasurySet", 1, treasury=SELLER),
        _event("TermsSet", 1, 1, termsId=1, terms=terms),
        _event("PaymentTokenSet", 1, 2, token=USDC, tokenId=1, allowed=True, extra={"symbol": "mUSD", "decimals": 6}),
        _event("MemberRegistered", 2, memberId=1, account=SELLER),
        _listed(2, 1, ETH, PRICE, 5),
        _listed(3, 2, ETH, BIG_PRICE, 1),
        _listed(3, 3, USDC, 25 * 10**6, 10),
        _event("MemberRegistered", 4, memberId=2, account=BUYER),
        _placed(4, 256, 1, BUYER, 2, 2 * PRICE),  # order 1: two lines
        _placed(4, 257, 3, BUYER, 1, 25 * 10**6),
        _event("MemberRegistered", 5, memberId=3, account=OTHER_BUYER),
        _placed(5, 512, 1, OTHER_BUYER, 1, PRICE),  # order 2
        _event("LineAccepted", 6, lineId=256),
        _event("LineShipped", 7, lineId=256, carrier="DHL", trackingRef="JD1", trackingHash="0x" + "11" * 32),
        _event("LineDelivered", 8, lineId=256, confirmedBy=BUYER),
        _event("LineCompleted", 9, lineId=256, sellerAmount=2 * PRICE * 975 // 1000, fee=2 * PRICE * 25 // 1000),
        _event("LineCancelled", 9, 1, lineId=257, refund=25 * 10**6),
        _event("Withdrawn", 10, account=SELLER, token=ETH, amount=PRICE),
    ]
    # Unique (tx, log index) per event, as on chain: the store skips keys it has seen.
    events = [replace(e, log_index=i, tx_hash=f"0x{i:064x}") for i, e in enumerate(events)]
    store.apply(events, Checkpoint(block_number=10, block_hash="0x" + "0a" * 32))
    store.record_head(12)
    return store, deployment
