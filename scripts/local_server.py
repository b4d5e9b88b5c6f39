"""Start Rugwijzer on a free loopback port with its own data directory, for the screenshots,
the browser tests and the benchmarks: the one way these start a server."""

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

#: The only interface the helper listens on: benchmarks and tests never leave the machine.
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port that is free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def child_pids(parent: int) -> list[int]:
    """The processes `parent` started that still run (from /proc, Linux)."""
    pids: list[int] = []
    for task in Path(f"/proc/{parent}/task").glob("*"):
        try:
            pids += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


def listening_sockets(port: int) -> set[int]:
    """The inodes of this machine's IPv4 sockets listening on `port` (/proc/net/tcp, Linux):
    with `serve --workers N` each worker listens on a socket of its own."""
    listening = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
        if local_port == port and state == "0A":  # 0A: LISTEN
            listening.add(int(inode))
    return listening


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def worker_pids(supervisor: int) -> set[int]:
    """The worker processes now running under the supervisor of `rugwijzer serve --workers N`.
    uvicorn starts them with multiprocessing's "spawn" (not the resource tracker, which
    multiprocessing may start too)."""
    return {pid for pid in child_pids(supervisor) if b"spawn_main" in _command_line(pid)}


def server_pid(url: str) -> int:
    """The process of the server that `local_server` started in this process for `url`."""
    port = url.rsplit(":", 1)[1].encode()
    for pid in child_pids(os.getpid()):
        arguments = _command_line(pid).split(b"\0")
        if b"serve" in arguments and b"--port" in arguments and port in arguments:
            return pid
    raise RuntimeError(f"no server process of this process serves {url}")


def _server_command(port: int, workers: int | None) -> list[str]:
    serve = [sys.executable, "-m", "rugwijzer", "serve", "--host", LOOPBACK, "--port", str(port)]
    if workers is None:
        # what a person runs: one process, `rugwijzer serve`
        return serve
    # the hosting recipe of docs/operating.md: several worker processes, no access log
    return [*serve, "--workers", str(workers), "--log-level", "warning"]


@contextmanager
def local_server(
    data_dir: Path,
    *,
    log: Path | None = None,
    wait_seconds: float = 30,
    extra_env: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> Iterator[str]:
    """Initialise `data_dir` (and the database), serve it, and yield the base URL once
    /healthz answers 200 (with several workers: once every worker listens, so that the first
    connections are spread over all of them).

    `extra_env` adds settings (e.g. RUGWIJZER_MODE=server, RUGWIJZER_DATABASE_URL).
    `workers=None` runs `rugwijzer serve`; a number runs `rugwijzer serve --workers N`, as
    for hosting (server mode only). The server's output goes to `log` (or nowhere); if it does
    not come up within `wait_seconds`, the RuntimeError carries that log."""
    env = {**os.environ, "RUGWIJZER_DATA_DIR": str(data_dir), **(extra_env or {})}
    init = subprocess.run(
        [sys.executable, "-m", "rugwijzer", "init"], env=env, capture_output=True, text=True
    )
    if init.returncode != 0:
        raise RuntimeError(f"rugwijzer init failed\n{init.stdout}{init.stderr}")
    port = free_port()
    with log.open("wb") if log else open(os.devnull, "wb") as output:
        server = subprocess.Popen(
            _server_command(port, workers), env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                answered = httpx.get(f"{url}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                answered = False
            if answered and (workers is None or len(listening_sockets(port)) >= workers):
                break
            if time.monotonic() > deadline or server.poll() is not None:
                output_text = log.read_text(errors="replace") if log else ""
                raise RuntimeError(f"the Rugwijzer server did not start\n{output_text}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
