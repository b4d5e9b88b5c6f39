"""api request counts: the per-user API limit as one counter row per user and minute

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

The limit counted a row per request in `login_attempts` (key `api:user:<id>`); a request then
read a count, wrote a row and, now and then, pruned old rows. One upserted counter per user
costs one statement. On PostgreSQL the table is UNLOGGED: no WAL and no disk flush for a count.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_request_counts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_api_request_counts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_api_request_counts")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE api_request_counts SET UNLOGGED")
    # the old per-request rows of the API limit
    op.execute("DELETE FROM login_attempts WHERE key LIKE 'api:user:%'")


def downgrade() -> None:
    op.drop_table("api_request_counts")
