"""The five-year trend: each financial year's stages received and working days to respond, by stage.

A year that has ended (its 31 March is before yesterday) is summed once from the daily figures and stored
(`ClosedYearFigures`); the annual report then reads five stored rows. The year under way is summed live.

The rule that keeps a stored year true: it is recomputed in the same transaction as any change to the daily
figures of one of its days (`reporting.facts.resum_days` calls `refresh_years_of`), and every stored year is
recomputed by the nightly figures check (`reporting.facts.refresh_all`) and on request
(`python manage.py run_report_figures_check`). A year is missing until it is first read, or stored by the
monthly report job; reading a missing one stores it. On PostgreSQL, computing and storing a year holds a
transaction-scoped advisory lock on that year, which the recomputation after a change to a closed year takes
too: a row summed before a change committed can never be stored after it. Changes to the year under way take
no such lock (it is not stored), and a year is stored only from its second day closed, so a change begun
before midnight on 31 March, without the lock, has committed by then."""

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from reporting.models import ClosedYearFigures, DailyComplaintFigures, Measure
from reporting.periods import financial_year, financial_year_of

LOCK_NAMESPACE = 72_019  # advisory-lock namespace for "summing a closed year's trend figures"


def is_closed(start_year, today=None):
    """The year has ended: a change to one of its days recomputes its stored row under the year's lock."""
    return financial_year(start_year).end < (today or timezone.localdate())


def is_settled(start_year, today=None):
    """The year ended before yesterday, so it is stored. A day's grace: a change begun on the year's last day,
    before the year counted as closed and so without its lock, has committed long before the year is stored."""
    return financial_year(start_year).end < (today or timezone.localdate()) - datetime.timedelta(days=1)


def _lock(years):
    if connection.vendor == "postgresql" and years:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, year) FROM unnest(%s::int[]) AS year ORDER BY year",
                [LOCK_NAMESPACE, sorted(years)],
            )


def compute(years):
    """{year: [{"stage", "received", "working_days", "timed"}, ...]} summed from the daily figures, stages 1
    and 2 always present. One grouped query for any number of years."""
    years = sorted(set(years))
    result = {}
    if not years:
        return result
    # Both measures named, so the days are read through the (measure, day) index rather than the whole table.
    rows = (
        DailyComplaintFigures.objects.filter(
            measure__in=[Measure.RECEIVED, Measure.RESPONDED],
            day__gte=financial_year(years[0]).start,
            day__lte=financial_year(years[-1]).end,
        )
        .values("measure", "number", month=TruncMonth("day"))
        .annotate(stages=Sum("stages"), days=Sum("working_days"), timed=Sum("timed"))
        .order_by()
    )
    sums = {year: defaultdict(lambda: defaultdict(int)) for year in years}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        year = financial_year_of(month)
        if year not in sums:
            continue
        counts = sums[year][row["number"]]
        if row["measure"] == Measure.RECEIVED:
            counts["received"] += row["stages"] or 0
        else:
            counts["working_days"] += row["days"] or 0
            counts["timed"] += row["timed"] or 0
    for year, stages in sums.items():
        result[year] = [
            {
                "stage": n,
                "received": stages[n]["received"],
                "working_days": stages[n]["working_days"],
                "timed": stages[n]["timed"],
            }
            for n in sorted(set(stages) | {1, 2})
        ]
    return result


def store(years, today=None):
    """Compute the settled ones of `years` and store them (again); returns {year: stages} of those stored."""
    closed = sorted(year for year in set(years) if is_settled(year, today))
    if not closed:
        return {}
    with transaction.atomic():
        _lock(closed)
        computed = compute(closed)
        now = timezone.now()
        for year, stages in computed.items():
            ClosedYearFigures.objects.update_or_create(
                financial_year=year, defaults={"stages": stages, "computed_at": now}
            )
    return computed


def figures_of(years, today=None, live=None):
    """{year: stages} for `years`: settled years from their stored rows (stored now if missing), the year under
    way, one that ended yesterday and any later one summed live, or taken from `live` ({year: stages}, summed
    from the same daily figures by the caller, which has read them already)."""
    years = set(years)
    stored = {row.financial_year: row.stages for row in ClosedYearFigures.objects.filter(financial_year__in=years)}
    missing = [year for year in years if year not in stored]
    closed_missing = [year for year in missing if is_settled(year, today)]
    stored.update(store(closed_missing, today))
    stored.update({year: stages for year, stages in (live or {}).items() if year in years and year not in stored})
    stored.update(compute(year for year in missing if year not in stored))
    return stored


def refresh_years_of(days):
    """After the daily figures of `days` were summed again (in the caller's transaction): recompute the stored
    years those days fall in."""
    # Only closed years can be stored: the year under way takes no lock, so changes to it never wait on each other.
    years = {year for year in {financial_year_of(day) for day in days} if is_closed(year)}
    if not years:
        return
    _lock(years)
    stored = set(ClosedYearFigures.objects.filter(financial_year__in=years).values_list("financial_year", flat=True))
    for year, stages in compute(stored).items():
        ClosedYearFigures.objects.filter(financial_year=year).update(stages=stages, computed_at=timezone.now())


def refresh_all():
    """Recompute every stored year (after every day was summed again)."""
    stored = list(ClosedYearFigures.objects.values_list("financial_year", flat=True))
    _lock(stored)
    for year, stages in compute(stored).items():
        ClosedYearFigures.objects.filter(financial_year=year).update(stages=stages, computed_at=timezone.now())


def store_recent(today=None, years=5):
    """Store the last `years` closed years not stored yet (the monthly report job, so the annual report's first
    reader does not sum them)."""
    today = today or timezone.localdate()
    current = financial_year_of(today)
    wanted = set(range(current - years, current))
    have = set(ClosedYearFigures.objects.filter(financial_year__in=wanted).values_list("financial_year", flat=True))
    return store(wanted - have, today)
