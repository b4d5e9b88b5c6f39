"""meal item alternatives: the other foods the parser found for an item's words

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Items logged before this revision had no alternatives recorded: an empty list.
    with op.batch_alter_table("meal_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alternatives", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("meal_items", schema=None) as batch_op:
        batch_op.drop_column("alternatives")
