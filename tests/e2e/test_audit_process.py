"""End to end: the access audit with `rugwijzer serve` as a real process in server mode (SQLite).

Accounts are made and a role changed with the operators' commands; a practitioner reads a
client's diary over HTTP; the client's export then lists that read, and an admin's audit lists
the logins and the role change.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.factories import TEST_SECRET

PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rugwijzer(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "rugwijzer", *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_a_practitioners_read_is_in_the_clients_export(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "RUGWIJZER_DATA_DIR": str(tmp_path),
        "RUGWIJZER_DATABASE_URL": f"sqlite:///{tmp_path / 'server.db'}",
        "RUGWIJZER_MODE": "server",
        "RUGWIJZER_SECRET_KEY": TEST_SECRET,
        "RUGWIJZER_NEW_PASSWORD": PASSWORD,
    }
    _rugwijzer(env, "db", "upgrade")
    for email, role in (
        ("alice@example.org", "user"),
        ("pia@example.org", "user"),
        ("ada@example.org", "admin"),
    ):
        _rugwijzer(env, "accounts", "create", email, "--role", role)
    _rugwijzer(env, "accounts", "set-role", "pia@example.org", "practitioner")

    log = tmp_path / "serve.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "rugwijzer", "serve", "--port", str(port)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    print(log.read_text(errors="replace"))
                    raise
                time.sleep(0.2)

        def login(email: str) -> tuple[dict[str, str], int]:
            answer = httpx.post(
                f"{base}/api/v1/auth/login",
                json={"email": email, "password": PASSWORD},
                timeout=10,
            )
            assert answer.status_code == 200, answer.text
            body = answer.json()
            return {"authorization": f"Bearer {body['token']}"}, body["user_id"]

        alice, alice_id = login("alice@example.org")
        pia, _pia_id = login("pia@example.org")
        admin, _ada_id = login("ada@example.org")
        granted = httpx.post(
            f"{base}/api/v1/me/grants",
            json={"practitioner_email": "pia@example.org"},
            headers=alice,
            timeout=10,
        )
        assert granted.status_code == 201, granted.text
        read = httpx.get(f"{base}/api/v1/clients/{alice_id}/export", headers=pia, timeout=10)
        assert read.status_code == 200, read.text

        export = httpx.get(f"{base}/api/v1/me/export", headers=alice, timeout=10).json()
        assert [(r["practitioner_email"], r["resource"]) for r in export["access_log"]] == [
            ("pia@example.org", "export")
        ]
        events = httpx.get(f"{base}/api/v1/admin/audit", headers=admin, timeout=10).json()
        seen = [(e["event"], e["email"], e["detail"]) for e in reversed(events)]
        assert seen == [
            ("role_change", "pia@example.org", "user>practitioner"),
            ("login", "alice@example.org", None),
            ("login", "pia@example.org", None),
            ("login", "ada@example.org", None),
        ]
        refused = httpx.get(f"{base}/api/v1/admin/audit", headers=pia, timeout=10)
        assert refused.status_code == 404
    finally:
        process.terminate()
        process.wait(timeout=10)
