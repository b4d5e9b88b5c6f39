"""Logs: one JSON object per line, with the request id of the request it belongs to; or, for
one person at their own terminal, one readable line (`TextFormatter`, `choose_log_format`).

What may never be in a log line: health data (meal texts, pain scores, notes), email addresses,
passwords, session tokens and cookies. The code logs none of them: requests are logged by
method, route template, status and duration (`rugwijzer.web.observe`), never by path or query;
SQL is logged without its parameters (`hide_parameters` in `store/engine.py`) and without its
result rows (`PrivacyFilter`, should anyone turn SQLAlchemy's DEBUG log on). As a last line
of defence every line is scrubbed of anything shaped like an email address, a bearer token or
a session cookie before it is written. Both formats write the same fields of a record, and
both are redacted alike.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

__all__ = [
    "REQUEST_ID",
    "REQUEST_LOGGER",
    "JsonFormatter",
    "LogFormat",
    "PrivacyFilter",
    "TextFormatter",
    "choose_log_format",
    "exception_summary",
    "log_config",
    "redact",
]

#: How `rugwijzer serve` writes its log lines.
LogFormat = Literal["json", "text"]

#: The id of the request being answered (None outside a request). Copied into the threads that
#: run synchronous routes, so services' log lines carry it too.
REQUEST_ID: ContextVar[str | None] = ContextVar("rugwijzer_request_id", default=None)

#: The logger of the one line written per request.
REQUEST_LOGGER = "rugwijzer.request"

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s\"',;]+")
_COOKIE = re.compile(
    r"(?i)\b(rugwijzer_session|session|token|password)(\"?\s*[=:]\s*\"?)[^\s\"',;&]+"
)

_COOKIE_WORDS = ("session", "token", "password")

# The attributes every LogRecord has; anything else was passed in `extra=` by the caller
# (except uvicorn's `color_message`, the message again with terminal colours).
_RECORD_FIELDS = frozenset(
    set(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)))
    | {"message", "asctime", "color_message"}
)


def redact(text: str) -> str:
    """`text` without anything shaped like an email address, a bearer token or a
    token/cookie/password assignment."""
    # The cheap tests first: most lines (a request's) hold none of these.
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    lowered = text.lower()
    if "bearer" in lowered:
        text = _BEARER.sub(r"\1 [redacted]", text)
    if any(word in lowered for word in _COOKIE_WORDS):
        text = _COOKIE.sub(r"\1\2[redacted]", text)
    return text


def exception_summary(error: BaseException) -> dict[str, str]:
    """An exception for the log: its type and where it was raised (the stack, with its causes),
    without its message. A message can quote what a person wrote: pydantic's
    `input_value='…'`, a database driver's `DETAIL: Key (email)=(…)`."""
    trace = traceback.TracebackException.from_exception(error)
    lines: list[str] = []
    for part in _chain(trace):
        lines.extend(part.stack.format())
        lines.append(f"{_name(part)}\n")
    return {"type": _name(trace), "traceback": "".join(lines)}


def _name(trace: traceback.TracebackException) -> str:
    named = getattr(trace, "exc_type_str", None)  # Python 3.13+, where exc_type is deprecated
    if isinstance(named, str):
        return named
    kind = trace.exc_type
    return f"{kind.__module__}.{kind.__qualname__}" if kind is not None else "?"


def _chain(trace: traceback.TracebackException) -> list[traceback.TracebackException]:
    """The exception and its causes, the first cause first (as Python prints them)."""
    chain = [trace]
    while True:
        nxt = chain[-1].__cause__ or chain[-1].__context__
        if nxt is None or nxt in chain:
            break
        chain.append(nxt)
    return list(reversed(chain))


class PrivacyFilter(logging.Filter):
    """Drops SQLAlchemy's DEBUG records: they hold result rows (meal texts, email addresses,
    password hashes). Its INFO records, the statements, stay: their parameters are hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno < logging.INFO and record.name.startswith("sqlalchemy.engine"))


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC), level, logger, message, request id, the
    fields given in `extra=` and, for an error, the exception's type and stack (not its
    message: `exception_summary`); all of it redacted."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        for name, value in vars(record).items():
            if name not in _RECORD_FIELDS and name not in entry and not name.startswith("_"):
                entry[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = exception_summary(record.exc_info[1])
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    """A log record as a line for a person reading their terminal (local mode): local time,
    level and message, a request's line as `12:04:31 INFO  GET /today 200 12 ms`. An error
    gets its type and stack on the lines below, like the JSON line (not its message); a
    warning or error names its request id, to find it again. Redacted as the JSON lines; a
    line break in a message is written as `\\n`, so a message cannot forge a line."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = vars(record)
        if record.name == REQUEST_LOGGER and {"method", "route", "status"} <= fields.keys():
            text = f"{fields['method']} {fields['route']} {fields['status']}"
            if isinstance(fields.get("duration_ms"), int | float):
                text += f" {fields['duration_ms']:.0f} ms"
        else:
            text = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
        line = f"{moment} {record.levelname:<5} {text}"
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id and record.levelno >= logging.WARNING:
            line += f" [request {request_id}]"
        if record.exc_info and record.exc_info[1] is not None:
            summary = exception_summary(record.exc_info[1])
            line += f"\n{summary['traceback'].rstrip()}"
        return redact(line)


def choose_log_format(setting: str, *, mode: str, interactive: bool) -> LogFormat:
    """The log format of `rugwijzer serve`: `setting` (RUGWIJZER_LOG_FORMAT) when it is "json"
    or "text"; for "auto", text for one person in local mode watching a terminal (`make run`),
    else JSON, for whatever collects the lines (a hosted server, a file, journald)."""
    if setting == "json":
        return "json"
    if setting == "text":
        return "text"
    return "text" if mode == "local" and interactive else "json"


def log_config(level: str = "info", log_format: LogFormat = "json") -> dict[str, Any]:
    """A `logging.config.dictConfig` configuration (also uvicorn's `log_config`): every line
    as JSON (or text, `TextFormatter`) on standard error. uvicorn's access log is switched
    off: its lines hold the raw path and query; Rugwijzer writes its own line per request
    (REQUEST_LOGGER)."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": f"{__name__}.JsonFormatter"},
            "text": {"()": f"{__name__}.TextFormatter"},
        },
        "filters": {"privacy": {"()": f"{__name__}.PrivacyFilter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["privacy"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "rugwijzer": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
