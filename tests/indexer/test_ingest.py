"""Ingest → store against a real anvil and a real SQLite database."""

import pytest
from sqlmodel import select

from indexer import store as queries
from indexer.events import Checkpoint
from indexer.models import EventRecord, Order, Product

PRICE = 10**16


def _snapshot(store):
    """Everything the indexer derived, as plain values."""
    with store.session() as session:
        products = [p.model_dump() for p in session.exec(select(Product).order_by(Product.id))]
        orders = [o.model_dump() for o in session.exec(select(Order).order_by(Order.id))]
        events = [(e.tx_hash, e.log_index, e.name) for e in session.exec(select(EventRecord))]
        accounts = {
            address: queries.get_account(session=session, address=address).model_dump()
            for address in {o["seller"] for o in orders}
        }
    return products, orders, sorted(events), accounts


def _trade(marketplace, list_product, place_order, alice, carol):
    product_id = list_product(price=PRICE, stock=5, metadata='data:application/json,{"name":"Mug","category":"Home"}')
    order_id = place_order(product_id, quantity=2, buyer=carol)
    marketplace.confirmDelivery(order_id, sender=carol)
    marketplace.withdraw(sender=alice)
    return product_id, order_id


def test_sync__projects_the_whole_flow(ingestor, store, marketplace, list_product, place_order, alice, carol, chain):
    product_id, order_id = _trade(marketplace, list_product, place_order, alice, carol)
    list_product(seller=alice, price=3 * PRICE, stock=1)  # a second product, never bought

    applied = ingestor.sync_once()

    assert applied >= 5  # listed ×2, placed, completed, withdrawn (+ deployment events)
    with store.session() as session:
        mug = queries.get_product(session=session, product_id=product_id)
        assert (mug.name, mug.category, mug.price, mug.stock, mug.seller) == ("Mug", "Home", PRICE, 3, alice.address)
        ((order, name),) = queries.list_orders(session=session, buyer=carol.address, seller=None, limit=10, offset=0)[0]
        assert (order.id, order.status, order.amount, order.quantity, name) == (
            order_id,
            "Completed",
            2 * PRICE,
            2,
            "Mug",
        )
        assert order.completed_tx is not None
        account = queries.get_account(session=session, address=alice.address)
        assert (account.credit, account.earned, account.withdrawn) == (0, 2 * PRICE, 2 * PRICE)
        state = queries.get_sync_state(session=session)
        assert state.block_number == chain.blocks.height == state.head_block
        assert state.block_hash == "0x" + bytes(chain.blocks.head.hash).hex()


def test_sync__resumes_from_checkpoint(ingestor, store, marketplace, list_product, place_order, carol):
    product_id = list_product(stock=5)
    ingestor.sync_once()
    place_order(product_id, buyer=carol)

    assert ingestor.sync_once() == 1  # only the new OrderPlaced
    with store.session() as session:
        assert queries.get_product(session=session, product_id=product_id).stock == 4


def test_sync__nothing_new__applies_nothing(ingestor, list_product):
    list_product()
    ingestor.sync_once()
    assert ingestor.sync_once() == 0


def test_apply__same_range_twice__is_idempotent(ingestor, store, marketplace, list_product, place_order, alice, carol):
    _trade(marketplace, list_product, place_order, alice, carol)
    ingestor.sync_once()
    before = _snapshot(store)
    checkpoint = store.checkpoint()

    # Re-deliver every range from the start, as a restarted ingestor with a stale checkpoint would.
    events = ingestor._fetch(ingestor._deployment.start_block, checkpoint.block_number)
    store.apply(events, checkpoint)

    assert _snapshot(store) == before


def test_apply__failure_mid_batch__writes_nothing(
    ingestor, store, marketplace, list_product, place_order, alice, carol
):
    product_id = list_product(stock=5)
    ingestor.sync_once()
    before, checkpoint_before = _snapshot(store), store.checkpoint()
    order_id = place_order(product_id, buyer=carol)
    marketplace.confirmDelivery(order_id, sender=carol)
    events = ingestor._fetch(checkpoint_before.block_number + 1, ingestor._w3.eth.block_number)
    assert [e.name for e in events] == ["OrderPlaced", "OrderCompleted"]

    # Break the second event so that its projection fails after the first one was applied.
    broken = events[1].__class__(**{**events[1].__dict__, "args": {**events[1].args, "orderId": 999}})
    with pytest.raises(AttributeError):
        store.apply([events[0], broken], Checkpoint(block_number=10**6, block_hash="0xbad"))

    assert _snapshot(store) == before
    assert store.checkpoint() == checkpoint_before


def test_store__refuses_a_database_of_another_chain(tmp_path, mall_deployment):
    url = f"sqlite:///{tmp_path / 'other.db'}"
    queries.Store(url, chain_id=1)
    with pytest.raises(RuntimeError, match="holds chain 1"):
        queries.Store(url, chain_id=mall_deployment.chain_id)
