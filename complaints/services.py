"""Writes on complaints: logging one, and every action on it, each run through the complaint's workflow
(`complaints.workflow`), so pages, the API, imports and tests meet the same rules. Also service requests,
repeat-upheld detection and the safeguards on a resident (barred officers, contact restrictions)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from casework.errors import InvalidInput, NotAllowed, Problems
from casework.models import CaseKind, UrgentReason
from casework.services import next_reference, notify_urgent, record_event
from complaints import schemes
from complaints.models import (
    BarredOfficer,
    Complaint,
    ComplaintStage,
    ComplaintStatus,
    ContactRestriction,
    LettersRule,
    RepeatUpheldMatch,
    ServiceRequest,
    ServiceRequestStatus,
    StageOutcome,
)
from complaints.workflow import WORKFLOW, assign_handler, pending_extension_request, start_stage_clocks

REPEAT_UPHELD_MONTHS = 12
ACTION_LABELS = {name: transition.label for name, transition in WORKFLOW.transitions.items()}
__all__ = ["pending_extension_request"]


def _format(day):
    return day.strftime("%a %-d %b %Y")


def _today():
    return timezone.localdate()


# --- Procedures ---------------------------------------------------------------------------------------


def version_in_force(on_date, scheme=None):
    """The procedure version in force on a day, of `scheme` (the landlord scheme when not given)."""
    from complaints.models import ComplaintScheme, SchemeKind

    scheme = scheme or ComplaintScheme.objects.filter(kind=SchemeKind.LANDLORD).order_by("id").first()
    return schemes.version_in_force(on_date, scheme)


# --- What is allowed now ------------------------------------------------------------------------------


def allowed_actions(complaint, actor=None):
    return WORKFLOW.allowed_names(complaint, actor)


def why_not_allowed(complaint, action, actor=None):
    return WORKFLOW.why_not(complaint, action, actor)


# --- Logging a complaint ------------------------------------------------------------------------------


@dataclass
class ResidentDetails:
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    address: str = ""


@transaction.atomic
def log_complaint(
    *,
    actor,
    received_on,
    channel,
    service_area,
    issue_nature,
    complaint_type,
    description,
    outcome_wanted,
    summary="",
    resident=None,
    representative=None,
    home=None,
    staff_named="",
    is_urgent=False,
    urgent_reason="",
    urgent_details="",
    vulnerability_noted=False,
    issue_occurred_on=None,
    assigned_to=None,
    team=None,
    service_request=None,
    procedure_version=None,
    external_reference=None,
):
    """Log a complaint: its first stage and that stage's clocks (complaints.deadlines), from the day received.
    Urgent at intake needs its reason; the senior managers are told at once."""
    problems = Problems()
    if received_on is None:
        problems.add("received_on", "Enter the date received.")
    elif received_on > _today():
        problems.add("received_on", "The date received cannot be in the future.")
    if issue_nature is None:
        problems.add("issue_nature", "Choose the issue nature: every complaint must have one.")
    if not (description or "").strip():
        problems.add("description", "Describe the complaint as you understand it.")
    if not (outcome_wanted or "").strip():
        problems.add("outcome_wanted", "Say what outcome the resident wants.")
    if issue_occurred_on and received_on and issue_occurred_on > received_on:
        problems.add("issue_occurred_on", "The issue cannot have happened after the complaint was received.")
    if urgent_reason and urgent_reason not in UrgentReason.values:
        problems.add("urgent_reason", "Choose why the complaint is urgent from the list.")
    elif is_urgent and not urgent_reason:
        problems.add("urgent_reason", "Choose why the complaint is urgent.")
    if assigned_to is not None and not problems:
        problem = _intake_handler_problem(resident, assigned_to)
        if problem:
            problems.add("assigned_to", problem)
    problems.raise_if_any()
    version = procedure_version or schemes.version_in_force(received_on, schemes.scheme_for(service_area))
    first_stage = version.stages.order_by("number").first()
    if first_stage is None:
        raise NotAllowed(f"{version} has no stages; an administrator must add them.")
    complaint = Complaint.objects.create(
        reference=next_reference("CMP", received_on),
        kind=CaseKind.COMPLAINT,
        status=ComplaintStatus.RECEIVED,
        summary=(summary or description).strip().splitlines()[0][:250],
        service_area=service_area,
        resident=resident,
        representative=representative,
        home=home or (resident.home if resident else None),
        team=team,
        received_on=received_on,
        is_urgent=bool(urgent_reason),
        urgent_reason=urgent_reason,
        urgent_since=timezone.now() if urgent_reason else None,
        external_reference=external_reference,
        procedure_version=version,
        channel=channel,
        issue_nature=issue_nature,
        complaint_type=complaint_type,
        description=description.strip(),
        outcome_wanted=outcome_wanted.strip(),
        issue_occurred_on=issue_occurred_on,
        staff_named=staff_named.strip(),
        vulnerability_noted=vulnerability_noted,
        service_request=service_request,
    )
    stage = ComplaintStage.objects.create(
        complaint=complaint, number=1, name=first_stage.name, requested_on=received_on
    )
    start_stage_clocks(complaint, stage)
    record_event(
        complaint,
        "logged",
        f"Complaint received by {complaint.get_channel_display().lower()} on {_format(received_on)} and logged "
        f"under {version}.",
        actor=actor,
        data={"procedure_version": version.pk},
    )
    if service_request is not None:
        record_event(
            service_request,
            "complaint_raised",
            f"Complaint {complaint.reference} raised about the handling of this request.",
            actor=actor,
            data={"complaint": complaint.reference},
        )
    if assigned_to is not None:
        assign_handler(complaint, assigned_to, actor=actor)
    if urgent_reason:
        reason = UrgentReason(urgent_reason).label + (f": {urgent_details.strip()}" if urgent_details else "")
        told = notify_urgent(complaint, reasons=reason)
        names = ", ".join(sorted({n.recipient.get_full_name() or n.recipient.get_username() for n in told}))
        record_event(
            complaint,
            "flag_urgent",
            f"Flagged urgent at intake: {reason}. Told at once: {names or 'nobody (no manager could be found)'}.",
            actor=actor,
            data={"reason": urgent_reason},
        )
    WORKFLOW.changed(complaint, "logged")
    return complaint


def _intake_handler_problem(resident, handler):
    """A handler named at intake: the rules of assignment, before the complaint exists."""
    from casework.roles import Role, has_role

    if not has_role(handler, Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER):
        return f"{handler.get_full_name() or handler} is not a complaints or investigating officer."
    if resident is not None and BarredOfficer.objects.filter(resident=resident, officer=handler).exists():
        return f"{handler.get_full_name() or handler} must not handle this resident's cases (recorded lost trust)."
    return None


# --- Actions on a complaint (complaints.workflow has their rules) ----------------------------------------


def acknowledge(complaint, *, on, actor):
    return WORKFLOW.run(complaint, "acknowledge", actor=actor, on=on)


def assign(complaint, handler, *, actor):
    return WORKFLOW.run(complaint, "assign", actor=actor, handler=handler)


def extend(
    complaint,
    *,
    actor,
    granted_on,
    reason,
    resident_told_on=None,
    extra_working_days=None,
    new_due_on=None,
    manager=None,
):
    """Extend the response deadline; beyond the procedure's limit this asks `manager`, whose approval
    (`approve_extension`) moves it."""
    return WORKFLOW.run(
        complaint,
        "extend",
        actor=actor,
        granted_on=granted_on,
        reason=reason,
        resident_told_on=resident_told_on,
        extra_working_days=extra_working_days,
        new_due_on=new_due_on,
        manager=manager,
    )


def approve_extension(complaint, *, actor, approved_on, good_reason, resident_told_on):
    return WORKFLOW.run(
        complaint,
        "approve_extension",
        actor=actor,
        approved_on=approved_on,
        good_reason=good_reason,
        resident_told_on=resident_told_on,
    )


def decline_extension(complaint, *, actor, reason):
    return WORKFLOW.run(complaint, "decline_extension", actor=actor, reason=reason)


@dataclass
class Point:
    summary: str
    decision: str
    reasons: str = ""


@dataclass
class RemedyLine:
    kind: str
    description: str = ""
    amount_pence: int | None = None


@dataclass
class ActionLine:
    description: str
    owner: object
    due_on: datetime.date


def draft_response(complaint, *, actor, summary, points, remedies=(), actions=(), letter_text=""):
    """Draft the stage's response for approval (the complaints officer at stage 1, a manager at stage 2)."""
    return WORKFLOW.run(
        complaint,
        "draft_response",
        actor=actor,
        summary=summary,
        points=points,
        remedies=remedies,
        actions=actions,
        letter_text=letter_text,
    )


def approve_response(complaint, *, actor):
    return WORKFLOW.run(complaint, "approve_response", actor=actor)


def send_back_response(complaint, *, actor, comment):
    return WORKFLOW.run(complaint, "send_back_response", actor=actor, comment=comment)


def send_response(complaint, *, actor):
    """Send the approved response: recorded as sent today (its clock stops today) and its letter sent."""
    return WORKFLOW.run(complaint, "send_response", actor=actor)


def respond(complaint, *, actor, on, summary, points, remedies=(), actions=()):
    """Record the stage's full response: a decision on each point, remedies and promised actions."""
    return WORKFLOW.run(
        complaint, "respond", actor=actor, on=on, summary=summary, points=points, remedies=remedies, actions=actions
    )


def resolve_early(complaint, *, actor, on, summary, resident_agreed, decision=StageOutcome.UPHELD):
    """'Get it Sorted': put right within 5 working days of receipt, with the resident's agreement."""
    return WORKFLOW.run(
        complaint,
        "resolve_early",
        actor=actor,
        on=on,
        summary=summary,
        resident_agreed=resident_agreed,
        decision=decision,
    )


def withdraw(complaint, *, actor, on, reason):
    return WORKFLOW.run(complaint, "withdraw", actor=actor, on=on, reason=reason)


def refuse(complaint, *, actor, on, reason, details):
    """Do not accept the complaint into the procedure, with reasons and the right to go to the ombudsman."""
    return WORKFLOW.run(complaint, "refuse", actor=actor, on=on, reason=reason, details=details)


def escalate(complaint, *, actor, requested_on, reason="", handler=None):
    """Open the next stage. The resident need not give reasons."""
    return WORKFLOW.run(complaint, "escalate", actor=actor, requested_on=requested_on, reason=reason, handler=handler)


def refuse_escalation(complaint, *, actor, requested_on, reason):
    return WORKFLOW.run(complaint, "refuse_escalation", actor=actor, requested_on=requested_on, reason=reason)


def close(complaint, *, actor):
    return WORKFLOW.run(complaint, "close", actor=actor)


def reopen(complaint, *, actor, on, reason):
    return WORKFLOW.run(complaint, "reopen", actor=actor, on=on, reason=reason)


def edit_details(complaint, *, actor, reason, **changes):
    """Correct what was recorded at intake (the fields of `forms.EditDetailsForm`; those not given stay as they
    are). The history says which fields changed from what to what, and why."""
    return WORKFLOW.run(complaint, "edit", actor=actor, reason=reason, **changes)


def merge(complaint, *, into, actor, reason, different_resident_confirmed=False):
    """Close `complaint` as a duplicate merged into the complaint whose reference is `into`."""
    return WORKFLOW.run(
        complaint,
        "merge",
        actor=actor,
        into=getattr(into, "reference", into),
        reason=reason,
        different_resident_confirmed=different_resident_confirmed,
    )


def unmerge(complaint, *, actor, reason):
    """Undo a merge made in error: the complaint is its own again, its moved notes and attachments back."""
    return WORKFLOW.run(complaint, "unmerge", actor=actor, reason=reason)


def flag_urgent(case, *, actor, reason, details=""):
    return WORKFLOW.run(case, "flag_urgent", actor=actor, reason=reason, details=details)


def flag_repeat_upheld(complaint, stage, actor):
    """Upheld a second time within 12 months for the same resident, property or issue nature: flag it for
    root-cause analysis and say what the complaints share."""
    since = _months_before(stage.responded_on, REPEAT_UPHELD_MONTHS)
    earlier = _repeat_candidates(complaint, since, until=stage.responded_on)
    matches = [
        RepeatUpheldMatch(
            complaint=complaint,
            earlier=other,
            same_resident=bool(complaint.resident_id and other.resident_id == complaint.resident_id),
            same_property=bool(complaint.home_id and other.home_id == complaint.home_id),
            same_issue_nature=other.issue_nature_id == complaint.issue_nature_id,
        )
        for other in earlier
    ]
    if not matches:
        return
    RepeatUpheldMatch.objects.bulk_create(matches, ignore_conflicts=True)
    complaint.repeat_upheld = True
    complaint.save(update_fields=["repeat_upheld", "updated_at"])
    references = ", ".join(m.earlier.reference for m in matches)
    shared = _shared_words(matches)
    record_event(
        complaint,
        "repeat_upheld",
        f"Upheld again within {REPEAT_UPHELD_MONTHS} months for the same {shared} "
        f"(earlier: {references}). Flagged for root-cause analysis.",
        actor=actor,
        data={"earlier": [m.earlier.reference for m in matches]},
    )


# A busy issue nature (responsive repairs: over a hundred upheld a year) would otherwise give every new
# upheld complaint a hundred matches; the most recent few say enough for root-cause analysis. Matches on
# the same resident or property are all kept.
REPEAT_ISSUE_NATURE_MATCHES_KEPT = 3


def _repeat_candidates(complaint, since, until=None):
    """Other complaints upheld or partly upheld at any stage since `since` (and up to `until`) that share the
    resident, the property or the issue nature: every one sharing the resident or property first, then the
    latest few sharing only the issue nature."""
    upheld_stages = ComplaintStage.objects.filter(
        complaint_id=OuterRef("pk"),
        outcome__in=[StageOutcome.UPHELD, StageOutcome.PARTLY_UPHELD],
        responded_on__gte=since,
    )
    if until is not None:
        upheld_stages = upheld_stages.filter(responded_on__lte=until)
    person = Q()
    if complaint.resident_id:
        person |= Q(resident_id=complaint.resident_id)
    if complaint.home_id:
        person |= Q(home_id=complaint.home_id)
    # EXISTS rather than a join through the stages, so no DISTINCT: the newest few sharing the issue nature are
    # then found by walking complaints newest first (the kind and received date index) and stopping at the
    # third, instead of collecting and sorting every upheld complaint of that nature. Among 1,000,000
    # complaints (bench/work_queue.py) that is 24 ms instead of 236 ms on every complaint page awaiting a response.
    others = Complaint.objects.filter(kind=CaseKind.COMPLAINT).exclude(pk=complaint.pk).filter(Exists(upheld_stages))
    same_person = list(others.filter(person).order_by("-received_on", "-pk")) if person else []
    same_nature = others.filter(issue_nature_id=complaint.issue_nature_id)
    if person:
        same_nature = same_nature.exclude(person)
    latest = list(same_nature.order_by("-received_on", "-pk")[:REPEAT_ISSUE_NATURE_MATCHES_KEPT])
    return same_person + latest


def _shared_words(matches):
    shared = []
    if any(m.same_resident for m in matches):
        shared.append("resident")
    if any(m.same_property for m in matches):
        shared.append("property")
    if any(m.same_issue_nature for m in matches):
        shared.append("issue nature")
    return " or ".join(shared) if len(shared) < 3 else "resident, property or issue nature"


def _months_before(day, months):
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last_day = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def earlier_upheld_complaints(complaint):
    """For the warning on the complaint page before a response is recorded: complaints of the same resident,
    property or issue nature upheld in the 12 months before this one was received, or since (those sharing
    the resident or property first)."""
    since = _months_before(complaint.received_on, REPEAT_UPHELD_MONTHS)
    return _repeat_candidates(complaint, since)


# --- Service requests ---------------------------------------------------------------------------------


@transaction.atomic
def log_service_request(
    *, actor, received_on, service_area, description, channel, resident=None, home=None, summary=""
):
    if received_on > _today():
        raise InvalidInput("The date received cannot be in the future.")
    if not (description or "").strip():
        raise InvalidInput("Describe what the resident asked for.")
    request = ServiceRequest.objects.create(
        reference=next_reference("SR", received_on),
        kind=CaseKind.SERVICE_REQUEST,
        status=ServiceRequestStatus.OPEN,
        summary=(summary or description).strip().splitlines()[0][:250],
        service_area=service_area,
        resident=resident,
        home=home or (resident.home if resident else None),
        received_on=received_on,
        description=description.strip(),
        channel=channel,
    )
    record_event(request, "logged", f"Service request received on {_format(received_on)}.", actor=actor)
    return request


@transaction.atomic
def complete_service_request(request, *, actor, on):
    if request.status != ServiceRequestStatus.OPEN:
        raise NotAllowed("Only an open service request can be completed.")
    request.status = ServiceRequestStatus.COMPLETED
    request.completed_on = on
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "completed_on", "closed_at", "updated_at"])
    record_event(request, "completed", f"Service request completed on {_format(on)}.", actor=actor)
    return request


def raise_complaint_from_service_request(request, *, actor, **complaint_fields):
    """The resident is unhappy with how the request is handled: a complaint starts, the request goes on,
    and each links to the other."""
    complaint_fields.setdefault("resident", request.resident)
    complaint_fields.setdefault("home", request.home)
    complaint_fields.setdefault("service_area", request.service_area)
    return log_complaint(actor=actor, service_request=request, **complaint_fields)


# --- Safeguards ---------------------------------------------------------------------------------------


def bar_officer(resident, officer, *, reason, actor):
    if not (reason or "").strip():
        raise InvalidInput("Record why the officer must not handle this resident's cases.")
    barred, created = BarredOfficer.objects.get_or_create(
        resident=resident, officer=officer, defaults={"reason": reason.strip(), "recorded_by": actor}
    )
    if not created:
        raise NotAllowed("That officer is already barred from this resident's cases.")
    return barred


def add_contact_restriction(resident, *, restriction, reason, review_on, actor, starts_on=None, letters=""):
    starts_on = starts_on or _today()
    if review_on <= starts_on:
        raise InvalidInput("The review date must be after the restriction starts.")
    if not (restriction or "").strip() or not (reason or "").strip():
        raise InvalidInput("Describe the restriction and the behaviour that led to it.")
    if (letters or "") not in LettersRule.values:
        raise InvalidInput("Choose what the restriction means for letters.", "letters")
    return ContactRestriction.objects.create(
        resident=resident,
        restriction=restriction.strip(),
        letters=letters or "",
        reason=reason.strip(),
        starts_on=starts_on,
        review_on=review_on,
        recorded_by=actor,
    )


def end_contact_restriction(restriction, *, on, actor):
    if restriction.ended_on:
        raise NotAllowed("That restriction has already ended.")
    restriction.ended_on = on
    restriction.save(update_fields=["ended_on"])
    return restriction
