"""Learning from complaints: learning action plans (what went wrong, the action that addresses the cause, the
evidence it was implemented), who leads learning for each service, service commitments per municipal year,
and managers' root-cause reviews of complaints upheld again."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casework.models import ServiceArea

# --- Who leads learning for a service -----------------------------------------------------------------


class LearningLead(models.Model):
    """The officer who completes a service's monthly learning action plan. Where none is set, the plan goes
    to the manager of the team that covers the service (the first such team by name); see
    `learning.services.lead_for`."""

    service_area = models.OneToOneField(ServiceArea, on_delete=models.CASCADE, related_name="learning_lead")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="learning_leads",
        help_text="Receives the service's monthly learning action plan and its reminders.",
    )

    class Meta:
        ordering = ["service_area__name"]

    def __str__(self):
        return f"{self.officer} leads learning for {self.service_area}"


# --- Learning action plans ----------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    VERIFIED = "verified", "Evidence verified"


OPEN_PLAN_STATUSES = (PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS)


class PlanOrigin(models.TextChoices):
    MONTHLY_CYCLE = "monthly_cycle", "Monthly cycle (upheld complaints)"
    MANUAL = "manual", "Opened by an officer"
    OMBUDSMAN = "ombudsman", "Ombudsman's finding of fault"


class LearningActionPlan(models.Model):
    """One service's learning from its upheld or partly upheld complaints in a month (seed 002 figure 1).

    What the plan learns from is in `LearningSource` rows, one per source, so a plan can cover several
    complaints and, later, ombudsman findings, without the plan itself changing."""

    reference = models.CharField(max_length=30, unique=True)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="learning_plans")
    month = models.DateField(help_text="First day of the month whose upheld complaints the plan covers.")
    origin = models.CharField(max_length=20, choices=PlanOrigin.choices, default=PlanOrigin.MANUAL)
    what_went_wrong = models.TextField(
        blank=True, help_text="A summarised, high-level account of what led to the complaints being upheld."
    )
    action_to_address_cause = models.TextField(
        "action to address the cause",
        blank=True,
        help_text="What the service (or its contractors) will do about the cause so it does not happen again.",
    )
    evidence_of_implementation = models.TextField(
        "evidence of implementation",
        blank=True,
        help_text="What confirms the learning was implemented: new processes, monitoring, training records.",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="learning_plans"
    )
    due_on = models.DateField("timescale", help_text="The date the action must be implemented by.")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED)
    implemented_on = models.DateField(null=True, blank=True)
    implemented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who marked it implemented: never the one who verifies it.",
    )
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_on = models.DateField(default=timezone.localdate, help_text="The day the plan was opened.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-month", "service_area__name", "-id"]
        constraints = [
            # The monthly cycle opens one plan per service and month, however often it runs.
            models.UniqueConstraint(
                fields=["service_area", "month"],
                condition=Q(origin="monthly_cycle"),
                name="one_cycle_plan_per_service_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="plan_month_is_first_day"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="plan_status_due_idx"),
            models.Index(fields=["service_area", "month"], name="plan_area_month_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.service_area}, {self.month:%B %Y}"

    def get_absolute_url(self):
        return reverse("learning:plan", args=[self.reference])

    @property
    def is_open(self):
        return self.status in OPEN_PLAN_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.due_on < (today or timezone.localdate())


class LearningSource(models.Model):
    """Something a plan learns from: one stage of a complaint that was upheld or partly upheld, or one
    ombudsman's finding of fault (maladministration, service failure; upheld by the LGSCO).

    Each kind of source is its own nullable foreign key, and a check constraint says exactly one is set."""

    plan = models.ForeignKey(LearningActionPlan, on_delete=models.CASCADE, related_name="sources")
    complaint_stage = models.OneToOneField(
        "complaints.ComplaintStage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_source",
        help_text="An upheld or partly upheld stage of a complaint; each is learned from in one plan.",
    )
    finding = models.OneToOneField(
        "ombudsman.Finding",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_source",
        help_text="An ombudsman's finding of fault; each is learned from in one plan.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why it belongs to this plan, if not obvious.")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint_stage__isnull=False, finding__isnull=True)
                | Q(complaint_stage__isnull=True, finding__isnull=False),
                name="learning_source_has_one_source",
            ),
        ]

    def __str__(self):
        return f"Source of {self.plan_id}"

    @property
    def case(self):
        """The complaint or ombudsman case the source belongs to."""
        if self.complaint_stage_id:
            return self.complaint_stage.complaint
        return self.finding.determination.case


def evidence_path(instance, filename):
    return f"learning/{timezone.now():%Y/%m}/{instance.plan_id}/{filename}"


class EvidenceFile(models.Model):
    """A document that evidences the learning was implemented (a new procedure, a training record)."""

    plan = models.ForeignKey(LearningActionPlan, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class PlanEvent(models.Model):
    """One thing that happened to a plan, in words for the file (opened, updated, implemented, verified)."""

    plan = models.ForeignKey(LearningActionPlan, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    summary = models.TextField()

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.plan_id} {self.kind}"


class ChaseKind(models.TextChoices):
    PLAN_OVERDUE = "plan_overdue", "Learning action plan overdue (to the lead officer)"
    PLAN_STILL_OVERDUE = "plan_still_overdue", "Learning action plan still overdue (to the head of service)"
    ACTION_OVERDUE = "action_overdue", "Action promised in a response overdue (to its owner)"


class Chase(models.Model):
    """A chase sent about an overdue plan or promised action. Unique per item, kind and due date, so a second
    run, a second worker or a retry never chases twice, while a new due date gets a fresh chase."""

    kind = models.CharField(max_length=30, choices=ChaseKind.choices)
    plan = models.ForeignKey(LearningActionPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    response_action = models.ForeignKey(
        "complaints.ResponseAction", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    chased_on = models.DateField(help_text="The day whose chase sent it.")
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
            models.UniqueConstraint(
                fields=["plan", "kind", "due_on"], condition=Q(plan__isnull=False), name="unique_plan_chase"
            ),
            models.UniqueConstraint(
                fields=["response_action", "kind", "due_on"],
                condition=Q(response_action__isnull=False),
                name="unique_action_chase",
            ),
            models.CheckConstraint(
                condition=Q(plan__isnull=False, response_action__isnull=True)
                | Q(plan__isnull=True, response_action__isnull=False),
                name="chase_has_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on}"


# --- Root-cause analysis of repeat-upheld complaints ----------------------------------------------------


class RootCauseReview(models.Model):
    """A manager's root-cause analysis of a complaint flagged as upheld again within 12 months."""

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE, related_name="root_cause")
    cause = models.TextField(help_text="What keeps causing these complaints, and what is being done about it.")
    plan = models.ForeignKey(
        LearningActionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="root_cause_reviews",
        help_text="The learning action plan that takes the cause forward, if any.",
    )
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Root cause of {self.complaint_id}"


# --- Service commitments ------------------------------------------------------------------------------


def third_wednesday_of_may(year):
    """When a year's annual council meeting is not recorded yet, the municipal year is taken to start on the
    third Wednesday of May (annual meetings are held in May; an administrator records the real date)."""
    first = datetime.date(year, 5, 1)
    return first + datetime.timedelta(days=(2 - first.weekday()) % 7 + 14)


class MunicipalYear(models.Model):
    """A council's municipal year: from its annual council meeting in May to the day before the next one."""

    year = models.PositiveSmallIntegerField(unique=True, help_text="The calendar year it starts in, e.g. 2025.")
    starts_on = models.DateField(
        unique=True, help_text="The date of the annual council meeting that opens the year (in May)."
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def clean(self):
        if self.starts_on and self.year and self.starts_on.year != self.year:
            raise ValidationError({"starts_on": f"The {self.label} municipal year must start in {self.year}."})

    @property
    def ends_on(self):
        following = MunicipalYear.objects.filter(year=self.year + 1).values_list("starts_on", flat=True).first()
        return (following or third_wednesday_of_may(self.year + 1)) - datetime.timedelta(days=1)


class CommitmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CARRIED_OVER = "carried_over", "Carried over to the next year"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ServiceCommitment(models.Model):
    """A service's commitment for a municipal year, fed by its lessons learnt, with the progress the service
    reports (seed 002 figure 2). Not done by the end of the year: carried over to the next one."""

    municipal_year = models.ForeignKey(MunicipalYear, on_delete=models.PROTECT, related_name="commitments")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="service_commitments")
    commitment = models.TextField(help_text="What the service commits to doing this year.")
    progress_summary = models.TextField(blank=True, help_text="Progress provided by the service.")
    status = models.CharField(max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.IN_PROGRESS)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plans = models.ManyToManyField(
        LearningActionPlan,
        blank=True,
        related_name="commitments",
        help_text="The learning action plans whose lessons led to it.",
    )
    carried_over_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_over_to",
        help_text="Last year's commitment this continues.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-municipal_year__year", "service_area__name", "id"]
        indexes = [models.Index(fields=["municipal_year", "service_area"], name="commitment_year_area_idx")]

    def __str__(self):
        return self.commitment[:80]

    def get_absolute_url(self):
        return reverse("learning:commitments") + f"?year={self.municipal_year.year}&service_area={self.service_area_id}"
