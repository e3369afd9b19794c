"""Reads for the Incoming queue."""

from django.db.models import Count, Q

from casework.models import Case, Resident
from casework.permissions import visible_cases, visible_residents
from incoming.models import IncomingEmail, IncomingStatus

# The queue's tabs: (value in ?show=, label, statuses).
VIEWS = [
    ("waiting", "Waiting", (IncomingStatus.NEW,)),
    ("threaded", "Threaded onto cases", (IncomingStatus.THREADED,)),
    ("done", "Made into or filed on cases", (IncomingStatus.CONVERTED, IncomingStatus.FILED)),
    ("set_aside", "Set aside", (IncomingStatus.SET_ASIDE,)),
]


def incoming_queue(show="waiting", search=""):
    statuses = {value: statuses for value, _, statuses in VIEWS}.get(show, VIEWS[0][2])
    items = (
        IncomingEmail.objects.filter(status__in=statuses)
        .select_related("case")
        .annotate(files=Count("attachments", filter=Q(attachments__refused_reason="")))
    )
    search = (search or "").strip()
    if search:
        items = items.filter(
            Q(subject__icontains=search) | Q(from_address__icontains=search) | Q(from_name__icontains=search)
        )
    # The oldest waiting email first: it has waited longest for its acknowledgement clock to start.
    return items.order_by("received_at", "id") if show == "waiting" else items.order_by("-received_at", "-id")


def queue_counts():
    counts = dict(IncomingEmail.objects.values_list("status").annotate(n=Count("id")))
    return [(value, label, sum(counts.get(status, 0) for status in statuses)) for value, label, statuses in VIEWS]


def item(pk):
    return IncomingEmail.objects.select_related("case", "handled_by").filter(pk=pk).first()


def residents_with_address(user, address):
    """Residents this officer may see whose email address is the sender's: the email may be theirs."""
    if not address:
        return Resident.objects.none()
    return visible_residents(user, Resident.objects.filter(email__iexact=address, anonymised_at__isnull=True))[:5]


def case_for(user, reference):
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return visible_cases(user, Case.objects.filter(reference=reference)).first()


def mentioned_case(user, incoming):
    return case_for(user, incoming.mentioned_reference) if incoming.mentioned_reference else None
