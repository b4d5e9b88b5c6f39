"""Alembic environment: the engine comes from `rugwijzer.store.migrate` (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from rugwijzer.store.models import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=engine.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
