"""The ombudsman case's workflows (casework.workflow): the case's own stage changes, and the actions on its
items (requests for information, services' contributions, orders and recommendations), each item a small
workflow of its own whose state comes from its dates. Every change is recorded on the case's timeline.

Deadlines: every information request, every contribution asked of a service and every order or recommendation
with a due date has an `sla` clock running to the date the ombudsman (or the complaints team) set, so the daily
deadline sweep reminds the case officer before it and escalates after it, like any other clock. Recording the
reply, the contribution or the compliance stops the clock."""

from django.utils import timezone

from casework.models import Ombudsman
from casework.roles import Role, has_role
from casework.services import add_attachment, assign_case, notify, record_event
from casework.workflow import Done, Transition, Workflow, require_input
from casework.workflow import date_rule as _date_rule
from casework.workflow import name_of as _name
from casework.workflow import say_day as _format
from ombudsman import forms
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
from sla.models import ClockKind

S = OmbudsmanStage
OPEN = frozenset(OPEN_STAGES)

# Who records anything on an ombudsman case: the complaints team and managers. Investigating officers see the
# cases of their service areas (and contribute what they are asked for) but record nothing on the case itself.
HANDLER_ROLES = (Role.COMPLAINTS_OFFICER, Role.MANAGER, Role.ADMINISTRATOR)


def may_handle(user):
    return has_role(user, *HANDLER_ROLES)


def _handlers_only(obj, actor):
    if actor is not None and not may_handle(actor):
        return "Only complaints officers and managers record anything on an ombudsman case."
    return None


def _today():
    return timezone.localdate()


def _move(case, to, summary, data=None):
    previous = case.get_stage_display()
    case.status = to
    fields = ["status", "updated_at"]
    if to == S.CLOSED:
        case.closed_at = timezone.now()
        fields.append("closed_at")
    case.save(update_fields=fields)
    return Done(summary, data={"from": previous, **(data or {})})


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


# --- The case's stage changes ---------------------------------------------------------------------------


def _check_assign(case, data, actor, problems):
    handler = data.get("handler")
    if handler is None:
        problems.add("handler", "Choose the officer.")
    elif not has_role(handler, Role.COMPLAINTS_OFFICER, Role.MANAGER):
        problems.add("handler", f"{_name(handler)} is not a complaints officer or a manager.")


def assign_handler(case, handler, *, actor):
    assign_case(
        case,
        handler,
        actor=actor,
        summary=f"Assigned to {_name(handler)}.",
        notice=f"{case.reference} ({case.get_ombudsman_display()}): {case.summary}.",
    )


def _assign(case, *, actor, handler):
    assign_handler(case, handler, actor=actor)
    return Done(None)


def _check_on(what):
    def check(case, data, actor, problems):
        _date_rule(problems, data, "on", what=what, not_before=case.received_on)

    return check


def _start_assessment(case, *, actor, on):
    return _move(case, S.ASSESSMENT, f"The ombudsman started assessing the case on {_format(on)}.")


def _start_investigation(case, *, actor, on):
    return _move(case, S.INVESTIGATION, f"The ombudsman started investigating on {_format(on)}.")


def _no_open_request(case, actor):
    if open_information_requests(case).exists():
        return "Send the reply to the ombudsman's open request for information first."
    return None


def _orders_done(case, actor):
    if case.status == S.DETERMINATION and outstanding_orders(case).exists():
        return "Every order needs compliance recorded and its evidence sent to the ombudsman before closing."
    return None


def _check_close(case, data, actor, problems):
    _date_rule(problems, data, "on", what="closing", not_before=case.received_on)
    if case.status != S.DETERMINATION and not (data.get("reason") or "").strip():
        problems.add(
            "reason", "Say why the case closed without a determination (for example, the ombudsman declined it)."
        )


def _close(case, *, actor, on, reason=""):
    """After the determination once every order is complied with and evidenced, or earlier when the ombudsman
    decided not to go on (with the reason). Nothing is chased on a closed case: its clocks stop."""
    reason = (reason or "").strip()
    for clock in case.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=on)
    case.closed_on = on
    case.closure_reason = reason
    case.save(update_fields=["closed_on", "closure_reason"])
    return _move(case, S.CLOSED, f"Case closed on {_format(on)}." + (f" {reason}" if reason else ""))


def _check_request_information(case, data, actor, problems):
    received = _date_rule(problems, data, "received_on", what="request received", not_before=case.received_on)
    due = data.get("due_on")
    if due is None:
        problems.add("due_on", "Enter the deadline set by the ombudsman.")
    elif received is not None and due < received:
        problems.add("due_on", "The ombudsman's deadline must be on or after the day the request arrived.")
    require_input(data, "details", "Say what the ombudsman asked for.", problems)


def _request_information(case, *, actor, received_on, due_on, details):
    """Record the ombudsman's request for information and start its clock to their deadline."""
    clock = clocks.start_clock(
        case,
        kind=ClockKind.INFORMATION_REQUEST,
        label="Reply to the ombudsman's request for information",
        started_on=received_on,
        due_on=due_on,
    )
    item = InformationRequest.objects.create(
        case=case, received_on=received_on, due_on=due_on, details=details.strip(), clock=clock
    )
    done = _move(
        case,
        S.INFORMATION_REQUESTED,
        f"The ombudsman asked for information on {_format(received_on)}; reply due {_format(due_on)}.",
        data={"information_request": item.pk},
    )
    done.result = item
    return done


def _rows(items, cls, **renames):
    out = []
    for item in items:
        if isinstance(item, cls):
            out.append(item)
        else:
            values = {renames.get(key, key): value for key, value in item.items()}
            out.append(cls(**values))
    return out


def validate_outcome(ombudsman, outcome):
    """Why `outcome` is not one this ombudsman gives, or None."""
    allowed = OUTCOMES_BY_OMBUDSMAN[ombudsman]
    if outcome not in allowed:
        label = dict(FindingOutcome.choices).get(outcome, outcome)
        names = ", ".join(FindingOutcome(o).label.lower() for o in allowed)
        return f"'{label}' is not a finding the {Ombudsman(ombudsman).label} makes; use one of: {names}."
    return None


def _check_determination(case, data, actor, problems):
    from ombudsman.services import FindingLine, OrderLine

    determined = _date_rule(problems, data, "determined_on", what="determination", not_before=case.received_on)
    findings = _rows(data.get("findings") or [], FindingLine)
    if not findings:
        problems.add("findings", "Record at least one finding: one for each head of complaint.")
    for index, finding in enumerate(findings):
        if not (finding.complaint_head or "").strip():
            problems.add(f"findings.{index}.complaint_head", "Say which head of complaint the finding is on.")
        if finding.category is None:
            problems.add(f"findings.{index}.category", "Choose the category of this finding.")
        elif not finding.category.is_active:
            problems.add(f"findings.{index}.category", f"The category '{finding.category}' is no longer in use.")
        problem = validate_outcome(case.ombudsman, finding.outcome)
        if problem:
            problems.add(f"findings.{index}.outcome", problem)
    for index, order in enumerate(_rows(data.get("orders") or [], OrderLine, finding="finding_number")):
        row = f"orders.{index}"
        if order.kind not in OrderKind.values:
            problems.add(f"{row}.kind", "Say whether it is an order or a recommendation.")
        if order.order_type not in OrderType.values:
            problems.add(f"{row}.order_type", "Choose what the order or recommendation asks for.")
        if order.order_type == OrderType.COMPENSATION and not order.amount_pence:
            problems.add(f"{row}.amount_pence", "Enter the compensation, like 150 or 75.50.")
        if order.amount_pence is not None and order.amount_pence < 0:
            problems.add(f"{row}.amount_pence", "Compensation cannot be negative.")
        if order.kind == OrderKind.ORDER and order.due_on is None:
            problems.add(f"{row}.due_on", "Enter the date the ombudsman set for compliance.")
        if order.due_on is not None and determined is not None and order.due_on < determined:
            problems.add(f"{row}.due_on", "It cannot be due before the determination.")
        if order.finding_number is not None and not 1 <= order.finding_number <= len(findings):
            problems.add(f"{row}.finding", f"There is no finding {order.finding_number}.")
        elif order.finding_number is None and (order.kind == OrderKind.ORDER or order.order_type == "compensation"):
            # An order remedies a finding of the determination; compensation is reported by its finding's category.
            problems.add(f"{row}.finding", "Choose the finding of the determination it remedies.")


def _record_determination(case, *, actor, determined_on, findings, orders=(), summary=""):
    """One finding per complaint head, each with its category and an outcome this ombudsman gives, and its
    orders and recommendations, each with a clock to its due date."""
    from ombudsman.services import FindingLine, OrderLine, maladministration_found

    findings = _rows(findings, FindingLine)
    orders = _rows(orders, OrderLine, finding="finding_number")
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
                kind=ClockKind.ORDER,
                label=f"Comply with the ombudsman's {order.get_kind_display().lower()}: "
                f"{order.get_order_type_display().lower()}",
                started_on=determined_on,
                due_on=order.due_on,
            )
            order.save(update_fields=["clock"])
    counts = {}
    for finding in saved:
        label = finding.get_outcome_display().lower()
        counts[label] = counts.get(label, 0) + 1
    outcome_words = ", ".join(f"{n} {label}" for label, n in counts.items())
    order_count = sum(1 for o in orders if o.kind == OrderKind.ORDER)
    recommendation_count = len(orders) - order_count
    done = _move(
        case,
        S.DETERMINATION,
        f"Determination of {_format(determined_on)} recorded: {len(saved)} finding"
        f"{'s' if len(saved) != 1 else ''} ({outcome_words}), {order_count} order{'s' if order_count != 1 else ''} "
        f"and {recommendation_count} recommendation{'s' if recommendation_count != 1 else ''}.",
        data={"determination": determination.pk},
    )
    record_event(case, "record_determination", done.summary, actor=actor, data=done.data)
    if any(finding.outcome in FAULT_OUTCOMES for finding in saved):
        maladministration_found(determination, actor=actor)
    return Done(None, result=determination)


def lock_case(case):
    return OmbudsmanCase.objects.select_for_update(of=("self", "case_ptr")).get(pk=case.pk)


CASE_WORKFLOW = Workflow(
    noun="ombudsman case",
    transitions=[
        Transition("assign", "Assign", "assigned", OPEN, _assign, form=forms.AssignForm, check=_check_assign,
                   done="Case assigned."),
        Transition(
            "start_assessment", "Ombudsman is assessing", "moved to assessment", frozenset({S.ENQUIRY}),
            _start_assessment, form=forms.StageDateForm, check=_check_on("assessment"),
            done="The case is at assessment.",
        ),
        Transition(
            "request_information", "Record a request for information", "given a request for information",
            frozenset({S.ENQUIRY, S.ASSESSMENT, S.INFORMATION_REQUESTED, S.INVESTIGATION}), _request_information,
            form=forms.RequestInformationForm, check=_check_request_information,
            done="Request for information recorded; its deadline is running.",
        ),
        Transition(
            "start_investigation", "Ombudsman is investigating", "moved to investigation",
            frozenset({S.ASSESSMENT, S.INFORMATION_REQUESTED}), _start_investigation, form=forms.StageDateForm,
            check=_check_on("investigation"), guards=(_no_open_request,), done="The case is under investigation.",
        ),
        Transition(
            "record_determination", "Record the determination", "given a determination",
            frozenset({S.ASSESSMENT, S.INFORMATION_REQUESTED, S.INVESTIGATION}), _record_determination,
            form=forms.DeterminationForm, check=_check_determination, guards=(_no_open_request,),
            api_path="determination", done="Determination recorded.",
            page_context=lambda case, request: {
                "intro": f"The {case.get_ombudsman_display()}'s decision: one finding for each head of complaint, "
                "then its orders and recommendations."
            },
        ),
        Transition("close", "Close", "closed", OPEN, _close, form=forms.CloseForm, check=_check_close,
                   guards=(_orders_done,), warning=True, done="Case closed."),
    ],
    lock=lock_case,
    record=record_event,
    status_label=lambda case: case.get_stage_display().lower(),
    who=_handlers_only,
)  # fmt: skip


# --- Requests for information ---------------------------------------------------------------------------


def _case_open(item, actor):
    case = item.case if isinstance(item, InformationRequest) else item.request.case
    return "The case is closed." if case.status == S.CLOSED else None


def _record_on_case(item, kind, summary, *, actor=None, data=None, visible_to_member=False):
    case = item.case if isinstance(item, InformationRequest) else item.request.case
    record_event(case, kind, summary, actor=actor, data=data or {}, visible_to_member=visible_to_member)


def _request_state(item):
    return "answered" if item.reply_sent_on else "open"


def _request_label(item):
    return f"answered on {_format(item.reply_sent_on)}" if item.reply_sent_on else "open"


def _check_ask_service(item, data, actor, problems):
    requested = _date_rule(problems, data, "requested_on", what="asked", not_before=item.received_on, required=False)
    requested = requested or _today()
    if data.get("service_area") is None:
        problems.add("service_area", "Choose the service asked to contribute.")
    if data.get("officer") is None:
        problems.add("officer", "Choose the officer asked to contribute.")
    due = data.get("due_on")
    if due is None:
        problems.add("due_on", "Enter the date the contribution is due.")
    elif due < requested:
        problems.add("due_on", "The contribution's due date must be on or after the day it was asked for.")
    elif due > item.due_on:
        problems.add("due_on", f"The contribution must be due by the ombudsman's deadline, {_format(item.due_on)}.")


def _ask_service(item, *, actor, service_area, officer, due_on, requested_on=None, details=""):
    """Ask a service for its part of the reply, with its own due date (before the ombudsman's, to leave time to
    put the reply together)."""
    requested_on = requested_on or _today()
    clock = clocks.start_clock(
        item.case,
        kind=ClockKind.CONTRIBUTION,
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
    return Done(
        f"{service_area} ({_name(officer)}) asked for their part of the reply by {_format(due_on)}.",
        result=contribution,
        event="contribution_requested",
        data={"contribution": contribution.pk},
    )


def _check_reply(item, data, actor, problems):
    _date_rule(problems, data, "sent_on", what="reply sent", not_before=item.received_on)
    require_input(data, "summary", "Summarise the reply sent to the ombudsman.", problems)


def _send_reply(item, *, actor, sent_on, summary):
    """The one consolidated reply sent to the ombudsman; it stops the request's clock, and the clocks of any
    contribution that never came (the reply has gone without it)."""
    clock = clocks.stop_clock(item.clock, on=sent_on) if item.clock_id else None
    item.clock = clock
    missing = []
    for contribution in item.contributions.select_related("service_area", "clock"):
        if contribution.received_on is None:
            missing.append(str(contribution.service_area))
            if contribution.clock_id and contribution.clock.is_open:
                clocks.stop_clock(contribution.clock, on=sent_on)
    item.reply_sent_on = sent_on
    item.reply_summary = summary.strip()
    item.reply_sent_by = actor if actor is not None and actor.is_authenticated else None
    item.save(update_fields=["reply_sent_on", "reply_summary", "reply_sent_by"])
    timing = "" if clock is None else (" on time" if clock.met else f" late (due {_format(item.due_on)})")
    without = f" Sent without the contributions of {', '.join(missing)}." if missing else ""
    return Done(
        f"Reply to the ombudsman's request for information sent{timing} on {_format(sent_on)}.{without}",
        event="information_sent",
        data={"information_request": item.pk, "met": clock.met if clock else None},
    )


def _check_extend_request(item, data, actor, problems):
    _date_rule(problems, data, "agreed_on", what="agreement", not_before=item.received_on)
    new_due = data.get("new_due_on")
    if new_due is None:
        problems.add("new_due_on", "Enter the new deadline.")
    elif new_due <= item.due_on:
        problems.add("new_due_on", f"The new deadline must be after the current one ({_format(item.due_on)}).")
    require_input(data, "reason", "Say why more time was needed.", problems)


def _extend_request(item, *, actor, agreed_on, new_due_on, reason):
    """The ombudsman agreed more time: the clock moves to their new date, kept as an extension event."""
    previous = item.due_on
    _, clock = clocks.extend_clock(item.clock, granted_on=agreed_on, new_due_on=new_due_on, reason=reason, actor=actor)
    item.due_on = clock.due_on
    item.save(update_fields=["due_on"])
    return Done(
        f"The ombudsman agreed more time for the reply: due {_format(clock.due_on)} (was {_format(previous)}). "
        f"{reason.strip()}",
        event="information_request_extended",
    )


def lock_request(item):
    return InformationRequest.objects.select_for_update(of=("self",)).select_related("case", "clock").get(pk=item.pk)


ANSWERABLE = frozenset({"open"})
REQUEST_WORKFLOW = Workflow(
    noun="request for information",
    transitions=[
        Transition("ask_service", "Ask a service to contribute", "given a contributor", ANSWERABLE, _ask_service,
                   form=forms.AskServiceForm, check=_check_ask_service, guards=(_case_open,),
                   done="Service asked; its due date is running."),
        Transition("reply", "Record the reply sent to the ombudsman", "answered again", ANSWERABLE, _send_reply,
                   form=forms.ReplyForm, check=_check_reply, guards=(_case_open,),
                   done="Reply recorded; the deadline is stopped."),
        Transition("extend", "Record more time agreed by the ombudsman", "given more time", ANSWERABLE,
                   _extend_request, form=forms.ExtendRequestForm, check=_check_extend_request, guards=(_case_open,),
                   done="New deadline recorded."),
    ],
    lock=lock_request,
    record=_record_on_case,
    status_label=_request_label,
    status_of=_request_state,
    who=_handlers_only,
)  # fmt: skip


# --- Contributions ----------------------------------------------------------------------------------------


def _contribution_state(contribution):
    return "received" if contribution.received_on else "asked"


def _contribution_label(contribution):
    if contribution.received_on:
        return f"recorded on {_format(contribution.received_on)}"
    return "asked for"


def _request_still_open(contribution, actor):
    if contribution.request.reply_sent_on:
        return f"The reply to this request was sent on {_format(contribution.request.reply_sent_on)}."
    return None


def _check_contribution(contribution, data, actor, problems):
    _date_rule(problems, data, "received_on", what="contribution received", not_before=contribution.requested_on)


def _record_contribution(contribution, *, actor, received_on, notes=""):
    if contribution.clock_id:
        contribution.clock = clocks.stop_clock(contribution.clock, on=received_on)
    contribution.received_on = received_on
    contribution.notes = (notes or "").strip()
    contribution.save(update_fields=["received_on", "notes"])
    late = " (late)" if received_on > contribution.due_on else ""
    return Done(
        f"{contribution.service_area}'s contribution received on {_format(received_on)}{late}.",
        event="contribution_received",
        data={"contribution": contribution.pk},
    )


def lock_contribution(contribution):
    return (
        ServiceContribution.objects.select_for_update(of=("self",))
        .select_related("request__case", "clock", "service_area")
        .get(pk=contribution.pk)
    )


CONTRIBUTION_WORKFLOW = Workflow(
    noun="contribution",
    transitions=[
        Transition("received", "Record the contribution", "recorded again", frozenset({"asked"}),
                   _record_contribution, form=forms.ContributionReceivedForm, check=_check_contribution,
                   guards=(_case_open, _request_still_open), done="Contribution recorded."),
    ],
    lock=lock_contribution,
    record=_record_on_case,
    status_label=_contribution_label,
    status_of=_contribution_state,
    who=_handlers_only,
)  # fmt: skip


# --- Orders and compliance --------------------------------------------------------------------------------


def _order_state(order):
    if order.complied_on is None:
        return "outstanding"
    return "evidenced" if order.evidence_sent_on else "complied"


def _order_label(order):
    if order.complied_on is None:
        return "outstanding"
    if order.evidence_sent_on:
        return f"evidenced to the ombudsman on {_format(order.evidence_sent_on)}"
    return f"complied with on {_format(order.complied_on)}"


def _order_case_open(order, actor):
    return "The case is closed." if order.determination.case.status == S.CLOSED else None


def _record_on_order_case(order, kind, summary, *, actor=None, data=None, visible_to_member=False):
    record_event(order.determination.case, kind, summary, actor=actor, data=data or {})


def _check_comply(order, data, actor, problems):
    _date_rule(problems, data, "complied_on", what="compliance", not_before=order.determination.determined_on)
    require_input(data, "evidence", "Describe the evidence that the order was complied with.", problems)


def _comply(order, *, actor, complied_on, evidence, file=None, files=()):
    """The council did what the ombudsman ordered or recommended: the date, the evidence in words, and any
    documents (stored as the case's attachments and linked to the order). Stops the order's clock."""
    case = order.determination.case
    uploads = [upload for upload in (file, *files) if upload]
    attachments = [
        add_attachment(case, upload, actor, description=f"Evidence: {order.get_order_type_display().lower()}")
        for upload in uploads
    ]
    if order.clock_id and order.clock.is_open:
        order.clock = clocks.stop_clock(order.clock, on=complied_on)
    order.complied_on = complied_on
    order.compliance_evidence = evidence.strip()
    order.save(update_fields=["complied_on", "compliance_evidence"])
    if attachments:
        order.evidence.add(*attachments)
    late = " (after its due date)" if order.due_on and complied_on > order.due_on else ""
    return Done(
        f"Complied with the {order.get_kind_display().lower()} ({order.get_order_type_display().lower()}) "
        f"on {_format(complied_on)}{late}: {evidence.strip()}",
        event="order_complied",
        data={"order": order.pk, "attachments": [a.pk for a in attachments]},
    )


def _complied_first(order, actor):
    if order.complied_on is None:
        return "Record compliance before sending the evidence to the ombudsman."
    return None


def _check_evidence_sent(order, data, actor, problems):
    _date_rule(problems, data, "sent_on", what="evidence sent", not_before=order.complied_on)


def _evidence_sent(order, *, actor, sent_on):
    order.evidence_sent_on = sent_on
    order.save(update_fields=["evidence_sent_on"])
    return Done(
        f"Evidence of compliance with the {order.get_kind_display().lower()} "
        f"({order.get_order_type_display().lower()}) sent to the ombudsman on {_format(sent_on)}.",
        event="order_evidence_sent",
        data={"order": order.pk},
    )


def lock_order(order):
    return Order.objects.select_for_update(of=("self",)).select_related("determination__case", "clock").get(pk=order.pk)


ORDER_WORKFLOW = Workflow(
    noun="order",
    transitions=[
        Transition("comply", "Record compliance", "recorded as complied with again", frozenset({"outstanding"}),
                   _comply, form=forms.ComplianceForm, check=_check_comply, guards=(_order_case_open,),
                   done="Compliance recorded."),
        Transition("evidence_sent", "Record the evidence sent to the ombudsman", "evidenced again",
                   frozenset({"outstanding", "complied"}), _evidence_sent, form=forms.EvidenceSentForm,
                   check=_check_evidence_sent, guards=(_order_case_open, _complied_first),
                   done="Recorded: the evidence went to the ombudsman."),
    ],
    lock=lock_order,
    record=_record_on_order_case,
    status_label=_order_label,
    status_of=_order_state,
    who=_handlers_only,
)  # fmt: skip
