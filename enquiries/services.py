"""Members' enquiries: submission (from the portal or by an officer), triage, response, follow-up messages,
and conversion of a complaint enquiry into a complaint."""

import csv
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.errors import Forbidden, InvalidInput
from casework.models import CaseKind
from casework.roles import Role, assign_role
from casework.selectors import team_recipients
from casework.services import (
    create_resident,
    next_reference,
    notify,
    notify_urgent,
    record_event,
)
from enquiries.models import (
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
from enquiries.workflow import WORKFLOW, office_recipients
from sla import services as clocks
from sla.models import ClockKind

DEFAULT_RESPOND_WITHIN = 10
DEFAULT_ACKNOWLEDGE_WITHIN = 1


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
                raise Forbidden("That submission belongs to another office.")
            return existing, False
    if enquiry_type not in EnquiryType.values:
        raise InvalidInput("Choose the type of enquiry.")
    unknown = set(urgent_reasons) - set(UrgentReason.values)
    if unknown:
        raise InvalidInput(f"Unknown urgent reason: {', '.join(sorted(unknown))}.")
    if not (description or "").strip():
        raise InvalidInput("Describe what the constituent needs.")
    if not member.is_active:
        raise InvalidInput(f"{member.name} is no longer an active member.")
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
        urgent_reason=urgent_reasons[0] if urgent_reasons else "",
        urgent_since=timezone.now() if urgent_reasons else None,
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
            kind=ClockKind.ACKNOWLEDGEMENT,
            label="Acknowledge the enquiry",
            started_on=received_on,
            working_days=acknowledge_within,
        )
    response = clocks.start_clock(
        enquiry,
        kind=ClockKind.RESPONSE,
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


# --- Actions on an enquiry (enquiries.workflow has their rules) -------------------------------------------

ACTION_LABELS = {name: transition.label for name, transition in WORKFLOW.transitions.items()}


def allowed_actions(enquiry, actor=None):
    return WORKFLOW.allowed_names(enquiry, actor)


def why_not_allowed(enquiry, action, actor=None):
    return WORKFLOW.why_not(enquiry, action, actor)


def acknowledge(enquiry, *, on, actor):
    return WORKFLOW.run(enquiry, "acknowledge", actor=actor, on=on)


def assign(enquiry, officer, *, actor):
    return WORKFLOW.run(enquiry, "assign", actor=actor, handler=officer)


def respond(enquiry, *, on, text, actor):
    """Send the full response to the member's office; it shows on the portal and they are told."""
    return WORKFLOW.run(enquiry, "respond", actor=actor, on=on, text=text)


def convert_to_complaint(enquiry, *, actor, issue_nature, complaint_type, outcome_wanted, channel="members_enquiry"):
    """The enquiry is a complaint: log it in the complaints procedure, linked both ways. Returns the complaint."""
    return WORKFLOW.run(
        enquiry,
        "convert",
        actor=actor,
        issue_nature=issue_nature,
        complaint_type=complaint_type,
        outcome_wanted=outcome_wanted,
        channel=channel,
    )


def close(enquiry, *, actor):
    return WORKFLOW.run(enquiry, "close", actor=actor)


@transaction.atomic
def add_message(enquiry, *, author, body, from_office):
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Write your message before sending it.")
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


# The register's columns, by their names compared as every import compares them (imports.core.normalise: case,
# spaces, hyphens and underscores ignored), with the most characters each can hold.
MEMBER_COLUMNS = {
    "name": 200,
    "type": None,
    "ward": 120,
    "party": 120,
    "constituency": 120,
    "email": 254,
    "office": 200,
    "register_id": 60,
}
MEMBER_COLUMN_SYNONYMS = {"member type": "type", "email address": "email"}


def _member_columns(fieldnames, result):
    """{their column: ours}; an unknown column or two of theirs for one of ours goes to `result.errors`, so a
    misspelt register id column is never dropped without a word."""
    from imports.core import normalise

    ours = {normalise(column): column for column in MEMBER_COLUMNS}
    ours.update(MEMBER_COLUMN_SYNONYMS)
    columns, seen = {}, {}
    for theirs in fieldnames:
        column = ours.get(normalise(theirs or ""))
        if column is None:
            result.errors.append(
                f"Column '{theirs}' is not a column of the register ({', '.join(MEMBER_COLUMNS)}; case, spaces "
                "and underscores do not matter): rename it or remove it from the file."
            )
            continue
        if column in seen:
            result.errors.append(f"Columns '{seen[column]}' and '{theirs}' are both {column}; keep one.")
            continue
        seen[column] = theirs
        columns[theirs] = column
    missing = [column for column in ("name", "type") if column not in seen]
    if missing:
        result.errors.append(f"Missing column(s): {', '.join(missing)}.")
    return columns


def import_members(data, *, dry_run=False):
    """Import a register of members from CSV text (columns: name, type, ward, party, constituency, email,
    office, register_id). Every row is checked first; nothing is written unless all rows are valid."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    result = MemberImport()
    reader = csv.reader(io.StringIO(data), strict=True)
    try:
        fieldnames = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        result.errors.append(f"Row 1: the header cannot be read as CSV: {error}.")
        return result
    if not fieldnames:
        result.errors.append("The file is empty: there is no header row.")
        return result
    columns = _member_columns(fieldnames, result)
    if result.errors:
        return result
    rows, register_ids = [], {}
    number = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(f"Row {number + 1}: cannot be read as CSV ({error}); check its quotes.")
            break
        number += 1
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(fieldnames):
            result.errors.append(
                f"Row {number}: the row has {len(values)} values but the header names {len(fieldnames)} columns."
            )
            continue
        row = {columns[name]: value.strip() for name, value in zip(fieldnames, values, strict=True)}
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
        for column, limit in MEMBER_COLUMNS.items():
            if limit and len(row.get(column, "")) > limit:
                result.errors.append(
                    f"Row {number}, column {column}: is {len(row[column])} characters long; it can hold at most "
                    f"{limit}."
                )
        if row.get("email"):
            try:
                validate_email(row["email"])
            except ValidationError:
                result.errors.append(f"Row {number}, column email: '{row['email']}' is not an email address.")
        if row.get("register_id"):
            if row["register_id"] in register_ids:
                result.errors.append(
                    f"Row {number}, column register_id: '{row['register_id']}' is already on row "
                    f"{register_ids[row['register_id']]}."
                )
            register_ids.setdefault(row["register_id"], number)
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
