"""End to end: `rugwijzer serve` as a real process, answering over HTTP on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_healthz_and_search(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "RUGWIJZER_DATA_DIR": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "rugwijzer", "init"], env=env, check=True, capture_output=True
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "rugwijzer", "serve", "--port", str(port)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    print(log.read_text(errors="replace"))
                    raise
                time.sleep(0.2)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        page = httpx.get(f"http://127.0.0.1:{port}/foods", params={"q": "pindakaas"}, timeout=5)
        assert page.status_code == 200
        assert "Peanut butter" in page.text
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_local_mode_refuses_a_public_interface(tmp_path: Path) -> None:
    env = {**os.environ, "RUGWIJZER_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "rugwijzer", "serve", "--host", "0.0.0.0", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "local mode" in result.stdout + result.stderr
