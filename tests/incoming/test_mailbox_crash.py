"""`manage.py fetch_mail` in a process of its own, killed with SIGKILL at the worst moment: it has stored a
message and is waiting for the server to mark it read. A re-run takes in the rest; nothing is lost, nothing is
stored twice. Between the command and dovecot sits a loopback relay that holds the command's Nth STORE, so the
kill lands at that moment on every run, not by luck of timing."""

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from incoming import services
from incoming.models import IncomingEmail
from tests.incoming.messages import RECEIVED, email
from tests.workers import database_url

pytestmark = [pytest.mark.mailbox, pytest.mark.django_db(transaction=True)]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
MESSAGES, HOLD_AT = 8, 4


class HoldingRelay:
    """Relays one IMAP connection to the server; the HOLD_AT-th `UID STORE` is never passed on."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stores = 0
        self.holding = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", self.upstream_port))
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
        buffer = b""
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                break
            if not data:
                break
            buffer += data
            while b"\r\n" in buffer:
                line, buffer = buffer.split(b"\r\n", 1)
                if b" UID STORE " in line.upper():
                    self.stores += 1
                    if self.stores == HOLD_AT:
                        self.holding.set()
                if self.holding.is_set():
                    continue  # held: the server never hears it
                server.sendall(line + b"\r\n")
        server.close()

    @staticmethod
    def _pump(source, target):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            try:
                target.sendall(data)
            except OSError:
                return

    def close(self):
        self.listener.close()


def test_fetch_mail_killed_after_storing_a_message_and_run_again(imap_server, postgresql_only, tmp_path):
    uids = [
        imap_server.deliver(
            email(subject=f"Complaint {n}", message_id=f"<crash-{n}@example.org>"), received_at=RECEIVED
        )
        for n in range(1, MESSAGES + 1)
    ]
    relay = HoldingRelay(imap_server.port)
    log = (tmp_path / "fetch_mail.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "fetch_mail"],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url("fetch-mail-killed"),
            "MAILBOX_URL": imap_server.url().replace(f":{imap_server.port}/", f":{relay.port}/"),
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert relay.holding.wait(timeout=90), (tmp_path / "fetch_mail.log").read_text()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        relay.close()
        log.close()

    assert process.returncode == -signal.SIGKILL
    assert sorted(IncomingEmail.objects.values_list("uid", flat=True)) == uids[:HOLD_AT]
    assert imap_server.unseen() == uids[HOLD_AT - 1 :], "the last one stored was never marked read"

    result = services.fetch_mail(imap_server.url())

    assert (result.taken_in, result.already_stored, result.duplicates, result.failed) == (MESSAGES - HOLD_AT, 1, 0, 0)
    ids = list(IncomingEmail.objects.values_list("message_id", flat=True))
    assert sorted(ids) == sorted(f"<crash-{n}@example.org>" for n in range(1, MESSAGES + 1))
    assert imap_server.unseen() == []
