"""An error nobody expected (a bug) is answered like every other error: 500 problem+json with
the internal-error code in the reader's language (the API) or the error page (a browser), with
the request id and the security headers, and logged once with its id and type but nothing of
what it said (web/failures.py).

The failing routes are added to one app instance in the test; production has none."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from rugwijzer.observability.logs import JsonFormatter
from rugwijzer.settings import Settings
from rugwijzer.web.failures import UNHANDLED_LOGGER
from rugwijzer.web.guards import PAGE_POLICY, REFERRER_POLICY
from tests.factories import app_client

LOOPBACK = ("127.0.0.1", 40000)
#: What the bug's message says: a person's words, which must reach neither answer nor log.
SECRET_WORDS = ("pijn 8 na het tillen", "alice@example.org")


def _fail() -> None:
    words = " / ".join(SECRET_WORDS)
    raise RuntimeError(f"could not store {words}")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app in local mode with three test-only routes that fail: in the API, as a page,
    and halfway through a streamed answer."""
    app = app_client(Settings(data_dir=tmp_path)).app

    def api_fails() -> dict[str, str]:
        _fail()
        return {}

    def page_fails() -> str:
        _fail()
        return ""

    def stream_fails() -> StreamingResponse:
        def chunks() -> Iterator[bytes]:
            yield b"first part"
            _fail()

        return StreamingResponse(chunks(), media_type="text/plain")

    app.add_api_route("/api/v1/test-only/fails", api_fails)  # type: ignore[attr-defined]
    app.add_api_route("/test-only/fails", page_fails)  # type: ignore[attr-defined]
    app.add_api_route("/test-only/stream-fails", stream_fails)  # type: ignore[attr-defined]
    # The default (raise_server_exceptions=True) lets any exception that reaches the server
    # fail the test: here none should.
    with TestClient(app, base_url="http://127.0.0.1", client=LOOPBACK) as test_client:
        yield test_client


def _assert_security_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == PAGE_POLICY
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == REFERRER_POLICY
    assert headers["x-content-type-options"] == "nosniff"


def _assert_nothing_leaked(text: str) -> None:
    for words in (*SECRET_WORDS, "RuntimeError", "Traceback", "could not store"):
        assert words not in text


def test_an_api_bug_answers_500_problem_json_in_the_readers_language(
    client: TestClient,
) -> None:
    for lang, phrase in (("en", "Something went wrong"), ("nl", "Er ging bij ons iets mis")):
        response = client.get(
            "/api/v1/test-only/fails",
            headers={"x-request-id": f"bug-{lang}", "accept-language": lang},
        )
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["x-request-id"] == f"bug-{lang}"
        _assert_security_headers(response)
        problem = response.json()
        assert problem["status"] == 500
        assert problem["code"] == "general.internal_error"
        assert problem["params"] == {"request_id": f"bug-{lang}"}
        assert problem["instance"] == "/api/v1/test-only/fails"
        assert phrase in problem["detail"]
        assert f"bug-{lang}" in problem["detail"]
        _assert_nothing_leaked(response.text)


def test_a_page_bug_answers_with_the_error_page(client: TestClient) -> None:
    response = client.get(
        "/test-only/fails",
        headers={"accept": "text/html", "x-request-id": "page-bug"},
    )
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-request-id"] == "page-bug"
    _assert_security_headers(response)
    assert "Er ging iets mis" in response.text  # the page's language: Dutch by default
    _assert_nothing_leaked(response.text)
    # a client that does not ask for a page gets the problem
    plain = client.get("/test-only/fails")
    assert plain.headers["content-type"] == "application/problem+json"
    assert re.fullmatch(r"[0-9a-f]{32}", plain.headers["x-request-id"])
    _assert_security_headers(plain)


def test_a_bug_is_logged_once_with_its_request_id_and_type_only(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.get("/api/v1/test-only/fails", headers={"x-request-id": "bug-log"})
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [record.name for record in errors] == [UNHANDLED_LOGGER]
    line = json.loads(JsonFormatter().format(errors[0]))
    assert line["request_id"] == "bug-log"
    assert line["exception"]["type"] == "builtins.RuntimeError"
    assert "_fail" in line["exception"]["traceback"]  # where it happened, for the operator
    for words in SECRET_WORDS:
        assert words not in json.dumps(line)
    # and the request's own line says 500, with the same id
    requests = [record for record in caplog.records if record.name == "rugwijzer.request"]
    assert [(r.request_id, r.status) for r in requests] == [("bug-log", 500)]  # type: ignore[attr-defined]


def test_a_bug_after_the_answer_started_goes_on_to_the_server(client: TestClient) -> None:
    # Nothing can be answered any more: the server logs it and closes the connection.
    with pytest.raises(RuntimeError):
        client.get("/test-only/stream-fails")
