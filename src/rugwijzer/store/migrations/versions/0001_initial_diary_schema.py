"""initial diary schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "role in ('user', 'practitioner', 'admin')", name=op.f("ck_users_role_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("kind in ('triage', 'screen')", name=op.f("ck_assessments_kind_known")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assessments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "ended_on is null or ended_on >= started_on", name=op.f("ck_changes_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_changes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.Column("pain_locations", sa.JSON(), nullable=False),
        sa.Column("stress", sa.Integer(), nullable=True),
        sa.Column("sleep_quality", sa.Integer(), nullable=True),
        sa.Column("cramps", sa.Boolean(), nullable=True),
        sa.Column("stiffness", sa.Integer(), nullable=True),
        sa.Column("minutes_active", sa.Integer(), nullable=True),
        sa.Column("aid_worn", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "minutes_active is null or minutes_active between 0 and 1440",
            name=op.f("ck_checkins_minutes_range"),
        ),
        sa.CheckConstraint(
            "pain is null or pain between 0 and 10", name=op.f("ck_checkins_pain_range")
        ),
        sa.CheckConstraint(
            "sleep_quality is null or sleep_quality between 0 and 10",
            name=op.f("ck_checkins_sleep_range"),
        ),
        sa.CheckConstraint(
            "stiffness is null or stiffness between 0 and 10",
            name=op.f("ck_checkins_stiffness_range"),
        ),
        sa.CheckConstraint(
            "stress is null or stress between 0 and 10", name=op.f("ck_checkins_stress_range")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_checkins_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("user_id", "day", name="one_checkin_a_day"),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_user_id"), ["user_id"], unique=False)

    op.create_table(
        "meal_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("eaten_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("unparsed", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meal_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meal_entries")),
    )
    with op.batch_alter_table("meal_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meal_entries_eaten_on"), ["eaten_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_meal_entries_user_id"), ["user_id"], unique=False)

    op.create_table(
        "profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=True),
        sa.Column("pregnant", sa.Boolean(), nullable=False),
        sa.Column("lactating", sa.Boolean(), nullable=False),
        sa.Column("kidney_disease", sa.Boolean(), nullable=False),
        sa.Column("heart_rhythm_problems", sa.Boolean(), nullable=False),
        sa.Column("medicines", sa.JSON(), nullable=False),
        sa.Column("diet_exclusions", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("reference", sa.String(length=10), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("language in ('nl', 'en')", name=op.f("ck_profiles_language_known")),
        sa.CheckConstraint(
            "sex is null or sex in ('female', 'male')", name=op.f("ck_profiles_sex_known")
        ),
        sa.CheckConstraint(
            "birth_year is null or birth_year between 1890 and 2100",
            name=op.f("ck_profiles_birth_year_range"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "supplement_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("form_key", sa.String(length=60), nullable=True),
        sa.Column("compound_mg", sa.Float(), nullable=True),
        sa.Column("elemental_mg", sa.Float(), nullable=False),
        sa.Column("servings", sa.Float(), nullable=False),
        sa.Column("how", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "elemental_mg > 0 and elemental_mg <= 5000",
            name=op.f("ck_supplement_entries_elemental_mg_range"),
        ),
        sa.CheckConstraint("servings > 0", name=op.f("ck_supplement_entries_servings_positive")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_supplement_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplement_entries")),
    )
    with op.batch_alter_table("supplement_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplement_entries_taken_on"), ["taken_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supplement_entries_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "meal_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("food_id", sa.String(length=40), nullable=False),
        sa.Column("food_name_en", sa.String(length=300), nullable=False),
        sa.Column("food_name_nl", sa.String(length=300), nullable=True),
        sa.Column("dataset", sa.String(length=60), nullable=False),
        sa.Column("grams", sa.Float(), nullable=False),
        sa.Column("grams_derivation", sa.Text(), nullable=False),
        sa.Column("nutrients", sa.JSON(), nullable=False),
        sa.CheckConstraint("grams > 0", name=op.f("ck_meal_items_grams_positive")),
        sa.ForeignKeyConstraint(
            ["meal_id"],
            ["meal_entries.id"],
            name=op.f("fk_meal_items_meal_id_meal_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meal_items")),
    )
    with op.batch_alter_table("meal_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meal_items_meal_id"), ["meal_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("meal_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meal_items_meal_id"))

    op.drop_table("meal_items")
    with op.batch_alter_table("supplement_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplement_entries_user_id"))
        batch_op.drop_index(batch_op.f("ix_supplement_entries_taken_on"))

    op.drop_table("supplement_entries")
    op.drop_table("profiles")
    with op.batch_alter_table("meal_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meal_entries_user_id"))
        batch_op.drop_index(batch_op.f("ix_meal_entries_eaten_on"))

    op.drop_table("meal_entries")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_user_id"))

    op.drop_table("checkins")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_user_id"))

    op.drop_table("changes")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_user_id"))

    op.drop_table("assessments")
    op.drop_table("users")
