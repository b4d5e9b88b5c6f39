"""Each worker's own listening socket (web/workers.py): the kernel spreads connections evenly
over the sockets that share a port, and a port another program holds is refused up front."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from rugwijzer.web.workers import balanced_socket_supported, check_port_free, listening_socket

pytestmark = pytest.mark.skipif(
    not balanced_socket_supported(), reason="this system has no SO_REUSEPORT"
)

HOST = "127.0.0.1"
CONNECTIONS = 120


@contextmanager
def _workers_sockets(count: int) -> Iterator[list[socket.socket]]:
    """`count` sockets listening on one free port, as `count` workers would hold them."""
    with ExitStack() as stack:
        first = stack.enter_context(listening_socket(HOST, 0))
        port = first.getsockname()[1]
        sockets = [first] + [
            stack.enter_context(listening_socket(HOST, port)) for _ in range(count - 1)
        ]
        for sock in sockets:
            sock.listen(CONNECTIONS)
            sock.setblocking(False)
        yield sockets


def _accepted(sock: socket.socket) -> int:
    count = 0
    while True:
        try:
            connection, _ = sock.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_connections_are_spread_over_the_workers_sockets() -> None:
    with _workers_sockets(2) as sockets, ExitStack() as clients:
        port = sockets[0].getsockname()[1]
        for _ in range(CONNECTIONS):
            # one after the other, as keep-alive clients connect: a shared socket gave most of
            # these to whichever worker happened to win the race
            clients.enter_context(socket.create_connection((HOST, port), timeout=5))
        counts = [_accepted(sock) for sock in sockets]
    assert sum(counts) == CONNECTIONS
    # an even split is 60/60; below 36 happens by chance less than once in 100,000 runs
    assert min(counts) >= 36, counts


def test_a_port_held_by_another_program_is_refused() -> None:
    with socket.socket() as other_program:
        other_program.bind((HOST, 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        with pytest.raises(OSError, match="in use"):
            check_port_free(HOST, port)
        # a worker socket cannot join a port whose holder did not agree to share it
        with pytest.raises(OSError, match="in use"):
            listening_socket(HOST, port)


def test_a_free_port_passes_the_check() -> None:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    check_port_free(HOST, port)
    with listening_socket(HOST, port) as sock:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
