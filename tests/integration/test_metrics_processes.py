"""Metrics and logs across real processes.

* Multiprocess mode: three processes share one PROMETHEUS_MULTIPROC_DIR, as uvicorn's workers
  do. One answers requests and dies without a word (like a worker killed with -9), one answers
  and stops properly, and the third answers the scrape: its /metrics adds up the requests and
  meals of all three, and its pool gauges count the live process only. (The two-worker test of
  `rugwijzer serve --workers 2` belongs with the workers; this one needs no server.)
* `rugwijzer serve`: one JSON line per request with the request id, the route template and no
  query, and no access log line of uvicorn's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from scripts.local_server import local_server

from rugwijzer.observability.metrics_dir import METRICS_DIR_VARIABLE, prepare_metrics_directory
from rugwijzer.store.engine import make_engine
from rugwijzer.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]

# One "worker": the app in local mode on the shared SQLite database, asked over a loopback
# client. argv: data folder, what to do ("crash", "stop" or "scrape"), number of /healthz calls.
_WORKER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from fastapi.testclient import TestClient
    from rugwijzer.settings import Settings
    from rugwijzer.web.app import create_app

    data_dir, what, calls = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    app = create_app(Settings(data_dir=data_dir))
    client = TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 40000))

    def work():
        for _ in range(calls):
            assert client.get("/healthz").status_code == 200
        meal = client.post("/api/v1/me/meals", json={"text": "30 g amandelen"})
        assert meal.status_code == 201, meal.text

    with client:  # the app starts and stops as under uvicorn
        if what == "crash":  # ends without a word, as after kill -9
            work()
            os._exit(0)
        if what == "stop":
            work()
        else:
            print(client.get("/metrics").text)
    """
)


def _run_worker(data_dir: Path, env: dict[str, str], what: str, calls: int = 0) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _WORKER, str(data_dir), what, str(calls)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _value(exposition: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


def test_a_scrape_adds_up_every_worker(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    engine = make_engine(f"sqlite:///{data_dir / 'rugwijzer.db'}")
    upgrade(engine)
    engine.dispose()
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"from an earlier run")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RUGWIJZER_") and key != METRICS_DIR_VARIABLE
    }
    env |= {METRICS_DIR_VARIABLE: str(folder), "RUGWIJZER_DATA_DIR": str(data_dir)}
    prepare_metrics_directory(env)  # what `rugwijzer serve` does before its workers start
    assert not (folder / "counter_999999.db").exists()

    _run_worker(data_dir, env, "crash", calls=3)
    _run_worker(data_dir, env, "stop", calls=2)
    exposition = _run_worker(data_dir, env, "scrape")

    healthz = {"method": "GET", "route": "/healthz", "status": "200"}
    assert _value(exposition, "rugwijzer_http_requests_total", **healthz) == 5
    assert (
        _value(
            exposition,
            "rugwijzer_http_request_duration_seconds_count",
            method="GET",
            route="/healthz",
        )
        == 5
    )
    meals = {"method": "POST", "route": "/api/v1/me/meals", "status": "201"}
    assert _value(exposition, "rugwijzer_http_requests_total", **meals) == 2
    assert _value(exposition, "rugwijzer_meals_logged_total") == 2
    # the pools of the live process only: the crashed one's gauges are dropped at the scrape,
    # the stopped one dropped its own
    assert _value(exposition, "rugwijzer_db_pool_size") == 5
    assert _value(exposition, "rugwijzer_db_pool_checked_out") == 0


def test_serve_writes_json_lines_with_request_ids(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    env = {METRICS_DIR_VARIABLE: str(tmp_path / "metrics")}
    with local_server(tmp_path / "data", log=log, extra_env=env) as url:
        health = httpx.get(f"{url}/healthz", headers={"x-request-id": "e2e-42"}, timeout=5)
        found = httpx.get(f"{url}/api/v1/foods", params={"q": "pindakaas"}, timeout=5)
        scrape = httpx.get(f"{url}/metrics", timeout=5)
    assert health.headers["x-request-id"] == "e2e-42"
    assert found.status_code == 200
    assert scrape.status_code == 200  # from this machine
    assert 'route="/api/v1/foods"' in scrape.text
    text = log.read_text()
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests = [entry for entry in entries if entry["logger"] == "rugwijzer.request"]
    assert {
        "request_id": "e2e-42",
        "method": "GET",
        "route": "/healthz",
        "status": 200,
    }.items() <= next(entry for entry in requests if entry["request_id"] == "e2e-42").items()
    assert any(entry["route"] == "/api/v1/foods" for entry in requests)
    assert any(entry["logger"].startswith("uvicorn") for entry in entries)  # uvicorn's too
    assert not any("color_message" in entry for entry in entries)
    assert "pindakaas" not in text  # the query is in no line
    assert "HTTP/1.1" not in text  # no access log line of uvicorn's
    # serve emptied the metrics folder before the workers started
    assert (tmp_path / "metrics").is_dir()
