"""The work queue of an officer with 200 open cases among 1,000,000 complaints, and the page of one of them
(target: median under 150 ms of server time), printed beside the raw SQL time of the page's main query
measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/work_queue.py

The first run creates and fills database bench_scale_1000000 (a few minutes); later runs reuse it.
"""

import os
import statistics
import time

from _scale import use_scale_database
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
RUNS = 30


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
    return statistics.median(timings), len(queries), queries


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
    use_scale_database(COMPLAINTS)
    from complaints.models import Complaint

    officer = get_user_model().objects.get(username="bench.officer")
    total = Complaint.objects.count()
    open_for_officer = Complaint.objects.filter(assigned_to=officer, closed_at__isnull=True).count()
    client = Client()
    client.force_login(officer)
    print(f"work queue: {total:,} complaints in the database; {officer.username} has {open_for_officer} open")
    # A complaint not yet answered: its page also looks for earlier upheld complaints like it, among them all.
    awaiting = (
        Complaint.objects.filter(assigned_to=officer, closed_at__isnull=True, status__in=["received", "acknowledged"])
        .order_by("-received_on")
        .values_list("reference", flat=True)
        .first()
    )
    for label, path, params in [
        ("officer's queue (/complaints/?officer=me, 50 a page)", "/complaints/", {"officer": officer.pk}),
        ("my work (/work/, 50 a page)", "/work/", {}),
        (f"a complaint awaiting its response (/complaints/{awaiting}/)", f"/complaints/{awaiting}/", {}),
    ]:
        median, count, queries = measure(client, path, params)
        main_query = max(queries.captured_queries, key=lambda q: len(q["sql"]))["sql"]
        sql_median = raw_sql_time(main_query)
        print(f"  {label}")
        print(f"    page: median {median:.1f} ms server time over {RUNS} requests, {count} queries (target < 150 ms)")
        print(f"    main query alone: median {sql_median:.1f} ms  [baseline]; page / query = {median / sql_median:.1f}")
        print(f"    {'met' if median < 150 else 'MISSED'}")


if __name__ == "__main__":
    main()
