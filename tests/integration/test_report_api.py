"""The report over HTTP on SQLite and PostgreSQL: the owner's PDF from the API and from the
Settings form, a practitioner's with and without the client's grant, and a wrong period."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rugwijzer.i18n import format_day, render_message
from rugwijzer.messages import Code, Message
from rugwijzer.settings import Settings
from rugwijzer.web import pdf_printer
from rugwijzer.web.app import create_app
from tests.integration.test_api import _login, _problem
from tests.pdf_text import pdf_text

TODAY = date.today()
START = TODAY - timedelta(days=27)
PERIOD = {"from": START.isoformat(), "to": TODAY.isoformat()}
CHANGE = "nieuwe bureaustoel"


def _fill_diary(client: TestClient, headers: dict[str, str] | None = None) -> None:
    """Four weeks: pain 6 before a change half-way, 3 after; a meal now and then."""
    put = {"headers": headers} if headers else {}
    assert (
        client.put(
            "/api/v1/me/profile", json={"birth_year": 1980, "sex": "male"}, **put
        ).status_code
        == 200
    )
    for offset in range(28):
        day = (START + timedelta(days=offset)).isoformat()
        pain = (6 if offset % 2 else 7) if offset < 14 else (3 if offset % 2 else 2)
        answer = client.put(f"/api/v1/me/checkins/{day}", json={"pain": pain, "stress": 5}, **put)
        assert answer.status_code == 200, answer.text
        if offset % 4 == 0:
            meal = {"text": "30 g amandelen", "lang": "nl", "date": day}
            assert client.post("/api/v1/me/meals", json=meal, **put).status_code == 201
    change = {"description": CHANGE, "started_on": (START + timedelta(days=14)).isoformat()}
    assert client.post("/api/v1/me/changes", json=change, **put).status_code == 201


def _pdf(response: Any) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"%PDF")
    return pdf_text(response.content)


def test_the_owner_gets_a_pdf_in_either_language(local: TestClient) -> None:
    _fill_diary(local)
    dutch = _pdf(local.get("/api/v1/me/report.pdf", params=PERIOD))
    # no language asked: the profile's, which is Dutch by default
    assert f"Periode: {format_day(START, 'nl')} – {format_day(TODAY, 'nl')} (28 dagen)" in dutch
    assert CHANGE in dutch
    assert "Beter na de verandering:" in dutch
    english = _pdf(local.get("/api/v1/me/report.pdf", params={**PERIOD, "lang": "en"}))
    assert f"Period: {format_day(START, 'en')} – {format_day(TODAY, 'en')} (28 days)" in english
    assert "Better after the change:" in english
    assert CHANGE in english


def test_a_report_that_could_not_be_printed_is_worth_another_try(
    local: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_diary(local)
    broken = pdf_printer.Printer(
        [sys.executable, "-c", "import sys; sys.stdin.read(); sys.exit(1)"]
    )
    monkeypatch.setattr(pdf_printer, "PRINTER", broken)
    response = local.get("/api/v1/me/report.pdf", params=PERIOD, headers={"accept-language": "nl"})
    problem = _problem(response, 503)
    assert response.headers["retry-after"] == "5"
    assert problem["code"] == "report.print_failed"
    assert problem["detail"] == render_message(Message(Code.REPORT_PRINT_FAILED, {}), "nl")
    broken.close()
    monkeypatch.undo()  # the printer is back: the same request gives the PDF
    assert CHANGE in _pdf(local.get("/api/v1/me/report.pdf", params=PERIOD))


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2020-01-01", "to": "2022-01-01"}, "period.too_long"),
        ({"from": "2024-02-01", "to": "2024-01-31"}, "period.ends_before_start"),
    ],
)
def test_a_wrong_period_is_a_problem(local: TestClient, params: dict[str, str], code: str) -> None:
    problem = _problem(local.get("/api/v1/me/report.pdf", params=params), 422)
    assert problem["code"] == code


@pytest.mark.parametrize(
    "params", [{"to": "2024-01-31"}, {"from": "2024-01-01", "to": "31-01-2024"}, {}]
)
def test_a_missing_or_unreadable_date_is_a_problem(
    local: TestClient, params: dict[str, str]
) -> None:
    problem = _problem(local.get("/api/v1/me/report.pdf", params=params), 422)
    assert problem["status"] == 422


def test_two_years_is_the_longest_period(local: TestClient) -> None:
    longest = {"from": "2023-01-01", "to": "2024-12-31"}  # 731 days, a leap year among them
    assert local.get("/api/v1/me/report.pdf", params=longest).status_code == 200


def test_the_settings_form_downloads_the_report(local: TestClient) -> None:
    _fill_diary(local)
    settings = local.get("/settings").text
    assert 'action="/report.pdf"' in settings
    assert f'name="to" type="date" value="{TODAY.isoformat()}"' in settings
    text = _pdf(local.get("/report.pdf", params={**PERIOD, "lang": "en"}))
    assert "Rugwijzer report" in text
    assert CHANGE in text


def test_a_wrong_period_in_the_form_shows_settings_with_the_reason(local: TestClient) -> None:
    local.get("/lang/nl")
    page = local.get(
        "/report.pdf",
        params={"from": "2020-01-01", "to": "2023-01-01"},
        headers={"accept": "text/html"},
    )
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "een periode is hoogstens 731 dagen" in page.text
    unreadable = local.get("/report.pdf", params={"from": "gisteren", "to": "vandaag"})
    assert unreadable.status_code == 422
    assert "(JJJJ-MM-DD)" in unreadable.text


@pytest.fixture
def server(server_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings), base_url="http://127.0.0.1") as client:
        yield client


def test_a_practitioner_needs_the_clients_grant(server: TestClient) -> None:
    client = _login(server, "client@example.org")
    practitioner = _login(server, "fysio@example.org", role="practitioner")
    client_id = server.get("/api/v1/me", headers=client).json()["user_id"]
    _fill_diary(server, client)
    url = f"/api/v1/clients/{client_id}/report.pdf"
    _problem(server.get(url, params=PERIOD, headers=practitioner), 404)
    _problem(server.get(url, params=PERIOD, headers=client), 404)  # not a practitioner
    grant = server.post(
        "/api/v1/me/grants", json={"practitioner_email": "fysio@example.org"}, headers=client
    )
    assert grant.status_code == 201
    text = _pdf(server.get(url, params={**PERIOD, "lang": "en"}, headers=practitioner))
    assert CHANGE in text
    assert "Sex male" in text
    # the wrong period is still the caller's mistake, with the grant
    _problem(
        server.get(url, params={"from": "2020-01-01", "to": "2023-01-01"}, headers=practitioner),
        422,
    )
    revoked = server.delete(f"/api/v1/me/grants/{grant.json()['id']}", headers=client)
    assert revoked.status_code == 204
    _problem(server.get(url, params=PERIOD, headers=practitioner), 404)


def test_the_openapi_document_declares_a_pdf(local: TestClient) -> None:
    spec = local.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/me/report.pdf", "/api/v1/clients/{client_id}/report.pdf"):
        operation = spec["paths"][path]["get"]
        content = operation["responses"]["200"]["content"]
        assert content == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"from", "to", "lang"} <= names
