"""Demo complaints for `make run`: recent cases in every state, logged through the services so their
clocks, timelines and letters are real. Safe to run again (it adds nothing the second time)."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import IssueNature, Property, StockType
from casework.services import create_resident
from complaints import services
from complaints.models import Channel, Complaint, ComplaintType, RefusalReason
from sla import engine

RESIDENTS = [
    ("Ada", "Lovelace", "12 Engine Row", "E1 6AN"),
    ("Kwame", "Mensah", "4 Canal Walk", "N1 7BA"),
    ("Siobhan", "Murphy", "Flat 3, Holly House", "N5 2TL"),
    ("Imran", "Hussain", "88 Station Road", "E8 1DL"),
    ("Grace", "Adeyemi", "Flat 17, Elm Court", "N16 8QP"),
    ("Tomasz", "Nowak", "2 Mill Lane", "E5 0LX"),
    ("Mary", "O'Brien", "Flat 9, Rose Tower", "N4 3HF"),
    ("Li", "Wei", "45 Albion Road", "N16 9JS"),
]
DEMO_STOCK = [StockType.LCRA] * 5 + [StockType.LCHO, StockType.LCRA]
STORIES = [
    (
        "Responsive Repairs (Mears)",
        "Leak under the kitchen sink not fixed",
        ComplaintType.DELAY,
        "Reported a leak three times since February; two appointments missed.",
        "Fix the leak and compensate for the damage.",
    ),
    (
        "Gas Servicing and Repairs (Aaron Services)",
        "No heating for two weeks",
        ComplaintType.SERVICE_FAILURE,
        "Boiler broke down; engineer came twice without the part.",
        "Working heating and compensation.",
    ),
    (
        "Tenancy Management",
        "Neighbour noise not dealt with",
        ComplaintType.CASE_MANAGEMENT,
        "Reported noise nuisance for months; no one called back.",
        "Action on the noise and regular updates.",
    ),
    (
        "Repairs and Maintenance (Non-Mears)",
        "Damp and mould in the bedroom",
        ComplaintType.SERVICE_FAILURE,
        "Black mould on the bedroom wall; child has asthma.",
        "Treat the mould and find the cause.",
    ),
    (
        "Caretaking",
        "Communal stairs not cleaned",
        ComplaintType.SERVICE_FAILURE,
        "Stairwell not cleaned for a month.",
        "Regular cleaning as in the tenancy agreement.",
    ),
    (
        "Rents",
        "Charged twice for March",
        ComplaintType.FINANCIAL,
        "Direct debit taken twice; account shows arrears.",
        "Refund and correct the account.",
    ),
    (
        "Anti-Social Behaviour",
        "Officer was rude on the phone",
        ComplaintType.STAFF_BEHAVIOUR,
        "The officer hung up when I reported the incident.",
        "An apology.",
    ),
    (
        "Allocations",
        "Banding decision wrong",
        ComplaintType.POLICY_DECISION,
        "Medical evidence not considered in my banding.",
        "Review of my banding.",
    ),
]


def load_demo(stdout):
    load_history(stdout)
    if Complaint.objects.filter(external_reference__startswith="DEMO-").exists():
        stdout.write("Demo complaints already loaded.")
        return
    User = get_user_model()
    officer, colleague = User.objects.get(username="officer"), User.objects.get(username="officer2")
    investigator, manager = User.objects.get(username="investigator"), User.objects.get(username="manager")
    rng = random.Random(2025)
    today = timezone.localdate()
    residents = [
        create_resident(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.org",
            address=address,
            postcode=postcode,
        )
        for first, last, address, postcode in RESIDENTS
    ]
    # The sample homes' stock types, as the council's housing records would give them; the last is left
    # unrecorded, so the tenant satisfaction page shows its coverage line.
    for resident, stock in zip(residents, DEMO_STOCK, strict=False):
        Property.objects.filter(pk=resident.home_id).update(stock_type=stock)
    made = 0
    for number in range(24):
        nature_name, summary, kind, description, wanted = STORIES[number % len(STORIES)]
        nature = IssueNature.objects.get(name=nature_name)
        received = engine.add_working_days(today, -rng.randint(1, 35))
        handler = (
            investigator
            if nature.service_area.name
            in ("Responsive Repairs", "Gas Servicing and Repairs", "Repairs and Maintenance")
            else officer
        )
        complaint = services.log_complaint(
            actor=officer,
            received_on=received,
            channel=rng.choice(Channel.values[:6]),
            service_area=nature.service_area,
            issue_nature=nature,
            complaint_type=kind,
            summary=summary,
            description=description,
            outcome_wanted=wanted,
            resident=residents[number % len(residents)],
            assigned_to=handler if number % 5 else None,
            urgent_reason="imminent_eviction" if number == 3 else "",
            external_reference=f"DEMO-{number:03d}",
            issue_occurred_on=received - datetime.timedelta(days=400 if number == 11 else 30),
        )
        made += 1
        step = number % 6
        ack_on = min(engine.add_working_days(received, rng.randint(1, 4)), today)
        if step == 0 or ack_on > today:
            continue  # left to acknowledge: some are overdue
        if number == 11:
            services.refuse(
                complaint,
                actor=officer,
                on=ack_on,
                reason=RefusalReason.OVER_TWELVE_MONTHS,
                details="The repair complained about was completed more than a year before the complaint.",
            )
            continue
        complaint = services.acknowledge(complaint, on=ack_on, actor=officer)
        if complaint.assigned_to is None:
            complaint = services.assign(complaint, colleague, actor=officer)
        if step == 1:
            continue
        if step == 2:
            services.extend(
                complaint,
                actor=complaint.assigned_to,
                granted_on=ack_on,
                reason="Waiting for the contractor's report",
                resident_told_on=ack_on,
                extra_working_days=5,
            )
            continue
        respond_on = min(engine.add_working_days(ack_on, rng.randint(3, 9)), today)
        decision = rng.choice(["upheld", "partly_upheld", "not_upheld"])
        remedies = [services.RemedyLine("apology")]
        if decision != "not_upheld":
            remedies.append(
                services.RemedyLine("compensation", "Time, trouble and inconvenience", rng.choice([5000, 7500, 15000]))
            )
        complaint = services.respond(
            complaint,
            actor=complaint.assigned_to,
            on=respond_on,
            summary="Investigated with the service; see the letter.",
            points=[services.Point(summary, decision, "Records checked with the service.")],
            remedies=remedies,
            actions=[
                services.ActionLine(
                    "Follow-up inspection", complaint.assigned_to, engine.add_working_days(respond_on, 10)
                )
            ]
            if decision != "not_upheld"
            else [],
        )
        if step == 3:
            services.close(complaint, actor=officer)
        elif step == 4 and respond_on < today:
            services.escalate(
                complaint,
                actor=officer,
                requested_on=min(engine.add_working_days(respond_on, 2), today),
                handler=manager,
                reason="Still waiting for the repair.",
            )
    stdout.write(f"Demo complaints loaded ({made}).")


# --- Three years of history ---------------------------------------------------------------------------

HISTORY_PREFIX = "HIST-C-"
HISTORY_YEARS = 3
# Seed 000's 2020 monthly complaints (January..December): the September-October rise.
MONTH_WEIGHTS = [19, 27, 33, 14, 18, 30, 31, 27, 74, 84, 39, 20]
COMPLAINTS_A_YEAR = 560  # seed 002: 599 a year on average over three years
# Seed 002's 2022/23 complaints by issue nature, and the share upheld (upheld or partly upheld).
ISSUE_NATURES = [
    ("Responsive Repairs (Mears)", 235, 0.58),
    ("Tenancy Management", 75, 0.19),
    ("Repairs and Maintenance (Non-Mears)", 68, 0.28),
    ("Gas Servicing and Repairs (Aaron Services)", 62, 0.37),
    ("Transforming Homes", 44, 0.43),
    ("Homelessness and Homeless Prevention", 36, 0.12),
    ("Allocations", 33, 0.12),
    ("Anti-Social Behaviour", 24, 0.25),
    ("Temporary Accommodation", 20, 0.15),
    ("Voids", 17, 0.3),
    ("Caretaking", 14, 0.1),
    ("Rents", 12, 0.55),
    ("Sheltered Housing", 11, 0.2),
    ("Leaseholders", 5, 0.5),
    ("Private Sector Housing", 4, 0.5),
    ("Safeguarding", 4, 0.2),
    ("CCTV/Concierge", 3, 0.3),
    ("Garages", 2, 0.2),
    ("Right to Buy", 2, 0.2),
]
# Share answered within the target, by issue nature where seed 002 singles one out (homelessness: 46%).
ON_TIME = {"Homelessness and Homeless Prevention": 0.5}
ESCALATION_RATE = 0.07  # seed 003: 160 stage 2 / 2,322 stage 1
FIRST_NAMES = ["Ada", "Kwame", "Siobhan", "Imran", "Grace", "Tomasz", "Mary", "Li", "Fatima", "John", "Aisha", "Peter"]
LAST_NAMES = ["Smith", "Okafor", "Murphy", "Hussain", "Adeyemi", "Nowak", "O'Brien", "Wei", "Begum", "Jones", "Patel"]
STREETS = ["Station Road", "Canal Walk", "Albion Road", "Mill Lane", "Holly House", "Elm Court", "Rose Tower"]
SUMMARIES = {
    "Responsive Repairs (Mears)": ["Leak not fixed", "Missed repair appointment", "Repair left unfinished"],
    "Gas Servicing and Repairs (Aaron Services)": ["No heating", "Boiler service missed"],
    "Repairs and Maintenance (Non-Mears)": ["Damp and mould", "Broken door entry"],
    "Tenancy Management": ["Neighbour noise not dealt with", "No reply from housing officer"],
    "Allocations": ["Banding decision wrong", "Bidding account closed"],
}


def _history_date(rng, calendar, first, last):
    """A working day between first and last, weighted by month like seed 000."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    month = rng.choices(months, weights=[MONTH_WEIGHTS[m.month - 1] for m in months])[0]
    start = max(month, first)
    end = min((month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1), last)
    return calendar.working_day_on_or_after(start + datetime.timedelta(days=rng.randrange((end - start).days + 1)))


def history_rows(today, seed=2022):
    """About three years of closed complaints in the import format, with the seeds' seasonal shape, issue
    natures, upheld rates and timeliness: most answered on time, some late, some extended, ~7% escalated."""
    import bisect

    from complaints.models import ComplaintScheme, SchemeKind
    from complaints.schemes import versions_by_scheme

    calendar = engine.get_calendar()
    rng = random.Random(seed)
    # Each complaint's targets are those of the landlord scheme's version in force on the day it was received.
    chain = versions_by_scheme()[ComplaintScheme.objects.get(kind=SchemeKind.LANDLORD).pk]
    starts = [applies_from for applies_from, _ in chain]

    def stage_of(received, number):
        version = chain[max(bisect.bisect_right(starts, received) - 1, 0)][1]
        return next(stage for stage in version.stages.all() if stage.number == number)

    last = engine.add_working_days(today, -40)  # the recent demo complaints cover the weeks since
    first = last.replace(year=last.year - HISTORY_YEARS)
    count = COMPLAINTS_A_YEAR * HISTORY_YEARS
    received_days = sorted(_history_date(rng, calendar, first, last) for _ in range(count))
    names = [n for n, _, _ in ISSUE_NATURES]
    weights = [w for _, w, _ in ISSUE_NATURES]
    upheld_rate = {n: r for n, _, r in ISSUE_NATURES}
    rows = []
    for number, received in enumerate(received_days):
        nature = rng.choices(names, weights)[0]
        repairs = "Repairs" in nature or "Gas" in nature
        handler = "investigator" if repairs else rng.choice(["officer", "officer2"])
        stage_1 = stage_of(received, 1)
        code = stage_1.acknowledge_within is not None  # under the Housing Ombudsman's Code (2020 onwards)
        on_time = rng.random() < ON_TIME.get(nature, 0.9)
        row = {
            "reference": f"{HISTORY_PREFIX}{number:05d}",
            "stage": "1",
            "date_received": received.isoformat(),
            "issue_nature": nature,
            "service_area": _area_of(nature),
            "complaint_type": rng.choices(
                ["delay", "service_failure", "communication", "staff_behaviour", "case_management", "financial"],
                [35, 30, 12, 6, 12, 5],
            )[0],
            "channel": rng.choices(["email", "phone", "web_form", "letter", "in_person"], [40, 25, 25, 7, 3])[0],
            "handler": handler,
            "summary": rng.choice(SUMMARIES.get(nature, [f"Complaint about {nature.split(' (')[0].lower()}"])),
            "resident_first_name": rng.choice(FIRST_NAMES),
            "resident_last_name": rng.choice(LAST_NAMES),
            "address": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "postcode": f"N{rng.randint(1, 19)} {rng.randint(1, 9)}AA",
        }
        rows.append(row)
        if code and rng.random() < 0.05:  # put right within 5 working days with the resident's agreement
            row.update(closed_as="resolved_early", date_closed=calendar.add_working_days(received, 3).isoformat())
            continue
        if rng.random() < 0.02:
            row.update(closed_as="withdrawn", date_closed=calendar.add_working_days(received, 6).isoformat())
            continue
        if code:
            acknowledged = calendar.add_working_days(received, rng.choice([1, 2, 2, 3, 4, 5, 5, 7]))
            row["date_acknowledged"] = acknowledged.isoformat()
        if code and stage_1.respond_from == "acknowledgement":
            # A late acknowledgement buys no time (complaints.deadlines): count from its last allowed day.
            start = min(acknowledged, calendar.add_working_days(received, stage_1.acknowledge_within))
        else:
            start = received
        target = stage_1.respond_within
        extended = on_time and rng.random() < 0.08
        if extended:
            extra = rng.choice([5, 10, 10, 15]) if code else rng.choice([5, 10])
            row["extended_to"] = calendar.add_working_days(start, target + extra).isoformat()
            row["extension_reason"] = rng.choice(
                ["Waiting for the contractor's report", "Complex case needing a site visit", "Resident on holiday"]
            )
            responded = calendar.add_working_days(start, target + rng.randint(1, extra))
        elif on_time:
            responded = calendar.add_working_days(start, rng.randint(max(3, target - 8), target))
        else:
            responded = calendar.add_working_days(start, target + rng.randint(1, 12))
        responded = min(responded, engine.add_working_days(today, -1))
        decided_upheld = rng.random() < upheld_rate[nature]
        outcome = rng.choice(["upheld", "partly_upheld"]) if decided_upheld else "not_upheld"
        row.update(date_responded=responded.isoformat(), outcome=outcome)
        if decided_upheld and rng.random() < 0.5:
            row["compensation"] = str(rng.choice([50, 75, 100, 150, 250, 400]))
        if rng.random() < ESCALATION_RATE and responded < engine.add_working_days(today, -30):
            requested = calendar.add_working_days(responded, rng.randint(2, 15))
            stage2 = {"reference": row["reference"], "stage": "2", "date_received": requested.isoformat()}
            stage2["handler"] = "manager"
            stage_2 = stage_of(received, 2)
            target_2 = stage_2.respond_within
            if stage_2.acknowledge_within is not None:
                acknowledged = calendar.add_working_days(requested, rng.randint(1, 5))
                stage2["date_acknowledged"] = acknowledged.isoformat()
            from_day = acknowledged if stage_2.respond_from == "acknowledgement" else requested
            answer = calendar.add_working_days(
                from_day, rng.randint(target_2 // 2, target_2) if rng.random() < 0.9 else target_2 + 4
            )
            answer = min(answer, engine.add_working_days(today, -1))
            stage2["date_responded"] = answer.isoformat()
            stage2["outcome"] = rng.choice(["upheld", "partly_upheld", "not_upheld", "not_upheld"])
            rows.append(stage2)
    return rows


def _area_of(nature, cache={}):  # noqa: B006 - a per-process cache of a tiny lookup
    if nature not in cache:
        cache[nature] = IssueNature.objects.select_related("service_area").get(name=nature).service_area.name
    return cache[nature]


def load_history(stdout):
    """Three years of past complaints, written through the importer (one transaction, COPY), so dashboards
    and reports have volumes, outcomes and timeliness to show."""
    from imports.core import import_rows

    if Complaint.objects.filter(external_reference__startswith=HISTORY_PREFIX).exists():
        stdout.write("Demo complaint history already loaded.")
        return
    result = import_rows("complaints", history_rows(timezone.localdate()), source="the demo history")
    if not result.ok:
        raise RuntimeError("Demo history did not import: " + "; ".join(str(p) for p in result.problems[:5]))
    stdout.write(f"Demo complaint history loaded ({result.created:,} complaints over {HISTORY_YEARS} years).")
