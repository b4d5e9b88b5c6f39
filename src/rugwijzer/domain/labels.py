"""Supplement labels as people type them from Dutch, Belgian and English packs and shop pages.

`read_label` turns a label line (or several lines) into a `LabelReading`: the form, the amount
and what the amount stands for, per how many tablets, and how many servings a day; with
messages (codes) that say which reading was taken and why. It reads, for example:

- "magnesium (als citraat) 200 mg", "Magnesium 100 mg (as oxide)": the amount is elemental
  magnesium. EU food-supplement labels declare minerals as the element, per portion recommended
  for daily use (Directive 2002/46/EC, Article 8 and Annex I; Regulation (EU) 1169/2011,
  Annex XIII), and US labels do the same.
- "Magnesiumcitraat 400 mg", "400 mg magnesium citrate", "magnesium glycerofosfaat 250 mg": the
  compound's name stands right by the amount, so the text does not say whether 400 mg is the
  magnesium or the compound. It is read as elemental (the labelling rule above), the figure as
  compound is shown beside it, and the higher one is counted.
- "2 tabletten magnesium 250 mg": 250 mg per two tablets (labels declare per daily portion) or
  per tablet; read as per two, both shown, the higher counted. "per 2 tabletten: magnesium
  250 mg" says it: 250 mg per two.
- "1 capsule per dag", "2 x per dag 1 tablet", "dagelijks 2 capsules", "1 tablet daily": how
  many a day, so how many servings a day.
- "magnesiumbisglycinaat": a form without an amount (recognised; a dose needs the amount).

Parts may be on several lines or separated by ";" or "," (a comma between digits is a decimal
comma: "187,5 mg").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum

from rugwijzer.domain.supplements import MAX_DAILY_ELEMENTAL_MG, FormCatalogue, SupplementForm
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Message

__all__ = ["AmountBasis", "LabelReading", "read_label"]


class AmountBasis(StrEnum):
    """What the milligrams on the label stand for."""

    #: magnesium itself ("magnesium (als citraat) 200 mg", "magnesium 250 mg")
    ELEMENTAL = "elemental"
    #: the whole compound, said in so many words ("1000 mg magnesiumcitraat (verbinding)")
    COMPOUND = "compound"
    #: not said: the compound's name stands by the amount ("Magnesiumcitraat 400 mg")
    UNSTATED = "unstated"


@dataclass(frozen=True, slots=True)
class LabelReading:
    """What a label says, as read. Figures are milligrams of elemental magnesium per serving
    (a serving is `units_per_serving` tablets or capsules), or None when the label gives none.

    `elemental_mg` is the reading taken; `elemental_if_compound_mg` (low, high) what the amount
    gives if it is the compound; `elemental_if_other_units_mg` what it gives per serving if it
    is per `other_units_per_serving` units instead. `counted_mg` is the highest of them: the
    figure the upper-limit check counts."""

    text: str
    form_words: str | None
    forms: tuple[SupplementForm, ...]
    amount_mg: float | None
    amount_basis: AmountBasis | None
    elemental_mg: float | None
    elemental_if_compound_mg: tuple[float, float] | None
    units_per_serving: float | None
    other_units_per_serving: float | None
    elemental_if_other_units_mg: float | None
    servings_per_day: float | None
    units_per_day: float | None
    notes: tuple[Message, ...] = field(default=())

    @property
    def form(self) -> SupplementForm | None:
        """The one form the label names, or None (none named, or a name with several salts)."""
        return self.forms[0] if len(self.forms) == 1 else None

    @property
    def counted_mg(self) -> float | None:
        """Elemental magnesium per serving counted against the upper limit: the higher reading."""
        if self.elemental_mg is None:
            return None
        candidates = [self.elemental_mg]
        if self.elemental_if_compound_mg is not None:
            candidates.append(self.elemental_if_compound_mg[1])
        if self.elemental_if_other_units_mg is not None:
            candidates.append(self.elemental_if_other_units_mg)
        return max(candidates)

    @property
    def ambiguous(self) -> bool:
        """True when the label can be read in more than one way (both figures are shown)."""
        return self.amount_basis is AmountBasis.UNSTATED or self.other_units_per_serving is not None


# --- the words ------------------------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)?"
_MASS = r"(?P<unit>milligrams?|mg|grams?|gr|g)(?![a-z])\.?"
_AMOUNT = rf"(?P<mg>{_NUMBER})\s*{_MASS}"
_UNIT = (
    r"(?:kauw|bruis|zuig|chewable\s+)?"
    r"(?:tabletten|tablets?|tabl?\.?|tabs?|capsules?|caps\.?|softgels?|vcaps?|"
    r"zakjes?|sachets?|scoops?|maatschepjes?|schepjes?)(?![a-z])"
)
_DAILY = (
    r"(?:per\s+dag|p\.?\s?/?\s?d\.?(?![a-z])|daags|dagelijks|/\s*dag|per\s+day|a\s+day|"
    r"daily|each\s+day|every\s+day|/\s*day)"
)
_TIMES = r"(?:x|keer|maal|times)(?![a-z])"
_COUNT = r"\d+(?:[.,]\d+)?(?:\s*(?:-|–|tot|to|a|à)\s*\d+)?"
_AS = r"(?:as|als|uit|from)"

#: How many a day, with how many at a time: "2 x per dag 1 tablet", "1 tablet 2x per dag".
_DOSES = (
    re.compile(rf"(?P<times>{_COUNT})\s*{_TIMES}\s*{_DAILY}\s*:?\s*(?P<n>{_COUNT})\s*{_UNIT}"),
    re.compile(rf"(?P<n>{_COUNT})\s*{_UNIT}\s*,?\s*(?P<times>{_COUNT})\s*{_TIMES}\s*{_DAILY}"),
    re.compile(rf"(?P<n>{_COUNT})\s*{_UNIT}\s*{_DAILY}"),
    re.compile(rf"{_DAILY}\s*:?\s*(?P<n>{_COUNT})\s*{_UNIT}"),
    re.compile(rf"(?P<times>{_COUNT})\s*{_TIMES}\s*{_DAILY}"),
)
#: Per how many units the amount is: "per 2 tabletten:", "per capsule", "each tablet".
_PER = re.compile(
    rf"(?:per|pro|each|elke|iedere?)\s+(?:(?P<n>\d+)\s*)?{_UNIT}\s*:?"
    rf"|per\s+(?:dagdosis|dagelijkse\s+dosis|daily\s+dose|serving|portie|dosis)"
    rf"(?:\s*\(\s*(?P<n2>\d+)\s*{_UNIT}\s*\))?\s*:?"
)
#: Units in front of the amount, not said to be the serving: "2 tabletten magnesium 250 mg".
_LEADING_UNITS = re.compile(rf"^\s*(?P<n>\d+)\s*(?P<unit>{_UNIT})\s*:?\s*")
#: The form in brackets: "magnesium (als citraat) 200 mg", "magnesium 200 mg (as citrate)".
_BRACKETED = (
    re.compile(rf"magnesium\s*\(\s*{_AS}\s+(?P<form>[^)]*?)\s*\)\s*[:=]?\s*{_AMOUNT}"),
    re.compile(rf"magnesium\s*[:=]?\s*{_AMOUNT}\s*\(\s*{_AS}\s+(?P<form>[^)]*?)\s*\)"),
    re.compile(
        rf"{_AMOUNT}\s*(?:elementair\s+|elemental\s+)?magnesium\s*\(\s*{_AS}\s+(?P<form>[^)]*?)\s*\)"
    ),
)
_FORM_IN_BRACKETS = re.compile(rf"magnesium\s*\(\s*{_AS}\s+(?P<form>[^)]*?)\s*\)")
_AMOUNT_ANYWHERE = re.compile(_AMOUNT)
#: Words that say the amount is the whole compound.
_COMPOUND_WORDS = re.compile(r"\b(?:verbinding|compound|zout|salt)\b")
#: Words that say the amount is magnesium itself.
_ELEMENTAL_WORDS = re.compile(r"\b(?:elementair|elemental)\b")
_NUMBER_WORDS = {
    "een": "1",
    "one": "1",
    "twee": "2",
    "two": "2",
    "drie": "3",
    "three": "3",
    "vier": "4",
    "four": "4",
}
#: "twice daily", "tweemaal daags": a number of times.
_TIMES_WORDS = {
    "once": "1 x",
    "eenmaal": "1 x",
    "twice": "2 x",
    "tweemaal": "2 x",
    "thrice": "3 x",
    "driemaal": "3 x",
}
_TIMES_WORD = re.compile(rf"\b(?P<word>{'|'.join(_TIMES_WORDS)})\b")
_NUMBER_WORD = re.compile(rf"\b(?P<word>{'|'.join(_NUMBER_WORDS)})\b(?=\s*(?:{_UNIT}|{_TIMES}))")
#: Words that carry no meaning for the reading ("magnesium 250 mg per tablet, vegan").
_FILLER = frozenset(
    {
        "magnesium",
        "bevat",
        "contains",
        "met",
        "with",
        "mg",
        "neem",
        "take",
        "gebruik",
        "use",
        "dosering",
        "dosage",
        "aanbevolen",
        "recommended",
        "tot",
        "up",
        "to",
        "van",
        "of",
        "en",
        "and",
        "innemen",
        "per",
        "een",
        "a",
        "an",
        "de",
        "het",
        "the",
        "waarvan",
        "providing",
        "levert",
        "elementair",
        "elemental",
        "verbinding",
        "compound",
        "zout",
        "salt",
    }
)


def _normalised(text: str) -> str:
    """Lower case without accents, one space between words, number words as digits."""
    lowered = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    plain = re.sub(r"\s+", " ", plain).strip()
    plain = _TIMES_WORD.sub(lambda match: _TIMES_WORDS[match.group("word")], plain)
    return _NUMBER_WORD.sub(lambda match: _NUMBER_WORDS[match.group("word")], plain)


def _segments(text: str) -> list[str]:
    """The parts of a label: lines, or parts between ";" "|" "•", or "," not between digits
    (a decimal comma) and not inside brackets ("magnesium (als citraat, watervrij) 200 mg")."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        depth = max(depth, 0)
        decimal = (
            char == ","
            and 0 < index < len(text) - 1
            and text[index - 1].isdigit()
            and text[index + 1].isdigit()
        )
        if char in "\n;|•" or (char == "," and depth == 0 and not decimal):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip(" .") for part in parts if part.strip(" .")]


def _number(raw: str) -> float:
    """A number as labels write it: "187,5", "187.5", and "1.000" (a Dutch thousand)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return float(raw.replace(".", ""))
    return float(raw.replace(",", "."))


def _count(raw: str) -> tuple[float, float]:
    """A count or a range of counts ("1-2"): (low, high)."""
    values = [_number(part) for part in re.findall(_NUMBER, raw)]
    return min(values), max(values)


def _milligrams(raw: str, unit: str) -> float:
    value = _number(raw)
    return value if unit.startswith("m") else value * 1000


# --- the forms ------------------------------------------------------------------------------------


def _lookup(catalogue: FormCatalogue, words: str) -> tuple[SupplementForm, ...] | None:
    try:
        return catalogue.resolve(words)
    except InvalidInputError:
        return None


def _named_form(
    catalogue: FormCatalogue, words: str
) -> tuple[str, tuple[SupplementForm, ...]] | None:
    """The form that `words` name ("magnesiumcitraat", "magnesium glycerofosfaat", "citrate
    anhydrous", "bisglycinaat chelaat"): the words used and the forms, or None."""
    words = re.sub(r"[^a-z0-9\- ]+", " ", words).strip()
    if not words:
        return None
    tokens = [token.strip("-") for token in words.split() if token.strip("-")]
    # Start at the last "magnesium…" word: "2 tabletten magnesiumcitraat" names citraat.
    starts = [i for i, token in enumerate(tokens) if token.startswith("magnesium")]
    tokens = tokens[starts[-1] :] if starts else tokens
    # the longest run of words that names a form, leftmost first ("vitakruid citraat": citraat)
    spans = sorted(
        ((start, end) for start in range(len(tokens)) for end in range(start + 1, len(tokens) + 1)),
        key=lambda span: (span[0] - span[1], span[0]),
    )
    for start, end in spans:
        phrase = " ".join(tokens[start:end])
        candidates = [phrase]
        if phrase.startswith("magnesium"):
            rest = phrase.removeprefix("magnesium").strip(" -")
            if rest:
                candidates.append(rest)
        for candidate in candidates:
            forms = _lookup(catalogue, candidate)
            if forms:
                shown = candidate if candidate != "magnesium" else phrase
                return shown, forms
    return None


# --- reading --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Amount:
    mg: float
    basis: AmountBasis
    form_words: str | None
    forms: tuple[SupplementForm, ...]
    leading_units: float | None
    leading_unit_word: str = ""


@dataclass(slots=True)
class _Found:
    amounts: list[_Amount] = field(default_factory=list)
    forms: list[tuple[str, tuple[SupplementForm, ...]]] = field(default_factory=list)
    units_per_serving: float | None = None
    doses: list[tuple[tuple[float, float], tuple[float, float] | None]] = field(
        default_factory=list
    )
    ignored: list[str] = field(default_factory=list)
    understood_anything: bool = False
    serving_stated: bool = False
    per_daily_portion: bool = False


def _take_doses(segment: str, found: _Found) -> str:
    for pattern in _DOSES:
        while (match := pattern.search(segment)) is not None:
            groups = match.groupdict()
            times = _count(groups["times"]) if groups.get("times") else (1.0, 1.0)
            units = _count(groups["n"]) if groups.get("n") else None
            found.doses.append((times, units))
            segment = segment[: match.start()] + " " + segment[match.end() :]
    return segment


def _take_serving(segment: str, found: _Found) -> str:
    """Take "per 2 tabletten:", "per capsule", "each tablet" or "per dagdosis (2 tabletten)"
    out of the part; the units per serving go to `found`."""
    match = _PER.search(segment)
    if match is None:
        return segment
    count = match.group("n") or match.group("n2")
    if re.search(r"dosis|dose|serving|portie", match.group(0)):
        found.per_daily_portion = True
    if count is not None:
        found.units_per_serving = float(count)
    elif not found.per_daily_portion:
        found.units_per_serving = 1.0
    found.serving_stated = True
    return segment[: match.start()] + " " + segment[match.end() :]


def _amount_in(segment: str, catalogue: FormCatalogue) -> tuple[_Amount, str] | None:
    """The magnesium amount in one part, and what is left of the part; None when the part has
    no amount of magnesium (or of a magnesium compound)."""
    leading: float | None = None
    lead = _LEADING_UNITS.match(segment)
    if lead is not None and _AMOUNT_ANYWHERE.search(segment):
        leading = float(lead.group("n"))
        segment = segment[lead.end() :]
        taken = _amount_in(segment, catalogue)
        if taken is None:
            return None
        taken[0].leading_units, taken[0].leading_unit_word = leading, lead.group("unit").strip()
        return taken
    for pattern in _BRACKETED:
        match = pattern.search(segment)
        if match is not None:
            words = match.group("form")
            exact = _lookup(catalogue, words)
            # "magnesiumcitraat, watervrij": the words that name a form
            named = None if exact else _named_form(catalogue, words)
            if exact:
                forms = exact
            elif named is not None:
                words, forms = named
            else:
                forms = catalogue.resolve(words)  # an unknown form is an error, as it was
            amount = _Amount(
                _milligrams(match.group("mg"), match.group("unit")),
                AmountBasis.ELEMENTAL,
                words,
                forms,
                leading,
            )
            return amount, segment[: match.start()] + " " + segment[match.end() :]
    match = _AMOUNT_ANYWHERE.search(segment)
    if match is None:
        return None
    mg = _milligrams(match.group("mg"), match.group("unit"))
    before = segment[: match.start()].strip(" :=")
    after = segment[match.end() :].strip(" :=")
    left = before + " " + after
    # "magnesium 250 mg", "250 mg magnesium", "magnesium forte 400 mg": the element itself,
    # unless the words by the amount name a compound ("magnesium citrate 400 mg", below).
    bracket = _FORM_IN_BRACKETS.search(segment)
    compound_by_amount = (
        not bracket
        and not re.search(r"(?:^|\s)magnesium$", before)
        and any(
            "magnesium" in words and _named_form(catalogue, words) is not None
            for words in (before, after)
        )
    )
    magnesium_word = r"(?:^|\s)(?:elementair\s+|elemental\s+)?magnesium(?=\s|$)"
    if not compound_by_amount and (
        re.search(magnesium_word, before) or re.match(magnesium_word, after)
    ):
        rest = re.sub(magnesium_word, " ", before) + " " + re.sub(magnesium_word, " ", after)
        # "Vitakruid Magnesium 400 mg citraat": the form may be named anywhere in the part
        named = _named_form(catalogue, bracket.group("form") if bracket else rest)
        form_words, forms = named if named else (None, ())
        if bracket:
            rest = re.sub(rf"\(\s*{_AS}\s+[^)]*\)", " ", rest)
        elif named is not None:
            rest = rest.replace(named[0], " ")
        return _Amount(mg, AmountBasis.ELEMENTAL, form_words, forms, leading), rest
    # "Magnesiumcitraat 400 mg", "400 mg magnesium citrate": a compound's name by the amount.
    for words in (before, after):
        named = _named_form(catalogue, words)
        if named is not None and ("magnesium" in words or words.strip() == named[0]):
            basis = AmountBasis.UNSTATED
            if _COMPOUND_WORDS.search(segment):
                basis = AmountBasis.COMPOUND
            elif _ELEMENTAL_WORDS.search(segment):
                basis = AmountBasis.ELEMENTAL
            rest = left.replace(words, " ")
            return _Amount(mg, basis, named[0], named[1], leading), rest
    return None


def _meaningful(rest: str) -> str:
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9\-]*", rest) if w not in _FILLER]
    return " ".join(words)


def read_label(text: str, catalogue: FormCatalogue) -> LabelReading:
    """Read a supplement label (see the module's docstring). Raises `InvalidInputError` when
    nothing about magnesium can be read, when the amount is not plausible or when the parts
    contradict each other; a form without an amount is a reading with `amount_mg` None."""
    original = text.strip()
    found = _Found()
    for raw in (_normalised(part) for part in _segments(original)):
        segment = _take_doses(raw, found)
        doses_here = segment != raw
        segment = _take_serving(segment, found)
        taken = _amount_in(segment, catalogue)
        if taken is not None:
            amount, rest = taken
            found.amounts.append(amount)
            found.understood_anything = True
        else:
            rest = segment
            named = _named_form(catalogue, segment) if "magnesium" in segment else None
            if named is not None:
                found.forms.append(named)
                found.understood_anything = True
                rest = segment.replace(named[0], " ")
                rest = re.sub(r"magnesium", " ", rest)
            elif doses_here or found.serving_stated:
                found.understood_anything = True
            if _AMOUNT_ANYWHERE.search(rest):
                # an amount of something else ("vitamine C 100 mg"): not magnesium
                found.ignored.append(raw)
                continue
        leftover = _meaningful(rest)
        if leftover:
            found.ignored.append(leftover)
    if not found.understood_anything:
        raise InvalidInputError(Code.SUPPLEMENT_LABEL_UNREADABLE, text=original)
    return _reading(original, found)


def _chosen_amount(found: _Found) -> tuple[_Amount | None, list[Message]]:
    """The amount the reading uses: the elemental one when the label also names the compound's
    ("magnesiumcitraat 1000 mg, waarvan magnesium 160 mg"); two of a kind are an error."""
    elemental = [a for a in found.amounts if a.basis is AmountBasis.ELEMENTAL]
    others = [a for a in found.amounts if a.basis is not AmountBasis.ELEMENTAL]
    if len(elemental) > 1 or (not elemental and len(others) > 1):
        several = elemental if len(elemental) > 1 else others
        raise InvalidInputError(
            Code.LABEL_SEVERAL_AMOUNTS, first=several[0].mg, second=several[1].mg
        )
    if not elemental:
        return (others[0] if others else None), []
    amount = elemental[0]
    notes: list[Message] = []
    for other in others:
        notes.append(
            Message.of(
                Code.LABEL_NOTE_COMPOUND_SEEN,
                compound=other.mg,
                form=other.form_words or "",
                elemental=amount.mg,
            )
        )
        if not amount.forms:
            amount.form_words, amount.forms = other.form_words, other.forms
    return amount, notes


def _reading(text: str, found: _Found) -> LabelReading:
    amount, notes = _chosen_amount(found)
    form_words = amount.form_words if amount else None
    forms = amount.forms if amount else ()
    if not forms and found.forms:
        form_words, forms = found.forms[0]
    if amount is not None and amount.mg > MAX_DAILY_ELEMENTAL_MG:
        raise InvalidInputError(
            Code.LABEL_AMOUNT_IMPLAUSIBLE,
            amount=amount.mg,
            maximum=round(MAX_DAILY_ELEMENTAL_MG),
        )
    if amount is not None and amount.mg <= 0:
        raise InvalidInputError(Code.SUPPLEMENT_AMOUNT_NOT_POSITIVE, amount=amount.mg)

    # Units per serving and the reading of units not said to be the serving.
    units: float | None = found.units_per_serving
    other_units: float | None = None
    units_per_day, dose_notes = _units_per_day(found)
    notes.extend(dose_notes)
    if found.per_daily_portion and units is None:
        units = units_per_day  # "per dagdosis": the amount is for a whole day's tablets
    if amount is not None and units is None and amount.leading_units is not None:
        units = amount.leading_units
        if units > 1:
            other_units = 1.0
    if amount is not None and units is None and units_per_day is not None and units_per_day > 1:
        units, other_units = 1.0, units_per_day
    # The figures.
    elemental_mg: float | None = None
    if_compound: tuple[float, float] | None = None
    if amount is not None:
        compound_values = [form.elemental_mg(amount.mg) for form in forms]
        compound_range = (min(compound_values), max(compound_values)) if compound_values else None
        if amount.basis is AmountBasis.COMPOUND and compound_range is not None:
            # (the compound basis is only read by a form's name, so the range is there)
            elemental_mg = compound_range[1]
            if_compound = compound_range
            notes.append(
                _figure_note(
                    Code.LABEL_NOTE_COMPOUND,
                    Code.LABEL_NOTE_COMPOUND_RANGE,
                    amount.mg,
                    form_words or "",
                    compound_range,
                )
            )
        else:
            elemental_mg = amount.mg
            if amount.basis is AmountBasis.UNSTATED and compound_range is not None:
                if_compound = compound_range
                notes.append(
                    _figure_note(
                        Code.LABEL_NOTE_UNSTATED,
                        Code.LABEL_NOTE_UNSTATED_RANGE,
                        amount.mg,
                        form_words or "",
                        compound_range,
                    )
                )
            else:
                notes.append(Message.of(Code.LABEL_NOTE_ELEMENTAL, amount=amount.mg))
    if_other_units: float | None = None
    if elemental_mg is not None and units is not None and other_units is not None:
        if_other_units = elemental_mg * units / other_units
        code = Code.LABEL_NOTE_UNITS_LEADING if other_units == 1 else Code.LABEL_NOTE_UNITS_UNSTATED
        notes.append(
            Message.of(
                code,
                amount=elemental_mg,
                units=units,
                other_units=other_units,
                unit=amount.leading_unit_word if amount else "",
                alternative=round(if_other_units, 1),
            )
        )
    servings: float | None = None
    if units_per_day is not None:
        per_serving = units if units is not None else 1.0
        servings = units_per_day / per_serving
        notes.append(
            Message.of(
                Code.LABEL_NOTE_SERVINGS,
                units_per_day=units_per_day,
                units=per_serving,
                servings=round(servings, 2),
            )
        )
    times_only = [d for d in found.doses if d[1] is None]
    if servings is None and times_only:
        servings = times_only[0][0][1]  # "2 x per dag": two servings, whatever a serving is
    if servings is None and found.per_daily_portion:
        servings = 1.0
    reading = LabelReading(
        text=text,
        form_words=form_words,
        forms=forms,
        amount_mg=amount.mg if amount else None,
        amount_basis=amount.basis if amount else None,
        elemental_mg=elemental_mg,
        elemental_if_compound_mg=if_compound,
        units_per_serving=units,
        other_units_per_serving=other_units,
        elemental_if_other_units_mg=if_other_units,
        servings_per_day=servings,
        units_per_day=units_per_day,
        notes=tuple(notes),
    )
    counted = reading.counted_mg
    extra: list[Message] = []
    if counted is not None and reading.ambiguous:
        extra.append(Message.of(Code.LABEL_NOTE_COUNTED_HIGHER, counted=round(counted, 1)))
    extra.extend(Message.of(Code.LABEL_NOTE_IGNORED, text=part) for part in found.ignored)
    if extra:
        reading = replace(reading, notes=(*reading.notes, *extra))
    return reading


def _units_per_day(found: _Found) -> tuple[float | None, list[Message]]:
    """Tablets (capsules …) a day from the doses found, the highest of a range ("1-2")."""
    notes: list[Message] = []
    totals: list[float] = []
    for times, units in found.doses:
        if units is None:
            continue
        low, high = times[0] * units[0], times[1] * units[1]
        if low != high:
            notes.append(Message.of(Code.LABEL_NOTE_DOSE_RANGE, low=low, high=high))
        totals.append(high)
    if not totals:
        return None, notes
    if len(set(totals)) > 1:
        raise InvalidInputError(Code.LABEL_SEVERAL_DOSES, first=totals[0], second=totals[1])
    if totals[0] <= 0:
        raise InvalidInputError(Code.SUPPLEMENT_AMOUNT_NOT_POSITIVE, amount=totals[0])
    return totals[0], notes


def _figure_note(
    exact: Code, spread: Code, amount: float, form: str, span: tuple[float, float]
) -> Message:
    """A note with the magnesium in `amount` mg of the compound: one figure (`exact`), or a
    range (`spread`) for a name that can mean several salts."""
    low, high = (round(value, 1) for value in span)
    if low == high:
        return Message.of(exact, amount=amount, form=form, elemental=high)
    return Message.of(spread, amount=amount, form=form, low=low, high=high)
