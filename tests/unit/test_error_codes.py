"""Errors and notes from below the shells are codes with typed parameters, written out in the
reader's language: one test per family of codes, and a scan that keeps sentences out of the
raise lines of these modules."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

import rugwijzer
from rugwijzer.content import render as render_statement
from rugwijzer.domain.day import RATIO_NOTE
from rugwijzer.domain.diary import ChangeInput, CheckInInput, check_day
from rugwijzer.domain.references import Profile
from rugwijzer.domain.screen import parse_screen
from rugwijzer.domain.supplements import parse_label_line
from rugwijzer.domain.triage import parse_answers
from rugwijzer.errors import (
    AuthenticationError,
    DataError,
    FoodNotFoundError,
    InvalidInputError,
    QueryError,
    RateLimitedError,
    RugwijzerError,
)
from rugwijzer.fooddb.search import MAX_QUERY_CHARACTERS
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Foreign, Message
from rugwijzer.reference_data import supplement_catalogue
from rugwijzer.services.safety import food_first, intakes_from_json
from rugwijzer.services.targets import targets_for, targets_view
from rugwijzer.store.meal_text import how_column, how_message
from rugwijzer.web.rendering import say_html

TODAY = date(2026, 11, 30)


def _raised(call: object) -> RugwijzerError:
    assert callable(call)
    with pytest.raises(RugwijzerError) as caught:
        call()
    return caught.value


def _both(message: Message) -> tuple[str, str]:
    return render_message(message, "nl"), render_message(message, "en")


# --- supplements ---------------------------------------------------------------------------------


def test_an_unreadable_label_names_the_line_and_a_readable_example() -> None:
    error = _raised(lambda: parse_label_line("vitamine C 100 mg"))
    assert error.message == Message.of(Code.SUPPLEMENT_LABEL_UNREADABLE, text="vitamine C 100 mg")
    dutch, english = _both(error.message)
    assert dutch.startswith("De etiketregel ‘vitamine C 100 mg’ is niet te lezen")
    assert english.startswith("Cannot read the label line ‘vitamine C 100 mg’")
    # each language's example is a line the parser reads
    for text in (dutch, english):
        example = text.rsplit("‘", 1)[1].rstrip("’.")
        assert parse_label_line(example) == ("citraat" if "als" in example else "citrate", 200.0)


def test_an_implausible_dose_counts_in_the_readers_locale() -> None:
    entry = {"label": "magnesium (as citrate) 2500.5 mg", "servings_per_day": 2}
    error = _raised(lambda: intakes_from_json([entry]))
    assert error.message.code is Code.SUPPLEMENT_ENTRY_DOSE_IMPLAUSIBLE
    assert dict(error.message.params) == {"number": 1, "total": 5001, "maximum": 5000}
    dutch, english = _both(error.message)
    assert dutch.startswith("5.001 mg elementair magnesium per dag is geen geloofwaardige dosis")
    assert english.startswith("5,001 mg elemental magnesium a day is not a plausible dose")


def test_an_unknown_form_lists_the_known_ones_as_english_words() -> None:
    error = _raised(lambda: supplement_catalogue().resolve("unobtainium"))
    assert error.message.code is Code.SUPPLEMENT_FORM_UNKNOWN
    known = error.message.params["known"]
    assert isinstance(known, Foreign)
    assert known.lang == "en"
    assert "citrate" in known.text
    marked = render_message(error.message, "nl", foreign=lambda text, lang: f"[{lang}:{text}]")
    assert marked.startswith("Onbekende magnesiumvorm ‘unobtainium’; bekende vormen: [en:")


def test_how_a_supplement_was_counted_is_a_message_in_both_languages() -> None:
    (label,) = intakes_from_json([{"label": "magnesium (als citraat) 200,5 mg"}])
    assert label.how == Message.of(Code.SUPPLEMENT_HOW_LABEL, elemental=200.5, form="citraat")
    assert _both(label.how) == (
        "etiket: 200,5 mg elementair magnesium per portie (als citraat)",
        "label: 200.5 mg elemental magnesium per serving (as citraat)",
    )
    (ambiguous,) = intakes_from_json([{"form": "citrate", "compound_mg": 1000}])
    assert ambiguous.how.code is Code.SUPPLEMENT_HOW_AMBIGUOUS
    assert "de hoogste waarde telt" in render_message(ambiguous.how, "nl")


def test_a_stored_how_comes_back_and_old_sentences_are_kept() -> None:
    how = Message.of(Code.SUPPLEMENT_HOW_GIVEN, elemental=120.0)
    assert how_message(how_column(how)) == how
    assert how_message(how.to_json()) == how
    old = "120 mg elemental magnesium per serving, as given"
    assert how_message(old) == Message.of(Code.LEGACY_TEXT, text=old)
    assert how_message('{"code": "no.such.code"}').code is Code.LEGACY_TEXT


def test_food_first_portions_are_written_in_the_readers_language() -> None:
    from rugwijzer.fooddb.database import default_food_database

    database = default_food_database()
    dutch = {
        s["food"]["id"]: s["portion"] for s in food_first(database, 100.0, "nl")["suggestions"]
    }
    english = {
        s["food"]["id"]: s["portion"] for s in food_first(database, 100.0, "en")["suggestions"]
    }
    assert (dutch["sr24:12061"], english["sr24:12061"]) == ("handje", "a handful")
    assert (dutch["sr24:19904"], english["sr24:19904"]) == ("2 stukjes (20 g)", "2 pieces (20 g)")


# --- targets -------------------------------------------------------------------------------------


def test_an_impossible_profile_is_named_with_a_decimal_comma() -> None:
    error = _raised(lambda: Profile(130.5, "female"))
    assert error.message == Message.of(Code.TARGET_AGE_OUT_OF_RANGE, maximum=130, age=130.5)
    assert _both(error.message) == (
        "De leeftijd moet tussen 0 en 130 jaar liggen, niet 130,5.",
        "The age must be between 0 and 130 years, not 130.5.",
    )
    young = _raised(lambda: Profile(9, "female", pregnant=True))
    assert render_message(young.message, "nl").endswith("minstens 10 jaar.")


def test_target_notes_are_written_in_the_asked_language() -> None:
    targets = targets_for(Profile(30, "female", pregnant=True), "efsa")
    dutch = targets_view(targets, "nl")
    english = targets_view(targets, "en")
    assert dutch["supplement_upper_limit"]["notes"][0].startswith("De bovengrens telt magnesium")
    assert english["supplement_upper_limit"]["notes"][0].startswith("The upper limit counts")
    assert "EFSA heeft op deze leeftijd geen aparte waarde voor zwangerschap" in " ".join(
        dutch["magnesium"]["notes"]
    )


def test_an_unknown_reference_lists_the_known_ones() -> None:
    error = _raised(lambda: targets_for(Profile(30, "female"), "who"))
    assert error.message == Message.of(
        Code.TARGET_UNKNOWN_REFERENCE, reference="who", known=("nih", "efsa", "nl")
    )
    assert render_message(error.message, "nl") == (
        "Onbekende referentie ‘who’; kies uit nih, efsa, nl."
    )


def test_the_ratio_note_is_a_cited_statement_in_both_languages() -> None:
    dutch, english = render_statement(RATIO_NOTE, "nl"), render_statement(RATIO_NOTE, "en")
    assert dutch["text"].startswith("Alleen ter informatie, geen doel")
    assert english["text"].startswith("Information only, not a target")
    assert [source["id"] for source in dutch["sources"]] == ["rosanoff-2016"]


# --- screening and triage ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "dutch"),
    [
        ([], Code.SCREEN_ANSWERS_NOT_OBJECT, "De antwoorden van de screening"),
        ({"mood": 1}, Code.SCREEN_UNKNOWN_FIELDS, "Onbekende velden in de screening: mood."),
        ({"intake_mg": 5000.5}, Code.SCREEN_NUMBER_RANGE, "tussen 0 en 5.000 zijn"),
        ({"symptoms": ["hiccups"]}, Code.SCREEN_UNKNOWN_NAMES, "Onbekende symptoms: hiccups;"),
    ],
)
def test_screen_answers(data: object, code: Code, dutch: str) -> None:
    error = _raised(lambda: parse_screen(data))
    assert error.message.code is code
    assert dutch in render_message(error.message, "nl")


def test_triage_answers_out_of_range_keep_their_decimals() -> None:
    error = _raised(lambda: parse_answers({"pain_weeks": 5200.5}))
    assert error.message == Message.of(
        Code.TRIAGE_NUMBER_RANGE, key="pain_weeks", maximum=5200, value=5200.5
    )
    assert _both(error.message) == (
        "‘pain_weeks’ moet tussen 0 en 5.200 liggen, niet 5.200,5.",
        "‘pain_weeks’ must be between 0 and 5,200, not 5,200.5.",
    )
    assert _raised(lambda: parse_answers({"fever": "ja"})).message.code is Code.TRIAGE_NOT_YES_NO


# --- diary entries -------------------------------------------------------------------------------


def test_a_score_out_of_range_names_the_field_in_the_readers_language() -> None:
    error = _raised(lambda: CheckInInput(day=TODAY, sleep_quality=11).validated(today=TODAY))
    assert error.message == Message.of(
        Code.ENTRY_SCORE_RANGE, field=Message.of(Code.ENTRY_FIELD_SLEEP), value=11
    )
    assert _both(error.message) == (
        "Slaap moet een heel getal van 0 tot en met 10 zijn, niet 11.",
        "Sleep must be a whole number from 0 to 10, not 11.",
    )


def test_days_and_changes() -> None:
    future = _raised(lambda: check_day(date(2030, 1, 2), today=TODAY, what="end date"))
    assert render_message(future.message, "nl") == "De einddatum 2030-01-02 ligt in de toekomst."
    empty = _raised(lambda: CheckInInput(day=TODAY).validated(today=TODAY))
    assert empty.message.code is Code.ENTRY_CHECKIN_EMPTY
    backwards = ChangeInput("wandelen", date(2026, 11, 1), date(2026, 10, 1))
    error = _raised(lambda: backwards.validated(today=TODAY))
    assert render_message(error.message, "en") == "The end date is before the start date."


# --- food data and search ------------------------------------------------------------------------


def test_food_errors() -> None:
    missing = FoodNotFoundError("sr24:99999")
    assert missing.food_id == "sr24:99999"
    assert _both(missing.message) == (
        "Voedingsmiddel ‘sr24:99999’ niet gevonden.",
        "Food ‘sr24:99999’ not found.",
    )
    long = QueryError(Code.FOOD_QUERY_TOO_LONG, length=2500, maximum=MAX_QUERY_CHARACTERS)
    assert render_message(long.message, "nl") == (
        "De zoekvraag is 2.500 tekens lang; er wordt gezocht op hoogstens 200."
    )


def test_bundled_data_errors_keep_their_details_in_english() -> None:
    error = DataError(Code.DATA_CORRUPT, detail=Foreign("content/sources.toml: bad"))
    marked = render_message(error.message, "nl", foreign=lambda text, lang: f"<{lang}>{text}")
    assert marked == "Gegevens zijn beschadigd of ontbreken: <en>content/sources.toml: bad."
    assert str(error) == "Data are damaged or missing: content/sources.toml: bad."


# --- accounts ------------------------------------------------------------------------------------


def test_account_errors() -> None:
    limited = RateLimitedError(900)
    assert limited.retry_after_seconds == 900
    assert limited.message == Message.of(Code.ACCOUNT_RATE_LIMITED, minutes=15)
    assert render_message(limited.message, "nl") == (
        "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw."
    )
    assert RateLimitedError(20).message.params["minutes"] == 1
    wrong = AuthenticationError(Code.ACCOUNT_WRONG_CREDENTIALS)
    assert _both(wrong.message) == (
        "Onjuist e-mailadres of wachtwoord.",
        "Wrong email or password.",
    )


def test_settings_errors_read_in_english() -> None:
    from pydantic import ValidationError

    from rugwijzer.settings import Settings

    with pytest.raises(ValidationError, match="RUGWIJZER_SECRET_KEY: a random secret of at least"):
        Settings(mode="server", secret_key="short")
    with pytest.raises(ValidationError, match="In local mode Rugwijzer has no accounts"):
        Settings(host="0.0.0.0")


# --- the web's rendering -------------------------------------------------------------------------


def test_say_escapes_what_was_typed_and_marks_english_parts() -> None:
    message = Message.of(Code.SUPPLEMENT_FORM_UNKNOWN, form="<i>x</i>", known=Foreign("a & b"))
    html = str(say_html(message, "nl"))
    assert html == (
        "Onbekende magnesiumvorm ‘&lt;i&gt;x&lt;/i&gt;’; bekende vormen: "
        '<span lang="en">a &amp; b</span>.'
    )
    assert "<span" not in str(say_html(message, "en"))
    assert str(say_html("Tom & Jerry", "nl")) == "Tom &amp; Jerry"
    assert str(say_html(None, "nl")) == ""


# --- the scan ------------------------------------------------------------------------------------

SOURCE = Path(rugwijzer.__file__).parent
#: The modules whose errors and notes are codes (the `errors` part of issue #11).
# Every module of the package (migrations write no messages).
CODED_MODULES = sorted(
    path for path in SOURCE.rglob("*.py") if "migrations" not in path.relative_to(SOURCE).parts
)
#: Functions whose errors another part of the code rewrites (none left).
NOT_YET: dict[str, set[str]] = {}
#: Programming errors that never reach a user (a wrong row length, a missing key).
INTERNAL = {
    ("domain/nutrients.py", "ValueError"),
    ("domain/nutrients.py", "KeyError"),
    ("errors.py", "TypeError"),  # an error made without a code
    ("__init__.py", "AttributeError"),  # the package's lazy attributes (PEP 562)
    ("messages.py", "ValueError"),  # a stored message parameter of an unknown kind
    ("store/meal_text.py", "TypeError"),
    ("fooddb/household.py", "ValueError"),  # wrapped into a coded DataError by its loader
    ("fooddb/portions.py", "ValueError"),  # wrapped into a coded DataError by its loader
    ("fooddb/plan_foods.py", "ValueError"),  # wrapped into a coded DataError by its loader
}
#: Errors whose own __init__ takes the parameters (and chooses the code).
OWN_CODE = {"FoodNotFoundError", "RateLimitedError"}
#: `reference_data` wraps a ValueError it raises itself into a coded DataError; `web/report.py`
#: wraps a failed print into a coded UnavailableError (the failure's text is for the log).
WRAPPED = {("reference_data.py", "ValueError"), ("web/pdf_printer.py", "PrintFailedError")}


def _sentence_raises(source: str, relative: str) -> list[str]:
    """Every raise in `source` whose error is not made from a `Code.X`."""
    skipped = NOT_YET.get(relative, set())
    found: list[str] = []
    tree = ast.parse(source)
    for top in ast.walk(tree):
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) and top.name in skipped:
            top.body = []  # their raises are someone else's
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in OWN_CODE or (relative, name) in INTERNAL | WRAPPED:
            continue
        first = node.exc.args[0] if node.exc.args else None
        # a sentence: text written in the raise itself (an error made elsewhere is checked there,
        # and RugwijzerError refuses anything but a Code when it runs)
        if isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant) and isinstance(first.value, str)
        ):
            found.append(f"{relative}:{node.lineno} raise {name}({ast.unparse(first or node.exc)})")
    return found


def test_the_modules_raise_codes_not_sentences() -> None:
    assert len(CODED_MODULES) > 25
    found = [
        line
        for path in CODED_MODULES
        for line in _sentence_raises(
            path.read_text(encoding="utf-8"), path.relative_to(SOURCE).as_posix()
        )
    ]
    assert found == []


def test_the_scan_finds_sentences_and_accepts_codes() -> None:
    source = (
        "def f(x):\n"
        "    raise InvalidInputError(f'bad {x}')\n"
        "def g():\n"
        "    raise errors.DataError('broken')\n"
        "def h():\n"
        "    raise QueryError(Code.FOOD_QUERY_EMPTY)\n"
    )
    assert _sentence_raises(source, "x.py") == [
        "x.py:2 raise InvalidInputError(f'bad {x}')",
        "x.py:4 raise DataError('broken')",
    ]


def test_an_error_needs_a_code_not_a_sentence() -> None:
    with pytest.raises(TypeError, match="message code"):
        InvalidInputError("the meal text is empty")  # type: ignore[arg-type]
