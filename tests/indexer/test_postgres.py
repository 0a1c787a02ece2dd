"""The schema as migrations make it, on SQLite and PostgreSQL: equal to the models, and a
database from before migrations upgrades in place, without a re-sync."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, insert, inspect, text
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from indexer import migrations
from indexer.models import Product, Token
from indexer.store import Store, make_engine
from scripts._constants import LineStatus as Status

BIG = 2**200 + 7  # a uint256 amount far beyond any native integer column


def _not_search_index(obj, name, type_, _reflected, _compare_to) -> bool:
    """The catalog's text index is the database's own (SQLite FTS5 tables, PostgreSQL trigram
    indexes: migration 0003_catalog_search), with no model to compare it to."""
    return not (name or "").startswith(("products_search", "ix_products_search_"))


def test_migrations__produce_exactly_the_models(database_url):
    engine = make_engine(database_url)
    migrations.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _not_search_index})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_store__refuses_a_database_of_another_chain(database_url, mall_deployment):
    Store(database_url, chain_id=1).close()
    with pytest.raises(RuntimeError, match="holds chain 1"):
        Store(database_url, chain_id=mall_deployment.chain_id)


def test_wei__exact_and_ordered(store):
    with store.session() as session:
        session.add(Token(id=9, address="0x" + "11" * 20, symbol="BIG", decimals=18))
        for product_id, price in ((1, BIG), (2, 10**18), (3, BIG - 1)):
            session.add(
                Product(
                    id=product_id,
                    seller="0x" + "22" * 20,
                    token="0x" + "11" * 20,
                    price=price,
                    stock=2**32 - 1,
                    metadata_uri="",
                    listed_block=1,
                    listed_tx="0x",
                )
            )
        session.commit()
        ordered = session.exec(select(Product.id, Product.price).order_by(Product.price)).all()
        expensive = session.exec(select(Product.id).where(Product.price > 10**18)).all()
    assert ordered == [(2, 10**18), (3, BIG - 1), (1, BIG)]
    assert sorted(expensive) == [1, 3]


def test_upgrade__database_from_before_migrations__keeps_its_data(
    database_url_factory, make_store, make_ingestor, mall_deployment, line_in, list_product, dump, chain, buy
):
    """Index into a current store, copy its rows into a create_all-era (0001) database, then
    open that with the current code: stamped, upgraded, same rows; a reorg afterwards replays
    with the product names and token symbols the upgrade recovered."""
    current = make_store()
    line_in(Status.COMPLETED)
    product = list_product(stock=5, metadata='data:application/json,{"name":"Kettle","category":"Home"}')
    make_ingestor(current).sync_once()

    legacy_url = database_url_factory()
    legacy = make_engine(legacy_url)
    migrations.upgrade(legacy, "0001")
    with legacy.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        _copy_rows(current.engine, connection)
    legacy.dispose()

    upgraded = Store(legacy_url, chain_id=mall_deployment.chain_id)
    try:
        assert _without_extra(dump(upgraded)) == _without_extra(dump(current))
        assert inspect(upgraded.engine).has_table("blocks")
        fork_point = chain.snapshot()
        buy([(product, 1)])
        ingestor = make_ingestor(upgraded)
        ingestor.sync_once()
        chain.restore(fork_point)
        chain.mine(3)
        ingestor.sync_once()  # rewinds: every table re-derived from the events
        make_ingestor(current).sync_once()
        assert _without_extra(dump(upgraded)) == _without_extra(dump(current))
        with upgraded.session() as session:
            assert session.get(Product, product).name == "Kettle"
    finally:
        upgraded.close()


def _without_extra(tables):
    """extra_json is recovered from the tables, not byte-equal to what ingest wrote."""
    position = [column.name for column in SQLModel.metadata.tables["events"].columns].index("extra_json")
    return {**tables, "events": [row[:position] + row[position + 1 :] for row in tables["events"]]}


def _copy_rows(source_engine, target_connection) -> None:
    target = MetaData()
    target.reflect(target_connection)
    source = MetaData()
    source.reflect(source_engine)
    with source_engine.connect() as reader:
        for name, table in target.tables.items():
            columns = [column.name for column in table.columns]
            rows = [
                dict(row._mapping) for row in reader.execute(sa_select(*(source.tables[name].c[c] for c in columns)))
            ]
            target_connection.execute(table.delete())
            if rows:
                target_connection.execute(insert(table), rows)
