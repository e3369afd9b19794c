"""Demo members, their offices, portal logins, recent enquiries and three years of history for `make run`."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.demo import DEMO_PASSWORD
from casework.models import ServiceArea
from enquiries import services
from enquiries.models import Enquiry, EnquiryType, Member, MemberOffice, MemberType, OfficeRole
from sla import engine

MEMBERS = [
    ("Sarah Ahmed MP", MemberType.MP, "", "Labour", "Northfield and Canal", "Office of Sarah Ahmed MP"),
    ("David Lowe MP", MemberType.MP, "", "Conservative", "Southgate", "Office of David Lowe MP"),
    ("Cllr Priya Nair", MemberType.COUNCILLOR, "Canal ward", "Labour", "", "Cllr Priya Nair"),
    ("Cllr James O'Connor", MemberType.COUNCILLOR, "Hill ward", "Liberal Democrat", "", "Cllr James O'Connor"),
    ("Mayor Ruth Adebayo", MemberType.MAYOR, "", "Labour", "", "Mayor's Office"),
]
# (username, name, office, role)
PORTAL_USERS = [
    ("caseworker", "Jo", "Price", "Office of Sarah Ahmed MP", OfficeRole.CASEWORKER),
    ("councillor", "Priya", "Nair", "Cllr Priya Nair", OfficeRole.MEMBER),
]
ENQUIRIES = [
    (
        EnquiryType.SERVICE_REQUEST,
        "Responsive Repairs",
        "Broken window reported a month ago",
        "Constituent's bedroom window has been boarded up for a month.",
    ),
    (
        EnquiryType.INFORMATION_REQUEST,
        "Allocations",
        "Position on the housing register",
        "Constituent asks where they are on the register and what band they are in.",
    ),
    (
        EnquiryType.COMPLAINT,
        "Tenancy Management",
        "Neighbour dispute not dealt with",
        "Constituent complained twice about noise; no action taken.",
    ),
    (
        EnquiryType.SERVICE_REQUEST,
        "Homelessness and Homeless Prevention",
        "Family in temporary accommodation with damp",
        "Family of four in one room with mould.",
    ),
    (
        EnquiryType.SERVICE_REQUEST,
        "Gas Servicing and Repairs",
        "Boiler not serviced this year",
        "Annual gas safety check overdue.",
    ),
]


# Constituents the demo enquiries are about: names a caseworker would type, not "Constituent0 Example".
CONSTITUENTS = [
    ("Joan", "Whitfield"),
    ("Samir", "Haddad"),
    ("Kerry", "Doyle"),
    ("Abdul", "Rahman"),
    ("Beata", "Kowalska"),
    ("Femi", "Adeyemi"),
    ("Lorraine", "Price"),
    ("Tariq", "Aziz"),
    ("Megan", "Hughes"),
    ("Chidi", "Okeke"),
    ("Paula", "Grant"),
    ("Hassan", "Ali"),
    ("Irene", "Walsh"),
    ("Dev", "Patel"),
    ("Rosa", "Martins"),
]


def demo_portal_users():
    return [(username, "Member portal user") for username, *_ in PORTAL_USERS]


def load_demo(stdout):
    User = get_user_model()
    for name, kind, ward, party, constituency, office_name in MEMBERS:
        office, _ = MemberOffice.objects.get_or_create(name=office_name)
        Member.objects.get_or_create(
            name=name,
            member_type=kind,
            defaults={"ward": ward, "party": party, "constituency": constituency, "office": office},
        )
    for username, first, last, office_name, role in PORTAL_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@members.example"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        office = MemberOffice.objects.get(name=office_name)
        services.add_portal_user(
            user, office, role=role, member=office.members.first() if role == OfficeRole.MEMBER else None
        )
    load_history(stdout)
    if Enquiry.objects.filter(external_reference__isnull=True).exists():
        stdout.write("Demo enquiries already loaded.")
        return
    rng = random.Random(7)
    today = timezone.localdate()
    officer = User.objects.get(username="officer")
    caseworker = User.objects.get(username="caseworker")
    made = 0
    for number in range(15):
        kind, area_name, summary, description = ENQUIRIES[number % len(ENQUIRIES)]
        member = Member.objects.order_by("id")[number % len(MEMBERS)]
        received = engine.add_working_days(today, -rng.randint(0, 14))
        enquiry, _ = services.submit_enquiry(
            member=member,
            submitted_by=caseworker if member.office.name == "Office of Sarah Ahmed MP" else None,
            enquiry_type=kind,
            service_area=ServiceArea.objects.get(name=area_name),
            description=description,
            summary=summary,
            constituent=services.Constituent(
                *CONSTITUENTS[number % len(CONSTITUENTS)], address=f"{number + 1} High Street", postcode="N1 1AA"
            ),
            consent_to_share=True,
            received_on=received,
            urgent_reasons=["homeless_tonight"] if number == 3 else [],
        )
        made += 1
        if number % 3 == 0:
            continue
        services.acknowledge(enquiry, on=min(engine.add_working_days(received, 1), today), actor=officer)
        services.assign(enquiry, officer, actor=officer)
        if number % 3 == 2 and received < today:
            services.respond(
                enquiry,
                on=min(engine.add_working_days(received, rng.randint(3, 9)), today),
                actor=officer,
                text="Thank you for your enquiry. The service has arranged a visit and will write to your constituent.",
            )
    stdout.write(f"Demo members' enquiries loaded ({made}).")


# --- Three years of history ---------------------------------------------------------------------------

HISTORY_PREFIX = "HIST-E-"
# Seed 000's 2020 monthly members' enquiries (January..December): 1,683 in the year.
MONTHLY = [133, 141, 139, 113, 117, 140, 136, 133, 186, 154, 180, 111]
# Nearly half from the two MPs' offices (seed 000); the rest from councillors and the Mayor.
MEMBER_WEIGHTS = {"Sarah Ahmed MP": 30, "David Lowe MP": 18, "Cllr Priya Nair": 22, "Cllr James O'Connor": 22}
TYPES = [("service request", 75), ("information request", 18), ("complaint", 7)]
AREAS = [
    ("Responsive Repairs", 30),
    ("Allocations", 18),
    ("Homelessness and Homeless Prevention", 14),
    ("Tenancy Management", 10),
    ("Repairs and Maintenance", 8),
    ("Temporary Accommodation", 7),
    ("Anti-Social Behaviour", 6),
    ("Gas Servicing and Repairs", 4),
    ("Rents", 3),
]
SUBJECTS = {
    "service request": ["Repair outstanding", "Request for a visit", "Damp in the bathroom", "Rehousing request"],
    "information request": ["Position on the housing register", "Progress of a transfer", "Rent account query"],
    "complaint": ["Complaint about a missed appointment", "Complaint about an officer's reply"],
}


def history_rows(today, seed=2020):
    """About three years of answered enquiries in the import format, with seed 000's monthly volumes,
    types and members; most answered within 10 working days, some late."""
    calendar = engine.get_calendar()
    rng = random.Random(seed)
    last = engine.add_working_days(today, -20)  # the recent demo enquiries cover the weeks since
    members = [m for m in MEMBER_WEIGHTS if Member.objects.filter(name=m).exists()] or ["Mayor Ruth Adebayo"]
    weights = [MEMBER_WEIGHTS.get(m, 1) for m in members]
    rows = []
    month = last.replace(year=last.year - 3, day=1)
    while month <= last:
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        span = (min(next_month, last) - month).days
        for _ in range(round(MONTHLY[month.month - 1] * span / 31)):
            received = calendar.working_day_on_or_after(month + datetime.timedelta(days=rng.randrange(span)))
            if received > last:
                continue
            kind = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
            on_time = rng.random() < 0.85
            responded = calendar.add_working_days(received, rng.randint(2, 10) if on_time else rng.randint(11, 25))
            rows.append(
                {
                    "reference": f"{HISTORY_PREFIX}{len(rows):05d}",
                    "member": rng.choices(members, weights)[0],
                    "enquiry_type": kind,
                    "service_area": rng.choices([a for a, _ in AREAS], [w for _, w in AREAS])[0],
                    "date_received": received.isoformat(),
                    "date_acknowledged": calendar.add_working_days(
                        received, 1 if rng.random() < 0.9 else 3
                    ).isoformat(),
                    "date_responded": min(responded, engine.add_working_days(today, -1)).isoformat(),
                    "summary": rng.choice(SUBJECTS[kind]),
                    "handler": rng.choice(["officer", "officer2"]),
                    "response": "Thank you for your enquiry. The service has replied to your constituent.",
                }
            )
        month = next_month
    return rows


def load_history(stdout):
    from imports.core import import_rows

    if Enquiry.objects.filter(external_reference__startswith=HISTORY_PREFIX).exists():
        stdout.write("Demo enquiry history already loaded.")
        return
    result = import_rows("enquiries", history_rows(timezone.localdate()), source="the demo history")
    if not result.ok:
        raise RuntimeError("Demo history did not import: " + "; ".join(str(p) for p in result.problems[:5]))
    stdout.write(f"Demo members' enquiry history loaded ({result.created:,} enquiries over 3 years).")
