"""The members' enquiry's workflow: every action on an enquiry, its rules and what it does (casework.workflow).

A full response is due within the member type's target (10 working days by default), from the day the enquiry
was received; some councils also acknowledge by the next working day. A complaint enquiry can be logged in the
complaints procedure, linked both ways."""

from django.utils import timezone

from casework import urgent
from casework.roles import Role, has_role
from casework.services import assign_case, notify, record_event
from casework.workflow import Done, Transition, Workflow, require_input
from casework.workflow import date_rule as _date_rule
from casework.workflow import name_of as _name
from casework.workflow import say_day as _format
from enquiries import forms
from enquiries.models import OPEN_ENQUIRY_STATUSES, Enquiry, EnquiryStatus, EnquiryType, OfficeMembership
from sla import engine
from sla import services as clocks
from sla.models import ClockKind

S = EnquiryStatus
OPEN = frozenset(OPEN_ENQUIRY_STATUSES)


def office_recipients(enquiry):
    """Who in the member's office hears about the enquiry: whoever submitted it, else everyone in the office."""
    if enquiry.submitted_by_id:
        return [enquiry.submitted_by]
    return [m.user for m in OfficeMembership.objects.filter(office_id=enquiry.office_id).select_related("user")]


def _check_on(what):
    def check(enquiry, data, actor, problems):
        _date_rule(problems, data, "on", what=what, not_before=enquiry.received_on)

    return check


def _acknowledge(enquiry, *, actor, on):
    clock = clocks.open_clock(enquiry, ClockKind.ACKNOWLEDGEMENT)
    if clock:
        clocks.stop_clock(clock, on=on)
    enquiry.acknowledged_on = on
    enquiry.status = S.IN_PROGRESS
    enquiry.save(update_fields=["acknowledged_on", "status", "updated_at"])
    return Done(f"Acknowledged on {_format(on)}.", visible_to_member=True)


def _check_assign(enquiry, data, actor, problems):
    officer = data.get("handler")
    if officer is None:
        problems.add("handler", "Choose the officer.")
    elif not has_role(officer, Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER):
        problems.add("handler", f"{_name(officer)} is not an officer who can take enquiries.")
    else:
        from complaints.workflow import barred_officer_ids

        if officer.pk in barred_officer_ids(enquiry.resident_id, enquiry):
            problems.add("handler", f"{_name(officer)} must not handle this resident's cases (recorded lost trust).")


def _assign(enquiry, *, actor, handler):
    if enquiry.status == S.RECEIVED:
        enquiry.status = S.IN_PROGRESS
    assign_case(
        enquiry,
        handler,
        actor=actor,
        summary=f"Assigned to {_name(handler)}.",
        notice=f"Members' enquiry from {enquiry.member.name}: {enquiry.summary}",
        update_fields=["status"],
    )
    return Done(None)


def _check_respond(enquiry, data, actor, problems):
    _date_rule(problems, data, "on", what="response", not_before=enquiry.received_on)
    require_input(data, "text", "Write the response to the member.", problems)


def _respond(enquiry, *, actor, on, text):
    """Send the full response to the member's office; it shows on the portal and they are told."""
    response_clock = clocks.open_clock(enquiry, ClockKind.RESPONSE)
    for clock in enquiry.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=on)
    enquiry.response = text.strip()
    enquiry.responded_on = on
    enquiry.responded_by = actor
    enquiry.working_days_to_respond = engine.working_days_between(enquiry.received_on, on)
    enquiry.responded_in_time = on <= response_clock.due_on if response_clock and response_clock.due_on else None
    enquiry.status = S.RESPONDED
    enquiry.closed_at = timezone.now()
    enquiry.save()
    for recipient in office_recipients(enquiry):
        notify(
            recipient,
            f"Response to your enquiry {enquiry.reference}",
            f"The council has responded to your enquiry about {enquiry.summary}. Read it on the members' portal.",
            kind="enquiry_response",
            case=enquiry,
            url=enquiry.get_portal_url(),
        )
    return Done(f"Response sent on {_format(on)}.", visible_to_member=True)


def _is_a_complaint(enquiry, actor):
    if enquiry.enquiry_type != EnquiryType.COMPLAINT:
        return "Only an enquiry of type complaint can become a complaint."
    if enquiry.converted_complaint_id:
        return f"This enquiry is already complaint {enquiry.converted_complaint.reference}."
    return None


def _check_convert(enquiry, data, actor, problems):
    if data.get("issue_nature") is None:
        problems.add("issue_nature", "Choose the issue nature.")
    if not data.get("complaint_type"):
        problems.add("complaint_type", "Choose the type of complaint.")
    require_input(data, "outcome_wanted", "Say what outcome the constituent wants.", problems)


def _convert(enquiry, *, actor, issue_nature, complaint_type, outcome_wanted, channel="members_enquiry"):
    """The enquiry is a complaint: log it in the complaints procedure, linked both ways."""
    from complaints import services as complaints

    complaint = complaints.log_complaint(
        actor=actor,
        received_on=enquiry.received_on,
        channel=channel,
        service_area=enquiry.service_area,
        issue_nature=issue_nature,
        complaint_type=complaint_type,
        summary=enquiry.summary,
        description=enquiry.description,
        outcome_wanted=outcome_wanted,
        resident=enquiry.resident,
        urgent_reason=enquiry.urgent_reason or (enquiry.urgent_reasons[0] if enquiry.urgent_reasons else ""),
    )
    enquiry.converted_complaint = complaint
    enquiry.save(update_fields=["converted_complaint", "updated_at"])
    record_event(
        complaint,
        "from_enquiry",
        f"Raised from members' enquiry {enquiry.reference} ({enquiry.member.name}).",
        actor=actor,
        data={"enquiry": enquiry.reference},
    )
    return Done(
        f"Logged as complaint {complaint.reference} under the complaints procedure.",
        result=complaint,
        event="converted",
        visible_to_member=True,
    )


def _close(enquiry, *, actor):
    enquiry.status = S.CLOSED
    enquiry.closed_at = enquiry.closed_at or timezone.now()
    enquiry.save(update_fields=["status", "closed_at", "updated_at"])
    return Done("Enquiry closed.", visible_to_member=True)


def lock(enquiry):
    return (
        Enquiry.objects.select_for_update(of=("self", "case_ptr"))
        .select_related("member", "office", "service_area")
        .get(pk=enquiry.pk)
    )


TRANSITIONS = [
    Transition(
        "acknowledge", "Acknowledge", "acknowledged", frozenset({S.RECEIVED}), _acknowledge,
        form=forms.AcknowledgeForm, check=_check_on("acknowledgement"), done="Enquiry acknowledged.",
    ),
    Transition(
        "assign", "Assign", "assigned", OPEN, _assign, form=forms.AssignForm, check=_check_assign,
        done="Enquiry assigned.",
    ),
    Transition(
        "respond", "Respond to the member", "responded to", OPEN, _respond, form=forms.RespondForm,
        check=_check_respond, done="Response sent to the member's office.",
    ),
    Transition(
        "convert", "Log as a complaint", "logged as a complaint", frozenset({S.RECEIVED, S.IN_PROGRESS, S.RESPONDED}),
        _convert, form=forms.ConvertForm, check=_check_convert, guards=(_is_a_complaint,),
        api_path="convert-to-complaint", done="Logged as a complaint.",
    ),
    Transition("close", "Close", "closed", frozenset({S.RESPONDED}), _close, form=forms.CloseForm,
               done="Enquiry closed."),
    *urgent.transitions(OPEN),
]  # fmt: skip

WORKFLOW = Workflow(
    noun="enquiry",
    transitions=TRANSITIONS,
    lock=lock,
    record=record_event,
    status_label=lambda enquiry: EnquiryStatus(enquiry.status).label.lower(),
)
