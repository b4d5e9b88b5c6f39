"""Text normalisation shared by food search and meal parsing.

Folding makes matching case- and accent-insensitive ("Crème fraîche" → "creme fraiche") and
turns punctuation into spaces ("whole-wheat" → "whole wheat", "pinda's" → "pindas").
Stemming is deliberately light and language-neutral: it strips the plural endings of Dutch and
English so that "bananen"/"banaan" and "almonds"/"almond" meet within one edit.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "stem", "tokens"]

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# ASCII fast path (most names): apostrophes vanish, every other non-alphanumeric becomes a space.
_ASCII_TABLE = str.maketrans(
    {chr(c): " " for c in range(128) if not chr(c).isalnum()} | {"'": None, "`": None}
)


def tokens(text: str) -> list[str]:
    """The folded words of `text` (see `fold`)."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered.translate(_ASCII_TABLE).split()
    decomposed = unicodedata.normalize("NFKD", lowered)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", without_marks)).split()


def fold(text: str) -> str:
    """Lower-case, strip accents, drop apostrophes and turn everything else that is not a
    letter or digit into single spaces."""
    return " ".join(tokens(text))


def stem(token: str) -> str:
    """A light plural stem: berries → berry, tomatoes → tomato, almonds → almond,
    amandelen → amandel, pindas → pinda. Short words and numbers are left alone."""
    if len(token) < 4 or token.isdigit():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("oes", "ches", "shes", "xes", "sses")):
        return token[:-2]
    if token.endswith("en") and len(token) >= 6:
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token
