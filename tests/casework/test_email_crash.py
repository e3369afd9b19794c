"""Email delivery on two real Celery workers through a real SMTP server (aiosmtpd on loopback), one worker
killed with SIGKILL in the middle of sending: every email arrives, and no Message-ID arrives twice."""

import asyncio
import email
import threading
from collections import Counter

import psutil
import pytest
from aiosmtpd.controller import Controller

from casework.models import Notification
from casework.services import notification_message_id, notify_many
from casework.tasks import email_pending_notifications
from tests.factories import UserFactory
from tests.workers import WorkerProcess, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
EMAILS, HOLD_AT = 120, 30


class SlowMailServer:
    """Accepts each message after a short pause, as a busy mail server does; holds the HOLD_AT-th message
    unanswered until the test releases it. A message whose client is gone by then was never accepted (the
    client never heard "250"), so it is not counted: that is the moment the worker is killed."""

    def __init__(self):
        self.accepted = []
        self.count = 0
        self.held_peer = None
        self.holding = threading.Event()
        self.release = None

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.count == HOLD_AT:
            self.release = asyncio.Event()
            self.held_peer = session.peer
            self.holding.set()
            await self.release.wait()
            await asyncio.sleep(0.2)  # let the loop notice a closed connection
            if server.transport is None or server.transport.is_closing():
                return "451 Client gone"
        else:
            await asyncio.sleep(0.02)
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        self.accepted.append(message["Message-ID"])
        return "250 OK"


@pytest.fixture
def mail_server():
    handler = SlowMailServer()
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.loop = controller.loop
    yield handler, port
    if handler.release is not None:
        controller.loop.call_soon_threadsafe(handler.release.set)
    controller.stop()


def owner_of_connection(port):
    """The pid of the process whose TCP connection comes from this local port."""
    for connection in psutil.net_connections(kind="tcp"):
        if connection.laddr and connection.laddr.port == port and connection.raddr:
            return connection.pid
    return None


def test_a_worker_killed_mid_delivery_loses_no_email_and_sends_none_twice(
    postgresql_only, broker, mail_server, tmp_path
):
    server, port = mail_server
    recipients = [UserFactory(username=f"officer{n}", email=f"officer{n}@council.example") for n in range(10)]
    environment = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "EMAIL_CLAIM_SECONDS": "3"}
    workers = [WorkerProcess(name, tmp_path, **environment) for name in ("mail-a", "mail-b")]
    try:
        for worker in workers:
            worker.wait_ready()
        created = notify_many(
            [
                Notification(recipient=recipients[n % 10], subject=f"Reminder {n}", body="Due soon", email_wanted=True)
                for n in range(EMAILS)
            ]
        )
        expected = {notification_message_id(n) for n in created}
        email_pending_notifications.delay()  # the second worker joins in, as the every-minute delivery does

        assert server.holding.wait(60), "no email reached the mail server:\n" + workers[0].tail()
        pid = owner_of_connection(server.held_peer[1])
        [victim] = [worker for worker in workers if worker.pid == pid]
        victim.kill()
        server.loop.call_soon_threadsafe(server.release.set)
        survivor = next(worker for worker in workers if worker is not victim)

        # What the dead worker had claimed goes once its claims lapse; beat sends the delivery every minute.
        def all_sent():
            if Notification.objects.filter(emailed_at__isnull=True).exists():
                email_pending_notifications.delay()
                return False
            return True

        assert wait_for(all_sent, seconds=90, interval=2), survivor.tail()
    finally:
        for worker in workers:
            worker.stop()

    copies = Counter(server.accepted)
    assert set(copies) == expected, f"{len(expected - set(copies))} emails lost"
    assert max(copies.values()) == 1, f"sent twice: {[m for m, n in copies.items() if n > 1]}"
    assert len(server.accepted) == EMAILS
