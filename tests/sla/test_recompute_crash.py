"""Two calendar changes at once on two real Celery workers, one of them killed with SIGKILL in the middle of its
recompute: afterwards every open clock's due date is the one derived from its events and the calendar, and
each case has exactly one "deadline moved" entry per change."""

import datetime
import time

import numpy as np
import pytest
from django.db import connection

from casework.models import Case, TimelineEvent
from sla import engine, services
from sla.models import CalendarChange, Clock
from sla.tasks import resume_recomputes
from tests.factories import ServiceAreaFactory
from tests.workers import WorkerProcess, wait_for

D = datetime.date.fromisoformat
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
CASES, CLOCKS_PER_CASE = 600, 100


def open_clocks():
    area = ServiceAreaFactory(name="Responsive Repairs")
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"TST-2025-{n:06d}",
                kind="complaint",
                status="open",
                summary="",
                service_area=area,
                received_on=D("2025-05-01"),
            )
            for n in range(CASES)
        ]
    )
    starts = [D("2025-05-19") + datetime.timedelta(days=n % 25) for n in range(CLOCKS_PER_CASE)]
    calendar = engine.get_calendar()
    dues = calendar.add_working_days_many(np.array(starts, dtype="datetime64[D]"), 20).astype(datetime.date)
    Clock.objects.bulk_create(
        [
            Clock(
                case=case,
                kind="response",
                stage=1,
                label="Respond",
                started_on=start,
                target_working_days=20,
                due_on=due,
            )
            for case in cases
            for start, due in zip(starts, dues, strict=True)
        ],
        batch_size=10_000,
    )
    services.sync_case_due_dates([case.pk for case in cases])


def recompute_holder():
    """The application name (worker) of the session holding the recompute lock, if any."""
    key = services.RECOMPUTE_LOCK
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT activity.application_name FROM pg_locks AS lock JOIN pg_stat_activity AS activity "
            "ON activity.pid = lock.pid WHERE lock.locktype = 'advisory' AND lock.granted "
            "AND lock.classid::bigint = %s AND lock.objid::bigint = %s",
            [key >> 32, key & 0xFFFFFFFF],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_worker_killed_mid_recompute_leaves_no_clock_wrong_and_no_entry_twice(postgresql_only, broker, tmp_path):
    open_clocks()
    workers = {name: WorkerProcess(name, tmp_path) for name in ("worker-a", "worker-b")}
    try:
        for worker in workers.values():
            worker.wait_ready()

        # Two changes in quick succession: each commits and queues its recompute; the two workers take one each.
        services.declare_closure_day(D("2025-06-16"), "Office move")
        services.declare_closure_day(D("2025-06-17"), "Office move, second day")

        holder = []
        assert wait_for(lambda: holder.append(recompute_holder()) or holder[-1], seconds=60, interval=0.01), (
            "no recompute started:\n" + "\n".join(w.tail() for w in workers.values())
        )
        victim = workers[holder[-1]]
        victim.kill()
        killed_at = time.monotonic()
        # It died mid-way: its change is still pending, nothing of it written.
        pending_after_kill = CalendarChange.objects.filter(recomputed_at__isnull=True).count()
        assert pending_after_kill >= 1

        survivor = next(w for w in workers.values() if w is not victim)
        # What beat sends every five minutes; the survivor carries out whatever is still pending.
        resume_recomputes.delay()
        assert wait_for(lambda: not CalendarChange.objects.filter(recomputed_at__isnull=True).exists(), 120), (
            survivor.tail()
        )
        recovered_in = time.monotonic() - killed_at
    finally:
        for worker in workers.values():
            worker.stop()

    check = services.check_deadlines()
    assert check.examined == CASES * CLOCKS_PER_CASE
    assert check.wrong == [], f"{len(check.wrong)} clocks wrong after recovery, e.g. {check.wrong[:3]}"
    # No clock is due on a closure day.
    assert not Clock.objects.filter(due_on__in=[D("2025-06-16"), D("2025-06-17")]).exists()

    entries = {}
    for case_id, data in TimelineEvent.objects.filter(kind="deadline_moved").values_list("case_id", "data"):
        entries.setdefault(case_id, []).append(data["changed_days"])
    # Each case names each change once: whichever worker ran first carried out every change still pending.
    assert len(entries) == CASES
    for days in entries.values():
        named = [day for entry in days for day in entry]
        assert sorted(named) == ["2025-06-16", "2025-06-17"], days
    assert recovered_in < 120
