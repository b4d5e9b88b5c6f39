"""Metrics and logs across real processes.

* Multiprocess mode: three processes share one PROMETHEUS_MULTIPROC_DIR, as uvicorn's workers
  do. One answers requests and dies without a word (like a worker killed with -9), one answers
  and stops properly, and the third answers the scrape: its /metrics adds up the requests and
  meals of all three, and its pool gauges count the live process only.
* `rugwijzer serve --workers 2` (server mode, PostgreSQL): requests answered by both worker
  processes, over new and keep-alive connections, are counted exactly once each by one scrape.
* `rugwijzer serve`: one JSON line per request with the request id, the route template and no
  query, and no access log line of uvicorn's.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from scripts.local_server import local_server, server_pid, worker_pids

from rugwijzer.observability.metrics_dir import METRICS_DIR_VARIABLE, prepare_metrics_directory
from rugwijzer.store.engine import make_engine
from rugwijzer.store.migrate import upgrade
from tests.factories import TEST_SECRET

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


SEARCH = {"method": "GET", "route": "/api/v1/foods", "status": "200"}
_COUNTER_FILE = re.compile(r"^counter_(\d+)\.db$")


def _counted_by_process(folder: Path, **labels: str) -> dict[int, float]:
    """rugwijzer_http_requests_total with `labels` in each process's own counter file."""
    counted: dict[int, float] = {}
    for path in folder.glob("counter_*.db"):
        found = _COUNTER_FILE.match(path.name)
        assert found, path.name
        merged = MultiProcessCollector.merge([str(path)])  # type: ignore[no-untyped-call]
        counted[int(found.group(1))] = sum(
            sample.value
            for metric in merged
            for sample in metric.samples
            if sample.name == "rugwijzer_http_requests_total" and sample.labels == labels
        )
    return counted


def _search(url: str, count: int, keep_alive: bool) -> int:
    """`count` food searches, over one keep-alive connection or a new connection each; the
    number answered 200 (all of them, or the assertion fails)."""
    params = {"q": "pindakaas", "limit": "3"}
    if keep_alive:
        with httpx.Client(base_url=url, timeout=10) as client:
            answers = [client.get("/api/v1/foods", params=params) for _ in range(count)]
    else:
        answers = [
            httpx.get(f"{url}/api/v1/foods", params=params, timeout=10) for _ in range(count)
        ]
    assert all(answer.status_code == 200 for answer in answers), answers[0].text
    return len(answers)


def test_one_scrape_counts_the_requests_of_both_workers_exactly(
    postgres_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "metrics"
    settings = {
        "RUGWIJZER_DATABASE_URL": postgres_url,
        "RUGWIJZER_MODE": "server",
        "RUGWIJZER_SECRET_KEY": TEST_SECRET,
        METRICS_DIR_VARIABLE: str(folder),  # serve empties it; the workers write their files here
    }
    with local_server(tmp_path / "data", extra_env=settings, workers=2, wait_seconds=90) as url:
        supervisor = server_pid(url)
        deadline = time.monotonic() + 60
        while len(worker_pids(supervisor)) < 2:
            assert time.monotonic() < deadline, "the second worker did not start"
            time.sleep(0.2)
        workers = worker_pids(supervisor)
        # 8 clients at once, half on one keep-alive connection, half on a new connection per
        # request, until both workers have answered some (the kernel hands each connection to
        # one of them) and at least 200 were sent
        sent = 0
        with ThreadPoolExecutor(max_workers=8) as pool:
            while (
                sent < 200
                or sum(1 for n in _counted_by_process(folder, **SEARCH).values() if n) < 2
            ):
                assert sent < 2000, _counted_by_process(folder, **SEARCH)
                sent += sum(pool.map(lambda n: _search(url, 10, keep_alive=n % 2 == 0), range(8)))
        # a worker counts a request just after its last byte went out: wait for the files to
        # hold every answered request (never more) before the scrape
        deadline = time.monotonic() + 5
        while sum(_counted_by_process(folder, **SEARCH).values()) < sent:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        by_process = _counted_by_process(folder, **SEARCH)
        scrape = httpx.get(f"{url}/metrics", timeout=10)
        assert worker_pids(supervisor) == workers  # no worker died and was replaced meanwhile
    assert scrape.status_code == 200
    # the one scrape, answered by one worker, adds up both
    assert _value(scrape.text, "rugwijzer_http_requests_total", **SEARCH) == sent
    assert (
        _value(
            scrape.text,
            "rugwijzer_http_request_duration_seconds_count",
            method="GET",
            route="/api/v1/foods",
        )
        == sent
    )
    served = {pid for pid, count in by_process.items() if count}
    assert served == workers, (by_process, workers)  # both of them, and only they
    assert sum(by_process.values()) == sent
    # nothing else was counted but local_server's readiness polling of /healthz: it stops at
    # its first 200, and earlier attempts mostly find no listener (one that timed out on a
    # worker still starting would be counted too)
    counted = {
        (sample.labels["method"], sample.labels["route"], sample.labels["status"]): sample.value
        for family in text_string_to_metric_families(scrape.text)
        for sample in family.samples
        if sample.name == "rugwijzer_http_requests_total"
    }
    readiness_polls = counted.pop(("GET", "/healthz", "200"))
    assert counted == {("GET", "/api/v1/foods", "200"): sent}
    assert 1 <= readiness_polls <= 3
