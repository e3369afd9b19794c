"""A large, plausible set of complaints written straight to the tables, for benchmarks.

Ten years of complaints with the seeds' seasonal shape (a September-October rise), most long closed, a
realistic share escalated to stage 2, and the last few weeks still open with running clocks. One officer,
`bench.officer`, is given exactly `officer_open` open complaints so that a work-queue benchmark has a known
answer. Rows are written with COPY on PostgreSQL."""

import bisect
import datetime
import random
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casework.bulk import copy_rows, next_ids
from casework.models import Case, IssueNature, ServiceArea
from casework.reference_data import load_reference_data
from casework.roles import Role, assign_role
from casework.scale import TimelineWriter, generate_homes, generate_residents
from casework.services import allocate_references, format_reference
from complaints import deadlines
from complaints.models import (
    Channel,
    Complaint,
    ComplaintScheme,
    ComplaintStage,
    ComplaintStatus,
    ComplaintType,
    ProcedureVersion,
    SchemeKind,
)
from sla import engine
from sla.models import Clock, ClockKind

# Seed 000's 2020 monthly complaints, as a seasonal shape (January..December).
MONTH_WEIGHTS = [19, 27, 33, 14, 18, 30, 31, 27, 74, 84, 39, 20]
OPEN_DAYS = 30
ESCALATION_RATE = 0.08
BENCH_OFFICER = "bench.officer"
BATCH = 50_000
BUSY_RATE = 0.02  # complaints with tens of timeline events and a few notes
NOTED_RATE = 0.1  # complaints with one note
LONG_TIMELINE = 2_000
CHANNELS = [Channel.EMAIL, Channel.PHONE, Channel.WEB_FORM, Channel.LETTER, Channel.IN_PERSON]
SUMMARIES = [
    "Repairs not done after three visits",
    "Missed repair appointment",
    "Damp and mould in the bedroom",
    "Leak from the flat above",
    "Staff conduct at the housing office",
    "No reply to emails about a repair",
    "Heating and hot water broken",
    "Service charge too high",
    "Anti-social behaviour not dealt with",
    "Lift out of order for weeks",
    "Rent account wrongly in arrears",
    "Communal area not cleaned",
]
DESCRIPTIONS = [
    "The kitchen ceiling has leaked since the winter and the contractor has been out three times without fixing it.",
    "Black mould is back in the children's bedroom a month after it was washed; nobody has looked at the cause.",
    "I waited in all day for the plumber and nobody came or called to say they were not coming.",
    "The officer at the front desk was rude to me and would not take my details.",
    "I have emailed four times about the broken boiler and had no answer; we have no hot water.",
    "My service charge went up by a third this year with no explanation of the works.",
    "Neighbours play loud music every night; I reported it in June and nothing has happened.",
    "The lift in our block has been broken for six weeks and I cannot get my pushchair down the stairs.",
    "My rent account shows arrears although I pay by direct debit every month.",
    "The stairwell has not been cleaned for months and the bins are overflowing.",
]
OUTCOMES_WANTED = ["Put it right", "Fix the repair and an apology", "Compensation for the delay", "An explanation"]


@dataclass
class ScaleResult:
    complaints: int
    open_complaints: int
    stages: int
    clocks: int
    officer: str
    events: int = 0
    notes: int = 0


def _random_dates(rng, count, first, last):
    """`count` dates between first and last, weighted by month like seed 000."""
    days = np.arange(first.toordinal(), last.toordinal() + 1)
    months = np.array([datetime.date.fromordinal(int(d)).month for d in days])
    weights = np.array(MONTH_WEIGHTS, dtype=float)[months - 1]
    chosen = rng.choice(days, size=count, p=weights / weights.sum())
    chosen.sort()
    return chosen


def _officers(count):
    User = get_user_model()
    officers = []
    for number in range(count):
        username = BENCH_OFFICER if number == 0 else f"bench.officer{number}"
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Bench", "last_name": f"Officer {number}"}
        )
        if created:
            assign_role(user, Role.COMPLAINTS_OFFICER)
        officers.append(user.pk)
    return officers


@transaction.atomic
def generate_complaints(count, *, years=10, officer_open=200, seed=7, today=None):
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    load_reference_data()
    areas = list(ServiceArea.objects.values_list("pk", flat=True))
    natures = list(IssueNature.objects.values_list("pk", "service_area_id"))
    officers = _officers(50)
    # The procedure in force on each day, as the services choose it; its stages set every clock (complaints.deadlines).
    landlord = ComplaintScheme.objects.get(kind=SchemeKind.LANDLORD)
    versions = list(
        ProcedureVersion.objects.filter(scheme=landlord, applies_from__isnull=False)
        .prefetch_related("stages")
        .order_by("applies_from")
    )
    starts = [version.applies_from for version in versions]
    definitions = {version.pk: {stage.number: stage for stage in version.stages.all()} for version in versions}
    calendar = engine.get_calendar("england-and-wales")

    first_day = today.replace(year=today.year - years)
    ordinals = _random_dates(rng, count, first_day, today)
    received_dates = [datetime.date.fromordinal(int(o)) for o in ordinals]
    people = max(count // 4, 1)
    home_first = generate_homes(people, rng)
    resident_first = generate_residents(people, rng, first_home=home_first)
    timeline = TimelineWriter(rng)
    # Most complaints have only their milestones on the timeline; some keep an officer busy for weeks, and one
    # has a history of 2,000 events (the case page shows the latest 50).
    busy = rng.random(size=count) < BUSY_RATE
    noted = rng.random(size=count) < NOTED_RATE
    long_index = count // 2

    # References per year, allocated in blocks so they stay unique beside any created normally.
    by_year = {}
    for day in received_dates:
        by_year[day.year] = by_year.get(day.year, 0) + 1
    next_number = {}
    for year, amount in by_year.items():
        last = int(allocate_references("CMP", year, amount)[-1].rsplit("-", 1)[1])
        next_number[year] = last - amount + 1

    open_cut = today - datetime.timedelta(days=OPEN_DAYS)
    is_open = np.array([day > open_cut for day in received_dates])
    # Exactly `officer_open` open complaints for the bench officer: the latest ones, topped up if needed.
    open_indices = np.flatnonzero(is_open)
    if len(open_indices) < officer_open:
        extra = np.arange(count - officer_open, count)
        is_open[extra] = True
        open_indices = np.flatnonzero(is_open)
    bench_indices = set(open_indices[-officer_open:].tolist())

    ack_delay = rng.integers(1, 7, size=count)
    response_delay = rng.integers(5, 16, size=count)
    acknowledged = calendar.add_working_days_many(ordinals_to_days(ordinals), ack_delay).astype(datetime.date)
    responded = calendar.add_working_days_many(acknowledged.astype("datetime64[D]"), response_delay).astype(
        datetime.date
    )

    first_case = next_ids(Case, count)
    first_stage = next_ids(ComplaintStage, int(count * (1 + ESCALATION_RATE * 1.5)) + 10)
    first_clock = next_ids(Clock, count * 3 + 10)
    now = timezone.now()
    outcomes = ["upheld", "partly_upheld", "not_upheld"]
    types = ComplaintType.values
    case_rows, complaint_rows, stage_rows, clock_rows = [], [], [], []
    stage_id, clock_id = first_stage, first_clock
    open_count = stage_count = clock_count = 0

    def flush():
        nonlocal case_rows, complaint_rows, stage_rows, clock_rows, stage_count, clock_count
        copy_rows(Case, CASE_COLUMNS, case_rows)
        copy_rows(Complaint, COMPLAINT_COLUMNS, complaint_rows)
        copy_rows(ComplaintStage, STAGE_COLUMNS, stage_rows)
        copy_rows(Clock, CLOCK_COLUMNS, clock_rows)
        timeline.flush()
        stage_count += len(stage_rows)
        clock_count += len(clock_rows)
        case_rows, complaint_rows, stage_rows, clock_rows = [], [], [], []

    for i, day in enumerate(received_dates):
        if i and i % BATCH == 0:
            flush()  # in batches, so a million complaints never sit in memory at once
        case_id = first_case + i
        nature, area = natures[i % len(natures)]
        area = area or areas[i % len(areas)]
        version = versions[max(bisect.bisect_right(starts, day) - 1, 0)]
        stages = definitions[version.pk]
        reference = format_reference("CMP", day.year, next_number[day.year])
        next_number[day.year] += 1
        if i in bench_indices:
            officer = officers[0]
        else:
            officer = officers[1 + i % (len(officers) - 1)]
        person = pyrng.randrange(people)
        resident = resident_first + person
        events_before = len(timeline.events)
        timeline.event(case_id, day, "received", f"Complaint received by {CHANNELS[i % len(CHANNELS)].label.lower()}.")
        escalated = not is_open[i] and len(stages) > 1 and pyrng.random() < ESCALATION_RATE
        stage1 = stages[1]
        has_ack = stage1.acknowledge_within is not None
        if is_open[i]:
            open_count += 1
            acknowledged_yet = has_ack and acknowledged[i] <= today and pyrng.random() < 0.6
            status = ComplaintStatus.ACKNOWLEDGED if acknowledged_yet else ComplaintStatus.RECEIVED
            ack_on = acknowledged[i] if acknowledged_yet else None
            planned = _stage_clocks(stage1, day, ack_on, None, calendar)
            closed_at = None
            next_due = min((due for _, _, due, stopped in planned if stopped is None), default=None)
            stage_rows.append(_stage(stage_id, case_id, 1, day, ack_on, officer, None, "", None, None))
            if ack_on:
                timeline.event(case_id, ack_on, "acknowledged", "Complaint acknowledged.", actor=officer)
        else:
            status = ComplaintStatus.CLOSED
            ack_on = acknowledged[i] if has_ack else None
            planned = _stage_clocks(stage1, day, ack_on, responded[i], calendar)
            response_due = next(due for kind, _, due, _ in planned if kind == ClockKind.RESPONSE)
            final_response = responded[i]
            if ack_on:
                timeline.event(case_id, ack_on, "acknowledged", "Complaint acknowledged.", actor=officer)
            timeline.event(case_id, responded[i], "responded", "Stage 1 response sent.", actor=officer, hour=15)
            stage_rows.append(
                _stage(
                    stage_id, case_id, 1, day, ack_on, officer, responded[i], outcomes[pyrng.randrange(3)],
                    responded[i] <= response_due, calendar.working_days_between(day, responded[i]),
                )
            )  # fmt: skip
        stage_id += 1
        for _kind, planned_clock, due, stopped in planned:
            clock_rows.append(_clock(clock_id, case_id, planned_clock, due, stopped, calendar))
            clock_id += 1
        if escalated:
            stage2 = stages[2]
            requested = calendar.add_working_days(responded[i], 3)
            ack2 = requested if stage2.acknowledge_within is not None else None
            stage2_response = calendar.add_working_days(requested, 18)
            planned2 = _stage_clocks(stage2, requested, ack2, stage2_response, calendar)
            due2 = next(due for kind, _, due, _ in planned2 if kind == ClockKind.RESPONSE)
            stage_rows.append(
                _stage(
                    stage_id, case_id, 2, requested, ack2, officers[(i + 7) % len(officers)], stage2_response,
                    outcomes[pyrng.randrange(3)], stage2_response <= due2,
                    calendar.working_days_between(requested, stage2_response),
                )
            )  # fmt: skip
            stage_id += 1
            for _kind, planned_clock, due, stopped in planned2:
                clock_rows.append(_clock(clock_id, case_id, planned_clock, due, stopped, calendar))
                clock_id += 1
            final_response = stage2_response
            timeline.event(case_id, requested, "escalated", "Resident asked for stage 2.", hour=10)
            timeline.event(case_id, stage2_response, "responded", "Stage 2 response sent.", actor=officer, hour=15)
        if not is_open[i]:
            next_due = None
            closed_at = datetime.datetime.combine(final_response, datetime.time(16, 0), tzinfo=datetime.UTC)
            timeline.event(case_id, final_response, "closed", "Complaint closed.", actor=officer, hour=16)
        last_day = final_response if not is_open[i] else today
        if i == long_index:
            written = len(timeline.events) - events_before
            timeline.busy(case_id, day - datetime.timedelta(days=400), last_day, officer, LONG_TIMELINE - written, 150)
        elif busy[i]:
            timeline.busy(case_id, day, last_day, officer, int(rng.integers(10, 60)), int(rng.integers(1, 6)))
        elif noted[i]:
            timeline.busy(case_id, day, last_day, officer, 0, 1)
        case_rows.append(
            (
                case_id,
                reference,
                "complaint",
                status,
                SUMMARIES[i % len(SUMMARIES)],
                area,
                resident,
                None,
                home_first + person,
                officer,
                None,
                day,
                False,
                now,
                now,
                closed_at,
                next_due,
                None,
            )
        )
        complaint_rows.append(
            (
                case_id,
                version.pk,
                CHANNELS[i % len(CHANNELS)],
                nature,
                types[i % len(types)],
                DESCRIPTIONS[pyrng.randrange(len(DESCRIPTIONS))],
                OUTCOMES_WANTED[i % len(OUTCOMES_WANTED)],
                None,
                "",
                False,
                2 if escalated else 1,
                None,
                None,
                None,
                None,
                "",
                "",
                False,
            )
        )
    flush()
    return ScaleResult(
        count, open_count, stage_count, clock_count, BENCH_OFFICER, timeline.event_count, timeline.note_count
    )


def ordinals_to_days(ordinals):
    return (np.asarray(ordinals, dtype=np.int64) - datetime.date(1970, 1, 1).toordinal()).astype("datetime64[D]")


CASE_COLUMNS = [
    "id",
    "reference",
    "kind",
    "status",
    "summary",
    "service_area_id",
    "resident_id",
    "representative_id",
    "home_id",
    "assigned_to_id",
    "team_id",
    "received_on",
    "is_urgent",
    "created_at",
    "updated_at",
    "closed_at",
    "next_due_on",
    "external_reference",
]
COMPLAINT_COLUMNS = [
    "case_ptr_id",
    "procedure_version_id",
    "channel",
    "issue_nature_id",
    "complaint_type",
    "description",
    "outcome_wanted",
    "issue_occurred_on",
    "staff_named",
    "vulnerability_noted",
    "current_stage",
    "service_request_id",
    "early_resolution_agreed_on",
    "withdrawn_on",
    "refused_on",
    "refusal_reason",
    "refusal_details",
    "repeat_upheld",
]
STAGE_COLUMNS = [
    "id",
    "complaint_id",
    "number",
    "name",
    "requested_on",
    "escalation_reason",
    "acknowledged_on",
    "handler_id",
    "responded_on",
    "response_summary",
    "outcome",
    "compensation_pence",
    "extended",
    "within_code_timescale",
    "working_days_to_respond",
]
CLOCK_COLUMNS = [
    "id",
    "case_id",
    "kind",
    "stage",
    "label",
    "division",
    "started_on",
    "target_working_days",
    "extension_cap_working_days",
    "due_on",
    "status",
    "paused_since",
    "stopped_on",
    "met",
    "working_days_taken",
    "created_at",
]


def _stage(stage_id, complaint_id, number, requested, acknowledged, handler, responded, outcome, within, days):
    return (
        stage_id,
        complaint_id,
        number,
        f"Stage {number}",
        requested,
        "",
        acknowledged,
        handler,
        responded,
        "Generated response" if responded else "",
        outcome,
        0,
        False,
        within,
        days,
    )


def _stage_clocks(definition, requested, acknowledged, responded, calendar):
    """(kind, planned clock, due date, stopped on) for each clock the stage ran: the rule of complaints.deadlines,
    stopped on the stage's dates (the acknowledgement clock on the acknowledgement, else on the response)."""
    rows = []
    for planned in deadlines.stage_clocks(
        definition, requested_on=requested, acknowledged_on=acknowledged or (requested if responded else None),
        calendar=calendar,
    ):  # fmt: skip
        due = calendar.add_working_days(planned.started_on, planned.working_days)
        if planned.kind == ClockKind.ACKNOWLEDGEMENT:
            stopped = acknowledged or responded
        else:
            stopped = responded
        rows.append((planned.kind, planned, due, stopped))
    return rows


def _clock(clock_id, case_id, planned, due, stopped, calendar):
    taken = calendar.working_days_between(planned.started_on, stopped) if stopped else None
    return (
        clock_id,
        case_id,
        planned.kind,
        planned.stage,
        planned.label,
        "england-and-wales",
        planned.started_on,
        planned.working_days,
        planned.extension_cap,
        due,
        "stopped" if stopped else "running",
        None,
        stopped,
        (stopped <= due) if stopped else None,
        taken,
        timezone.now(),
    )
