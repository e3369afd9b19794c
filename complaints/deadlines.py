"""Which clocks a complaint stage runs: the one rule, used by the services, the importer and the data generator.

A pure function of the stage's definition (its procedure's targets) and its dates, so a complaint logged
through the pages, imported from another system or generated for a benchmark gets the same deadlines.

- The acknowledgement clock runs from the stage's request (receipt, or the escalation request) when the
  procedure sets an acknowledgement target.
- The response clock runs from the request when the procedure counts from receipt (or has no acknowledgement
  step); otherwise from the acknowledgement, but never from later than the acknowledgement's last allowed day:
  a late acknowledgement is a breach of its own and cannot buy the response more time (Code 2024, 6.2 and 6.3:
  acknowledged "within five working days of the complaint being received", answered "within 10 working days of
  the complaint being acknowledged")."""

import datetime
from dataclasses import dataclass

from sla.models import ClockKind


@dataclass(frozen=True)
class StageClock:
    kind: str
    stage: int
    label: str
    started_on: datetime.date
    working_days: int | None
    extension_cap: int | None = None
    due_on: datetime.date | None = None  # a date agreed with the complainant rather than counted


def _counts_from_request(definition):
    from complaints.models import ResponseClockStart

    return definition.respond_from == ResponseClockStart.RECEIPT or definition.acknowledge_within is None


def acknowledgement_due_on(definition, requested_on, calendar):
    if definition.acknowledge_within is None:
        return None
    return calendar.add_working_days(requested_on, definition.acknowledge_within)


def response_starts_on(definition, *, requested_on, acknowledged_on, calendar):
    """Day 0 of the stage's response deadline, or None while it waits for the acknowledgement."""
    if _counts_from_request(definition):
        return requested_on
    if acknowledged_on is None:
        return None
    return min(acknowledged_on, acknowledgement_due_on(definition, requested_on, calendar))


def stage_clocks(definition, *, requested_on, acknowledged_on=None, calendar, agreed_on=None):
    """The clocks the stage has run by now: its acknowledgement clock (if the procedure sets a target) and its
    response clock once it has started. A reopened stage starts them again from the day it was reopened.

    Where the response date is agreed with the complainant (adults' social care: `response_agreed`), the
    response clock runs to the agreed date `agreed_on`, and has not started until one is agreed."""
    name = definition.name.lower()
    clocks = []
    if definition.acknowledge_within is not None:
        clocks.append(
            StageClock(
                ClockKind.ACKNOWLEDGEMENT, definition.number, f"Acknowledge {name}", requested_on,
                definition.acknowledge_within,
            )
        )  # fmt: skip
    start = response_starts_on(
        definition, requested_on=requested_on, acknowledged_on=acknowledged_on, calendar=calendar
    )
    if definition.response_agreed:
        if agreed_on is not None:
            clocks.append(
                StageClock(
                    ClockKind.RESPONSE, definition.number, f"Respond to {name} (date agreed)", start or requested_on,
                    None, None, agreed_on,
                )
            )  # fmt: skip
    elif start is not None:
        clocks.append(
            StageClock(
                ClockKind.RESPONSE, definition.number, f"Respond to {name}", start, definition.respond_within,
                definition.extension_cap,
            )
        )  # fmt: skip
    return clocks


def latest_agreed_date(definition, requested_on):
    """The latest response date that may be agreed (six months after receipt for adults' social care)."""
    months = definition.agreed_within_months
    if not months:
        return None
    year, month = divmod(requested_on.month - 1 + months, 12)
    year, month = requested_on.year + year, month + 1
    for day in (requested_on.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(requested_on)


def response_clock(definition, *, requested_on, acknowledged_on, calendar, agreed_on=None):
    """The stage's response clock, or None while it waits for the acknowledgement (or the agreed date)."""
    for clock in stage_clocks(
        definition, requested_on=requested_on, acknowledged_on=acknowledged_on, calendar=calendar, agreed_on=agreed_on
    ):
        if clock.kind == ClockKind.RESPONSE:
            return clock
    return None
