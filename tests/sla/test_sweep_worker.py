"""The deadline sweep run by a real Celery worker on the Redis broker, against PostgreSQL."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from casework.models import Notification
from casework.roles import Role
from config.celery import app
from sla import services
from sla.models import SweepNotice
from sla.tasks import deadline_sweep
from tests.conftest import require_service
from tests.factories import CaseFactory, TeamFactory, UserFactory

D = datetime.date.fromisoformat
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_broker(settings):
    url = settings.REDIS_URL
    reachable = False
    if url:
        import redis

        try:
            reachable = redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError:
            reachable = False
    require_service(reachable, "Redis (set REDIS_URL)")
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.control.purge()
    yield url
    app.conf.task_always_eager, app.conf.broker_url = previous


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_real_worker_runs_the_sweep_and_sends_each_notice_once(postgresql_only, redis_broker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    handler = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    manager = UserFactory(username="boss", role=Role.MANAGER)
    team = TeamFactory(name="Feedback", manager=manager)
    for due in (D("2025-06-13"), D("2025-06-11"), D("2025-06-10")):
        case = CaseFactory(assigned_to=handler, team=team)
        services.start_clock(
            case,
            kind="response",
            stage=1,
            label="Respond",
            working_days=10,
            started_on=services.engine.add_working_days(due, -10),
        )

    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20
    ):
        deadline_sweep.delay("2025-06-11")
        deadline_sweep.delay("2025-06-11")  # a duplicate delivery: nothing more is sent
        assert wait_for(lambda: len(mail.outbox) >= 3), f"only {len(mail.outbox)} emails arrived"
        time.sleep(1)  # let any duplicate work finish before counting

    assert sorted(SweepNotice.objects.values_list("kind", flat=True)) == ["due_today", "overdue", "reminder"]
    assert Notification.objects.filter(recipient=handler).count() == 2
    assert Notification.objects.filter(recipient=manager).count() == 1
    assert len(mail.outbox) == 3
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
