"""An officer's day among many cases: every search, queue, report and admin list they use, each printed with
its median server time, its query count and the median time of hand-written SQL answering the same question
on the same database in the same run (the floor the page could reach).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/officer_day.py
    BENCH_COMPLAINTS=1000000 ...                    # one size (default 100,000)
    BENCH_SIZES=100000,1000000 ...                  # several, printed side by side at the end
    BENCH_RUNS=15 ...                               # requests per measurement (default 15; 3 if over 2 s)
    BENCH_ONLY="queue ?q=" ...                      # only what has this in its label

Targets: searches under 100 ms, pages under 300 ms, admin lists under 500 ms, and any page within 3 times its
SQL floor where the floor is over 10 ms. The first run at a size creates and fills database
bench_scale_v<DATA_SET>_<complaints> (generate_cases; about a minute per 100,000 complaints); later runs reuse it.
"""

import datetime
import os
import re
import statistics
import time
from dataclasses import dataclass, field

from _scale import use_scale_database
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

# Bumped whenever generate_cases writes a different data set, so an old database is never measured as new.
DATA_SET = 2
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
ONLY = os.environ.get("BENCH_ONLY", "")  # measure only what has this in its label, e.g. "queue ?q="
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", os.environ.get("BENCH_COMPLAINTS", "100000")).split(",")]
TARGETS = {"search": 100, "page": 300, "admin": 500}
OPEN = ("received", "acknowledged", "responded")
QUEUE_ORDER = "c.is_urgent DESC, c.next_due_on ASC NULLS LAST, c.received_on ASC, c.id ASC"
FROM = (
    "FROM casework_case c JOIN complaints_complaint p ON p.case_ptr_id = c.id "
    "LEFT JOIN casework_resident r ON r.id = c.resident_id LEFT JOIN auth_user u ON u.id = c.assigned_to_id"
)
ROW = (
    "SELECT c.id, c.reference, c.summary, c.status, c.received_on, c.next_due_on, c.is_urgent, r.first_name, "
    f"r.last_name, u.username {FROM}"
)


@dataclass
class Item:
    group: str  # search, page or admin: which target applies
    label: str
    path: str
    params: dict = field(default_factory=dict)
    who: str = "officer"
    sql: list = field(default_factory=list)  # [(statement, params)]: the floor is the sum of their medians


@dataclass
class Result:
    median: float
    queries: int
    floor: float | None

    def verdict(self, group):
        target = TARGETS[group]
        missed = [f"> {target} ms"] if self.median >= target else []
        if self.floor is not None and self.floor > 10 and self.median > 3 * self.floor:
            missed.append("> 3x floor")
        return "met" if not missed else "MISSED (" + ", ".join(missed) + ")"


def queue_sql(where, params, *, offset=0, count=True):
    """The page of 50 complaints the queue shows, in its order, and the count its pager shows."""
    statements = [(f"{ROW} WHERE {where} ORDER BY {QUEUE_ORDER} LIMIT 50 OFFSET {offset}", params)]
    if count:
        statements.append(
            (
                f"SELECT count(*) {FROM} WHERE {where}",
                params,
            )
        )
    return statements


def ids_of(subquery):
    # Worked out once (an InitPlan), then the rows are read by primary key: the fastest a hand could write it.
    return f"c.id = ANY(ARRAY({subquery}))"


def samples():
    """What an officer would type: a closed complaint from the middle of the data set and its resident's keys."""
    from casework.models import Case, Resident
    from complaints.models import Complaint

    ids = Complaint.objects.order_by("pk").values_list("pk", flat=True)
    middle = ids[ids.count() // 3]
    complaint = Case.objects.select_related("resident__home").get(pk=middle)
    resident = complaint.resident
    if not resident.phone or resident.home is None:
        resident = (
            Resident.objects.exclude(phone="")
            .filter(home__isnull=False, cases__kind="complaint")
            .order_by("pk")
            .first()
        )
    reference = complaint.reference
    return {
        "reference": reference,
        "fragment": str(int(reference.rsplit("-", 1)[1])),
        "postcode": resident.home.postcode.lower().replace(" ", ""),
        "phone": "+44 " + resident.phone_digits[1:5] + " " + resident.phone_digits[5:],
        "phone_digits": resident.phone_digits,
        "postcode_key": resident.home.postcode_key,
        "sector": resident.home.postcode_key[:-2].lower(),  # "nw16": the sector NW1 6, typed as one word
        "name": f"{resident.first_name} {resident.last_name}",
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "text": "mould",
    }


def items(s, today):
    from casework.models import ReferenceCounter
    from casework.services import format_reference
    from complaints.models import Complaint

    years = sorted(ReferenceCounter.objects.filter(prefix__in=["CMP", "SR"]).values_list("prefix", "year"))
    fragments = [format_reference(prefix, year, int(s["fragment"])) for prefix, year in years]
    by_postcode = (
        "SELECT c2.id FROM casework_case c2 JOIN casework_property h ON h.id = c2.home_id WHERE h.postcode_key LIKE %s "
        "UNION SELECT c3.id FROM casework_case c3 JOIN casework_resident r3 ON r3.id = c3.resident_id "
        "JOIN casework_property h3 ON h3.id = r3.home_id WHERE h3.postcode_key LIKE %s"
    )
    by_phone = (
        "SELECT c2.id FROM casework_case c2 JOIN casework_resident r2 ON r2.id = c2.resident_id "
        "WHERE r2.phone_digits LIKE %s UNION SELECT c3.id FROM casework_case c3 "
        "JOIN casework_representative p3 ON p3.id = c3.representative_id WHERE p3.phone_digits LIKE %s"
    )
    name_where = (
        "(lower(r.first_name) LIKE %s OR lower(r.last_name) LIKE %s) AND (lower(r.first_name) LIKE %s OR "
        "lower(r.last_name) LIKE %s)"
    )
    by_name = f"c.resident_id = ANY(ARRAY(SELECT r.id FROM casework_resident r WHERE {name_where}))"
    first, last = s["first_name"].lower() + "%", s["last_name"].lower() + "%"
    postcode, phone = s["postcode_key"] + "%", s["phone_digits"] + "%"
    searches = {
        "reference": (s["reference"], queue_sql("c.reference = %s", [s["reference"]])),
        "reference fragment": (s["fragment"], queue_sql("c.reference = ANY(%s)", [fragments])),
        "postcode": (s["postcode"], queue_sql(ids_of(by_postcode), [postcode, postcode])),
        "phone": (s["phone"], queue_sql(ids_of(by_phone), [phone, phone])),
        "name": (s["name"], queue_sql(by_name, [first, last, first, last])),
        "text": (s["text"], queue_sql("c.summary ILIKE %s", ["%mould%"])),
    }
    found = []
    for what, (typed, sql) in searches.items():
        found.append(
            Item("search", f"queue ?q= {what} ({typed!r})", "/complaints/", {"q": typed, "state": "all"}, sql=sql)
        )
    for what, (typed, sql) in searches.items():
        found.append(
            Item("search", f"API ?q= {what} ({typed!r})", "/api/v1/complaints/", {"q": typed, "state": "all"}, sql=sql)
        )
    resident_row = (
        "SELECT r.id, r.first_name, r.last_name, r.phone, h.postcode FROM casework_resident r "
        "LEFT JOIN casework_property h ON h.id = r.home_id"
    )
    resident_order = " ORDER BY r.last_name, r.first_name LIMIT 50"
    resident_searches = {
        "postcode": (s["postcode"], f"{resident_row} WHERE h.postcode_key LIKE %s{resident_order}", [postcode]),
        "phone": (s["phone"], f"{resident_row} WHERE r.phone_digits LIKE %s{resident_order}", [phone]),
        "name": (s["name"], f"{resident_row} WHERE {name_where}{resident_order}", [first, last, first, last]),
        "postcode sector": (
            s["sector"],
            f"{resident_row} WHERE h.postcode_key LIKE %s{resident_order}",
            [s["postcode_key"][:-2] + "%"],
        ),
        "surname": (
            s["last_name"],
            f"{resident_row} WHERE lower(r.last_name) LIKE %s OR lower(r.first_name) LIKE %s{resident_order}",
            [last, last],
        ),
    }
    for what, (typed, statement, params) in resident_searches.items():
        found.append(
            Item(
                "search",
                f"find a resident: {what} ({typed!r})",
                "/complaints/residents/",
                {"q": typed},
                sql=[(statement, params)],
            )
        )

    open_where = "c.status = ANY(%s) AND c.closed_at IS NULL"
    far_page = min(1000, (Complaint.objects.count() + 49) // 50)  # page 1000, or the last page of a small set
    closed_where = "NOT (c.status = ANY(%s) AND c.closed_at IS NULL)"
    found += [
        Item("page", "complaints queue: open", "/complaints/", {}, sql=queue_sql(open_where, [list(OPEN)])),
        Item(
            "page",
            "complaints queue: closed",
            "/complaints/",
            {"state": "closed"},
            sql=queue_sql(closed_where, [list(OPEN)]),
        ),
        Item("page", "complaints queue: all", "/complaints/", {"state": "all"}, sql=queue_sql("TRUE", [])),
        Item("page", "API complaints: page 1", "/api/v1/complaints/", {}, sql=queue_sql(open_where, [list(OPEN)])),
        Item(
            "page",
            f"API complaints: page {far_page}",
            "/api/v1/complaints/",
            {"page": far_page, "state": "all"},
            sql=queue_sql("TRUE", [], offset=(far_page - 1) * 50),
        ),
    ]
    soon = today + datetime.timedelta(days=5)
    since = today - datetime.timedelta(days=6)
    dashboard_sql = [
        (
            "SELECT kind, team_id, assigned_to_id, count(*), count(*) FILTER (WHERE is_urgent), "
            "count(*) FILTER (WHERE next_due_on = %s), count(*) FILTER (WHERE next_due_on > %s AND next_due_on <= %s), "
            "count(*) FILTER (WHERE next_due_on < %s) FROM casework_case WHERE closed_at IS NULL "
            "GROUP BY kind, team_id, assigned_to_id",
            [today, today, soon, today],
        ),
        (
            "SELECT c.kind, c.team_id, c.assigned_to_id, count(DISTINCT k.case_id) "
            "FROM sla_clock k JOIN casework_case c "
            "ON c.id = k.case_id WHERE k.stopped_on IS NULL AND k.due_on < %s AND k.kind = 'acknowledgement' "
            "AND c.closed_at IS NULL GROUP BY 1, 2, 3",
            [today],
        ),
        ("SELECT kind, count(*) FROM casework_case WHERE received_on BETWEEN %s AND %s GROUP BY kind", [since, today]),
        ("SELECT kind, count(*) FROM casework_case WHERE closed_at >= %s GROUP BY kind", [since]),
    ]
    found.append(Item("page", "dashboard", "/dashboard/", who="manager", sql=dashboard_sql))
    year_start = datetime.date(today.year - 1 if today.month < 4 else today.year, 4, 1)
    # The pages' period is the financial year, whole months, which they read from the monthly figures.
    responded_sql = [
        (
            "SELECT number, outcome, within_code_timescale, sum(stages), sum(working_days), sum(compensation_pence) "
            "FROM reporting_monthlycomplaintfigures WHERE measure = 'responded' AND month BETWEEN %s AND %s "
            "GROUP BY number, outcome, within_code_timescale",
            [year_start, today],
        ),
        (
            "SELECT number, issue_nature_id, sum(stages) FROM reporting_monthlycomplaintfigures "
            "WHERE measure = 'received' AND month BETWEEN %s AND %s GROUP BY number, issue_nature_id",
            [year_start, today],
        ),
    ]
    found += [
        Item("page", "performance report", "/reports/", who="manager", sql=responded_sql),
        Item("page", "annual report", "/reports/annual/", who="manager", sql=responded_sql),
        Item("page", "self-assessment", "/reports/self-assessment/", who="manager", sql=responded_sql),
        Item(
            "page",
            "monthly reports list",
            "/reports/monthly/",
            who="manager",
            sql=[("SELECT id, month, generated_at FROM reporting_monthlyreport ORDER BY month DESC", [])],
        ),
    ]
    admin_row = (
        "SELECT c.id, c.reference, c.status, c.received_on, a.name, u.username FROM casework_case c "
        "JOIN casework_servicearea a ON a.id = c.service_area_id LEFT JOIN auth_user u ON u.id = c.assigned_to_id"
    )
    found += [
        Item(
            "admin",
            "admin complaints",
            "/admin/complaints/complaint/",
            who="admin",
            sql=[
                (
                    f"{admin_row} JOIN complaints_complaint p ON p.case_ptr_id = c.id "
                    "ORDER BY c.received_on DESC, c.id DESC LIMIT 100",
                    [],
                )
            ],
        ),
        Item(
            "admin",
            f"admin complaints ?q= surname ({s['last_name']})",
            "/admin/complaints/complaint/",
            {"q": s["last_name"]},
            who="admin",
            sql=[
                (
                    f"{admin_row} JOIN complaints_complaint p ON p.case_ptr_id = c.id "
                    "LEFT JOIN casework_resident r ON r.id = c.resident_id "
                    "WHERE c.reference ILIKE %s OR c.summary ILIKE %s OR c.external_reference ILIKE %s "
                    "OR r.last_name ILIKE %s "
                    "ORDER BY c.received_on DESC, c.id DESC LIMIT 100",
                    [f"%{s['last_name']}%"] * 4,
                )
            ],
        ),
        Item(
            "admin",
            "admin cases",
            "/admin/casework/case/",
            who="admin",
            sql=[(f"{admin_row} ORDER BY c.received_on DESC, c.id DESC LIMIT 100", [])],
        ),
        Item(
            "admin",
            f"admin cases ?q= reference ({s['reference']})",
            "/admin/casework/case/",
            {"q": s["reference"]},
            who="admin",
            sql=[
                (
                    f"{admin_row} WHERE c.reference ILIKE %s OR c.summary ILIKE %s OR c.external_reference ILIKE %s "
                    "ORDER BY c.received_on DESC, c.id DESC LIMIT 100",
                    [f"%{s['reference']}%"] * 3,
                )
            ],
        ),
        Item(
            "admin",
            "admin residents",
            "/admin/casework/resident/",
            who="admin",
            sql=[
                (
                    "SELECT r.*, h.* FROM casework_resident r LEFT JOIN casework_property h ON h.id = r.home_id "
                    "ORDER BY r.last_name, r.first_name, r.id DESC LIMIT 100",
                    [],
                )
            ],
        ),
        Item(
            "admin",
            f"admin residents ?q= surname ({s['last_name']})",
            "/admin/casework/resident/",
            {"q": s["last_name"]},
            who="admin",
            sql=[
                (
                    "SELECT r.*, h.* FROM casework_resident r LEFT JOIN casework_property h ON h.id = r.home_id "
                    "WHERE r.last_name ILIKE %s OR r.first_name ILIKE %s OR r.email ILIKE %s OR r.phone ILIKE %s "
                    "ORDER BY r.last_name, r.first_name, r.id DESC LIMIT 100",
                    [f"%{s['last_name']}%"] * 4,
                )
            ],
        ),
    ]
    return found


def drill_downs(client, officer_id):
    """The complaint links the dashboard offers (overdue, due today, ...) for every complaint and for the
    benchmark's officer, as a manager follows them."""
    page = client.get("/dashboard/").content.decode()
    links = []
    for href in re.findall(r'href="(/complaints/\?[^"]+)"', page):
        href = href.replace("&amp;", "&")
        scoped = "officer=" in href or "team=" in href
        if href not in links and (not scoped or href.endswith(f"officer={officer_id}")):
            links.append(href)
    return links


def drill_down_sql(query, today):
    """Hand-written SQL for a dashboard link's filters, or None for one not written here."""
    from urllib.parse import parse_qs

    params = {key: values[0] for key, values in parse_qs(query).items()}
    where, args = [], []
    state = params.pop("state", "open")
    if state == "open":
        where.append("c.status = ANY(%s)")
        args.append(list(OPEN))
    elif state == "closed":
        where.append("NOT (c.status = ANY(%s))")
        args.append(list(OPEN))
    due = params.pop("due", None)
    if due == "overdue":
        where.append("c.next_due_on < %s")
        args.append(today)
    elif due == "today":
        where.append("c.next_due_on = %s")
        args.append(today)
    elif due == "next_3":
        from sla import engine

        where.append("c.next_due_on > %s AND c.next_due_on <= %s")
        args += [today, engine.add_working_days(today, 3)]
    elif due:
        return None
    if "officer" in params:
        where.append("c.assigned_to_id = %s")
        args.append(int(params.pop("officer")))
    if params.pop("urgent", None) in ("true", "yes", "1"):
        where.append("c.is_urgent")
    if "received_after" in params:
        where.append("c.received_on >= %s")
        args.append(params.pop("received_after"))
    if "closed_after" in params:
        where.append("c.closed_at >= %s")
        args.append(params.pop("closed_after"))
    if params.pop("acknowledgement", None) == "overdue":
        where.append(
            "EXISTS (SELECT 1 FROM sla_clock k WHERE k.case_id = c.id AND k.kind = 'acknowledgement' "
            "AND k.stopped_on IS NULL AND k.due_on < %s)"
        )
        args.append(today)
    if params:
        return None
    return queue_sql(" AND ".join(where) or "TRUE", args)


SLOW_MS = 2_000  # a request slower than this is measured 3 times, not RUNS: the median is still plain


def measure(client, path, params):
    for _ in range(2):
        began = time.perf_counter()
        client.get(path, params)  # warm caches: calendar, templates, connection
        warm = (time.perf_counter() - began) * 1000
    timings = []
    for _ in range(RUNS if warm < SLOW_MS else 3):
        began = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path, params)
    return statistics.median(timings), len(queries)


def sql_floor(statements):
    if not statements:
        return None
    total = 0.0
    with connection.cursor() as cursor:
        for statement, params in statements:
            timings = []
            for _ in range(RUNS):
                began = time.perf_counter()
                cursor.execute(statement, params)
                cursor.fetchall()
                timings.append((time.perf_counter() - began) * 1000)
                if len(timings) >= 3 and timings[0] > SLOW_MS:
                    break
            total += statistics.median(timings)
    return total


def clients():
    from casework.roles import Role, assign_role

    User = get_user_model()
    officer = User.objects.get(username="bench.officer")
    manager, created = User.objects.get_or_create(username="bench.manager", defaults={"first_name": "Bench"})
    if created:
        assign_role(manager, Role.MANAGER)
    admin, created = User.objects.get_or_create(
        username="bench.admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        assign_role(admin, Role.ADMINISTRATOR)
    made = {}
    for name, user in (("officer", officer), ("manager", manager), ("admin", admin)):
        made[name] = Client()
        made[name].force_login(user)
    return made


def run(complaints):
    use_scale_database(complaints, name=f"bench_scale_v{DATA_SET}_{complaints}")
    from django.db.models import Count

    from casework.models import Case, TimelineEvent
    from complaints.models import Complaint
    from enquiries.models import Enquiry
    from reporting.models import MonthlyReport
    from reporting.monthly import run_monthly_report

    today = timezone.localdate()
    made = clients()
    s = samples()
    long_case = (
        TimelineEvent.objects.values("case")
        .annotate(n=Count("id"))
        .filter(n__gte=2_000)
        .order_by("case")
        .values_list("case", flat=True)
    ).first()
    long_reference = Case.objects.get(pk=long_case).reference
    if not MonthlyReport.objects.exists():
        began = time.perf_counter()
        run_monthly_report(today, force=True)
        print(f"(stored last month's report in {(time.perf_counter() - began) * 1000:.0f} ms)")
    month = MonthlyReport.objects.order_by("-month").values_list("month", flat=True).first()

    print(
        f"\nofficer's day: {Complaint.objects.count():,} complaints, {Enquiry.objects.count():,} enquiries, "
        f"{TimelineEvent.objects.count():,} timeline events; {RUNS} requests a measurement, median server time "
        "through the test client; floor = median of hand-written SQL for the same answer"
    )
    plan = items(s, today)
    officer_id = get_user_model().objects.get(username="bench.officer").pk
    for href in drill_downs(made["manager"], officer_id):
        path, _, query = href.partition("?")
        from urllib.parse import parse_qsl

        plan.append(
            Item(
                "page",
                f"dashboard drill-down ?{query.replace(f'officer={officer_id}', 'officer=me')}",
                path,
                dict(parse_qsl(query)),
                sql=drill_down_sql(query, today) or [],
            )
        )
    plan.append(
        Item(
            "page",
            f"monthly report {month:%Y-%m}",
            f"/reports/monthly/{month:%Y-%m}/",
            who="manager",
            sql=[("SELECT figures FROM reporting_monthlyreport WHERE month = %s", [month])],
        )
    )
    plan.append(
        Item(
            "page",
            f"complaint with 2,000 timeline events ({long_reference})",
            f"/complaints/{long_reference}/",
            sql=[
                (f"{ROW} WHERE c.reference = %s", [long_reference]),
                (
                    "SELECT id, occurred_at, kind, summary, actor_id FROM casework_timelineevent WHERE case_id = %s "
                    "ORDER BY occurred_at DESC, id DESC LIMIT 50",
                    [long_case],
                ),
                ("SELECT count(*) FROM casework_timelineevent WHERE case_id = %s", [long_case]),
                (
                    "SELECT id, body, created_at, author_id FROM casework_note WHERE case_id = %s "
                    "ORDER BY created_at DESC",
                    [long_case],
                ),
            ],
        )
    )
    results = {}
    header = f"  {'':62} {'median':>9} {'queries':>7} {'floor':>9}  verdict"
    print(header)
    for item in plan:
        if ONLY not in item.label:
            continue
        reset_queries()
        median, count = measure(made[item.who], item.path, item.params)
        floor = sql_floor(item.sql)
        result = Result(median, count, floor)
        results[_key(item.label)] = (item, result)
        floor_text = f"{floor:7.1f} ms" if floor is not None else "      n/a"
        print(f"  {item.label[:62]:62} {median:6.1f} ms {count:7} {floor_text}  {result.verdict(item.group)}")
    return results


def _key(label):
    """A label without what was typed or which case, which differ between sizes, so sizes line up side by side."""
    return label.split(" (")[0]


def main():
    by_size = {size: run(size) for size in SIZES}
    if len(SIZES) < 2:
        return
    print("\nside by side: median ms / queries / floor ms, verdict")
    labels = list(dict.fromkeys(label for results in by_size.values() for label in results))
    print(f"  {'':52} " + " ".join(f"{size:>32,}" for size in SIZES))
    for label in labels:
        cells = []
        for size in SIZES:
            entry = by_size[size].get(label)
            if entry is None:
                cells.append(f"{'-':>32}")
                continue
            item, result = entry
            floor = f"{result.floor:.0f}" if result.floor is not None else "n/a"
            verdict = "met" if result.verdict(item.group) == "met" else "MISSED"
            cells.append(f"{result.median:7.0f} /{result.queries:3} /{floor:>6} {verdict:>8}".rjust(32))
        print(f"  {label[:52]:52} " + " ".join(cells))


if __name__ == "__main__":
    main()
