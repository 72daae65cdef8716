"""Alembic migrations of the store (run by store.db.migrate)."""
