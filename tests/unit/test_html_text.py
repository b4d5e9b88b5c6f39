"""The test helper that reads an element's exact text."""

from __future__ import annotations

import pytest

from tests.html_text import attribute, text, texts

PAGE = """<main><section aria-labelledby="mg-title"><h2 id="mg-title">Magnesium</h2>
<p><strong>107 mg</strong> van 300 mg<br>(ADH)</p><meter max="300" value="107"></meter></section>
<ul class="meals wide"><li>brood: <b>35</b> g</li><li>kaas &amp; <i>boter</i></li></ul></main>"""


def test_descendant_selectors_give_the_exact_text() -> None:
    assert text(PAGE, 'section[aria-labelledby="mg-title"] p') == "107 mg van 300 mg(ADH)"
    assert text(PAGE, "section p strong") == "107 mg"
    assert texts(PAGE, "ul.meals li") == ["brood: 35 g", "kaas & boter"]
    assert text(PAGE, "#mg-title") == "Magnesium"
    assert attribute(PAGE, "section meter", "max") == "300"


def test_none_or_several_matches_fail() -> None:
    assert texts(PAGE, "table td") == []
    with pytest.raises(AssertionError, match="matches 2 elements"):
        text(PAGE, "li")
    with pytest.raises(AssertionError, match="matches 0 elements"):
        text(PAGE, "ul.other li")
