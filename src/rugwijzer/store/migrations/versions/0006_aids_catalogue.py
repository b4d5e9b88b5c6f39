"""ergonomic aids: the catalogue, and the aid category of a check-in and of a change

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aid_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name_nl", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("price_eur", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("price_eur >= 0", name=op.f("ck_aid_products_price_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_aid_products_sku")),
    )
    op.create_index(op.f("ix_aid_products_category"), "aid_products", ["category"], unique=False)
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aid_category", sa.String(length=40), nullable=True))
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aid_category", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_column("aid_category")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("aid_category")
    op.drop_index(op.f("ix_aid_products_category"), table_name="aid_products")
    op.drop_table("aid_products")
