"""Profile fields validated once: `ProfileInput` (a stored profile) and `CheckProfileInput` (the
profile of a one-off check: an age instead of a year of birth).

The API takes `ProfileInput` as the body of PUT /me/profile, the web's forms and `rugwijzer
profile set` give it their values, and the one-off checks read their JSON profile with
`CheckProfileInput`. Every error is a code with parameters (`Code.PROFILE_…`), also when Pydantic
reports it (the error's type is the code, its context the parameters). Pure validation: no
database, so the stateless checks and the library import it without the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rugwijzer.domain.references import MAX_AGE_YEARS
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Param

__all__ = [
    "EARLIEST_BIRTH_YEAR",
    "LOCAL_USER_ID",
    "CheckProfileInput",
    "ProfileInput",
    "age_on",
]

LOCAL_USER_ID = 1
EARLIEST_BIRTH_YEAR = 1890
#: The database's own bound; the year of the service's clock is the real one.
_LATEST_BIRTH_YEAR = 2100
MAX_NAMES = 50
MAX_NAME_CHARACTERS = 100
MAX_EGFR = 200.0
MAX_FOOD_MAGNESIUM_MG = 5000.0

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_CHARACTERS),
]


def age_on(birth_year: int, on: date) -> float:
    """The age in whole years on day `on` of someone born in `birth_year` (the year is all the
    profile keeps, so the age is that of their birthday in the year of `on`)."""
    return float(max(0, on.year - birth_year))


def _error(code: Code, **params: Param) -> PydanticCustomError:
    # The code is also the message template: Pydantic's text is never shown, the shells
    # render the code.
    return PydanticCustomError(code.value, code.value, dict(params))


class ProfileInput(BaseModel):
    """Profile fields as a person gives them; only the fields given change a stored profile.

    Validate with `ProfileInput.parse(values, today=…)`: its errors are `InvalidInputError`s
    with a `Code.PROFILE_…`. The year of birth may not be after the year of `today`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    #: Fields that must be given (and not null), each with the code that asks for it.
    needed: ClassVar[dict[str, Code]] = {}
    #: Fields of the model that this kind of profile does not take.
    refused: ClassVar[frozenset[str]] = frozenset()

    birth_year: int | None = Field(
        default=None, ge=EARLIEST_BIRTH_YEAR, le=_LATEST_BIRTH_YEAR, description="Year of birth."
    )
    sex: Literal["female", "male"] | None = None
    pregnant: bool | None = None
    lactating: bool | None = Field(default=None, description="Breastfeeding.")
    kidney_disease: bool | None = None
    heart_rhythm_problems: bool | None = None
    medicines: list[Name] | None = Field(default=None, max_length=MAX_NAMES)
    diet_exclusions: list[Name] | None = Field(default=None, max_length=MAX_NAMES)
    language: Literal["nl", "en"] | None = None
    reference: Literal["nih", "efsa", "nl"] | None = None

    @classmethod
    def parse(
        cls, values: object, *, today: date | None = None, needed: tuple[str, ...] = ()
    ) -> Self:
        """`values` validated; `needed` names fields that must be given besides the class's
        own. `InvalidInputError` with the first problem's code."""
        try:
            return cls.model_validate(values, context={"today": today, "needed": needed})
        except ValidationError as exc:
            first = exc.errors()[0]
            params = dict(first.get("ctx") or {})
            raise InvalidInputError(Code(first["type"]), **params) from None

    @classmethod
    def accepted(cls) -> frozenset[str]:
        """The fields this kind of profile takes."""
        return frozenset(cls.model_fields) - cls.refused

    def given(self) -> dict[str, Any]:
        """The fields that were given, with their values."""
        return {key: getattr(self, key) for key in self.model_fields_set}

    @model_validator(mode="before")
    @classmethod
    def _fields_known_and_given(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, BaseModel):
            data = data.model_dump(exclude_unset=True)
        if not isinstance(data, Mapping):
            raise _error(Code.PROFILE_NOT_OBJECT)
        accepted = cls.accepted()
        unknown = sorted(str(key) for key in data if key not in accepted)
        if unknown:
            raise _error(
                Code.PROFILE_UNKNOWN_FIELD, fields=tuple(unknown), known=tuple(sorted(accepted))
            )
        context = info.context or {}
        needed = {**cls.needed, **{key: _NEEDED[key] for key in context.get("needed", ())}}
        for key, code in needed.items():
            if data.get(key) is None:
                raise _error(code)
        return data

    @field_validator("*", mode="wrap")
    @classmethod
    def _coded(cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        """Each field's errors as its code (Pydantic's own checks come first)."""
        name = info.field_name or ""
        try:
            checked = handler(value)
        except ValidationError:
            raise _field_error(name, info) from None
        today: date | None = (info.context or {}).get("today")
        if name == "birth_year" and checked is not None and today and checked > today.year:
            raise _field_error(name, info)
        return checked

    @model_validator(mode="after")
    def _life_stage_fits(self) -> ProfileInput:
        if self.pregnant and self.lactating:
            raise _error(Code.PROFILE_PREGNANT_AND_LACTATING)
        # Only with the sex at hand: an update may leave it to the stored profile.
        if (
            "sex" in self.model_fields_set
            and (self.pregnant or self.lactating)
            and self.sex != "female"
        ):
            raise _error(Code.PROFILE_PREGNANCY_SEX)
        return self


class CheckProfileInput(ProfileInput):
    """The profile of a one-off check (`rugwijzer day`, `rugwijzer supplement check`,
    POST /supplements/check): an age instead of a year of birth, and optionally the eGFR and
    the day's magnesium from food."""

    needed: ClassVar[dict[str, Code]] = {
        "age": Code.PROFILE_AGE_NEEDED,
        # a file or request body, not a form: name the field and its values
        "sex": Code.PROFILE_SEX,
    }
    refused: ClassVar[frozenset[str]] = frozenset({"birth_year", "diet_exclusions"})

    age: float | None = Field(default=None, ge=0, le=MAX_AGE_YEARS, allow_inf_nan=False)
    egfr: float | None = Field(
        default=None, ge=0, le=MAX_EGFR, allow_inf_nan=False, description="ml/min/1.73 m²"
    )
    food_magnesium_mg: float | None = Field(
        default=None, ge=0, le=MAX_FOOD_MAGNESIUM_MG, allow_inf_nan=False
    )


_NEEDED = {
    "birth_year": Code.PROFILE_BIRTH_YEAR_NEEDED,
    "sex": Code.PROFILE_SEX_NEEDED,
    "age": Code.PROFILE_AGE_NEEDED,
}


def _field_error(name: str, info: ValidationInfo) -> PydanticCustomError:
    today: date | None = (info.context or {}).get("today")
    if name == "birth_year":
        latest = today.year if today else _LATEST_BIRTH_YEAR
        # years are names of years, not amounts: no thousands separator
        return _error(
            Code.PROFILE_BIRTH_YEAR, earliest=str(EARLIEST_BIRTH_YEAR), latest=str(latest)
        )
    if name in ("pregnant", "lactating", "kidney_disease", "heart_rhythm_problems"):
        return _error(Code.PROFILE_YES_NO, field=name)
    if name in ("medicines", "diet_exclusions"):
        return _error(Code.PROFILE_NAMES, field=name, most=MAX_NAMES, longest=MAX_NAME_CHARACTERS)
    simple: dict[str, tuple[Code, dict[str, Param]]] = {
        "sex": (Code.PROFILE_SEX, {}),
        "language": (Code.PROFILE_LANGUAGE, {}),
        "reference": (Code.PROFILE_REFERENCE, {"choices": ("nih", "efsa", "nl")}),
        "age": (Code.PROFILE_AGE, {"highest": MAX_AGE_YEARS}),
        "egfr": (Code.PROFILE_EGFR, {"highest": MAX_EGFR}),
        "food_magnesium_mg": (Code.PROFILE_FOOD_MAGNESIUM, {"highest": MAX_FOOD_MAGNESIUM_MG}),
    }
    code, params = simple[name]
    return _error(code, **params)


#: Columns that cannot be empty: a null given for them leaves them as they are.
