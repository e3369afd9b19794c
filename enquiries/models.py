"""Members (councillors, MPs, the Mayor and Cabinet members), their offices, and their enquiries."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from casework.case_urls import case_page_url
from casework.models import CASE_PAGES, CASE_STATUS_CHOICES, Case, CaseKind, UrgentReason


class MemberType(models.TextChoices):
    COUNCILLOR = "councillor", "Councillor"
    MP = "mp", "MP"
    MAYOR = "mayor", "Mayor"
    CABINET = "cabinet", "Cabinet member"


class MemberOffice(models.Model):
    """A member's office: the member and the caseworkers who submit enquiries for them. Everything on the
    portal is scoped to an office: its people see its enquiries and no one else's."""

    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    name = models.CharField(max_length=200)
    member_type = models.CharField(max_length=20, choices=MemberType.choices)
    ward = models.CharField(max_length=120, blank=True, help_text="Councillors")
    party = models.CharField(max_length=120, blank=True)
    constituency = models.CharField(max_length=120, blank=True, help_text="MPs")
    email = models.EmailField(blank=True)
    office = models.ForeignKey(MemberOffice, on_delete=models.PROTECT, related_name="members")
    is_active = models.BooleanField(default=True)
    register_id = models.CharField(
        max_length=60, unique=True, null=True, blank=True, help_text="The member's id in the register imported."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        where = self.ward or self.constituency
        return f"{self.name} ({self.get_member_type_display()}{', ' + where if where else ''})"


class OfficeRole(models.TextChoices):
    MEMBER = "member", "Member"
    CASEWORKER = "caseworker", "Caseworker"


class OfficeMembership(models.Model):
    """A portal login belonging to a member's office."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_membership")
    office = models.ForeignKey(MemberOffice, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=OfficeRole.choices, default=OfficeRole.CASEWORKER)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, help_text="For a member's own login."
    )

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.office})"


class EnquiryTarget(models.Model):
    """How fast each kind of member gets an answer, in working days (administrators can change them)."""

    member_type = models.CharField(max_length=20, choices=MemberType.choices, unique=True)
    respond_within = models.PositiveSmallIntegerField(default=10)
    acknowledge_within = models.PositiveSmallIntegerField(
        null=True, blank=True, default=1, help_text="Empty: no acknowledgement target."
    )

    def __str__(self):
        return f"{self.get_member_type_display()}: respond within {self.respond_within} working days"


class EnquiryType(models.TextChoices):
    SERVICE_REQUEST = "service_request", "Service request"
    INFORMATION_REQUEST = "information_request", "Information request"
    COMPLAINT = "complaint", "Complaint"


class EnquiryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    RESPONDED = "responded", "Responded"
    CLOSED = "closed", "Closed"


OPEN_ENQUIRY_STATUSES = (EnquiryStatus.RECEIVED, EnquiryStatus.IN_PROGRESS)
CASE_STATUS_CHOICES[CaseKind.ENQUIRY] = EnquiryStatus.choices
CASE_PAGES[CaseKind.ENQUIRY] = "enquiries:detail"


class Enquiry(Case):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="enquiries")
    office = models.ForeignKey(MemberOffice, on_delete=models.PROTECT, related_name="enquiries")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enquiry_type = models.CharField(max_length=30, choices=EnquiryType.choices)
    description = models.TextField()
    consent_to_share = models.BooleanField(
        default=False, help_text="The constituent agreed that their details may be shared with the council."
    )
    constituent_address = models.TextField(blank=True)
    urgent_reasons = models.JSONField(default=list, blank=True)
    submission_key = models.UUIDField(
        null=True, blank=True, unique=True, help_text="Sent with the portal form, so a resubmission is recognised."
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    working_days_to_respond = models.IntegerField(null=True, blank=True)
    responded_in_time = models.BooleanField(null=True, blank=True)
    converted_complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members_enquiry",
        help_text="The complaint this enquiry became.",
    )

    class Meta:
        verbose_name_plural = "enquiries"
        indexes = [
            # The reports' enquiries answered in a period (reporting.selectors.enquiry_figures).
            models.Index(
                fields=["responded_on"], name="enquiry_responded_idx", condition=models.Q(responded_on__isnull=False)
            )
        ]

    def get_absolute_url(self):
        return case_page_url("enquiries:detail", self.reference)

    def get_portal_url(self):
        return reverse("portal:detail", args=[self.reference])

    @property
    def urgent_reason_labels(self):
        labels = dict(UrgentReason.choices)
        return [labels.get(reason, reason) for reason in self.urgent_reasons]


class EnquiryMessage(models.Model):
    """A message on an enquiry that the member's office can see: their follow-ups, and officers' replies."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_office = models.BooleanField(help_text="Written by the member's office (not by an officer).")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Message on {self.enquiry_id}"
