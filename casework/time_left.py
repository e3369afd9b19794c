"""Time left until a deadline, in working days, in the words and urgency shown in queues and case pages."""

from dataclasses import dataclass

from django.utils import timezone

from sla import engine

SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class TimeLeft:
    state: str  # overdue, today, soon, ok, none
    working_days: int | None
    label: str


def time_left(due_on, today=None, division="england-and-wales"):
    if due_on is None:
        return TimeLeft("none", None, "No deadline running")
    today = today or timezone.localdate()
    if due_on < today:
        days = engine.working_days_between(due_on, today, division=division)
        return TimeLeft("overdue", -days, f"Overdue by {days} working day{'s' if days != 1 else ''}")
    if due_on == today:
        return TimeLeft("today", 0, "Due today")
    days = engine.working_days_between(today, due_on, division=division)
    state = "soon" if days <= SOON_WORKING_DAYS else "ok"
    return TimeLeft(state, days, f"{days} working day{'s' if days != 1 else ''} left")
