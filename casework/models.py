"""The shared kernel: organisation, people, the case base, and what every case carries (timeline, notes,
attachments, notifications)."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casework import search
from casework.case_urls import case_page_url
from casework.ordering import queue_order_index_expressions


class Ombudsman(models.TextChoices):
    HOUSING = "housing", "Housing Ombudsman"
    LGSCO = "lgsco", "Local Government and Social Care Ombudsman"


class ServiceArea(models.Model):
    """A council service that complaints and enquiries are about (Responsive Repairs, Allocations, ...)."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=60, unique=True)
    ombudsman = models.CharField(
        max_length=10,
        choices=Ombudsman.choices,
        default=Ombudsman.HOUSING,
        help_text="Which ombudsman hears complaints about this service once the council's procedure ends.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class IssueNature(models.Model):
    """What a complaint is about, as the reports group it (seed 002's 'issue nature')."""

    name = models.CharField(max_length=120, unique=True)
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issue_natures",
        help_text="The service that usually owns this kind of issue; used as the default at intake.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="teams")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        help_text="Receives escalations when a case handled in this team goes overdue.",
    )
    head_of_service = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams_headed",
        help_text="Receives the second escalation when a case stays overdue.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfficerProfile(models.Model):
    """What the council knows about a member of staff beyond their login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="officers")
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    service_areas = models.ManyToManyField(
        ServiceArea,
        blank=True,
        related_name="officers",
        help_text="An investigating officer sees the cases of these services and those assigned to them.",
    )
    is_duty_senior_manager = models.BooleanField(
        default=False, help_text="Told at once about urgent cases (imminent eviction, safeguarding, ...)."
    )

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


def _with_derived(update_fields, source, derived):
    """`update_fields` with a derived column added when the column it comes from is saved."""
    if update_fields is None or source not in update_fields:
        return update_fields
    return {*update_fields, derived}


# --- People -------------------------------------------------------------------------------------------


class StockType(models.TextChoices):
    """Regulator's stock types: tenant satisfaction measures are reported for LCRA and LCHO apart."""

    LCRA = "lcra", "Low-cost rental accommodation"
    LCHO = "lcho", "Low-cost home ownership"
    LEASEHOLD = "leasehold", "Leasehold (not social housing)"
    OTHER = "other", "Other or not council-owned"


class Property(models.Model):
    uprn = models.CharField("UPRN", max_length=12, unique=True, null=True, blank=True)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    # The postcode compact and upper-case ("SW1A1AA"), kept on save, so search finds it however it is typed.
    postcode_key = models.CharField(max_length=10, blank=True, default="", db_default="", db_index=True, editable=False)
    stock_type = models.CharField(
        max_length=10,
        choices=StockType.choices,
        blank=True,
        default="",
        help_text="Empty until someone who knows records it: a home's stock type is never guessed, since the "
        "tenant satisfaction measures count only homes known to be LCRA or LCHO.",
    )

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["postcode", "address_line_1"]

    def __str__(self):
        return ", ".join(p for p in (self.address_line_1, self.address_line_2, self.town, self.postcode) if p)

    def save(self, *args, **kwargs):
        self.postcode_key = search.postcode_key(self.postcode)
        kwargs["update_fields"] = _with_derived(kwargs.get("update_fields"), "postcode", "postcode_key")
        super().save(*args, **kwargs)


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"


class Resident(models.Model):
    """A person a case is about: a tenant, leaseholder, applicant or member of the public."""

    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The number's digits, +44 written as 0 ("07700900123"), kept on save, so search finds it however it is typed.
    phone_digits = models.CharField(max_length=40, blank=True, default="", db_default="", db_index=True, editable=False)
    address = models.TextField(blank=True, help_text="Correspondence address, if not the property.")
    home = models.ForeignKey(Property, on_delete=models.SET_NULL, null=True, blank=True, related_name="residents")
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL)
    vulnerability_notes = models.TextField(blank=True)
    reasonable_adjustments = models.TextField(
        blank=True, help_text="e.g. large print, interpreter, calls only in the morning."
    )
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["phone_digits"])

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="resident_name_idx")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.phone_digits = search.normalise_phone(self.phone)
        kwargs["update_fields"] = _with_derived(kwargs.get("update_fields"), "phone", "phone_digits")
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def has_vulnerability(self):
        return bool(self.vulnerability_notes or self.reasonable_adjustments)


class Representative(models.Model):
    """Someone acting for a resident: a relative, an advocate, a solicitor, a councillor."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, help_text="e.g. daughter, advocate, solicitor")
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The number's digits, +44 written as 0 ("07700900123"), kept on save, so search finds it however it is typed.
    phone_digits = models.CharField(max_length=40, blank=True, default="", db_default="", db_index=True, editable=False)
    address = models.TextField(blank=True)
    consent_confirmed_on = models.DateField(
        null=True, blank=True, help_text="When the resident confirmed this person may act for them."
    )

    def __str__(self):
        return f"{self.name} ({self.relationship}) for {self.resident}"

    def save(self, *args, **kwargs):
        self.phone_digits = search.normalise_phone(self.phone)
        kwargs["update_fields"] = _with_derived(kwargs.get("update_fields"), "phone", "phone_digits")
        super().save(*args, **kwargs)


# --- The case base ------------------------------------------------------------------------------------


class UrgentReason(models.TextChoices):
    """Why a case cannot wait for the next sweep: a senior manager is told at once."""

    IMMINENT_EVICTION = "imminent_eviction", "Imminent eviction"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse or harassment"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    HOMELESS_TONIGHT = "homeless_tonight", "Homeless tonight"


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    SERVICE_REQUEST = "service_request", "Service request"
    ENQUIRY = "enquiry", "Members' enquiry"
    OMBUDSMAN = "ombudsman", "Ombudsman case"


# Each kind's status choices, registered by the app that owns the kind (Case.status has none of its own).
CASE_STATUS_CHOICES: dict[str, list[tuple[str, str]]] = {}

# The page of each kind of case (the app that owns the kind registers the URL name).
CASE_PAGES: dict[str, str] = {}


class ReferenceCounter(models.Model):
    """The last number handed out for a prefix and year; bumped atomically by `allocate_references`."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_value}"


class Case(models.Model):
    """What every kind of case has in common. Complaints, enquiries and ombudsman cases extend it
    (multi-table inheritance), so the timeline, notes, attachments, clocks and 'my work' see one table."""

    reference = models.CharField(max_length=30, unique=True)
    # No index of its own: `case_kind_received_idx` (kind, received_on) answers a condition on the kind alone, and
    # with a kind-only index PostgreSQL read a year's members' enquiries through it, testing every enquiry's date.
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    status = models.CharField(max_length=30, db_index=True)
    summary = models.CharField(max_length=250, help_text="One line that identifies the case in lists.")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="cases")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    representative = models.ForeignKey(
        Representative, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    home = models.ForeignKey(
        Property,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        help_text="The property the case is about.",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    received_on = models.DateField(help_text="The day the council received it; day 0 for its deadlines.")
    is_urgent = models.BooleanField(default=False)
    # With a database default, so rows written in bulk (imports, generated data) need not name it.
    urgent_reason = models.CharField(max_length=20, choices=UrgentReason.choices, blank=True, default="", db_default="")
    urgent_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    next_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="The earliest due date of the case's open clocks, kept by sla.services for queues and dashboards.",
    )
    external_reference = models.CharField(
        max_length=60,
        null=True,
        blank=True,
        unique=True,
        help_text="The reference in the system it came from.",
    )
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text="When the retention schedule removed its personal data (casework.retention)."
    )
    # anonymised_at is left out of the history: the retention schedule deletes this case's history rows anyway.
    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at", "next_due_on", "anonymised_at"])

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["assigned_to", "closed_at"], name="case_assignee_open_idx"),
            models.Index(fields=["kind", "received_on"], name="case_kind_received_idx"),
            # The default order (newest first), so a list of all cases (the admin's) reads its first page from the
            # index instead of sorting every case.
            models.Index(fields=["-received_on", "-id"], name="case_received_newest_idx"),
            models.Index(fields=["service_area", "received_on"], name="case_area_received_idx"),
            models.Index(fields=["next_due_on"], name="case_open_due_idx", condition=models.Q(closed_at__isnull=True)),
            # Queues list urgent cases first, then by deadline.
            models.Index(
                fields=["-is_urgent", "next_due_on"],
                name="case_open_urgent_due_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["assigned_to", "next_due_on"],
                name="case_assignee_due_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            # The queues' order (casework.ordering), so a page at any depth is read off the index.
            models.Index(*queue_order_index_expressions(), name="case_queue_order_idx"),
            # The same order over open cases alone: the open queues (casework.filters) read their page and their
            # capped count from it without passing every closed case.
            models.Index(
                *queue_order_index_expressions(),
                name="case_open_queue_order_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            # The API's `?ordering=received_on` (and -received_on), paged by keyset (casework.api.pagination).
            models.Index(fields=["received_on", "reference"], name="case_received_reference_idx"),
            # "Closed from" (casework.filters.closed_after_filter) finds its cases' ids here first.
            models.Index(fields=["closed_at"], name="case_closed_idx", condition=models.Q(closed_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.reference}: {self.summary}"

    def get_absolute_url(self):
        # By kind, so a list of mixed cases links to each one's own page without loading it.
        try:
            return case_page_url(CASE_PAGES[self.kind], self.reference)
        except (KeyError, NoReverseMatch):
            return reverse("casework:case-detail", args=[self.reference])

    def get_status_display(self):
        labels = dict(CASE_STATUS_CHOICES.get(self.kind, ()))
        return labels.get(self.status, self.status.replace("_", " ").capitalize())

    @property
    def is_open(self):
        return self.closed_at is None

    def specific(self):
        """The complaint, enquiry or ombudsman case this row is the base of."""
        for relation in self._meta.related_objects:
            if relation.one_to_one and relation.parent_link:
                try:
                    return getattr(self, relation.get_accessor_name())
                except ObjectDoesNotExist:
                    continue
        return self


class TimelineEvent(models.Model):
    """One thing that happened to a case, in words an officer would write on the file."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    visible_to_member = models.BooleanField(
        default=False, help_text="Shown on the members' portal (e.g. 'response sent'), never internal notes."
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="timeline_case_time_idx")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.occurred_at:%Y-%m-%d}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Note on {self.case_id} by {self.author_id}"


def attachment_path(instance, filename):
    return f"attachments/{timezone.now():%Y/%m}/{instance.case_id}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    visible_to_member = models.BooleanField(default=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.original_name


class Notification(models.Model):
    """An in-app message; the same text goes by email when the recipient has an address."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    email_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took it to send; a stale claim is taken again."
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["created_at"],
                name="notification_email_due_idx",
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.subject


class JobRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class JobRun(models.Model):
    """One run of a scheduled job (sweep, calendar refresh, monthly report), so an administrator sees what
    ran, what it did, and which runs failed and why."""

    job = models.CharField(max_length=80, db_index=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobRunStatus.choices, default=JobRunStatus.RUNNING)
    summary = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class AccessVia(models.TextChoices):
    PAGE = "page", "Page"
    API = "api", "API"


class AccessKind(models.TextChoices):
    OPENED = "opened", "Opened"
    LISTED = "listed", "Listed (bulk read)"
    DOWNLOADED = "downloaded", "Downloaded a file"
    SEARCHED = "searched", "Searched for residents"
    EXPORTED = "exported", "Exported (CSV or spreadsheet)"


class CaseAccess(models.Model):
    """Someone opened a case's page or read it over the API, read it in a list over the API, downloaded one of
    its files, exported it with a queue, or searched for residents (no case then; the words searched for are
    kept): who, when, how.
    Managers and administrators read this log (casework:access-log); it is written by
    casework.middleware.CaseAccessLogMiddleware, for the views that say what they read (casework.access)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses", null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    accessed_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=4, choices=AccessVia.choices)
    kind = models.CharField(max_length=10, choices=AccessKind.choices, default=AccessKind.OPENED)
    query = models.CharField(max_length=200, blank=True, help_text="What was searched for.")
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name_plural = "case accesses"
        indexes = [
            models.Index(fields=["case", "accessed_at"], name="case_access_case_idx"),
            models.Index(fields=["user", "accessed_at"], name="case_access_user_idx"),
        ]

    def __str__(self):
        return f"{self.case_id} by {self.user_id} at {self.accessed_at:%Y-%m-%d %H:%M}"


class SavedView(models.Model):
    """A queue's filter kept under a name, for its owner alone or for a team: "overdue repairs, stage 2".

    The kernel names no queue: `queue` is the key an app registered its queue under (casework.registry.queue)
    and `query` the filter as the queue's address carries it, so opening a view is opening that address."""

    NAME_LENGTH = 80
    QUERY_LENGTH = 2000

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_views",
        help_text="Shared with this team's officers and manager; empty for the owner alone.",
    )
    queue = models.CharField(max_length=40)
    name = models.CharField(max_length=NAME_LENGTH)
    query = models.CharField(max_length=QUERY_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "queue", "name"], name="unique_saved_view_name"),
        ]
        indexes = [models.Index(fields=["queue", "owner"], name="saved_view_queue_owner_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from casework import registry

        queue = registry.queue_for(self.queue)
        address = reverse(queue.url_name) if queue else reverse("casework:my-work")
        return f"{address}?{self.query}" if self.query else address


class CaseLinkKind(models.TextChoices):
    RELATED = "related", "Related"
    MERGED = "merged", "Merged"


class CaseLink(models.Model):
    """Two cases an officer says belong together (of any kinds: a complaint and the members' enquiry about it,
    two complaints about one repair), with why. Stored once per pair, the lower id first, so it reads the same
    from both cases' pages. A merge makes one of kind "merged", which stays as long as the merge does."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=CaseLinkKind.choices, default=CaseLinkKind.RELATED)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "other"], name="unique_case_link"),
            models.CheckConstraint(condition=models.Q(case__lt=models.F("other")), name="case_link_ordered"),
        ]
        indexes = [models.Index(fields=["other"], name="case_link_other_idx")]

    def __str__(self):
        return f"{self.case_id} linked to {self.other_id}"

    def other_than(self, case):
        return self.other if case.pk == self.case_id else self.case
