"""meal messages: grams derivations and unparsed reasons keep a code and parameters, not English

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

`meal_items.grams_derivation` becomes a JSON message (`Message.to_json()`), and so does the
`reason` of every entry in `meal_entries.unparsed`. Existing English sentences are read back by
`rugwijzer.store.meal_text.message_from_text` (the same function the import of older exports
uses); a sentence it does not know is kept whole as `general.legacy_text`. The downgrade writes
the English rendering back.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from alembic import op

from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.store.meal_text import message_from_text

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_log = logging.getLogger("alembic.runtime.migration")


def _items(column: str, type_: sa.types.TypeEngine[Any]) -> sa.TableClause:
    return sa.table("meal_items", sa.column("id", sa.Integer()), sa.column(column, type_))


_MEALS = sa.table("meal_entries", sa.column("id", sa.Integer()), sa.column("unparsed", sa.JSON()))


def _swap_derivation_column(new_type: sa.types.TypeEngine[Any], convert: Any) -> tuple[int, int]:
    """Copy `grams_derivation` into a column of `new_type` through `convert` (value → (new
    value, whether it was understood)), then put the new column in the old one's place.
    A new column rather than a type change: SQLite's CAST to JSON would not keep the text."""
    with op.batch_alter_table("meal_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grams_derivation_new", new_type, nullable=True))
    old = _items("grams_derivation", sa.JSON() if isinstance(new_type, sa.Text) else sa.Text())
    new = _items("grams_derivation_new", new_type)
    connection = op.get_bind()
    understood = total = 0
    for row_id, value in connection.execute(sa.select(old.c.id, old.c.grams_derivation)).all():
        converted, known = convert(value)
        understood += known
        total += 1
        connection.execute(
            new.update().where(new.c.id == row_id).values(grams_derivation_new=converted)
        )
    with op.batch_alter_table("meal_items", schema=None) as batch_op:
        batch_op.drop_column("grams_derivation")
        batch_op.alter_column(
            "grams_derivation_new",
            new_column_name="grams_derivation",
            existing_type=new_type,
            nullable=False,
        )
    return understood, total


def _convert_reasons(convert: Any) -> tuple[int, int]:
    """Every unparsed entry's reason through `convert`; returns (understood, entries)."""
    connection = op.get_bind()
    understood = total = 0
    for meal_id, unparsed in connection.execute(sa.select(_MEALS.c.id, _MEALS.c.unparsed)).all():
        entries = []
        for entry in unparsed or []:
            reason, known = convert(entry.get("reason", ""))
            understood += known
            total += 1
            entries.append({**entry, "reason": reason})
        if entries:
            connection.execute(
                _MEALS.update().where(_MEALS.c.id == meal_id).values(unparsed=entries)
            )
    return understood, total


def _to_message(value: Any) -> tuple[dict[str, Any], bool]:
    if isinstance(value, dict):  # already a message (a row written twice is left alone)
        return value, True
    message = message_from_text(str(value))
    return message.to_json(), message.code is not Code.LEGACY_TEXT


def _to_text(value: Any) -> tuple[str, bool]:
    if isinstance(value, str):
        return value, True
    return render_message(Message.from_json(value), "en"), True


def upgrade() -> None:
    derived, items = _swap_derivation_column(sa.JSON(), _to_message)
    reasons, entries = _convert_reasons(_to_message)
    _log.info(
        "0005: %d of %d grams derivations and %d of %d unparsed reasons became message codes;"
        " the rest is kept as text (general.legacy_text)",
        derived,
        items,
        reasons,
        entries,
    )


def downgrade() -> None:
    _swap_derivation_column(sa.Text(), _to_text)
    _convert_reasons(_to_text)
