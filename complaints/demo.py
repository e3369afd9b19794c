"""Demo complaints for `make run`: recent cases in every state, logged through the services so their
clocks, timelines and letters are real. Safe to run again (it adds nothing the second time)."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import IssueNature
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
            is_urgent=number == 3,
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
