"""Members' enquiries for the generated data set (`manage.py generate_cases`), beside its complaints.

The council's members (councillors for their wards, the borough's MPs, the Mayor and the cabinet), each with
an office; one MP's office sends a third of all enquiries, thousands of them, as a busy MP's caseworkers do.
Enquiries are about the residents already generated (a few homes and residents of their own if there are
none), answered within their member type's target most of the time; the last weeks' are still open with
running clocks. Rows are written with COPY on PostgreSQL (casework.bulk)."""

import datetime
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from casework.bulk import copy_records, next_ids
from casework.models import Case, CaseKind, Resident, ServiceArea
from casework.reference_data import load_reference_data
from casework.roles import Role, assign_role
from casework.scale import TimelineWriter, generate_homes, generate_residents
from casework.services import allocate_references, format_reference
from enquiries.models import Enquiry, EnquiryStatus, EnquiryType, Member, MemberOffice, MemberType
from enquiries.services import target_for
from sla import engine
from sla.models import Clock, ClockKind

BIG_OFFICE = "Office of Ellen Marsh MP"
BIG_OFFICE_SHARE = 0.35
OPEN_DAYS = 21
WARDS = [
    "Camberwell Green", "Champion Hill", "Dulwich Hill", "Dulwich Village", "Faraday", "Goose Green", "Nunhead",
    "Old Kent Road", "Peckham", "Peckham Rye", "Rye Lane", "St Giles", "Surrey Docks", "Borough and Bankside",
    "Chaucer", "London Bridge", "North Bermondsey", "Rotherhithe", "South Bermondsey", "Newington",
]  # fmt: skip
PARTIES = ["Labour", "Liberal Democrat", "Conservative", "Green", "Independent"]
MPS = [
    ("Ellen Marsh", "Peckham"),
    ("Rupert Adeyemi", "Dulwich and West Norwood"),
    ("Sally Cho", "Bermondsey and Old Southwark"),
]
ENQUIRY_SUMMARIES = [
    "Constituent's repair outstanding since the spring",
    "Overcrowding: family of five in a one-bedroom flat",
    "Damp and mould reported several times",
    "Housing register band review",
    "Noise nuisance from a neighbour",
    "Temporary accommodation far from the children's school",
    "Parking permit refused",
    "Missed bin collections on the estate",
]
ENQUIRY_DESCRIPTIONS = [
    "My constituent has reported a leak from the flat above three times since April and nothing has been done.",
    "The family has been on the housing register for six years and asks why their band has not changed.",
    "The resident says black mould has returned in every room and the children are unwell.",
    "My constituent asks when the estate's lift will be repaired; she is housebound without it.",
    "Could the council explain why the temporary accommodation offered is two hours from the school?",
]


@dataclass
class EnquiryScaleResult:
    enquiries: int
    open_enquiries: int
    members: int
    offices: int
    big_office: str
    big_office_enquiries: int
    clocks: int
    events: int


def _members():
    """The members and their offices, made once: (member id, office id, member type) for each."""
    rows = [(BIG_OFFICE, "Ellen Marsh", MemberType.MP, "", "Peckham")]
    rows += [(f"Office of {name} MP", name, MemberType.MP, "", seat) for name, seat in MPS[1:]]
    rows.append(("Mayor's office", "Kieron Walsh", MemberType.MAYOR, "", ""))
    rows += [(f"Cabinet office: member {n}", f"Cabinet Member {n}", MemberType.CABINET, "", "") for n in range(1, 9)]
    for ward in WARDS:
        for seat in range(3):
            rows.append((f"Councillors for {ward}", f"Cllr {ward} {seat + 1}", MemberType.COUNCILLOR, ward, ""))
    members = []
    for office_name, name, member_type, ward, seat in rows:
        office, _ = MemberOffice.objects.get_or_create(name=office_name)
        member, _ = Member.objects.get_or_create(
            register_id=f"bench-{name.lower().replace(' ', '-')}",
            defaults={
                "name": name,
                "member_type": member_type,
                "ward": ward,
                "constituency": seat,
                "party": PARTIES[len(members) % len(PARTIES)],
                "office": office,
            },
        )
        members.append((member.pk, member.office_id, member.member_type))
    return members


def _officers(count):
    User = get_user_model()
    officers = []
    for number in range(count):
        user, created = User.objects.get_or_create(
            username=f"bench.enquiries{number}", defaults={"first_name": "Enquiries", "last_name": f"Officer {number}"}
        )
        if created:
            assign_role(user, Role.COMPLAINTS_OFFICER)
        officers.append(user.pk)
    return officers


@transaction.atomic
def generate_enquiries(count, *, years=10, seed=11, today=None):
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed)
    load_reference_data()
    areas = list(ServiceArea.objects.values_list("pk", flat=True))
    members = _members()
    officers = _officers(10)
    calendar = engine.get_calendar("england-and-wales")
    span = Resident.objects.aggregate(first=Min("pk"), last=Max("pk"))
    if span["first"] is None:
        people = max(count // 2, 1)
        first_resident = generate_residents(people, rng, first_home=generate_homes(people, rng))
        span = {"first": first_resident, "last": first_resident + people - 1}

    first_day = today.replace(year=today.year - years)
    days = np.sort(rng.integers(first_day.toordinal(), today.toordinal() + 1, size=count))
    received = [datetime.date.fromordinal(int(day)) for day in days]
    big = 0  # the first member: the MP whose office is BIG_OFFICE
    member_index = np.where(rng.random(size=count) < BIG_OFFICE_SHARE, big, rng.integers(0, len(members), size=count))
    residents = rng.integers(span["first"], span["last"] + 1, size=count)
    resident_homes = dict(
        Resident.objects.filter(pk__range=(span["first"], span["last"])).values_list("pk", "home_id").iterator()
    )
    by_year = {}
    for day in received:
        by_year[day.year] = by_year.get(day.year, 0) + 1
    next_number = {}
    for year, amount in by_year.items():
        last = int(allocate_references("ME", year, amount)[-1].rsplit("-", 1)[1])
        next_number[year] = last - amount + 1
    targets = {kind: target_for(kind) for kind in MemberType.values}
    response_delay = rng.integers(2, 16, size=count)
    busy = rng.random(size=count) < 0.02
    first_case = next_ids(Case, count)
    first_clock = next_ids(Clock, count * 2)
    now = timezone.now()
    open_cut = today - datetime.timedelta(days=OPEN_DAYS)
    cases, enquiries, clocks = [], [], []
    timeline = TimelineWriter(rng)
    open_count = big_count = 0
    clock_id = first_clock
    types = EnquiryType.values
    for i, day in enumerate(received):
        case_id = first_case + i
        member_id, office_id, member_type = members[member_index[i]]
        big_count += member_index[i] == big
        respond_within, acknowledge_within = targets[member_type]
        officer = officers[i % len(officers)]
        reference = format_reference("ME", day.year, next_number[day.year])
        next_number[day.year] += 1
        is_open = day > open_cut
        responded_on = None if is_open else min(calendar.add_working_days(day, int(response_delay[i])), today)
        acknowledged_on = calendar.add_working_days(day, 1) if acknowledge_within else None
        if acknowledged_on and acknowledged_on > today:
            acknowledged_on = None
        response_due = calendar.add_working_days(day, respond_within)
        if is_open:
            open_count += 1
            status = EnquiryStatus.IN_PROGRESS if acknowledged_on else EnquiryStatus.RECEIVED
        else:
            status = EnquiryStatus.CLOSED if i % 5 == 0 else EnquiryStatus.RESPONDED
        planned = [(ClockKind.RESPONSE, "Respond to the enquiry", respond_within, response_due, responded_on)]
        if acknowledge_within:
            due = calendar.add_working_days(day, acknowledge_within)
            planned.append((ClockKind.ACKNOWLEDGEMENT, "Acknowledge the enquiry", acknowledge_within, due,
                            acknowledged_on or responded_on))  # fmt: skip
        running = [due for *_, due, stopped in planned if stopped is None]
        for kind, label, working_days, due, stopped in planned:
            clocks.append({
                "id": clock_id, "case_id": case_id, "kind": kind, "label": label, "division": "england-and-wales",
                "started_on": day, "target_working_days": working_days, "due_on": due,
                "status": "stopped" if stopped else "running", "stopped_on": stopped,
                "met": (stopped <= due) if stopped else None,
                "working_days_taken": calendar.working_days_between(day, stopped) if stopped else None,
            })  # fmt: skip
            clock_id += 1
        resident = int(residents[i])
        closed_at = None
        if responded_on:
            closed_at = datetime.datetime.combine(responded_on, datetime.time(15, 0), tzinfo=datetime.UTC)
        cases.append({
            "id": case_id, "reference": reference, "kind": CaseKind.ENQUIRY, "status": status,
            "summary": ENQUIRY_SUMMARIES[i % len(ENQUIRY_SUMMARIES)], "service_area_id": areas[i % len(areas)],
            "resident_id": resident, "home_id": resident_homes.get(resident), "assigned_to_id": officer,
            "received_on": day, "created_at": now, "updated_at": now, "closed_at": closed_at,
            "next_due_on": min(running, default=None),
        })  # fmt: skip
        enquiries.append({
            "case_ptr_id": case_id, "member_id": member_id, "office_id": office_id,
            "enquiry_type": types[i % len(types)],
            "description": ENQUIRY_DESCRIPTIONS[i % len(ENQUIRY_DESCRIPTIONS)], "consent_to_share": True,
            "urgent_reasons": [], "acknowledged_on": acknowledged_on,
            "response": "We have raised the repair and will write to your constituent." if responded_on else "",
            "responded_on": responded_on, "responded_by_id": officer if responded_on else None,
            "working_days_to_respond": calendar.working_days_between(day, responded_on) if responded_on else None,
            "responded_in_time": (responded_on <= response_due) if responded_on else None,
        })  # fmt: skip
        timeline.event(case_id, day, "submitted", "Enquiry received from the member's office.", visible=True)
        if acknowledged_on:
            timeline.event(
                case_id, acknowledged_on, "acknowledged", "Enquiry acknowledged.", actor=officer, visible=True
            )
        if responded_on:
            timeline.event(case_id, responded_on, "responded", "Response sent.", actor=officer, hour=15, visible=True)
        if busy[i]:
            timeline.busy(case_id, day, responded_on or today, officer, int(rng.integers(10, 40)), 2)
    copy_records(Case, cases)
    copy_records(Enquiry, enquiries)
    copy_records(Clock, clocks)
    timeline.flush()
    return EnquiryScaleResult(
        count, open_count, len(members), len({office for _, office, _ in members}), BIG_OFFICE, int(big_count),
        len(clocks), timeline.event_count,
    )  # fmt: skip
