"""Demo members, their offices, portal logins and recent enquiries for `make run`."""

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
    if Enquiry.objects.exists():
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
                f"Constituent{number}", "Example", address=f"{number + 1} High Street", postcode="N1 1AA"
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
