"""Members' enquiries: submission (from the portal or by an officer), triage, response, follow-up messages,
and conversion of a complaint enquiry into a complaint."""

import csv
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import CaseKind
from casework.roles import Role, assign_role, has_role
from casework.selectors import team_recipients
from casework.services import (
    DomainError,
    assign_case,
    create_resident,
    next_reference,
    notify,
    notify_urgent,
    record_event,
)
from enquiries.models import (
    OPEN_ENQUIRY_STATUSES,
    Enquiry,
    EnquiryMessage,
    EnquiryStatus,
    EnquiryTarget,
    EnquiryType,
    Member,
    MemberOffice,
    MemberType,
    OfficeMembership,
    OfficeRole,
    UrgentReason,
)
from sla import engine
from sla import services as clocks

DEFAULT_RESPOND_WITHIN = 10
DEFAULT_ACKNOWLEDGE_WITHIN = 1
RESPONSE_CLOCK = "enquiry_response"
ACKNOWLEDGEMENT_CLOCK = "enquiry_acknowledgement"


def _format(day):
    return day.strftime("%a %-d %b %Y")


def target_for(member_type):
    target = EnquiryTarget.objects.filter(member_type=member_type).first()
    if target is None:
        return DEFAULT_RESPOND_WITHIN, DEFAULT_ACKNOWLEDGE_WITHIN
    return target.respond_within, target.acknowledge_within


@dataclass
class Constituent:
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""


def submit_enquiry(
    *,
    member,
    submitted_by,
    enquiry_type,
    service_area,
    description,
    constituent,
    consent_to_share,
    urgent_reasons=(),
    submission_key=None,
    received_on=None,
    summary="",
):
    """Record an enquiry, or return the one already recorded with this submission key (a double click or a
    retried request makes one enquiry). Returns (enquiry, created)."""
    if submission_key is not None:
        existing = Enquiry.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            if existing.office_id != member.office_id:
                raise DomainError("That submission belongs to another office.")
            return existing, False
    if enquiry_type not in EnquiryType.values:
        raise DomainError("Choose the type of enquiry.")
    unknown = set(urgent_reasons) - set(UrgentReason.values)
    if unknown:
        raise DomainError(f"Unknown urgent reason: {', '.join(sorted(unknown))}.")
    if not (description or "").strip():
        raise DomainError("Describe what the constituent needs.")
    if not member.is_active:
        raise DomainError(f"{member.name} is no longer an active member.")
    received_on = received_on or timezone.localdate()
    try:
        with transaction.atomic():
            enquiry = _create(
                member=member,
                submitted_by=submitted_by,
                enquiry_type=enquiry_type,
                service_area=service_area,
                description=description.strip(),
                constituent=constituent,
                consent_to_share=consent_to_share,
                urgent_reasons=sorted(set(urgent_reasons)),
                submission_key=submission_key,
                received_on=received_on,
                summary=summary,
            )
    except IntegrityError:
        # Two requests with the same key raced: the other one won; answer with its enquiry.
        existing = Enquiry.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        return existing, False
    return enquiry, True


def _create(
    *,
    member,
    submitted_by,
    enquiry_type,
    service_area,
    description,
    constituent,
    consent_to_share,
    urgent_reasons,
    submission_key,
    received_on,
    summary,
):
    resident = constituent
    address = ""
    if isinstance(constituent, Constituent):
        address = ", ".join(p for p in (constituent.address.strip(), constituent.postcode.strip()) if p)
        resident = create_resident(
            first_name=constituent.first_name,
            last_name=constituent.last_name,
            email=constituent.email,
            phone=constituent.phone,
            address=constituent.address,
            postcode=constituent.postcode,
        )
    respond_within, acknowledge_within = target_for(member.member_type)
    enquiry = Enquiry.objects.create(
        reference=next_reference("ME", received_on),
        kind=CaseKind.ENQUIRY,
        status=EnquiryStatus.RECEIVED,
        summary=(summary or description).strip().splitlines()[0][:250],
        service_area=service_area,
        resident=resident,
        home=resident.home if resident else None,
        received_on=received_on,
        is_urgent=bool(urgent_reasons),
        member=member,
        office=member.office,
        submitted_by=submitted_by,
        enquiry_type=enquiry_type,
        description=description,
        consent_to_share=consent_to_share,
        constituent_address=address,
        urgent_reasons=urgent_reasons,
        submission_key=submission_key,
    )
    if acknowledge_within:
        clocks.start_clock(
            enquiry,
            purpose=ACKNOWLEDGEMENT_CLOCK,
            label="Acknowledge the enquiry",
            started_on=received_on,
            working_days=acknowledge_within,
        )
    response = clocks.start_clock(
        enquiry,
        purpose=RESPONSE_CLOCK,
        label="Respond to the enquiry",
        started_on=received_on,
        working_days=respond_within,
    )
    who = submitted_by.get_full_name() or submitted_by.get_username() if submitted_by else "an officer"
    record_event(
        enquiry,
        "submitted",
        f"Enquiry received from {member.name}'s office (submitted by {who}). Response due {_format(response.due_on)}.",
        actor=submitted_by,
        visible_to_member=True,
    )
    if urgent_reasons:
        labels = dict(UrgentReason.choices)
        notify_urgent(enquiry, reasons=", ".join(labels[r] for r in urgent_reasons))
    return enquiry


def _require_open(enquiry, action):
    if enquiry.status not in OPEN_ENQUIRY_STATUSES:
        raise DomainError(f"An enquiry that is '{enquiry.get_status_display().lower()}' cannot be {action}.")


def _lock(enquiry):
    return Enquiry.objects.select_for_update().select_related("member", "office").get(pk=enquiry.pk)


def _check_date(on, not_before, what):
    if on > timezone.localdate():
        raise DomainError(f"The {what} date cannot be in the future.")
    if on < not_before:
        raise DomainError(f"The {what} date cannot be before {_format(not_before)}.")


ALLOWED = {
    "acknowledge": lambda e: e.status == EnquiryStatus.RECEIVED,
    "assign": lambda e: e.status in OPEN_ENQUIRY_STATUSES,
    "respond": lambda e: e.status in OPEN_ENQUIRY_STATUSES,
    "convert": lambda e: (
        e.enquiry_type == EnquiryType.COMPLAINT
        and e.converted_complaint_id is None
        and e.status != EnquiryStatus.CLOSED
    ),
    "close": lambda e: e.status == EnquiryStatus.RESPONDED,
}
ACTION_LABELS = {
    "acknowledge": "Acknowledge",
    "assign": "Assign",
    "respond": "Respond to the member",
    "convert": "Log as a complaint",
    "close": "Close",
}


def allowed_actions(enquiry):
    return [name for name, allowed in ALLOWED.items() if allowed(enquiry)]


def why_not_allowed(enquiry, action):
    if ALLOWED[action](enquiry):
        return None
    if action == "convert":
        if enquiry.enquiry_type != EnquiryType.COMPLAINT:
            return "Only an enquiry of type complaint can become a complaint."
        if enquiry.converted_complaint_id:
            return f"This enquiry is already complaint {enquiry.converted_complaint.reference}."
    return f"An enquiry that is '{enquiry.get_status_display().lower()}' cannot be {ACTION_LABELS[action].lower()}d."


def _require(enquiry, action):
    reason = why_not_allowed(enquiry, action)
    if reason:
        raise DomainError(reason)


@transaction.atomic
def acknowledge(enquiry, *, on, actor):
    enquiry = _lock(enquiry)
    _require(enquiry, "acknowledge")
    _check_date(on, enquiry.received_on, "acknowledgement")
    clock = clocks.open_clock(enquiry, ACKNOWLEDGEMENT_CLOCK)
    if clock:
        clocks.stop_clock(clock, on=on)
    enquiry.acknowledged_on = on
    enquiry.status = EnquiryStatus.IN_PROGRESS
    enquiry.save(update_fields=["acknowledged_on", "status", "updated_at"])
    record_event(enquiry, "acknowledged", f"Acknowledged on {_format(on)}.", actor=actor, visible_to_member=True)
    return enquiry


@transaction.atomic
def assign(enquiry, officer, *, actor):
    enquiry = _lock(enquiry)
    _require(enquiry, "assign")
    if not has_role(officer, Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER):
        raise DomainError(f"{officer.get_full_name() or officer} is not an officer who can take enquiries.")
    if enquiry.status == EnquiryStatus.RECEIVED:
        enquiry.status = EnquiryStatus.IN_PROGRESS
    assign_case(
        enquiry,
        officer,
        actor=actor,
        summary=f"Assigned to {officer.get_full_name() or officer}.",
        notice=f"Members' enquiry from {enquiry.member.name}: {enquiry.summary}",
        update_fields=["status"],
    )
    return enquiry


@transaction.atomic
def respond(enquiry, *, on, text, actor):
    """Send the full response to the member's office; it shows on the portal and they are told."""
    enquiry = _lock(enquiry)
    _require(enquiry, "respond")
    _check_date(on, enquiry.received_on, "response")
    text = (text or "").strip()
    if not text:
        raise DomainError("Write the response to the member.")
    response_clock = clocks.open_clock(enquiry, RESPONSE_CLOCK)
    for clock in enquiry.clocks.filter(stopped_on__isnull=True):
        clocks.stop_clock(clock, on=on)
    enquiry.response = text
    enquiry.responded_on = on
    enquiry.responded_by = actor
    enquiry.working_days_to_respond = engine.working_days_between(enquiry.received_on, on)
    enquiry.responded_in_time = on <= response_clock.due_on if response_clock else None
    enquiry.status = EnquiryStatus.RESPONDED
    enquiry.closed_at = timezone.now()
    enquiry.save()
    record_event(enquiry, "responded", f"Response sent on {_format(on)}.", actor=actor, visible_to_member=True)
    for recipient in office_recipients(enquiry):
        notify(
            recipient,
            f"Response to your enquiry {enquiry.reference}",
            f"The council has responded to your enquiry about {enquiry.summary}. Read it on the members' portal.",
            kind="enquiry_response",
            case=enquiry,
            url=enquiry.get_portal_url(),
        )
    return enquiry


def office_recipients(enquiry):
    """Who in the member's office hears about the enquiry: whoever submitted it, else everyone in the office."""
    if enquiry.submitted_by_id:
        return [enquiry.submitted_by]
    return [m.user for m in OfficeMembership.objects.filter(office_id=enquiry.office_id).select_related("user")]


@transaction.atomic
def add_message(enquiry, *, author, body, from_office):
    body = (body or "").strip()
    if not body:
        raise DomainError("Write your message before sending it.")
    message = EnquiryMessage.objects.create(enquiry=enquiry, author=author, body=body, from_office=from_office)
    who = "the member's office" if from_office else "the council"
    record_event(enquiry, "message", f"Message from {who}.", actor=author, visible_to_member=True)
    if from_office:
        # Nobody assigned yet: the team hears of it, so a member's chaser is never left unread.
        recipients = [enquiry.assigned_to] if enquiry.assigned_to else team_recipients(enquiry)
        for recipient in recipients:
            notify(
                recipient,
                f"Follow-up on {enquiry.reference}",
                f"{enquiry.member.name}'s office wrote: {body[:500]}",
                kind="enquiry_follow_up",
                case=enquiry,
                url=enquiry.get_absolute_url(),
            )
    else:
        for recipient in office_recipients(enquiry):
            notify(
                recipient,
                f"New message on your enquiry {enquiry.reference}",
                "The council sent a message about your enquiry. Read it on the members' portal.",
                kind="enquiry_message",
                case=enquiry,
                url=enquiry.get_portal_url(),
            )
    return message


@transaction.atomic
def convert_to_complaint(enquiry, *, actor, issue_nature, complaint_type, outcome_wanted, channel="members_enquiry"):
    """The enquiry is a complaint: log it in the complaints procedure, linked both ways."""
    from complaints import services as complaints

    enquiry = _lock(enquiry)
    _require(enquiry, "convert")
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
        is_urgent=enquiry.is_urgent,
    )
    enquiry.converted_complaint = complaint
    enquiry.save(update_fields=["converted_complaint", "updated_at"])
    record_event(
        enquiry,
        "converted",
        f"Logged as complaint {complaint.reference} under the complaints procedure.",
        actor=actor,
        visible_to_member=True,
    )
    record_event(
        complaint,
        "from_enquiry",
        f"Raised from members' enquiry {enquiry.reference} ({enquiry.member.name}).",
        actor=actor,
        data={"enquiry": enquiry.reference},
    )
    return complaint


@transaction.atomic
def close(enquiry, *, actor):
    enquiry = _lock(enquiry)
    _require(enquiry, "close")
    enquiry.status = EnquiryStatus.CLOSED
    enquiry.closed_at = enquiry.closed_at or timezone.now()
    enquiry.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(enquiry, "closed", "Enquiry closed.", actor=actor, visible_to_member=True)
    return enquiry


# --- Members and their offices ------------------------------------------------------------------------


def add_portal_user(user, office, *, role=OfficeRole.CASEWORKER, member=None):
    membership, _ = OfficeMembership.objects.update_or_create(
        user=user, defaults={"office": office, "role": role, "member": member}
    )
    assign_role(user, Role.MEMBER_PORTAL)
    return membership


MEMBER_COLUMNS = ["name", "type", "ward", "party", "constituency", "email", "office", "register_id"]
MEMBER_TYPES = {
    "councillor": MemberType.COUNCILLOR,
    "cllr": MemberType.COUNCILLOR,
    "mp": MemberType.MP,
    "mayor": MemberType.MAYOR,
    "cabinet": MemberType.CABINET,
    "cabinet member": MemberType.CABINET,
}


@dataclass
class MemberImport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)


def import_members(data, *, dry_run=False):
    """Import a register of members from CSV text (columns: name, type, ward, party, constituency, email,
    office, register_id). Every row is checked first; nothing is written unless all rows are valid."""
    result = MemberImport()
    reader = csv.DictReader(io.StringIO(data))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [column for column in ("name", "type") if column not in headers]
    if missing:
        result.errors.append(f"Missing column(s): {', '.join(missing)}.")
        return result
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        kind = MEMBER_TYPES.get(row.get("type", "").lower())
        if not row.get("name"):
            result.errors.append(f"Row {number}, column name: empty.")
        if kind is None:
            result.errors.append(
                f"Row {number}, column type: '{row.get('type')}' is not councillor, MP, mayor or cabinet."
            )
        if kind == MemberType.COUNCILLOR and not row.get("ward"):
            result.errors.append(f"Row {number}, column ward: a councillor needs a ward.")
        if kind == MemberType.MP and not row.get("constituency"):
            result.errors.append(f"Row {number}, column constituency: an MP needs a constituency.")
        rows.append((row, kind))
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for row, kind in rows:
            office, _ = MemberOffice.objects.get_or_create(name=row.get("office") or f"Office of {row['name']}")
            lookup = (
                {"register_id": row["register_id"]}
                if row.get("register_id")
                else {"name": row["name"], "member_type": kind}
            )
            _, created = Member.objects.update_or_create(
                **lookup,
                defaults={
                    "name": row["name"],
                    "member_type": kind,
                    "ward": row.get("ward", ""),
                    "party": row.get("party", ""),
                    "constituency": row.get("constituency", ""),
                    "email": row.get("email", ""),
                    "office": office,
                    "is_active": True,
                },
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result
