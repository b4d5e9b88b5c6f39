"""The aids page (/aids): which back aids are worth it, graded by the evidence, with the reason
from the answers. Public in server mode (like the questions); a GET form, no JavaScript.

A warning sign leads: when the signed-in user's newest triage found one (the red flag on top of
the pages) or the answers carry one, the page opens with the referral and shows no products.
What the evidence favours most (staying active, exercise) always comes before the aids, and a
category's products only after its evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rugwijzer.domain.aids import GOALS, MAX_PAIN_WEEKS, WORK, parse_aid_answers
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Message
from rugwijzer.services.aids import AidAdviceView, favoured_statements
from rugwijzer.web.i18n import render_message, translations
from rugwijzer.web.rendering import page_lang, render, viewer

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _number(text: str) -> float | str:
    """A number typed in either language ("2,5" or "2.5"); anything else is passed on as it
    is, for the answers' check to refuse with its own message."""
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def _choices(lang: str) -> dict[str, list[tuple[str, str]]]:
    _ = translations(lang).gettext
    work = {
        "desk": _("At a desk"),
        "manual": _("Physical work"),
        "standing": _("Standing work"),
        "other": _("Other"),
    }
    goal = {
        "relief": _("Relief of the pain I have now"),
        "prevention": _("Preventing new back pain"),
    }
    return {
        "work_choices": [(key, work[key]) for key in WORK],
        "goal_choices": [(key, goal[key]) for key in GOALS],
    }


@router.get("/aids")
def aids_page(
    request: Request,
    pain_weeks: str = "",
    sitting_hours_per_day: str = "",
    work: str = "",
    goal: str = "",
) -> HTMLResponse:
    """The form, what the evidence favours most, and with answers the advice per category."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    diary = request.app.state.diary
    who = viewer(request)
    red_flag = diary.summaries.red_flag(who.user_id) if who else None
    form = {
        "pain_weeks": pain_weeks.strip(),
        "sitting_hours_per_day": sitting_hours_per_day.strip(),
        "work": work.strip(),
        "goal": goal.strip(),
    }
    advice: AidAdviceView | None = None
    error: Message | None = None
    status = 200
    if any(form.values()):
        sent: dict[str, Any] = {key: value for key, value in form.items() if value}
        for key in ("pain_weeks", "sitting_hours_per_day"):
            if key in sent:
                sent[key] = _number(sent[key])
        try:
            answers = parse_aid_answers(sent)
        except InvalidInputError as exc:
            error, status = exc.message, 422
        else:
            if who is not None:
                advice = diary.aids.advice_for_user(who.user_id, answers, lang)
            else:
                advice = diary.aids.advice(answers, lang)
    flagged = red_flag is not None or (advice is not None and advice.red_flag)
    referral = render_message(Message.of(Code.AIDS_BECAUSE_RED_FLAG), lang) if flagged else None
    return render(
        request,
        "aids.html",
        _("Back aids"),
        status,
        red_flag=red_flag,
        error=error,
        form=form,
        advice=advice,
        referral=referral,
        show_products=not flagged,
        favoured=advice.favoured if advice is not None else favoured_statements(lang),
        max_pain_weeks=MAX_PAIN_WEEKS,
        **_choices(lang),
    )
