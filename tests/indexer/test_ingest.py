"""Ingest → store against a real anvil and a real SQLite database: the tables must equal what
the contract says, for every lifecycle path."""

import pytest
from sqlmodel import select

from indexer import queries
from indexer.events import Checkpoint
from indexer.models import Balance, EventRecord, Fees, Line, Product
from indexer.projections import ProjectionError
from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status

PRICE = 10**16
STATUS_NAMES = ["None", "Paid", "Accepted", "Shipped", "Delivered", "Completed", "Cancelled", "Rejected", "Expired",
                "Refunded"]  # fmt: skip


def _snapshot(store):
    """Everything the indexer derived, as plain values."""
    with store.session() as session:
        return {
            "products": [p.model_dump() for p in session.exec(select(Product).order_by(Product.id))],
            "lines": [line.model_dump() for line in session.exec(select(Line).order_by(Line.id))],
            "balances": sorted(str(b.model_dump()) for b in session.exec(select(Balance))),
            "fees": sorted(str(f.model_dump()) for f in session.exec(select(Fees))),
            "events": sorted((e.tx_hash, e.log_index, e.name) for e in session.exec(select(EventRecord))),
        }


def _assert_matches_chain(store, marketplace, line_ids, accounts, tokens):
    """The indexer's lines, stock, credits and fees equal the contract's."""
    with store.session() as session:
        for line_id in line_ids:
            on_chain = marketplace.getLine(line_id)
            indexed = session.get(Line, line_id)
            assert indexed.status == STATUS_NAMES[on_chain.status], line_id
            terminal = on_chain.status >= Status.COMPLETED
            assert indexed.amount == (0 if terminal and on_chain.status != Status.REFUNDED else on_chain.amount)
            assert session.get(Product, indexed.product_id).stock == marketplace.getProduct(indexed.product_id).stock
        for token in tokens:
            address = str(token) if token == ETH else token.address
            for account in accounts:
                balance = session.get(Balance, (account.address, address))
                assert (balance.credit if balance else 0) == marketplace.creditOf(account, address)
            fees = session.get(Fees, address)
            assert (fees.uncollected if fees else 0) == marketplace.feesOf(address)


def test_sync__every_lifecycle_path_matches_the_chain(
    ingestor, store, marketplace, line_in, usd, list_product, buy, alice, bob, carol, treasury
):
    line_ids = [line_in(status) for status in range(Status.PAID, Status.REFUNDED + 1)]
    line_ids.append(line_in(Status.COMPLETED, price=25 * USD, token=usd))
    coffee = list_product(price=7 * USD, token=usd, seller=bob)
    line_ids += buy([(coffee, 2)], token=usd)
    marketplace.withdraw(ETH, sender=alice)
    marketplace.collectFees(ETH, sender=carol)

    ingestor.sync_once()

    _assert_matches_chain(store, marketplace, line_ids, [alice, bob, carol], [ETH, usd])
    with store.session() as session:
        state = queries.get_sync_state(session=session)
        assert state.block_number == state.head_block
        fees = session.get(Fees, ETH)
        assert fees.collected > 0 and fees.uncollected == 0
        alice_eth = session.get(Balance, (alice.address, ETH))
        assert alice_eth.withdrawn == alice_eth.earned > 0
        shipped = session.get(Line, line_ids[Status.SHIPPED - 1])
        assert (shipped.carrier, shipped.tracking_ref) == ("DHL", "JD014600006281")
        tokens = queries.tokens_by_address(session=session)
        assert (tokens[usd.address].symbol, tokens[usd.address].decimals) == ("mUSD", 6)


def test_sync__partial_refund_then_completion(ingestor, store, marketplace, line_in, alice, carol):
    line_id = line_in(Status.DELIVERED, price=PRICE)
    marketplace.offerRefund(line_id, PRICE // 4, sender=alice)
    ingestor.sync_once()
    with store.session() as session:
        assert session.get(Line, line_id).refund_offer == PRICE // 4

    marketplace.acceptRefund(line_id, PRICE // 4, sender=carol)
    marketplace.completeLine(line_id, sender=carol)
    ingestor.sync_once()

    _assert_matches_chain(store, marketplace, [line_id], [alice, carol], [ETH])
    with store.session() as session:
        line = session.get(Line, line_id)
        assert (line.status, line.paid_amount, line.refund_offer) == ("Completed", PRICE, 0)
        assert line.seller_amount + line.fee == PRICE - PRICE // 4


def test_sync__resumes_from_checkpoint(ingestor, store, list_product, buy):
    product_id = list_product(stock=5)
    ingestor.sync_once()
    buy([(product_id, 1)])

    assert ingestor.sync_once() == 2  # MemberRegistered (the buyer's first purchase) + LinePlaced
    with store.session() as session:
        assert queries.get_product(session=session, product_id=product_id).stock == 4


def test_sync__nothing_new__applies_nothing(ingestor, list_product):
    list_product()
    ingestor.sync_once()
    assert ingestor.sync_once() == 0


def test_apply__same_range_twice__is_idempotent(ingestor, store, line_in):
    line_in(Status.COMPLETED)
    line_in(Status.EXPIRED)
    ingestor.sync_once()
    before = _snapshot(store)
    checkpoint = store.checkpoint()

    # Re-deliver every range from the start, as a restarted ingestor with a stale checkpoint would.
    events = ingestor._fetch(ingestor._deployment.start_block, checkpoint.block_number)
    store.apply(events, checkpoint)

    assert _snapshot(store) == before


def test_apply__failure_mid_batch__writes_nothing(ingestor, store, marketplace, list_product, buy, carol):
    product_id = list_product(stock=5)
    buy([(product_id, 1)])  # carol is a member from now on
    ingestor.sync_once()
    before, checkpoint_before = _snapshot(store), store.checkpoint()
    (line_id,) = buy([(product_id, 1)])
    marketplace.cancelLine(line_id, sender=carol)
    events = ingestor._fetch(checkpoint_before.block_number + 1, ingestor._w3.eth.block_number)
    assert [e.name for e in events] == ["LinePlaced", "LineCancelled"]

    # Break the second event so that its projection fails after the first one was applied.
    broken = events[1].__class__(**{**events[1].__dict__, "args": {**events[1].args, "lineId": 999}})
    with pytest.raises(ProjectionError, match="unknown Line 999"):
        store.apply([events[0], broken], Checkpoint(block_number=10**6, block_hash="0xbad"))

    assert _snapshot(store) == before
    assert store.checkpoint() == checkpoint_before


def test_store__refuses_a_database_of_another_chain(tmp_path, mall_deployment):
    url = f"sqlite:///{tmp_path / 'other.db'}"
    queries_store = __import__("indexer.store", fromlist=["Store"]).Store
    queries_store(url, chain_id=1)
    with pytest.raises(RuntimeError, match="holds chain 1"):
        queries_store(url, chain_id=mall_deployment.chain_id)
