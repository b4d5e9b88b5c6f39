"""Magnesium deficiency-risk screen: a risk level with its reasons, never a diagnosis.

The points are Rugwijzer's own rule, not a validated score (docs/safety.md): estimated intake far
below the target counts most, risk groups from NIH ODS next, and the non-specific symptoms least.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code

__all__ = [
    "NOT_NIH_SYMPTOMS",
    "RISK_GROUPS",
    "SYMPTOMS",
    "ScreenAnswers",
    "ScreenResult",
    "parse_screen",
    "screen",
]

#: Symptom keys with Dutch and English names. All but stiffness and irritability are on the NIH ODS
#: list of deficiency signs (loss of appetite, nausea, vomiting, fatigue, weakness; then numbness,
#: tingling, muscle contractions and cramps, abnormal heart rhythms).
SYMPTOMS: Mapping[str, tuple[str, str]] = {
    "cramps": ("spierkrampen", "muscle cramps"),
    "stiffness": ("stijve spieren", "stiff muscles"),
    "fatigue": ("vermoeidheid", "tiredness"),
    "irritability": ("prikkelbaarheid", "irritability"),
    "numbness_or_tingling": ("doof gevoel of tintelingen", "numbness or tingling"),
    "palpitations": ("hartkloppingen", "palpitations"),
    "poor_appetite": ("weinig eetlust", "poor appetite"),
    "nausea": ("misselijkheid", "nausea"),
    "weakness": ("zwakte", "weakness"),
}
#: Symptoms the NIH ODS fact sheet does not list: popular articles name them, so the screen asks,
#: but says so and does not count them towards the risk.
NOT_NIH_SYMPTOMS = frozenset({"stiffness", "irritability"})
#: Risk-group keys with Dutch and English names (NIH ODS groups at risk; PPIs and diuretics).
RISK_GROUPS: Mapping[str, tuple[str, str]] = {
    "gut_disease": (
        "darmziekte (zoals Crohn of coeliakie) of chronische diarree",
        "gut disease (such as Crohn's or coeliac disease) or chronic diarrhoea",
    ),
    "type2_diabetes": ("diabetes type 2", "type 2 diabetes"),
    "alcohol": ("veel alcohol", "heavy alcohol use"),
    "older_age": ("hogere leeftijd (65+)", "older age (65+)"),
    "proton_pump_inhibitor": (
        "langdurig maagbeschermer (protonpompremmer)",
        "long-term proton pump inhibitor",
    ),
    "diuretic": ("plaspillen (lis- of thiazidediuretica)", "loop or thiazide diuretics"),
}
OLDER_AGE_YEARS = 65.0
# Rugwijzer's own thresholds and points (a transparent rule, not a validated instrument).
_VERY_LOW_INTAKE_SHARE = 0.5
_LOW_INTAKE_SHARE = 0.75
_MANY_SYMPTOMS = 3
_MODERATE_FROM = 2
_ELEVATED_FROM = 4

Level = Literal["low", "moderate", "elevated"]


@dataclass(frozen=True, slots=True)
class ScreenAnswers:
    """What the screen knows: symptoms, risk groups, age, and food intake against the target."""

    symptoms: frozenset[str]
    risk_groups: frozenset[str]
    age_years: float | None = None
    intake_mg: float | None = None
    target_mg: float | None = None


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """The risk level, the points behind it and each reason as a message key with parameters."""

    level: Level
    points: int
    reasons: tuple[tuple[str, Mapping[str, object]], ...]
    see_gp_symptoms: tuple[str, ...]


def parse_screen(data: object) -> ScreenAnswers:
    """Validate JSON screen answers: {"symptoms": [...], "risk_groups": [...], "age": 70,
    "intake_mg": 210, "target_mg": 300}."""
    if not isinstance(data, dict):
        raise InvalidInputError(Code.SCREEN_ANSWERS_NOT_OBJECT)
    allowed = {"symptoms", "risk_groups", "age", "intake_mg", "target_mg"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInputError(Code.SCREEN_UNKNOWN_FIELDS, fields=tuple(unknown))

    def names(key: str, known: Mapping[str, object]) -> frozenset[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInputError(Code.SCREEN_NOT_A_LIST, field=key)
        wrong = sorted(set(value) - set(known))
        if wrong:
            raise InvalidInputError(
                Code.SCREEN_UNKNOWN_NAMES, field=key, names=tuple(wrong), known=tuple(known)
            )
        return frozenset(value)

    def number(key: str, limit: float) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= limit:
            raise InvalidInputError(Code.SCREEN_NUMBER_RANGE, field=key, maximum=limit)
        return float(value)

    return ScreenAnswers(
        symptoms=names("symptoms", SYMPTOMS),
        risk_groups=names("risk_groups", RISK_GROUPS),
        age_years=number("age", 130),
        intake_mg=number("intake_mg", 5000),
        target_mg=number("target_mg", 1000),
    )


def screen(answers: ScreenAnswers) -> ScreenResult:
    """Risk of low magnesium: `low`, `moderate` or `elevated`, with every reason."""
    points = 0
    reasons: list[tuple[str, Mapping[str, object]]] = []
    if answers.intake_mg is not None and answers.target_mg:
        share = answers.intake_mg / answers.target_mg
        if share < _VERY_LOW_INTAKE_SHARE:
            points += 2
        elif share < _LOW_INTAKE_SHARE:
            points += 1
        if share < _LOW_INTAKE_SHARE:
            reasons.append(("screen.low_intake", {"percent": round(100 * share)}))
    groups = set(answers.risk_groups)
    if answers.age_years is not None and answers.age_years >= OLDER_AGE_YEARS:
        groups.add("older_age")
    for group in sorted(groups):
        points += 1
        reasons.append(("screen.risk_group", {"group": group}))
    listed = answers.symptoms - NOT_NIH_SYMPTOMS
    if listed:
        if len(listed) >= _MANY_SYMPTOMS:
            points += 1
        reasons.append(("screen.symptoms", {"symptoms": sorted(listed)}))
    unlisted = answers.symptoms & NOT_NIH_SYMPTOMS
    if unlisted:
        reasons.append(("screen.symptoms_not_nih", {"symptoms": sorted(unlisted)}))
    level: Level = "low"
    if points >= _ELEVATED_FROM:
        level = "elevated"
    elif points >= _MODERATE_FROM:
        level = "moderate"
    # Numbness, tingling and palpitations deserve a doctor whatever the magnesium.
    see_gp = tuple(s for s in ("numbness_or_tingling", "palpitations") if s in answers.symptoms)
    return ScreenResult(level, points, tuple(reasons), see_gp)
