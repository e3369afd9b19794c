"""Complaint procedures (date-effective versions with their stages) and complaints with their stages,
responses, outcomes, remedies, and the safeguards the seeds ask for."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from casework.case_urls import case_page_url
from casework.models import CASE_PAGES, CASE_STATUS_CHOICES, Case, CaseKind, Ombudsman, Resident
from sla.models import Division

# --- Schemes and procedures ---------------------------------------------------------------------------


class SchemeKind(models.TextChoices):
    """The complaints schemes a council runs side by side, each under its own law and ombudsman."""

    LANDLORD = "landlord", "Housing landlord complaints (Housing Ombudsman)"
    CORPORATE = "corporate", "Corporate complaints (Local Government and Social Care Ombudsman)"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care (statutory)"
    ADULTS_SOCIAL_CARE = "adults_social_care", "Adults' social care (statutory)"


class ComplaintScheme(models.Model):
    """A complaints scheme: the housing landlord scheme (Housing Ombudsman Complaint Handling Code), the
    corporate scheme (LGSCO), statutory children's social care (Children Act 1989) and adults' social care.
    Each has its own date-effective procedure versions; a service area belongs to one scheme. Only the landlord
    scheme's complaints count in the landlord's figures (CH01, CH02)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=SchemeKind.choices)
    ombudsman = models.CharField(
        max_length=10,
        choices=Ombudsman.choices,
        help_text="Who hears complaints under this scheme once the council's procedure ends.",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_landlord(self):
        return self.kind == SchemeKind.LANDLORD


class ServiceAreaScheme(models.Model):
    """Which scheme a service area's complaints go under (a service area with none goes by its ombudsman:
    the landlord scheme for the Housing Ombudsman's services, the corporate scheme for the LGSCO's)."""

    service_area = models.OneToOneField("casework.ServiceArea", on_delete=models.CASCADE, related_name="scheme_link")
    scheme = models.ForeignKey(ComplaintScheme, on_delete=models.PROTECT, related_name="service_area_links")

    def __str__(self):
        return f"{self.service_area} under {self.scheme}"


class Procedure(models.Model):
    """A complaints procedure, such as the Housing Ombudsman's Complaint Handling Code 2024."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    division = models.CharField(
        max_length=20,
        choices=Division.choices,
        default=Division.ENGLAND_AND_WALES,
        help_text="Whose bank holidays this procedure's working days skip.",
    )
    max_stages = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Most stages its versions may have (2 under the Housing Ombudsman's Code since 2022).",
    )

    def __str__(self):
        return self.name


class ProcedureVersion(models.Model):
    """A procedure's stages and targets as they were from a date. The version in force on the day a
    complaint is received is the one with the latest `applies_from` on or before that day; the complaint
    keeps it for life, so cases received under an old procedure finish under it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    scheme = models.ForeignKey(
        ComplaintScheme,
        on_delete=models.PROTECT,
        related_name="versions",
        help_text="The scheme whose complaints it applies to from its date.",
    )
    applies_from = models.DateField(
        null=True,
        blank=True,
        help_text="Complaints of its scheme received on or after this day use it; empty for a preset not in use.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-applies_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "applies_from"], name="one_version_per_scheme_and_day")
        ]

    def __str__(self):
        if self.applies_from is None:
            return f"{self.procedure.name} (not in use)"
        return f"{self.procedure.name} (from {self.applies_from:%d %b %Y})"

    @property
    def stage_count(self):
        return self.stages.count()


class ResponseClockStart(models.TextChoices):
    RECEIPT = "receipt", "From receipt (or the escalation request)"
    ACKNOWLEDGEMENT = "acknowledgement", "From the acknowledgement"


class ProcedureStage(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    acknowledge_within = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Working days from receipt or escalation request; empty: no target."
    )
    respond_within = models.PositiveSmallIntegerField(help_text="Working days to the full response.")
    respond_from = models.CharField(
        max_length=20, choices=ResponseClockStart.choices, default=ResponseClockStart.ACKNOWLEDGEMENT
    )
    extension_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Working days of extension allowed without a manager's approval."
    )
    independent_handler = models.BooleanField(
        default=False, help_text="The handler must not have handled an earlier stage of the same complaint."
    )
    response_agreed = models.BooleanField(
        default=False,
        help_text="The response date is agreed with the complainant at acknowledgement (adults' social care); "
        "respond_within is then the aim shown, and agreed_within_months the latest date allowed.",
    )
    agreed_within_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The latest agreed response date, in months after receipt."
    )

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="unique_procedure_stage")]

    def __str__(self):
        return f"{self.name} ({self.version.procedure.name})"


# --- Complaints ---------------------------------------------------------------------------------------


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    WEB_FORM = "web_form", "Web form"
    IN_PERSON = "in_person", "In person"
    SOCIAL_MEDIA = "social_media", "Social media"
    MEMBERS_ENQUIRY = "members_enquiry", "Members' enquiry"


class ComplaintType(models.TextChoices):
    """What kind of failing the resident describes (seed 003's 'complaint type', required here)."""

    SERVICE_FAILURE = "service_failure", "Service failure"
    DELAY = "delay", "Delays or missed appointments"
    STAFF_BEHAVIOUR = "staff_behaviour", "Staff behaviour"
    CASE_MANAGEMENT = "case_management", "Case management"
    POLICY_DECISION = "policy_decision", "Disagreement with a policy or decision"
    FINANCIAL = "financial", "Financial dispute"
    COMMUNICATION = "communication", "Communication"
    OTHER = "other", "Other"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "Received, to acknowledge"
    ACKNOWLEDGED = "acknowledged", "Acknowledged, under investigation"
    RESPONDED = "responded", "Responded"
    RESOLVED_EARLY = "resolved_early", "Resolved early"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFUSED = "refused", "Not accepted"
    CLOSED = "closed", "Closed"
    MERGED = "merged", "Merged into another complaint"


OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.RESPONDED)
CASE_STATUS_CHOICES[CaseKind.COMPLAINT] = ComplaintStatus.choices
CASE_PAGES[CaseKind.COMPLAINT] = "complaints:detail"


class RefusalReason(models.TextChoices):
    OVER_TWELVE_MONTHS = "over_12_months", "Made more than 12 months after the issue"
    COUNCIL_POLICY = "council_policy", "About council policy (dealt with through the democratic process)"
    LEGAL_PROCEEDINGS = "legal_proceedings", "Subject to legal proceedings"
    ALREADY_CONSIDERED = "already_considered", "Already considered under the complaints procedure"
    OTHER = "other", "Another reason in the complaints policy"


class Complaint(Case):
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="complaints")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    issue_nature = models.ForeignKey("casework.IssueNature", on_delete=models.PROTECT, related_name="complaints")
    complaint_type = models.CharField(max_length=20, choices=ComplaintType.choices)
    description = models.TextField(help_text="The complaint as the council understands it.")
    outcome_wanted = models.TextField(help_text="What the resident wants to happen.")
    issue_occurred_on = models.DateField(
        null=True, blank=True, help_text="When the problem happened or the resident became aware of it."
    )
    staff_named = models.TextField(
        blank=True, help_text="Staff or contractors named in the complaint, one per line (reported to HR)."
    )
    vulnerability_noted = models.BooleanField(default=False)
    current_stage = models.PositiveSmallIntegerField(default=1)
    service_request = models.ForeignKey(
        "complaints.ServiceRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        help_text="The service request whose handling this complaint is about.",
    )
    early_resolution_agreed_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    refused_on = models.DateField(null=True, blank=True)
    refusal_reason = models.CharField(max_length=30, choices=RefusalReason.choices, blank=True)
    refusal_details = models.TextField(blank=True)
    repeat_upheld = models.BooleanField(
        default=False, help_text="Upheld again within 12 months for the same resident, property or issue nature."
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        help_text="The complaint this one duplicated; a merged duplicate is not counted as a complaint.",
    )
    merged_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["current_stage"], name="complaint_stage_idx"),
            models.Index(fields=["issue_nature"], name="complaint_issue_nature_idx"),
            # The reports' complaints not accepted in a period, by reason and scheme (reporting.selectors).
            models.Index(
                fields=["refused_on"],
                name="complaint_refused_idx",
                include=["refusal_reason", "procedure_version"],
                condition=Q(refused_on__isnull=False),
            ),
        ]

    def get_absolute_url(self):
        return case_page_url("complaints:detail", self.reference)

    @property
    def scheme(self):
        return self.procedure_version.scheme

    @property
    def ombudsman(self):
        """Who hears the complaint once the council's procedure ends: its scheme's ombudsman."""
        return self.procedure_version.scheme.ombudsman

    def get_ombudsman_display(self):
        return Ombudsman(self.ombudsman).label

    @property
    def is_final_stage(self):
        # From the procedure's prefetched stages when the page loaded them.
        return self.current_stage >= len(self.procedure_version.stages.all())


class StageOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class ComplaintStage(models.Model):
    """One stage of one complaint: when it was asked for, acknowledged and answered, by whom, and how."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    requested_on = models.DateField(help_text="Receipt for stage 1; the escalation request for later stages.")
    escalation_reason = models.TextField(blank=True, help_text="Why the resident escalated (they need not say).")
    acknowledged_on = models.DateField(null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who handles the stage now; everyone who ever did is in its handler history.",
    )
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded the response (not always who handled the stage).",
    )
    response_summary = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=StageOutcome.choices, blank=True)
    compensation_pence = models.PositiveIntegerField(default=0)
    extended = models.BooleanField(default=False)
    within_code_timescale = models.BooleanField(
        null=True, blank=True, help_text="Responded within the target, counting Code-compliant extensions."
    )
    working_days_to_respond = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="unique_complaint_stage")]
        indexes = [
            models.Index(fields=["number", "requested_on"], name="stage_number_requested_idx"),
            models.Index(fields=["number", "responded_on"], name="stage_number_responded_idx"),
        ]

    def __str__(self):
        return f"{self.complaint.reference} {self.name}"

    @property
    def compensation_pounds(self):
        return self.compensation_pence / 100


class StageHandler(models.Model):
    """Someone who handled a stage, from when to when: the Code's independence rule (2024 Code 6.13: the stage
    2 handler must not be the stage 1 handler) looks at everyone who ever handled an earlier stage, not only
    its last handler."""

    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="handlers")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["stage", "since", "id"]
        indexes = [models.Index(fields=["stage", "officer"], name="stage_handler_idx")]

    def __str__(self):
        return f"{self.officer} handled {self.stage}"


class ExtensionRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the manager"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class ExtensionRequest(models.Model):
    """An extension beyond the procedure's limit, asked of a named manager. Only that manager's approval, with
    the good reason recorded, moves the deadline (2024 Code 6.4 allows more than the limit only with a
    good reason, explained to the resident)."""

    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="extension_requests")
    clock = models.ForeignKey("sla.Clock", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="extension_requests_to_decide"
    )
    requested_on = models.DateField()
    extra_working_days = models.PositiveIntegerField(null=True, blank=True)
    new_due_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=ExtensionRequestStatus.choices, default=ExtensionRequestStatus.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, help_text="The good reason for approving, or why it was declined.")
    extension = models.OneToOneField(
        "sla.ClockExtension", on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage"], condition=Q(status="pending"), name="one_pending_extension_request_per_stage"
            )
        ]
        indexes = [
            models.Index(fields=["manager"], name="extension_request_pending_idx", condition=Q(status="pending"))
        ]

    def __str__(self):
        return f"Extension request on {self.stage}"

    @property
    def asked_for(self):
        if self.extra_working_days:
            return f"{self.extra_working_days} more working days"
        return f"a new due date of {self.new_due_on:%-d %b %Y}"


class ResponseDraftStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for approval"
    SENT_BACK = "sent_back", "Sent back"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"


class ResponseDraft(models.Model):
    """A stage's response drafted (usually by the investigating officer) for the complaints officer (stage 1) or
    a manager (stage 2 and later) to approve or send back; once approved it is sent, and the clock stops on the
    day it is sent. Each draft is kept, with the comment it was sent back with."""

    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="drafts")
    status = models.CharField(max_length=10, choices=ResponseDraftStatus.choices, default=ResponseDraftStatus.WAITING)
    summary = models.TextField()
    points = models.JSONField(default=list, help_text="[{summary, decision, reasons}]")
    remedies = models.JSONField(default=list, help_text="[{kind, description, amount_pence}]")
    actions = models.JSONField(default=list, help_text="[{description, owner (user id), due_on (ISO date)}]")
    letter_text = models.TextField(blank=True, help_text="The response letter; drafted from its template if empty.")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="Why it was sent back.")
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-drafted_at", "-id"]

    def __str__(self):
        return f"Draft response for {self.stage} ({self.get_status_display().lower()})"

    @property
    def decisions(self):
        """The drafted points as (point, decision in words, reasons), for the page."""
        labels = dict(StageOutcome.choices)
        return [(p.get("summary", ""), labels.get(p.get("decision"), ""), p.get("reasons", "")) for p in self.points]


class ComplaintPoint(models.Model):
    """One point of the complaint and the decision on it."""

    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="points")
    summary = models.CharField(max_length=300)
    decision = models.CharField(max_length=20, choices=StageOutcome.choices)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["stage", "id"]

    def __str__(self):
        return self.summary


class RemedyKind(models.TextChoices):
    APOLOGY = "apology", "Apology"
    ACTION = "action", "Action to put things right"
    COMPENSATION = "compensation", "Compensation"
    OTHER = "other", "Other remedy"


class Remedy(models.Model):
    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=20, choices=RemedyKind.choices)
    description = models.CharField(max_length=300, blank=True)
    amount_pence = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "remedies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="compensation") | Q(amount_pence__gt=0), name="compensation_has_amount"
            )
        ]

    def __str__(self):
        return self.get_kind_display()


class ResponseAction(models.Model):
    """An action promised in a response, tracked to completion."""

    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaint_actions")
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on"], name="action_open_due_idx", condition=Q(completed_on__isnull=True))]

    def __str__(self):
        return self.description


class EscalationRefusal(models.Model):
    """A request to escalate that the council refused, and why (reported in the Code self-assessment)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalation_refusals")
    requested_on = models.DateField()
    reason = models.TextField()
    refused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    refused_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The annual report and the self-assessment list a year's refusals by the day of the request.
        indexes = [models.Index(fields=["requested_on"], name="escalation_refused_day_idx")]

    def __str__(self):
        return f"Escalation refused for {self.complaint.reference}"


class RepeatUpheldMatch(models.Model):
    """An earlier upheld complaint that makes this one a repeat, and what they share."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="repeat_matches")
    earlier = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    same_resident = models.BooleanField(default=False)
    same_property = models.BooleanField(default=False)
    same_issue_nature = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "earlier"], name="unique_repeat_match")]

    def __str__(self):
        return f"{self.complaint_id} repeats {self.earlier_id}"


# --- Service requests ---------------------------------------------------------------------------------


class ServiceRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


CASE_STATUS_CHOICES[CaseKind.SERVICE_REQUEST] = ServiceRequestStatus.choices
CASE_PAGES[CaseKind.SERVICE_REQUEST] = "complaints:service-request"


class ServiceRequest(Case):
    """A request to put something right (a repair, a visit). Not a complaint, but recorded; if the resident
    is unhappy with how it is handled, a complaint is raised from it while the request goes on."""

    description = models.TextField()
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.PHONE)
    completed_on = models.DateField(null=True, blank=True)

    def get_absolute_url(self):
        return case_page_url("complaints:service-request", self.reference)


# --- Safeguards ---------------------------------------------------------------------------------------


class BarredOfficer(models.Model):
    """An officer who must not handle this resident's future cases (the resident lost trust in them)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="barred_officers")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    since = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "officer"], name="unique_barred_officer")]

    def __str__(self):
        return f"{self.officer} barred from {self.resident}'s cases"


class LettersRule(models.TextChoices):
    """What a contact restriction says about letters: correspondence.selectors.delivery_for obeys it."""

    ANY = "", "Letters may be posted and emailed"
    EMAIL_ONLY = "email_only", "Do not write to the address: email only"
    NO_LETTERS = "no_letters", "Do not write at all: no letters or emails"


class ContactRestriction(models.Model):
    """A restriction under the unreasonable and vexatious behaviour policy, with a date to review it."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="contact_restrictions")
    restriction = models.CharField(max_length=300, help_text="e.g. 'Contact by email only, to one named officer'.")
    letters = models.CharField(
        max_length=20,
        choices=LettersRule.choices,
        blank=True,
        default="",
        db_default="",
        help_text="What it means for the letters the product sends.",
    )
    reason = models.TextField()
    starts_on = models.DateField(default=timezone.localdate)
    review_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review_on"]

    def __str__(self):
        return self.restriction

    @property
    def is_active(self):
        return self.ended_on is None
