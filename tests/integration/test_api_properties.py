"""Property-based API testing: every operation in the OpenAPI spec, with generated input, never
answers with a server error (local mode on SQLite).

Schemathesis generates the cases; they are run through Hypothesis directly (its pytest plugin
does not work with this pytest version).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from rugwijzer.settings import Settings
from rugwijzer.store.engine import make_engine
from rugwijzer.store.migrate import upgrade
from rugwijzer.web.app import create_app

EXAMPLES_PER_OPERATION = 40


def test_no_operation_answers_with_a_server_error(tmp_path: Path) -> None:
    app_settings = Settings(data_dir=tmp_path)
    engine = make_engine(app_settings.effective_database_url)
    upgrade(engine)
    engine.dispose()
    app = create_app(app_settings)
    schema = schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json", app, headers={"host": "127.0.0.1"}
    )
    failures: list[str] = []
    answered = 0  # requests that reached a route (not refused by the request guard)
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,  # the same cases on every CI run
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            nonlocal answered
            response = case.call(base_url="http://127.0.0.1")
            answered += response.status_code != 421
            if response.status_code >= 500:
                where = f"{case.method} {case.formatted_path}"
                failures.append(f"{where}: {response.status_code} {response.text[:300]}")

        run()
    assert operations >= 20
    assert answered >= operations * EXAMPLES_PER_OPERATION // 2
    assert failures == []
