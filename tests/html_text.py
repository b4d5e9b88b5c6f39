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

__all__ = ["attribute", "cited_text", "text", "texts"]

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
