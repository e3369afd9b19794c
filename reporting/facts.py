"""Keeps the reports' stored figures in step with the complaint tables.

Three tables: `ComplaintStageFact`, one row per stage with what the reports group by;
`DailyComplaintFigures`, those rows summed per day; and `MonthlyComplaintFigures`, the days summed per month. A
change to a stage, complaint, case or property refreshes the facts of the stages it touches (one INSERT ...
SELECT ... ON CONFLICT DO UPDATE statement that rewrites only rows that differ and returns them), then re-sums
the days those stages were and are counted on, and adds to those days' months what that changed. It runs in the
same transaction as the change, so a report read after a change sees it. Re-summing takes a transaction-scoped
advisory lock on each month touched (PostgreSQL), so two changes in the same month cannot each sum a day without
the other, nor both add a month's first row for one grouping. The stored figures of closed years
(`reporting.trend`) are recomputed from the days summed again, in the same transaction.

Rows written in bulk without saving models (imports, generated data) are caught by `refresh_all()`, which
the nightly "Report figures check" runs: it rewrites the facts that differ and re-sums every day. So is a change
to a scheme's kind or to a procedure version's scheme in the admin (rare, and never through the services): a
complaint moved to another scheme goes through the workflow and is refreshed at once.

A complaint merged into the one it duplicated has no facts: it is not a complaint of its own, so it is
counted in no figure (CH01, CH02, the Code's self-assessment and annual report, the performance pages). Its
facts are deleted when it is merged, and the days they were counted on are summed again."""

import datetime

from django.db import connection, transaction

from reporting import trend
from reporting.models import ComplaintStageFact, DailyComplaintFigures, Measure, MonthlyComplaintFigures
from sla.models import Clock, ClockKind

FACTS = ComplaintStageFact._meta.db_table
DAILY = DailyComplaintFigures._meta.db_table
MONTHLY = MonthlyComplaintFigures._meta.db_table
LOCK_NAMESPACE = 72_018  # advisory-lock namespace for "re-summing a month of complaint figures" (its 1st's ordinal)

COLUMNS = [
    "stage_id",
    "complaint_id",
    "number",
    "requested_on",
    "responded_on",
    "outcome",
    "within_code_timescale",
    "extended",
    "working_days_to_respond",
    "compensation_pence",
    "issue_nature_id",
    "service_area_id",
    "complaint_stage",
    "stock_type",
    "scheme_kind",
    "acknowledged_on",
    "acknowledged_in_time",
    "channel",
    "raised_from_service_request",
]

# Whether the stage's acknowledgement was in time: its acknowledgement clock stopped on the day it was acknowledged
# (a clock also stops when a complaint is refused, withdrawn or resolved before anyone acknowledged it: that is no
# acknowledgement). A stopped clock never changes (sla.services), and it stops in the transition that sets the
# stage's `acknowledged_on`, whose after-change hook refreshes these facts.
ACKNOWLEDGED_IN_TIME = f"""
    SELECT COALESCE(a.met, FALSE) FROM {Clock._meta.db_table} a
    WHERE a.case_id = s.complaint_id AND a.kind = '{ClockKind.ACKNOWLEDGEMENT.value}' AND a.stage = s.number
      AND a.stopped_on = s.acknowledged_on
    ORDER BY a.id LIMIT 1
"""  # noqa: S608 - table names and values from the models

SOURCE = f"""
    SELECT s.id, s.complaint_id, s.number, s.requested_on, s.responded_on, s.outcome, s.within_code_timescale,
           s.extended, s.working_days_to_respond, s.compensation_pence, c.issue_nature_id, k.service_area_id,
           c.current_stage, COALESCE(p.stock_type, ''), COALESCE(m.kind, ''), s.acknowledged_on,
           ({ACKNOWLEDGED_IN_TIME}), c.channel, c.service_request_id IS NOT NULL
    FROM complaints_complaintstage s
    JOIN complaints_complaint c ON c.case_ptr_id = s.complaint_id
    JOIN casework_case k ON k.id = s.complaint_id
    LEFT JOIN casework_property p ON p.id = k.home_id
    LEFT JOIN complaints_procedureversion v ON v.id = c.procedure_version_id
    LEFT JOIN complaints_complaintscheme m ON m.id = v.scheme_id
"""  # noqa: S608 - table names and values from the models
COUNTED = "c.merged_into_id IS NULL"  # a merged duplicate is not a complaint of its own

MERGED_FACTS = f"""
    DELETE FROM {FACTS} WHERE stage_id IN (
        SELECT s.id FROM complaints_complaintstage s
        JOIN complaints_complaint c ON c.case_ptr_id = s.complaint_id
        JOIN casework_case k ON k.id = s.complaint_id
        WHERE c.merged_into_id IS NOT NULL AND {{where}}
    ) RETURNING requested_on, responded_on, acknowledged_on
"""  # noqa: S608 - table names from the models

# What the daily and monthly figures group by, and what they sum (reporting.models.ComplaintFigures).
GROUPED = (
    "measure",
    "number",
    "issue_nature_id",
    "service_area_id",
    "stock_type",
    "scheme_kind",
    "outcome",
    "within_code_timescale",
    "extended",
    "channel",
    "raised_from_service_request",
    "complaint_stage",
    "answered",
)
SUMMED = ("stages", "working_days", "timed", "compensation_pence")
GROUPS = ", ".join(GROUPED)
DAILY_COLUMNS = ", ".join(("day", *GROUPED, *SUMMED))
MEASURES = "(" + ", ".join(f"'{measure}'" for measure in Measure.values) + ")"  # every measure, for the day index
# The first stages and the acknowledgements are grouped by what their questions need alone (0 for the issue nature
# and service area, which they are never asked by): a year of them is then a few hundred monthly rows, where split
# by issue nature and service area too it would be tens of thousands.
DAILY_SUMS = f"""
    SELECT requested_on, 'received', number, issue_nature_id, service_area_id, stock_type, scheme_kind, '', NULL,
           FALSE, '', FALSE, 0, FALSE, COUNT(*), 0, 0, 0
    FROM {FACTS} WHERE {{received}}
    GROUP BY requested_on, number, issue_nature_id, service_area_id, stock_type, scheme_kind
    UNION ALL
    SELECT responded_on, 'responded', number, issue_nature_id, service_area_id, stock_type, scheme_kind, outcome,
           within_code_timescale, extended, '', FALSE, 0, FALSE, COUNT(*), COALESCE(SUM(working_days_to_respond), 0),
           COUNT(working_days_to_respond), SUM(compensation_pence)
    FROM {FACTS} WHERE responded_on IS NOT NULL AND {{responded}}
    GROUP BY responded_on, number, issue_nature_id, service_area_id, stock_type, scheme_kind, outcome,
             within_code_timescale, extended
    UNION ALL
    SELECT requested_on, 'first_stages', 1, 0, 0, '', scheme_kind, '', NULL, FALSE, channel,
           raised_from_service_request, complaint_stage, responded_on IS NOT NULL, COUNT(*), 0, 0, 0
    FROM {FACTS} WHERE number = 1 AND {{received}}
    GROUP BY requested_on, scheme_kind, channel, raised_from_service_request, complaint_stage,
             responded_on IS NOT NULL
    UNION ALL
    SELECT acknowledged_on, 'acknowledged', number, 0, 0, '', scheme_kind, '', acknowledged_in_time, FALSE, '',
           FALSE, 0, FALSE, COUNT(*), 0, 0, 0
    FROM {FACTS} WHERE acknowledged_in_time IS NOT NULL AND {{acknowledged}}
    GROUP BY acknowledged_on, number, scheme_kind, acknowledged_in_time
"""  # noqa: S608 - table names from the models


MONTH_KEY = ("month", *GROUPED)
MONTHLY_COLUMNS = ", ".join((*MONTH_KEY, *SUMMED))


def _monthly_sums(days):
    """The SELECT summing the daily figures matching `days` (a condition on `day`) per month."""
    if connection.vendor == "postgresql":
        month = "CAST(date_trunc('month', day) AS date)"
    else:
        month = "date(day, 'start of month')"
    # Every measure named, so the days are read through the (measure, day) index.
    return (
        f"SELECT {month}, {GROUPS}, SUM(stages), SUM(working_days), SUM(timed), SUM(compensation_pence) "  # noqa: S608
        f"FROM {DAILY} WHERE measure IN {MEASURES} AND ({days}) GROUP BY {month}, {GROUPS}"
    )


def _upsert(cursor, where, params):
    """Refresh the facts of the stages matching `where`; returns the days (old and new) of those changed."""
    cursor.execute(
        f"SELECT f.requested_on, f.responded_on, f.acknowledged_on FROM {FACTS} f "  # noqa: S608
        f"JOIN complaints_complaintstage s ON s.id = f.stage_id JOIN casework_case k ON k.id = f.complaint_id "
        f"WHERE {where}",
        params,
    )
    old_days = cursor.fetchall()
    updates = ", ".join(f"{column} = excluded.{column}" for column in COLUMNS[1:])
    changed = ""
    if connection.vendor == "postgresql":
        mine = ", ".join(f"{FACTS}.{column}" for column in COLUMNS[1:])
        theirs = ", ".join(f"excluded.{column}" for column in COLUMNS[1:])
        changed = f" WHERE ({mine}) IS DISTINCT FROM ({theirs})"
    cursor.execute(MERGED_FACTS.format(where=where), params)
    gone = cursor.fetchall()
    cursor.execute(
        f"INSERT INTO {FACTS} ({', '.join(COLUMNS)}) {SOURCE} WHERE ({where}) AND {COUNTED} "
        f"ON CONFLICT (stage_id) DO UPDATE SET {updates}{changed} "
        "RETURNING requested_on, responded_on, acknowledged_on",
        params,
    )
    new_days = cursor.fetchall()
    if not new_days and not gone:
        return set()
    return {day for row in (*old_days, *new_days, *gone) for day in row if day is not None}


def _as_date(day):
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day))


def resum_days(cursor, days):
    """Sum the facts of `days` into the daily figures again, and those days' months into the monthly figures."""
    days = sorted({_as_date(day) for day in days})
    if not days:
        return
    months = sorted({day.replace(day=1) for day in days})
    if connection.vendor == "postgresql":
        # One round trip, the months in order, so two transactions locking overlapping months cannot deadlock.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, month) FROM unnest(%s::int[]) AS month ORDER BY month",
            [LOCK_NAMESPACE, [month.toordinal() for month in months]],
        )
    marks = ", ".join(["%s"] * len(days))
    before = _month_sums(cursor, days, marks)
    cursor.execute(f"DELETE FROM {DAILY} WHERE day IN ({marks})", days)  # noqa: S608
    sums = DAILY_SUMS.format(
        received=f"requested_on IN ({marks})",
        responded=f"responded_on IN ({marks})",
        acknowledged=f"acknowledged_on IN ({marks})",
    )
    cursor.execute(f"INSERT INTO {DAILY} ({DAILY_COLUMNS}) {sums}", [*days, *days, *days, *days])
    _add_to_months(cursor, before, _month_sums(cursor, days, marks))
    # The stored closed years these days belong to are summed from them: recomputed here, in the same transaction.
    trend.refresh_years_of(days)


def _month_sums(cursor, days, marks):
    """{(month, grouping...): (stages, working days, timed, compensation)} of the daily figures of `days`."""
    cursor.execute(_monthly_sums(f"day IN ({marks})"), days)
    return {tuple(row[: len(MONTH_KEY)]): tuple(row[len(MONTH_KEY) :]) for row in cursor.fetchall()}


def _add_to_months(cursor, before, after):
    """Add to the monthly figures what summing `days` again changed (`after` less `before`). A month also holds
    its other days, so only the difference is written: summing a month again from all its days read 10,000 daily
    rows (30-70 ms among 1,000,000 complaints) on every change. Under the months' locks (`resum_days`), so no two
    changes add the same group's first row at once."""
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    match = " AND ".join(
        f"{column} {same} %s" if column == "within_code_timescale" else f"{column} = %s" for column in MONTH_KEY
    )
    add = ", ".join(f"{column} = {column} + %s" for column in SUMMED)
    values = ", ".join(["%s"] * (len(MONTH_KEY) + len(SUMMED)))
    nothing = (0,) * len(SUMMED)
    for key in before.keys() | after.keys():
        old, new = before.get(key, nothing), after.get(key, nothing)
        change = [(n or 0) - (o or 0) for n, o in zip(new, old, strict=True)]
        if not any(change):
            continue
        cursor.execute(
            f"UPDATE {MONTHLY} SET {add} WHERE {match} RETURNING id, stages",  # noqa: S608
            [*change, *key],
        )
        updated = cursor.fetchall()
        if not updated:
            cursor.execute(f"INSERT INTO {MONTHLY} ({MONTHLY_COLUMNS}) VALUES ({values})", [*key, *change])  # noqa: S608
        elif updated[0][1] == 0:
            # A group no stage is in any more is no row, as summing the month afresh would give.
            cursor.execute(f"DELETE FROM {MONTHLY} WHERE id = %s", [updated[0][0]])  # noqa: S608


def _refresh(where, params):
    with transaction.atomic(), connection.cursor() as cursor:
        days = _upsert(cursor, where, params)
        resum_days(cursor, days)
        return len(days)


def refresh_stage(stage_id):
    return _refresh("s.id = %s", [stage_id])


def refresh_complaint(complaint_id):
    return _refresh("s.complaint_id = %s", [complaint_id])


def refresh_complaint_range(first_id, last_id):
    """Refresh the facts of the complaints with ids from `first_id` to `last_id` (a block written in bulk,
    such as an import), summing each day they touch once. Returns the number of days summed again."""
    return _refresh("s.complaint_id BETWEEN %s AND %s", [first_id, last_id])


def refresh_property(property_id):
    return _refresh("k.home_id = %s", [property_id])


def refresh_all():
    """Bring every stage's facts up to date and sum every day again; returns the facts rewritten."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Changes made meanwhile wait, so none is summed twice or lost between the delete and the insert.
            cursor.execute(f"LOCK TABLE {DAILY} IN SHARE ROW EXCLUSIVE MODE")
        where = "1 = 1"
        cursor.execute(MERGED_FACTS.format(where=where))
        cursor.fetchall()
        updates = ", ".join(f"{column} = excluded.{column}" for column in COLUMNS[1:])
        changed = ""
        if connection.vendor == "postgresql":
            mine = ", ".join(f"{FACTS}.{column}" for column in COLUMNS[1:])
            theirs = ", ".join(f"excluded.{column}" for column in COLUMNS[1:])
            changed = f" WHERE ({mine}) IS DISTINCT FROM ({theirs})"
        cursor.execute(
            f"INSERT INTO {FACTS} ({', '.join(COLUMNS)}) {SOURCE} WHERE {COUNTED} "
            f"ON CONFLICT (stage_id) DO UPDATE SET {updates}{changed}"
        )
        rewritten = cursor.rowcount
        cursor.execute(f"DELETE FROM {DAILY}")  # noqa: S608
        sums = DAILY_SUMS.format(received="1 = 1", responded="1 = 1", acknowledged="1 = 1")
        cursor.execute(f"INSERT INTO {DAILY} ({DAILY_COLUMNS}) {sums}")
        cursor.execute(f"DELETE FROM {MONTHLY}")  # noqa: S608
        cursor.execute(f"INSERT INTO {MONTHLY} ({MONTHLY_COLUMNS}) {_monthly_sums('1 = 1')}")
        trend.refresh_all()
    return rewritten
