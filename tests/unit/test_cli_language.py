"""The command line's language: one decision (option, profile, locale, English), and every
word the command line prints is in both catalogues."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from rugwijzer.cli.language import Voice, choose_language, locale_language
from rugwijzer.i18n import catalogue_messages
from rugwijzer.messages import Code, Message

CLI = Path(__file__).resolve().parents[2] / "src" / "rugwijzer" / "cli"


def _no_profile() -> str | None:
    return None


def _unreadable_profile() -> str | None:
    raise AssertionError("the profile is not read when --lang was given")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE"}, "nl"),
        ({"LANG": "en_GB.UTF-8"}, None),
        ({"LANG": "C.UTF-8"}, None),
        # POSIX order: LC_ALL, then LC_MESSAGES, then LANG; the first one set decides
        ({"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}, None),
        ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),
        ({"LC_ALL": "nl_NL.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "nl"),
        ({"LC_ALL": "", "LANG": "nl_NL.UTF-8"}, "nl"),  # set but empty counts as not set
    ],
)
def test_the_locale_environment(environ: dict[str, str], expected: str | None) -> None:
    assert locale_language(environ) == expected


def test_the_option_comes_first_and_spares_the_profile() -> None:
    dutch_locale = {"LANG": "nl_NL.UTF-8"}
    assert choose_language("en", _unreadable_profile, dutch_locale) == "en"
    assert choose_language("nl", _unreadable_profile, {}) == "nl"


def test_the_profile_comes_before_the_locale() -> None:
    assert choose_language(None, lambda: "en", {"LANG": "nl_NL.UTF-8"}) == "en"
    assert choose_language(None, lambda: "nl", {"LANG": "en_GB.UTF-8"}) == "nl"


def test_then_the_locale_else_english() -> None:
    assert choose_language(None, _no_profile, {"LANG": "nl_NL.UTF-8"}) == "nl"
    assert choose_language(None, _no_profile, {"LANG": "de_DE.UTF-8"}) == "en"
    assert choose_language(None, _no_profile, {}) == "en"
    # an unknown language anywhere is passed over, not obeyed
    assert choose_language("fr", lambda: "de", {}) == "en"


def test_a_voice_speaks_its_language_with_its_numbers() -> None:
    dutch, english = Voice("nl"), Voice("en")
    assert dutch("Supplements: {amount} mg", amount=1250.5) == "Supplementen: 1.250,5 mg"
    assert english("Supplements: {amount} mg", amount=1250.5) == "Supplements: 1,250.5 mg"
    assert dutch.day("2026-11-24") == "24 november 2026"
    assert dutch.amount(None) == "—"
    message = Message.of(Code.FILE_NO_MEALS, path="maaltijden.txt")
    assert (
        dutch.text(message)
        == dutch.text(message.to_json())
        == "maaltijden.txt bevat geen maaltijden"
    )
    assert english.text("as it is") == "as it is"


def _printed_msgids() -> set[str]:
    """The English msgids the command line looks up: `say("…")`, `voice()("…")` and the
    column names it passes through `say(column)`."""
    found: set[str] = set()
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                first, function = node.args[0], node.func
                speaks = (isinstance(function, ast.Name) and function.id == "say") or (
                    isinstance(function, ast.Call)
                    and isinstance(function.func, ast.Name)
                    and function.func.id == "voice"
                )
                if speaks and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
            if (
                isinstance(node, ast.For)
                and isinstance(node.iter, ast.Tuple)
                and "say(column)" in ast.unparse(node)
            ):
                found |= {e.value for e in node.iter.elts if isinstance(e, ast.Constant)}
    return found


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_word_the_command_line_prints_is_in_the_catalogue(lang: str) -> None:
    msgids = _printed_msgids()
    assert {"Error:", "Check-in saved for {day}", "day"} <= msgids  # the search finds them
    catalogue = catalogue_messages(lang)
    assert sorted(msgid for msgid in msgids if not catalogue.get(msgid)) == []
    assert sorted(m for m in msgids if _placeholders(catalogue[m]) != _placeholders(m)) == []
