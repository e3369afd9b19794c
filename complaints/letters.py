"""Letters and emails drafted from templates: the officer copies, edits and sends them. Every letter that
ends a stage says how to escalate or how to go to the ombudsman."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from casework.models import Ombudsman
from complaints.models import ComplaintStatus
from sla.models import ClockKind

LETTERS = {
    "acknowledgement": "Acknowledgement",
    "extension": "Extension",
    "response": "Stage response",
    "early_resolution": "Early resolution",
    "refusal": "Complaint not accepted",
    "escalation_refusal": "Escalation refused",
}

OMBUDSMAN_DETAILS = {
    Ombudsman.HOUSING: {
        "name": "Housing Ombudsman Service",
        "address": "PO Box 152, Liverpool L33 7WQ",
        "phone": "0300 111 3000",
        "website": "www.housing-ombudsman.org.uk",
        "email": "info@housing-ombudsman.org.uk",
    },
    Ombudsman.LGSCO: {
        "name": "Local Government and Social Care Ombudsman",
        "address": "PO Box 4771, Coventry CV4 0EH",
        "phone": "0300 061 0614",
        "website": "www.lgo.org.uk",
        "email": "",
    },
}


def available_letters(complaint):
    kinds = ["acknowledgement"]
    # From the stages the complaint page prefetched, not a filter that would ask the database again.
    stage = next((stage for stage in complaint.stages.all() if stage.number == complaint.current_stage), None)
    if stage and stage.extended:
        kinds.append("extension")
    if complaint.status in (ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED):
        kinds.append("response")
    if complaint.status == ComplaintStatus.RESOLVED_EARLY:
        kinds.append("early_resolution")
    if complaint.status == ComplaintStatus.REFUSED:
        kinds.append("refusal")
    if complaint.escalation_refusals.exists():
        kinds.append("escalation_refusal")
    return [(kind, LETTERS[kind]) for kind in kinds]


def draft(complaint, kind):
    stage = complaint.stages.filter(number=complaint.current_stage).first()
    response_clock = (
        complaint.clocks.filter(kind=ClockKind.RESPONSE, stage=complaint.current_stage).order_by("-id").first()
    )
    extension = response_clock.extensions.order_by("-id").first() if response_clock else None
    next_stage = complaint.procedure_version.stages.filter(number=complaint.current_stage + 1).first()
    context = {
        "complaint": complaint,
        "stage": stage,
        "resident": complaint.resident,
        "response_clock": response_clock,
        "extension": extension,
        "next_stage": next_stage,
        "ombudsman": OMBUDSMAN_DETAILS[complaint.ombudsman],
        "council_name": settings.COUNCIL_NAME,
        "today": timezone.localdate(),
        "refusal": complaint.escalation_refusals.order_by("-id").first(),
    }
    return render_to_string(f"complaints/letters/{kind}.txt", context).strip() + "\n"
