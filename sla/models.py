"""The working-day calendar (bank holidays, closure days) and the clocks that every case's deadlines run on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Division(models.TextChoices):
    """The divisions of the GOV.UK bank-holidays feed."""

    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class HolidaySource(models.TextChoices):
    PUBLISHED = "published", "Published table (GOV.UK)"
    ADMINISTRATOR = "administrator", "Added by an administrator"


class BankHoliday(models.Model):
    """A bank holiday in one division. Published rows come from the GOV.UK table and, for the years that
    table covers, are the whole truth; years it does not cover fall back to rules (see `sla.rules`).
    An administrator can add a holiday the table does not have yet (a one-off announced at short notice)."""

    division = models.CharField(max_length=20, choices=Division.choices, default=Division.ENGLAND_AND_WALES)
    date = models.DateField()
    title = models.CharField(max_length=200)
    notes = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=15, choices=HolidaySource.choices, default=HolidaySource.ADMINISTRATOR)

    class Meta:
        ordering = ["division", "date"]
        constraints = [models.UniqueConstraint(fields=["division", "date"], name="unique_bank_holiday")]

    def __str__(self):
        return f"{self.date:%a %d %b %Y} {self.title} ({self.get_division_display()})"


class ClosureDay(models.Model):
    """A weekday on which the council is closed (for example between Christmas and New Year): not a
    working day for any deadline, whichever division a procedure counts."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%a %d %b %Y}: {self.reason}"


class CalendarVersion(models.Model):
    """A counter bumped on every calendar change, so each process knows when its cached calendar is stale."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar version {self.version}"


class ClockKind(models.TextChoices):
    """What a clock times. With the stage, it says which target of a case a clock is."""

    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    RESPONSE = "response", "Full response"
    INFORMATION_REQUEST = "information_request", "Reply to a request for information"
    CONTRIBUTION = "contribution", "A service's contribution to a reply"
    ORDER = "order", "Compliance with an order or recommendation"


class ClockStatus(models.TextChoices):
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    STOPPED = "stopped", "Stopped"


class Clock(models.Model):
    """A target on a case: 'acknowledge stage 1 within 5 working days', 'respond within 10 working days of
    the acknowledgement', 'answer the ombudsman's information request by ...'.

    `due_on` is stored (and indexed) for queues and reports, but it is always derivable again from
    `started_on`, `target_working_days` (or `fixed_due_on`), the pauses and extensions, and the calendar: see
    `sla.services.derive_due_on`. While a clock is paused it has no due date."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=20, choices=ClockKind.choices)
    stage = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The complaint stage it belongs to; empty for other kinds of case."
    )
    label = models.CharField(max_length=120, help_text="What the target is, in words, e.g. 'Respond to stage 1'.")
    division = models.CharField(max_length=20, choices=Division.choices, default=Division.ENGLAND_AND_WALES)
    started_on = models.DateField(help_text="Day 0 of the count.")
    target_working_days = models.PositiveIntegerField()
    fixed_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="A date set by someone outside the council (an ombudsman's deadline): calendar changes do not "
        "move it. Empty when the due date counts working days from the start.",
    )
    extension_cap_working_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most working days extensions may add without a manager's approval."
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ClockStatus.choices, default=ClockStatus.RUNNING)
    paused_since = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True, help_text="Stopped on or before its due date.")
    working_days_taken = models.IntegerField(
        null=True, blank=True, help_text="Working days from start to stop, less paused days."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [
            models.Index(fields=["due_on"], name="clock_open_due_idx", condition=Q(stopped_on__isnull=True)),
            models.Index(fields=["case", "kind", "stage"], name="clock_case_kind_idx"),
            models.Index(fields=["kind", "stopped_on"], name="clock_kind_stopped_idx"),
            # The reports' acknowledgements made in a period (reporting.selectors.acknowledgement_counts): a
            # year's stage acknowledgement clocks read from the index alone.
            models.Index(
                fields=["stopped_on"],
                name="clock_acknowledged_idx",
                include=["case", "stage", "met"],
                condition=Q(kind="acknowledgement", stage__isnull=False, stopped_on__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="stopped", stopped_on__isnull=False)
                | (~Q(status="stopped") & Q(stopped_on__isnull=True)),
                name="clock_stopped_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="paused", paused_since__isnull=False, due_on__isnull=True)
                | (~Q(status="paused") & Q(paused_since__isnull=True, due_on__isnull=False)),
                name="clock_due_date_unless_paused",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.case_id})"

    @property
    def is_open(self):
        return self.stopped_on is None


class ClockExtension(models.Model):
    """An extension, kept as an event so the original target and every change to it stay on record
    (the regulator's CH02 counts Code-compliant extensions as in time)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="extensions")
    granted_on = models.DateField()
    extra_working_days = models.PositiveIntegerField(null=True, blank=True)
    new_due_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    resident_told_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The manager who approved an extension beyond the cap.",
    )
    beyond_cap = models.BooleanField(default=False)
    approval_reason = models.TextField(
        blank=True, default="", db_default="", help_text="The manager's good reason for an extension beyond the cap."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["granted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extra_working_days__isnull=False, new_due_on__isnull=True)
                | Q(extra_working_days__isnull=True, new_due_on__isnull=False),
                name="extension_days_or_date",
            )
        ]

    def __str__(self):
        change = f"+{self.extra_working_days} working days" if self.extra_working_days else f"to {self.new_due_on}"
        return f"Extension {change} for clock {self.clock_id}"


class ClockPause(models.Model):
    """A period in which the clock did not run (for example while waiting for the resident's evidence)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField()
    resumed_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["paused_on", "id"]

    def __str__(self):
        return f"Pause of clock {self.clock_id} from {self.paused_on}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Reminder before the due date"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue: escalated to the team manager"
    OVERDUE_FURTHER = "overdue_further", "Still overdue: escalated to the head of service"


class SweepNotice(models.Model):
    """A notice the deadline sweep sent about a clock. Unique per clock, kind and due date, so a retry, a
    second worker or a second run on the same day never sends it twice, while a due date moved by an
    extension or a calendar change gets fresh notices."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    due_on = models.DateField()
    sweep_date = models.DateField(help_text="The day whose sweep sent it.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notification = models.ForeignKey(
        "casework.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "kind", "due_on"], name="unique_sweep_notice"),
        ]
        indexes = [models.Index(fields=["sweep_date"], name="notice_sweep_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} for clock {self.clock_id} due {self.due_on}"


class CalendarChange(models.Model):
    """A change to the calendar whose open clocks must be recomputed (an outbox row).

    Written in the same transaction as the change itself and marked recomputed in the same transaction as
    the recompute's writes, so a recompute whose worker was killed leaves its change pending, and the next
    run (the retried task, or the five-minutely check) does it. `changes`: {"YYYY-MM-DD": why}."""

    changes = models.JSONField()
    division = models.CharField(max_length=20, choices=Division.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    recomputed_at = models.DateTimeField(null=True, blank=True)
    examined = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], name="calendar_change_pending_idx", condition=Q(recomputed_at__isnull=True))
        ]

    def __str__(self):
        state = f"recomputed {self.recomputed_at:%Y-%m-%d %H:%M}" if self.recomputed_at else "pending"
        return f"Calendar change {self.pk} ({', '.join(sorted(self.changes))}; {state})"
