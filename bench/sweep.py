"""The deadline sweep over 100,000 open clocks (target: under 30 s), beside a clock-by-clock baseline
measured on a sample in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/sweep.py

Runs in a throwaway database (bench_sweep) created and dropped by this script.
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["EMAIL_URL"] = "dummymail://"

import django

django.setup()

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

CLOCKS = int(os.environ.get("BENCH_CLOCKS", "100000"))
SAMPLE = 1_000
TODAY = datetime.date(2031, 6, 11)  # a Wednesday


def populate(count):
    from casework.bulk import copy_rows, next_ids
    from casework.models import Case, ServiceArea, Team
    from casework.roles import Role, assign_role
    from casework.services import allocate_references
    from sla.engine import get_calendar
    from sla.models import Clock

    User = get_user_model()
    area, _ = ServiceArea.objects.get_or_create(name="Bench", defaults={"code": "bench"})
    officers = []
    for number in range(40):
        user = User.objects.create_user(f"officer{number}", email=f"officer{number}@council.example")
        assign_role(user, Role.COMPLAINTS_OFFICER)
        officers.append(user.pk)
    manager = User.objects.create_user("manager", email="manager@council.example")
    head = User.objects.create_user("head", email="head@council.example")
    team = Team.objects.create(name="Bench team", manager=manager, head_of_service=head)
    calendar = get_calendar()
    rng = random.Random(5)
    references = allocate_references("BEN", 2031, count)
    first_case, first_clock = next_ids(Case, count), next_ids(Clock, count)
    now = timezone.now()
    dues = [calendar.add_working_days(TODAY, rng.randint(-15, 15)) for _ in range(count)]
    starts = [calendar.add_working_days(due, -10) for due in dues]
    copy_rows(
        Case,
        [
            "id",
            "reference",
            "kind",
            "status",
            "summary",
            "service_area_id",
            "assigned_to_id",
            "team_id",
            "received_on",
            "is_urgent",
            "created_at",
            "updated_at",
            "next_due_on",
        ],
        (
            (
                first_case + i,
                references[i],
                "complaint",
                "acknowledged",
                "Bench case",
                area.pk,
                officers[i % 40],
                team.pk,
                starts[i],
                False,
                now,
                now,
                dues[i],
            )
            for i in range(count)
        ),
    )
    copy_rows(
        Clock,
        [
            "id",
            "case_id",
            "kind",
            "stage",
            "label",
            "division",
            "started_on",
            "target_working_days",
            "due_on",
            "status",
            "created_at",
        ],
        (
            (
                first_clock + i,
                first_case + i,
                "response",
                1,
                "Respond to stage 1",
                "england-and-wales",
                starts[i],
                10,
                dues[i],
                "running",
                now,
            )
            for i in range(count)
        ),
    )


def naive_sweep(clocks, day):
    """What a straightforward task does: for each clock, check and record its notice, then notify."""
    from casework.services import notify
    from sla.models import NoticeKind, SweepNotice

    for clock in clocks:
        kind = (
            NoticeKind.REMINDER
            if clock.due_on > day
            else NoticeKind.DUE_TODAY
            if clock.due_on == day
            else NoticeKind.OVERDUE
        )
        with transaction.atomic():
            _notice, created = SweepNotice.objects.get_or_create(
                clock=clock, kind=kind, due_on=clock.due_on, defaults={"sweep_date": day}
            )
            if created:
                recipient = clock.case.assigned_to
                notify(
                    recipient,
                    f"{kind}: {clock.label}",
                    clock.case.summary,
                    case=clock.case,
                    url=clock.case.get_absolute_url(),
                )


def main():
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: this benchmark measures PostgreSQL.")
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = "bench_sweep"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from casework.services import deliver_pending_emails
        from sla.models import Clock, SweepNotice
        from sla.sweep import reminder_working_days, run_deadline_sweep

        began = time.perf_counter()
        populate(CLOCKS)
        print(
            f"sweep: {CLOCKS:,} open clocks due between 15 working days ago and 15 ahead "
            f"(set-up {time.perf_counter() - began:.1f} s); reminders {reminder_working_days()} working days ahead"
        )
        from config.celery import app

        # The emails go out in their own task on a worker; here they wait in the outbox and are timed apart.
        app.conf.task_always_eager = False
        began = time.perf_counter()
        result = run_deadline_sweep(TODAY)
        seconds = time.perf_counter() - began
        print(
            f"  sweep: {seconds:.2f} s, {result.total:,} notices "
            f"({', '.join(f'{v:,} {k}' for k, v in sorted(result.sent.items()))}) (target < 30 s)"
        )
        began = time.perf_counter()
        again = run_deadline_sweep(TODAY)
        print(f"  second run the same day: {time.perf_counter() - began:.2f} s, {again.total} notices (must be 0)")
        began = time.perf_counter()
        emailed = deliver_pending_emails(limit=1_000_000)
        print(
            f"  email delivery of the notices (outbox, dummy backend): {emailed:,} "
            f"in {time.perf_counter() - began:.1f} s"
        )

        SweepNotice.objects.all().delete()
        sample = list(Clock.objects.select_related("case__assigned_to").order_by("id")[:SAMPLE])
        began = time.perf_counter()
        naive_sweep(sample, TODAY + datetime.timedelta(days=1))
        per_clock = (time.perf_counter() - began) / SAMPLE
        print(
            f"  clock by clock: {per_clock * 1000:.2f} ms a clock on a {SAMPLE:,} sample, "
            f"about {per_clock * CLOCKS:.0f} s for {CLOCKS:,} clocks  [baseline]"
        )
        print(f"  ratio: the set-based sweep is {per_clock * CLOCKS / seconds:.0f}x faster")
        print(f"  {'met' if seconds < 30 and again.total == 0 else 'MISSED'}", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
