"""The services' view models: JSON keys, the optional key of the elemental answer, frozen views,
and read access by JSON key for readers not yet moved to attributes."""

from __future__ import annotations

import pydantic
import pytest

from rugwijzer.reference_data import supplement_catalogue
from rugwijzer.services.safety import elemental_view
from rugwijzer.services.views import CitedSource, InteractionView

SOURCE = CitedSource(
    id="nih-ods-magnesium",
    title="Magnesium: Fact Sheet for Health Professionals",
    organisation="NIH Office of Dietary Supplements",
    year="2022",
    url="https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
)
INTERACTION = InteractionView(
    medicine="levothyroxine",
    class_="levothyroxine",
    kind="spacing",
    text="Take them 4 hours apart.",
    grade="B",
    sources=[SOURCE],
)


def test_a_key_that_is_no_python_name_keeps_its_json_name() -> None:
    answer = INTERACTION.to_json()
    assert answer["class"] == "levothyroxine"
    assert "class_" not in answer
    assert answer["sources"] == [SOURCE.model_dump()]


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
        INTERACTION.kind = "avoid"  # type: ignore[misc]


@pytest.mark.parametrize(("form", "message"), [("oxide", None), ("citrate", "warn.ambiguous_form")])
def test_the_elemental_answer_has_a_message_only_when_the_form_is_ambiguous(
    form: str, message: str | None
) -> None:
    view = elemental_view(supplement_catalogue().elemental(form, 400), "en")
    assert view.exact is (message is None)
    assert (view.message.key if view.message else None) == message
    assert ("message" in view.to_json()) is (message is not None)
