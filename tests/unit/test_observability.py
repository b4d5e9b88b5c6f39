"""The pieces of observability without an app: redaction, the JSON formatter, the log
configuration, the metrics folder and the dead-worker bookkeeping."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from rugwijzer.observability.logs import (
    REQUEST_ID,
    REQUEST_LOGGER,
    JsonFormatter,
    PrivacyFilter,
    TextFormatter,
    choose_log_format,
    log_config,
    redact,
)
from rugwijzer.observability.metrics import forget_dead_workers
from rugwijzer.observability.metrics_dir import (
    METRICS_DIR_VARIABLE,
    clear_metrics_files,
    prepare_metrics_directory,
)


def _record(message: str, *args: object, name: str = "rugwijzer.test", **extra: object) -> Any:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_redact_masks_emails_bearer_tokens_and_cookies() -> None:
    text = (
        "user jan.de-vries+rug@example.co.uk sent Authorization: Bearer abc.DEF-123 "
        "and Cookie: rugwijzer_session=s3cr3t-value; token=t0k3n password: hunter2"
    )
    cleaned = redact(text)
    for secret in ("jan.de-vries+rug@example.co.uk", "abc.DEF-123", "s3cr3t-value", "t0k3n"):
        assert secret not in cleaned
    assert "hunter2" not in cleaned
    assert "[email]" in cleaned
    assert "Bearer [redacted]" in cleaned
    assert redact("GET /api/v1/me/meals 201") == "GET /api/v1/me/meals 201"


def test_a_record_becomes_one_json_line_with_the_request_id() -> None:
    token = REQUEST_ID.set("req-1")
    try:
        line = JsonFormatter().format(_record("stored %s meals", 2, route="/api/v1/me/meals"))
    finally:
        REQUEST_ID.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "stored 2 meals"
    assert entry["request_id"] == "req-1"
    assert entry["route"] == "/api/v1/me/meals"
    assert entry["level"] == "info"
    assert entry["logger"] == "rugwijzer.test"
    assert entry["time"].endswith("+00:00")


def test_a_line_break_in_a_message_cannot_forge_a_line() -> None:
    line = JsonFormatter().format(_record('x\n{"level": "info", "message": "forged"}'))
    assert len(line.splitlines()) == 1
    assert json.loads(line)["message"].startswith("x\n")


def test_the_formatter_redacts_what_a_careless_caller_passes() -> None:
    line = JsonFormatter().format(_record("welcome %s", "piet@example.org", cookie="session=abc"))
    assert "piet@example.org" not in line
    assert "abc" not in line
    json.loads(line)  # still JSON


def _store_meal(text: str) -> None:
    raise ValueError(f"1 validation error: input_value='{text}', owner jan@example.org")


def test_an_exception_is_logged_by_type_and_place_without_its_message() -> None:
    meal = "45 g pompoenpitten"  # (the stack shows code lines, so the text goes by name)
    try:
        try:
            _store_meal(meal)
        except ValueError as error:
            raise RuntimeError(f"while storing {meal!r}") from error
    except RuntimeError:
        record = logging.LogRecord(
            "uvicorn.error", logging.ERROR, "", 1, "Exception in ASGI application", (), None
        )
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "pompoenpitten" not in line
    assert "jan@example.org" not in line
    exception = json.loads(line)["exception"]
    assert exception["type"] == "builtins.RuntimeError"
    assert "_store_meal" in exception["traceback"]  # where: the cause's stack too
    assert "builtins.ValueError" in exception["traceback"]


def test_a_request_is_one_readable_text_line() -> None:
    record = _record(
        "%s %s %d",
        "GET",
        "/today",
        200,
        name=REQUEST_LOGGER,
        request_id="req-1",
        method="GET",
        route="/today",
        status=200,
        duration_ms=12.4,
    )
    line = TextFormatter().format(record)
    assert re.fullmatch(r"\d\d:\d\d:\d\d INFO  GET /today 200 12 ms", line), line


def test_a_text_line_is_redacted_and_cannot_be_forged() -> None:
    line = TextFormatter().format(_record("welcome %s, session=abc", "piet@example.org"))
    assert "piet@example.org" not in line
    assert "abc" not in line
    forged = TextFormatter().format(_record("x\n12:00:00 INFO  GET /forged 200"))
    assert len(forged.splitlines()) == 1


def test_a_text_error_shows_type_stack_and_request_id_but_not_its_message() -> None:
    meal = "45 g pompoenpitten"
    try:
        _store_meal(meal)
    except ValueError:
        record = logging.LogRecord(
            "rugwijzer.unhandled", logging.ERROR, "", 1, "unhandled ValueError", (), None
        )
        record.exc_info = sys.exc_info()
    record.request_id = "req-9"
    lines = TextFormatter().format(record).splitlines()
    assert lines[0].endswith("ERROR unhandled ValueError [request req-9]")
    assert any("_store_meal" in line for line in lines[1:])
    assert lines[-1] == "builtins.ValueError"
    assert "pompoenpitten" not in "\n".join(lines)
    assert "jan@example.org" not in "\n".join(lines)


def test_the_log_format_is_text_only_for_one_person_at_a_terminal() -> None:
    assert choose_log_format("auto", mode="local", interactive=True) == "text"
    assert choose_log_format("auto", mode="local", interactive=False) == "json"  # to a file
    assert choose_log_format("auto", mode="server", interactive=True) == "json"
    assert choose_log_format("json", mode="local", interactive=True) == "json"
    assert choose_log_format("text", mode="server", interactive=False) == "text"
    assert log_config("info", "text")["handlers"]["stderr"]["formatter"] == "text"
    assert log_config()["handlers"]["stderr"]["formatter"] == "json"


def test_sqlalchemy_result_rows_are_filtered_and_statements_kept() -> None:
    rows = logging.LogRecord("sqlalchemy.engine.Engine", logging.DEBUG, "", 1, "Row %r", (), None)
    statement = logging.LogRecord(
        "sqlalchemy.engine.Engine", logging.INFO, "", 1, "INSERT INTO x", (), None
    )
    assert not PrivacyFilter().filter(rows)
    assert PrivacyFilter().filter(statement)
    assert PrivacyFilter().filter(_record("debug from us"))


def test_the_log_configuration_loads_and_silences_the_access_log() -> None:
    config = log_config("debug")
    assert config["loggers"]["uvicorn.access"]["handlers"] == []
    assert config["loggers"]["rugwijzer"]["level"] == "DEBUG"
    # dictConfig accepts it (in a child process, to leave this one's logging alone)
    script = (
        "import logging.config, sys\n"
        "from rugwijzer.observability.logs import log_config\n"
        "logging.config.dictConfig(log_config())\n"
        "logging.getLogger('rugwijzer.x').info('hello %s', 'a@b.nl')\n"
        "logging.getLogger('uvicorn.access').info('GET /x?q=1')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["message"] == "hello [email]"


def test_prepare_empties_an_operators_folder_of_metrics_files_only(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    for name in ("counter_12.db", "histogram_13.db", "gauge_livesum_14.db", "gauge_all_15.db"):
        (folder / name).write_bytes(b"old")
    (folder / "notes.db").write_text("mine")
    (folder / "counter_x.db").write_text("not prometheus-client's name")
    env = {METRICS_DIR_VARIABLE: str(folder)}
    assert prepare_metrics_directory(env) == folder
    assert sorted(path.name for path in folder.iterdir()) == ["counter_x.db", "notes.db"]
    assert clear_metrics_files(folder) == 0


def test_prepare_makes_a_private_folder_when_none_is_set(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    folder = prepare_metrics_directory(env)
    try:
        assert env[METRICS_DIR_VARIABLE] == str(folder)
        assert folder.is_dir()
        assert folder.stat().st_mode & 0o077 == 0
    finally:
        folder.rmdir()


def test_prepare_makes_a_named_folder_that_is_not_there(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    prepare_metrics_directory({METRICS_DIR_VARIABLE: str(folder)})
    assert folder.is_dir()


def test_only_dead_workers_lose_their_live_gauges(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(finished.stdout)
    alive = os.getpid()
    for pid in (dead, alive):
        (tmp_path / f"gauge_livesum_{pid}.db").write_bytes(b"")
        (tmp_path / f"counter_{pid}.db").write_bytes(b"")
    assert forget_dead_workers(tmp_path) == [dead]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [f"counter_{dead}.db", f"counter_{alive}.db", f"gauge_livesum_{alive}.db"]
    )
