"""The complaint lifecycle. Each transition is one function: it checks the transition is allowed now, updates
the complaint and its stage, keeps the clocks right and writes the timeline."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from casework.models import CaseKind
from casework.roles import Role, has_role
from casework.services import DomainError, assign_case, next_reference, notify_urgent, record_event
from complaints.models import (
    OPEN_STATUSES,
    BarredOfficer,
    Complaint,
    ComplaintPoint,
    ComplaintStage,
    ComplaintStatus,
    ContactRestriction,
    EscalationRefusal,
    ProcedureVersion,
    RefusalReason,
    Remedy,
    RemedyKind,
    RepeatUpheldMatch,
    ResponseAction,
    ResponseClockStart,
    ServiceRequest,
    ServiceRequestStatus,
    StageOutcome,
)
from sla import engine
from sla import services as clocks

EARLY_RESOLUTION_WORKING_DAYS = 5
REPEAT_UPHELD_MONTHS = 12

# The one place that says which transitions each status allows. Services refuse the rest.
ALLOWED_FROM = {
    "acknowledge": {ComplaintStatus.RECEIVED},
    "assign": set(OPEN_STATUSES),
    "extend": {ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED},
    "respond": {ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED},
    "resolve_early": {ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED},
    "withdraw": set(OPEN_STATUSES),
    "refuse": {ComplaintStatus.RECEIVED},
    "escalate": {ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED},
    "refuse_escalation": {ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED},
    "close": {ComplaintStatus.RESPONDED},
    "reopen": {
        ComplaintStatus.CLOSED,
        ComplaintStatus.WITHDRAWN,
        ComplaintStatus.RESOLVED_EARLY,
        ComplaintStatus.REFUSED,
    },
}

ACTION_LABELS = {
    "acknowledge": "Acknowledge",
    "assign": "Assign",
    "extend": "Extend the deadline",
    "respond": "Record the response",
    "resolve_early": "Resolve early",
    "withdraw": "Withdraw",
    "refuse": "Do not accept",
    "escalate": "Escalate",
    "refuse_escalation": "Refuse escalation",
    "close": "Close",
    "reopen": "Reopen",
}


def _format(day):
    return day.strftime("%a %-d %b %Y")


def _today():
    return timezone.localdate()


# --- Procedures ---------------------------------------------------------------------------------------


def version_in_force(on_date):
    version = (
        ProcedureVersion.objects.filter(applies_from__lte=on_date)
        .select_related("procedure")
        .order_by("-applies_from")
        .first()
    )
    if version is None:
        raise DomainError(f"No complaints procedure applies on {_format(on_date)}; an administrator must set one.")
    return version


def stage_definition(complaint, number=None):
    number = number or complaint.current_stage
    # Looked up among `.all()` rather than filtered in SQL: a page that prefetched the procedure's stages (two
    # or three rows) answers from them, where a filter would ask the database again for every action checked.
    stage = next((stage for stage in complaint.procedure_version.stages.all() if stage.number == number), None)
    if stage is None:
        raise DomainError(f"The procedure has no stage {number}.")
    return stage


# --- What is allowed now ------------------------------------------------------------------------------


def current_stage(complaint):
    # As in stage_definition: from the prefetched stages when the page loaded them, else one query. Services
    # pass a freshly locked complaint, which has no prefetched stages, so they always read the stored rows.
    for stage in complaint.stages.all():
        if stage.number == complaint.current_stage:
            return stage
    raise ComplaintStage.DoesNotExist(f"{complaint.reference} has no stage {complaint.current_stage}.")


def why_not_allowed(complaint, action):
    """Why `action` is not allowed now, or None when it is."""
    if complaint.status not in ALLOWED_FROM[action]:
        return (
            f"A complaint that is '{ComplaintStatus(complaint.status).label.lower()}' cannot be {action_past(action)}."
        )
    definition = stage_definition(complaint)
    stage = current_stage(complaint)
    if action == "acknowledge" and definition.acknowledge_within is None:
        return f"{definition.name} of this procedure has no acknowledgement step."
    if action == "respond" and complaint.status == ComplaintStatus.RECEIVED and definition.acknowledge_within:
        return "Acknowledge the complaint before recording the response."
    if action == "extend" and clocks.open_clock(complaint, response_purpose(complaint.current_stage)) is None:
        return "There is no running response deadline to extend; acknowledge the complaint first."
    if action in ("resolve_early", "refuse") and complaint.current_stage != 1:
        return "Only a stage 1 complaint can be resolved early or not accepted."
    if action in ("escalate", "refuse_escalation"):
        if stage.responded_on is None or not stage.outcome:
            return "Only a complaint whose stage was answered with a decision can be escalated."
        if complaint.is_final_stage:
            return f"{definition.name} is the procedure's last stage; the resident may go to the ombudsman."
    return None


def action_past(action):
    return {
        "acknowledge": "acknowledged",
        "assign": "assigned",
        "extend": "extended",
        "respond": "responded to",
        "resolve_early": "resolved early",
        "withdraw": "withdrawn",
        "refuse": "refused",
        "escalate": "escalated",
        "refuse_escalation": "refused escalation",
        "close": "closed",
        "reopen": "reopened",
    }[action]


def allowed_actions(complaint):
    return [action for action in ALLOWED_FROM if why_not_allowed(complaint, action) is None]


def _require(complaint, action):
    refusal = why_not_allowed(complaint, action)
    if refusal:
        raise DomainError(refusal)


def _lock(complaint):
    # The procedure's stage definitions come along: a transition consults them three or four times, and they do
    # not change under it. The complaint's own stages are not prefetched, since a transition adds to them.
    return (
        Complaint.objects.select_for_update()
        .select_related("procedure_version__procedure")
        .prefetch_related("procedure_version__stages")
        .get(pk=complaint.pk)
    )


def acknowledgement_purpose(stage_number):
    return f"stage{stage_number}_acknowledgement"


def response_purpose(stage_number):
    return f"stage{stage_number}_response"


def _check_date(on, *, not_before, what):
    if on > _today():
        raise DomainError(f"The {what} date cannot be in the future.")
    if on < not_before:
        raise DomainError(f"The {what} date cannot be before {_format(not_before)}.")


# --- Starting a stage's clocks ------------------------------------------------------------------------


def _start_stage_clocks(complaint, stage):
    definition = stage_definition(complaint, stage.number)
    division = complaint.procedure_version.procedure.division
    if definition.acknowledge_within is not None:
        clocks.start_clock(
            complaint,
            purpose=acknowledgement_purpose(stage.number),
            label=f"Acknowledge {definition.name.lower()}",
            started_on=stage.requested_on,
            working_days=definition.acknowledge_within,
            division=division,
        )
    if definition.respond_from == ResponseClockStart.RECEIPT or definition.acknowledge_within is None:
        _start_response_clock(complaint, stage, started_on=stage.requested_on)


def _start_response_clock(complaint, stage, *, started_on):
    definition = stage_definition(complaint, stage.number)
    return clocks.start_clock(
        complaint,
        purpose=response_purpose(stage.number),
        label=f"Respond to {definition.name.lower()}",
        started_on=started_on,
        working_days=definition.respond_within,
        division=complaint.procedure_version.procedure.division,
        extension_cap=definition.extension_cap,
    )


def _stop_open_clocks(complaint, on):
    for clock in complaint.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=on)


# --- Safeguards on who may handle a case --------------------------------------------------------------


def check_handler(complaint, handler, stage_number=None):
    stage_number = stage_number or complaint.current_stage
    if not has_role(handler, Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER):
        raise DomainError(f"{handler.get_full_name() or handler} is not a complaints or investigating officer.")
    if (
        complaint.resident_id
        and BarredOfficer.objects.filter(resident_id=complaint.resident_id, officer=handler).exists()
    ):
        raise DomainError(
            f"{handler.get_full_name() or handler} must not handle this resident's cases (recorded lost trust)."
        )
    definition = stage_definition(complaint, stage_number)
    if definition.independent_handler:
        earlier = complaint.stages.filter(number__lt=stage_number, handler=handler)
        if earlier.exists():
            raise DomainError(
                f"{definition.name} must be handled by someone who did not handle an earlier stage; "
                f"{handler.get_full_name() or handler} handled stage {earlier.first().number}."
            )


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
    vulnerability_noted=False,
    issue_occurred_on=None,
    assigned_to=None,
    team=None,
    service_request=None,
    procedure_version=None,
    external_reference=None,
):
    if received_on > _today():
        raise DomainError("The date received cannot be in the future.")
    if issue_nature is None:
        raise DomainError("Choose the issue nature: every complaint must have one.")
    if not (description or "").strip():
        raise DomainError("Describe the complaint as you understand it.")
    if not (outcome_wanted or "").strip():
        raise DomainError("Say what outcome the resident wants.")
    if issue_occurred_on and issue_occurred_on > received_on:
        raise DomainError("The issue cannot have happened after the complaint was received.")
    version = procedure_version or version_in_force(received_on)
    first_stage = version.stages.order_by("number").first()
    if first_stage is None:
        raise DomainError(f"{version} has no stages.")
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
        is_urgent=is_urgent,
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
    _start_stage_clocks(complaint, stage)
    record_event(
        complaint,
        "logged",
        f"Complaint received by {complaint.get_channel_display().lower()} on {_format(received_on)} and logged "
        f"under {version.procedure.name}.",
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
        _assign(complaint, assigned_to, actor=actor)
    if is_urgent:
        notify_urgent(complaint)
    return complaint


# --- Transitions --------------------------------------------------------------------------------------


@transaction.atomic
def acknowledge(complaint, *, on, actor):
    complaint = _lock(complaint)
    _require(complaint, "acknowledge")
    stage = current_stage(complaint)
    _check_date(on, not_before=stage.requested_on, what="acknowledgement")
    ack_clock = clocks.open_clock(complaint, acknowledgement_purpose(stage.number))
    if ack_clock:
        clocks.stop_clock(ack_clock, on=on)
    stage.acknowledged_on = on
    stage.save(update_fields=["acknowledged_on"])
    definition = stage_definition(complaint)
    response_clock = clocks.open_clock(complaint, response_purpose(stage.number))
    if response_clock is None:
        response_clock = _start_response_clock(complaint, stage, started_on=on)
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.save(update_fields=["status", "updated_at"])
    late = ack_clock is not None and not ack_clock.met
    record_event(
        complaint,
        "acknowledged",
        f"{definition.name} acknowledged on {_format(on)}{' (late)' if late else ''}. "
        f"Full response due {_format(response_clock.due_on)}.",
        actor=actor,
    )
    return complaint


def _assign(complaint, handler, *, actor):
    check_handler(complaint, handler)
    stage = current_stage(complaint)
    stage.handler = handler
    stage.save(update_fields=["handler"])
    assign_case(
        complaint,
        handler,
        actor=actor,
        summary=f"{stage.name} assigned to {handler.get_full_name() or handler.get_username()}.",
        notice=f"{complaint.reference}: {complaint.summary}. Next deadline: "
        f"{_format(complaint.next_due_on) if complaint.next_due_on else 'none'}.",
    )


@transaction.atomic
def assign(complaint, handler, *, actor):
    complaint = _lock(complaint)
    _require(complaint, "assign")
    _assign(complaint, handler, actor=actor)
    return complaint


@transaction.atomic
def extend(
    complaint,
    *,
    actor,
    granted_on,
    reason,
    resident_told_on,
    extra_working_days=None,
    new_due_on=None,
    approved_by=None,
):
    complaint = _lock(complaint)
    _require(complaint, "extend")
    if resident_told_on is None:
        raise DomainError("Record the date the resident was told about the extension and why.")
    if resident_told_on > _today():
        raise DomainError("The date the resident was told cannot be in the future.")
    stage = current_stage(complaint)
    clock = clocks.open_clock(complaint, response_purpose(stage.number))
    previous = clock.due_on
    extension, clock = clocks.extend_clock(
        clock,
        granted_on=granted_on,
        reason=reason,
        extra_working_days=extra_working_days,
        new_due_on=new_due_on,
        resident_told_on=resident_told_on,
        approved_by=approved_by,
        actor=actor,
    )
    stage.extended = True
    stage.save(update_fields=["extended"])
    approval = (
        f" Beyond the procedure's limit; approved by {approved_by.get_full_name() or approved_by}."
        if extension.beyond_cap
        else ""
    )
    record_event(
        complaint,
        "extended",
        f"Response deadline extended from {_format(previous)} to {_format(clock.due_on)}: {extension.reason}. "
        f"Resident told on {_format(resident_told_on)}.{approval}",
        actor=actor,
        data={"extension": extension.pk, "beyond_cap": extension.beyond_cap},
    )
    return complaint


def _outcome_of(decisions):
    decisions = set(decisions)
    if decisions == {StageOutcome.UPHELD}:
        return StageOutcome.UPHELD
    if decisions == {StageOutcome.NOT_UPHELD}:
        return StageOutcome.NOT_UPHELD
    return StageOutcome.PARTLY_UPHELD


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


@transaction.atomic
def respond(complaint, *, actor, on, summary, points, remedies=(), actions=()):
    """Record the stage's full response: a decision on each point, remedies and promised actions."""
    complaint = _lock(complaint)
    _require(complaint, "respond")
    stage = current_stage(complaint)
    _check_date(on, not_before=stage.acknowledged_on or stage.requested_on, what="response")
    if not (summary or "").strip():
        raise DomainError("Summarise the response sent to the resident.")
    points = [p for p in points if p.summary.strip()]
    if not points:
        raise DomainError("Record a decision on at least one point of the complaint.")
    for point in points:
        if point.decision not in StageOutcome.values:
            raise DomainError(f"'{point.decision}' is not a decision; use upheld, partly upheld or not upheld.")
    for remedy in remedies:
        if remedy.kind not in RemedyKind.values:
            raise DomainError(f"'{remedy.kind}' is not a kind of remedy.")
        if remedy.kind == RemedyKind.COMPENSATION and not remedy.amount_pence:
            raise DomainError("Give the amount of compensation offered, in pounds and pence.")
        if remedy.amount_pence is not None and remedy.amount_pence < 0:
            raise DomainError("Compensation cannot be negative.")
    for action in actions:
        if not action.description.strip() or action.owner is None or action.due_on is None:
            raise DomainError("Each promised action needs a description, an owner and a due date.")

    response_clock = clocks.open_clock(complaint, response_purpose(stage.number))
    ack_clock = clocks.open_clock(complaint, acknowledgement_purpose(stage.number))
    if ack_clock:
        clocks.stop_clock(ack_clock, on=on)
    within_code = None
    if response_clock:
        code_due = clocks.code_compliant_due_on(response_clock)
        response_clock = clocks.stop_clock(response_clock, on=on)
        within_code = on <= code_due
    ComplaintPoint.objects.bulk_create(
        [
            ComplaintPoint(stage=stage, summary=p.summary.strip()[:300], decision=p.decision, reasons=p.reasons)
            for p in points
        ]
    )
    Remedy.objects.bulk_create(
        [
            Remedy(stage=stage, kind=r.kind, description=r.description[:300], amount_pence=r.amount_pence)
            for r in remedies
        ]
    )
    ResponseAction.objects.bulk_create(
        [ResponseAction(stage=stage, description=a.description[:300], owner=a.owner, due_on=a.due_on) for a in actions]
    )
    calendar = engine.get_calendar(complaint.procedure_version.procedure.division)
    stage.responded_on = on
    stage.response_summary = summary.strip()
    stage.outcome = _outcome_of(p.decision for p in points)
    stage.compensation_pence = sum(r.amount_pence or 0 for r in remedies if r.kind == RemedyKind.COMPENSATION)
    stage.within_code_timescale = within_code
    stage.working_days_to_respond = calendar.working_days_between(stage.requested_on, on)
    if stage.handler_id is None and complaint.assigned_to_id:
        stage.handler_id = complaint.assigned_to_id
    stage.save()
    complaint.status = ComplaintStatus.RESPONDED
    complaint.save(update_fields=["status", "updated_at"])
    timing = ""
    if response_clock is not None:
        timing = " on time" if within_code else " late"
    money = f" Compensation offered: £{stage.compensation_pence / 100:,.2f}." if stage.compensation_pence else ""
    next_step = (
        " This was the final stage: the resident may refer the complaint to the ombudsman."
        if complaint.is_final_stage
        else " The resident may ask to escalate it."
    )
    record_event(
        complaint,
        "responded",
        f"{stage.name} response sent{timing} on {_format(on)}: "
        f"{stage.get_outcome_display().lower()}.{money}{next_step}",
        actor=actor,
        data={"outcome": stage.outcome, "compensation_pence": stage.compensation_pence},
    )
    if stage.outcome in (StageOutcome.UPHELD, StageOutcome.PARTLY_UPHELD):
        _flag_repeat_upheld(complaint, stage, actor)
    return complaint


def _flag_repeat_upheld(complaint, stage, actor):
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


@transaction.atomic
def resolve_early(complaint, *, actor, on, summary, resident_agreed):
    """'Get it Sorted': put right within 5 working days of receipt, with the resident's agreement."""
    complaint = _lock(complaint)
    _require(complaint, "resolve_early")
    stage = current_stage(complaint)
    _check_date(on, not_before=stage.requested_on, what="resolution")
    if not resident_agreed:
        raise DomainError("Early resolution needs the resident's agreement.")
    division = complaint.procedure_version.procedure.division
    latest = engine.add_working_days(stage.requested_on, EARLY_RESOLUTION_WORKING_DAYS, division=division)
    if on > latest:
        raise DomainError(
            f"Early resolution must happen within {EARLY_RESOLUTION_WORKING_DAYS} working days of receipt "
            f"(by {_format(latest)}); respond in full instead."
        )
    if not (summary or "").strip():
        raise DomainError("Say what was done to resolve it.")
    _stop_open_clocks(complaint, on)
    stage.responded_on = on
    stage.response_summary = summary.strip()
    stage.within_code_timescale = True
    stage.working_days_to_respond = engine.working_days_between(stage.requested_on, on, division=division)
    stage.save()
    complaint.status = ComplaintStatus.RESOLVED_EARLY
    complaint.early_resolution_agreed_on = on
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "early_resolution_agreed_on", "closed_at", "updated_at"])
    record_event(
        complaint,
        "resolved_early",
        f"Resolved early on {_format(on)} with the resident's agreement: {summary.strip()}",
        actor=actor,
    )
    return complaint


@transaction.atomic
def withdraw(complaint, *, actor, on, reason):
    complaint = _lock(complaint)
    _require(complaint, "withdraw")
    _check_date(on, not_before=complaint.received_on, what="withdrawal")
    if not (reason or "").strip():
        raise DomainError("Record how the resident withdrew the complaint.")
    _stop_open_clocks(complaint, on)
    complaint.status = ComplaintStatus.WITHDRAWN
    complaint.withdrawn_on = on
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "withdrawn_on", "closed_at", "updated_at"])
    record_event(complaint, "withdrawn", f"Withdrawn by the resident on {_format(on)}: {reason.strip()}", actor=actor)
    return complaint


def twelve_months_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def refuse(complaint, *, actor, on, reason, details):
    """Do not accept the complaint into the procedure, with reasons and the right to go to the ombudsman."""
    complaint = _lock(complaint)
    _require(complaint, "refuse")
    _check_date(on, not_before=complaint.received_on, what="decision")
    if reason not in RefusalReason.values:
        raise DomainError("Choose the reason for not accepting the complaint.")
    if not (details or "").strip():
        raise DomainError("Explain the decision as it was explained to the resident.")
    if reason == RefusalReason.OVER_TWELVE_MONTHS:
        if complaint.issue_occurred_on is None:
            raise DomainError("Record when the issue happened before refusing the complaint as too late.")
        limit = twelve_months_after(complaint.issue_occurred_on)
        if complaint.received_on <= limit:
            raise DomainError(
                f"The issue happened on {_format(complaint.issue_occurred_on)}, within 12 months of the complaint "
                f"({_format(complaint.received_on)}): it cannot be refused as too late."
            )
    _stop_open_clocks(complaint, on)
    complaint.status = ComplaintStatus.REFUSED
    complaint.refused_on = on
    complaint.refusal_reason = reason
    complaint.refusal_details = details.strip()
    complaint.closed_at = timezone.now()
    complaint.save(
        update_fields=["status", "refused_on", "refusal_reason", "refusal_details", "closed_at", "updated_at"]
    )
    ombudsman = complaint.service_area.get_ombudsman_display()
    record_event(
        complaint,
        "refused",
        f"Not accepted on {_format(on)}: {RefusalReason(reason).label}. {details.strip()} "
        f"The resident was told of their right to go to the {ombudsman}.",
        actor=actor,
        data={"reason": reason},
    )
    return complaint


@transaction.atomic
def escalate(complaint, *, actor, requested_on, reason="", handler=None):
    """Open the next stage. The resident need not give reasons."""
    complaint = _lock(complaint)
    _require(complaint, "escalate")
    previous = current_stage(complaint)
    _check_date(requested_on, not_before=previous.responded_on, what="escalation request")
    number = complaint.current_stage + 1
    definition = stage_definition(complaint, number)
    if handler is not None:
        check_handler(complaint, handler, number)
    stage = ComplaintStage.objects.create(
        complaint=complaint,
        number=number,
        name=definition.name,
        requested_on=requested_on,
        escalation_reason=(reason or "").strip(),
    )
    complaint.current_stage = number
    complaint.status = ComplaintStatus.RECEIVED
    complaint.closed_at = None
    complaint.assigned_to = None
    complaint.save(update_fields=["current_stage", "status", "closed_at", "assigned_to", "updated_at"])
    _start_stage_clocks(complaint, stage)
    record_event(
        complaint,
        "escalated",
        f"Escalated to {definition.name.lower()} at the resident's request of {_format(requested_on)}.",
        actor=actor,
        data={"stage": number},
    )
    if handler is not None:
        _assign(complaint, handler, actor=actor)
    return complaint


@transaction.atomic
def refuse_escalation(complaint, *, actor, requested_on, reason):
    complaint = _lock(complaint)
    _require(complaint, "refuse_escalation")
    if not (reason or "").strip():
        raise DomainError("Explain why the escalation is refused; the resident must be told.")
    previous = current_stage(complaint)
    _check_date(requested_on, not_before=previous.responded_on, what="escalation request")
    EscalationRefusal.objects.create(
        complaint=complaint, requested_on=requested_on, reason=reason.strip(), refused_by=actor
    )
    complaint.status = ComplaintStatus.CLOSED
    complaint.closed_at = complaint.closed_at or timezone.now()
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(
        complaint,
        "escalation_refused",
        f"Request of {_format(requested_on)} to escalate refused: {reason.strip()} "
        f"The resident was told of their right to go to the {complaint.service_area.get_ombudsman_display()}.",
        actor=actor,
    )
    return complaint


@transaction.atomic
def close(complaint, *, actor):
    complaint = _lock(complaint)
    _require(complaint, "close")
    complaint.status = ComplaintStatus.CLOSED
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(complaint, "closed", "Complaint closed.", actor=actor)
    return complaint


@transaction.atomic
def reopen(complaint, *, actor, on, reason):
    complaint = _lock(complaint)
    _require(complaint, "reopen")
    if not (reason or "").strip():
        raise DomainError("Say why the complaint is reopened.")
    _check_date(on, not_before=complaint.received_on, what="reopening")
    stage = current_stage(complaint)
    if stage.responded_on and stage.outcome:
        complaint.status = ComplaintStatus.RESPONDED
    elif stage.acknowledged_on or stage_definition(complaint).acknowledge_within is None:
        complaint.status = ComplaintStatus.ACKNOWLEDGED if stage.acknowledged_on else ComplaintStatus.RECEIVED
        stage.responded_on = None
        stage.within_code_timescale = None
        stage.working_days_to_respond = None
        stage.save(update_fields=["responded_on", "within_code_timescale", "working_days_to_respond"])
        _start_response_clock(complaint, stage, started_on=on)
    else:
        complaint.status = ComplaintStatus.RECEIVED
        stage.requested_on = on
        stage.save(update_fields=["requested_on"])
        _start_stage_clocks(complaint, stage)
    complaint.closed_at = None
    complaint.withdrawn_on = complaint.refused_on = complaint.early_resolution_agreed_on = None
    complaint.save(
        update_fields=["status", "closed_at", "withdrawn_on", "refused_on", "early_resolution_agreed_on", "updated_at"]
    )
    record_event(complaint, "reopened", f"Reopened on {_format(on)}: {reason.strip()}", actor=actor)
    return complaint


# --- Service requests ---------------------------------------------------------------------------------


@transaction.atomic
def log_service_request(
    *, actor, received_on, service_area, description, channel, resident=None, home=None, summary=""
):
    if received_on > _today():
        raise DomainError("The date received cannot be in the future.")
    if not (description or "").strip():
        raise DomainError("Describe what the resident asked for.")
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
        raise DomainError("Only an open service request can be completed.")
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
        raise DomainError("Record why the officer must not handle this resident's cases.")
    barred, created = BarredOfficer.objects.get_or_create(
        resident=resident, officer=officer, defaults={"reason": reason.strip(), "recorded_by": actor}
    )
    if not created:
        raise DomainError("That officer is already barred from this resident's cases.")
    return barred


def add_contact_restriction(resident, *, restriction, reason, review_on, actor, starts_on=None):
    starts_on = starts_on or _today()
    if review_on <= starts_on:
        raise DomainError("The review date must be after the restriction starts.")
    if not (restriction or "").strip() or not (reason or "").strip():
        raise DomainError("Describe the restriction and the behaviour that led to it.")
    return ContactRestriction.objects.create(
        resident=resident,
        restriction=restriction.strip(),
        reason=reason.strip(),
        starts_on=starts_on,
        review_on=review_on,
        recorded_by=actor,
    )


def end_contact_restriction(restriction, *, on, actor):
    if restriction.ended_on:
        raise DomainError("That restriction has already ended.")
    restriction.ended_on = on
    restriction.save(update_fields=["ended_on"])
    return restriction
