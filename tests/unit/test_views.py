"""The services' view models: JSON keys, the optional key of the elemental answer, frozen views,
and read access by JSON key for readers not yet moved to attributes."""

from __future__ import annotations

import pydantic
import pytest

from rugwijzer.fooddb.database import default_food_database
from rugwijzer.reference_data import supplement_catalogue
from rugwijzer.services.safety import check_from_json, elemental_view
from rugwijzer.services.views import cited_sources

# The check of a profile with levothyroxine answers with its interaction (no supplement needed).
INTERACTION = check_from_json(
    default_food_database(),
    {"age": 40, "sex": "female", "medicines": ["levothyroxine"]},
    [],
    lang="en",
).interactions[0]
SOURCE = INTERACTION.sources[0]


def test_a_key_that_is_no_python_name_keeps_its_json_name() -> None:
    answer = INTERACTION.to_json()
    assert answer["class"] == "levothyroxine"
    assert "class_" not in answer
    assert answer["sources"][0] == SOURCE.to_json() == cited_sources([SOURCE.id])[0].to_json()
    assert sorted(answer["sources"][0]) == ["id", "lang", "organisation", "title", "url", "year"]


def test_views_read_by_json_key_as_the_former_dicts_did() -> None:
    assert INTERACTION["class"] == INTERACTION.class_ == "levothyroxine"
    assert INTERACTION["sources"][0]["url"] == SOURCE.url
    assert INTERACTION.get("class") == "levothyroxine"
    assert INTERACTION.get("class_", "absent") == "absent"  # attribute names are not keys
    keys = [key for key, _ in INTERACTION.items()]
    assert keys == ["medicine", "class", "kind", "text", "grade", "sources"]
    with pytest.raises(KeyError, match="class_"):
        INTERACTION["class_"]


def test_views_are_frozen() -> None:
    with pytest.raises(pydantic.ValidationError):
        INTERACTION.kind = "avoid"


@pytest.mark.parametrize(("form", "message"), [("oxide", None), ("citrate", "warn.ambiguous_form")])
def test_the_elemental_answer_has_a_message_only_when_the_form_is_ambiguous(
    form: str, message: str | None
) -> None:
    view = elemental_view(supplement_catalogue().elemental(form, 400), "en")
    assert view.exact is (message is None)
    assert (view.message.key if view.message else None) == message
    assert ("message" in view.to_json()) is (message is not None)
