"""Alembic revisions, one file each (numbered, hand-written)."""
