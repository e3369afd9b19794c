"""Reads for the dashboard and the reports.

Every figure is counted by the database over stored dates, outcomes and working-day counts
(`ComplaintStage.requested_on`, `responded_on`, `outcome`, `within_code_timescale`,
`working_days_to_respond`; `Case.next_due_on`; open clocks' `due_on`). Each report runs a handful of grouped
queries; Python only arranges the grouped rows (a few hundred at most, never one per case) into tables.
"""

import datetime
from collections import defaultdict
from functools import cached_property
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from casework import search
from casework.models import Case, CaseKind, IssueNature, Ombudsman, ServiceArea, StockType, Team
from complaints.models import (
    Complaint,
    ComplaintStage,
    ComplaintStatus,
    EscalationRefusal,
    RefusalReason,
    SchemeKind,
    StageOutcome,
)
from enquiries.models import Enquiry, Member
from reporting import figures, trend
from reporting import self_assessment as self_assessment_form
from reporting.models import (
    SATISFIED,
    DailyComplaintFigures,
    Measure,
    MonthlyComplaintFigures,
    StockCount,
    SurveyAnswer,
)
from reporting.periods import Period, financial_year, financial_year_label, financial_year_of, month_end, month_period
from reporting.sections import build_sections
from reporting.self_assessment import CODE_2024_FROM_YEAR
from sla import engine
from sla.models import Clock, ClockKind

# --- Links to the cases behind a figure ---------------------------------------------------------------

# The kinds of case the dashboard counts, with the queue that lists them (its filters: complaints/filters.py,
# enquiries/filters.py). An ombudsman queue joins here when that app has one.
DASHBOARD_KINDS = {
    CaseKind.COMPLAINT: ("Complaints", "complaints:queue"),
    CaseKind.ENQUIRY: ("Members' enquiries", "enquiries:queue"),
}
RECENT_DAYS = 7
SOON_WORKING_DAYS = 3  # the queues' "due in the next 3 working days"


def queue_link(url_name, **params):
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return None
    return _with_query(url, params)


def _with_query(url, params):
    params = {key: value for key, value in params.items() if value is not None}
    return f"{url}?{urlencode(params)}" if params else url


def complaints_link(**params):
    return queue_link("complaints:queue", **params)


# --- The SLA dashboard --------------------------------------------------------------------------------

WORK_FIGURES = ("urgent", "open", "due_today", "due_soon", "overdue", "acknowledgement_overdue")


def _blank_work():
    return dict.fromkeys(WORK_FIGURES, 0)


# What a row's figures link to in its queue, and what they show, in the order the work tables show them.
WORK_COLUMNS = ("open", "due_today", "due_soon", "overdue", "acknowledgement_overdue")


class _WorkLinks:
    """The links of the dashboard's figures to the cases behind them: a kind's queue, filtered by the figure and
    the row's team or officer. Each queue's address and each figure's filter are written once per dashboard, and a
    row adds its scope: reverse() and urlencode() per link were a fifth of the dashboard's time with sixty rows."""

    def __init__(self, since):
        self.filters = {
            "urgent": {"state": "open", "urgent": "true"},
            "open": {"state": "open"},
            "due_today": {"due": "today"},
            "due_soon": {"due": "next_3"},
            "overdue": {"due": "overdue"},
            "acknowledgement_overdue": {"acknowledgement": "overdue"},
            "opened_recently": {"state": "all", "received_after": since.isoformat()},
            "closed_recently": {"state": "closed", "closed_after": since.isoformat()},
        }
        self.written = {}

    def __call__(self, url_name, *, recent=True, **scope):
        if url_name not in self.written:
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                url = None
            self.written[url_name] = url and {name: f"{url}?{urlencode(q)}" for name, q in self.filters.items()}
        links = self.written[url_name]
        names = self.filters if recent else WORK_FIGURES
        if not links:
            return dict.fromkeys(names)
        # The scope's keys are none of the filters', so appended they give what urlencode({**filter, **scope}) does.
        extra = f"&{urlencode(scope)}" if scope else ""
        return {name: links[name] + extra for name in names}


def dashboard(today=None):
    """Open work by kind, team and officer: due today, due in the next 3 working days, overdue,
    acknowledgement overdue; and cases opened and closed in the last 7 days. For the roles that see every
    case (complaints officers, managers, administrators), so nothing is narrowed by service area."""
    today = today or timezone.localdate()
    soon_until = engine.add_working_days(today, SOON_WORKING_DAYS)
    since = today - datetime.timedelta(days=RECENT_DAYS - 1)
    since_at = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    kinds = list(DASHBOARD_KINDS)

    # 1. Open cases, grouped by kind, team and officer (uses the partial index on open cases' due dates).
    open_rows = (
        Case.objects.filter(kind__in=kinds, closed_at__isnull=True)
        .values("kind", "team_id", "assigned_to_id")
        .annotate(
            open=Count("id"),
            urgent=Count("id", filter=Q(is_urgent=True)),
            due_today=Count("id", filter=Q(next_due_on=today)),
            due_soon=Count("id", filter=Q(next_due_on__gt=today, next_due_on__lte=soon_until)),
            overdue=Count("id", filter=Q(next_due_on__lt=today)),
        )
        .order_by()
    )
    # 2. Open cases whose acknowledgement is overdue (open clocks are indexed by due date).
    acknowledgement_rows = (
        Clock.objects.filter(
            stopped_on__isnull=True,
            due_on__lt=today,
            kind=ClockKind.ACKNOWLEDGEMENT,
            case__kind__in=kinds,
            case__closed_at__isnull=True,
        )
        .values("case__kind", "case__team_id", "case__assigned_to_id")
        .annotate(cases=Count("case_id", distinct=True))
        .order_by()
    )
    # 3 and 4. Opened and closed in the last 7 days, by kind. A duplicate merged into another complaint is not a
    # complaint of its own (docs/decisions/0013): merging closes it, so it would count twice, once each way.
    counted = Case.objects.filter(kind__in=kinds).exclude(status=ComplaintStatus.MERGED)
    opened = dict(
        counted.filter(received_on__gte=since, received_on__lte=today)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    closed = dict(counted.filter(closed_at__gte=since_at).values_list("kind").annotate(n=Count("id")).order_by())

    by_kind = {kind: _blank_work() for kind in kinds}
    by_team = defaultdict(_blank_work)
    by_officer = defaultdict(_blank_work)
    for row in open_rows:
        for target in (
            by_kind[row["kind"]],
            by_team[(row["kind"], row["team_id"])],
            by_officer[(row["kind"], row["assigned_to_id"])],
        ):
            for name in ("urgent", "open", "due_today", "due_soon", "overdue"):
                target[name] += row[name]
    for row in acknowledgement_rows:
        kind, team, officer = row["case__kind"], row["case__team_id"], row["case__assigned_to_id"]
        for target in (by_kind[kind], by_team[(kind, team)], by_officer[(kind, officer)]):
            target["acknowledgement_overdue"] += row["cases"]

    team_names = dict(Team.objects.filter(pk__in={team for _, team in by_team if team}).values_list("pk", "name"))
    officer_names = {
        # As User.get_full_name(), or the username: the names alone, not every user's every column.
        pk: f"{first_name} {last_name}".strip() or username
        for pk, first_name, last_name, username in get_user_model()
        .objects.filter(pk__in={officer for _, officer in by_officer if officer})
        .values_list("pk", "first_name", "last_name", "username")
    }
    work_links = _WorkLinks(since)

    kind_rows = []
    for kind in kinds:
        label, url_name = DASHBOARD_KINDS[kind]
        kind_rows.append(
            {
                "kind": kind,
                "label": label,
                **by_kind[kind],
                "opened_recently": opened.get(kind, 0),
                "closed_recently": closed.get(kind, 0),
                "links": work_links(url_name),
            }
        )

    def _grouped(groups, key, names, scope_param, unset_label, unset_scope):
        rows = []
        for (kind, pk), counts in groups.items():
            label, url_name = DASHBOARD_KINDS[kind]
            scope = {scope_param: pk} if pk else unset_scope
            links = work_links(url_name, recent=False, **scope) if scope is not None else {}
            rows.append(
                {
                    "kind": kind,
                    "kind_label": label,
                    f"{key}_id": pk,
                    key: names.get(pk, unset_label) if pk else unset_label,
                    **counts,
                    "links": links,
                    # The table's cells in order, each figure with its link (or none).
                    "cells": [(counts[column], links.get(column)) for column in WORK_COLUMNS],
                }
            )
        rows.sort(key=lambda r: (kinds.index(r["kind"]), -r["overdue"], -r["open"], r[key]))
        return rows

    return {
        "as_of": today,
        "due_soon_until": soon_until,
        "recent_since": since,
        "kinds": kind_rows,
        "teams": _grouped(by_team, "team", team_names, "team", "No team", {"team": "null"}),
        "officers": _grouped(by_officer, "officer", officer_names, "officer", "Unassigned", {"unassigned": "true"}),
    }


# --- Performance for a period -------------------------------------------------------------------------


def _whole_months(period):
    return period.start.day == 1 and period.end == month_end(period.end)


def _summed(*periods):
    """(model, its date field) the figures of `periods` are summed from: the monthly figures when every period is
    whole months (a year, a month: twelve rows a grouping instead of 365), the daily figures otherwise."""
    if all(_whole_months(period) for period in periods):
        return MonthlyComplaintFigures, "month"
    return DailyComplaintFigures, "day"


def _figures(measure, periods, service_area=None, issue_nature=None):
    model, field = _summed(*periods)
    rows = model.objects.filter(measure=measure)
    if service_area is not None:
        rows = rows.filter(service_area_id=service_area.pk)
    if issue_nature is not None:
        rows = rows.filter(issue_nature_id=issue_nature.pk)
    return rows, field


def _in(field, period):
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _days_of(period, previous, field="day"):
    """One range covering both periods when they touch (a year and the year before), else either one."""
    if previous.end >= period.start - datetime.timedelta(days=1) and previous.start <= period.start:
        return Q(**{f"{field}__gte": previous.start, f"{field}__lte": period.end})
    return _in(field, period) | _in(field, previous)


def received_counts(period, previous, *, service_area=None, issue_nature=None):
    """Stages received (stage 1 receipts and escalation requests) by month, stage, issue nature and service
    area, counted separately for the period and the year before. One grouped query."""
    rows, field = _figures(Measure.RECEIVED, (period, previous), service_area, issue_nature)
    current_q, previous_q = _in(field, period), _in(field, previous)
    by_month = {"month": TruncMonth("day")} if field == "day" else {}
    grouped = ("number", "issue_nature_id", "service_area_id") + (() if by_month else ("month",))
    return list(
        rows.filter(_days_of(period, previous, field))
        .values(*grouped, **by_month)
        .annotate(
            current=Coalesce(Sum("stages", filter=current_q), 0),
            previous=Coalesce(Sum("stages", filter=previous_q), 0),
        )
        .order_by()
    )


def response_counts(period, previous, *, service_area=None, issue_nature=None):
    """Stage responses by stage, issue nature, service area, outcome, timeliness and extension, counted
    separately for the period and the year before, with the working days they took. One grouped query."""
    rows, field = _figures(Measure.RESPONDED, (period, previous), service_area, issue_nature)
    current_q, previous_q = _in(field, period), _in(field, previous)
    return list(
        rows.filter(_days_of(period, previous, field))
        .values(
            "number", "outcome", "extended", "issue_nature_id", "service_area_id", within=F("within_code_timescale")
        )
        .annotate(
            current=Coalesce(Sum("stages", filter=current_q), 0),
            previous=Coalesce(Sum("stages", filter=previous_q), 0),
            days=Sum("working_days", filter=current_q),
            timed=Coalesce(Sum("timed", filter=current_q), 0),
            compensation=Sum("compensation_pence", filter=current_q),
        )
        .order_by()
    )


UPHELD = (StageOutcome.UPHELD, StageOutcome.PARTLY_UPHELD)


def _outcome_figures(upheld, partly, not_upheld):
    decided = upheld + partly + not_upheld
    return {
        "upheld": upheld,
        "partly_upheld": partly,
        "not_upheld": not_upheld,
        "decided": decided,
        # Partly upheld counts as upheld ("upheld or partially upheld").
        "percent_upheld": figures.percentage(upheld + partly, decided),
    }


def _timeliness(responded, within, within_without_extension, days, timed):
    return {
        "responded": responded,
        "within_target": within,
        "percent_within_target": figures.percentage(within, responded),
        "within_target_without_extension": within_without_extension,
        "percent_within_target_without_extension": figures.percentage(within_without_extension, responded),
        "average_working_days": figures.mean(days, timed),
    }


class _Tally:
    """Sums of the grouped response rows for one group (a stage, an issue nature, a service area)."""

    def __init__(self):
        self.responded = self.within = self.within_plain = self.days = self.timed = self.compensation = 0
        self.outcomes = defaultdict(int)
        self.upheld_previous = 0

    def add(self, row):
        current = row["current"]
        self.responded += current
        if row["within"]:
            self.within += current
            if not row["extended"]:
                self.within_plain += current
        self.days += row["days"] or 0
        self.timed += row["timed"]
        self.compensation += row["compensation"] or 0
        if row["outcome"]:
            self.outcomes[row["outcome"]] += current
            if row["outcome"] in UPHELD:
                self.upheld_previous += row["previous"]

    @property
    def upheld_current(self):
        return sum(self.outcomes[outcome] for outcome in UPHELD)

    def outcome_figures(self):
        return _outcome_figures(
            self.outcomes[StageOutcome.UPHELD],
            self.outcomes[StageOutcome.PARTLY_UPHELD],
            self.outcomes[StageOutcome.NOT_UPHELD],
        )

    def timeliness(self):
        return _timeliness(self.responded, self.within, self.within_plain, self.days, self.timed)


def monthly_volumes(received_rows, enquiry_months, period, average_until=None, today=None):
    """Volumes by month and stage, with each month's rise over the year-to-date monthly average.

    The year-to-date average is the mean monthly count from the start of the period, rounded to whole cases
    as committee papers publish it. With `average_until` (a month) it is the mean of the months up to and
    including that one, and later months are compared with it (seed 000 compares September and October 2020
    with January to August: 25 a month, +196% and +236%); without it, each month is compared with the months
    before it in the period. A month that has not begun yet has no average or rise: comparing its empty count
    with the year so far would read as a fall of 100%."""
    today = today or timezone.localdate()
    months = list(period.months())
    by_month = {month: defaultdict(int) for month in months}
    for row in received_rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        if month in by_month and row["current"]:
            by_month[month][row["number"]] += row["current"]
    stages = sorted({n for counts in by_month.values() for n in counts} | {1, 2})
    totals = [sum(by_month[m].values()) for m in months]
    enquiry_totals = [enquiry_months.get(m, 0) for m in months]

    def averages(series):
        result = []
        for index, month in enumerate(months):
            if month > today:
                result.append(None)
            elif average_until is not None:
                base = [series[i] for i, m in enumerate(months) if m <= average_until]
                result.append(figures.year_to_date_average(base) if month > average_until else None)
            else:
                result.append(figures.year_to_date_average(series[:index]))
        return result

    complaint_averages, enquiry_averages = averages(totals), averages(enquiry_totals)
    rows = []
    for index, month in enumerate(months):
        rows.append(
            {
                "month": month,
                "so_far": month <= today <= month_end(month),
                "stages": [{"stage": n, "received": by_month[month].get(n, 0)} for n in stages],
                "total": totals[index],
                "year_to_date_average": complaint_averages[index],
                "rise_percent": figures.rise_over(totals[index], complaint_averages[index]),
                "enquiries": enquiry_totals[index],
                "enquiries_year_to_date_average": enquiry_averages[index],
                "enquiries_rise_percent": figures.rise_over(enquiry_totals[index], enquiry_averages[index]),
                "link": complaints_link(
                    state="all",
                    received_after=max(month, period.start).isoformat(),
                    received_before=min(month_end(month), period.end).isoformat(),
                ),
            }
        )
    return rows


def enquiry_figures(period, *, service_area=None):
    """Members' enquiries: received by month; volume, % answered on time and average working days by member
    and by service area. Two grouped queries and a count by month."""
    received_q, responded_q = _in("received_on", period), _in("responded_on", period)
    area = {} if service_area is None else {"service_area": service_area}

    def grouped(enquiries, received):
        # By member and service area only, the months counted apart (below): grouped by the month as well, a
        # year among 1,000,000 complaints was 4,000 groups to read and add up (50 ms of CPU) where these are 1,500.
        return (
            enquiries.filter(**area)
            .values_list("member_id", "service_area_id")
            .annotate(
                received=received,
                responded=Count("id", filter=responded_q),
                on_time=Count("id", filter=responded_q & Q(responded_in_time=True)),
                days=Sum("working_days_to_respond", filter=responded_q),
                timed=Count("working_days_to_respond", filter=responded_q),
            )
            .order_by()
        )

    # Two legs rather than one OR across the case and enquiry tables, which made PostgreSQL read every case row:
    # those received in the period (the case table's kind and received-date index), and those answered in it
    # but received outside it (the enquiry table's answered-date index, each then read by its case's key, as an
    # array of the answered ones' ids: joined, PostgreSQL hashed them and read every other case row to find their
    # cases, 59 ms among 100,000 complaints against 2.5 ms). Each enquiry is in one leg at most.
    answered = search.AmongIds("pk", Enquiry.objects.filter(responded_q).values("pk"))
    rows = [
        *grouped(Enquiry.objects.filter(received_q, kind=CaseKind.ENQUIRY), Count("id")),
        *grouped(Enquiry.objects.filter(answered, responded_q).exclude(received_q), Value(0)),
    ]
    # The month as a date: PostgreSQL truncates a date to a timestamp with time zone. From the case table's kind and
    # received-date index alone.
    months = dict(
        Case.objects.filter(received_q, kind=CaseKind.ENQUIRY, **area)
        .values(month=Cast(TruncMonth("received_on"), DateField()))
        .annotate(n=Count("*"))
        .values_list("month", "n")
        .order_by()
    )
    by_member, by_area = defaultdict(lambda: [0] * 5), defaultdict(lambda: [0] * 5)
    total = [0] * 5
    for member_id, service_area_id, *counts in rows:
        for target in (by_member[member_id], by_area[service_area_id], total):
            for index, count in enumerate(counts):
                target[index] += count or 0
    members = {m.pk: str(m) for m in Member.objects.filter(pk__in=by_member)}
    areas = dict(ServiceArea.objects.filter(pk__in=by_area).values_list("pk", "name"))

    def shape(counts):
        received, responded, on_time, days, timed = counts
        return {
            "received": received,
            "responded": responded,
            "on_time": on_time,
            "percent_on_time": figures.percentage(on_time, responded),
            "average_working_days": figures.mean(days, timed),
        }

    return {
        "months": months,
        "total": shape(total),
        "by_member": sorted(
            ({"member_id": pk, "member": members.get(pk, ""), **shape(c)} for pk, c in by_member.items()),
            key=lambda r: (-r["received"], r["member"]),
        ),
        "by_service_area": sorted(
            ({"service_area_id": pk, "service_area": areas.get(pk, ""), **shape(c)} for pk, c in by_area.items()),
            key=lambda r: (-r["received"], r["service_area"]),
        ),
    }


def performance(period, *, service_area=None, issue_nature=None, average_until=None, with_sections=True):
    """Everything on the performance page for a period, optionally drilled down to a service area or an
    issue nature. Six grouped queries whatever the number of cases."""
    previous = period.year_before()
    received = received_counts(period, previous, service_area=service_area, issue_nature=issue_nature)
    responses = response_counts(period, previous, service_area=service_area, issue_nature=issue_nature)
    enquiries = (
        enquiry_figures(period, service_area=service_area)
        if issue_nature is None
        else {"months": {}, "total": None, "by_member": [], "by_service_area": []}
    )

    # Received, by stage, issue nature and service area.
    stage_received, stage_received_before = defaultdict(int), defaultdict(int)
    nature_received = defaultdict(lambda: [0, 0])  # [previous, current]
    area_received = defaultdict(int)
    for row in received:
        stage_received[row["number"]] += row["current"]
        stage_received_before[row["number"]] += row["previous"]
        nature_received[row["issue_nature_id"]][0] += row["previous"]
        nature_received[row["issue_nature_id"]][1] += row["current"]
        area_received[row["service_area_id"]] += row["current"]

    # Responses, by stage, issue nature and service area.
    by_stage, by_nature, by_area, overall = defaultdict(_Tally), defaultdict(_Tally), defaultdict(_Tally), _Tally()
    for row in responses:
        for tally in (by_stage[row["number"]], by_nature[row["issue_nature_id"]], by_area[row["service_area_id"]]):
            tally.add(row)
        overall.add(row)

    natures = dict(IssueNature.objects.filter(pk__in=set(nature_received) | set(by_nature)).values_list("pk", "name"))
    areas = dict(ServiceArea.objects.filter(pk__in=set(area_received) | set(by_area)).values_list("pk", "name"))

    stages = sorted(set(stage_received) | set(by_stage) | {1, 2})
    stage_rows = [
        {
            "stage": n,
            "received": stage_received.get(n, 0),
            "received_previous": stage_received_before.get(n, 0),
            **by_stage[n].timeliness(),
            **by_stage[n].outcome_figures(),
        }
        for n in stages
    ]

    nature_rows = []
    for pk in set(nature_received) | set(by_nature):
        before, now = nature_received.get(pk, (0, 0))
        tally = by_nature[pk]
        nature_rows.append(
            {
                "issue_nature_id": pk,
                "issue_nature": natures.get(pk, ""),
                "received_previous": before,
                "received": now,
                "variance": now - before,
                "variance_percent": figures.variance_percentage(before, now),
                "upheld_previous": tally.upheld_previous,
                "upheld_current": tally.upheld_current,
                "upheld_variance": tally.upheld_current - tally.upheld_previous,
                "upheld_variance_percent": figures.variance_percentage(tally.upheld_previous, tally.upheld_current),
                **tally.outcome_figures(),
                **tally.timeliness(),
                "drill_down": {"issue_nature": pk},
                "link": complaints_link(
                    state="all",
                    issue_nature=pk,
                    received_after=period.start.isoformat(),
                    received_before=period.end.isoformat(),
                ),
            }
        )
    # Seed 002's order: the largest rise first.
    nature_rows.sort(key=lambda r: (-r["variance"], -r["received"], r["issue_nature"]))

    area_rows = sorted(
        (
            {
                "service_area_id": pk,
                "service_area": areas.get(pk, ""),
                "received": area_received.get(pk, 0),
                **by_area[pk].outcome_figures(),
                **by_area[pk].timeliness(),
                "drill_down": {"service_area": pk},
                "link": complaints_link(
                    state="all",
                    service_area=pk,
                    received_after=period.start.isoformat(),
                    received_before=period.end.isoformat(),
                ),
            }
            for pk in set(area_received) | set(by_area)
        ),
        key=lambda r: (-r["received"], r["service_area"]),
    )

    stage_1, stage_2 = stage_received.get(1, 0), stage_received.get(2, 0)
    return {
        "period": period.as_dict(),
        "previous_period": previous.as_dict(),
        "filters": {
            "service_area": {"id": service_area.pk, "name": service_area.name} if service_area else None,
            "issue_nature": {"id": issue_nature.pk, "name": issue_nature.name} if issue_nature else None,
            "average_until": average_until,
        },
        "headline": {
            "received": sum(stage_received.values()),
            "received_previous": sum(stage_received_before.values()),
            "variance_percent": figures.variance_percentage(
                sum(stage_received_before.values()), sum(stage_received.values())
            ),
            **overall.timeliness(),
            **overall.outcome_figures(),
            "compensation_pence": overall.compensation,
        },
        "escalation": escalation_figures(stage_1, stage_2),
        "months": monthly_volumes(received, enquiries["months"], period, average_until),
        "by_stage": stage_rows,
        "by_issue_nature": nature_rows,
        "by_service_area": area_rows,
        "enquiries": {k: v for k, v in enquiries.items() if k != "months"},
        "sections": build_sections(period, service_area=service_area) if with_sections else [],
        # The period's sums by stage, for the five-year trend's year under way (`yearly_trend`).
        "stage_sums": {
            n: {
                "received": stage_received.get(n, 0),
                "responded": by_stage[n].responded,
                "working_days": by_stage[n].days,
                "timed": by_stage[n].timed,
            }
            for n in stages
        },
    }


def escalation_figures(stage_1, stage_2):
    """Escalation rate: stage 2 requests as a share of stage 1 complaints received in the same period
    (seed 003: 160 of 2,322, 7%)."""
    return {
        "stage_1": stage_1,
        "stage_2": stage_2,
        "rate_percent": figures.percentage(stage_2, stage_1),
        "rate_percent_whole": figures.percentage(stage_2, stage_1, figures.WHOLE),
    }


# --- Refusals (annual report and self-assessment) ----------------------------------------------------


SCHEME_KIND = "procedure_version__scheme__kind"  # from a complaint to the kind of its scheme


def refusal_counts(period):
    """Complaints not accepted in the period by reason and scheme kind, and escalation requests refused with
    their scheme kinds: what the annual report and the self-assessment count, read once for both."""
    refused = (
        Complaint.objects.filter(_in("refused_on", period))
        .values_list("refusal_reason", SCHEME_KIND)
        .annotate(n=Count("pk"))
        .order_by()
    )
    escalations = EscalationRefusal.objects.filter(_in("requested_on", period))
    counted = escalations.values_list(f"complaint__{SCHEME_KIND}").annotate(n=Count("pk")).order_by()
    listed = escalations.values_list(
        "complaint__reference", "requested_on", "reason", f"complaint__{SCHEME_KIND}"
    ).order_by("requested_on", "id")[:ESCALATION_REASONS_LISTED]
    return {
        "complaints": {(reason, kind): n for reason, kind, n in refused},
        "escalations": dict(counted),
        "escalation_reasons": [
            {"complaint": reference, "requested_on": day, "reason": reason, "scheme_kind": kind}
            for reference, day, reason, kind in listed
        ],
    }


ESCALATION_REASONS_LISTED = 200  # few a year, and the self-assessment asks for each reason


def refusals(period, counts=None, *, scheme_kind=None):
    """Complaints not accepted, by reason, and escalation requests refused, with their reasons; of one scheme
    kind's complaints, or of all. From `refusal_counts`, read here unless given."""
    counts = counts or refusal_counts(period)

    def ours(kind):
        return scheme_kind is None or kind == scheme_kind

    refused = defaultdict(int)
    for (reason, kind), n in counts["complaints"].items():
        if ours(kind):
            refused[reason] += n
    return {
        "complaints_refused": [
            {"reason": reason, "label": RefusalReason(reason).label, "complaints": refused.get(reason, 0)}
            for reason in RefusalReason.values
        ],
        "complaints_refused_by_reason": dict(refused),
        "complaints_refused_total": sum(refused.values()),
        "escalations_refused": sum(n for kind, n in counts["escalations"].items() if ours(kind)),
        # Listed, not counted.
        "escalation_refusal_reasons": [
            {key: row[key] for key in ("complaint", "requested_on", "reason")}
            for row in counts["escalation_reasons"]
            if ours(row["scheme_kind"])
        ],
    }


def first_stage_counts(period):
    """{(scheme kind, channel, raised from a service request, stage reached, answered at stage 1): complaints} of the
    complaints received in the period (their stage 1 requested in it): what the resolution by stage and the
    self-assessment's channels are summed from. Read from the stored figures (`Measure.FIRST_STAGES`, by month for
    whole months): grouping the year's 76,000 first stages' facts took 55 ms among 1,000,000 complaints. A merged
    duplicate has no facts (reporting.facts)."""
    rows, field = _figures(Measure.FIRST_STAGES, (period,))
    grouped = rows.filter(_in(field, period)).values_list(
        "scheme_kind", "channel", "raised_from_service_request", "complaint_stage", "answered"
    )
    return {tuple(row[:5]): row[5] for row in grouped.annotate(n=Sum("stages")).order_by()}


def resolution_counts(period, first_stages=None):
    """{(scheme kind, stage reached): complaints} of the complaints received in the period that have had their
    stage 1 response; `resolution_by_stage` turns them into proportions. From `first_stage_counts`, read here
    unless given."""
    first_stages = first_stage_counts(period) if first_stages is None else first_stages
    counts = defaultdict(int)
    for (kind, _, _, stage, answered), n in first_stages.items():
        if answered:
            counts[(kind, stage)] += n
    return dict(counts)


def channel_counts(first_stages, scheme_kind):
    """({channel: complaints}, complaints raised from a service request) of one scheme kind's complaints received in
    the period, from its `first_stage_counts`."""
    channels, raised = defaultdict(int), 0
    for (kind, channel, from_request, _, _), n in first_stages.items():
        if kind == scheme_kind:
            channels[channel] += n
            raised += n if from_request else 0
    return dict(channels), raised


def resolution_by_stage(period, *, scheme_kind=None, counts=None):
    """The proportion of complaints resolved at each stage (the self-assessment's question): of the
    complaints received in the period that have had their stage 1 response, those that went no further
    count as resolved at stage 1, and each escalated one counts at the highest stage it reached."""
    counts = resolution_counts(period) if counts is None else counts
    rows = defaultdict(int)
    for (kind, stage), n in counts.items():
        if scheme_kind is None or kind == scheme_kind:
            rows[stage] += n
    total = sum(rows.values())
    return [
        {"stage": stage, "complaints": count, "percent": figures.percentage(count, total)}
        for stage, count in sorted(rows.items())
    ]


def default_period(today=None):
    return financial_year(financial_year_of(today or timezone.localdate()))


# --- Tenant satisfaction measures ----------------------------------------------------------------------

TSM_STOCK = (StockType.LCRA, StockType.LCHO)
UNKNOWN_STOCK = ""  # a home whose stock type nobody has recorded (or a complaint with no home)
UNKNOWN_STOCK_LABEL = "Stock type not recorded"


def scheme_stock_counts(period):
    """The year's stages received and responded to by scheme kind, stock type and stage, with the responses'
    outcomes, timeliness and compensation: what CH01, CH02 and the self-assessment's landlord figures are
    summed from, read once for all of them (two grouped queries over the period's monthly figures, or its daily
    ones for a period cut mid-month).

    {"received": {(scheme kind, stock type, stage): stages},
     "responded": {(stock type, stage, outcome): {"n", "within", "plain", "compensation"}}, the landlord scheme's}"""
    model, field = _summed(period)
    received = (
        model.objects.filter(_in(field, period), measure=Measure.RECEIVED)
        .values_list("scheme_kind", "stock_type", "number")
        .annotate(n=Sum("stages"))
        .order_by()
    )
    responded = (
        model.objects.filter(_in(field, period), measure=Measure.RESPONDED, scheme_kind=SchemeKind.LANDLORD)
        .values_list("stock_type", "number", "outcome")
        .annotate(
            n=Sum("stages"),
            within=Coalesce(Sum("stages", filter=Q(within_code_timescale=True)), 0),
            plain=Coalesce(Sum("stages", filter=Q(within_code_timescale=True, extended=False)), 0),
            compensation=Coalesce(Sum("compensation_pence"), 0),
        )
        .order_by()
    )
    return {
        "received": {(kind, stock, number): n for kind, stock, number, n in received},
        "responded": {
            (stock, number, outcome): {"n": n, "within": within, "plain": plain, "compensation": compensation}
            for stock, number, outcome, n, within, plain, compensation in responded
        },
    }


def tenant_satisfaction(start_year, counts=None):
    """The regulator's complaint measures for a reporting year (1 April to 31 March), LCRA and LCHO apart
    (definitions and sources: docs/reporting.md):

    - CH01(1) and CH01(2): stage 1 and stage 2 complaints received per 1,000 homes of that stock type;
    - CH02(1) and CH02(2): the % of stage 1 and stage 2 responses sent in the year within the Code's timescales
      (`within_code_timescale`, decided by `sla.services.code_compliant_due_on`);
    - TP09: the % of the tenant perception survey's answers very or fairly satisfied; the closure survey's
      answers are not TP09's and are counted apart (`closure_survey_*`).

    Only complaints under the landlord scheme count (a complaint about homelessness or parking from a tenant's
    address is the LGSCO's, not the landlord's), and only about homes known to be LCRA or LCHO. A home whose
    stock type is not recorded is never counted as either: it is its own line (`unknown_stock`), with its
    counts, so the measures' coverage is visible; `excluded` counts the landlord complaints about other stock
    (leasehold, not council-owned) and the complaints of other schemes, left out. The stage counts are the year's
    `scheme_stock_counts`, read here unless given."""
    period = financial_year(start_year)
    counts = counts or scheme_stock_counts(period)
    received, responses = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    other_schemes = 0
    for (kind, stock, number), n in counts["received"].items():
        if kind == SchemeKind.LANDLORD:
            received[(stock, number)][0] += n
        else:
            other_schemes += n
    for (stock, number, _), row in counts["responded"].items():
        responses[(stock, number)][0] += row["n"]
        responses[(stock, number)][1] += row["within"]
    # TP09 is a tenant perception measure: only the perception survey's answers count in it. The closure
    # survey's answers (a survey of each complainant as their complaint closes) are counted apart, beside it.
    answers = (
        SurveyAnswer.objects.filter(_in("answered_on", period))
        .annotate(closure=ExpressionWrapper(Q(closure_survey__isnull=False), output_field=BooleanField()))
        .values_list("stock_type", "closure")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(answer__in=SATISFIED)))
        .order_by()
    )
    homes = dict(StockCount.objects.filter(reporting_year=start_year).values_list("stock_type", "homes"))
    survey = {(stock, closure): (n, satisfied) for stock, closure, n, satisfied in answers}

    def line(stock, label, homes_owned=None):
        stage_1, stage_2 = received.get((stock, 1), (0, 0))[0], received.get((stock, 2), (0, 0))[0]
        responded_1, within_1 = responses.get((stock, 1), (0, 0))
        responded_2, within_2 = responses.get((stock, 2), (0, 0))
        return {
            "stock_type": stock,
            "stock_type_label": label,
            "homes": homes_owned,
            "stage_1_received": stage_1,
            "stage_2_received": stage_2,
            "ch01_1": figures.per_thousand(stage_1, homes_owned),
            "ch01_2": figures.per_thousand(stage_2, homes_owned),
            "stage_1_responded": responded_1,
            "stage_1_within_timescale": within_1,
            "ch02_1": figures.percentage(within_1, responded_1),
            "stage_2_responded": responded_2,
            "stage_2_within_timescale": within_2,
            "ch02_2": figures.percentage(within_2, responded_2),
        }

    rows = []
    for stock in TSM_STOCK:
        answered, satisfied = survey.get((stock, False), (0, 0))
        closure_answered, closure_satisfied = survey.get((stock, True), (0, 0))
        rows.append(
            {
                **line(stock.value, stock.label, homes.get(stock)),
                "survey_answers": answered,
                "satisfied": satisfied,
                "tp09": figures.percentage(satisfied, answered),
                "closure_survey_answers": closure_answered,
                "closure_survey_satisfied": closure_satisfied,
                "closure_survey_percent": figures.percentage(closure_satisfied, closure_answered),
            }
        )
    unknown = line(UNKNOWN_STOCK, UNKNOWN_STOCK_LABEL)
    counted = sum(row["stage_1_received"] + row["stage_2_received"] for row in rows)
    unknown_count = unknown["stage_1_received"] + unknown["stage_2_received"]
    other_stock = sum(n for (stock, _), (n, _) in received.items() if stock not in (*TSM_STOCK, UNKNOWN_STOCK))
    return {
        "reporting_year": start_year,
        "period": period.as_dict(),
        "measures": rows,
        "unknown_stock": unknown,
        "excluded": {"other_stock": other_stock, "other_schemes": other_schemes},
        # Of the landlord scheme's stages received about LCRA, LCHO or unrecorded homes, the % whose stock is known.
        "stock_known_percent": figures.percentage(counted, counted + unknown_count),
    }


# --- The monthly report --------------------------------------------------------------------------------


def monthly_figures(month, today=None):
    """The figures for one month, as the monthly report stores them: the month's performance, its rise over
    the financial year-to-date average, and the open work as it stood when the report was made."""
    period = month_period(month)
    year_start = financial_year(financial_year_of(period.start)).start
    to_date = performance(Period(year_start, period.end), with_sections=False)
    month_row = next(row for row in to_date["months"] if row["month"] == period.start)
    data = performance(period)
    work = dashboard(today)
    return {
        "month": period.start,
        "period": period.as_dict(),
        "headline": data["headline"],
        "escalation": data["escalation"],
        "rise": {
            "received": month_row["total"],
            "year_to_date_average": month_row["year_to_date_average"],
            "rise_percent": month_row["rise_percent"],
            "enquiries": month_row["enquiries"],
            "enquiries_year_to_date_average": month_row["enquiries_year_to_date_average"],
            "enquiries_rise_percent": month_row["enquiries_rise_percent"],
        },
        "by_stage": data["by_stage"],
        "by_service_area": data["by_service_area"],
        "by_issue_nature": data["by_issue_nature"],
        "enquiries": data["enquiries"],
        "open_work": {"as_of": work["as_of"], "kinds": work["kinds"]},
        "sections": data["sections"],
    }


# --- The annual report and the Code self-assessment ----------------------------------------------------


def yearly_trend(start_year, years=5, today=None, performance_of_year=None):
    """Stages received and average working days to respond by stage, for each of the last `years`
    financial years (seed 003's five-year tables). Closed years are read from their stored rows
    (`reporting.trend`), the year under way summed live, or, given `performance_of_year` (`performance` of
    `start_year`'s financial year), taken from its `stage_sums` rather than summed a second time."""
    wanted = range(start_year - years + 1, start_year + 1)
    live = None
    if performance_of_year is not None:
        live = {start_year: _trend_stages(performance_of_year["stage_sums"])}
    sums = trend.figures_of(wanted, today, live)
    return [
        {
            "financial_year": financial_year_label(year),
            "stages": [
                {
                    "stage": row["stage"],
                    "received": row["received"],
                    "average_working_days": figures.mean(row["working_days"], row["timed"]),
                }
                for row in sums[year]
            ],
        }
        for year in wanted
    ]


def _trend_stages(stage_sums):
    """A year's trend rows (as `reporting.trend.compute` sums them) from `performance`'s `stage_sums`: the stages
    with any stage received or answered in the period, and stages 1 and 2 always."""
    shown = {n for n, sums in stage_sums.items() if sums["received"] or sums["responded"]} | {1, 2}
    return [
        {
            "stage": n,
            "received": stage_sums.get(n, {}).get("received", 0),
            "working_days": stage_sums.get(n, {}).get("working_days", 0),
            "timed": stage_sums.get(n, {}).get("timed", 0),
        }
        for n in sorted(shown)
    ]


def acknowledgement_counts(period):
    """{(stage, scheme kind): (made, met)}: stage acknowledgements made in the period, and how many within their
    target (2024 Code 6.2 and 6.11: within 5 working days of the complaint or the escalation request). One
    grouped query, which the annual report and the self-assessment share.

    Only clocks stopped by an acknowledgement count: the stage's `acknowledged_on` is the day its clock stopped.
    The acknowledgement clocks of complaints refused, withdrawn or resolved early before anyone acknowledged them
    (or moved to another scheme) stopped too, but no acknowledgement was made.

    Read from the stored figures (`Measure.ACKNOWLEDGED`, by month for whole months), summed from the stages'
    facts (the acknowledgement day, whether its clock was met, and the scheme kind, copied by reporting.facts):
    joining the year's clocks to the fact rows took 85-170 ms among 1,000,000 complaints, grouping the year's
    80,000 facts 35-40 ms. A duplicate merged into another complaint has no fact rows, so its acknowledgement is
    not counted."""
    rows, field = _figures(Measure.ACKNOWLEDGED, (period,))
    grouped = (
        rows.filter(_in(field, period))
        .values_list("number", "scheme_kind")
        .annotate(made=Sum("stages"), met=Coalesce(Sum("stages", filter=Q(within_code_timescale=True)), 0))
        .order_by()
    )
    return {(stage, kind or None): (made, met) for stage, kind, made, met in grouped}


def acknowledgement_timeliness(period, *, stage=None, scheme_kind=None, counts=None):
    """Acknowledgements made and within target (`acknowledgement_counts`, read here unless given), of one stage
    or all, of one scheme kind's complaints or all."""
    counts = acknowledgement_counts(period) if counts is None else counts
    made = met = 0
    for (number, kind), (n, in_time) in counts.items():
        if (stage is None or number == stage) and (scheme_kind is None or kind == scheme_kind):
            made += n
            met += in_time
    return {"made": made, "met": met, "percent_met": figures.percentage(met, made)}


class AnnualFigures:
    """A financial year's complaint handling figures, each computed once, when first asked for, and then shared:
    the annual report (Code 8.1 b) gathers them all (`report()`), and the self-assessment, on the annual report's
    page or its own, is built from the same object rather than counting again. The counts the self-assessment
    narrows to the landlord scheme (refusals, acknowledgements, resolution) are read grouped by scheme kind, so
    the annual report's all-scheme figures and the self-assessment's landlord ones come from one query each."""

    def __init__(self, start_year):
        self.start_year = start_year
        self.period = financial_year(start_year)

    @cached_property
    def performance(self):
        return performance(self.period)

    @cached_property
    def refusal_counts(self):
        return refusal_counts(self.period)

    @cached_property
    def acknowledgement_counts(self):
        return acknowledgement_counts(self.period)

    @cached_property
    def first_stage_counts(self):
        return first_stage_counts(self.period)

    @cached_property
    def resolution_counts(self):
        return resolution_counts(self.period, self.first_stage_counts)

    @cached_property
    def scheme_stock_counts(self):
        return scheme_stock_counts(self.period)

    @cached_property
    def landlord_scheme(self):
        """The landlord scheme's share, as the 2024 Code's self-assessment reports it."""
        period, landlord = self.period, SchemeKind.LANDLORD
        return {
            "refusals": refusals(period, self.refusal_counts, scheme_kind=landlord),
            "acknowledgements": {
                n: acknowledgement_timeliness(period, stage=n, scheme_kind=landlord, counts=self.acknowledgement_counts)
                for n in (1, 2)
            },
            "resolution_by_stage": resolution_by_stage(period, scheme_kind=landlord, counts=self.resolution_counts),
            "channels": channel_counts(self.first_stage_counts, landlord),
            "responses": _landlord_stage_figures(self.scheme_stock_counts),
            "received": _landlord_received(self.scheme_stock_counts),
        }

    @cached_property
    def _report(self):
        period, data = self.period, self.performance
        return {
            "financial_year": financial_year_label(self.start_year),
            "period": period.as_dict(),
            "headline": data["headline"],
            "escalation": data["escalation"],
            "resolution_by_stage": resolution_by_stage(period, counts=self.resolution_counts),
            "acknowledgements": acknowledgement_timeliness(period, counts=self.acknowledgement_counts),
            "by_stage": data["by_stage"],
            "trend": yearly_trend(self.start_year, performance_of_year=data),
            "by_issue_nature": data["by_issue_nature"],
            "by_service_area": data["by_service_area"],
            "refusals": refusals(period, self.refusal_counts),
            "tenant_satisfaction": tenant_satisfaction(self.start_year, self.scheme_stock_counts)["measures"],
            "enquiries": data["enquiries"],
            "sections": data["sections"],
        }

    def report(self):
        """The annual report's performance figures, as a new dict each time (the caller may add to it)."""
        return dict(self._report)


# The annual report's sections, in the order of the Code's provisions they answer (Housing Ombudsman Complaint
# Handling Code 2024, 8.1 a to f, and 8.2 for the governing body's response). `empty` is what the report says
# when the year has nothing for the section ({year} is its label), so a section never disappears.
ANNUAL_REPORT_SECTIONS = [
    (
        "self_assessment",
        "8.1(a)",
        "Self-assessment against the Code",
        "No self-assessment answers were recorded for {year}.",
    ),
    (
        "performance",
        "8.1(b)",
        "Complaint handling performance",
        "No complaints were received or answered in {year}.",
    ),
    (
        "non_compliance",
        "8.1(c)",
        "Findings of non-compliance with the Code by the Ombudsman",
        "No findings of non-compliance were made in {year}.",
    ),
    (
        "improvements",
        "8.1(d)",
        "Service improvements made as a result of the learning from complaints",
        "No service improvements from the learning from complaints were recorded in {year}.",
    ),
    (
        "annual_letters",
        "8.1(e)",
        "The Ombudsman's annual letter about the council's performance",
        "No annual letter from the Ombudsman was recorded for {year}.",
    ),
    (
        "other_publications",
        "8.1(f)",
        "Other reports and publications of the Ombudsman about the council's work",
        "No other reports or publications of the Ombudsman about the council were recorded for {year}.",
    ),
    (
        "governing_body_response",
        "8.2",
        "The governing body's response to this report",
        "The governing body's response to the {year} report has not been recorded yet.",
    ),
]


def annual_report(start_year):
    """The annual complaints performance and service improvement report for a financial year: every section
    Code 8.1 names, and the governing body's response (8.2). `code_sections` lists them in order, each with its
    heading, provision, whether the year has anything for it and what to say when it does not."""
    from learning import selectors as learning
    from ombudsman import selectors as ombudsman
    from ombudsman.models import PublicationKind
    from reporting.models import GoverningBodyResponse, PerformanceAnalysis

    year_figures = AnnualFigures(start_year)
    report = year_figures.report()
    period = financial_year(start_year)
    assessment = self_assessment(start_year, year_figures)
    answered = [q for q in assessment["questions"] if q["complies"] or q["evidence"] or q["commentary"]]
    complies = defaultdict(int)
    for question in answered:
        complies[question["complies"] or "Not stated"] += 1
    findings = list(ombudsman.non_compliance_findings(period.start, period.end).order_by("issued_on", "id"))
    publications = list(ombudsman.publications(reporting_year=start_year).order_by("ombudsman", "received_on", "id"))
    letters = [p for p in publications if p.kind == PublicationKind.ANNUAL_LETTER]
    others = [p for p in publications if p.kind != PublicationKind.ANNUAL_LETTER]
    plans = list(learning.improvements_made(period.start, period.end))
    commitments = learning.commitments_of_year(start_year)
    response = GoverningBodyResponse.objects.select_related("recorded_by").filter(reporting_year=start_year).first()
    analysis = PerformanceAnalysis.objects.select_related("recorded_by").filter(reporting_year=start_year).first()
    headline = report["headline"]
    report.update(
        {
            "reporting_year": start_year,
            "self_assessment": {
                **assessment,
                "answered": len(answered),
                "provisions": len(assessment["questions"]),
                "complies": [{"label": label, "count": n} for label, n in sorted(complies.items())],
            },
            "non_compliance": findings,
            "improvements": {"plans": plans, **commitments},
            "annual_letters": letters,
            "other_publications": others,
            "performance_analysis": analysis,
            "governing_body_response": response,
        }
    )
    has = {
        "self_assessment": bool(answered) or any(q["computed"] for q in assessment["questions"]),
        "performance": bool(
            analysis or headline.get("received") or any(row.get("responded") for row in report["by_stage"])
        ),
        "non_compliance": bool(findings),
        "improvements": bool(plans or commitments["commitments"]),
        "annual_letters": bool(letters),
        "other_publications": bool(others),
        "governing_body_response": response is not None,
    }
    label = report["financial_year"]
    report["code_sections"] = [
        {
            "key": key,
            "provision": provision,
            "heading": heading,
            "has_content": has[key],
            "empty": empty.format(year=label),
        }
        for key, provision, heading, empty in ANNUAL_REPORT_SECTIONS
    ]
    return report


def _percent_text(value):
    return "no responses in the year" if value is None else f"{value}%"


def self_assessment(start_year, year_figures=None):
    """The Code self-assessment for a financial year. From 2024/25 it follows the 2024 Code's Appendix A,
    provision by provision in sections 1 to 9 (`self_assessment_2024`); earlier years keep the form of their
    Code (the 2020 form's 8 sections and 20 questions, which the 2022 Code kept). Built from the year's
    `AnnualFigures` (the annual report's, or made here), so each figure the annual report also gives is the
    annual report's own, and only what it asks for is computed."""
    year_figures = year_figures or AnnualFigures(start_year)
    if start_year >= CODE_2024_FROM_YEAR:
        return self_assessment_2024(start_year, year_figures)
    return _self_assessment_2020(start_year, year_figures)


def _self_assessment_2020(start_year, year_figures):
    """The 2020 form: every question the product's data can answer is answered from it; the rest are listed
    for the council to complete (with the evidence it relies on)."""
    report = year_figures.report()
    stages = {row["stage"]: row for row in report["by_stage"]}
    resolved = {row["stage"]: row for row in report["resolution_by_stage"]}
    acknowledgements = report["acknowledgements"]
    refusal = report["refusals"]
    stage_1, stage_2 = stages.get(1, {}), stages.get(2, {})
    satisfaction = [row for row in report["tenant_satisfaction"] if row["survey_answers"]]
    answers = sum(row["survey_answers"] for row in satisfaction)
    satisfied = sum(row["satisfied"] for row in satisfaction)
    refused_reasons = "; ".join(
        f"{r['label']}: {r['complaints']}" for r in refusal["complaints_refused"] if r["complaints"]
    )
    escalation_reasons = "; ".join(
        f"{r['complaint']} ({r['requested_on']:%d %b %Y}): {r['reason']}" for r in refusal["escalation_refusal_reasons"]
    )

    def q(section, question, answer=None, figure=None):
        return {
            "section": section,
            "provision": "",
            "question": question,
            "computed": answer is not None,
            "answer": answer or "",
            "figure": figure,
            "complies": "",
            "evidence": "",
            "commentary": "",
        }

    questions = [
        q("1 Definition of a complaint", "Does the complaints process use the Code's definition of a complaint?"),
        q(
            "1 Definition of a complaint",
            "Does the policy have exclusions where a complaint will not be considered, and are they reasonable "
            "and fair?",
            f"{refusal['complaints_refused_total']} complaint{'' if refusal['complaints_refused_total'] == 1 else 's'}"
            " not accepted in the year" + (f" ({refused_reasons})" if refused_reasons else ""),
            refusal["complaints_refused_total"],
        ),
        q("2 Accessibility", "Are multiple routes available to residents to make a complaint?"),
        q("2 Accessibility", "Is the complaints policy and procedure available online?"),
        q("3 Complaints team and process", "Is there a complaints officer or equivalent in post?"),
        q(
            "4 Communication",
            "Are all complaints acknowledged and logged within 5 working days?",
            f"{acknowledgements['met']} of {acknowledgements['made']} acknowledgements within their target "
            f"({_percent_text(acknowledgements['percent_met'])})",
            acknowledgements["percent_met"],
        ),
        q(
            "4 Communication",
            "What proportion of complaints are resolved at stage one?",
            _percent_text(resolved.get(1, {}).get("percent")),
            resolved.get(1, {}).get("percent"),
        ),
        q(
            "4 Communication",
            "What proportion of complaints are resolved at stage two?",
            _percent_text(resolved.get(2, {}).get("percent")),
            resolved.get(2, {}).get("percent"),
        ),
        q(
            "4 Communication",
            "What proportion of stage one responses are sent within Code timescales (without extension)?",
            _percent_text(stage_1.get("percent_within_target_without_extension")),
            stage_1.get("percent_within_target_without_extension"),
        ),
        q(
            "4 Communication",
            "What proportion of stage one responses are sent within Code timescales (with extension)?",
            _percent_text(stage_1.get("percent_within_target")),
            stage_1.get("percent_within_target"),
        ),
        q(
            "4 Communication",
            "What proportion of stage two responses are sent within Code timescales (without extension)?",
            _percent_text(stage_2.get("percent_within_target_without_extension")),
            stage_2.get("percent_within_target_without_extension"),
        ),
        q(
            "4 Communication",
            "What proportion of stage two responses are sent within Code timescales (with extension)?",
            _percent_text(stage_2.get("percent_within_target")),
            stage_2.get("percent_within_target"),
        ),
        q(
            "4 Communication",
            "Where timescales have been extended, did we give good reason and keep the resident informed?",
        ),
        q(
            "4 Communication",
            "What proportion of complaints do we resolve to residents' satisfaction?",
            f"{satisfied} of {answers} survey answers very or fairly satisfied "
            f"({_percent_text(figures.percentage(satisfied, answers))})"
            if answers
            else None,
            figures.percentage(satisfied, answers),
        ),
        q("5 Cooperation with the Ombudsman", "Were all requests for evidence responded to within 15 days?"),
        q("6 Fairness in complaint handling", "Are residents able to complain via a representative throughout?"),
        q(
            "6 Fairness in complaint handling",
            "How many cases did we refuse to escalate? What was the reason for the refusal?",
            f"{refusal['escalations_refused']} escalation requests refused"
            + (f": {escalation_reasons}" if escalation_reasons else ""),
            refusal["escalations_refused"],
        ),
        q(
            "7 Outcomes and remedies",
            "Where something has gone wrong, are we taking appropriate steps to put things right?",
            f"{report['headline']['decided']} decided responses, "
            f"{report['headline']['percent_upheld'] or 0}% upheld or partly upheld; "
            f"£{report['headline']['compensation_pence'] / 100:,.2f} compensation offered",
            report["headline"]["percent_upheld"],
        ),
        q(
            "8 Continuous learning and improvement",
            "What improvements have we made as a result of learning from complaints?",
        ),
        q(
            "8 Continuous learning and improvement",
            "How do we share these lessons with residents, the governing body and in the annual report?",
        ),
    ]
    return {
        "financial_year": report["financial_year"],
        "period": report["period"],
        "form": {"code": "2020", "title": "Complaint Handling Code self-assessment (2020 form)"},
        "questions": questions,
        "escalation": report["escalation"],
    }


# --- The 2024 Code's self-assessment (Appendix A) ------------------------------------------------------


def _landlord_stage_figures(counts):
    """{stage: {...}} for the landlord scheme's responses in the period: responded, within the Code's timescale
    (with and without extension), outcomes and compensation (CH02's rule, see docs/reporting.md), from the
    period's `scheme_stock_counts`."""
    stages = defaultdict(lambda: defaultdict(int))
    for (_, number, outcome), row in counts["responded"].items():
        stage = stages[number]
        stage["responded"] += row["n"]
        stage["within"] += row["within"]
        stage["plain"] += row["plain"]
        stage["compensation"] += row["compensation"]
        if outcome:
            stage[outcome] += row["n"]
    return stages


def _landlord_received(counts):
    """{stage: stages received} of the landlord scheme's complaints in the period (the self-assessment's
    escalation rate and its stages beyond stage 2), from the period's `scheme_stock_counts`."""
    received = defaultdict(int)
    for (kind, _, number), n in counts["received"].items():
        if kind == SchemeKind.LANDLORD:
            received[number] += n
    return dict(received)


def _extension_figures(period, stage):
    """The landlord scheme's response extensions granted in the period at a stage: with the date the resident
    was told, beyond the Code's limit, and of those approved by a manager with a recorded good reason."""
    from sla.models import ClockExtension

    extensions = ClockExtension.objects.filter(
        _in("granted_on", period),
        clock__kind=ClockKind.RESPONSE,
        clock__stage=stage,
        clock__case__complaint__procedure_version__scheme__kind=SchemeKind.LANDLORD,
        clock__case__complaint__merged_into__isnull=True,
    )
    return extensions.aggregate(
        granted=Count("pk"),
        with_reason=Count("pk", filter=~Q(reason="")),
        resident_told=Count("pk", filter=Q(resident_told_on__isnull=False)),
        beyond=Count("pk", filter=Q(beyond_cap=True)),
        beyond_approved=Count("pk", filter=Q(beyond_cap=True, approved_by__isnull=False) & ~Q(approval_reason="")),
    )


def _plural(n, word, plural=None):
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _computed_2024(period, landlord_figures):
    """{figure key: (answer, figure)} for the provisions the data can tell about, over the landlord scheme's
    complaints (the Code's). The figures the annual report also counts come from the year's
    `AnnualFigures.landlord_scheme`; the rest are the self-assessment's own."""
    from complaints.models import Channel, ServiceRequest, StageHandler
    from learning.models import LearningActionPlan
    from ombudsman.models import InformationRequest

    result = {}

    # The landlord scheme's complaints received in the year (their stage 1 requested, the report's "received") by
    # channel, and how many were raised from a service request: from the same read of the year's first stages as
    # the resolution by stage (`first_stage_counts`).
    channels, raised = landlord_figures["channels"]
    requests = ServiceRequest.objects.filter(_in("received_on", period)).count()
    result["service_requests"] = (f"{_plural(requests, 'service request')} recorded in the year", requests)
    result["raised_from_service_requests"] = (
        f"{_plural(raised, 'complaint')} raised from a service request while it went on",
        raised,
    )

    refusal = landlord_figures["refusals"]
    refused = refusal["complaints_refused_by_reason"]
    total = refusal["complaints_refused_total"]
    reasons = "; ".join(f"{RefusalReason(r).label}: {n}" for r, n in sorted(refused.items()) if r)
    result["refused"] = (f"{_plural(total, 'complaint')} not accepted" + (f" ({reasons})" if reasons else ""), total)
    late = refused.get(RefusalReason.OVER_TWELVE_MONTHS, 0)
    result["refused_over_12_months"] = (f"{late} not accepted as made more than 12 months after the issue", late)

    why = "; ".join(f"{r['complaint']}: {r['reason']}" for r in refusal["escalation_refusal_reasons"][:50])
    count = refusal["escalations_refused"]
    result["escalations_refused"] = (
        f"{_plural(count, 'escalation request')} refused" + (f" ({why})" if why else ""),
        count,
    )
    resolved = {row["stage"]: row["percent"] for row in landlord_figures["resolution_by_stage"]}
    result["annual_report"] = (
        f"Resolved at stage one: {_percent_text(resolved.get(1))}; at stage two: {_percent_text(resolved.get(2))} "
        "(of the complaints received in the year and answered at stage 1); the annual report gathers the rest",
        resolved.get(1),
    )

    used = "; ".join(
        f"{Channel(c).label}: {n}" for c, n in sorted(channels.items(), key=lambda i: (-i[1], Channel(i[0]).label))
    )
    result["channels"] = (
        f"Complaints received through {_plural(len(channels), 'channel')}" + (f" ({used})" if used else ""),
        len(channels),
    )

    replies = InformationRequest.objects.filter(_in("due_on", period), case__ombudsman=Ombudsman.HOUSING).aggregate(
        due=Count("pk"), in_time=Count("pk", filter=Q(reply_sent_on__lte=F("due_on")))
    )
    result["ombudsman_evidence"] = (
        f"{replies['in_time']} of {_plural(replies['due'], 'request')} for evidence from the Housing Ombudsman "
        f"answered by its deadline ({_percent_text(figures.percentage(replies['in_time'], replies['due']))})",
        figures.percentage(replies["in_time"], replies["due"]),
    )

    third = sum(n for number, n in landlord_figures["received"].items() if number >= 3)
    result["third_stages"] = (f"{_plural(third, 'complaint stage')} beyond stage 2 requested in the year", third)

    stages = landlord_figures["responses"]
    stage_keys = (
        (1, "acknowledged_1", "stage_1_in_time", "extensions_1", 10),
        (2, "acknowledged_2", "stage_2_in_time", "extensions_2", 20),
    )
    for number, ack_key, time_key, ext_key, limit in stage_keys:
        ack = landlord_figures["acknowledgements"][number]
        result[ack_key] = (
            f"{ack['met']} of {_plural(ack['made'], 'acknowledgement')} within 5 working days "
            f"({_percent_text(ack['percent_met'])})",
            ack["percent_met"],
        )
        figures_n = stages[number]
        plain = figures.percentage(figures_n["plain"], figures_n["responded"])
        result[time_key] = (
            f"{figures_n['plain']} of {_plural(figures_n['responded'], 'response')} within the timescale without "
            f"extension ({_percent_text(plain)})",
            plain,
        )
        ext = _extension_figures(period, number)
        with_extension = figures.percentage(figures_n["within"], figures_n["responded"])
        result[ext_key] = (
            f"{_plural(ext['granted'], 'extension')}: {ext['with_reason']} with a reason, {ext['resident_told']} "
            f"with the date the resident was told; {ext['beyond']} beyond {limit} working days, "
            f"{ext['beyond_approved']} of them approved by a manager with a good reason. "
            f"{figures_n['within']} of {_plural(figures_n['responded'], 'response')} within the Code's timescale "
            f"counting extensions ({_percent_text(with_extension)})",
            with_extension,
        )

    answered_by_stage_1 = StageHandler.objects.filter(
        stage__complaint=OuterRef("complaint_id"), stage__number=1
    ).filter(Q(officer=OuterRef("handler_id")) | Q(officer=OuterRef("responded_by_id")))
    not_independent = ComplaintStage.objects.filter(
        _in("responded_on", period),
        Exists(answered_by_stage_1),
        number=2,
        complaint__procedure_version__scheme__kind=SchemeKind.LANDLORD,
        complaint__merged_into__isnull=True,
    ).count()
    result["independent_stage_2"] = (
        f"{_plural(not_independent, 'stage 2 response')} handled or sent by someone who handled stage 1",
        not_independent,
    )

    decided = upheld = compensation = 0
    for figures_n in stages.values():
        upheld += figures_n[StageOutcome.UPHELD] + figures_n[StageOutcome.PARTLY_UPHELD]
        decided += figures_n[StageOutcome.UPHELD] + figures_n[StageOutcome.PARTLY_UPHELD]
        decided += figures_n[StageOutcome.NOT_UPHELD]
        compensation += figures_n["compensation"]
    result["remedies"] = (
        f"{upheld} of {_plural(decided, 'decided response')} upheld or partly upheld "
        f"({_percent_text(figures.percentage(upheld, decided))}); £{compensation / 100:,.2f} compensation offered",
        figures.percentage(upheld, decided),
    )

    from reporting.models import GoverningBodyResponse

    response = GoverningBodyResponse.objects.filter(reporting_year=period.start.year).first()
    result["governing_body_response"] = (
        f"Response of {response.governing_body} recorded, dated {response.responded_on:%-d %B %Y}"
        if response
        else "No response of the governing body recorded for the year yet",
        1 if response else 0,
    )

    plans = LearningActionPlan.objects.filter(_in("opened_on", period)).aggregate(
        opened=Count("pk"), implemented=Count("pk", filter=Q(implemented_on__isnull=False))
    )
    result["learning"] = (
        f"{_plural(plans['opened'], 'learning action plan')} opened in the year, {plans['implemented']} implemented",
        plans["opened"],
    )
    return result


def self_assessment_2024(start_year, year_figures=None):
    """The 2024 Code's self-assessment (Appendix A) for a financial year: each provision of sections 1 to 9 with
    the council's answer, evidence and commentary (entered by an administrator, `SelfAssessmentAnswer`) and,
    where the data can tell, the figure computed from the landlord scheme's complaints of the year (from the
    year's `AnnualFigures`, made here unless given: only its landlord scheme's share is computed)."""
    from reporting.models import SelfAssessmentAnswer

    year_figures = year_figures or AnnualFigures(start_year)
    period = financial_year(start_year)
    landlord = year_figures.landlord_scheme
    computed = _computed_2024(period, landlord)
    received = landlord["received"]
    answers = {a.provision: a for a in SelfAssessmentAnswer.objects.filter(reporting_year=start_year)}
    questions = []
    for number, title, provision, requirement, key in self_assessment_form.provisions():
        answer, figure = computed.get(key, ("", None)) if key else ("", None)
        stored = answers.get(provision)
        questions.append(
            {
                "section": f"{number} {title}",
                "provision": provision,
                "question": requirement,
                "computed": bool(key),
                "answer": answer,
                "figure": figure,
                "complies": stored.get_complies_display() if stored and stored.complies else "",
                "evidence": stored.evidence if stored else "",
                "commentary": stored.commentary if stored else "",
            }
        )
    return {
        "financial_year": financial_year_label(start_year),
        "period": period.as_dict(),
        "form": {"code": "2024", "title": "Complaint Handling Code 2024 self-assessment (Appendix A)"},
        "questions": questions,
        "escalation": escalation_figures(received.get(1, 0), received.get(2, 0)),
    }
