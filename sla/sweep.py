"""The daily deadline sweep over every open clock of every case type.

For each running clock it sends, once per clock, kind and due date:
- a reminder to the handler N working days before the due date (N = SWEEP_REMINDER_WORKING_DAYS, default 2),
- a notice to the handler on the day it is due,
- an escalation to the team manager once it is overdue,
- an escalation to the head of service once it has been overdue for more than N working days.

Exactly once: for each kind, one INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING writes the notice rows
(unique per clock, kind and due date) and says which ones this run wrote; only those get an in-app
notification, in the same transaction. A second run, a second worker or a retry after a crash writes nothing
new; a crash before commit leaves nothing behind. Emails go through the notifications' outbox after commit
(casework.services.deliver_pending_emails). A moved due date (extension, calendar change) is a new key, so it
gets fresh notices. The work is set-based: a handful of statements per kind, whatever the number of clocks.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from casework.bulk import copy_rows, next_ids
from casework.models import Case, Notification, Team
from casework.services import send_pending_emails
from sla import engine
from sla.models import Clock, ClockStatus, NoticeKind, SweepNotice

logger = logging.getLogger(__name__)

BATCH = 10_000


@dataclass
class SweepResult:
    day: object
    skipped: str = ""
    sent: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.sent.values())

    def __str__(self):
        if self.skipped:
            return f"{self.day}: no sweep ({self.skipped})"
        parts = ", ".join(f"{count} {kind}" for kind, count in sorted(self.sent.items())) or "nothing new to send"
        return f"{self.day}: sent {parts}"


def reminder_working_days():
    return getattr(settings, "SWEEP_REMINDER_WORKING_DAYS", 2)


def run_deadline_sweep(day=None, *, force=False):
    """Sweep for `day` (default today). Nothing on a weekend, bank holiday or closure day unless forced."""
    day = day or timezone.localdate()
    calendar = engine.get_calendar()
    result = SweepResult(day)
    if not force and not calendar.is_working_day(day):
        result.skipped = calendar.non_working_reason(day) or "not a working day"
        return result
    n = reminder_working_days()
    conditions = {
        NoticeKind.REMINDER: ("due_on > %s AND due_on <= %s", [day, calendar.add_working_days(day, n)]),
        NoticeKind.DUE_TODAY: ("due_on = %s", [day]),
        NoticeKind.OVERDUE: ("due_on < %s", [day]),
        NoticeKind.OVERDUE_FURTHER: ("due_on < %s", [calendar.add_working_days(day, -n)]),
    }
    for kind, (condition, params) in conditions.items():
        sent = _sweep_kind(kind, condition, params, day)
        if sent:
            result.sent[str(kind)] = sent
    logger.info("Deadline sweep %s", result)
    return result


@transaction.atomic
def _sweep_kind(kind, condition, params, day):
    inserted = _insert_notices(kind, condition, params, day)
    for start in range(0, len(inserted), BATCH):
        _notify(kind, inserted[start : start + BATCH], day)
    if inserted:
        transaction.on_commit(send_pending_emails)
    return len(inserted)


def _insert_notices(kind, condition, params, day):
    """Write this kind's notices for every running clock that meets the condition and has none for its
    due date yet; return (clock id, due date) of the rows written by this call."""
    notices = connection.ops.quote_name(SweepNotice._meta.db_table)
    clocks = connection.ops.quote_name(Clock._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {notices} (clock_id, kind, due_on, sweep_date, created_at) "  # noqa: S608 - model names
            f"SELECT id, %s, due_on, %s, %s FROM {clocks} "
            f"WHERE stopped_on IS NULL AND status = %s AND due_on IS NOT NULL AND {condition} "
            "ON CONFLICT (clock_id, kind, due_on) DO NOTHING RETURNING clock_id, due_on",
            [str(kind), day, timezone.now(), ClockStatus.RUNNING, *params],
        )
        return cursor.fetchall()


def _notify(kind, inserted, day):
    """One in-app notification (email to follow) per notice written, linked back to its notice."""
    clock_ids = [clock_id for clock_id, _ in inserted]
    clocks = {
        row["id"]: row
        for row in Clock.objects.filter(pk__in=clock_ids).values(
            "id",
            "label",
            "due_on",
            "case_id",
            "case__reference",
            "case__summary",
            "case__kind",
            "case__assigned_to_id",
            "case__team_id",
        )
    }
    team_ids = {row["case__team_id"] for row in clocks.values() if row["case__team_id"]}
    teams = {t["id"]: t for t in Team.objects.filter(pk__in=team_ids).values("id", "manager_id", "head_of_service_id")}
    duty = _duty_manager_id()
    emails = dict(get_user_model().objects.exclude(email="").values_list("id", "email"))
    now = timezone.now()
    rows, links = [], []
    first_id = next_ids(Notification, len(inserted))
    for clock_id, due_on in inserted:
        clock = clocks[clock_id]
        team = teams.get(clock["case__team_id"], {})
        if kind in (NoticeKind.REMINDER, NoticeKind.DUE_TODAY):
            recipient = clock["case__assigned_to_id"] or team.get("manager_id") or duty
        elif kind == NoticeKind.OVERDUE:
            recipient = team.get("manager_id") or duty
        else:
            recipient = team.get("head_of_service_id") or duty
        if recipient is None:
            continue
        notification_id = first_id + len(rows)
        subject, body = _wording(clock, kind, day)
        url = Case(kind=clock["case__kind"], reference=clock["case__reference"]).get_absolute_url()
        rows.append(
            (
                notification_id,
                recipient,
                clock["case_id"],
                f"deadline_{kind}",
                subject[:200],
                body,
                url,
                now,
                recipient in emails,
            )
        )
        links.append((clock_id, due_on, recipient, notification_id))
    copy_rows(
        Notification,
        ["id", "recipient_id", "case_id", "kind", "subject", "body", "url", "created_at", "email_wanted"],
        rows,
    )
    _link(kind, links)


def _link(kind, links):
    """Record on each notice who was told and by which notification."""
    if not links:
        return
    if connection.vendor != "postgresql":
        for clock_id, due_on, recipient, notification_id in links:
            SweepNotice.objects.filter(clock_id=clock_id, kind=kind, due_on=due_on).update(
                recipient_id=recipient, notification_id=notification_id
            )
        return
    table = connection.ops.quote_name(SweepNotice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS notice SET recipient_id = linked.recipient_id, "  # noqa: S608 - model table name
            "notification_id = linked.notification_id "
            "FROM unnest(%s::bigint[], %s::date[], %s::bigint[], %s::bigint[]) "
            "AS linked(clock_id, due_on, recipient_id, notification_id) "
            "WHERE notice.kind = %s AND notice.clock_id = linked.clock_id AND notice.due_on = linked.due_on",
            [
                [link[0] for link in links],
                [link[1] for link in links],
                [link[2] for link in links],
                [link[3] for link in links],
                str(kind),
            ],
        )


def _duty_manager_id():
    duty = get_user_model().objects.filter(officer__is_duty_senior_manager=True, is_active=True).order_by("id")
    return duty.values_list("id", flat=True).first()


def _wording(clock, kind, day):
    due = clock["due_on"].strftime("%a %-d %b %Y")
    what = f"{clock['label']} on {clock['case__reference']}"
    summary = clock["case__summary"]
    if kind == NoticeKind.REMINDER:
        days = engine.working_days_between(day, clock["due_on"])
        return f"Due in {days} working day{'s' if days != 1 else ''}: {what}", f"{what} is due {due}. {summary}"
    if kind == NoticeKind.DUE_TODAY:
        return f"Due today: {what}", f"{what} is due today, {due}. {summary}"
    overdue = engine.working_days_between(clock["due_on"], day)
    late = f"{overdue} working day{'s' if overdue != 1 else ''} overdue"
    if kind == NoticeKind.OVERDUE:
        return f"Overdue: {what}", f"{what} was due {due} and is {late}. {summary}"
    return f"Still overdue: {what}", f"{what} was due {due} and is {late}; escalated to the head of service. {summary}"
