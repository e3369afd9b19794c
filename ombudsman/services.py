"""Writes on ombudsman cases: opening one, and every change to it or its items, each run through the
workflows in `ombudsman.workflow`, where their rules are."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.errors import Forbidden, InvalidInput, Problems
from casework.models import CaseKind, Ombudsman
from casework.roles import Role, has_role
from casework.services import check_upload, next_reference, record_event
from learning.services import open_plan_for_ombudsman_findings
from ombudsman.models import (
    FAULT_OUTCOMES,
    NonComplianceFinding,
    NonComplianceKind,
    OmbudsmanCase,
    OmbudsmanPublication,
    OmbudsmanStage,
    OrderKind,
    PublicationKind,
)
from ombudsman.workflow import (
    CASE_WORKFLOW,
    CONTRIBUTION_WORKFLOW,
    HANDLER_ROLES,
    ORDER_WORKFLOW,
    REQUEST_WORKFLOW,
    assign_handler,
    may_handle,
    open_information_requests,
    outstanding_orders,
)
from ombudsman.workflow import validate_outcome as outcome_problem

S = OmbudsmanStage
ACTION_LABELS = {name: transition.label for name, transition in CASE_WORKFLOW.transitions.items()}
__all__ = ["HANDLER_ROLES", "may_handle", "open_information_requests", "outstanding_orders"]


def _format(day):
    return day.strftime("%a %-d %b %Y")


def _today():
    return timezone.localdate()


def _check_date(on, *, not_before, what):
    if on is None:
        raise InvalidInput(f"Enter the {what} date.")
    if on > _today():
        raise InvalidInput(f"The {what} date cannot be in the future.")
    if on < not_before:
        raise InvalidInput(f"The {what} date cannot be before {_format(not_before)}.")


def allowed_actions(case, actor=None):
    return CASE_WORKFLOW.allowed_names(case, actor)


def why_not_allowed(case, action, actor=None):
    return CASE_WORKFLOW.why_not(case, action, actor)


def why_not_information_request(item, action="reply", actor=None):
    return REQUEST_WORKFLOW.why_not(item, action, actor)


def why_not_order(order, action, actor=None):
    return ORDER_WORKFLOW.why_not(order, "comply" if action == "comply" else "evidence_sent", actor)


def validate_outcome(ombudsman, outcome):
    """An outcome the ombudsman of the case gives, or InvalidInput saying which ones it does."""
    problem = outcome_problem(ombudsman, outcome)
    if problem:
        raise InvalidInput(problem)


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
        raise InvalidInput("Choose which ombudsman has the case.")
    _check_date(received_on, not_before=datetime.date(1990, 1, 1), what="received")
    ombudsman_reference = (ombudsman_reference or "").strip()
    if (
        ombudsman_reference
        and OmbudsmanCase.objects.filter(ombudsman=ombudsman, ombudsman_reference__iexact=ombudsman_reference).exists()
    ):
        raise InvalidInput(f"There is already a case with the ombudsman's reference {ombudsman_reference}.")
    if original_complaint is not None:
        if received_on < original_complaint.received_on:
            raise InvalidInput("The ombudsman cannot have the case before the complaint was received.")
        service_area = service_area or original_complaint.service_area
        resident = resident or original_complaint.resident
        summary = summary or original_complaint.summary
    if service_area is None:
        raise InvalidInput("Choose the service area the case is about.")
    summary = (summary or description or "").strip()
    if not summary:
        raise InvalidInput("Enter a one-line summary of the case.")
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
        assign_handler(case, assigned_to, actor=actor)
    return case


def assign(case, handler, *, actor):
    return CASE_WORKFLOW.run(case, "assign", actor=actor, handler=handler)


def start_assessment(case, *, actor, on):
    return CASE_WORKFLOW.run(case, "start_assessment", actor=actor, on=on)


def start_investigation(case, *, actor, on):
    return CASE_WORKFLOW.run(case, "start_investigation", actor=actor, on=on)


def close(case, *, actor, on, reason=""):
    return CASE_WORKFLOW.run(case, "close", actor=actor, on=on, reason=reason)


def request_information(case, *, actor, received_on, due_on, details):
    """Record the ombudsman's request for information and start its clock; returns the request."""
    return CASE_WORKFLOW.run(
        case, "request_information", actor=actor, received_on=received_on, due_on=due_on, details=details
    )


def record_determination(case, *, actor, determined_on, findings, orders=(), summary=""):
    """Record the determination; returns it."""
    return CASE_WORKFLOW.run(
        case,
        "record_determination",
        actor=actor,
        determined_on=determined_on,
        findings=findings,
        orders=orders,
        summary=summary,
    )


def ask_service(item, *, actor, service_area, officer, due_on, requested_on=None, details=""):
    return REQUEST_WORKFLOW.run(
        item,
        "ask_service",
        actor=actor,
        service_area=service_area,
        officer=officer,
        due_on=due_on,
        requested_on=requested_on,
        details=details,
    )


def send_reply(item, *, actor, sent_on, summary):
    return REQUEST_WORKFLOW.run(item, "reply", actor=actor, sent_on=sent_on, summary=summary)


def extend_information_request(item, *, actor, agreed_on, new_due_on, reason):
    return REQUEST_WORKFLOW.run(item, "extend", actor=actor, agreed_on=agreed_on, new_due_on=new_due_on, reason=reason)


def record_contribution(contribution, *, actor, received_on, notes=""):
    return CONTRIBUTION_WORKFLOW.run(contribution, "received", actor=actor, received_on=received_on, notes=notes)


def record_compliance(order, *, actor, complied_on, evidence, files=()):
    return ORDER_WORKFLOW.run(order, "comply", actor=actor, complied_on=complied_on, evidence=evidence, files=files)


def record_evidence_sent(order, *, actor, sent_on):
    return ORDER_WORKFLOW.run(order, "evidence_sent", actor=actor, sent_on=sent_on)


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


# --- Findings of non-compliance with the Code, annual letters and other reports ------------------------

# What the Ombudsman says of the council as a whole goes into the annual report its governing body reads: only
# managers and administrators record it.
RECORDER_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)
EARLIEST = datetime.date(2000, 1, 1)


def may_record_findings(user):
    return has_role(user, *RECORDER_ROLES)


def _recorders_only(actor):
    if not may_record_findings(actor):
        raise Forbidden("Only managers and administrators record the Ombudsman's findings, letters and reports.")


def _past_date(problems, field, on, what):
    if on is None:
        problems.add(field, f"Enter the {what}.")
    elif on > _today():
        problems.add(field, f"The {what} cannot be in the future.")
    elif on < EARLIEST:
        problems.add(field, f"The {what} cannot be before {_format(EARLIEST)}.")


def _clean_non_compliance(values):
    problems = Problems()
    if values.get("kind") not in NonComplianceKind.values:
        problems.add("kind", "Choose whether it is a complaint handling failure order or notice.")
    if values.get("ombudsman") not in Ombudsman.values:
        problems.add("ombudsman", "Choose which ombudsman made the finding.")
    _past_date(problems, "issued_on", values.get("issued_on"), "date of the order or notice")
    values["finding"] = (values.get("finding") or "").strip()
    if not values["finding"]:
        problems.add("finding", "Enter what the Ombudsman found.")
    complied_on = values.get("complied_on")
    if complied_on is not None:
        if complied_on > _today():
            problems.add("complied_on", "The date the council complied cannot be in the future.")
        elif values.get("issued_on") and complied_on < values["issued_on"]:
            problems.add("complied_on", "The council cannot have complied before the order or notice was issued.")
    case, complaint = values.get("ombudsman_case"), values.get("complaint")
    if case is not None and complaint is None:
        values["complaint"] = case.original_complaint
    elif case is not None and case.original_complaint_id and case.original_complaint_id != complaint.pk:
        problems.add("complaint", f"Ombudsman case {case.reference} is about another complaint.")
    problems.raise_if_any()
    for field in ("ombudsman_reference", "code_provisions", "council_action"):
        values[field] = (values.get(field) or "").strip()
    return values


NON_COMPLIANCE_FIELDS = (
    "kind",
    "ombudsman",
    "issued_on",
    "ombudsman_reference",
    "finding",
    "code_provisions",
    "ombudsman_case",
    "complaint",
    "council_action",
    "complied_on",
)


@transaction.atomic
def record_non_compliance(*, actor, **values):
    """Record a complaint handling failure order or notice; returns it. `values` are the model's fields
    (`NON_COMPLIANCE_FIELDS`); the case's complaint is taken when only the ombudsman case is given."""
    _recorders_only(actor)
    values = _clean_non_compliance({"ombudsman": Ombudsman.HOUSING, **values})
    finding = NonComplianceFinding.objects.create(
        recorded_by=actor, **{k: values.get(k) for k in NON_COMPLIANCE_FIELDS}
    )
    _note_on_cases(finding, actor, "recorded")
    return finding


@transaction.atomic
def update_non_compliance(item, /, *, actor, **values):
    """Correct a finding (`item`), or add what the council did about it and when."""
    _recorders_only(actor)
    current = {k: getattr(item, k) for k in NON_COMPLIANCE_FIELDS}
    values = _clean_non_compliance({**current, **values})
    for key in NON_COMPLIANCE_FIELDS:
        setattr(item, key, values.get(key))
    item.save()
    _note_on_cases(item, actor, "updated")
    return item


def _note_on_cases(finding, actor, what):
    summary = f"{finding.get_kind_display()} of {_format(finding.issued_on)} {what}: {finding.finding[:200]}"
    for case in (finding.ombudsman_case, finding.complaint):
        if case is not None:
            record_event(case, f"non_compliance_{what}", summary, actor=actor, data={"finding": finding.pk})


PUBLICATION_FIELDS = ("kind", "ombudsman", "reporting_year", "title", "received_on", "summary")


def _clean_publication(values, instance=None):
    problems = Problems()
    if values.get("kind") not in PublicationKind.values:
        problems.add("kind", "Choose whether it is an annual letter or another report.")
    if values.get("ombudsman") not in Ombudsman.values:
        problems.add("ombudsman", "Choose which ombudsman wrote it.")
    year = values.get("reporting_year")
    if not isinstance(year, int) or year < EARLIEST.year or year > _today().year:
        latest = _today().year
        problems.add(
            "reporting_year",
            f"Enter the financial year it is about, from 2000/01 to {latest}/{(latest + 1) % 100:02d}.",
        )
    _past_date(problems, "received_on", values.get("received_on"), "date it was received")
    values["summary"] = (values.get("summary") or "").strip()
    if not values["summary"]:
        problems.add("summary", "Enter a summary of what it says about the council.")
    values["title"] = (values.get("title") or "").strip()
    if values.get("kind") == PublicationKind.ANNUAL_LETTER and isinstance(year, int):
        others = OmbudsmanPublication.objects.filter(
            kind=PublicationKind.ANNUAL_LETTER, ombudsman=values.get("ombudsman"), reporting_year=year
        )
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if others.exists():
            problems.add(
                "reporting_year",
                f"The {Ombudsman(values['ombudsman']).label}'s annual letter for {year}/{(year + 1) % 100:02d} is "
                "recorded already: correct that one.",
            )
    problems.raise_if_any()
    return values


@transaction.atomic
def record_publication(*, actor, file=None, **values):
    """Record the Ombudsman's annual letter, or another of its reports about the council; returns it."""
    _recorders_only(actor)
    values = _clean_publication({"ombudsman": Ombudsman.HOUSING, "kind": PublicationKind.ANNUAL_LETTER, **values})
    publication = OmbudsmanPublication(recorded_by=actor, **{k: values.get(k) for k in PUBLICATION_FIELDS})
    _attach_file(publication, file)
    publication.save()
    return publication


@transaction.atomic
def update_publication(publication, *, actor, file=None, **values):
    _recorders_only(actor)
    current = {k: getattr(publication, k) for k in PUBLICATION_FIELDS}
    values = _clean_publication({**current, **values}, instance=publication)
    for key in PUBLICATION_FIELDS:
        setattr(publication, key, values.get(key))
    _attach_file(publication, file)
    publication.save()
    return publication


def _attach_file(publication, uploaded_file):
    """The letter or report as the Ombudsman sent it, checked like every upload (casework.services.check_upload)."""
    if not uploaded_file:
        return
    try:
        checked = check_upload(uploaded_file)
    except ValidationError as error:
        raise InvalidInput(error.message_dict) from error
    publication.file.save(checked.name, uploaded_file, save=False)
    publication.file_name = checked.name
    publication.content_type = checked.content_type
