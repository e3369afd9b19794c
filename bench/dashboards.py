"""The SLA dashboard and the yearly performance page with 1,000,000 complaints over ten years (target: each
under 300 ms of server time at the median), each printed beside the raw SQL time of the page's main query
measured in the same run; and the monthly report for one month (target: under 5 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/dashboards.py

The first run creates and fills database bench_reporting_1000000 (a few minutes); later runs reuse it.
"""

import os
import statistics
import time

from _scale import use_scale_database
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
RUNS = 30
PAGE_TARGET_MS = 300
MONTHLY_TARGET_S = 5


def measure(client, path, params):
    for _ in range(3):
        client.get(path, params)  # warm caches: calendar, templates, connection
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path, params)
    return statistics.median(timings), queries.captured_queries


def raw_sql_time(sql):
    timings = []
    with connection.cursor() as cursor:
        for _ in range(RUNS):
            began = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def main():
    use_scale_database(COMPLAINTS, name=f"bench_reporting_{COMPLAINTS}")
    call_command("migrate", verbosity=0)
    from complaints.models import Complaint, ComplaintStage
    from reporting import facts, monthly
    from reporting.models import ComplaintStageFact, MonthlyReport
    from reporting.periods import financial_year_label, financial_year_of, previous_month

    if ComplaintStageFact.objects.count() != ComplaintStage.objects.count():
        print("(summing the generated complaints into the reports' figures, once)")
        facts.refresh_all()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    User = get_user_model()
    manager, created = User.objects.get_or_create(username="bench.manager")
    if created:
        from casework.roles import Role, assign_role

        assign_role(manager, Role.MANAGER)
    client = Client()
    client.force_login(manager)
    today = timezone.localdate()
    year = financial_year_label(financial_year_of(today) - 1)  # the last complete financial year
    print(f"dashboards: {Complaint.objects.count():,} complaints, {ComplaintStage.objects.count():,} stages")
    for label, path, params in [
        ("SLA dashboard (/dashboard/)", "/dashboard/", {}),
        (f"yearly performance page (/reports/?year={year})", "/reports/", {"year": year}),
    ]:
        median, queries = measure(client, path, params)
        main_query = max(queries, key=lambda q: float(q["time"]))["sql"]
        sql_median = raw_sql_time(main_query)
        print(f"  {label}")
        print(
            f"    page: median {median:.1f} ms server time over {RUNS} requests, {len(queries)} queries "
            f"(target < {PAGE_TARGET_MS} ms)"
        )
        print(f"    main query alone: median {sql_median:.1f} ms  [baseline]; page / query = {median / sql_median:.1f}")
        print(f"    {'met' if median < PAGE_TARGET_MS else 'MISSED'}")

    month = previous_month(today)
    MonthlyReport.objects.filter(month=month).delete()
    began = time.perf_counter()
    report, _ = monthly.store_report(month)
    seconds = time.perf_counter() - began
    print(
        f"  monthly report for {month:%B %Y}: stored in {seconds:.2f} s (target < {MONTHLY_TARGET_S} s); "
        f"{report.figures['headline']['received']:,} stages received that month"
    )
    print(f"    {'met' if seconds < MONTHLY_TARGET_S else 'MISSED'}")


if __name__ == "__main__":
    main()
