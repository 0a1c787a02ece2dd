"""Alembic environment: migrations run on the connection ``indexer.migrations.upgrade`` passes
(or, from the alembic CLI, on ``sqlalchemy.url``)."""

from alembic import context
from sqlalchemy import create_engine

connection = context.config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(context.config.get_main_option("sqlalchemy.url")).begin() as own_connection:
        context.configure(connection=own_connection, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
