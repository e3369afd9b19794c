"""Complaints' letters: which the page offers now, and what their templates are filled in with. The words are
the administrators' templates (correspondence.LetterTemplate, first taken from templates/complaints/letters/);
the officer checks and edits the draft, and what they send is drawn as a PDF, stored and emailed
(correspondence.services.send_letter). Every letter that ends a stage says how to escalate or how to go to the
ombudsman."""

from django.conf import settings
from django.utils import timezone

from casework.models import Ombudsman
from complaints.models import Complaint, ComplaintStatus
from correspondence import kinds, services, templating
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

# What a template may use, shown on its edit page.
VARIABLES = (
    ("addressee", "who the letter is to: the representative when there is one, else the resident"),
    ("complaint", "the complaint: reference, description, outcome_wanted, get_refusal_reason_display, ..."),
    ("stage", "the current stage: name, number, requested_on, response_summary, points, remedies, actions"),
    ("resident", "the resident: full_name, first_name, last_name"),
    ("representative", "the representative, if any: name, relationship"),
    ("response_clock", "the current stage's response clock: due_on"),
    ("extension", "its latest extension: reason"),
    ("next_stage", "the procedure's next stage, if any: name"),
    ("ombudsman", "the ombudsman of the complaint's scheme: name, phone, website, email, address"),
    ("refusal", "the latest refused escalation: requested_on, reason"),
    ("council_name", "the council's name"),
    ("officer", "the officer the complaint is assigned to"),
    ("today", "today's date"),
)

# The greeting's date and reference are in the PDF's heading; in the administrators' text it is one line.
SEED_REPLACEMENTS = {"complaints/letters/_greeting.txt": "Dear {{ addressee }},"}


def available_letters(complaint):
    letter_kinds = ["acknowledgement"]
    # From the stages the complaint page prefetched, not a filter that would ask the database again.
    stage = next((stage for stage in complaint.stages.all() if stage.number == complaint.current_stage), None)
    if stage and stage.extended:
        letter_kinds.append("extension")
    if complaint.status in (ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED):
        letter_kinds.append("response")
    if complaint.status == ComplaintStatus.RESOLVED_EARLY:
        letter_kinds.append("early_resolution")
    if complaint.status == ComplaintStatus.REFUSED:
        letter_kinds.append("refusal")
    if complaint.escalation_refusals.exists():
        letter_kinds.append("escalation_refusal")
    return [(kind, LETTERS[kind]) for kind in letter_kinds]


def context(complaint):
    stage = complaint.stages.filter(number=complaint.current_stage).first()
    response_clock = (
        complaint.clocks.filter(kind=ClockKind.RESPONSE, stage=complaint.current_stage).order_by("-id").first()
    )
    extension = response_clock.extensions.order_by("-id").first() if response_clock else None
    next_stage = complaint.procedure_version.stages.filter(number=complaint.current_stage + 1).first()
    representative = complaint.representative
    resident = complaint.resident
    return {
        "complaint": complaint,
        "stage": stage,
        "resident": resident,
        "representative": representative,
        "addressee": representative.name if representative else (resident.full_name if resident else "resident"),
        "response_clock": response_clock,
        "extension": extension,
        "next_stage": next_stage,
        "ombudsman": OMBUDSMAN_DETAILS[complaint.ombudsman],
        "council_name": settings.COUNCIL_NAME,
        "officer": complaint.assigned_to,
        "today": timezone.localdate(),
        "refusal": complaint.escalation_refusals.order_by("-id").first(),
    }


def draft(complaint, kind, body=None):
    """The letter's words for this complaint, from the administrators' template (or `body`, a template being
    edited, for its preview)."""
    template_text = services.template_for(kind).body if body is None else body
    return templating.render_text(template_text, context(complaint))


def sample(reference=None):
    """A complaint to preview a template with: the one of that reference, else the latest received."""
    complaints = Complaint.objects.select_related("resident", "representative", "procedure_version__scheme")
    complaint = (
        complaints.filter(reference=reference).first() if reference else complaints.order_by("-created_at").first()
    )
    return (complaint, context(complaint)) if complaint else None


def register():
    for kind, title in LETTERS.items():
        kinds.register(
            kinds.LetterKind(
                kind=kind,
                title=title,
                seed=f"complaints/letters/{kind}.txt",
                seed_replacements=SEED_REPLACEMENTS,
                variables=VARIABLES,
                sample=sample,
            )
        )
