"""Reads for the complaints pages and API."""

import datetime
import functools
import operator

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from casework.ordering import queue_order
from casework.permissions import visible_cases
from casework.selectors import only_match
from casework.time_left import time_left
from complaints.filters import ComplaintFilter
from complaints.models import (
    BarredOfficer,
    Complaint,
    ComplaintStage,
    ContactRestriction,
    ExtensionRequest,
    ExtensionRequestStatus,
    ProcedureVersion,
    ResponseDraft,
    ServiceRequest,
)
from sla.models import ClockKind

QUEUE_COLUMNS = (
    "service_area",
    "issue_nature",
    "assigned_to",
    "resident",
)


# What a row of the queue's page shows (templates/complaints/queue.html), the only columns its page reads
# (casework.paging.showing). The API and the exports read `queue_queryset` whole.
QUEUE_ROW_FIELDS = (
    "reference",
    "kind",
    "status",
    "summary",
    "channel",
    "is_urgent",
    "repeat_upheld",
    "current_stage",
    "next_due_on",
    "resident__title",
    "resident__first_name",
    "resident__last_name",
    "service_area__name",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def queue_queryset(user):
    return visible_cases(user, Complaint.objects.all()).select_related(*QUEUE_COLUMNS).order_by(*queue_order())


def work_queue(user, params):
    """The filtered queue (a FilterSet, whose `.qs` is the page's rows)."""
    return ComplaintFilter(params, queryset=queue_queryset(user))


def complaint_for(user, reference):
    """A complaint the user may see, with everything its page shows, or None."""
    stages = ComplaintStage.objects.select_related("handler", "responded_by").prefetch_related(
        "points",
        "remedies",
        "actions__owner",
        "handlers__officer",
        Prefetch(
            "extension_requests",
            queryset=ExtensionRequest.objects.filter(status=ExtensionRequestStatus.PENDING).select_related(
                "manager", "requested_by", "clock"
            ),
        ),
        Prefetch("drafts", queryset=ResponseDraft.objects.select_related("drafted_by", "decided_by")),
    )
    # Joined: what every complaint has. Prefetched: what many lack (a prefetch of an empty link asks nothing),
    # so the query's planning stays cheap (see casework.selectors.only_match).
    return only_match(
        visible_cases(user, Complaint.objects.all())
        .select_related(
            "service_area",
            "issue_nature",
            "assigned_to",
            "resident",
            "procedure_version__procedure",
            "procedure_version__scheme",
        )
        .prefetch_related(
            "team",
            "representative",
            "home",
            "service_request",
            "merged_into",
            Prefetch("stages", queryset=stages),
            "procedure_version__stages",
        )
        .filter(reference=reference)
    )


def complaint_to_act_on(user, reference):
    """A complaint the user may see, for a page that changes it: none of what its own page shows, since the
    service reads the complaint afresh under a lock, and a refused or first view asks for the stages itself."""
    return only_match(
        visible_cases(user, Complaint.objects.all())
        .select_related("procedure_version__procedure", "procedure_version__scheme")
        .filter(reference=reference)
    )


def merged_duplicates_of(complaint, user=None):
    """The duplicates merged into this complaint, each with its whole history (a few rows each), for its page;
    with `user`, those the user may see."""
    from casework.models import TimelineEvent

    duplicates = Complaint.objects.filter(merged_into=complaint)
    if user is not None:
        duplicates = visible_cases(user, duplicates)
    history = TimelineEvent.objects.select_related("actor").order_by("occurred_at", "id")
    return duplicates.prefetch_related(Prefetch("timeline", queryset=history)).order_by("merged_on", "id")


def possible_duplicates(*, resident=None, email="", phone="", received_on, summary, user=None, window_days=30):
    """Complaints this one may repeat (docs/complaints.md, "Possible duplicates at intake"): of the same resident
    (or, for a resident not yet on file, of a resident with the same email address or phone number), received
    within `window_days` of `received_on`, not merged, whose summary is similar (`search.similar_summaries`).

    The candidates are a resident's few recent complaints, narrowed in the database; the comparison of summaries
    is in Python, so PostgreSQL and SQLite give the same answer. With `user`, only complaints that user may see."""
    from casework import search
    from casework.models import Resident

    if received_on is None or not (summary or "").strip():
        return []
    if resident is not None:
        residents = Q(resident=resident)
    else:
        same = []
        if (email or "").strip():
            same.append(Q(email__iexact=email.strip()))
        if search.normalise_phone(phone or ""):
            same.append(Q(phone_digits=search.normalise_phone(phone)))
        if not same:
            return []
        residents = Q(resident__in=Resident.objects.filter(functools.reduce(operator.or_, same)))
    window = datetime.timedelta(days=window_days)
    complaints = visible_cases(user, Complaint.objects.all()) if user is not None else Complaint.objects.all()
    candidates = (
        complaints.filter(
            residents,
            received_on__gte=received_on - window,
            received_on__lte=received_on + window,
            merged_into__isnull=True,
        )
        .select_related("resident", "issue_nature")
        .order_by("-received_on", "-id")[:50]
    )
    return [other for other in candidates if search.similar_summaries(summary, other.summary)]


def service_request_for(user, reference):
    return only_match(
        visible_cases(user, ServiceRequest.objects.all())
        .select_related("service_area", "resident", "home")
        .prefetch_related("complaints")
        .filter(reference=reference)
    )


def open_service_requests(user):
    return visible_cases(user, ServiceRequest.objects.filter(closed_at__isnull=True)).select_related(
        "service_area", "resident"
    )


def clocks_with_time_left(complaint):
    division = complaint.procedure_version.procedure.division
    rows = []
    for clock in complaint.clocks.prefetch_related("extensions__approved_by", "pauses").order_by("started_on", "id"):
        rows.append(
            {"clock": clock, "time_left": time_left(clock.due_on, division=division) if clock.is_open else None}
        )
    return rows


def safeguards_for(complaint):
    if not complaint.resident_id:
        return {"barred": [], "restrictions": []}
    return {
        "barred": list(BarredOfficer.objects.filter(resident_id=complaint.resident_id).select_related("officer")),
        "restrictions": list(
            ContactRestriction.objects.filter(resident_id=complaint.resident_id, ended_on__isnull=True)
        ),
    }


def restrictions_due_for_review(on=None):
    on = on or timezone.localdate()
    return ContactRestriction.objects.filter(ended_on__isnull=True, review_on__lte=on).select_related("resident")


def find_residents(query, user=None):
    """Residents whose name, email, phone or postcode starts with the words typed (only those `user` may see)."""
    from casework.selectors import find_residents as find

    return find(query, user)


def procedure_schedule():
    return ProcedureVersion.objects.select_related("procedure").prefetch_related("stages")


def extensions_to_decide(user):
    """Extensions beyond the procedure's limit waiting for this manager's own decision, for "My work"."""
    requests = ExtensionRequest.objects.filter(manager=user, status=ExtensionRequestStatus.PENDING).select_related(
        "stage__complaint", "requested_by"
    )
    return [
        {
            "reference": request.stage.complaint.reference,
            "url": reverse("complaints:action", args=[request.stage.complaint.reference, "approve_extension"]),
            "what": f"extension of {request.asked_for} asked by "
            f"{request.requested_by.get_full_name() or request.requested_by.get_username()}",
            "asked_on": request.requested_on,
        }
        for request in requests.order_by("requested_on", "id")[:50]
    ]


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


# The queue page's columns, then the dates behind "Next deadline".
QUEUE_EXPORT_COLUMNS = (
    ("Reference", lambda c: c.reference),
    ("Urgent", lambda c: "Yes" if c.is_urgent else ""),
    ("Resident", lambda c: c.resident.full_name if c.resident else ""),
    ("Summary", lambda c: c.summary),
    ("Stage", lambda c: c.current_stage),
    ("Status", lambda c: c.get_status_display()),
    ("Service area", lambda c: str(c.service_area)),
    ("Issue nature", lambda c: str(c.issue_nature) if c.issue_nature else ""),
    ("Officer", lambda c: _person(c.assigned_to)),
    ("Received", lambda c: c.received_on),
    # `open_due`: the due dates of the case's open clocks, read a batch at a time (casework.selectors).
    ("Acknowledge by", lambda c: c.open_due.get(ClockKind.ACKNOWLEDGEMENT)),
    ("Respond by", lambda c: c.open_due.get(ClockKind.RESPONSE)),
    ("Next deadline", lambda c: c.next_due_on),
)


def resident_safeguards(resident):
    """For the resident's page: the officers kept away from their cases and their contact restrictions in force."""
    from casework.workflow import say_day

    rows = [
        ("Officer who must not handle their cases", f"{_person(barred.officer)}: {barred.reason}")
        for barred in BarredOfficer.objects.filter(resident=resident).select_related("officer").order_by("since", "id")
    ]
    rows += [
        (
            "Contact restriction",
            f"{restriction.restriction} ({restriction.reason}). "
            + (f"Letters: {restriction.get_letters_display().lower()}. " if restriction.letters else "")
            + f"Review by {say_day(restriction.review_on)}.",
        )
        for restriction in ContactRestriction.objects.filter(resident=resident, ended_on__isnull=True)
    ]
    return rows
