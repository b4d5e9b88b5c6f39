"""Start `rugwijzer serve` on a free loopback port with its own data directory, for the
screenshots, the browser tests and the benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_server(
    data_dir: Path,
    *,
    log: Path | None = None,
    wait_seconds: float = 30,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Initialise `data_dir`, serve it, and yield the base URL once /healthz answers.

    `extra_env` adds settings (e.g. RUGWIJZER_MODE=server). The server's output goes to `log`
    (or nowhere); if it does not come up in time, the RuntimeError carries that log."""
    env = {**os.environ, "RUGWIJZER_DATA_DIR": str(data_dir), **(extra_env or {})}
    subprocess.run(
        [sys.executable, "-m", "rugwijzer", "init"], env=env, check=True, capture_output=True
    )
    port = free_port()
    with log.open("wb") if log else open(os.devnull, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "rugwijzer", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    output_text = log.read_text(errors="replace") if log else ""
                    raise RuntimeError(f"rugwijzer serve did not start\n{output_text}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
