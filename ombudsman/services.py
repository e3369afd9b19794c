"""The ombudsman case lifecycle. Each change is one function: it checks the change is allowed now, keeps the
clocks right and writes the timeline.

Deadlines: every information request, every contribution asked of a service and every order or
recommendation with a due date has an `sla` clock running to the date the ombudsman (or the complaints team)
set, so the daily deadline sweep reminds the case officer before it and escalates after it, like any other
clock. Recording the reply, the contribution or the compliance stops the clock."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from casework.models import CaseKind, Ombudsman
from casework.roles import Role, has_role
from casework.services import DomainError, add_attachment, assign_case, next_reference, notify, record_event
from learning.services import open_plan_for_ombudsman_findings
from ombudsman.models import (
    FAULT_OUTCOMES,
    OPEN_STAGES,
    OUTCOMES_BY_OMBUDSMAN,
    Determination,
    Finding,
    FindingOutcome,
    InformationRequest,
    OmbudsmanCase,
    OmbudsmanStage,
    Order,
    OrderKind,
    OrderType,
    ServiceContribution,
)
from sla import services as clocks

INFORMATION_REQUEST_CLOCK = "ombudsman_information_request"
CONTRIBUTION_CLOCK = "ombudsman_service_contribution"
ORDER_CLOCK = "ombudsman_order"

S = OmbudsmanStage

# Who handles ombudsman cases: the complaints team and managers. Investigating officers see the cases of their
# service areas (and contribute what they are asked for) but record nothing on the case itself.
HANDLER_ROLES = (Role.COMPLAINTS_OFFICER, Role.MANAGER, Role.ADMINISTRATOR)


def may_handle(user):
    return has_role(user, *HANDLER_ROLES)


# The one place that says which stage each change may happen in. Services refuse the rest.
ALLOWED_FROM = {
    "assign": set(OPEN_STAGES),
    "start_assessment": {S.ENQUIRY},
    "request_information": {S.ENQUIRY, S.ASSESSMENT, S.INFORMATION_REQUESTED, S.INVESTIGATION},
    "start_investigation": {S.ASSESSMENT, S.INFORMATION_REQUESTED},
    "record_determination": {S.ASSESSMENT, S.INFORMATION_REQUESTED, S.INVESTIGATION},
    "close": set(OPEN_STAGES),
}

# Where each stage-changing action takes the case.
MOVES_TO = {
    "start_assessment": S.ASSESSMENT,
    "request_information": S.INFORMATION_REQUESTED,
    "start_investigation": S.INVESTIGATION,
    "record_determination": S.DETERMINATION,
    "close": S.CLOSED,
}

ACTION_LABELS = {
    "assign": "Assign",
    "start_assessment": "Ombudsman is assessing",
    "request_information": "Record a request for information",
    "start_investigation": "Ombudsman is investigating",
    "record_determination": "Record the determination",
    "close": "Close",
}

ACTION_PAST = {
    "assign": "assigned",
    "start_assessment": "moved to assessment",
    "request_information": "given a request for information",
    "start_investigation": "moved to investigation",
    "record_determination": "given a determination",
    "close": "closed",
}


def _format(day):
    return day.strftime("%a %-d %b %Y")


def _today():
    return timezone.localdate()


def _name(user):
    return user.get_full_name() or user.get_username()


def _check_date(on, *, not_before, what):
    if on is None:
        raise DomainError(f"Enter the {what} date.")
    if on > _today():
        raise DomainError(f"The {what} date cannot be in the future.")
    if on < not_before:
        raise DomainError(f"The {what} date cannot be before {_format(not_before)}.")


# --- What is allowed now ------------------------------------------------------------------------------


def open_information_requests(case):
    return case.information_requests.filter(reply_sent_on__isnull=True)


def outstanding_orders(case):
    """Orders (not recommendations) without compliance recorded and evidence sent to the ombudsman."""
    determination = getattr(case, "determination", None)
    if determination is None:
        return Order.objects.none()
    return determination.orders.filter(kind=OrderKind.ORDER).exclude(
        complied_on__isnull=False, evidence_sent_on__isnull=False
    )


def why_not_allowed(case, action):
    """Why `action` is not allowed now, or None when it is."""
    if case.status not in ALLOWED_FROM[action]:
        return f"An ombudsman case at '{case.get_stage_display().lower()}' cannot be {ACTION_PAST[action]}."
    if action in ("start_investigation", "record_determination") and open_information_requests(case).exists():
        return "Send the reply to the ombudsman's open request for information first."
    if action == "close" and case.status == S.DETERMINATION and outstanding_orders(case).exists():
        return "Every order needs compliance recorded and its evidence sent to the ombudsman before closing."
    return None


def allowed_actions(case):
    return [action for action in ALLOWED_FROM if why_not_allowed(case, action) is None]


def _require(case, action):
    refusal = why_not_allowed(case, action)
    if refusal:
        raise DomainError(refusal)


def _lock(case):
    return OmbudsmanCase.objects.select_for_update().get(pk=case.pk)


def _move(case, action, *, actor, summary, data=None):
    previous = case.get_stage_display()
    case.status = MOVES_TO[action]
    fields = ["status", "updated_at"]
    if case.status == S.CLOSED:
        case.closed_at = timezone.now()
        fields.append("closed_at")
    case.save(update_fields=fields)
    record_event(case, action, summary, actor=actor, data={"from": previous, **(data or {})})


# --- Opening a case -----------------------------------------------------------------------------------


@transaction.atomic
def open_case(
    *,
    actor,
    ombudsman,
    received_on,
    original_complaint=None,
    ombudsman_reference="",
    ombudsman_contact="",
    summary="",
    description="",
    service_area=None,
    resident=None,
    assigned_to=None,
    external_reference=None,
):
    """Record that the ombudsman has a case about the council, usually about a complaint that went through
    the council's procedure. What the complaint knows (resident, property, service area) is carried over."""
    if ombudsman not in Ombudsman.values:
        raise DomainError("Choose which ombudsman has the case.")
    _check_date(received_on, not_before=datetime.date(1990, 1, 1), what="received")
    ombudsman_reference = (ombudsman_reference or "").strip()
    if (
        ombudsman_reference
        and OmbudsmanCase.objects.filter(ombudsman=ombudsman, ombudsman_reference__iexact=ombudsman_reference).exists()
    ):
        raise DomainError(f"There is already a case with the ombudsman's reference {ombudsman_reference}.")
    if original_complaint is not None:
        if received_on < original_complaint.received_on:
            raise DomainError("The ombudsman cannot have the case before the complaint was received.")
        service_area = service_area or original_complaint.service_area
        resident = resident or original_complaint.resident
        summary = summary or original_complaint.summary
    if service_area is None:
        raise DomainError("Choose the service area the case is about.")
    summary = (summary or description or "").strip()
    if not summary:
        raise DomainError("Enter a one-line summary of the case.")
    case = OmbudsmanCase.objects.create(
        reference=next_reference("OMB", received_on),
        kind=CaseKind.OMBUDSMAN,
        status=S.ENQUIRY,
        summary=summary.splitlines()[0][:250],
        service_area=service_area,
        resident=resident,
        representative=original_complaint.representative if original_complaint else None,
        home=(original_complaint.home if original_complaint else None) or (resident.home if resident else None),
        received_on=received_on,
        external_reference=external_reference,
        ombudsman=ombudsman,
        ombudsman_reference=ombudsman_reference,
        ombudsman_contact=(ombudsman_contact or "").strip(),
        original_complaint=original_complaint,
        description=(description or "").strip(),
    )
    who = Ombudsman(ombudsman).label
    their_ref = f" (their reference {ombudsman_reference})" if ombudsman_reference else ""
    record_event(
        case,
        "opened",
        f"The {who} told the council of the case on {_format(received_on)}{their_ref}."
        + (f" It is about complaint {original_complaint.reference}." if original_complaint else ""),
        actor=actor,
        data={"complaint": original_complaint.reference if original_complaint else None},
    )
    if original_complaint is not None:
        record_event(
            original_complaint,
            "referred_to_ombudsman",
            f"The resident took the complaint to the {who}: ombudsman case {case.reference}{their_ref}.",
            actor=actor,
            data={"ombudsman_case": case.reference},
        )
    if assigned_to is not None:
        _assign(case, assigned_to, actor=actor)
    return case


def _assign(case, handler, *, actor):
    if not has_role(handler, Role.COMPLAINTS_OFFICER, Role.MANAGER):
        raise DomainError(f"{_name(handler)} is not a complaints officer or a manager.")
    assign_case(
        case,
        handler,
        actor=actor,
        summary=f"Assigned to {_name(handler)}.",
        notice=f"{case.reference} ({case.get_ombudsman_display()}): {case.summary}.",
    )


@transaction.atomic
def assign(case, handler, *, actor):
    case = _lock(case)
    _require(case, "assign")
    _assign(case, handler, actor=actor)
    return case


# --- Stage changes ------------------------------------------------------------------------------------


@transaction.atomic
def start_assessment(case, *, actor, on):
    case = _lock(case)
    _require(case, "start_assessment")
    _check_date(on, not_before=case.received_on, what="assessment")
    _move(case, "start_assessment", actor=actor, summary=f"The ombudsman started assessing the case on {_format(on)}.")
    return case


@transaction.atomic
def start_investigation(case, *, actor, on):
    case = _lock(case)
    _require(case, "start_investigation")
    _check_date(on, not_before=case.received_on, what="investigation")
    _move(case, "start_investigation", actor=actor, summary=f"The ombudsman started investigating on {_format(on)}.")
    return case


@transaction.atomic
def close(case, *, actor, on, reason=""):
    """Close the case: after the determination once every order is complied with and evidenced, or earlier
    when the ombudsman decided not to go on (with the reason)."""
    case = _lock(case)
    _require(case, "close")
    _check_date(on, not_before=case.received_on, what="closing")
    reason = (reason or "").strip()
    if case.status != S.DETERMINATION and not reason:
        raise DomainError("Say why the case closed without a determination (for example, the ombudsman declined it).")
    # Nothing is chased on a closed case: its requests, contributions and recommendations stop counting.
    for clock in case.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=on)
    case.closed_on = on
    case.closure_reason = reason
    case.save(update_fields=["closed_on", "closure_reason"])
    _move(case, "close", actor=actor, summary=f"Case closed on {_format(on)}." + (f" {reason}" if reason else ""))
    return case


# --- Requests for information -------------------------------------------------------------------------


@transaction.atomic
def request_information(case, *, actor, received_on, due_on, details):
    """Record the ombudsman's request for information and start its clock to their deadline."""
    case = _lock(case)
    _require(case, "request_information")
    _check_date(received_on, not_before=case.received_on, what="request received")
    if due_on is None or due_on < received_on:
        raise DomainError("The ombudsman's deadline must be on or after the day the request arrived.")
    details = (details or "").strip()
    if not details:
        raise DomainError("Say what the ombudsman asked for.")
    clock = clocks.start_clock(
        case,
        purpose=INFORMATION_REQUEST_CLOCK,
        label="Reply to the ombudsman's request for information",
        started_on=received_on,
        due_on=due_on,
    )
    item = InformationRequest.objects.create(
        case=case, received_on=received_on, due_on=due_on, details=details, clock=clock
    )
    _move(
        case,
        "request_information",
        actor=actor,
        summary=f"The ombudsman asked for information on {_format(received_on)}; reply due {_format(due_on)}.",
        data={"information_request": item.pk},
    )
    return item


def why_not_information_request(item, action):
    if not item.is_open:
        return f"The reply to this request was sent on {_format(item.reply_sent_on)}; it cannot change now."
    if item.case.status == S.CLOSED:
        return "The case is closed."
    return None


def _lock_request(item):
    item = InformationRequest.objects.select_for_update(of=("self",)).select_related("case", "clock").get(pk=item.pk)
    refusal = why_not_information_request(item, "")
    if refusal:
        raise DomainError(refusal)
    return item


@transaction.atomic
def extend_information_request(item, *, actor, agreed_on, new_due_on, reason):
    """The ombudsman agreed more time: the clock moves to their new date, kept as an extension event."""
    item = _lock_request(item)
    _check_date(agreed_on, not_before=item.received_on, what="agreement")
    previous = item.due_on
    _, clock = clocks.extend_clock(item.clock, granted_on=agreed_on, new_due_on=new_due_on, reason=reason, actor=actor)
    item.due_on = clock.due_on
    item.save(update_fields=["due_on"])
    record_event(
        item.case,
        "information_request_extended",
        f"The ombudsman agreed more time for the reply: due {_format(clock.due_on)} (was {_format(previous)}). "
        f"{reason.strip()}",
        actor=actor,
    )
    return item


@transaction.atomic
def ask_service(item, *, actor, service_area, officer, due_on, requested_on=None, details=""):
    """Ask a service for its part of the reply, with its own due date (before the ombudsman's, to leave
    time to put the reply together)."""
    item = _lock_request(item)
    requested_on = requested_on or _today()
    _check_date(requested_on, not_before=item.received_on, what="asked")
    if service_area is None or officer is None:
        raise DomainError("Choose the service and the officer asked to contribute.")
    if due_on is None or due_on < requested_on:
        raise DomainError("The contribution's due date must be on or after the day it was asked for.")
    if due_on > item.due_on:
        raise DomainError(f"The contribution must be due by the ombudsman's deadline, {_format(item.due_on)}.")
    clock = clocks.start_clock(
        item.case,
        purpose=CONTRIBUTION_CLOCK,
        label=f"Contribution from {service_area} ({_name(officer)}) to the ombudsman's request",
        started_on=requested_on,
        due_on=due_on,
    )
    contribution = ServiceContribution.objects.create(
        request=item,
        service_area=service_area,
        officer=officer,
        requested_on=requested_on,
        due_on=due_on,
        details=(details or "").strip(),
        clock=clock,
    )
    record_event(
        item.case,
        "contribution_requested",
        f"{service_area} ({_name(officer)}) asked for their part of the reply by {_format(due_on)}.",
        actor=actor,
        data={"contribution": contribution.pk},
    )
    notify(
        officer,
        f"Ombudsman case {item.case.reference}: information needed by {_format(due_on)}",
        f"The {item.case.get_ombudsman_display()} asked the council for information on {item.case.reference} "
        f"({item.case.summary}). Please send the part from {service_area} by {_format(due_on)}."
        + (f"\n\n{contribution.details}" if contribution.details else ""),
        kind="ombudsman_contribution",
        case=item.case,
        url=item.case.get_absolute_url(),
    )
    return contribution


@transaction.atomic
def record_contribution(contribution, *, actor, received_on, notes=""):
    contribution = (
        ServiceContribution.objects.select_for_update(of=("self",))
        .select_related("request__case", "clock")
        .get(pk=contribution.pk)
    )
    refusal = why_not_information_request(contribution.request, "")
    if refusal:
        raise DomainError(refusal)
    if contribution.received_on is not None:
        raise DomainError(
            f"{contribution.service_area}'s contribution was recorded on {_format(contribution.received_on)}."
        )
    _check_date(received_on, not_before=contribution.requested_on, what="contribution received")
    if contribution.clock_id:
        contribution.clock = clocks.stop_clock(contribution.clock, on=received_on)
    contribution.received_on = received_on
    contribution.notes = (notes or "").strip()
    contribution.save(update_fields=["received_on", "notes"])
    late = " (late)" if received_on > contribution.due_on else ""
    record_event(
        contribution.request.case,
        "contribution_received",
        f"{contribution.service_area}'s contribution received on {_format(received_on)}{late}.",
        actor=actor,
        data={"contribution": contribution.pk},
    )
    return contribution


@transaction.atomic
def send_reply(item, *, actor, sent_on, summary):
    """Record the one consolidated reply sent to the ombudsman; it stops the request's clock, and the
    clocks of any contribution that never came (the reply has gone without it)."""
    item = _lock_request(item)
    _check_date(sent_on, not_before=item.received_on, what="reply sent")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("Summarise the reply sent to the ombudsman.")
    clock = clocks.stop_clock(item.clock, on=sent_on) if item.clock_id else None
    item.clock = clock
    missing = []
    for contribution in item.contributions.select_related("service_area", "clock"):
        if contribution.received_on is None:
            missing.append(str(contribution.service_area))
            if contribution.clock_id and contribution.clock.is_open:
                clocks.stop_clock(contribution.clock, on=sent_on)
    item.reply_sent_on = sent_on
    item.reply_summary = summary
    item.reply_sent_by = actor if actor is not None and actor.is_authenticated else None
    item.save(update_fields=["reply_sent_on", "reply_summary", "reply_sent_by"])
    timing = "" if clock is None else (" on time" if clock.met else f" late (due {_format(item.due_on)})")
    without = f" Sent without the contributions of {', '.join(missing)}." if missing else ""
    record_event(
        item.case,
        "information_sent",
        f"Reply to the ombudsman's request for information sent{timing} on {_format(sent_on)}.{without}",
        actor=actor,
        data={"information_request": item.pk, "met": clock.met if clock else None},
    )
    return item


# --- The determination --------------------------------------------------------------------------------


@dataclass
class FindingLine:
    complaint_head: str
    category: object
    outcome: str
    reasons: str = ""


@dataclass
class OrderLine:
    order_type: str
    kind: str = OrderKind.ORDER
    description: str = ""
    amount_pence: int | None = None
    due_on: datetime.date | None = None
    finding_number: int | None = None


def validate_outcome(ombudsman, outcome):
    """An outcome the ombudsman of the case gives, or a DomainError that says which ones it does."""
    allowed = OUTCOMES_BY_OMBUDSMAN[ombudsman]
    if outcome not in allowed:
        label = dict(FindingOutcome.choices).get(outcome, outcome)
        names = ", ".join(FindingOutcome(o).label.lower() for o in allowed)
        raise DomainError(f"'{label}' is not a finding the {Ombudsman(ombudsman).label} makes; use one of: {names}.")


def _check_findings(case, findings):
    if not findings:
        raise DomainError("Record at least one finding: one for each head of complaint.")
    for number, finding in enumerate(findings, start=1):
        if not (finding.complaint_head or "").strip():
            raise DomainError(f"Finding {number}: say which head of complaint it is on.")
        if finding.category is None:
            raise DomainError(f"Finding {number}: choose its category.")
        if not finding.category.is_active:
            raise DomainError(f"Finding {number}: the category '{finding.category}' is no longer in use.")
        validate_outcome(case.ombudsman, finding.outcome)


def _check_orders(orders, findings, determined_on):
    for number, order in enumerate(orders, start=1):
        what = f"{OrderKind(order.kind).label} {number}" if order.kind in OrderKind.values else f"Order {number}"
        if order.kind not in OrderKind.values:
            raise DomainError(f"{what}: say whether it is an order or a recommendation.")
        if order.order_type not in OrderType.values:
            raise DomainError(f"{what}: choose what it orders (compensation, repairs, apology, ...).")
        if order.order_type == OrderType.COMPENSATION and not order.amount_pence:
            raise DomainError(f"{what}: give the amount of compensation, in pounds and pence.")
        if order.amount_pence is not None and order.amount_pence < 0:
            raise DomainError(f"{what}: compensation cannot be negative.")
        if order.kind == OrderKind.ORDER and order.due_on is None:
            raise DomainError(f"{what}: give the date the ombudsman set for compliance.")
        if order.due_on is not None and order.due_on < determined_on:
            raise DomainError(f"{what}: it cannot be due before the determination.")
        if order.finding_number is not None and not 1 <= order.finding_number <= len(findings):
            raise DomainError(f"{what}: there is no finding {order.finding_number}.")
        if order.order_type == OrderType.COMPENSATION and order.finding_number is None:
            raise DomainError(f"{what}: say which finding the compensation is for (reports count it by category).")


@transaction.atomic
def record_determination(case, *, actor, determined_on, findings, orders=(), summary=""):
    """Record the ombudsman's determination: one finding per complaint head, each with its category and an
    outcome this ombudsman gives, and its orders and recommendations, each with a clock to its due date."""
    case = _lock(case)
    _require(case, "record_determination")
    _check_date(determined_on, not_before=case.received_on, what="determination")
    findings, orders = list(findings), list(orders)
    _check_findings(case, findings)
    _check_orders(orders, findings, determined_on)
    determination = Determination.objects.create(
        case=case,
        determined_on=determined_on,
        summary=(summary or "").strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    saved = Finding.objects.bulk_create(
        [
            Finding(
                determination=determination,
                number=number,
                complaint_head=f.complaint_head.strip()[:300],
                category=f.category,
                outcome=f.outcome,
                reasons=(f.reasons or "").strip(),
            )
            for number, f in enumerate(findings, start=1)
        ]
    )
    by_number = {finding.number: finding for finding in saved}
    for line in orders:
        order = Order.objects.create(
            determination=determination,
            finding=by_number.get(line.finding_number),
            kind=line.kind,
            order_type=line.order_type,
            description=(line.description or "").strip()[:500],
            amount_pence=line.amount_pence if line.order_type == OrderType.COMPENSATION else None,
            due_on=line.due_on,
        )
        if order.due_on is not None:
            order.clock = clocks.start_clock(
                case,
                purpose=ORDER_CLOCK,
                label=f"Comply with the ombudsman's {order.get_kind_display().lower()}: "
                f"{order.get_order_type_display().lower()}",
                started_on=determined_on,
                due_on=order.due_on,
            )
            order.save(update_fields=["clock"])
    counts = {}
    for finding in saved:
        counts[finding.get_outcome_display().lower()] = counts.get(finding.get_outcome_display().lower(), 0) + 1
    outcome_words = ", ".join(f"{n} {label}" for label, n in counts.items())
    order_count = sum(1 for o in orders if o.kind == OrderKind.ORDER)
    recommendation_count = len(orders) - order_count
    _move(
        case,
        "record_determination",
        actor=actor,
        summary=f"Determination of {_format(determined_on)} recorded: {len(saved)} finding"
        f"{'s' if len(saved) != 1 else ''} ({outcome_words}), {order_count} order{'s' if order_count != 1 else ''} "
        f"and {recommendation_count} recommendation{'s' if recommendation_count != 1 else ''}.",
        data={"determination": determination.pk},
    )
    if any(finding.outcome in FAULT_OUTCOMES for finding in saved):
        maladministration_found(determination, actor=actor)
    return determination


def maladministration_found(determination, *, actor=None):
    """A determination with findings of fault was recorded (severe maladministration, maladministration or
    service failure from the Housing Ombudsman; upheld from the LGSCO): the service learns from it like an
    upheld complaint, in a learning action plan opened here. Called inside the transaction that records the
    determination, so the plan is saved with it or not at all. Returns the findings of fault."""
    faults = list(determination.findings.filter(outcome__in=FAULT_OUTCOMES).select_related("category"))
    heads = "; ".join(f"{f.complaint_head} ({f.category}: {f.get_outcome_display().lower()})" for f in faults)
    plan = open_plan_for_ombudsman_findings(determination.case, faults, actor=actor)
    learning = f" Learning action plan {plan.reference} opened for the service." if plan else ""
    record_event(
        determination.case,
        "maladministration_found",
        f"The ombudsman found fault: {heads}.{learning}",
        actor=actor,
        data={
            "determination": determination.pk,
            "findings": [f.pk for f in faults],
            "learning_plan": plan.reference if plan else None,
        },
    )
    return faults


# --- Orders and compliance ----------------------------------------------------------------------------


def why_not_order(order, action):
    if order.determination.case.status == S.CLOSED:
        return "The case is closed."
    if action == "comply" and order.complied_on is not None:
        return f"Compliance was recorded on {_format(order.complied_on)}."
    if action == "evidence_sent":
        if order.complied_on is None:
            return "Record compliance before sending the evidence to the ombudsman."
        if order.evidence_sent_on is not None:
            return f"The evidence was sent to the ombudsman on {_format(order.evidence_sent_on)}."
    return None


def _lock_order(order, action):
    order = (
        Order.objects.select_for_update(of=("self",)).select_related("determination__case", "clock").get(pk=order.pk)
    )
    refusal = why_not_order(order, action)
    if refusal:
        raise DomainError(refusal)
    return order


@transaction.atomic
def record_compliance(order, *, actor, complied_on, evidence, files=()):
    """The council did what the ombudsman ordered or recommended: the date, the evidence in words, and any
    documents (stored as the case's attachments and linked to the order). Stops the order's clock."""
    order = _lock_order(order, "comply")
    case = order.determination.case
    _check_date(complied_on, not_before=order.determination.determined_on, what="compliance")
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError("Describe the evidence that the order was complied with.")
    attachments = [
        add_attachment(case, upload, actor, description=f"Evidence: {order.get_order_type_display().lower()}")
        for upload in files
        if upload
    ]
    if order.clock_id and order.clock.is_open:
        order.clock = clocks.stop_clock(order.clock, on=complied_on)
    order.complied_on = complied_on
    order.compliance_evidence = evidence
    order.save(update_fields=["complied_on", "compliance_evidence"])
    if attachments:
        order.evidence.add(*attachments)
    late = " (after its due date)" if order.due_on and complied_on > order.due_on else ""
    record_event(
        case,
        "order_complied",
        f"Complied with the {order.get_kind_display().lower()} ({order.get_order_type_display().lower()}) "
        f"on {_format(complied_on)}{late}: {evidence}",
        actor=actor,
        data={"order": order.pk, "attachments": [a.pk for a in attachments]},
    )
    return order


@transaction.atomic
def record_evidence_sent(order, *, actor, sent_on):
    order = _lock_order(order, "evidence_sent")
    _check_date(sent_on, not_before=order.complied_on, what="evidence sent")
    order.evidence_sent_on = sent_on
    order.save(update_fields=["evidence_sent_on"])
    record_event(
        order.determination.case,
        "order_evidence_sent",
        f"Evidence of compliance with the {order.get_kind_display().lower()} "
        f"({order.get_order_type_display().lower()}) sent to the ombudsman on {_format(sent_on)}.",
        actor=actor,
        data={"order": order.pk},
    )
    return order
