"""The gap planner's page (/plan): everyday foods in real portions that close today's
magnesium gap (or the gap typed), within the exclusions ticked and an energy budget. A GET form
for a signed-in user (the default gap and the foods already eaten come from the diary)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from rugwijzer.domain.planner import DEFAULT_KCAL_MAX
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Message
from rugwijzer.services.planner import GapPlanView
from rugwijzer.web.i18n import translations
from rugwijzer.web.rendering import page_lang, render, signed_in_diary

__all__ = ["EXCLUSION_CHOICES", "router"]

router = APIRouter(include_in_schema=False)

#: The exclusions offered as checkboxes: the planner's word for each.
EXCLUSION_CHOICES = (
    "veganistisch",
    "vegetarisch",
    "noten",
    "pinda",
    "gluten",
    "lactose",
    "vis",
    "soja",
)


def _labels(lang: str) -> list[tuple[str, str]]:
    _ = translations(lang).gettext
    labels = {
        "veganistisch": _("Vegan (nothing from animals)"),
        "vegetarisch": _("Vegetarian (no meat or fish)"),
        "noten": _("No nuts"),
        "pinda": _("No peanuts"),
        "gluten": _("Gluten-free (oats counted as gluten)"),
        "lactose": _("No dairy (lactose)"),
        "vis": _("No fish or shellfish"),
        "soja": _("No soy"),
    }
    return [(word, labels[word]) for word in EXCLUSION_CHOICES]


def _number(text: str, field: Code) -> float | None:
    """A number typed in either language ("2,5" or "2.5"); blank is None."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInputError(Code.FORM_NOT_A_NUMBER, field=Message.of(field)) from None


@router.get("/plan")
def plan_page(
    request: Request,
    exclude: Annotated[list[str] | None, Query()] = None,
    foods: str = "",
    kcal_max: str = "",
    gap_mg: str = "",
) -> HTMLResponse:
    """The form and, for today's gap (or the gap typed), the plan and its alternatives."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    diary, user = signed_in_diary(request)
    if exclude is None and not (foods or kcal_max or gap_mg):
        # the first visit: start from what the profile's diet exclusions name
        from_profile = diary.planner.profile_exclusions(user)
        exclude = [word for word in from_profile if word in EXCLUSION_CHOICES]
        foods = ", ".join(word for word in from_profile if word not in EXCLUSION_CHOICES)
    ticked = [word for word in exclude or [] if word in EXCLUSION_CHOICES]
    named = [word.strip() for word in foods.split(",") if word.strip()]
    view: GapPlanView | None = None
    error: Message | None = None
    try:
        view = diary.planner.plan(
            user,
            gap_mg=_number(gap_mg, Code.PLAN_FIELD_GAP),
            exclude=[*ticked, *named],
            kcal_max=_number(kcal_max, Code.PLAN_FIELD_KCAL_MAX),
            lang=lang,
        )
    except InvalidInputError as exc:
        error = exc.message
    return render(
        request,
        "plan.html",
        _("How to close the gap"),
        422 if error else 200,
        error=error,
        plan=view,
        choices=_labels(lang),
        form={
            "exclude": ticked,
            "foods": foods.strip(),
            "kcal_max": kcal_max.strip(),
            "gap_mg": gap_mg.strip(),
        },
        default_kcal_max=DEFAULT_KCAL_MAX,
    )
