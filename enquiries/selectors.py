"""Reads for officers' enquiry pages and for the members' portal. The portal's reads all start from the
signed-in user's office, so another office's enquiries are never in the queryset."""

from django.db.models import OuterRef, Q, Subquery

from casework.ordering import queue_order
from casework.permissions import visible_cases
from enquiries.filters import EnquiryFilter
from enquiries.models import Enquiry, Member, OfficeMembership
from sla.models import Clock, ClockKind


def office_of(user):
    if not user.is_authenticated:
        return None
    membership = OfficeMembership.objects.filter(user=user).select_related("office").first()
    return membership.office if membership else None


def office_enquiries(user):
    office = office_of(user)
    if office is None:
        return Enquiry.objects.none()
    return with_response_due(
        Enquiry.objects.filter(office=office).select_related("member", "service_area", "resident")
    ).order_by("-received_on", "-id")


def with_response_due(enquiries):
    """Annotate the full response's due date (the earliest open clock may be the acknowledgement)."""
    due = Clock.objects.filter(case_id=OuterRef("pk"), kind=ClockKind.RESPONSE).order_by("-id").values("due_on")
    return enquiries.annotate(response_due_on=Subquery(due[:1]))


def with_acknowledge_due(enquiries):
    due = Clock.objects.filter(case_id=OuterRef("pk"), kind=ClockKind.ACKNOWLEDGEMENT).order_by("-id").values("due_on")
    return enquiries.annotate(acknowledge_due_on=Subquery(due[:1]))


def office_enquiry(user, reference):
    return with_acknowledge_due(
        office_enquiries(user).prefetch_related("messages__author").filter(reference=reference)
    ).first()


def office_members(user):
    office = office_of(user)
    return Member.objects.filter(office=office, is_active=True) if office else Member.objects.none()


# Internal events the office may also see: a calendar change that moved the enquiry's dates says why.
PORTAL_EVENT_KINDS = ("deadline_moved",)


def portal_timeline(enquiry):
    """What the office may see of the case history: never officers' notes or internal events."""
    return enquiry.timeline.filter(Q(visible_to_member=True) | Q(kind__in=PORTAL_EVENT_KINDS)).select_related("actor")


# What a row of the queue's page shows (templates/enquiries/queue.html), the only columns its page reads
# (casework.paging.showing). The API and the exports read `queue_queryset` whole.
QUEUE_ROW_FIELDS = (
    "reference",
    "kind",
    "status",
    "summary",
    "enquiry_type",
    "is_urgent",
    "next_due_on",
    "member__name",
    "resident__title",
    "resident__first_name",
    "resident__last_name",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def queue_queryset(user):
    return with_response_due(
        visible_cases(user, Enquiry.objects.all()).select_related("member", "service_area", "assigned_to", "resident")
    ).order_by(*queue_order())


def work_queue(user, params):
    return EnquiryFilter(params, queryset=queue_queryset(user))


def enquiry_for(user, reference):
    return (
        visible_cases(user, Enquiry.objects.all())
        .select_related(
            "member", "office", "service_area", "assigned_to", "resident", "submitted_by", "converted_complaint"
        )
        .prefetch_related("messages__author")
        .filter(reference=reference)
        .first()
    )


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


# The queue page's columns, then its due dates.
QUEUE_EXPORT_COLUMNS = (
    ("Reference", lambda e: e.reference),
    ("Urgent", lambda e: "Yes" if e.is_urgent else ""),
    ("Member", lambda e: e.member.name),
    ("Constituent", lambda e: e.resident.full_name if e.resident else ""),
    ("About", lambda e: e.summary),
    ("Type", lambda e: e.get_enquiry_type_display()),
    ("Status", lambda e: e.get_status_display()),
    ("Service area", lambda e: str(e.service_area)),
    ("Officer", lambda e: _person(e.assigned_to)),
    ("Received", lambda e: e.received_on),
    # `open_due`: the due dates of the case's open clocks, read a batch at a time (casework.selectors).
    ("Acknowledge by", lambda e: e.open_due.get(ClockKind.ACKNOWLEDGEMENT)),
    ("Respond by", lambda e: e.open_due.get(ClockKind.RESPONSE)),
    ("Next deadline", lambda e: e.next_due_on),
)
