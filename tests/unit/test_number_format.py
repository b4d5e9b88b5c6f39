"""Numbers on the pages: the locale's separators, and halves rounded up like the browser does."""

from __future__ import annotations

import pytest

from rugwijzer.web.charts import Series, line_chart
from rugwijzer.web.i18n import format_number


@pytest.mark.parametrize(
    ("value", "lang", "digits", "optional", "expected"),
    [
        (138.5, "nl", 0, 0, "139"),  # Babel alone: 138 (half to even)
        (138.45, "nl", 0, 0, "138"),
        (2.5, "en", 0, 0, "3"),
        (1234.5, "nl", 0, 0, "1.235"),
        (1234.5, "en", 0, 0, "1,235"),
        (0.25, "nl", 1, 0, "0,3"),
        (0.0, "en", 1, 0, "0.0"),
        (1.5, "nl", 0, 2, "1,5"),
        (1.0, "nl", 0, 2, "1"),
        (0.125, "en", 0, 2, "0.13"),
    ],
)
def test_format_number(value: float, lang: str, digits: int, optional: int, expected: str) -> None:
    assert format_number(value, lang, digits, optional) == expected


def test_chart_values_and_ticks_follow_the_locale() -> None:
    chart = line_chart(
        "Magnesium",
        ["2026-11-01", "2026-11-02"],
        [Series("Magnesium", "magnesium", [1234.0, 7.5])],
        y_max=1500,
        lang="nl",
    )
    assert 'class="tick">1.500</text>' in chart
    assert "<title>11-01: Magnesium 1.234</title>" in chart
    assert "<title>11-02: Magnesium 7,5</title>" in chart
    assert ">7,5</text>" in chart
    english = line_chart("M", ["2026-11-01"], [Series("M", "m", [7.5])], y_max=1500, lang="en")
    assert 'class="tick">1,500</text>' in english
    assert ">7.5</text>" in english
