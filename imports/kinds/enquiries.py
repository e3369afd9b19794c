"""Members' enquiries, one row per enquiry.

Members must already be in the register (`manage.py import_members`); an enquiry names its member by
register id or name. Clocks use the member type's targets (`enquiries.EnquiryTarget`), computed with the
sla engine, so 'responded in time' and working days to respond are right for imported enquiries."""

import datetime
from dataclasses import dataclass

from casework.bulk import copy_records, next_ids
from casework.models import Case, CaseKind, TimelineEvent
from casework.services import allocate_references
from enquiries.models import Enquiry, EnquiryStatus, EnquiryType, Member
from enquiries.services import target_for
from imports.core import (
    IMPORTED_EVENT,
    Column,
    Problem,
    at_noon,
    choice_lookup,
    describe_changes,
    existing_cases,
    imported_rows,
    normalise,
    rows_text,
)
from imports.kinds.complaints import _people
from sla import engine
from sla.models import Clock, ClockKind, ClockStatus

DIVISION = "england-and-wales"
COLUMNS = [
    Column("reference", True, "Your reference for the enquiry; kept as its external reference.", "ME/2023/0457"),
    Column("member", True, "The member's register id or name, as in the members' register.", "Sarah Ahmed MP"),
    Column("enquiry_type", True, "service request, information request or complaint.", "service request"),
    Column("service_area", True, "Name or code of one of our service areas.", "Allocations"),
    Column("date_received", True, "The day the enquiry was received.", "14/03/2023"),
    Column("date_acknowledged", False, "When it was acknowledged.", "15/03/2023"),
    Column("date_responded", False, "When the full response was sent. Empty: still open.", "24/03/2023"),
    Column(
        "summary", False, "One line that identifies the enquiry.", "Position on the housing register", max_length=250
    ),
    Column("description", False, "What the member asked.", ""),
    Column("response", False, "The response sent.", ""),
    Column("handler", False, "Who answered it: a username, email address or full name of one of our users.", ""),
    Column(
        "constituent_first_name",
        False,
        "The constituent's first name (with constituent_last_name).",
        "",
        max_length=100,
    ),
    Column("constituent_last_name", False, "", "", max_length=100),
    Column("address", False, "First line of the constituent's address.", "", max_length=200),
    Column("postcode", False, "", "", max_length=10),
]
TYPES = choice_lookup(
    EnquiryType,
    {
        "service": EnquiryType.SERVICE_REQUEST,
        "information": EnquiryType.INFORMATION_REQUEST,
        "foi": EnquiryType.INFORMATION_REQUEST,
    },
)


@dataclass
class PlannedEnquiry:
    row: object
    reference: str
    member: object
    enquiry_type: str
    service_area: object
    received_on: datetime.date
    acknowledged_on: datetime.date | None
    responded_on: datetime.date | None
    handler: object
    texts: dict
    canonical: dict
    acknowledge_due: datetime.date | None = None
    respond_due: datetime.date | None = None
    targets: tuple = ()  # (respond within, acknowledge within) working days for the member's type


class EnquiriesKind:
    name = "enquiries"
    label = "Members' enquiries (one row per enquiry)"
    description = "Enquiries from councillors and MPs, with their dates and responses."
    example = "docs/examples/enquiries.csv"
    columns = COLUMNS

    def check(self, rows, ctx):
        members = {}
        for member in Member.objects.select_related("office"):
            members.setdefault(normalise(member.name), member)
            if member.register_id:
                members[normalise(member.register_id)] = member
        targets = {}
        unknown_members = {}
        seen = {}
        planned = []
        for row in rows:
            values = row.values
            reference = ctx.text(row, "reference", required=True, max_length=60)
            member_name = ctx.text(row, "member", required=True)
            member = members.get(normalise(member_name)) if member_name else None
            if member_name and member is None:
                unknown_members.setdefault(member_name, []).append(row.number)
            enquiry_type = ctx.choice(row, "enquiry_type", TYPES, required=True, what="type of enquiry")
            area_name = ctx.text(row, "service_area", required=True)
            area = ctx.lookups.service_area(area_name, row.number) if area_name else None
            received = ctx.date(row, "date_received", required=True)
            acknowledged = ctx.date(row, "date_acknowledged")
            responded = ctx.date(row, "date_responded")
            handler = ctx.lookups.user(values["handler"], row.number) if values.get("handler") else None
            if received and acknowledged and acknowledged < received:
                ctx.problem(row, "date_acknowledged", f"{acknowledged:%d/%m/%Y} is before the date received.")
            if received and responded and responded < received:
                ctx.problem(row, "date_responded", f"{responded:%d/%m/%Y} is before the date received.")
            if bool(values.get("constituent_first_name")) != bool(values.get("constituent_last_name")):
                ctx.problem(
                    row, "constituent_last_name", "give both the constituent's first and last name, or neither."
                )
            if reference in seen:
                ctx.problem(row, "reference", f"duplicate: '{reference}' is already on row {seen[reference]}.")
                continue
            seen[reference] = row.number
            if None in (member, enquiry_type, area, received) or not reference:
                continue
            canonical = {column: value for column, value in values.items() if value}
            canonical.update(
                {"member": str(member.pk), "enquiry_type": enquiry_type, "date_received": received.isoformat()}
            )
            for column, day in (("date_acknowledged", acknowledged), ("date_responded", responded)):
                if day:
                    canonical[column] = day.isoformat()
            texts = dict(values)
            texts["resident_first_name"] = values.get("constituent_first_name", "")
            texts["resident_last_name"] = values.get("constituent_last_name", "")
            plan_item = PlannedEnquiry(
                row, reference, member, enquiry_type, area, received, acknowledged, responded, handler, texts, canonical
            )
            if member.member_type not in targets:
                targets[member.member_type] = target_for(member.member_type)
            respond_within, acknowledge_within = targets[member.member_type]
            calendar = engine.get_calendar(DIVISION)
            plan_item.respond_due = calendar.add_working_days(received, respond_within)
            if acknowledge_within:
                plan_item.acknowledge_due = calendar.add_working_days(received, acknowledge_within)
            plan_item.targets = (respond_within, acknowledge_within)
            planned.append(plan_item)
        for name, numbers in unknown_members.items():
            ctx.result.problems.append(
                Problem(
                    None,
                    "member",
                    f"No member '{name}' in the members' register ({rows_text(numbers)}); import the register "
                    "first (manage.py import_members) or map the name.",
                )
            )
        ctx.result.cases_in_file = len(seen)
        existing = existing_cases(seen)
        stored = imported_rows(pk for pk, kind, _ in existing.values() if kind == CaseKind.ENQUIRY)
        plan = []
        for item in planned:
            found = existing.get(item.reference)
            if found is None:
                plan.append(item)
                continue
            case_id, kind, ours = found
            if kind != CaseKind.ENQUIRY or case_id not in stored:
                ctx.problem(
                    item.row,
                    "reference",
                    f"'{item.reference}' is already the reference of {kind.replace('_', ' ')} {ours}"
                    + ("" if kind != CaseKind.ENQUIRY else ", which was not imported")
                    + ".",
                )
                continue
            changes = describe_changes(stored[case_id], [item.canonical], key="reference")
            if not changes:
                ctx.result.unchanged += 1
            for _, column, message in changes:
                ctx.problem(
                    item.row,
                    column,
                    f"enquiry {ours} was imported from '{item.reference}' before and {message}. "
                    "A re-import never changes an imported enquiry.",
                )
        return plan

    def write(self, plan, ctx):
        if not plan:
            return 0
        calendar = engine.get_calendar(DIVISION)
        case_id = next_ids(Case, len(plan))
        clock_id = next_ids(Clock, 2 * len(plan))
        by_year = {}
        for item in plan:
            by_year.setdefault(item.received_on.year, []).append(item.reference)
        references = {}
        for year, externals in by_year.items():
            references.update(zip(externals, allocate_references("ME", year, len(externals)), strict=True))
        residents, properties = _people(plan)
        now = datetime.datetime.now(datetime.UTC)
        actor_id = ctx.actor.pk if ctx.actor else None
        cases, enquiries, clocks, events = [], [], [], []
        for item in plan:
            respond_within, acknowledge_within = item.targets
            responded, acknowledged = item.responded_on, item.acknowledged_on
            if responded:
                status = EnquiryStatus.CLOSED
            elif acknowledged or item.handler:
                status = EnquiryStatus.IN_PROGRESS
            else:
                status = EnquiryStatus.RECEIVED
            open_dues = []
            if acknowledge_within:
                stopped = acknowledged or responded
                clocks.append(
                    _clock(
                        clock_id,
                        case_id,
                        ClockKind.ACKNOWLEDGEMENT,
                        "Acknowledge the enquiry",
                        item.received_on,
                        acknowledge_within,
                        item.acknowledge_due,
                        stopped,
                        calendar,
                        now,
                    )
                )
                clock_id += 1
                if not stopped:
                    open_dues.append(item.acknowledge_due)
            clocks.append(
                _clock(
                    clock_id,
                    case_id,
                    ClockKind.RESPONSE,
                    "Respond to the enquiry",
                    item.received_on,
                    respond_within,
                    item.respond_due,
                    responded,
                    calendar,
                    now,
                )
            )
            clock_id += 1
            if not responded:
                open_dues.append(item.respond_due)
            summary = (
                item.texts.get("summary")
                or item.texts.get("description", "").split("\n")[0]
                or f"Enquiry from {item.member.name}"
            )
            address = ", ".join(p for p in (item.texts.get("address", ""), item.texts.get("postcode", "")) if p)
            cases.append(
                {
                    "id": case_id,
                    "reference": references[item.reference],
                    "kind": CaseKind.ENQUIRY,
                    "status": status,
                    "summary": summary[:250],
                    "service_area_id": item.service_area.pk,
                    "resident_id": residents.get(item.reference),
                    "home_id": properties.get(item.reference),
                    "assigned_to_id": item.handler.pk if item.handler else None,
                    "received_on": item.received_on,
                    "created_at": now,
                    "updated_at": now,
                    "closed_at": at_noon(responded) if responded else None,
                    "next_due_on": min(open_dues, default=None),
                    "external_reference": item.reference,
                }
            )
            enquiries.append(
                {
                    "case_ptr_id": case_id,
                    "member_id": item.member.pk,
                    "office_id": item.member.office_id,
                    "enquiry_type": item.enquiry_type,
                    "description": item.texts.get("description") or summary,
                    "constituent_address": address,
                    "acknowledged_on": acknowledged,
                    "response": item.texts.get("response", ""),
                    "responded_on": responded,
                    "responded_by_id": item.handler.pk if item.handler and responded else None,
                    "working_days_to_respond": calendar.working_days_between(item.received_on, responded)
                    if responded
                    else None,
                    "responded_in_time": responded <= item.respond_due if responded else None,
                }
            )
            events.extend(_events(case_id, item, ctx, actor_id, now))
            case_id += 1
        copy_records(Case, cases)
        copy_records(Enquiry, enquiries)
        copy_records(Clock, clocks)
        copy_records(TimelineEvent, events)
        return len(plan)


def _clock(clock_id, case_id, kind, label, started, target, due, stopped, calendar, now):
    return {
        "id": clock_id,
        "case_id": case_id,
        "kind": kind,
        "stage": None,
        "label": label,
        "division": DIVISION,
        "started_on": started,
        "target_working_days": target,
        "due_on": due,
        "status": ClockStatus.STOPPED if stopped else ClockStatus.RUNNING,
        "stopped_on": stopped,
        "met": stopped <= due if stopped else None,
        "working_days_taken": calendar.working_days_between(started, stopped) if stopped else None,
        "created_at": now,
    }


def _events(case_id, item, ctx, actor_id, now):
    def event(day, kind, summary, visible, data=None):
        return {
            "case_id": case_id,
            "occurred_at": at_noon(day) if day else now,
            "actor_id": None if day else actor_id,
            "kind": kind,
            "summary": summary,
            "data": data or {},
            "visible_to_member": visible,
        }

    def fmt(day):
        return day.strftime("%a %-d %b %Y")

    events = [
        event(
            item.received_on,
            "submitted",
            f"Enquiry received from {item.member.name}'s office on {fmt(item.received_on)} (recorded in {ctx.source}).",
            True,
        )
    ]
    if item.acknowledged_on:
        events.append(
            event(item.acknowledged_on, "acknowledged", f"Acknowledged on {fmt(item.acknowledged_on)}.", True)
        )
    if item.responded_on:
        events.append(event(item.responded_on, "responded", f"Response sent on {fmt(item.responded_on)}.", True))
    events.append(
        event(
            None,
            IMPORTED_EVENT,
            f"Imported from {ctx.source} (their reference {item.reference}).",
            False,
            {"external_reference": item.reference, "rows": [item.canonical]},
        )
    )
    return events


KIND = EnquiriesKind
