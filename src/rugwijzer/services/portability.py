"""A diary's data rights: export everything, import an export, delete everything.

Every public method is one transaction: an import is all or nothing.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from rugwijzer import __version__
from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign
from rugwijzer.services.audit import access_records
from rugwijzer.services.diary_views import (
    AssessmentRecord,
    ChangeRecord,
    CheckInRecord,
    ExportDocument,
    ImportCounts,
    MealRecord,
    SupplementRecord,
    change_view,
    checkin_view,
    meal_view,
    profile_view,
    supplement_view,
)
from rugwijzer.services.entries import checkin_columns
from rugwijzer.services.meal_items import item_row_from_export, unparsed_from_export
from rugwijzer.services.profile import DiaryPart, ProfileInput
from rugwijzer.store import audit, queries
from rugwijzer.store.engine import transaction
from rugwijzer.store.meal_text import how_column, how_message
from rugwijzer.store.models import (
    Assessment,
    Change,
    CheckIn,
    MealEntry,
    Profile,
    SupplementEntry,
)

__all__ = ["EXPORT_FORMAT", "EXPORT_TABLES", "PortabilityService", "export_zip"]

EXPORT_FORMAT = "rugwijzer-export/1"
EXPORT_TABLES = ("meals", "supplements", "checkins", "changes", "assessments")


def export_zip(document: ExportDocument) -> bytes:
    """An export as a zip: the JSON document, and a CSV file per table (nested values as JSON)."""
    data = document.model_dump(mode="json")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rugwijzer-export.json", document.to_json())
        for table in EXPORT_TABLES:
            rows = data[table]
            out = io.StringIO()
            if rows:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]))
                writer.writeheader()
                for row in rows:
                    writer.writerow(
                        {
                            key: json.dumps(value, ensure_ascii=False)
                            if isinstance(value, list | dict)
                            else value
                            for key, value in row.items()
                        }
                    )
            archive.writestr(f"{table}.csv", out.getvalue())
    return buffer.getvalue()


def _checkin_input(entry: dict[str, Any]) -> CheckInInput:
    fields = {k: v for k, v in entry.items() if k not in ("id", "day", "pain_locations")}
    return CheckInInput(
        day=date.fromisoformat(entry["day"]),
        pain_locations=tuple(entry.get("pain_locations", ())),
        **fields,
    )


class PortabilityService(DiaryPart):
    """Export, import and delete a whole diary."""

    def export(self, user_id: int, *, with_access_log: bool = True) -> ExportDocument:
        """Everything of one user, in one document (`to_json()` gives the file). The access
        log (which practitioners read the diary) is the user's own: a practitioner's copy of a
        client's diary leaves it out (`with_access_log=False`), as it names other
        practitioners."""
        with transaction(self.sessions) as session:
            user = queries.user(session, user_id)

            def rows(model: type[Any], order: Any) -> list[Any]:
                return queries.owned_rows(session, model, user_id, order)

            # Database ids mean nothing outside this database: the records leave them out.
            return ExportDocument(
                format=EXPORT_FORMAT,
                exported_by=f"rugwijzer {__version__}",
                exported_at=self.now().replace(microsecond=0),
                profile=profile_view(user.profile) if user.profile else None,
                meals=[
                    MealRecord.model_validate(meal_view(row).model_dump(exclude={"id"}))
                    for row in rows(MealEntry, MealEntry.id)
                ],
                supplements=[
                    SupplementRecord(**supplement_view(row).model_dump(exclude={"id"}))
                    for row in rows(SupplementEntry, SupplementEntry.id)
                ],
                checkins=[
                    CheckInRecord(**checkin_view(row).model_dump(exclude={"id"}))
                    for row in rows(CheckIn, CheckIn.day)
                ],
                changes=[
                    ChangeRecord(**change_view(row).model_dump(exclude={"id"}))
                    for row in rows(Change, Change.id)
                ],
                assessments=[
                    AssessmentRecord.model_validate(row, from_attributes=True)
                    for row in rows(Assessment, Assessment.id)
                ],
                access_log=access_records(session, user_id) if with_access_log else [],
            )

    def import_(self, user_id: int, document: object) -> ImportCounts:
        """Restore an export into an empty diary; all or nothing."""
        if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
            raise InvalidInputError(Code.IMPORT_NOT_AN_EXPORT, expected=EXPORT_FORMAT)
        try:
            with transaction(self.sessions) as session:
                user = queries.user(session, user_id)
                if queries.has_entries(session, user_id):
                    raise InvalidInputError(Code.IMPORT_DIARY_NOT_EMPTY)
                if document.get("profile"):
                    accepted = ProfileInput.accepted()
                    values = {k: v for k, v in document["profile"].items() if k in accepted}
                    checked = ProfileInput.parse(values, today=self.today())
                    profile = user.profile or Profile(user_id=user.id)
                    for key, value in checked.given().items():
                        setattr(profile, key, value)
                    session.add(profile)
                self._add_entries(session, user_id, document)
                session.flush()
        except (KeyError, TypeError, ValueError, IntegrityError) as exc:
            if isinstance(exc, InvalidInputError):
                raise
            # The technical reason, as Python names it (English, like the file's own keys).
            problem = Foreign(repr(exc))
            raise InvalidInputError(Code.IMPORT_DAMAGED, problem=problem) from exc
        return ImportCounts.model_validate(
            {key: len(document.get(key, [])) for key in EXPORT_TABLES}
        )

    def _add_entries(self, session: Any, user_id: int, document: dict[str, Any]) -> None:
        """The export's entries as rows of the user (KeyError, TypeError or ValueError when
        the document is damaged)."""
        for meal in document.get("meals", []):
            row = MealEntry(
                user_id=user_id,
                eaten_on=date.fromisoformat(meal["eaten_on"]),
                text=meal["text"],
                language=meal.get("language"),
                unparsed=unparsed_from_export(meal.get("unparsed", [])),
            )
            row.items.extend(
                item_row_from_export(position, item) for position, item in enumerate(meal["items"])
            )
            session.add(row)
        for entry in document.get("supplements", []):
            session.add(
                SupplementEntry(
                    user_id=user_id,
                    taken_on=date.fromisoformat(entry["taken_on"]),
                    name=entry["name"],
                    form_key=entry.get("form_key"),
                    compound_mg=entry.get("compound_mg"),
                    elemental_mg=float(entry["elemental_mg"]),
                    servings=float(entry["servings"]),
                    how=how_column(how_message(entry.get("how", ""))),
                )
            )
        for entry in document.get("checkins", []):
            checkin = _checkin_input(entry).validated(today=self.today())
            session.add(CheckIn(user_id=user_id, **checkin_columns(checkin)))
        for entry in document.get("changes", []):
            change = ChangeInput(
                entry["description"],
                date.fromisoformat(entry["started_on"]),
                date.fromisoformat(entry["ended_on"]) if entry.get("ended_on") else None,
                entry.get("aid_category"),  # absent from exports before issue #14
            ).validated(today=self.today())
            session.add(
                Change(
                    user_id=user_id,
                    description=change.description,
                    started_on=change.started_on,
                    ended_on=change.ended_on,
                    aid_category=change.aid_category,
                )
            )
        for entry in document.get("assessments", []):
            session.add(
                Assessment(
                    user_id=user_id,
                    kind=entry["kind"],
                    answers=entry["answers"],
                    result=entry["result"],
                    created_at=datetime.fromisoformat(entry["created_at"]),
                    acknowledged_at=(
                        datetime.fromisoformat(entry["acknowledged_at"])
                        if entry.get("acknowledged_at")
                        else None
                    ),
                )
            )

    def delete_everything(self, user_id: int) -> None:
        """Remove the user and every row that belongs to them."""
        with transaction(self.sessions) as session:
            user = queries.user(session, user_id)
            queries.delete_entries(session, user_id)
            # GDPR: "delete everything" takes the log of who read the diary with it.
            audit.delete_about(session, user_id)
            session.delete(user)
