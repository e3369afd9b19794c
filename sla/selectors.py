"""Reads over the calendar and clocks."""

from dataclasses import dataclass

from sla import engine
from sla.models import BankHoliday, ClosureDay


@dataclass(frozen=True)
class DeadlineExplanation:
    start: object
    working_days: int
    division: str
    due_on: object
    skipped: list


def explain_deadline(start, working_days, division):
    """The due date and every non-working day skipped on the way, with its reason."""
    calendar = engine.get_calendar(division)
    due_on = calendar.add_working_days(start, working_days)
    low, high = sorted((start, due_on))
    return DeadlineExplanation(start, working_days, division, due_on, calendar.skipped_days(low, high))


def upcoming_non_working_days(start, end, division):
    calendar = engine.get_calendar(division)
    return calendar.skipped_days(start, end)


def closure_days():
    return ClosureDay.objects.all()


def bank_holidays(division, year=None):
    holidays = BankHoliday.objects.filter(division=division)
    return holidays.filter(date__year=year) if year else holidays


def clocks_of(case):
    return case.clocks.prefetch_related("extensions", "pauses").order_by("started_on", "id")
