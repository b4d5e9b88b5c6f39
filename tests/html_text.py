"""The exact text of page elements, found with a small CSS-like selector.

Tests assert what one element says instead of searching a number anywhere in the page (where
"250" could as well be a year or another limit). Selectors are descendant chains of
`tag#id.class[attribute="value"]` parts, e.g. `section[aria-labelledby="mg-title"] p strong`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from rugwijzer.content import render

__all__ = ["attribute", "cited_text", "language_runs", "other_language", "text", "texts"]

_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)
_PART = re.compile(
    r"(?P<tag>[a-z][a-z0-9-]*)"
    r"|#(?P<id>[\w-]+)"
    r"|\.(?P<cls>[\w-]+)"
    r'|\[(?P<attr>[\w-]+)(?:="(?P<value>[^"]*)")?\]'
)


@dataclass
class _Simple:
    tag: str | None = None
    attributes: list[tuple[str, str | None]] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)

    def matches(self, tag: str, attrs: dict[str, str]) -> bool:
        if self.tag and self.tag != tag:
            return False
        if any(c not in attrs.get("class", "").split() for c in self.classes):
            return False
        return all(
            name in attrs and (value is None or attrs[name] == value)
            for name, value in self.attributes
        )


def _parse(selector: str) -> list[_Simple]:
    parts = []
    # whitespace separates parts, except inside [attribute="a value"]
    for chunk in re.findall(r"(?:[^\s\[]+|\[[^\]]*\])+", selector):
        simple = _Simple()
        position = 0
        while position < len(chunk):
            match = _PART.match(chunk, position)
            if not match or match.end() == position:
                raise ValueError(f"cannot read selector part {chunk!r}")
            if match["tag"]:
                simple.tag = match["tag"]
            elif match["id"]:
                simple.attributes.append(("id", match["id"]))
            elif match["cls"]:
                simple.classes.append(match["cls"])
            elif match["attr"]:
                simple.attributes.append((match["attr"], match["value"]))
            position = match.end()
        parts.append(simple)
    return parts


class _Finder(HTMLParser):
    def __init__(self, selector: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = _parse(selector)
        self.stack: list[tuple[str, dict[str, str], int | None]] = []
        self.found: list[tuple[dict[str, str], list[str]]] = []

    def _matches_path(self, tag: str, attrs: dict[str, str]) -> bool:
        if not self.parts[-1].matches(tag, attrs):
            return False
        wanted = len(self.parts) - 2
        for ancestor_tag, ancestor_attrs, _ in reversed(self.stack):
            if wanted < 0:
                break
            if self.parts[wanted].matches(ancestor_tag, ancestor_attrs):
                wanted -= 1
        return wanted < 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        index = None
        if self._matches_path(tag, values):
            self.found.append((values, []))
            index = len(self.found) - 1
        if tag not in _VOID:
            self.stack.append((tag, values, index))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        for _, _, index in self.stack:
            if index is not None:
                self.found[index][1].append(data)


def _find(page: str, selector: str) -> list[tuple[dict[str, str], str]]:
    finder = _Finder(selector)
    finder.feed(page)
    finder.close()
    return [(attrs, " ".join("".join(chunks).split())) for attrs, chunks in finder.found]


def texts(page: str, selector: str) -> list[str]:
    """The whitespace-normalised text of every element `selector` matches, in page order."""
    return [found for _, found in _find(page, selector)]


def text(page: str, selector: str) -> str:
    """The text of the one element `selector` matches (AssertionError for none or several)."""
    found = texts(page, selector)
    assert len(found) == 1, f"{selector!r} matches {len(found)} elements: {found}"
    return found[0]


def attribute(page: str, selector: str, name: str) -> str:
    """Attribute `name` of the one element `selector` matches."""
    found = _find(page, selector)
    assert len(found) == 1, f"{selector!r} matches {len(found)} elements"
    return found[0][0][name]


def cited_text(key: str, lang: str = "nl", **params: Any) -> tuple[str, list[str]]:
    """A statement as the pages show it, "text [grade X; source titles]" with white space
    folded, and the addresses of its sources in order."""
    statement = render(key, lang, **params)
    grade = "niveau" if lang == "nl" else "grade"
    titles = "; ".join(source["title"] for source in statement["sources"])
    shown = " ".join(f"{statement['text']} [{grade} {statement['grade']}; {titles}]".split())
    return shown, [source["url"] for source in statement["sources"]]


# --- the language of every piece of text (WCAG 2.2 SC 3.1.2, language of parts) -----------------


def _words(text: str) -> list[str]:
    return text.split()


#: Elements whose text nobody reads as prose.
_NOT_PROSE = frozenset(("script", "style", "code", "pre", "template"))
#: Inline elements: a sentence runs on through them (other tags end a run of text).
_INLINE = frozenset(
    _words(
        "a abbr b bdi bdo cite data em i label mark meter output q s small span strong sub sup"
        " time u"
    )
)
#: Attributes whose text a reader or screen reader meets.
_READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")


class _Runs(HTMLParser):
    """Collects (text, language) runs: text between block boundaries in one language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, its lang, inside non-prose
        self.runs: list[tuple[str, str]] = []
        self.current: list[str] = []
        self.current_lang = ""

    def _lang(self) -> str:
        for _, lang, _ in reversed(self.stack):
            if lang:
                return lang
        return ""

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def _flush(self) -> None:
        joined = " ".join("".join(self.current).split())
        if joined:
            self.runs.append((joined, self.current_lang))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        lang = values.get("lang") or None
        if tag not in _INLINE or (lang and lang != self._lang()):
            self._flush()
        hidden = self._hidden() or tag in _NOT_PROSE
        if tag not in _VOID:
            self.stack.append((tag, lang, hidden))
        if not hidden:
            own = lang or self._lang()
            for name in _READ_ATTRIBUTES:
                if values.get(name, "").strip():
                    self.runs.append((" ".join(values[name].split()), own))
        if tag in _VOID and tag != "wbr":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                left_lang = self.stack[depth][1]
                if tag not in _INLINE or (left_lang and left_lang != self._outer_lang(depth)):
                    self._flush()
                del self.stack[depth:]
                return

    def _outer_lang(self, depth: int) -> str:
        for _, lang, _ in reversed(self.stack[:depth]):
            if lang:
                return lang
        return ""

    def handle_data(self, data: str) -> None:
        if self._hidden():
            return
        lang = self._lang()
        if self.current and lang != self.current_lang:
            self._flush()
        self.current_lang = lang
        self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def language_runs(page: str) -> list[tuple[str, str]]:
    """Every run of readable text in `page` with the language it is marked in (the nearest
    `lang` attribute): text runs on through inline elements and ends at other tags or where the
    language changes. Attribute texts (alt, title, placeholder, aria-label) are runs of their
    own. Scripts, styles and code are left out."""
    runs = _Runs()
    runs.feed(page)
    runs.close()
    return runs.runs


#: Short, frequent words of each language (words both languages share, like "is" and "per",
#: count for neither).
STOP_WORDS = {
    "en": frozenset(
        _words(
            "the and of is you your with not from for this that are be can no food day per a an"
            " to in on it or at as by if have has was what when which will there their they"
            " we our do does more than only unknown known must cannot needs least one between"
            " expected"
        )
    ),
    "nl": frozenset(
        _words(
            "de het een en van is je jouw met niet voor dit dat zijn kan geen dag per op te in"
            " of als bij ook er wat wie hoe wordt worden jij uw ons onze dan nog al maar naar"
            " uit om tot deze die meer alleen onbekend onbekende moet moeten tussen minstens"
            " verwacht"
        )
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def other_language(run: str, lang: str) -> bool:
    """Whether `run`, shown as `lang`, reads as the other language: three words or more, and
    the other language's stop words clearly outnumber those of `lang` (at least two, and more
    than twice as many)."""
    other = "en" if lang == "nl" else "nl"
    words = [word.lower() for word in _WORD.findall(run)]
    if len(words) < 3:
        return False
    shared = STOP_WORDS["en"] & STOP_WORDS["nl"]
    own = sum(word in STOP_WORDS[lang] and word not in shared for word in words)
    foreign = sum(word in STOP_WORDS[other] and word not in shared for word in words)
    return foreign >= 2 and foreign > 2 * own
