"""The working-day engine: every deadline in the product is computed here.

Counting convention: the start date is day 0, whatever day of the week it is, and "N working days after D"
is the N-th working day strictly after D. Received on Saturday 2024-12-21, "acknowledge within 5 working
days" is due on Tuesday 2024-12-31 (23, 24, 27, 30, 31 December; 25 and 26 are bank holidays).
`working_days_between(start, end)` counts the working days in (start, end], so a response sent on its due
date took exactly N working days.

A working day is Monday to Friday, not a bank holiday of the division the procedure counts, and not a
closure day the council declared. For speed, a calendar precomputes once per calendar version, for every
day in its range, whether it is a working day and how many working days came before it; one deadline is
then two list lookups, and many deadlines are two NumPy gathers.
"""

import datetime
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError

FIRST_YEAR = 1990
LAST_YEAR = 2090
EPOCH = np.datetime64("1970-01-01", "D")


class OutsideCalendarRange(ValidationError, ValueError):
    """A date the working-day calendar does not cover: bad input (a due date in 2095), never a server error.
    A ValidationError, so pages and the API answer it as invalid input (400) with its message, wherever the
    date came in."""

    def __init__(self, message):
        super().__init__(message, code="outside_calendar")

    def __str__(self):
        return self.message


RANGE_TEXT = f"1 January {FIRST_YEAR} to 31 December {LAST_YEAR}"


@dataclass(frozen=True)
class SkippedDay:
    date: datetime.date
    reason: str


@dataclass
class WorkingDayCalendar:
    """Working days between FIRST_YEAR and LAST_YEAR for one division, given its non-working weekdays."""

    division: str
    holidays: dict  # {date: title} for weekday bank holidays
    closures: dict  # {date: reason} for council closure days
    version: int = 0
    first: datetime.date = datetime.date(FIRST_YEAR, 1, 1)
    last: datetime.date = datetime.date(LAST_YEAR, 12, 31)
    _origin: int = field(init=False, repr=False)

    def __post_init__(self):
        self._origin = self.first.toordinal()
        days = self.last.toordinal() - self._origin + 1
        weekday = (np.arange(days) + self.first.weekday()) % 7
        working = weekday < 5
        for day in (*self.holidays, *self.closures):
            offset = day.toordinal() - self._origin
            if 0 <= offset < days:
                working[offset] = False
        self.is_working_array = working
        # cumulative[i]: working days in [first, first + i]; working_offsets[k]: offset of the (k+1)-th.
        self.cumulative_array = np.cumsum(working, dtype=np.int64)
        self.working_offsets_array = np.flatnonzero(working).astype(np.int64)
        self._epoch_shift = self._origin - datetime.date(1970, 1, 1).toordinal()
        # Plain lists make the scalar path faster than indexing NumPy arrays one element at a time.
        self._working = working.tolist()
        self._cumulative = self.cumulative_array.tolist()
        self._working_offsets = self.working_offsets_array.tolist()

    # --- one date at a time ---------------------------------------------------------------------------

    def _offset(self, day):
        offset = day.toordinal() - self._origin
        if not 0 <= offset < len(self._working):
            raise OutsideCalendarRange(
                f"{day:%-d %B %Y} is outside the dates the working-day calendar covers ({RANGE_TEXT})."
            )
        return offset

    def is_working_day(self, day):
        return self._working[self._offset(day)]

    def add_working_days(self, day, n):
        """The n-th working day strictly after `day` (strictly before it when n is negative); `day` for 0."""
        if n == 0:
            return day
        offset = self._offset(day)
        if n > 0:
            index = self._cumulative[offset] + n - 1
        else:
            index = self._cumulative[offset] - self._working[offset] + n
        if not 0 <= index < len(self._working_offsets):
            raise OutsideCalendarRange(
                f"{n} working days from {day:%-d %B %Y} falls outside the dates the working-day calendar covers "
                f"({RANGE_TEXT})."
            )
        return datetime.date.fromordinal(self._origin + self._working_offsets[index])

    def working_days_between(self, start, end):
        """Working days in (start, end]; negative when end is before start."""
        return self._cumulative[self._offset(end)] - self._cumulative[self._offset(start)]

    def next_working_day(self, day):
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day):
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def non_working_reason(self, day):
        if day in self.closures:
            return f"Council closure day: {self.closures[day]}"
        if day in self.holidays:
            return f"Bank holiday: {self.holidays[day]}"
        if day.weekday() >= 5:
            return day.strftime("%A")
        return None

    def skipped_days(self, start, end):
        """The non-working days in (start, end], with the reason each is skipped."""
        skipped = []
        day = start + datetime.timedelta(days=1)
        while day <= end:
            reason = self.non_working_reason(day)
            if reason:
                skipped.append(SkippedDay(day, reason))
            day += datetime.timedelta(days=1)
        return skipped

    # --- many dates at once ---------------------------------------------------------------------------

    def _offsets(self, days):
        offsets = np.asarray(days, dtype="datetime64[D]").astype(np.int64) - self._epoch_shift
        if offsets.size and (offsets.min() < 0 or offsets.max() >= len(self._working)):
            raise OutsideCalendarRange(f"A date is outside the dates the working-day calendar covers ({RANGE_TEXT}).")
        return offsets

    def add_working_days_many(self, days, n):
        """Vectorised `add_working_days`: `days` as datetime64[D] (or dates), `n` a scalar or an array."""
        offsets = self._offsets(days)
        n = np.broadcast_to(np.asarray(n, dtype=np.int64), offsets.shape)
        cumulative = self.cumulative_array[offsets]
        index = np.where(n > 0, cumulative + n - 1, cumulative - self.is_working_array[offsets] + n)
        if index.size and (index.min() < 0 or index.max() >= len(self.working_offsets_array)):
            raise OutsideCalendarRange(
                f"A deadline falls outside the dates the working-day calendar covers ({RANGE_TEXT})."
            )
        result = np.where(n == 0, offsets, self.working_offsets_array[np.clip(index, 0, None)])
        return (result + self._epoch_shift).astype("datetime64[D]")

    def working_days_between_many(self, starts, ends):
        return self.cumulative_array[self._offsets(ends)] - self.cumulative_array[self._offsets(starts)]

    def is_working_day_many(self, days):
        return self.is_working_array[self._offsets(days)]


# --- the per-process cache ----------------------------------------------------------------------------

# How long a process trusts its cached calendar before checking the stored version again. Changes made in
# this process clear the cache at once; other processes see them within this many seconds.
VERSION_CHECK_SECONDS = 1.0

_lock = threading.Lock()
_calendars: dict[str, "WorkingDayCalendar"] = {}
_checked = {"at": 0.0, "version": None}


def _current_version():
    from sla.models import CalendarVersion

    now = time.monotonic()
    if _checked["version"] is None or now - _checked["at"] > VERSION_CHECK_SECONDS:
        _checked["version"] = CalendarVersion.objects.values_list("version", flat=True).first() or 0
        _checked["at"] = now
    return _checked["version"]


def clear_cache():
    with _lock:
        _calendars.clear()
        _checked["version"] = None


def build_calendar(division, version=0):
    """Read the stored bank holidays and closure days and build a calendar for one division."""
    from sla.models import BankHoliday, ClosureDay, HolidaySource
    from sla.rules import rule_holidays

    rows = BankHoliday.objects.filter(division=division).values_list("date", "title", "source")
    published_years = {day.year for day, _, source in rows if source == HolidaySource.PUBLISHED}
    holidays = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        if year not in published_years:
            holidays.update(rule_holidays(division, year))
    holidays.update({day: title for day, title, _ in rows if day.weekday() < 5})
    closures = dict(ClosureDay.objects.values_list("date", "reason"))
    return WorkingDayCalendar(division=division, holidays=holidays, closures=closures, version=version)


def get_calendar(division="england-and-wales"):
    version = _current_version()
    calendar = _calendars.get(division)
    if calendar is None or calendar.version != version:
        with _lock:
            calendar = _calendars.get(division)
            if calendar is None or calendar.version != version:
                calendar = build_calendar(division, version)
                _calendars[division] = calendar
    return calendar


# Module-level shortcuts for the default division; pass `division=` for another.


def add_working_days(day, n, division="england-and-wales"):
    return get_calendar(division).add_working_days(day, n)


def working_days_between(start, end, division="england-and-wales"):
    return get_calendar(division).working_days_between(start, end)


def is_working_day(day, division="england-and-wales"):
    return get_calendar(division).is_working_day(day)


def next_working_day(day, division="england-and-wales"):
    return get_calendar(division).next_working_day(day)
