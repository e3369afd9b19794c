"""Writes for the calendar and the clocks. Every due date in the product is set here."""

import datetime
import json
import logging
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone

from casework.errors import InvalidInput, NotAllowed
from casework.models import Case
from casework.roles import Role, has_role
from casework.services import bulk_record_events
from sla import engine
from sla.models import (
    BankHoliday,
    CalendarChange,
    CalendarVersion,
    Clock,
    ClockExtension,
    ClockPause,
    ClockStatus,
    ClosureDay,
    Division,
    HolidaySource,
)

logger = logging.getLogger(__name__)


def _format(day):
    return day.strftime("%a %-d %b %Y")


# --- Clocks -------------------------------------------------------------------------------------------


def start_clock(
    case,
    *,
    kind,
    label,
    stage=None,
    started_on,
    working_days=None,
    due_on=None,
    division=Division.ENGLAND_AND_WALES,
    extension_cap=None,
):
    """Start a clock due `working_days` after `started_on`, or on a fixed date `due_on` that someone outside
    the council set (an ombudsman's deadline): a fixed date stays put when the calendar changes, and its
    target is recorded as the working days it allowed."""
    if (working_days is None) == (due_on is None):
        raise InvalidInput("Give either the working days allowed or the fixed due date, not both.")
    calendar = engine.get_calendar(division)
    if due_on is not None:
        if due_on < started_on:
            raise InvalidInput(f"The due date {_format(due_on)} is before the start {_format(started_on)}.")
        working_days = max(calendar.working_days_between(started_on, due_on), 0)
    clock = Clock.objects.create(
        case=case,
        kind=kind,
        stage=stage,
        label=label,
        division=division,
        started_on=started_on,
        target_working_days=working_days,
        fixed_due_on=due_on,
        extension_cap_working_days=extension_cap,
        due_on=due_on or calendar.add_working_days(started_on, working_days),
    )
    sync_case_due_dates([case.pk])
    case.refresh_from_db(fields=["next_due_on"])
    return clock


def paused_working_days(clock, calendar=None, pauses=None):
    calendar = calendar or engine.get_calendar(clock.division)
    pauses = clock.pauses.all() if pauses is None else pauses
    return sum(calendar.working_days_between(p.paused_on, p.resumed_on) for p in pauses if p.resumed_on)


def _base_due_on(clock, calendar, pauses):
    """The due date before any extension: start + target (or the fixed date) + completed pauses."""
    if clock.fixed_due_on is not None:
        return calendar.add_working_days(clock.fixed_due_on, paused_working_days(clock, calendar, pauses))
    return calendar.add_working_days(
        clock.started_on, clock.target_working_days + paused_working_days(clock, calendar, pauses)
    )


def derive_due_on(clock, calendar=None, extensions=None, pauses=None):
    """The due date from the clock's start, target, pauses and extensions, and the calendar; None while paused.

    Events apply in date order: a completed pause adds the working days it lasted, an extension adds its
    working days or sets its new date."""
    calendar = calendar or engine.get_calendar(clock.division)
    pauses = list(clock.pauses.all()) if pauses is None else pauses
    extensions = list(clock.extensions.all()) if extensions is None else extensions
    if any(p.resumed_on is None for p in pauses):
        return None
    events = [(p.paused_on, 0, p) for p in pauses] + [(e.granted_on, 1, e) for e in extensions]
    due = clock.fixed_due_on or calendar.add_working_days(clock.started_on, clock.target_working_days)
    for _, kind, event in sorted(events, key=lambda item: (item[0], item[1], item[2].pk or 0)):
        if kind == 0:
            due = calendar.add_working_days(due, calendar.working_days_between(event.paused_on, event.resumed_on))
        elif event.extra_working_days is not None:
            due = calendar.add_working_days(due, event.extra_working_days)
        else:
            due = event.new_due_on
    return due


def extension_approved(extension: Any) -> bool:
    """An extension beyond the cap counts for the Code's timescale only when a manager approved it with a
    recorded good reason (2024 Code 6.4 and 6.15: no more than the limit "without good reason")."""
    return extension.approved_by_id is not None and bool((extension.approval_reason or "").strip())


def timescale_due_on(
    due_on: datetime.date,
    cap: int | None,
    extensions: Iterable[Any],
    calendar: engine.WorkingDayCalendar,
    pauses: Iterable[Any] = (),
) -> datetime.date:
    """The Code's timescale for a response first due on `due_on`: the one rule for 'responded within the Code's
    timescale' (CH02 and the reports), used for clocks (`code_compliant_due_on`) and by the importer.

    Pauses and extensions apply in date order, as in `derive_due_on`, except that:
    - extensions count up to `cap` working days in all (so +6 then +6 under a cap of 10 counts 10);
    - beyond the cap an extension counts in full only when a manager approved it with a recorded good reason;
    - an extension agreed after the deadline it extends had passed counts for nothing (it cannot turn a late
      response into one in time)."""
    events = [(p.paused_on, 0, p) for p in pauses] + [(e.granted_on, 1, e) for e in extensions]
    due, used = due_on, 0
    for _, kind, event in sorted(events, key=lambda item: (item[0], item[1], getattr(item[2], "pk", 0) or 0)):
        if kind == 0:
            due = calendar.add_working_days(due, calendar.working_days_between(event.paused_on, event.resumed_on))
            continue
        if event.granted_on > due:
            continue
        if event.extra_working_days is not None:
            days = event.extra_working_days
        else:
            days = max(calendar.working_days_between(due, event.new_due_on), 0)
        if cap is not None and not extension_approved(event):
            days = max(min(days, cap - used), 0)
        if days:
            due = calendar.add_working_days(due, days)
        used += days
    return due


def code_compliant_due_on(clock: Clock, calendar: engine.WorkingDayCalendar | None = None) -> datetime.date | None:
    """The due date a response is 'within the Code's timescale' by (`timescale_due_on`). An extension beyond the
    cap without a manager's approval still moves the working due date (an import may carry one), not this one;
    None while the clock is paused."""
    calendar = calendar or engine.get_calendar(clock.division)
    pauses = list(clock.pauses.all())
    if any(p.resumed_on is None for p in pauses):
        return None
    first = clock.fixed_due_on or calendar.add_working_days(clock.started_on, clock.target_working_days)
    return timescale_due_on(first, clock.extension_cap_working_days, list(clock.extensions.all()), calendar, pauses)


def _require_open(clock):
    if clock.stopped_on is not None:
        raise NotAllowed(f"'{clock.label}' stopped on {_format(clock.stopped_on)}; it cannot change now.")


def extension_working_days(clock, new_due_on, calendar=None):
    """How many working days a due date of `new_due_on` adds over the clock's due date before extensions."""
    calendar = calendar or engine.get_calendar(clock.division)
    return calendar.working_days_between(_base_due_on(clock, calendar, list(clock.pauses.all())), new_due_on)


@transaction.atomic
def extend_clock(
    clock,
    *,
    granted_on,
    reason,
    extra_working_days=None,
    new_due_on=None,
    resident_told_on=None,
    approved_by=None,
    approval_reason="",
    actor=None,
):
    """Extend a running clock by working days or to a new date.

    Within the clock's cap any handler may extend; beyond it, a manager must approve with a recorded reason."""
    clock = Clock.objects.select_for_update().get(pk=clock.pk)
    _require_open(clock)
    if clock.status == ClockStatus.PAUSED:
        raise NotAllowed("Resume the clock before extending it.")
    if (extra_working_days is None) == (new_due_on is None):
        raise InvalidInput("Give either the extra working days or the new due date, not both.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for the extension; the resident must be told why.")
    calendar = engine.get_calendar(clock.division)
    if extra_working_days is not None:
        if extra_working_days < 1:
            raise InvalidInput("An extension adds at least one working day.")
        proposed = calendar.add_working_days(clock.due_on, extra_working_days)
    else:
        if new_due_on <= clock.due_on:
            raise InvalidInput(f"The new due date must be after the current one ({_format(clock.due_on)}).")
        if not calendar.is_working_day(new_due_on):
            raise InvalidInput(f"{_format(new_due_on)} is not a working day; choose a working day.")
        proposed = new_due_on
    total_extension = extension_working_days(clock, proposed, calendar)
    beyond_cap = clock.extension_cap_working_days is not None and total_extension > clock.extension_cap_working_days
    if beyond_cap and (approved_by is None or not has_role(approved_by, Role.MANAGER, Role.ADMINISTRATOR)):
        raise InvalidInput(
            f"Extensions would add {total_extension} working days, more than the "
            f"{clock.extension_cap_working_days} allowed; a manager must approve it with a good reason."
        )
    extension = ClockExtension.objects.create(
        clock=clock,
        granted_on=granted_on,
        extra_working_days=extra_working_days,
        new_due_on=new_due_on,
        reason=reason,
        resident_told_on=resident_told_on,
        approved_by=approved_by if beyond_cap else None,
        beyond_cap=beyond_cap,
        approval_reason=(approval_reason or "").strip() if beyond_cap else "",
        created_by=actor,
    )
    clock.due_on = derive_due_on(clock, calendar)
    clock.save(update_fields=["due_on"])
    sync_case_due_dates([clock.case_id])
    return extension, clock


@transaction.atomic
def pause_clock(clock, *, on, reason, actor=None):
    clock = Clock.objects.select_for_update().get(pk=clock.pk)
    _require_open(clock)
    if clock.status == ClockStatus.PAUSED:
        raise NotAllowed(f"'{clock.label}' is already paused.")
    if on < clock.started_on:
        raise InvalidInput("A clock cannot be paused before it started.")
    ClockPause.objects.create(clock=clock, paused_on=on, reason=reason, created_by=actor)
    clock.status, clock.paused_since, clock.due_on = ClockStatus.PAUSED, on, None
    clock.save(update_fields=["status", "paused_since", "due_on"])
    sync_case_due_dates([clock.case_id])
    return clock


@transaction.atomic
def resume_clock(clock, *, on, actor=None):
    clock = Clock.objects.select_for_update().get(pk=clock.pk)
    _require_open(clock)
    pause = clock.pauses.filter(resumed_on__isnull=True).first()
    if clock.status != ClockStatus.PAUSED or pause is None:
        raise NotAllowed(f"'{clock.label}' is not paused.")
    if on < pause.paused_on:
        raise InvalidInput("A clock cannot resume before it was paused.")
    pause.resumed_on = on
    pause.save(update_fields=["resumed_on"])
    clock.status, clock.paused_since = ClockStatus.RUNNING, None
    clock.due_on = derive_due_on(clock)
    clock.save(update_fields=["status", "paused_since", "due_on"])
    sync_case_due_dates([clock.case_id])
    return clock


@transaction.atomic
def stop_clock(clock, *, on):
    """Stop a clock because its target was met (or the case ended); record whether it was met in time."""
    clock = Clock.objects.select_for_update().get(pk=clock.pk)
    _require_open(clock)
    if clock.status == ClockStatus.PAUSED:
        clock = resume_clock(clock, on=max(on, clock.paused_since))
    calendar = engine.get_calendar(clock.division)
    clock.stopped_on = on
    clock.status = ClockStatus.STOPPED
    clock.met = on <= clock.due_on
    clock.working_days_taken = calendar.working_days_between(clock.started_on, on) - paused_working_days(
        clock, calendar
    )
    clock.save(update_fields=["stopped_on", "status", "met", "working_days_taken"])
    sync_case_due_dates([clock.case_id])
    return clock


def open_clock(case, kind, stage=None):
    """The case's running (or paused) clock of this kind, for this stage of a complaint."""
    return Clock.objects.filter(case=case, kind=kind, stage=stage, stopped_on__isnull=True).first()


def sync_case_due_dates(case_ids):
    """Copy the earliest open due date of each case's clocks onto the case (`Case.next_due_on`), which work
    queues and dashboards sort and count by. Called by every function here that changes a clock."""
    case_ids = list(case_ids)
    if not case_ids:
        return
    if connection.vendor == "postgresql":
        _sync_case_due_dates_postgresql(case_ids)
        return
    earliest = (
        Clock.objects.filter(case_id=OuterRef("pk"), stopped_on__isnull=True, due_on__isnull=False)
        .order_by()
        .values("case_id")
        .annotate(earliest=Min("due_on"))
        .values("earliest")
    )
    for start in range(0, len(case_ids), 5_000):
        Case.objects.filter(pk__in=case_ids[start : start + 5_000]).update(next_due_on=Subquery(earliest))


def _sync_case_due_dates_postgresql(case_ids, batch_size=50_000):
    # One grouped pass over the batch's clocks joined to its cases: a correlated subquery per case turns into
    # a scan per row when the planner's statistics are stale (just after a bulk load), minutes for 100,000.
    cases = connection.ops.quote_name(Case._meta.db_table)
    clocks = connection.ops.quote_name(Clock._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(case_ids), batch_size):
            cursor.execute(
                f"WITH wanted AS (SELECT DISTINCT unnest(%s::bigint[]) AS id), "  # noqa: S608 - model table names
                f"earliest AS (SELECT clock.case_id, MIN(clock.due_on) AS due_on FROM {clocks} AS clock "
                "JOIN wanted ON wanted.id = clock.case_id "
                "WHERE clock.stopped_on IS NULL AND clock.due_on IS NOT NULL GROUP BY clock.case_id) "
                f"UPDATE {cases} AS c SET next_due_on = earliest.due_on "
                "FROM wanted LEFT JOIN earliest ON earliest.case_id = wanted.id "
                "WHERE c.id = wanted.id AND c.next_due_on IS DISTINCT FROM earliest.due_on",
                [case_ids[start : start + batch_size]],
            )


# --- Calendar changes ---------------------------------------------------------------------------------


def _bump_calendar_version():
    updated = CalendarVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=timezone.now())
    if not updated:
        CalendarVersion.objects.create(pk=1, version=2)
    engine.clear_cache()
    transaction.on_commit(engine.clear_cache)


def _schedule_recompute(changes, division=None):
    """Record the change for recompute (in this transaction) and, after commit, queue the recompute.
    `changes`: {date: why}. The row is what makes it durable: the queued task is only the fast path."""
    if not changes:
        return
    payload = {day.isoformat(): why for day, why in changes.items()}
    change = CalendarChange.objects.create(changes=payload, division=division or "")

    def enqueue():
        from sla.tasks import recompute_clocks

        recompute_clocks.delay(payload, division, change_id=change.pk)

    transaction.on_commit(enqueue)


def closure_day_problem(day):
    """Why `day` cannot be declared a closure day, or None: it must be a working day to close."""
    if day.weekday() >= 5:
        return f"{_format(day)} is a weekend day; it is not a working day anyway."
    if ClosureDay.objects.filter(date=day).exists():
        return f"{_format(day)} is already a closure day."
    holiday = BankHoliday.objects.filter(date=day).order_by("division").first()
    if holiday is None:
        title = dict(engine.build_calendar(Division.ENGLAND_AND_WALES).holidays).get(day)
        if title:
            return f"{_format(day)} is already a bank holiday ({title})."
    else:
        return f"{_format(day)} is already a bank holiday ({holiday.title}, {holiday.get_division_display()})."
    return None


def bank_holiday_problem(division, day):
    if BankHoliday.objects.filter(division=division, date=day).exists():
        return f"{_format(day)} is already a bank holiday in {Division(division).label}."
    return None


@transaction.atomic
def declare_closure_day(day, reason, *, actor=None):
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the council is closed that day.", field="reason")
    problem = closure_day_problem(day)
    if problem:
        raise InvalidInput(problem, field="date")
    closure = ClosureDay.objects.create(date=day, reason=reason, created_by=actor)
    _bump_calendar_version()
    _schedule_recompute({day: f"{_format(day)} was declared a council closure day ({reason})"})
    return closure


@transaction.atomic
def remove_closure_day(closure, *, actor=None):
    day, reason = closure.date, closure.reason
    closure.delete()
    _bump_calendar_version()
    _schedule_recompute({day: f"{_format(day)} is no longer a council closure day ({reason})"})


def _holiday_sets():
    """The weekday bank holidays each division's calendar uses now: {division: {date: title}}."""
    return {division: dict(engine.build_calendar(division).holidays) for division in Division.values}


def _schedule_holiday_recomputes(before, after):
    for division in Division.values:
        changes = {}
        for day in before[division].keys() | after[division].keys():
            if day in before[division] and day not in after[division]:
                changes[day] = f"{_format(day)} is no longer a bank holiday ({before[division][day]})"
            elif day in after[division] and day not in before[division]:
                changes[day] = f"{_format(day)} is now a bank holiday ({after[division][day]})"
        _schedule_recompute(changes, division)


@transaction.atomic
def add_bank_holiday(division, day, title, *, actor=None):
    """An administrator adds a bank holiday the published table does not have yet."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput("Give the bank holiday's name.")
    problem = bank_holiday_problem(division, day)
    if problem:
        raise InvalidInput(problem, field="date")
    before = _holiday_sets()
    holiday = BankHoliday.objects.create(division=division, date=day, title=title, source=HolidaySource.ADMINISTRATOR)
    _bump_calendar_version()
    _schedule_holiday_recomputes(before, _holiday_sets())
    return holiday


@transaction.atomic
def remove_bank_holiday(holiday, *, actor=None):
    before = _holiday_sets()
    holiday.delete()
    _bump_calendar_version()
    _schedule_holiday_recomputes(before, _holiday_sets())


@dataclass
class ImportResult:
    added: int = 0
    removed: int = 0
    renamed: int = 0
    divisions: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.added or self.removed or self.renamed)

    def __str__(self):
        return (
            f"{self.added} added, {self.removed} removed, {self.renamed} renamed "
            f"({', '.join(self.divisions) or 'no divisions'})"
        )


def parse_bank_holidays(data):
    """Validate a GOV.UK bank-holidays document: {division: {"division": ..., "events": [{title, date}]}}."""
    if not isinstance(data, dict) or not data:
        raise InvalidInput("The bank holidays file is not in the GOV.UK format (an object of divisions).")
    parsed = {}
    for division, block in data.items():
        if division not in Division.values:
            raise InvalidInput(f"Unknown division '{division}'; expected one of {', '.join(Division.values)}.")
        events = block.get("events") if isinstance(block, dict) else None
        if not isinstance(events, list):
            raise InvalidInput(f"Division '{division}' has no list of events.")
        parsed[division] = {}
        for number, event in enumerate(events, start=1):
            try:
                day = datetime.date.fromisoformat(event["date"])
                title = str(event["title"]).strip()
            except (KeyError, TypeError, ValueError) as error:
                raise InvalidInput(f"{division} event {number}: needs a 'title' and a 'date' as YYYY-MM-DD.") from error
            if not title:
                raise InvalidInput(f"{division} event {number}: the title is empty.")
            parsed[division][day] = (title, str(event.get("notes", ""))[:200])
    return parsed


@transaction.atomic
def import_bank_holidays(data):
    """Make the stored published table match a GOV.UK document for the years it covers, per division.

    Years the document does not mention are left alone. An administrator's entry for a date the document
    now lists becomes a published row."""
    parsed = parse_bank_holidays(data)
    before = _holiday_sets()
    result = ImportResult(divisions=sorted(parsed))
    for division, events in parsed.items():
        years = {day.year for day in events}
        existing = {h.date: h for h in BankHoliday.objects.filter(division=division, date__year__in=years)}
        for day, holiday in existing.items():
            if day not in events and holiday.source == HolidaySource.PUBLISHED:
                holiday.delete()
                result.removed += 1
        for day, (title, notes) in events.items():
            holiday = existing.get(day)
            if holiday is None:
                BankHoliday.objects.create(
                    division=division, date=day, title=title, notes=notes, source=HolidaySource.PUBLISHED
                )
                result.added += 1
            elif (holiday.title, holiday.notes, holiday.source) != (title, notes, HolidaySource.PUBLISHED):
                result.renamed += holiday.title != title
                holiday.title, holiday.notes, holiday.source = title, notes, HolidaySource.PUBLISHED
                holiday.save(update_fields=["title", "notes", "source"])
    if result.changed:
        _bump_calendar_version()
        _schedule_holiday_recomputes(before, _holiday_sets())
    return result


SHIPPED_TABLE = Path(__file__).resolve().parent / "data" / "bank-holidays.json"


def load_shipped_bank_holidays():
    """Import the table shipped with the product into a calendar that has no published dates at all (a new
    or emptied database). A calendar that has them is left alone: it may hold a newer GOV.UK table."""
    if BankHoliday.objects.filter(source=HolidaySource.PUBLISHED).exists():
        return 0
    result = import_bank_holidays(json.loads(SHIPPED_TABLE.read_text(encoding="utf-8")))
    return result.added


def fetch_bank_holidays(url=None, timeout=30):
    url = url or settings.BANK_HOLIDAYS_URL
    if not url.startswith("https://"):
        raise InvalidInput("The bank holidays address must be https://")
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "casework"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https only, checked above
        return json.loads(response.read().decode("utf-8"))


# --- Recompute open clocks after a calendar change -----------------------------------------------------

# One recompute (or consistency check) at a time across every worker: a PostgreSQL advisory lock held for the
# recompute's transaction. Two at once each read the calendar and the clocks as they were before the other
# wrote, and the later writer's stale dates won.
RECOMPUTE_LOCK = 0x534C_4152_4543  # "SLAREC"


def _lock_recompute():
    """Wait for any other recompute to finish, then hold the lock until this transaction ends (a killed
    worker's session ends with it, and the lock with that). SQLite has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK])
    # The calendar as committed now, not as this process cached it up to a second ago.
    engine.clear_cache()


@dataclass
class RecomputeResult:
    examined: int = 0
    moved: int = 0
    cases: int = 0


def recompute_open_clocks(changes, division=None, *, batch_size=20_000, change_id=None):
    """Recompute every open, running clock whose window contains a changed day; save those whose due date
    moved, in bulk, and write one timeline entry per affected case saying which days caused it.

    `changes`: {date: why}. `division`: limit to clocks counting that division (None: all, for closure days).
    A stopped clock is never rewritten; a paused one gets its date when it resumes.

    `change_id`: the CalendarChange this was queued for. Then every change still pending is carried out
    together, whichever task gets the lock first, and all are marked done in the same transaction: however
    often the tasks run (a retry, a redelivery after a worker died, two workers), each change moves a clock
    once and is named in one entry per case."""
    with transaction.atomic():
        _lock_recompute()
        done = []
        if change_id is not None:
            pending = list(CalendarChange.objects.select_for_update().filter(recomputed_at__isnull=True))
            if not pending:
                return RecomputeResult()
            changes = {}
            for change in pending:
                changes.update({datetime.date.fromisoformat(day): why for day, why in change.changes.items()})
            divisions = {change.division for change in pending}
            division = divisions.pop() if len(divisions) == 1 else None
            division = division or None
            done = [change.pk for change in pending]
        if not changes:
            return RecomputeResult()
        first, last = min(changes), max(changes)
        candidates = Clock.objects.filter(
            stopped_on__isnull=True, status=ClockStatus.RUNNING, started_on__lt=last, due_on__gte=first
        )
        if division:
            candidates = candidates.filter(division=division)
        result, moved = _recompute(candidates, batch_size)
        moved = _write_due_dates(moved)
        sync_case_due_dates({case_id for _, case_id, _, _, _ in moved})
        result.cases = _write_moved_history(moved, changes)
        result.moved = len(moved)
        if done:
            CalendarChange.objects.filter(pk__in=done).update(
                recomputed_at=timezone.now(), examined=result.examined, moved=result.moved
            )
    logger.info(
        "Calendar change: %s open clocks examined, %s moved on %s cases", result.examined, result.moved, result.cases
    )
    return result


def recompute_pending_changes():
    """Carry out every calendar change not recomputed yet: the five-minutely check after a worker died
    mid-recompute, and what `check_deadlines --repair` runs first. Returns the results."""
    first = CalendarChange.objects.filter(recomputed_at__isnull=True).order_by("pk").first()
    if first is None:
        return []
    return [recompute_open_clocks({}, change_id=first.pk)]


def _recompute(candidates, batch_size):
    with_events = set(
        ClockExtension.objects.filter(clock__in=candidates).values_list("clock_id", flat=True).distinct()
    ) | set(ClockPause.objects.filter(clock__in=candidates).values_list("clock_id", flat=True).distinct())
    result = RecomputeResult()
    moved = []  # (clock id, case id, label, old due, new due)
    rows = candidates.order_by().values_list(
        "id", "case_id", "label", "division", "started_on", "target_working_days", "due_on", "fixed_due_on"
    )
    batch = []
    for row in rows.iterator(chunk_size=batch_size):
        batch.append(row)
        if len(batch) >= batch_size:
            moved.extend(_recompute_batch(batch, with_events))
            result.examined += len(batch)
            batch = []
    if batch:
        moved.extend(_recompute_batch(batch, with_events))
        result.examined += len(batch)
    return result, moved


def _recompute_batch(rows, with_events):
    by_division = defaultdict(list)
    for row in rows:
        by_division[row[3]].append(row)
    moved = []
    for division, division_rows in by_division.items():
        calendar = engine.get_calendar(division)
        # A clock with a fixed due date goes the long way, so the date itself never moves, only pauses on it.
        plain = [row for row in division_rows if row[0] not in with_events and row[7] is None]
        if plain:
            starts = np.array([row[4] for row in plain], dtype="datetime64[D]")
            targets = np.array([row[5] for row in plain], dtype=np.int64)
            new_dues = calendar.add_working_days_many(starts, targets).astype(datetime.date)
            for row, new_due in zip(plain, new_dues, strict=True):
                if new_due != row[6]:
                    moved.append((row[0], row[1], row[2], row[6], new_due))
        evented = [row for row in division_rows if row[0] in with_events or row[7] is not None]
        if evented:
            clocks = Clock.objects.filter(pk__in=[row[0] for row in evented]).prefetch_related("extensions", "pauses")
            for clock in clocks:
                new_due = derive_due_on(clock, calendar, list(clock.extensions.all()), list(clock.pauses.all()))
                if new_due != clock.due_on:
                    moved.append((clock.pk, clock.case_id, clock.label, clock.due_on, new_due))
    return moved


def _write_due_dates(moved, batch_size=5_000):
    """Write the new due dates, each only if the clock still has the date it was read with and is still
    running: an extension, pause or stop by an officer meanwhile wins, and its clock is left to that change.
    Returns the moves actually written."""
    if not moved:
        return []
    written = set()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Clock._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(moved), batch_size):
                chunk = moved[start : start + batch_size]
                cursor.execute(
                    f"UPDATE {table} AS clock SET due_on = moved.due_on "  # noqa: S608 - table name from the model
                    "FROM unnest(%s::bigint[], %s::date[], %s::date[]) AS moved(id, due_on, was) "
                    "WHERE clock.id = moved.id AND clock.due_on = moved.was AND clock.stopped_on IS NULL "
                    "AND clock.status = 'running' RETURNING clock.id",
                    [[m[0] for m in chunk], [m[4] for m in chunk], [m[3] for m in chunk]],
                )
                written.update(row[0] for row in cursor.fetchall())
    else:
        for clock_id, _, _, old, new in moved:
            if Clock.objects.filter(
                pk=clock_id, due_on=old, stopped_on__isnull=True, status=ClockStatus.RUNNING
            ).update(due_on=new):
                written.add(clock_id)
    return [m for m in moved if m[0] in written]


def _write_moved_history(moved, changes, kind="deadline_moved", opening="Deadline moved by a calendar change."):
    by_case = defaultdict(list)
    for _, case_id, label, old, new in moved:
        by_case[case_id].append((label, old, new))
    causes = "; ".join(changes[day] for day in sorted(changes)) if changes else ""
    changed_days = sorted(day.isoformat() for day in changes) if changes else []
    now = timezone.now()
    events = []
    for case_id, clocks in by_case.items():
        lines = [f"{label}: due {_format(new)} (was {_format(old)})" for label, old, new in clocks]
        because = f" Because {causes}." if causes else ""
        events.append(
            {
                "case_id": case_id,
                "occurred_at": now,
                "kind": kind,
                "summary": f"{opening} " + "; ".join(lines) + "." + because,
                "data": {
                    "changed_days": changed_days,
                    "clocks": [
                        {"label": label, "from": old.isoformat(), "to": new.isoformat()} for label, old, new in clocks
                    ],
                },
            }
        )
    return bulk_record_events(events)


# --- The consistency check ----------------------------------------------------------------------------


@dataclass
class DeadlineCheck:
    examined: int = 0
    wrong: list = field(default_factory=list)  # (clock id, case id, label, stored due, derived due)
    repaired: int = 0
    pending_changes: int = 0

    def __str__(self):
        repaired = f", {self.repaired} corrected" if self.repaired else ""
        pending = f"; {self.pending_changes} unfinished calendar changes recomputed" if self.pending_changes else ""
        return f"{self.examined} open clocks checked, {len(self.wrong)} wrong{repaired}{pending}"


def check_deadlines(*, repair=False, batch_size=20_000):
    """Derive every open, running clock's due date again from its start, target, pauses and extensions and
    the calendar, and compare it with the stored one. With `repair`, first finish any calendar change whose
    recompute did not complete, then correct every clock still wrong, with a timeline entry on its case."""
    check = DeadlineCheck()
    if repair:
        check.pending_changes = len(recompute_pending_changes())
    with transaction.atomic():
        _lock_recompute()
        candidates = Clock.objects.filter(stopped_on__isnull=True, status=ClockStatus.RUNNING)
        result, wrong = _recompute(candidates, batch_size)
        check.examined, check.wrong = result.examined, wrong
        if repair and wrong:
            written = _write_due_dates(wrong)
            sync_case_due_dates({case_id for _, case_id, _, _, _ in written})
            _write_moved_history(
                written,
                {},
                kind="deadline_corrected",
                opening="Deadline corrected: the stored date differed from the one its events and the calendar give.",
            )
            check.repaired = len(written)
    if check.wrong:
        logger.warning("Deadline check: %s", check)
    else:
        logger.info("Deadline check: %s", check)
    return check
