"""The stylesheet's colours meet WCAG 2.2 AA contrast in light and dark mode.

Text needs 4.5:1 against the page; focus outlines need 3:1 (non-text contrast).
The canvases are the browser's defaults for each colour scheme (Chromium: white, #121212).
"""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

LIGHT_CANVAS = "#ffffff"
DARK_CANVAS = "#121212"
TEXT_VARIABLES = [
    "--text-accent",
    "--text-error",
    "--text-muted",
    "--text-warning",
    "--text-pain",
    "--text-stress",
    "--text-link",
]


def relative_luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def stylesheet() -> str:
    return files("rugwijzer.web").joinpath("static/site.css").read_text(encoding="utf-8")


def variables_in(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})\b", block))


def scheme_variables() -> dict[str, dict[str, str]]:
    css = stylesheet()
    root = re.match(r"\s*:root\s*\{([^}]*)\}", css)
    dark = re.search(r"@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}", css)
    assert root, "site.css must start with :root"
    assert dark, "site.css must have a dark-mode :root"
    light_values = variables_in(root.group(1))
    return {"light": light_values, "dark": light_values | variables_in(dark.group(1))}


def test_contrast_ratio_matches_the_wcag_examples() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("scheme", "canvas"), [("light", LIGHT_CANVAS), ("dark", DARK_CANVAS)])
def test_text_and_focus_colours_are_readable_on_the_page(scheme: str, canvas: str) -> None:
    values = scheme_variables()[scheme]
    for name in TEXT_VARIABLES:
        assert contrast_ratio(values[name], canvas) >= 4.5, (scheme, name, values[name])
    assert contrast_ratio(values["--focus"], canvas) >= 3.0, (scheme, values["--focus"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("surface", ["--surface", "--surface-chosen"])
def test_text_colours_are_readable_on_cards_and_chosen_items(scheme: str, surface: str) -> None:
    # cards (.card) and a chosen tab or choice sit on their own background, in both schemes
    values = scheme_variables()[scheme]
    for name in TEXT_VARIABLES:
        assert contrast_ratio(values[name], values[surface]) >= 4.5, (scheme, surface, name)


@pytest.mark.parametrize(("scheme", "canvas"), [("light", LIGHT_CANVAS), ("dark", DARK_CANVAS)])
def test_form_fields_are_outlined_visibly(scheme: str, canvas: str) -> None:
    # the edge of a text box is what shows where to type: 3:1 (WCAG 1.4.11), on page and card
    values = scheme_variables()[scheme]
    for background in (canvas, values["--surface"]):
        assert contrast_ratio(values["--field-border"], background) >= 3.0, (scheme, background)


def test_white_button_text_is_readable_on_accent_and_danger() -> None:
    values = scheme_variables()["light"]
    assert contrast_ratio("#ffffff", values["--accent"]) >= 4.5
    assert contrast_ratio("#ffffff", values["--danger"]) >= 4.5


def test_page_text_colours_come_from_the_checked_variables() -> None:
    rules_outside_root = re.sub(
        r"@media \(prefers-color-scheme: dark\)\s*\{[^@]*?\}\s*\}", "", stylesheet()
    )
    colour_declarations = re.findall(r"(?<![-\w])color:\s*([^;}]+)", rules_outside_root)
    literal_colours = {value.strip() for value in colour_declarations if "var(" not in value}
    # The only literal text colours sit on their own fixed light background, apart from
    # LinkText: the browser's own link colour for the current scheme (the log-out button).
    assert literal_colours == {"#fff", "#1f4e99", "#3b0008", "LinkText"}
