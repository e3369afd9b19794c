"""The complaint's workflow: every action on a complaint, its rules and what it does, in one place.

Each transition below is data for the kernel (`casework.workflow`): the statuses it may start from, its guards
(the complaint's state: 409), who may take it (403), its input (one form, for the page and the API), its input
rules (400, every problem at once) and the function that performs it. `complaints.services` exposes each one
as a function (`services.acknowledge(complaint, on=..., actor=...)`) that runs through the kernel, so a page,
the API, an import and a test all meet the same rules.

The Code's rules enforced here, each on every action (Housing Ombudsman Complaint Handling Code 2024, as
quoted in councils' published self-assessments):
- 6.13: "The person considering the complaint at stage 2 must not be the same person that considered the
  complaint at stage 1": the stage's handler history counts, not only its last handler, and someone who handled
  stage 1 may not record the stage 2 response either.
- 6.4 and 6.5 (stage 1; section 6 sets the same for stage 2 with 20 days): an extension is decided and the
  resident told, "no more than 10 working days without good reason"; it is agreed before the deadline. Beyond
  the limit it is a request to a named manager, whose own approval, with the good reason, moves the deadline.
- 6.2 and 6.3: acknowledged within 5 working days of receipt, answered within 10 of the acknowledgement; a late
  acknowledgement cannot buy time (complaints.deadlines).
- Early resolution records its decision and leaves the resident's right to stage 2 open (6.10: what is not
  resolved at stage 1 "must be progressed to stage 2")."""

import datetime

from django.db.models import Q
from django.utils import timezone

from casework import urgent
from casework.errors import NotAllowed
from casework.roles import Role, has_role
from casework.services import assign_case, notify, record_event
from casework.workflow import Done, Transition, Workflow, require_input
from casework.workflow import date_rule as _date_rule
from casework.workflow import name_of as _name
from casework.workflow import say_day as _format
from complaints import deadlines, forms
from complaints.models import (
    OPEN_STATUSES,
    BarredOfficer,
    Complaint,
    ComplaintPoint,
    ComplaintStage,
    ComplaintStatus,
    EscalationRefusal,
    ExtensionRequest,
    ExtensionRequestStatus,
    RefusalReason,
    Remedy,
    RemedyKind,
    ResponseAction,
    ResponseDraft,
    ResponseDraftStatus,
    StageHandler,
    StageOutcome,
)
from sla import engine
from sla import services as clocks
from sla.models import ClockKind

EARLY_RESOLUTION_WORKING_DAYS = 5
S = ComplaintStatus
OPEN = frozenset(OPEN_STATUSES)
ANSWERED = frozenset({S.RESPONDED, S.CLOSED, S.RESOLVED_EARLY})


def _today():
    return timezone.localdate()


# --- Reading the complaint ----------------------------------------------------------------------------


def stage_definition(complaint, number=None):
    number = number or complaint.current_stage
    # Looked up among `.all()` rather than filtered in SQL: a page that prefetched the procedure's stages (two
    # or three rows) answers from them, where a filter would ask the database again for every action checked.
    stage = next((stage for stage in complaint.procedure_version.stages.all() if stage.number == number), None)
    if stage is None:
        raise NotAllowed(f"The procedure has no stage {number}.")
    return stage


def stage_count(complaint):
    return len(complaint.procedure_version.stages.all())


def is_final_stage(complaint):
    return complaint.current_stage >= stage_count(complaint)


def current_stage(complaint):
    # As in stage_definition: from the prefetched stages when the page loaded them, else one query. The kernel
    # passes a freshly locked complaint, which has no prefetched stages, so transitions read the stored rows.
    for stage in complaint.stages.all():
        if stage.number == complaint.current_stage:
            return stage
    raise ComplaintStage.DoesNotExist(f"{complaint.reference} has no stage {complaint.current_stage}.")


def _calendar(complaint):
    return engine.get_calendar(complaint.procedure_version.procedure.division)


def _memo(complaint, key, compute):
    """Remember a read on the complaint object for the rest of the request: "what can I do now" asks every
    transition's guards in turn, and they share what they read."""
    memo = complaint.__dict__.setdefault("_workflow_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def open_clock(complaint, kind, stage_number=None):
    number = stage_number or complaint.current_stage
    return _memo(complaint, ("clock", kind, number), lambda: clocks.open_clock(complaint, kind, number))


def earlier_handler_ids(complaint, before_stage):
    """Everyone who handled (or recorded the response of) a stage before `before_stage`."""
    return _memo(
        complaint,
        ("earlier_handlers", before_stage),
        lambda: (
            set(
                StageHandler.objects.filter(stage__complaint=complaint, stage__number__lt=before_stage).values_list(
                    "officer_id", flat=True
                )
            )
            | {
                pk
                for pair in ComplaintStage.objects.filter(complaint=complaint, number__lt=before_stage).values_list(
                    "handler_id", "responded_by_id"
                )
                for pk in pair
                if pk
            }
        ),
    )


def pending_extension_request(complaint):
    """The current stage's extension request waiting for its manager, or None. From the stage's prefetched
    requests when the page loaded them (complaints.selectors.complaint_for)."""

    def read():
        stage = current_stage(complaint)
        if "extension_requests" in getattr(stage, "_prefetched_objects_cache", {}):
            return next((r for r in stage.extension_requests.all() if r.status == ExtensionRequestStatus.PENDING), None)
        return (
            ExtensionRequest.objects.filter(stage=stage, status=ExtensionRequestStatus.PENDING)
            .select_related("manager", "requested_by", "clock")
            .first()
        )

    return _memo(complaint, "pending_extension", read)


def barred_officer_ids(resident_id, case=None):
    if not resident_id:
        return set()
    compute = lambda: set(BarredOfficer.objects.filter(resident_id=resident_id).values_list("officer_id", flat=True))  # noqa: E731
    return _memo(case, "barred", compute) if case is not None else compute()


def remember_barred_officers(cases):
    """Read the barred officers of a page of cases in one query, for the guards of each row's actions."""
    cases = list(cases)
    resident_ids = {case.resident_id for case in cases if getattr(case, "resident_id", None)}
    barred: dict[int, set[int]] = {resident_id: set() for resident_id in resident_ids}
    for resident_id, officer_id in BarredOfficer.objects.filter(resident_id__in=resident_ids).values_list(
        "resident_id", "officer_id"
    ):
        barred[resident_id].add(officer_id)
    for case in cases:
        if getattr(case, "resident_id", None):
            _memo(case, "barred", lambda ids=barred[case.resident_id]: ids)
    return cases


def barred_from_case(case, actor):
    """The actor guard every workflow checks (registered in ComplaintsConfig.ready): an officer the resident
    lost trust in is refused every action on that resident's cases, not only assignment."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(case, "resident_id", None):
        return None
    if actor.pk in barred_officer_ids(case.resident_id, case):
        return f"{_name(actor)} must not handle this resident's cases (the resident lost trust); ask a colleague."
    return None


# --- Input rules shared by the transitions --------------------------------------------------------------


def handler_problem(complaint, handler, stage_number):
    """Why `handler` cannot handle the stage, or None: their role, a bar, and the Code's independence rule."""
    if not has_role(handler, Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER):
        return f"{_name(handler)} is not a complaints or investigating officer."
    if handler.pk in barred_officer_ids(complaint.resident_id, complaint):
        return f"{_name(handler)} must not handle this resident's cases (recorded lost trust)."
    definition = stage_definition(complaint, stage_number)
    if definition.independent_handler and handler.pk in earlier_handler_ids(complaint, stage_number):
        return (
            f"{definition.name} must be handled by someone who did not handle an earlier stage; "
            f"{_name(handler)} handled an earlier stage of this complaint."
        )
    return None


def _record_handler(stage, handler, actor):
    now = timezone.now()
    StageHandler.objects.filter(stage=stage, until__isnull=True).exclude(officer=handler).update(until=now)
    if not StageHandler.objects.filter(stage=stage, officer=handler, until__isnull=True).exists():
        StageHandler.objects.create(
            stage=stage, officer=handler, since=now, assigned_by=actor if getattr(actor, "pk", None) else None
        )
    stage.handler = handler
    stage.save(update_fields=["handler"])


def assign_handler(complaint, handler, *, actor):
    stage = current_stage(complaint)
    _record_handler(stage, handler, actor)
    assign_case(
        complaint,
        handler,
        actor=actor,
        summary=f"{stage.name} assigned to {_name(handler)}.",
        notice=f"{complaint.reference}: {complaint.summary}. Next deadline: "
        f"{_format(complaint.next_due_on) if complaint.next_due_on else 'none'}.",
    )


def start_stage_clocks(complaint, stage, *, on=None):
    """Start the clocks the stage runs from its request (or from `on`, a reopening)."""
    definition = stage_definition(complaint, stage.number)
    started = []
    for planned in deadlines.stage_clocks(
        definition, requested_on=on or stage.requested_on, acknowledged_on=None, calendar=_calendar(complaint)
    ):
        started.append(_start(complaint, planned))
    return started


def _start(complaint, planned):
    return clocks.start_clock(
        complaint,
        kind=planned.kind,
        stage=planned.stage,
        label=planned.label,
        started_on=planned.started_on,
        working_days=None if planned.due_on else planned.working_days,
        due_on=planned.due_on,
        division=complaint.procedure_version.procedure.division,
        extension_cap=planned.extension_cap,
    )


def _stop_open_clocks(complaint, on):
    for clock in complaint.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=on)


def _close(complaint, status, **fields):
    complaint.status = status
    complaint.closed_at = timezone.now()
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.save(update_fields=["status", "closed_at", "updated_at", *fields])


# --- acknowledge --------------------------------------------------------------------------------------


def _has_acknowledgement_step(complaint, actor):
    definition = stage_definition(complaint)
    if definition.acknowledge_within is None:
        return f"{definition.name} of this procedure has no acknowledgement step."
    return None


def _check_acknowledge(complaint, data, actor, problems):
    stage = current_stage(complaint)
    on = _date_rule(problems, data, "on", what="acknowledgement", not_before=stage.requested_on)
    definition = stage_definition(complaint)
    agreed = data.get("agreed_response_on")
    if definition.response_agreed:
        latest = deadlines.latest_agreed_date(definition, stage.requested_on)
        if agreed is None:
            problems.add("agreed_response_on", "Enter the response date agreed with the complainant.")
        elif on is not None and agreed <= on:
            problems.add("agreed_response_on", "The agreed response date must be after the acknowledgement.")
        elif latest is not None and agreed > latest:
            problems.add(
                "agreed_response_on",
                f"The response must be agreed for no later than {_format(latest)}, "
                f"{definition.agreed_within_months} months after receipt.",
            )
    elif agreed is not None:
        problems.add("agreed_response_on", "This procedure sets the response date; no date is agreed.")


def _acknowledge(complaint, *, actor, on, agreed_response_on=None):
    stage = current_stage(complaint)
    definition = stage_definition(complaint)
    ack_clock = open_clock(complaint, ClockKind.ACKNOWLEDGEMENT)
    # The stopped clock, not the one read before stopping it: whether it was met is known only now.
    ack_clock = clocks.stop_clock(ack_clock, on=on) if ack_clock else None
    stage.acknowledged_on = on
    stage.save(update_fields=["acknowledged_on"])
    response_clock = clocks.open_clock(complaint, ClockKind.RESPONSE, stage.number)
    if response_clock is None:
        planned = deadlines.response_clock(
            definition,
            requested_on=stage.requested_on,
            acknowledged_on=on,
            calendar=_calendar(complaint),
            agreed_on=agreed_response_on,
        )
        response_clock = _start(complaint, planned)
    complaint.status = S.ACKNOWLEDGED
    complaint.save(update_fields=["status", "updated_at"])
    late = ""
    if ack_clock is not None and not ack_clock.met:
        late = f" (late: due {_format(ack_clock.due_on)})"
    return Done(
        f"{definition.name} acknowledged on {_format(on)}{late}. Full response due {_format(response_clock.due_on)}"
        + (" (the date agreed with the complainant)." if agreed_response_on else "."),
        data={"met": ack_clock.met if ack_clock else None},
    )


# --- assign -------------------------------------------------------------------------------------------


def _check_assign(complaint, data, actor, problems):
    handler = data.get("handler")
    if handler is None:
        problems.add("handler", "Choose the officer.")
        return
    problem = handler_problem(complaint, handler, complaint.current_stage)
    if problem:
        problems.add("handler", problem)


def _assign_transition(complaint, *, actor, handler):
    assign_handler(complaint, handler, actor=actor)
    return Done(None)  # assign_case writes the history entry


# --- extend and the manager's decision ------------------------------------------------------------------


def _response_clock_running(complaint, actor):
    clock = open_clock(complaint, ClockKind.RESPONSE)
    if clock is None:
        return "There is no running response deadline to extend; acknowledge the complaint first."
    if clock.due_on is None:
        return "The response deadline is paused; resume it before extending it."
    return None


def _no_pending_request(complaint, actor):
    pending = pending_extension_request(complaint)
    if pending is not None:
        return f"An extension beyond the limit is waiting for {_name(pending.manager)}'s decision."
    return None


def _proposed_due(clock, data, calendar):
    if data.get("extra_working_days"):
        return calendar.add_working_days(clock.due_on, data["extra_working_days"])
    return data.get("new_due_on")


def _beyond_cap(clock, proposed, calendar):
    if clock.extension_cap_working_days is None or proposed is None:
        return False
    return clocks.extension_working_days(clock, proposed, calendar) > clock.extension_cap_working_days


def _check_extend(complaint, data, actor, problems):
    clock = open_clock(complaint, ClockKind.RESPONSE)
    stage = current_stage(complaint)
    calendar = clocks.engine.get_calendar(clock.division)
    granted = _date_rule(problems, data, "granted_on", what="extension", not_before=stage.requested_on)
    if granted is not None and granted > clock.due_on:
        # Agreed after the deadline, an extension would turn a late response into one "in time".
        problems.add(
            "granted_on",
            f"The response was due on {_format(clock.due_on)}: an extension cannot be agreed after the deadline "
            "has passed. Record the late response instead.",
        )
    days, new_due = data.get("extra_working_days"), data.get("new_due_on")
    if bool(days) == bool(new_due):
        problems.add("extra_working_days", "Give either the extra working days or the new due date.")
    if days is not None and days < 1:
        problems.add("extra_working_days", "An extension adds at least one working day.")
    if new_due is not None:
        if new_due <= clock.due_on:
            problems.add("new_due_on", f"The new due date must be after the current one ({_format(clock.due_on)}).")
        elif not calendar.is_working_day(new_due):
            problems.add("new_due_on", f"{_format(new_due)} is not a working day; choose a working day.")
    require_input(data, "reason", "Give the reason for the extension; the resident must be told why.", problems)
    beyond = _beyond_cap(clock, _proposed_due(clock, data, calendar), calendar)
    if beyond:
        manager = data.get("manager")
        if manager is None:
            problems.add(
                "manager",
                f"That is more than the {clock.extension_cap_working_days} working days the procedure allows: "
                "choose the manager to ask.",
            )
        elif not has_role(manager, Role.MANAGER):
            problems.add("manager", f"{_name(manager)} is not a manager.")
    else:
        told = data.get("resident_told_on")
        if told is None:
            problems.add("resident_told_on", "Record the date the resident was told about the extension and why.")
        else:
            _date_rule(problems, data, "resident_told_on", what="resident told", not_before=granted,
                       after_what="the extension")  # fmt: skip


def _extend(
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
    stage = current_stage(complaint)
    clock = open_clock(complaint, ClockKind.RESPONSE)
    calendar = clocks.engine.get_calendar(clock.division)
    proposed = _proposed_due(clock, {"extra_working_days": extra_working_days, "new_due_on": new_due_on}, calendar)
    if _beyond_cap(clock, proposed, calendar):
        request = ExtensionRequest.objects.create(
            stage=stage,
            clock=clock,
            requested_by=actor,
            manager=manager,
            requested_on=granted_on,
            extra_working_days=extra_working_days,
            new_due_on=new_due_on,
            reason=reason.strip(),
        )
        notify(
            manager,
            f"Extension to decide: {complaint.reference}",
            f"{_name(actor)} asks for {request.asked_for} on {complaint.reference} ({stage.name}), beyond the "
            f"{clock.extension_cap_working_days} working days the procedure allows: {request.reason} "
            f"The response is due {_format(clock.due_on)}; only your approval moves it.",
            kind="extension_request",
            case=complaint,
            url=complaint.get_absolute_url(),
        )
        return Done(
            f"Extension beyond the procedure's limit asked of {_name(manager)}: {request.asked_for}. "
            f"{request.reason} The deadline stays {_format(clock.due_on)} unless they approve it.",
            event="extension_requested",
            data={"extension_request": request.pk},
        )
    previous = clock.due_on
    extension, clock = clocks.extend_clock(
        clock,
        granted_on=granted_on,
        reason=reason,
        extra_working_days=extra_working_days,
        new_due_on=new_due_on,
        resident_told_on=resident_told_on,
        actor=actor,
    )
    stage.extended = True
    stage.save(update_fields=["extended"])
    return Done(
        f"Response deadline extended from {_format(previous)} to {_format(clock.due_on)}: {extension.reason}. "
        f"Resident told on {_format(resident_told_on)}.",
        data={"extension": extension.pk, "beyond_cap": False},
    )


def _has_pending_request(complaint, actor):
    if pending_extension_request(complaint) is None:
        return "There is no extension request waiting for a decision."
    return None


def _is_the_named_manager(complaint, actor):
    pending = pending_extension_request(complaint)
    if pending is not None and actor is not None and pending.manager_id != actor.pk:
        return f"Only {_name(pending.manager)}, the manager asked, can decide on this extension."
    return None


def _check_approve(complaint, data, actor, problems):
    pending = pending_extension_request(complaint)
    clock = pending.clock
    approved = _date_rule(
        problems, data, "approved_on", what="approval", not_before=pending.requested_on, after_what="the request"
    )
    if approved is not None and clock.due_on is not None and approved > clock.due_on:
        problems.add(
            "approved_on",
            f"The deadline passed on {_format(clock.due_on)} before the approval: record the late response instead.",
        )
    require_input(data, "good_reason", "Record the good reason for going beyond the procedure's limit.", problems)
    _date_rule(problems, data, "resident_told_on", what="resident told", not_before=approved,
               after_what="the approval")  # fmt: skip


def _approve_extension(complaint, *, actor, approved_on, good_reason, resident_told_on):
    pending = pending_extension_request(complaint)
    stage = pending.stage
    previous = pending.clock.due_on
    extension, clock = clocks.extend_clock(
        pending.clock,
        granted_on=approved_on,
        reason=pending.reason,
        extra_working_days=pending.extra_working_days,
        new_due_on=pending.new_due_on,
        resident_told_on=resident_told_on,
        approved_by=actor,
        approval_reason=good_reason.strip(),
        actor=actor,
    )
    pending.status = ExtensionRequestStatus.APPROVED
    pending.decided_on = approved_on
    pending.decision_reason = good_reason.strip()
    pending.extension = extension
    pending.save(update_fields=["status", "decided_on", "decision_reason", "extension"])
    stage.extended = True
    stage.save(update_fields=["extended"])
    if pending.requested_by_id != actor.pk:
        notify(
            pending.requested_by,
            f"Extension approved: {complaint.reference}",
            f"{_name(actor)} approved the extension: the response is now due {_format(clock.due_on)}.",
            kind="extension_decided",
            case=complaint,
            url=complaint.get_absolute_url(),
        )
    return Done(
        f"Extension beyond the procedure's limit approved by {_name(actor)} on {_format(approved_on)}: response "
        f"deadline moved from {_format(previous)} to {_format(clock.due_on)}. Good reason: {good_reason.strip()} "
        f"Resident told on {_format(resident_told_on)}.",
        event="extended",
        data={"extension": extension.pk, "beyond_cap": extension.beyond_cap, "extension_request": pending.pk},
    )


def _request_intro(complaint, request):
    pending = pending_extension_request(complaint)
    if pending is None:
        return {}
    return {
        "intro": f"{_name(pending.requested_by)} asks for {pending.asked_for} on {pending.stage.name.lower()}, "
        f"beyond the {pending.clock.extension_cap_working_days} working days the procedure allows: "
        f"{pending.reason} The response is due {_format(pending.clock.due_on)}."
    }


def _check_decline(complaint, data, actor, problems):
    require_input(data, "reason", "Say why the extension is declined; the officer who asked is told.", problems)


def _decline_extension(complaint, *, actor, reason):
    pending = pending_extension_request(complaint)
    pending.status = ExtensionRequestStatus.DECLINED
    pending.decided_on = _today()
    pending.decision_reason = reason.strip()
    pending.save(update_fields=["status", "decided_on", "decision_reason"])
    if pending.requested_by_id != actor.pk:
        notify(
            pending.requested_by,
            f"Extension declined: {complaint.reference}",
            f"{_name(actor)} declined the extension: {reason.strip()} The response is still due "
            f"{_format(pending.clock.due_on)}.",
            kind="extension_decided",
            case=complaint,
            url=complaint.get_absolute_url(),
        )
    return Done(f"Extension beyond the procedure's limit declined by {_name(actor)}: {reason.strip()}")


# --- respond ------------------------------------------------------------------------------------------


def _acknowledged_first(complaint, actor):
    if complaint.status == S.RECEIVED and stage_definition(complaint).acknowledge_within:
        return "Acknowledge the complaint before recording the response."
    return None


def _independent_handler(complaint, actor):
    definition = stage_definition(complaint)
    if not definition.independent_handler:
        return None
    stage = current_stage(complaint)
    if stage.handler_id is None:
        return (
            f"Assign {definition.name.lower()} to an officer who did not handle an earlier stage before "
            "recording its response."
        )
    if stage.handler_id in earlier_handler_ids(complaint, stage.number):
        return (
            f"{_name(stage.handler)} handled an earlier stage of this complaint, so cannot answer "
            f"{definition.name.lower()}: reassign it to someone independent."
        )
    return None


def _not_an_earlier_handler(complaint, actor):
    definition = stage_definition(complaint)
    if definition.independent_handler and actor.pk in earlier_handler_ids(complaint, complaint.current_stage):
        return (
            f"{_name(actor)} handled an earlier stage of this complaint, so cannot record the "
            f"{definition.name.lower()} response."
        )
    return None


def _rows(items, cls):
    return [item if isinstance(item, cls) else cls(**item) for item in items]


def _check_respond(complaint, data, actor, problems):
    from complaints.services import ActionLine, Point, RemedyLine

    stage = current_stage(complaint)
    not_before = stage.acknowledged_on or stage.requested_on
    _date_rule(problems, data, "on", what="response", not_before=not_before)
    require_input(data, "summary", "Summarise the response sent to the resident.", problems)
    points = [p for p in _rows(data.get("points") or [], Point) if (p.summary or "").strip()]
    if not points:
        problems.add("points", "Record a decision on at least one point of the complaint.")
    for index, point in enumerate(points):
        if point.decision not in StageOutcome.values:
            problems.add(f"points.{index}.decision", f"'{point.decision}' is not a decision.")
    for index, remedy in enumerate(_rows(data.get("remedies") or [], RemedyLine)):
        if remedy.kind not in RemedyKind.values:
            problems.add(f"remedies.{index}.kind", f"'{remedy.kind}' is not a kind of remedy.")
        elif remedy.kind == RemedyKind.COMPENSATION and not remedy.amount_pence:
            problems.add(f"remedies.{index}.amount_pence", "Enter the compensation offered, like 75 or 150.50.")
        if remedy.amount_pence is not None and remedy.amount_pence < 0:
            problems.add(f"remedies.{index}.amount_pence", "Compensation cannot be negative.")
    for index, item in enumerate(_rows(data.get("actions") or [], ActionLine)):
        for field, value, message in (
            ("description", (item.description or "").strip(), "Describe the action promised."),
            ("owner", item.owner, "Choose who owns this action."),
            ("due_on", item.due_on, "Enter when this action is due."),
        ):
            if not value:
                problems.add(f"actions.{index}.{field}", message)


def _respond(complaint, *, actor, on, summary, points, remedies=(), actions=()):
    from complaints.services import ActionLine, Point, RemedyLine, flag_repeat_upheld

    points = [p for p in _rows(points, Point) if p.summary.strip()]
    remedies = [r for r in _rows(remedies, RemedyLine) if r.kind]
    actions = _rows(actions, ActionLine)
    stage = current_stage(complaint)
    ack_clock = open_clock(complaint, ClockKind.ACKNOWLEDGEMENT)
    if ack_clock:
        clocks.stop_clock(ack_clock, on=on)
    response_clock = open_clock(complaint, ClockKind.RESPONSE)
    within_code = None
    if response_clock:
        code_due = clocks.code_compliant_due_on(response_clock)
        response_clock = clocks.stop_clock(response_clock, on=on)
        within_code = on <= code_due
    ComplaintPoint.objects.bulk_create(
        [
            ComplaintPoint(stage=stage, summary=p.summary.strip()[:300], decision=p.decision, reasons=p.reasons or "")
            for p in points
        ]
    )
    Remedy.objects.bulk_create(
        [
            Remedy(stage=stage, kind=r.kind, description=(r.description or "")[:300], amount_pence=r.amount_pence)
            for r in remedies
        ]
    )
    ResponseAction.objects.bulk_create(
        [ResponseAction(stage=stage, description=a.description[:300], owner=a.owner, due_on=a.due_on) for a in actions]
    )
    stage.responded_on = on
    stage.responded_by = actor
    stage.response_summary = summary.strip()
    stage.outcome = outcome_of(p.decision for p in points)
    stage.compensation_pence = sum(r.amount_pence or 0 for r in remedies if r.kind == RemedyKind.COMPENSATION)
    stage.within_code_timescale = within_code
    stage.working_days_to_respond = _calendar(complaint).working_days_between(stage.requested_on, on)
    stage.save()
    if stage.handler_id is None:
        # Whoever answered a stage nobody was assigned to handled it: the next stage must be independent of them.
        _record_handler(stage, complaint.assigned_to or actor, actor)
    complaint.status = S.RESPONDED
    complaint.save(update_fields=["status", "updated_at"])
    timing = ""
    if response_clock is not None:
        timing = " on time" if within_code else " late"
    money = f" Compensation offered: £{stage.compensation_pence / 100:,.2f}." if stage.compensation_pence else ""
    next_step = (
        " This was the final stage: the resident may refer the complaint to the ombudsman."
        if is_final_stage(complaint)
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
        flag_repeat_upheld(complaint, stage, actor)
    return Done(None)


# --- responses drafted, approved and sent -------------------------------------------------------------
# An investigating officer drafts the response; the complaints officer approves it at stage 1 and a manager at
# stage 2 (the seeds' councils have every response checked and stage 2 signed off), or sends it back with a
# comment; once approved it is sent, and the clock stops on the day it is sent, not the day it was drafted.


def latest_draft(complaint):
    """The current stage's latest draft response, or None. From the stage's prefetched drafts when the page loaded
    them (complaints.selectors.complaint_for), so checking the actions asks nothing more."""
    stage = current_stage(complaint)
    if "drafts" in getattr(stage, "_prefetched_objects_cache", {}):
        return max(stage.drafts.all(), key=lambda draft: (draft.drafted_at, draft.pk), default=None)
    return stage.drafts.order_by("-drafted_at", "-id").first()


def _no_draft_waiting(complaint, actor):
    draft = latest_draft(complaint)
    if draft and draft.status in (ResponseDraftStatus.WAITING, ResponseDraftStatus.APPROVED):
        return f"A draft response is already {draft.get_status_display().lower()}."
    return None


def _draft_waiting(complaint, actor):
    draft = latest_draft(complaint)
    if draft is None or draft.status != ResponseDraftStatus.WAITING:
        return "There is no draft response waiting for approval."
    return None


def _draft_approved(complaint, actor):
    draft = latest_draft(complaint)
    if draft is None or draft.status != ResponseDraftStatus.APPROVED:
        return "There is no approved draft response to send."
    return None


def _approver_role(complaint):
    return (Role.COMPLAINTS_OFFICER, Role.MANAGER) if complaint.current_stage == 1 else (Role.MANAGER,)


def _may_approve(complaint, actor):
    roles = _approver_role(complaint)
    if not has_role(actor, *roles):
        who = "the complaints officer or a manager" if len(roles) > 1 else "a manager"
        return f"A stage {complaint.current_stage} response is approved by {who}."
    draft = latest_draft(complaint)
    if draft and draft.status == ResponseDraftStatus.WAITING and draft.drafted_by_id == actor.pk:
        return "Someone other than its author approves a draft response."
    return None


def _may_send(complaint, actor):
    roles = _approver_role(complaint)
    if not has_role(actor, *roles):
        return _may_approve(complaint, actor)
    return None


def _check_draft(complaint, data, actor, problems):
    # The response's rules, less its date: it is sent, and dated, once approved.
    _check_respond(complaint, {**data, "on": _today()}, actor, problems)


def _json_rows(points, remedies, actions):
    from complaints.services import ActionLine, Point, RemedyLine

    return (
        [vars(p) for p in _rows(points, Point) if (p.summary or "").strip()],
        [vars(r) for r in _rows(remedies, RemedyLine) if r.kind],
        [
            {"description": a.description, "owner": getattr(a.owner, "pk", a.owner), "due_on": a.due_on.isoformat()}
            for a in _rows(actions, ActionLine)
        ],
    )


def _draft_response(complaint, *, actor, summary, points, remedies=(), actions=(), letter_text=""):
    stage = current_stage(complaint)
    points, remedies, actions = _json_rows(points, remedies, actions)
    ResponseDraft.objects.create(
        stage=stage,
        summary=summary.strip(),
        points=points,
        remedies=remedies,
        actions=actions,
        letter_text=(letter_text or "").strip(),
        drafted_by=actor,
    )
    approver = "a manager" if complaint.current_stage > 1 else "the complaints officer"
    if complaint.assigned_to_id and complaint.assigned_to_id != actor.pk:
        notify(
            complaint.assigned_to,
            f"{complaint.reference}: a draft response to approve",
            f"{_name(actor)} drafted the {stage.name.lower()} response for approval.",
            kind="draft_response",
            case=complaint,
            url=complaint.get_absolute_url(),
        )
    return Done(f"{stage.name} response drafted for approval by {approver}.")


def _decide(complaint, actor, status, comment=""):
    draft = latest_draft(complaint)
    draft.status = status
    draft.decided_by = actor
    draft.decided_at = timezone.now()
    draft.comment = comment
    draft.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    return draft


def _approve_response(complaint, *, actor):
    draft = _decide(complaint, actor, ResponseDraftStatus.APPROVED)
    if draft.drafted_by_id != actor.pk:
        notify(
            draft.drafted_by,
            f"{complaint.reference}: your draft response is approved",
            f"{_name(actor)} approved your draft response; it is sent next.",
            kind="draft_response",
            case=complaint,
            url=complaint.get_absolute_url(),
        )
    return Done(f"Draft response by {_name(draft.drafted_by)} approved.")


def _send_back_response(complaint, *, actor, comment):
    draft = _decide(complaint, actor, ResponseDraftStatus.SENT_BACK, comment.strip())
    notify(
        draft.drafted_by,
        f"{complaint.reference}: your draft response was sent back",
        f"{_name(actor)} sent your draft response back: {comment.strip()}",
        kind="draft_response",
        case=complaint,
        url=complaint.get_absolute_url(),
    )
    return Done(f"Draft response by {_name(draft.drafted_by)} sent back: {comment.strip()}")


def _send_response(complaint, *, actor):
    """Record the approved response as sent today (the clock stops today) and send its letter."""
    from django.contrib.auth import get_user_model

    from complaints import letters
    from correspondence import services as correspondence

    draft = latest_draft(complaint)
    owners = get_user_model().objects.in_bulk([a["owner"] for a in draft.actions])
    actions = [
        {"description": a["description"], "owner": owners.get(a["owner"]), "due_on": _iso(a["due_on"])}
        for a in draft.actions
    ]
    today = _today()
    _respond(complaint, actor=actor, on=today, summary=draft.summary, points=draft.points, remedies=draft.remedies,
             actions=actions)  # fmt: skip
    text = draft.letter_text or letters.draft(complaint, "response")
    correspondence.send_letter(complaint, kind="response", title=letters.LETTERS["response"], text=text, actor=actor)
    draft.status = ResponseDraftStatus.SENT
    draft.sent_on = today
    draft.save(update_fields=["status", "sent_on"])
    return Done(
        f"Response drafted by {_name(draft.drafted_by)} and approved by {_name(draft.decided_by)} sent on "
        f"{_format(today)}.",
        event="response_sent",
    )


def _response_letter(complaint, request):
    """The response letter as its template drafts it now, beside the response's form: its decisions are filled in
    once recorded, so the words around them can be checked (or written into the draft) first."""
    from casework.errors import InvalidInput
    from complaints import letters

    try:
        return {"draft": letters.draft(complaint, "response")}
    except InvalidInput as error:
        return {"draft": f"The response letter template has a mistake: {error}"}


def _iso(value):
    import datetime

    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def outcome_of(decisions):
    decisions = set(decisions)
    if decisions == {StageOutcome.UPHELD}:
        return StageOutcome.UPHELD
    if decisions == {StageOutcome.NOT_UPHELD}:
        return StageOutcome.NOT_UPHELD
    return StageOutcome.PARTLY_UPHELD


# --- resolve early, withdraw, refuse ------------------------------------------------------------------


def _at_stage_one(complaint, actor):
    if complaint.current_stage != 1:
        return "Only a stage 1 complaint can be resolved early or not accepted."
    return None


def _check_resolve_early(complaint, data, actor, problems):
    stage = current_stage(complaint)
    on = _date_rule(problems, data, "on", what="resolution", not_before=stage.requested_on)
    latest = _calendar(complaint).add_working_days(stage.requested_on, EARLY_RESOLUTION_WORKING_DAYS)
    if on is not None and on > latest:
        problems.add(
            "on",
            f"Early resolution must happen within {EARLY_RESOLUTION_WORKING_DAYS} working days of receipt "
            f"(by {_format(latest)}); respond in full instead.",
        )
    if data.get("decision") not in StageOutcome.values:
        problems.add("decision", "Choose the decision: upheld, partly upheld or not upheld.")
    require_input(data, "summary", "Say what was done to resolve it.", problems)
    if data.get("resident_agreed") is not True:
        problems.add("resident_agreed", "Early resolution needs the resident's agreement.")


def _resolve_early(complaint, *, actor, on, summary, resident_agreed, decision=StageOutcome.UPHELD):
    stage = current_stage(complaint)
    _stop_open_clocks(complaint, on)
    stage.responded_on = on
    stage.responded_by = actor
    stage.response_summary = summary.strip()
    stage.outcome = decision
    stage.within_code_timescale = True
    stage.working_days_to_respond = _calendar(complaint).working_days_between(stage.requested_on, on)
    stage.save()
    if stage.handler_id is None:
        _record_handler(stage, complaint.assigned_to or actor, actor)
    _close(complaint, S.RESOLVED_EARLY, early_resolution_agreed_on=on)
    next_stage = "" if is_final_stage(complaint) else " The resident may still ask to escalate it to stage 2."
    return Done(
        f"Resolved early on {_format(on)} with the resident's agreement ({StageOutcome(decision).label.lower()}): "
        f"{summary.strip()}{next_stage}",
        data={"outcome": decision},
    )


def _check_withdraw(complaint, data, actor, problems):
    _date_rule(problems, data, "on", what="withdrawal", not_before=complaint.received_on)
    require_input(data, "reason", "Record how the resident withdrew the complaint.", problems)


def _withdraw(complaint, *, actor, on, reason):
    _stop_open_clocks(complaint, on)
    _close(complaint, S.WITHDRAWN, withdrawn_on=on)
    return Done(f"Withdrawn by the resident on {_format(on)}: {reason.strip()}")


def twelve_months_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _check_refuse(complaint, data, actor, problems):
    _date_rule(problems, data, "on", what="decision", not_before=complaint.received_on)
    reason = data.get("reason")
    if reason not in RefusalReason.values:
        problems.add("reason", "Choose the reason for not accepting the complaint.")
    require_input(data, "details", "Explain the decision as it was explained to the resident.", problems)
    if reason == RefusalReason.OVER_TWELVE_MONTHS:
        if complaint.issue_occurred_on is None:
            problems.add("reason", "Record when the issue happened before refusing the complaint as too late.")
        elif complaint.received_on <= twelve_months_after(complaint.issue_occurred_on):
            problems.add(
                "reason",
                f"The issue happened on {_format(complaint.issue_occurred_on)}, within 12 months of the complaint "
                f"({_format(complaint.received_on)}): it cannot be refused as too late.",
            )


def _refuse(complaint, *, actor, on, reason, details):
    _stop_open_clocks(complaint, on)
    _close(complaint, S.REFUSED, refused_on=on, refusal_reason=reason, refusal_details=details.strip())
    return Done(
        f"Not accepted on {_format(on)}: {RefusalReason(reason).label}. {details.strip()} "
        f"The resident was told of their right to go to the {complaint.get_ombudsman_display()}.",
        data={"reason": reason},
    )


# --- escalate, refuse escalation, close, reopen ---------------------------------------------------------


def _answered_and_not_final(complaint, actor):
    stage = current_stage(complaint)
    if stage.responded_on is None or not stage.outcome:
        return "Only a complaint whose stage was answered with a decision can be escalated."
    if is_final_stage(complaint):
        name = stage_definition(complaint).name
        return f"{name} is the procedure's last stage; the resident may go to the ombudsman."
    return None


def _check_escalate(complaint, data, actor, problems):
    previous = current_stage(complaint)
    _date_rule(problems, data, "requested_on", what="escalation request", not_before=previous.responded_on)
    handler = data.get("handler")
    if handler is not None:
        problem = handler_problem(complaint, handler, complaint.current_stage + 1)
        if problem:
            problems.add("handler", problem)


def _escalate(complaint, *, actor, requested_on, reason="", handler=None):
    number = complaint.current_stage + 1
    definition = stage_definition(complaint, number)
    stage = ComplaintStage.objects.create(
        complaint=complaint,
        number=number,
        name=definition.name,
        requested_on=requested_on,
        escalation_reason=(reason or "").strip(),
    )
    complaint.current_stage = number
    complaint.status = S.RECEIVED
    complaint.closed_at = None
    complaint.assigned_to = None
    complaint.save(update_fields=["current_stage", "status", "closed_at", "assigned_to", "updated_at"])
    complaint.__dict__.pop("_workflow_memo", None)
    start_stage_clocks(complaint, stage)
    record_event(
        complaint,
        "escalated",
        f"Escalated to {definition.name.lower()} at the resident's request of {_format(requested_on)}.",
        actor=actor,
        data={"stage": number},
    )
    if handler is not None:
        assign_handler(complaint, handler, actor=actor)
    return Done(None)


def _check_refuse_escalation(complaint, data, actor, problems):
    previous = current_stage(complaint)
    _date_rule(problems, data, "requested_on", what="escalation request", not_before=previous.responded_on)
    require_input(data, "reason", "Explain why the escalation is refused; the resident must be told.", problems)


def _refuse_escalation(complaint, *, actor, requested_on, reason):
    EscalationRefusal.objects.create(
        complaint=complaint, requested_on=requested_on, reason=reason.strip(), refused_by=actor
    )
    complaint.status = S.CLOSED
    complaint.closed_at = complaint.closed_at or timezone.now()
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    return Done(
        f"Request of {_format(requested_on)} to escalate refused: {reason.strip()} "
        f"The resident was told of their right to go to the {complaint.get_ombudsman_display()}.",
        event="escalation_refused",
    )


def _close_transition(complaint, *, actor):
    _close(complaint, S.CLOSED)
    return Done("Complaint closed.", event="closed")


def _check_reopen(complaint, data, actor, problems):
    _date_rule(problems, data, "on", what="reopening", not_before=complaint.received_on)
    require_input(data, "reason", "Say why the complaint is reopened.", problems)


def _reopen(complaint, *, actor, on, reason):
    """Back to where the stage was, with its clocks running again from the day it was reopened. The receipt
    and request dates never change: the complaint stays in the reporting year it was received in."""
    _reopen_stage(complaint, on)
    return Done(
        f"Reopened on {_format(on)}: {reason.strip()} Received {_format(complaint.received_on)}; its deadlines "
        f"run again from {_format(on)}.",
        data={"reopened_on": on.isoformat()},
    )


def _reopen_stage(complaint, on, *fields):
    """The complaint open again where its stage was, its clocks running from `on`; `fields` are other fields
    the caller changed, saved with it."""
    stage = current_stage(complaint)
    definition = stage_definition(complaint)
    if stage.responded_on and stage.outcome:
        status = S.RESPONDED
    elif stage.acknowledged_on or definition.acknowledge_within is None:
        status = S.ACKNOWLEDGED if stage.acknowledged_on else S.RECEIVED
        stage.responded_on = None
        stage.within_code_timescale = None
        stage.working_days_to_respond = None
        stage.save(update_fields=["responded_on", "within_code_timescale", "working_days_to_respond"])
        planned = deadlines.response_clock(
            definition, requested_on=on, acknowledged_on=on, calendar=_calendar(complaint)
        )
        _start(complaint, planned)
    else:
        status = S.RECEIVED
        start_stage_clocks(complaint, stage, on=on)
    complaint.status = status
    complaint.closed_at = None
    complaint.withdrawn_on = complaint.refused_on = complaint.early_resolution_agreed_on = None
    complaint.save(
        update_fields=[
            "status", "closed_at", "withdrawn_on", "refused_on", "early_resolution_agreed_on", "updated_at", *fields
        ]
    )  # fmt: skip


# --- Moving a complaint to another scheme ----------------------------------------------------------------


def _not_answered_yet(complaint, actor):
    stage = current_stage(complaint)
    if complaint.current_stage != 1 or stage.responded_on:
        return "Only a complaint not yet answered at its first stage can move to another scheme."
    return None


def _check_change_scheme(complaint, data, actor, problems):
    from complaints.schemes import version_in_force

    scheme = data.get("scheme")
    require_input(data, "reason", "Say why the complaint belongs under the other scheme.", problems)
    if scheme is None:
        problems.add("scheme", "Choose the scheme the complaint belongs under.")
    elif scheme.pk == complaint.procedure_version.scheme_id:
        problems.add("scheme", f"It is already under the {scheme} scheme.")
    else:
        try:
            version_in_force(complaint.received_on, scheme)
        except NotAllowed as error:
            problems.add("scheme", error.message)


def _change_scheme(complaint, *, actor, scheme, reason):
    """The complaint was logged under the wrong scheme (a social care complaint logged as a housing one, say):
    it takes the other scheme's version in force on the day it was received, and its first stage's clocks run
    again under that version's targets. The clocks it ran are kept, stopped, in its history."""
    from complaints.schemes import version_in_force

    before = complaint.procedure_version
    version = version_in_force(complaint.received_on, scheme)
    today = _today()
    for clock in complaint.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=max(clock.started_on, today))
    complaint.procedure_version = version
    complaint.save(update_fields=["procedure_version", "updated_at"])
    complaint.__dict__.pop("_workflow_memo", None)
    complaint = lock(complaint)  # read again with the new version's stages
    stage = current_stage(complaint)
    definition = stage_definition(complaint)
    stage.name = definition.name
    stage.save(update_fields=["name"])
    for planned in deadlines.stage_clocks(
        definition,
        requested_on=stage.requested_on,
        acknowledged_on=stage.acknowledged_on,
        calendar=_calendar(complaint),
    ):
        _start(complaint, planned)
    return Done(
        f"Moved from the {before.scheme} scheme ({before}) to the {scheme} scheme ({version}): {reason.strip()} "
        "Its deadlines follow that procedure from the day it was received.",
        result=complaint,
        data={"from_version": before.pk, "to_version": version.pk},
    )


# --- Correcting the details, and merging a duplicate ----------------------------------------------------

# How a value reads in the history: the same words as the complaint's page.
_SHOWN_CHARS = 120


def _shown(value):
    if value is None or value == "":
        return "(none)"
    if isinstance(value, datetime.date):
        return _format(value)
    text = str(value).strip()
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _field_label(name):
    return "Property" if name == "home" else str(forms.EditDetailsForm.base_fields[name].label)


def _display(complaint, name, value):
    if name not in forms.EditDetailsForm.COMPLAINT_FIELDS:
        return value
    field = Complaint._meta.get_field(name)
    if field.choices and value:
        return dict(field.choices).get(value, value)
    return value


# What every complaint has: a correction changes these, never empties them.
_ALWAYS_RECORDED = frozenset(
    {"channel", "service_area", "issue_nature", "complaint_type", "summary", "description", "outcome_wanted"}
)


def _edit_changes(complaint, data):
    """{field: (before, after)} of what the input changes: the complaint's details and its resident's contact
    details (a field the input leaves out is not changed)."""
    changes = {}
    for name in forms.EditDetailsForm.COMPLAINT_FIELDS:
        if name not in data:
            continue
        before, after = getattr(complaint, name), data[name]
        if isinstance(after, str):
            after = after.strip()
        if after in (None, "") and name in _ALWAYS_RECORDED:
            continue  # never emptied (a text left empty is refused by the input rules)
        if (before or None) != (after or None):
            changes[name] = (before, after)
    if complaint.resident_id:
        for name, attribute in forms.EditDetailsForm.RESIDENT_FIELDS.items():
            if data.get(name) is None:
                continue
            before, after = getattr(complaint.resident, attribute), data[name].strip()
            if before != after:
                changes[name] = (before, after)
    return changes


def _check_edit(complaint, data, actor, problems):
    from complaints.schemes import scheme_for

    for name in ("summary", "description", "outcome_wanted"):
        if name in data:
            require_input(data, name, str(forms.EditDetailsForm.base_fields[name].error_messages["required"]), problems)
    occurred = data.get("issue_occurred_on")
    if occurred is not None and occurred > complaint.received_on:
        problems.add("issue_occurred_on", "The issue cannot have happened after the complaint was received.")
    area = data.get("service_area")
    if area is not None and area.pk != complaint.service_area_id:
        scheme = scheme_for(area)
        if scheme.pk != complaint.procedure_version.scheme_id:
            problems.add(
                "service_area",
                f"{area}'s complaints go under the {scheme} scheme, not the {complaint.procedure_version.scheme} "
                "scheme: move the complaint to that scheme first (Move to another scheme), then correct it.",
            )
    require_input(data, "reason", "Say why the details are corrected.", problems)
    if not problems and not _edit_changes(complaint, data):
        problems.add(None, "Nothing was changed: correct a detail, or go back to the complaint.")


def _edit(complaint, *, actor, reason, **data):
    """Correct what was recorded at intake. Nothing here moves a deadline: the date received (day 0 of every
    clock and the reporting year's key) is not editable, and a change of service area stays within the
    complaint's scheme, so its procedure and targets are those it had."""
    changes = _edit_changes(complaint, data)
    complaint_fields, resident_fields = [], []
    for name, (_, after) in changes.items():
        if name in forms.EditDetailsForm.RESIDENT_FIELDS:
            setattr(complaint.resident, forms.EditDetailsForm.RESIDENT_FIELDS[name], after)
            resident_fields.append(forms.EditDetailsForm.RESIDENT_FIELDS[name])
        else:
            setattr(complaint, name, after if after is not None else ("" if name == "staff_named" else None))
            complaint_fields.append(name)
    if complaint_fields:
        complaint.save(update_fields=[*complaint_fields, "updated_at"])
    if resident_fields:
        complaint.resident.save(update_fields=resident_fields)
    lines = "; ".join(
        f"{_field_label(name)} from {_shown(_display(complaint, name, before))} to "
        f"{_shown(_display(complaint, name, after))}"
        for name, (before, after) in changes.items()
    )
    return Done(
        f"Details corrected: {lines}. Why: {reason.strip()}",
        data={"changes": {name: [_stored(before), _stored(after)] for name, (before, after) in changes.items()}},
    )


def _stored(value):
    """A value as the history's data keeps it: a date as ISO text, a row by its id."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return getattr(value, "pk", value)


def merge_target(actor, reference):
    """The complaint a duplicate would merge into, by reference, among those the actor may see; or None."""
    from casework.permissions import visible_cases

    reference = (reference or "").strip()
    if not reference:
        return None
    rows = list(
        visible_cases(actor, Complaint.objects.all())
        .select_related("resident")
        .filter(reference__in={reference, reference.upper()})
        .order_by()
    )
    return next((row for row in rows if row.reference == reference), rows[0] if rows else None)


def _merge_problem(complaint, target, data):
    """Why `complaint` cannot merge into `target`, as (field, message), or None."""
    if target is None:
        return "into", "No complaint you can see has that reference."
    if target.pk == complaint.pk:
        return "into", "A complaint cannot be merged into itself."
    if target.status == S.MERGED:
        return "into", (f"{target.reference} was itself merged into another complaint: merge into that one instead.")
    if target.closed_at is not None or target.status not in OPEN:
        return "into", (
            f"{target.reference} is {_status_label(target)}: merge only into an open complaint (reopen it first)."
        )
    if target.resident_id != complaint.resident_id and not data.get("different_resident_confirmed"):
        theirs = target.resident.full_name if target.resident_id else "no resident"
        return "different_resident_confirmed", (
            f"{target.reference} is about {theirs}, a different resident record: confirm they are the same "
            "complaint before merging."
        )
    return None


def _check_merge(complaint, data, actor, problems):
    require_input(data, "reason", "Say why this complaint duplicates the other.", problems)
    if not require_input(data, "into", "Enter the reference of the complaint this one duplicates.", problems):
        return
    problem = _merge_problem(complaint, merge_target(actor, data["into"]), data)
    if problem:
        problems.add(*problem)


def _notes_and_attachments(notes, attachments):
    """ "2 notes and 1 attachment"; empty when there are none."""
    return " and ".join(
        f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((notes, "note"), (attachments, "attachment")) if n
    )


def _merge(complaint, *, actor, into, reason, different_resident_confirmed=False):
    """Close a duplicate as merged into the complaint it duplicates. The duplicate's clocks stop on the day (it
    is no longer a complaint of its own, so it counts in no figure: reporting.facts leaves merged complaints
    out); its notes and attachments move to the surviving complaint; both histories say so, and a link of kind
    "merged" joins the two, so each page shows the other."""
    from casework.models import Attachment, CaseLinkKind, Note
    from casework.services import link_cases

    target = merge_target(actor, into)
    # The surviving complaint is locked too and checked again: it may have closed since the input was checked.
    target = Complaint.objects.select_for_update(of=("self", "case_ptr")).select_related("resident").get(pk=target.pk)
    problem = _merge_problem(complaint, target, {"different_resident_confirmed": different_resident_confirmed})
    if problem:
        raise NotAllowed(problem[1])
    today = _today()
    for clock in complaint.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=max(clock.started_on, today))
    # Which notes and attachments moved is kept in the history, so undoing the merge can move them back.
    note_ids = list(Note.objects.filter(case=complaint).values_list("pk", flat=True))
    attachment_ids = list(Attachment.objects.filter(case=complaint).values_list("pk", flat=True))
    notes = Note.objects.filter(pk__in=note_ids).update(case=target)
    attachments = Attachment.objects.filter(pk__in=attachment_ids).update(case=target)
    _close(complaint, S.MERGED, merged_into=target, merged_on=today)
    reason = reason.strip().rstrip(".")
    why = f"Merged as a duplicate: {reason}"
    link_cases(complaint, target, reason=why, actor=actor, kind=CaseLinkKind.MERGED, record=False)
    what = _notes_and_attachments(notes, attachments)
    moved = f" Its {what} moved to {target.reference}." if what else ""
    record_event(
        target,
        "merged_in",
        f"{complaint.reference} ({complaint.summary}) merged into this complaint as a duplicate on {_format(today)}: "
        f"{reason}.{moved.replace(f' to {target.reference}', ' here')}",
        actor=actor,
        data={
            "duplicate": complaint.reference,
            "notes": notes,
            "attachments": attachments,
            "note_ids": note_ids,
            "attachment_ids": attachment_ids,
        },
    )
    return Done(
        f"Merged into {target.reference} ({target.summary}) as a duplicate on {_format(today)}: {reason}. "
        f"Its deadlines stopped; it is not counted as a complaint of its own.{moved}",
        data={"into": target.reference, "notes": notes, "attachments": attachments},
    )


def _check_unmerge(complaint, data, actor, problems):
    require_input(data, "reason", "Say why the merge is undone.", problems)


def _unmerge(complaint, *, actor, reason):
    """Undo a merge made in error: the complaint is a complaint of its own again (counted in the figures once
    more, reporting.facts), open where its stage was with its deadlines running again from today, as a
    reopening; the notes and attachments the merge moved come back (those added to the other complaint since
    stay there); the merge's link goes, and both histories say so."""
    from casework.models import Attachment, CaseLink, CaseLinkKind, Note, TimelineEvent

    target = complaint.merged_into
    merged_in = (
        TimelineEvent.objects.filter(case=target, kind="merged_in", data__duplicate=complaint.reference)
        .order_by("-occurred_at", "-id")
        .first()
    )
    moved = (merged_in.data or {}) if merged_in else {}
    notes = Note.objects.filter(case=target, pk__in=moved.get("note_ids", [])).update(case=complaint)
    attachments = Attachment.objects.filter(case=target, pk__in=moved.get("attachment_ids", [])).update(case=complaint)
    CaseLink.objects.filter(
        Q(case=complaint, other=target) | Q(case=target, other=complaint), kind=CaseLinkKind.MERGED
    ).delete()
    today = _today()
    complaint.merged_into = None
    complaint.merged_on = None
    _reopen_stage(complaint, today, "merged_into", "merged_on")
    reason = reason.strip().rstrip(".")
    what = _notes_and_attachments(notes, attachments)
    record_event(
        target,
        "merge_undone",
        f"{complaint.reference} is no longer merged into this complaint: {reason}."
        + (f" Its {what} went back to it." if what else ""),
        actor=actor,
        data={"duplicate": complaint.reference, "notes": notes, "attachments": attachments},
    )
    back = f" Its {what} came back from {target.reference}." if what else ""
    return Done(
        f"The merge into {target.reference} is undone: {reason}. It is a complaint of its own again, and its "
        f"deadlines run again from {_format(today)}.{back}",
        data={"was_merged_into": target.reference, "notes": notes, "attachments": attachments},
    )


# --- The workflow -------------------------------------------------------------------------------------


def lock(complaint):
    # The procedure's stage definitions come along: a transition consults them several times and they do not
    # change under it. The complaint's own stages are not prefetched, since a transition adds to them.
    return (
        Complaint.objects.select_for_update(of=("self", "case_ptr"))
        .select_related("procedure_version__procedure", "procedure_version__scheme", "service_area")
        .prefetch_related("procedure_version__stages")
        .get(pk=complaint.pk)
    )


def _status_label(complaint):
    return ComplaintStatus(complaint.status).label.lower()


TRANSITIONS = [
    Transition(
        "acknowledge", "Acknowledge", "acknowledged", frozenset({S.RECEIVED}), _acknowledge,
        form=forms.AcknowledgeForm, check=_check_acknowledge, guards=(_has_acknowledgement_step,),
        done="Complaint acknowledged.",
    ),
    Transition(
        "assign", "Assign", "assigned", OPEN, _assign_transition, form=forms.AssignForm, check=_check_assign,
        done="Complaint assigned.",
    ),
    Transition(
        "extend", "Extend the deadline", "extended", frozenset({S.RECEIVED, S.ACKNOWLEDGED}), _extend,
        form=forms.ExtendForm, check=_check_extend, guards=(_response_clock_running, _no_pending_request),
        done="Deadline extended, or the extension asked of the manager.",
    ),
    Transition(
        "approve_extension", "Approve the extension", "given an extension", frozenset({S.RECEIVED, S.ACKNOWLEDGED}),
        _approve_extension, form=forms.ApproveExtensionForm, check=_check_approve, guards=(_has_pending_request,),
        who=_is_the_named_manager, done="Extension approved: the deadline has moved.", page_context=_request_intro,
    ),
    Transition(
        "decline_extension", "Decline the extension", "refused an extension",
        frozenset({S.RECEIVED, S.ACKNOWLEDGED}), _decline_extension, form=forms.DeclineExtensionForm,
        check=_check_decline, guards=(_has_pending_request,), who=_is_the_named_manager, warning=True,
        done="Extension declined.", page_context=_request_intro,
    ),
    Transition(
        "respond", "Record the response", "responded to", frozenset({S.RECEIVED, S.ACKNOWLEDGED}), _respond,
        form=forms.RespondForm, check=_check_respond, guards=(_acknowledged_first, _independent_handler),
        who=_not_an_earlier_handler, done="Response recorded.", page_template="complaints/respond.html",
        page_context=_response_letter,
    ),
    Transition(
        "draft_response", "Draft the response for approval", "given a draft response", frozenset({S.ACKNOWLEDGED}),
        _draft_response, form=forms.DraftResponseForm, check=_check_draft,
        guards=(_no_draft_waiting, _independent_handler), who=_not_an_earlier_handler,
        done="Draft response sent for approval.", page_template="complaints/respond.html",
        page_context=_response_letter,
    ),
    Transition(
        "approve_response", "Approve the draft response", "approved", frozenset({S.ACKNOWLEDGED}), _approve_response,
        guards=(_draft_waiting,), who=_may_approve, done="Draft response approved.",
    ),
    Transition(
        "send_back_response", "Send the draft response back", "sent back", frozenset({S.ACKNOWLEDGED}),
        _send_back_response, form=forms.SendBackResponseForm, guards=(_draft_waiting,), who=_may_approve,
        warning=True, done="Draft response sent back.",
    ),
    Transition(
        "send_response", "Send the approved response", "sent", frozenset({S.ACKNOWLEDGED}), _send_response,
        guards=(_draft_approved, _independent_handler), who=_may_send, done="Response sent.",
    ),
    Transition(
        "resolve_early", "Resolve early", "resolved early", frozenset({S.RECEIVED, S.ACKNOWLEDGED}), _resolve_early,
        form=forms.ResolveEarlyForm, check=_check_resolve_early, guards=(_at_stage_one,),
        done="Complaint resolved early.",
    ),
    Transition(
        "withdraw", "Withdraw", "withdrawn", OPEN, _withdraw, form=forms.WithdrawForm, check=_check_withdraw,
        warning=True, done="Complaint withdrawn.",
    ),
    Transition(
        "refuse", "Do not accept", "refused", frozenset({S.RECEIVED}), _refuse, form=forms.RefuseForm,
        check=_check_refuse, guards=(_at_stage_one,), warning=True, done="Complaint not accepted.",
    ),
    Transition(
        "escalate", "Escalate", "escalated", ANSWERED, _escalate, form=forms.EscalateForm, check=_check_escalate,
        guards=(_answered_and_not_final,), done="Complaint escalated.",
    ),
    Transition(
        "refuse_escalation", "Refuse escalation", "refused escalation", ANSWERED, _refuse_escalation,
        form=forms.RefuseEscalationForm, check=_check_refuse_escalation, guards=(_answered_and_not_final,),
        warning=True, done="Escalation refused.",
    ),
    Transition("close", "Close", "closed", frozenset({S.RESPONDED}), _close_transition, form=forms.CloseForm,
               done="Complaint closed."),
    Transition(
        "reopen", "Reopen", "reopened", frozenset({S.CLOSED, S.WITHDRAWN, S.RESOLVED_EARLY, S.REFUSED}), _reopen,
        form=forms.ReopenForm, check=_check_reopen, done="Complaint reopened.",
    ),
    Transition(
        "change_scheme", "Move to another scheme", "moved to another scheme", frozenset({S.RECEIVED, S.ACKNOWLEDGED}),
        _change_scheme, form=forms.ChangeSchemeForm, check=_check_change_scheme, guards=(_not_answered_yet,),
        done="Complaint moved to the other scheme.",
    ),
    Transition(
        "edit", "Correct the details", "corrected", OPEN, _edit, form=forms.EditDetailsForm, check=_check_edit,
        done="Details corrected.",
    ),
    Transition(
        "merge", "Merge into the complaint it duplicates", "merged into another complaint", OPEN, _merge,
        form=forms.MergeForm, check=_check_merge, warning=True, done="Merged into the complaint it duplicates.",
    ),
    Transition(
        "unmerge", "Undo the merge", "merge undone", frozenset({S.MERGED}), _unmerge, form=forms.UnmergeForm,
        check=_check_unmerge, warning=True, done="Merge undone: the complaint is its own again.",
    ),
    *urgent.transitions(OPEN),
]  # fmt: skip

WORKFLOW = Workflow(
    noun="complaint",
    transitions=TRANSITIONS,
    lock=lock,
    record=record_event,
    status_label=_status_label,
)
