"""Several worker processes on one port, each accepting on a listening socket of its own.

uvicorn's supervisor binds one socket and hands it to every worker. The workers then race for
each new connection, and one of them routinely wins most of them: with 100 keep-alive clients
and two workers the split was 62/38, so one process did most of the work while the other idled.
Here each worker binds its own socket with `SO_REUSEPORT`, and the kernel spreads new
connections evenly over the sockets that listen. A worker that dies takes its socket with it:
new connections go to the survivors until its replacement listens.

The supervisor itself (health checks, replacing dead workers, SIGHUP, graceful stop) stays
uvicorn's; only the way a worker gets its socket changes.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import multiprocess

logger = logging.getLogger("uvicorn.error")


def balanced_socket_supported() -> bool:
    """Whether this system can spread connections over sockets (Linux, the BSDs)."""
    return hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port that shares the port with the other workers' sockets (it
    starts listening when the worker's server starts)."""
    sock = socket.socket(family=_family(host))
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def check_port_free(host: str, port: int) -> None:
    """Raise OSError when anything holds host:port already, another Rugwijzer included.

    The probe sets no `SO_REUSEPORT`: a socket with it would share the port with another
    server of the same user and quietly split its traffic with it."""
    with socket.socket(family=_family(host)) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class OwnSocketWorker(multiprocess.Process):
    """A uvicorn worker process that binds its own share of the port when it starts."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        # runs in the worker process (coverage does not follow it there)
        try:
            sock = listening_socket(self.config.host, self.config.port)
        except OSError as exc:
            logger.error("Worker could not bind %s:%s: %s", self.config.host, self.config.port, exc)
            # the supervisor stops instead of starting this worker again and again
            sys.exit(STARTUP_FAILURE)
        super().target([sock])


@contextmanager
def _workers_bind_their_own_socket() -> Iterator[None]:
    # uvicorn's supervisor makes its workers from the module's `Process`; it offers no other
    # way in. Swapped only in this (the supervisor's) process and only while it runs.
    original = multiprocess.Process
    multiprocess.Process = OwnSocketWorker  # type: ignore[misc]
    try:
        yield
    finally:
        multiprocess.Process = original  # type: ignore[misc]


def run_workers(config: Config) -> None:
    """Supervise `config.workers` worker processes, each accepting on its own socket.

    Raises OSError before any worker starts when the port is taken. Where the system cannot
    spread connections over sockets, the workers share one as uvicorn makes them do."""
    if not balanced_socket_supported():
        multiprocess.Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    check_port_free(config.host, config.port)
    supervisor = multiprocess.Multiprocess(config, sockets=[])
    with _workers_bind_their_own_socket():
        supervisor.run()
