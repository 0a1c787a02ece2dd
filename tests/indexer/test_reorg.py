"""Reorgs on a real anvil: ``chain.restore`` drops blocks the indexer has seen and new blocks
replace them. The database must end up equal to a fresh index of the new chain."""

from sqlmodel import select

from indexer.models import Block, EventRecord, Line, Product
from scripts._constants import LineStatus as Status

PRICE = 10**16


def _tx_hashes(store):
    with store.session() as session:
        return {record.tx_hash for record in session.exec(select(EventRecord))}


def test_reorg__longer_chain__orphans_replaced(
    chain, store, ingestor, list_product, buy, line_in, marketplace, bob, dave, dump, reference_dump
):
    shared = list_product(stock=50)
    ingestor.sync_once()
    before_fork = _tx_hashes(store)
    fork_point = chain.snapshot()
    line_in(Status.COMPLETED)  # listing, purchase, accept, ship, deliver, complete
    buy([(shared, 3)])
    ingestor.sync_once()
    orphaned = _tx_hashes(store) - before_fork
    orphan_head = chain.blocks.head.number
    with store.session() as session:
        assert session.get(Product, shared).stock == 47

    chain.restore(fork_point)
    line_in(Status.CANCELLED, price=3 * PRICE)  # same product and line ids, other contents
    buy([(shared, 5)], buyer=dave)
    marketplace.listProduct("0x" + "00" * 20, PRICE, 1, "ipfs://new", sender=bob)
    chain.mine(5)
    assert chain.blocks.head.number > orphan_head
    ingestor.sync_once()

    assert dump(store) == reference_dump()
    assert orphaned and not orphaned & _tx_hashes(store)
    with store.session() as session:
        assert session.get(Product, shared).stock == marketplace.getProduct(shared).stock == 45
        assert {line.status for line in session.exec(select(Line))} == {"Cancelled", "Paid"}
    checkpoint = store.checkpoint()
    assert checkpoint.block_hash == "0x" + bytes(chain.blocks.head.hash).hex()


def test_reorg__same_height__detected_by_hash(chain, store, ingestor, list_product, buy, dump, reference_dump):
    product = list_product(stock=9)
    ingestor.sync_once()
    fork_point = chain.snapshot()
    buy([(product, 2)])
    ingestor.sync_once()
    height = chain.blocks.head.number

    chain.restore(fork_point)
    buy([(product, 7)])  # as many blocks as the orphaned branch
    assert chain.blocks.head.number == height
    ingestor.sync_once()

    assert dump(store) == reference_dump()
    with store.session() as session:
        assert session.get(Product, product).stock == 2


def test_reorg__shorter_chain__rolls_back_to_the_ancestor(
    chain, store, ingestor, list_product, buy, dump, reference_dump
):
    product = list_product(stock=4)
    ingestor.sync_once()
    fork_point = chain.snapshot()
    ancestor = store.checkpoint()
    buy([(product, 1)])
    chain.mine(3)
    ingestor.sync_once()

    chain.restore(fork_point)
    assert ingestor.sync_once() == 0

    assert store.checkpoint() == ancestor
    assert dump(store) == reference_dump()
    with store.session() as session:
        assert session.exec(select(Line)).all() == []
        assert session.get(Product, product).stock == 4


def test_reorg__deeper_than_remembered__reindexes_from_the_deployment(
    chain, make_store, make_ingestor, list_product, buy, dump, reference_dump
):
    store = make_store(reorg_depth=2)
    ingestor = make_ingestor(store, max_block_range=1)
    product = list_product(stock=8)
    fork_point = chain.snapshot()
    buy([(product, 1)])
    chain.mine(6)
    ingestor.sync_once()
    with store.session() as session:
        remembered = [block.number for block in session.exec(select(Block))]
    assert len(remembered) <= 3  # the checkpoint and the last reorg_depth blocks

    chain.restore(fork_point)
    buy([(product, 2)])
    chain.mine(8)
    ingestor.sync_once()

    assert dump(store) == reference_dump()
    with store.session() as session:
        assert session.get(Product, product).stock == 6


def test_confirmations__only_blocks_that_deep_are_indexed(make_store, make_ingestor, chain, list_product):
    store = make_store()
    ingestor = make_ingestor(store, confirmations=2)
    product = list_product()
    chain.mine(1)
    ingestor.sync_once()
    with store.session() as session:
        assert session.get(Product, product) is None  # its block is 1 deep
    assert store.checkpoint().block_number == chain.blocks.head.number - 2

    chain.mine(1)
    ingestor.sync_once()
    with store.session() as session:
        assert session.get(Product, product) is not None
