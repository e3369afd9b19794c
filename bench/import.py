"""Import throughput on PostgreSQL (target: at least 5,000 complaint rows a second), printed beside the
same complaints written one at a time through the lifecycle services (log, acknowledge, respond), the way a
naive migration script would, measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/import.py

Works in its own database, bench_import, created afresh (migrated) on each run and dropped at the end.
BENCH_IMPORT_COMPLAINTS sets the file's size (default 50,000 complaints, about 54,000 rows).
"""

import csv
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, connections

COMPLAINTS = int(os.environ.get("BENCH_IMPORT_COMPLAINTS", "50000"))
BASELINE_SAMPLE = 200
DATABASE = "bench_import"


def fresh_database():
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: this benchmark measures PostgreSQL.")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connections.close_all()
    connection.settings_dict["NAME"] = DATABASE
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from casework.reference_data import load_reference_data
    from casework.roles import Role, assign_role

    load_reference_data()
    for username in ("amara.okafor", "tom.bennett", "grace.mensah"):
        user = get_user_model().objects.create(username=username, first_name=username.split(".")[0].title())
        assign_role(user, Role.COMPLAINTS_OFFICER)


def drop_database():
    connections.close_all()
    connection.settings_dict["NAME"] = "postgres"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')


def complaint_rows(count, seed=11):
    """`count` complaints over five years, about 8% escalated, 10% extended, half with a named resident."""
    from casework.models import IssueNature
    from sla import engine

    calendar = engine.get_calendar()
    rng = random.Random(seed)
    natures = list(IssueNature.objects.select_related("service_area").values_list("name", "service_area__name"))
    handlers = ["amara.okafor", "tom.bennett", "grace.mensah"]
    today = datetime.date.today()
    first = today - datetime.timedelta(days=5 * 365)
    rows = []
    for number in range(count):
        received = calendar.working_day_on_or_after(first + datetime.timedelta(days=rng.randrange(5 * 365 - 90)))
        nature, area = natures[number % len(natures)]
        acknowledged = calendar.add_working_days(received, rng.randint(1, 5))
        responded = calendar.add_working_days(acknowledged, rng.randint(4, 14))
        extended = rng.random() < 0.1
        row = {
            "reference": f"LEG-{number:07d}",
            "stage": "1",
            "date_received": received.strftime("%d/%m/%Y"),
            "date_acknowledged": acknowledged.strftime("%d/%m/%Y"),
            "date_responded": responded.strftime("%d/%m/%Y"),
            "outcome": rng.choice(["upheld", "partly upheld", "not upheld"]),
            "service_area": area,
            "issue_nature": nature,
            "complaint_type": rng.choice(["delay", "service failure", "communication"]),
            "channel": rng.choice(["email", "phone", "web form"]),
            "extended_to": calendar.add_working_days(acknowledged, 25).strftime("%d/%m/%Y") if extended else "",
            "compensation": rng.choice(["", "", "50.00", "£150"]),
            "handler": handlers[number % 3],
            "summary": "Repair not completed",
            "resident_first_name": "Resident" if number % 2 else "",
            "resident_last_name": f"Number {number}" if number % 2 else "",
            "address": f"{number % 500} Station Road" if number % 2 else "",
            "postcode": f"E{number % 20} 1AA" if number % 2 else "",
        }
        rows.append(row)
        if rng.random() < 0.08:
            requested = calendar.add_working_days(responded, rng.randint(1, 10))
            stage2 = dict.fromkeys(row, "")
            stage2.update(
                {
                    "reference": row["reference"],
                    "stage": "2",
                    "date_received": requested.strftime("%d/%m/%Y"),
                    "date_acknowledged": calendar.add_working_days(requested, 3).strftime("%d/%m/%Y"),
                    "date_responded": calendar.add_working_days(requested, rng.randint(10, 24)).strftime("%d/%m/%Y"),
                    "outcome": rng.choice(["upheld", "not upheld"]),
                    "handler": handlers[(number + 1) % 3],
                }
            )
            rows.append(stage2)
    return rows


def to_csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def baseline(count):
    """One complaint at a time through the services: log, acknowledge, respond (each in its transaction)."""
    from django.contrib.auth import get_user_model

    from casework.models import IssueNature
    from complaints import services
    from complaints.models import ProcedureVersion
    from sla import engine

    officer = get_user_model().objects.get(username="amara.okafor")
    natures = list(IssueNature.objects.select_related("service_area"))
    version = ProcedureVersion.objects.get(procedure__code="hos-code-2024")
    received = engine.add_working_days(datetime.date.today(), -40)
    began = time.perf_counter()
    for number in range(count):
        nature = natures[number % len(natures)]
        complaint = services.log_complaint(
            actor=officer,
            received_on=received,
            channel="email",
            service_area=nature.service_area,
            issue_nature=nature,
            complaint_type="delay",
            description="Repair not completed",
            outcome_wanted="Put it right",
            procedure_version=version,
            assigned_to=officer,
            external_reference=f"BASE-{number}",
        )
        complaint = services.acknowledge(complaint, on=engine.add_working_days(received, 2), actor=officer)
        services.respond(
            complaint,
            actor=officer,
            on=engine.add_working_days(received, 10),
            summary="Done",
            points=[services.Point("Repair", "upheld")],
        )
    return count / (time.perf_counter() - began)


def main():
    fresh_database()
    try:
        from casework.models import Case
        from complaints.models import ComplaintStage
        from imports.core import import_file

        rows = complaint_rows(COMPLAINTS)
        data = to_csv(rows)
        print(f"import: {COMPLAINTS:,} complaints in {len(rows):,} rows ({len(data) / 1e6:.1f} MB of CSV)")
        from unittest import mock

        from reporting import facts
        from reporting.models import ComplaintStageFact

        # The reports' figures are refreshed by a task on a worker once the import commits; it is timed apart.
        queued = []
        began = time.perf_counter()
        with mock.patch("reporting.tasks.refresh_complaint_figures.delay", side_effect=lambda *a: queued.append(a)):
            result = import_file("complaints", data, source="benchmark file")
        elapsed = time.perf_counter() - began
        assert result.ok and result.created == COMPLAINTS, result.problems[:5]
        assert ComplaintStage.objects.count() == len(rows)
        rate = len(rows) / elapsed
        print(f"  import (read, check every row, COPY in one transaction): {elapsed:.1f} s, {rate:,.0f} rows a second")
        began = time.perf_counter()
        for first, last in queued:
            facts.refresh_complaint_range(first, last)
        assert ComplaintStageFact.objects.count() == len(rows)
        print(f"  then the task that counts them in the reports: {time.perf_counter() - began:.1f} s")

        began = time.perf_counter()
        again = import_file("complaints", data, source="benchmark file")
        recheck = time.perf_counter() - began
        assert again.ok and again.created == 0 and again.unchanged == COMPLAINTS
        print(
            f"  the same file again (all recognised, nothing written): {recheck:.1f} s, "
            f"{len(rows) / recheck:,.0f} rows a second"
        )

        cases = Case.objects.count()
        base = baseline(BASELINE_SAMPLE)
        assert Case.objects.count() == cases + BASELINE_SAMPLE
        print(
            f"  baseline, one at a time through the services ({BASELINE_SAMPLE} complaints): "
            f"{base:,.0f} a second  [baseline]"
        )
        print(
            f"  import / baseline = {rate / base:,.0f}x; "
            f"target 5,000 rows a second: {'met' if rate >= 5000 else 'MISSED'}"
        )
    finally:
        drop_database()


if __name__ == "__main__":
    main()
