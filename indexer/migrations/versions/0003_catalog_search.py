"""Catalog search: an index for category + price (sorted, filtered, counted from the index), and
a substring index for the text search (``q``), so that neither scans the catalog.

- SQLite: ``products_search``, an FTS5 trigram table over products' name, description and
  category, kept equal to ``products`` by triggers (``queries`` asks it first, then checks the
  candidates with the same ILIKE as before). A later ``batch_alter_table("products")`` copies
  the table and loses the triggers: call ``create_search_triggers()`` after it.
- PostgreSQL: trigram GIN indexes (``pg_trgm``), which ``ILIKE '%…%'`` uses as it is.

Revision ID: 0003_catalog_search
Revises: 0002
"""

from alembic import op

revision = "0003_catalog_search"
down_revision = "0002"
branch_labels = None
depends_on = None

SEARCHED = ("name", "description", "category")
# Static DDL (no value from outside goes into it).
_SQLITE_TRIGGERS = {
    "products_search_insert": "AFTER INSERT ON products BEGIN {insert}; END",
    "products_search_delete": "AFTER DELETE ON products BEGIN {delete}; END",
    "products_search_update": "AFTER UPDATE OF name, description, category ON products BEGIN {delete}; {insert}; END",
}
_INSERT = (
    "INSERT INTO products_search(rowid, name, description, category) "
    "VALUES (new.id, new.name, new.description, new.category)"
)
_DELETE = (
    "INSERT INTO products_search(products_search, rowid, name, description, category) "
    "VALUES ('delete', old.id, old.name, old.description, old.category)"
)


def create_search_triggers() -> None:
    for name, body in _SQLITE_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} " + body.format(insert=_INSERT, delete=_DELETE))


def upgrade() -> None:
    op.create_index("ix_products_category_price", "products", ["category", "price", "id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE products_search USING fts5(name, description, category, "
            "content='products', content_rowid='id', tokenize='trigram')"
        )
        create_search_triggers()
        op.execute("INSERT INTO products_search(products_search) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in SEARCHED:
            op.execute(f"CREATE INDEX ix_products_search_{column} ON products USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS products_search")
    elif dialect == "postgresql":
        for column in SEARCHED:
            op.execute(f"DROP INDEX IF EXISTS ix_products_search_{column}")
    op.drop_index("ix_products_category_price", table_name="products")
