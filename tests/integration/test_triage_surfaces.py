"""The red-flag triage on every surface: the API schema and both endpoints, the web page, the docs.

The answer keys come from `QUESTIONS`; each surface must list all of them, so a new question (such
as `recent_back_surgery`) cannot reach one surface and miss another.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rugwijzer.domain.triage import ANSWER_KEYS, FLAGS, QUESTIONS
from rugwijzer.settings import Settings
from rugwijzer.web.i18n import translations
from tests.factories import app_client

REPO = Path(__file__).resolve().parents[2]
BOOLEAN_KEYS = [q.key for q in QUESTIONS if q.kind == "yes_no"]
ENDPOINTS = ["/api/v1/triage", "/api/v1/me/triage"]
CALM: dict[str, Any] = {"age": 35, "pain_weeks": 1, **dict.fromkeys(BOOLEAN_KEYS, False)}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(Settings(data_dir=tmp_path)) as test_client:
        yield test_client


def _body_schema(spec: dict[str, Any], path: str) -> dict[str, Any]:
    ref = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = ref["$ref"].rsplit("/", 1)[-1]
    return spec["components"]["schemas"][name]  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_openapi_schema_lists_every_answer_key(client: TestClient, path: str) -> None:
    schema = _body_schema(client.get("/api/v1/openapi.json").json(), path)
    assert list(schema["properties"]) == list(ANSWER_KEYS)
    assert "recent_back_surgery" in schema["properties"]
    assert schema["additionalProperties"] is False
    assert "required" not in schema
    for key in BOOLEAN_KEYS:
        prop = schema["properties"][key]
        assert prop["anyOf"] == [{"type": "boolean"}, {"type": "null"}], key
    age, weeks = schema["properties"]["age"], schema["properties"]["pain_weeks"]
    assert age["anyOf"][0] == {"type": "number", "minimum": 0, "maximum": 130}
    assert weeks["anyOf"][0] == {"type": "number", "minimum": 0, "maximum": 5200}
    surgery = schema["properties"]["recent_back_surgery"]["description"]
    assert surgery.startswith(
        "Have you had an operation or another procedure on your back in the past few weeks?"
    )


@pytest.mark.parametrize("path", ENDPOINTS)
def test_recent_back_surgery_raises_the_urgency_through_the_api(
    client: TestClient, path: str
) -> None:
    calm = client.post(path, json=CALM)
    assert calm.status_code in (200, 201), calm.text
    assert calm.json()["urgency"] == "none"
    after = client.post(path, json={**CALM, "recent_back_surgery": True}, params={"lang": "en"})
    view = after.json()
    assert view["urgency"] == "urgent"
    assert [r["key"] for r in view["reasons"]] == ["recent_back_surgery"]
    assert view["reasons"][0]["text"] == FLAGS["recent_back_surgery"].en
    assert [s["id"] for s in view["reasons"][0]["sources"]] == ["nhg-m54-2017"]
    assert view["advice"]["key"] == "triage.urgent"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_unknown_answers_and_missing_keys_are_listed(client: TestClient, path: str) -> None:
    view = client.post(path, json={"age": None, "fever": None, "iv_drug_use": True}).json()
    assert view["urgency"] == "soon"
    assert view["unknown"] == [key for key in ANSWER_KEYS if key != "iv_drug_use"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mood": True}, "mood"),
        ({"recent_back_surgery": "yes"}, "recent_back_surgery"),
        ({"recent_back_surgery": 1}, "recent_back_surgery"),
        ({"age": 131}, "age"),
        ({"age": True}, "age"),
        ({"age": "40"}, "age"),
        ({"pain_weeks": -0.1}, "pain_weeks"),
        ({"pain_weeks": 5200.1}, "pain_weeks"),
    ],
)
def test_bad_answers_are_refused_with_problem_json(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert [error["loc"][-1] for error in problem["errors"]] == [field]


def test_a_list_is_not_answers(client: TestClient) -> None:
    response = client.post("/api/v1/triage", json=[])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_the_stored_triage_keeps_the_answers_as_parsed(client: TestClient) -> None:
    client.post("/api/v1/me/triage", json={"age": 40, "recent_back_surgery": True})
    (stored,) = client.get("/api/v1/me/export").json()["assessments"]
    assert stored["answers"] == {"age": 40.0, "recent_back_surgery": True}
    assert stored["result"]["urgency"] == "urgent"


def _legends(page: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(r"<legend>(.*?)</legend>", page)]


def test_the_page_asks_every_yes_no_question_in_both_languages(client: TestClient) -> None:
    assert _legends(client.get("/triage").text) == [q.nl for q in QUESTIONS if q.kind == "yes_no"]
    client.get("/lang/en")
    assert _legends(client.get("/triage").text) == [q.en for q in QUESTIONS if q.kind == "yes_no"]
    radios = re.findall(r'name="recent_back_surgery" value="(\w*)"', client.get("/triage").text)
    assert radios == ["yes", "no", ""]


def test_recent_back_surgery_on_the_page(client: TestClient) -> None:
    page = client.post("/triage", data={"age": "35", "recent_back_surgery": "yes"}).text
    section = page[page.index('<section aria-labelledby="result-title"') :]
    heading = re.search(r'<h2 id="result-title">(.*?)</h2>', section)
    assert heading is not None
    assert html.unescape(heading.group(1)) == translations("nl").gettext(
        "Urgent: contact your GP today"
    )
    reasons = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", section)]
    assert reasons == [FLAGS["recent_back_surgery"].nl]


def test_the_emergency_advice_names_the_gp_the_emergency_department_and_112(
    client: TestClient,
) -> None:
    page = client.post("/triage", data={"saddle_numbness": "yes"}).text
    section = page[page.index('<section aria-labelledby="result-title"') :]
    advice = re.search(r"</h2>\s*<p>(.*?)</p>", section)
    assert advice is not None
    assert html.unescape(advice.group(1)) == (
        "Zoek nu hulp: bel meteen je huisarts (buiten kantoortijd: de huisartsenpost) of ga "
        "naar de spoedeisende hulp. Bel 112 als de klachten ernstig zijn."
    )


def test_the_docs_list_every_answer_key() -> None:
    docs = (REPO / "docs" / "safety.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Red-flag triage") :]
    listed = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
    assert listed == list(ANSWER_KEYS)
