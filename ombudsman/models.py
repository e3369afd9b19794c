"""Ombudsman cases: the Housing Ombudsman's or the Local Government and Social Care Ombudsman's look at a
complaint that went through the council's procedure; their requests for information and the council's one
consolidated reply; the determination with its findings, orders and recommendations, and the evidence that
the council complied."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from casework.case_urls import case_page_url
from casework.models import CASE_PAGES, CASE_STATUS_CHOICES, Case, CaseKind, Ombudsman


class OmbudsmanStage(models.TextChoices):
    """Where the ombudsman has got to. Stored as the case's status; the transitions between stages are in
    `ombudsman.services.ALLOWED_FROM`."""

    ENQUIRY = "enquiry", "Enquiry"
    ASSESSMENT = "assessment", "Assessment"
    INFORMATION_REQUESTED = "information_requested", "Request for information"
    INVESTIGATION = "investigation", "Investigation"
    DETERMINATION = "determination", "Determination"
    CLOSED = "closed", "Closed"


OPEN_STAGES = (
    OmbudsmanStage.ENQUIRY,
    OmbudsmanStage.ASSESSMENT,
    OmbudsmanStage.INFORMATION_REQUESTED,
    OmbudsmanStage.INVESTIGATION,
    OmbudsmanStage.DETERMINATION,
)
CASE_STATUS_CHOICES[CaseKind.OMBUDSMAN] = OmbudsmanStage.choices
CASE_PAGES[CaseKind.OMBUDSMAN] = "ombudsman:detail"


class OmbudsmanCase(Case):
    ombudsman = models.CharField(max_length=10, choices=Ombudsman.choices)
    ombudsman_reference = models.CharField(
        max_length=60, blank=True, help_text="The ombudsman's own reference, quoted in every reply."
    )
    ombudsman_contact = models.CharField(
        max_length=200, blank=True, help_text="The ombudsman's caseworker or investigator, with their email."
    )
    original_complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ombudsman_cases",
        help_text="The complaint that went through the council's procedure before the resident went to the ombudsman.",
    )
    description = models.TextField(blank=True, help_text="What the resident asked the ombudsman to look at.")
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ombudsman", "ombudsman_reference"],
                condition=~Q(ombudsman_reference=""),
                name="unique_ombudsman_reference",
            )
        ]

    def get_absolute_url(self):
        return case_page_url("ombudsman:detail", self.reference)

    @property
    def stage(self):
        return self.status

    def get_stage_display(self):
        return OmbudsmanStage(self.status).label


# --- Requests for information -------------------------------------------------------------------------


class InformationRequest(models.Model):
    """The ombudsman's request for information, with their deadline. The complaints team collects
    contributions from the services and sends one consolidated reply, which stops the clock."""

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="information_requests")
    received_on = models.DateField(help_text="The day the request reached the council.")
    due_on = models.DateField(help_text="The ombudsman's deadline for the reply.")
    details = models.TextField(help_text="What the ombudsman asked for.")
    clock = models.OneToOneField(
        "sla.Clock", on_delete=models.SET_NULL, null=True, blank=True, related_name="information_request"
    )
    reply_sent_on = models.DateField(null=True, blank=True)
    reply_summary = models.TextField(blank=True)
    reply_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self):
        return f"Request for information of {self.received_on:%d %b %Y} on {self.case.reference}"

    @property
    def is_open(self):
        return self.reply_sent_on is None


class ServiceContribution(models.Model):
    """A service's part of the reply to an information request: who was asked, by when, and when it came."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="contributions")
    service_area = models.ForeignKey("casework.ServiceArea", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    due_on = models.DateField()
    details = models.TextField(blank=True, help_text="What the service was asked to provide.")
    received_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="What the service sent.")
    clock = models.OneToOneField(
        "sla.Clock", on_delete=models.SET_NULL, null=True, blank=True, related_name="service_contribution"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.service_area} contribution to {self.request}"

    @property
    def is_outstanding(self):
        return self.received_on is None


# --- The determination --------------------------------------------------------------------------------


class FindingCategory(models.Model):
    """What a finding is about, as the ombudsman categorises it (property condition, complaints handling,
    ...). An editable list: an administrator adds or retires categories in the admin."""

    name = models.CharField(max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Order in lists and reports.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "finding categories"

    def __str__(self):
        return self.name


class FindingOutcome(models.TextChoices):
    # The Housing Ombudsman's findings.
    SEVERE_MALADMINISTRATION = "severe_maladministration", "Severe maladministration"
    MALADMINISTRATION = "maladministration", "Maladministration"
    SERVICE_FAILURE = "service_failure", "Service failure"
    MEDIATION = "mediation", "Mediation"
    REDRESS = "redress", "Redress"
    NO_MALADMINISTRATION = "no_maladministration", "No maladministration"
    OUTSIDE_JURISDICTION = "outside_jurisdiction", "Outside jurisdiction"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # The Local Government and Social Care Ombudsman's decisions.
    UPHELD = "upheld", "Upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries", "Closed after initial enquiries"


# Which outcomes each ombudsman gives, in the order their reports print them.
OUTCOMES_BY_OMBUDSMAN = {
    Ombudsman.HOUSING: [
        FindingOutcome.SEVERE_MALADMINISTRATION,
        FindingOutcome.MALADMINISTRATION,
        FindingOutcome.SERVICE_FAILURE,
        FindingOutcome.MEDIATION,
        FindingOutcome.REDRESS,
        FindingOutcome.NO_MALADMINISTRATION,
        FindingOutcome.OUTSIDE_JURISDICTION,
        FindingOutcome.WITHDRAWN,
    ],
    Ombudsman.LGSCO: [
        FindingOutcome.UPHELD,
        FindingOutcome.NOT_UPHELD,
        FindingOutcome.CLOSED_AFTER_INITIAL_ENQUIRIES,
    ],
}

# Service failure is a form of maladministration (the Housing Ombudsman's own note under its table).
MALADMINISTRATION_OUTCOMES = (
    FindingOutcome.SEVERE_MALADMINISTRATION,
    FindingOutcome.MALADMINISTRATION,
    FindingOutcome.SERVICE_FAILURE,
)
# Left out of the maladministration rate's denominator.
NOT_INVESTIGATED_OUTCOMES = (FindingOutcome.OUTSIDE_JURISDICTION, FindingOutcome.WITHDRAWN)
# Findings that the council was at fault, whichever ombudsman: these open learning.
FAULT_OUTCOMES = (*MALADMINISTRATION_OUTCOMES, FindingOutcome.UPHELD)


class Determination(models.Model):
    """The ombudsman's decision on a case: one finding per complaint head, and orders and recommendations."""

    case = models.OneToOneField(OmbudsmanCase, on_delete=models.CASCADE, related_name="determination")
    determined_on = models.DateField(help_text="The date of the ombudsman's determination; reports count by it.")
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["determined_on"], name="determination_date_idx")]

    def __str__(self):
        return f"Determination of {self.determined_on:%d %b %Y} on {self.case.reference}"


class Finding(models.Model):
    determination = models.ForeignKey(Determination, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField(help_text="The finding's number in the determination, from 1.")
    complaint_head = models.CharField(max_length=300, help_text="The part of the complaint this finding is on.")
    category = models.ForeignKey(FindingCategory, on_delete=models.PROTECT, related_name="findings")
    outcome = models.CharField(max_length=40, choices=FindingOutcome.choices)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["determination", "number"]
        constraints = [models.UniqueConstraint(fields=["determination", "number"], name="unique_finding_number")]
        indexes = [models.Index(fields=["category", "outcome"], name="finding_category_outcome_idx")]

    def __str__(self):
        return f"{self.complaint_head}: {self.get_outcome_display()}"

    @property
    def is_maladministration(self):
        return self.outcome in FAULT_OUTCOMES


class OrderKind(models.TextChoices):
    ORDER = "order", "Order"
    RECOMMENDATION = "recommendation", "Recommendation"


class OrderType(models.TextChoices):
    COMPENSATION = "compensation", "Compensation"
    REPAIRS = "repairs", "Repairs"
    APOLOGY = "apology", "Apology"
    STAFF_TRAINING = "staff_training", "Staff training"
    POLICY_REVIEW = "policy_review", "Policy review"
    OTHER = "other", "Other"


class Order(models.Model):
    """An order or a recommendation of the determination, with its due date and the council's evidence
    of compliance (text here, documents as the case's attachments)."""

    determination = models.ForeignKey(Determination, on_delete=models.CASCADE, related_name="orders")
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        help_text="The finding it remedies; compensation is reported by its finding's category.",
    )
    kind = models.CharField(max_length=20, choices=OrderKind.choices, default=OrderKind.ORDER)
    order_type = models.CharField(max_length=20, choices=OrderType.choices)
    description = models.CharField(max_length=500, blank=True)
    amount_pence = models.PositiveIntegerField(null=True, blank=True, help_text="Compensation, in pence.")
    due_on = models.DateField(null=True, blank=True)
    clock = models.OneToOneField(
        "sla.Clock", on_delete=models.SET_NULL, null=True, blank=True, related_name="ombudsman_order"
    )
    complied_on = models.DateField(null=True, blank=True)
    compliance_evidence = models.TextField(blank=True)
    evidence = models.ManyToManyField(
        "casework.Attachment", blank=True, related_name="ombudsman_orders", help_text="Documents that show it."
    )
    evidence_sent_on = models.DateField(
        null=True, blank=True, help_text="When the evidence of compliance was sent to the ombudsman."
    )

    class Meta:
        # Undated recommendations last on every database (SQLite sorts NULL first, PostgreSQL last).
        ordering = ["determination", models.F("due_on").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(order_type="compensation") | Q(amount_pence__gt=0), name="ombudsman_compensation_amount"
            ),
            models.CheckConstraint(
                condition=~Q(kind="order") | Q(due_on__isnull=False), name="ombudsman_order_has_due_date"
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="order_open_due_idx", condition=Q(complied_on__isnull=True))]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_order_type_display()}"

    @property
    def is_complied(self):
        return self.complied_on is not None

    @property
    def complied_in_time(self):
        if self.complied_on is None or self.due_on is None:
            return None
        return self.complied_on <= self.due_on


# --- The Ombudsman's findings on the council's complaint handling, and its letters and reports ----------


class NonComplianceKind(models.TextChoices):
    """The Housing Ombudsman's two findings of non-compliance with the Complaint Handling Code (its Complaint
    Handling Failure Order Protocol): an order on a case, and a notice on the council's handling generally."""

    FAILURE_ORDER = "failure_order", "Complaint handling failure order"
    FAILURE_NOTICE = "failure_notice", "Complaint handling failure notice"


class NonComplianceFinding(models.Model):
    """A finding by the Ombudsman that the council did not comply with the Code. The annual complaints
    performance and service improvement report lists those of its year (Code 8.1 c)."""

    kind = models.CharField(max_length=20, choices=NonComplianceKind.choices)
    ombudsman = models.CharField(max_length=10, choices=Ombudsman.choices, default=Ombudsman.HOUSING)
    issued_on = models.DateField(help_text="The date of the order or notice; the report counts it in that year.")
    ombudsman_reference = models.CharField(max_length=60, blank=True, help_text="The Ombudsman's reference.")
    finding = models.TextField(help_text="What the Ombudsman found the council had not done as the Code requires.")
    code_provisions = models.CharField(
        max_length=100, blank=True, help_text="The Code's provisions concerned, such as 5.6, 6.2."
    )
    ombudsman_case = models.ForeignKey(
        OmbudsmanCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="non_compliance_findings",
        help_text="The ombudsman case it was made on, if any.",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="non_compliance_findings",
        help_text="The council's complaint it is about, if any.",
    )
    council_action = models.TextField(blank=True, help_text="What the council did about it.")
    complied_on = models.DateField(
        null=True, blank=True, help_text="When the council did what the order asked, or put the notice right."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["issued_on"], name="non_compliance_issued_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.issued_on:%d %b %Y}"


class PublicationKind(models.TextChoices):
    ANNUAL_LETTER = "annual_letter", "Annual letter on the council's performance"
    SPECIAL_REPORT = "special_report", "Special investigation report"
    OTHER = "other", "Other report or publication about the council"


class OmbudsmanPublication(models.Model):
    """The Ombudsman's annual letter on the council's performance (Code 8.1 e), or another report or
    publication of the Ombudsman's about the council's work (8.1 f), for a reporting year."""

    kind = models.CharField(max_length=20, choices=PublicationKind.choices, default=PublicationKind.ANNUAL_LETTER)
    ombudsman = models.CharField(max_length=10, choices=Ombudsman.choices, default=Ombudsman.HOUSING)
    reporting_year = models.PositiveSmallIntegerField(
        help_text="The financial year it is about, by the year it starts in: 2024 for 2024/25."
    )
    title = models.CharField(max_length=200, blank=True)
    received_on = models.DateField(help_text="The day it reached the council.")
    summary = models.TextField(help_text="What it says about the council.")
    file = models.FileField(upload_to="ombudsman/publications/%Y/", max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text="The file's name as it was uploaded.")
    content_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reporting_year", "kind", "-received_on", "-id"]
        constraints = [
            # Each ombudsman writes one annual letter a year; a second is the first corrected, not another.
            models.UniqueConstraint(
                fields=["ombudsman", "reporting_year"],
                condition=Q(kind="annual_letter"),
                name="one_annual_letter_per_ombudsman_year",
            )
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.year_label}"

    @property
    def year_label(self):
        return f"{self.reporting_year}/{(self.reporting_year + 1) % 100:02d}"
