"""Back-pain red-flag triage: answers → urgency, with the reasons. Never a diagnosis.

The red flags come from the NHS pathway based on NICE CKS, the Dutch NHG standard M54 (2017) and
the KNGF guideline (2021), grouped by the cause they point to. Every rule only ever raises the
urgency, so no other answer can lower an emergency; the rules and their urgencies are Rugwijzer's
reading of those guidelines, documented in docs/safety.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code

__all__ = [
    "ANSWER_KEYS",
    "MAX_AGE_YEARS",
    "MAX_PAIN_WEEKS",
    "QUESTIONS",
    "Question",
    "RedFlag",
    "TriageResult",
    "Urgency",
    "duration_class",
    "parse_answers",
    "question",
    "triage",
]


class Urgency(IntEnum):
    """How soon to get help; higher is more urgent."""

    NONE = 0  # self-care is usually enough
    SOON = 1  # GP within days
    URGENT = 2  # today: GP or out-of-hours GP post
    EMERGENCY = 3  # now: GP at once or the emergency department; 112 when severe

    @property
    def label(self) -> str:
        """The name used in JSON: none, soon, urgent, emergency."""
        return self.name.lower()


Group = Literal[
    "cauda_equina",
    "aortic_aneurysm",
    "infection",
    "fracture",
    "cancer",
    "inflammatory",
    "nerve_root",
]


@dataclass(frozen=True, slots=True)
class Question:
    """One question, in Rugwijzer's own words."""

    key: str
    kind: Literal["yes_no", "years", "weeks"]
    nl: str
    en: str


QUESTIONS: tuple[Question, ...] = (
    Question("age", "years", "Hoe oud ben je (in jaren)?", "How old are you (in years)?"),
    Question(
        "pain_weeks",
        "weeks",
        "Hoeveel weken heb je deze rugpijn al?",
        "For how many weeks have you had this back pain?",
    ),
    Question(
        "not_improving",
        "yes_no",
        "Is de pijn de afgelopen weken gelijk gebleven of erger geworden?",
        "Over the past few weeks, has the pain stayed the same or got worse?",
    ),
    Question(
        "bladder_or_bowel_change",
        "yes_no",
        "Kun je sinds de rugpijn minder goed plassen of je ontlasting ophouden, of merk je een andere verandering daarin?",
        "Since the back pain began, is it harder to pass urine or to hold urine or stool, or has anything else changed there?",
    ),
    Question(
        "saddle_numbness",
        "yes_no",
        "Voelt de huid rond je anus, geslachtsdelen of binnenkant van de dijen doof of anders aan?",
        "Does the skin around your anus, genitals or inner thighs feel numb or different?",
    ),
    Question(
        "leg_weakness_progressive",
        "yes_no",
        "Wordt een been steeds krachtelozer, of loop je steeds moeilijker?",
        "Is a leg getting weaker and weaker, or is walking getting harder?",
    ),
    Question(
        "recent_back_surgery",
        "yes_no",
        "Heb je de afgelopen weken een operatie of een andere ingreep aan je rug gehad?",
        "Have you had an operation or another procedure on your back in the past few weeks?",
    ),
    Question(
        "sudden_severe_pain_unchanged_by_position",
        "yes_no",
        "Begon de pijn plotseling en heel hevig, en verandert hij niet als je anders gaat liggen of zitten?",
        "Did the pain start suddenly and very severely, and does it stay the same whatever position you take?",
    ),
    Question(
        "fever",
        "yes_no",
        "Heb je koorts (38 °C of hoger) of koude rillingen?",
        "Do you have a fever (38 °C or higher) or shivering fits?",
    ),
    Question(
        "iv_drug_use", "yes_no", "Spuit je drugs in een ader?", "Do you inject drugs into a vein?"
    ),
    Question(
        "immunosuppressed",
        "yes_no",
        "Is je afweer verminderd, bijvoorbeeld door medicijnen, chemotherapie of een ziekte?",
        "Is your immune system weakened, for example by medicines, chemotherapy or an illness?",
    ),
    Question(
        "recent_infection",
        "yes_no",
        "Heb je onlangs een bacteriële infectie gehad (zoals een blaasontsteking of huidinfectie) of een wond?",
        "Have you recently had a bacterial infection (such as a bladder or skin infection) or a wound?",
    ),
    Question(
        "major_trauma",
        "yes_no",
        "Begon de pijn na een flinke klap, val of ongeluk?",
        "Did the pain start after a heavy blow, fall or accident?",
    ),
    Question(
        "minor_trauma_with_osteoporosis_or_steroids",
        "yes_no",
        "Begon de pijn na een kleine val of til, terwijl je botontkalking hebt of langdurig prednison (of een vergelijkbaar middel) gebruikt?",
        "Did the pain start after a minor fall or lift while you have osteoporosis or take steroid medicine such as prednisone long-term?",
    ),
    Question(
        "history_of_cancer", "yes_no", "Heb je ooit kanker gehad?", "Have you ever had cancer?"
    ),
    Question(
        "unexplained_weight_loss",
        "yes_no",
        "Ben je de laatste tijd afgevallen zonder dat je dat probeerde?",
        "Have you lost weight recently without trying?",
    ),
    Question(
        "night_pain_not_relieved_by_rest",
        "yes_no",
        "Heb je 's nachts pijn die niet minder wordt van rust of van houding veranderen?",
        "Do you have pain at night that does not ease with rest or a change of position?",
    ),
    Question(
        "morning_stiffness_over_30_min_improving_with_exercise",
        "yes_no",
        "Ben je 's ochtends langer dan een half uur stijf, en wordt het beter als je beweegt?",
        "Are you stiff for more than half an hour in the morning, and does it get better when you move?",
    ),
    Question(
        "leg_pain_below_knee",
        "yes_no",
        "Straalt de pijn uit tot onder de knie?",
        "Does the pain spread to below the knee?",
    ),
)
ANSWER_KEYS = tuple(q.key for q in QUESTIONS)
_YES_NO_KEYS = frozenset(q.key for q in QUESTIONS if q.kind == "yes_no")
_BY_KEY = {q.key: q for q in QUESTIONS}


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A reason the triage found, with its urgency, the cause it points to and sources."""

    key: str
    group: Group
    urgency: Urgency
    nl: str
    en: str
    sources: tuple[str, ...]


_NHS = "nhs-cks-red-flags"
_NHG = "nhg-m54-2017"
_NHG_FULL = "nhg-m54-2017-henw"
_KNGF = "kngf-2021"
_NICE = "nice-ng59"

FLAGS: Mapping[str, RedFlag] = {
    flag.key: flag
    for flag in (
        RedFlag(
            "bladder_or_bowel_change",
            "cauda_equina",
            Urgency.EMERGENCY,
            "Verandering in plassen of ontlasting sinds de rugpijn: kan wijzen op beknelling van de zenuwen onderin de wervelkolom (caudasyndroom). Een arts moet dit meteen beoordelen.",
            "A change in passing urine or stool since the back pain began: can point to compression of the nerves at the bottom of the spine (cauda equina syndrome). A doctor needs to assess this straight away.",
            (_NHS, _NHG),
        ),
        RedFlag(
            "saddle_numbness",
            "cauda_equina",
            Urgency.EMERGENCY,
            "Doof of anders gevoel rond anus, geslachtsdelen of binnenkant van de dijen (rijbroekanesthesie): kan wijzen op een caudasyndroom. Een arts moet dit meteen beoordelen.",
            "Numb or changed feeling around the anus, genitals or inner thighs (saddle anaesthesia): can point to cauda equina syndrome. A doctor needs to assess this straight away.",
            (_NHS, _NHG),
        ),
        RedFlag(
            "leg_weakness_progressive",
            "cauda_equina",
            Urgency.EMERGENCY,
            "Een been wordt steeds zwakker of lopen gaat steeds moeilijker: zenuwen kunnen bekneld raken. Een arts moet dit meteen beoordelen.",
            "A leg getting weaker and weaker, or walking getting harder: nerves may be compressed. A doctor needs to assess this straight away.",
            (_NHS, _NHG),
        ),
        RedFlag(
            "cauda_equina_after_back_surgery",
            "cauda_equina",
            Urgency.EMERGENCY,
            "Deze klachten kort na een operatie of ingreep aan de rug maken beknelling van de zenuwen (caudasyndroom) waarschijnlijker.",
            "These complaints shortly after an operation or procedure on the back make compression of the nerves (cauda equina syndrome) more likely.",
            (_NHG,),
        ),
        RedFlag(
            "recent_back_surgery",
            "cauda_equina",
            Urgency.URGENT,
            "Een recente operatie of ingreep aan de rug: de huisartsenrichtlijn noemt dit bij de signalen van een caudasyndroom. Laat rugpijn daarna vandaag beoordelen, en meteen als plassen, ontlasting, gevoel of kracht in de benen verandert.",
            "A recent operation or procedure on the back: the Dutch GP guideline lists it among the signs of cauda equina syndrome. Have back pain after it checked today, and at once if passing urine or stool, feeling or strength in the legs changes.",
            (_NHG,),
        ),
        RedFlag(
            "sudden_severe_pain_unchanged_by_position",
            "aortic_aneurysm",
            Urgency.EMERGENCY,
            "Plotselinge, hevige pijn die niet verandert met de houding: kan wijzen op een probleem met de grote lichaamsslagader (vooral boven de 40).",
            "Sudden, severe pain that does not change with position: can point to a problem with the main artery (especially over 40).",
            (_NHG,),
        ),
        RedFlag(
            "fever",
            "infection",
            Urgency.URGENT,
            "Koorts bij rugpijn: kan wijzen op een infectie.",
            "Fever with back pain: can point to an infection.",
            (_NHS, _KNGF),
        ),
        RedFlag(
            "fever_with_infection_risk",
            "infection",
            Urgency.URGENT,
            "Koorts samen met een verhoogd infectierisico (drugs spuiten, verminderde afweer of een recente infectie).",
            "Fever together with a higher risk of infection (injecting drugs, weakened immunity or a recent infection).",
            (_NHS, _KNGF),
        ),
        RedFlag(
            "iv_drug_use",
            "infection",
            Urgency.SOON,
            "Drugs spuiten verhoogt de kans op een infectie van de wervelkolom.",
            "Injecting drugs raises the chance of an infection of the spine.",
            (_NHS,),
        ),
        RedFlag(
            "immunosuppressed",
            "infection",
            Urgency.SOON,
            "Een verminderde afweer verhoogt de kans op een infectie.",
            "Weakened immunity raises the chance of an infection.",
            (_NHS,),
        ),
        RedFlag(
            "recent_infection",
            "infection",
            Urgency.SOON,
            "Een recente bacteriële infectie of wond verhoogt de kans op een infectie van de wervelkolom.",
            "A recent bacterial infection or wound raises the chance of an infection of the spine.",
            (_NHS,),
        ),
        RedFlag(
            "major_trauma",
            "fracture",
            Urgency.EMERGENCY,
            "Pijn na een flinke klap, val of ongeluk: er kan iets gebroken zijn.",
            "Pain after a heavy blow, fall or accident: something may be broken.",
            (_NHS, _KNGF),
        ),
        RedFlag(
            "minor_trauma_with_osteoporosis_or_steroids",
            "fracture",
            Urgency.URGENT,
            "Pijn na een kleine val of til bij botontkalking of prednisongebruik: kan wijzen op een inzakkingsbreuk.",
            "Pain after a minor fall or lift with osteoporosis or steroid use: can point to a compression fracture.",
            (_NHS,),
        ),
        RedFlag(
            "history_of_cancer",
            "cancer",
            Urgency.SOON,
            "Kanker in het verleden: nieuwe rugpijn moet de huisarts weten.",
            "A history of cancer: new back pain is something your GP should know about.",
            (_NHS, _KNGF),
        ),
        RedFlag(
            "unexplained_weight_loss",
            "cancer",
            Urgency.SOON,
            "Onbedoeld afvallen samen met rugpijn moet de huisarts weten.",
            "Losing weight without trying, together with back pain, is something your GP should know about.",
            (_NHS,),
        ),
        RedFlag(
            "night_pain_not_relieved_by_rest",
            "cancer",
            Urgency.SOON,
            "Nachtelijke pijn die niet minder wordt met rust past niet bij gewone rugpijn.",
            "Night pain that does not ease with rest does not fit ordinary back pain.",
            (_NHS,),
        ),
        RedFlag(
            "age_new_pain",
            "cancer",
            Urgency.SOON,
            "Nieuwe rugpijn onder de 20 of boven de 50 jaar.",
            "New back pain under 20 or over 50 years of age.",
            (_NHS,),
        ),
        RedFlag(
            "no_improvement",
            "cancer",
            Urgency.SOON,
            "Al 4 weken of langer rugpijn die niet duidelijk beter wordt: de huisarts moet dit weten.",
            "Back pain for 4 weeks or more that is not clearly getting better: something your GP should know about.",
            (_NHS, _NHG_FULL),
        ),
        RedFlag(
            "cancer_signs_combined",
            "cancer",
            Urgency.URGENT,
            "Meerdere signalen tegelijk die samen de kans op een ernstige oorzaak verhogen.",
            "Several signs together that jointly raise the chance of a serious cause.",
            (_KNGF, _NHS),
        ),
        RedFlag(
            "inflammatory_pattern",
            "inflammatory",
            Urgency.SOON,
            "Ochtendstijfheid langer dan een half uur die beter wordt met bewegen: kan passen bij een ontstekingsziekte van de wervelkolom.",
            "Morning stiffness over half an hour that improves with movement: can fit an inflammatory disease of the spine.",
            (_NICE, _KNGF),
        ),
        RedFlag(
            "leg_pain_lasting",
            "nerve_root",
            Urgency.SOON,
            "Uitstralende pijn tot onder de knie die al 6 weken of langer duurt.",
            "Pain spreading below the knee for 6 weeks or longer.",
            (_NHG,),
        ),
    )
}

_CAUDA_EQUINA_SIGNS = ("bladder_or_bowel_change", "saddle_numbness", "leg_weakness_progressive")
_CANCER_SIGNS = ("history_of_cancer", "unexplained_weight_loss", "night_pain_not_relieved_by_rest")
_INFECTION_RISKS = ("iv_drug_use", "immunosuppressed", "recent_infection")
NEW_PAIN_WEEKS = 6.0
NO_IMPROVEMENT_WEEKS = 4.0
MAX_AGE_YEARS = 130
MAX_PAIN_WEEKS = 5200  # a hundred years: the answer is a typing error beyond that


@dataclass(frozen=True, slots=True)
class TriageResult:
    """Urgency with its reasons, the duration class, and the questions left unanswered."""

    urgency: Urgency
    reasons: tuple[RedFlag, ...]
    duration_class: Literal["acute", "subacute", "chronic"] | None
    unknown: tuple[str, ...]


def duration_class(pain_weeks: float | None) -> Literal["acute", "subacute", "chronic"] | None:
    """Acute under 6 weeks, subacute 6 to 12, chronic over 12; None when unknown."""
    if pain_weeks is None:
        return None
    if pain_weeks < 6:
        return "acute"
    if pain_weeks <= 12:
        return "subacute"
    return "chronic"


Answers = Mapping[str, bool | float | None]


def question(key: str) -> Question:
    """The question behind an answer key (KeyError for an unknown key)."""
    return _BY_KEY[key]


def parse_answers(data: object) -> dict[str, bool | float | None]:
    """Validate JSON answers: known keys only, yes/no as true/false/null, age 0-130 years,
    pain_weeks 0-5200. Raises `InvalidInputError` naming the problem."""
    if not isinstance(data, dict):
        raise InvalidInputError(Code.TRIAGE_ANSWERS_NOT_OBJECT)
    unknown = sorted(set(data) - set(ANSWER_KEYS))
    if unknown:
        raise InvalidInputError(Code.TRIAGE_UNKNOWN_KEYS, keys=tuple(unknown))
    answers: dict[str, bool | float | None] = {}
    for key, value in data.items():
        if value is None:
            answers[key] = None
        elif key in _YES_NO_KEYS:
            if not isinstance(value, bool):
                raise InvalidInputError(Code.TRIAGE_NOT_YES_NO, key=key)
            answers[key] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInputError(Code.TRIAGE_NOT_A_NUMBER, key=key)
            limit = MAX_AGE_YEARS if key == "age" else MAX_PAIN_WEEKS
            if not 0 <= value <= limit:
                raise InvalidInputError(
                    Code.TRIAGE_NUMBER_RANGE, key=key, maximum=limit, value=value
                )
            answers[key] = float(value)
    return answers


def triage(answers: Answers) -> TriageResult:
    """The most urgent of all red flags the answers raise. Every rule can only raise the
    urgency, so an emergency is never lowered by any other answer."""

    def yes(key: str) -> bool:
        return answers.get(key) is True

    found: list[str] = [
        key
        for key in (
            *_CAUDA_EQUINA_SIGNS,
            "recent_back_surgery",
            "sudden_severe_pain_unchanged_by_position",
            "major_trauma",
            "minor_trauma_with_osteoporosis_or_steroids",
            "fever",
            *_INFECTION_RISKS,
            *_CANCER_SIGNS,
        )
        if yes(key)
    ]
    # NHG M54 counts a recent procedure on the back among the cauda equina criteria: with any
    # other sign it makes compression more likely (the urgency is already an emergency).
    if yes("recent_back_surgery") and any(yes(k) for k in _CAUDA_EQUINA_SIGNS):
        found.append("cauda_equina_after_back_surgery")
    if yes("fever") and any(yes(k) for k in _INFECTION_RISKS):
        found.append("fever_with_infection_risk")
    age = answers.get("age")
    weeks = answers.get("pain_weeks")
    age_years = float(age) if isinstance(age, int | float) and not isinstance(age, bool) else None
    pain_weeks = (
        float(weeks) if isinstance(weeks, int | float) and not isinstance(weeks, bool) else None
    )
    cancer_signs = sum(yes(k) for k in _CANCER_SIGNS)
    if (
        age_years is not None
        and (age_years > 50 or age_years < 20)
        and (pain_weeks is None or pain_weeks < NEW_PAIN_WEEKS)
    ):
        found.append("age_new_pain")
        cancer_signs += 1
    # "Failure to improve after one month" is a flag at any age (NHS pathway after NICE CKS).
    # Four weeks is the cautious reading of "about a month"; an unanswered improvement question
    # counts as not improving, because only an explicit "it is getting better" clears it.
    if (
        pain_weeks is not None
        and pain_weeks >= NO_IMPROVEMENT_WEEKS
        and answers.get("not_improving") is not False
    ):
        found.append("no_improvement")
        cancer_signs += 1
    if cancer_signs >= 2 and any(yes(k) for k in _CANCER_SIGNS):
        found.append("cancer_signs_combined")
    if yes("morning_stiffness_over_30_min_improving_with_exercise"):
        found.append("inflammatory_pattern")
    if yes("leg_pain_below_knee") and pain_weeks is not None and pain_weeks >= NEW_PAIN_WEEKS:
        found.append("leg_pain_lasting")
    reasons = sorted((FLAGS[key] for key in found), key=lambda flag: -flag.urgency)
    urgency = max((flag.urgency for flag in reasons), default=Urgency.NONE)
    unknown = tuple(key for key in ANSWER_KEYS if answers.get(key) is None)
    return TriageResult(urgency, tuple(reasons), duration_class(pain_weeks), unknown)
