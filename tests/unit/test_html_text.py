"""The test helper that reads an element's exact text."""

from __future__ import annotations

import pytest

from tests.html_text import attribute, language_runs, other_language, text, texts

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


def test_language_runs_follow_inline_elements_and_the_nearest_lang() -> None:
    page = (
        '<html lang="nl"><body><p>Je hebt <strong>300 mg</strong> gegeten</p>'
        '<p>Bron: <a href="x" lang="en">The Effects of Magnesium</a>; niveau B</p>'
        '<input placeholder="bijv. amandelen"><script>var x = "the and of";</script>'
        '<ul lang="en"><li>Nuts, almonds</li></ul></body></html>'
    )
    assert language_runs(page) == [
        ("Je hebt 300 mg gegeten", "nl"),
        ("Bron:", "nl"),
        ("The Effects of Magnesium", "en"),
        ("; niveau B", "nl"),
        ("bijv. amandelen", "nl"),
        ("Nuts, almonds", "en"),
    ]


@pytest.mark.parametrize(
    ("run", "lang", "other"),
    [
        ("cannot read the label line; expected e.g. a number", "nl", True),
        ("a check-in needs at least one answer", "nl", True),
        ("Je supplementen geven 400 mg magnesium per dag", "nl", False),
        ("Nuts, almonds", "nl", False),  # too short to tell
        ("magnesium (as citrate) 200 mg", "nl", False),  # one stop word is not enough
        ("Dit is niet de voeding van de dag", "en", True),
        ("2 sneetjes volkorenbrood met pindakaas", "en", False),
        ("The upper limit is 250 mg per day for the supplements", "en", False),
    ],
)
def test_other_language_needs_clearly_more_stop_words_of_the_other(
    run: str, lang: str, other: bool
) -> None:
    assert other_language(run, lang) is other
