"""Demo users for `make run`: one per role, with logins printed so a newcomer can try each view."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from casework.models import OfficerProfile, ServiceArea, Team
from casework.roles import Role, assign_role

DEMO_PASSWORD = "casework-demo-2025"  # noqa: S105 - printed for the demo; refused in production

# (username, first name, last name, role, job title, team, service areas an investigator covers)
DEMO_STAFF = [
    ("admin", "Priya", "Shah", Role.ADMINISTRATOR, "Systems administrator", None, []),
    (
        "officer",
        "Amara",
        "Okafor",
        Role.COMPLAINTS_OFFICER,
        "Senior complaints officer",
        "Housing Feedback Team",
        [],
    ),
    (
        "officer2",
        "Tom",
        "Bennett",
        Role.COMPLAINTS_OFFICER,
        "Complaints officer",
        "Housing Feedback Team",
        [],
    ),
    (
        "investigator",
        "Grace",
        "Mensah",
        Role.INVESTIGATING_OFFICER,
        "Repairs investigating officer",
        "Repairs Team",
        ["Responsive Repairs", "Gas Servicing and Repairs", "Repairs and Maintenance"],
    ),
    ("manager", "David", "Hughes", Role.MANAGER, "Complaints manager", "Housing Feedback Team", []),
    ("head", "Helen", "Carter", Role.MANAGER, "Head of Housing Services", None, []),
]


def demo_users():
    return [(username, role) for username, _, _, role, *_ in DEMO_STAFF]


@transaction.atomic
def create_demo_users():
    if settings.PRODUCTION:
        raise RuntimeError("Demo users are never created in production.")
    User = get_user_model()
    teams = {}
    for name in ("Housing Feedback Team", "Repairs Team"):
        teams[name], _ = Team.objects.get_or_create(name=name)
    for username, first, last, role, title, team_name, areas in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@council.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        assign_role(user, role)
        profile, _ = OfficerProfile.objects.get_or_create(user=user, defaults={"job_title": title})
        profile.team = teams.get(team_name)
        profile.is_duty_senior_manager = username == "head"
        profile.save()
        if areas:
            profile.service_areas.set(ServiceArea.objects.filter(name__in=areas))
    feedback, repairs = teams["Housing Feedback Team"], teams["Repairs Team"]
    manager, head = User.objects.get(username="manager"), User.objects.get(username="head")
    for team in (feedback, repairs):
        team.manager, team.head_of_service = manager, head
        team.save()
    repairs.service_areas.set(
        ServiceArea.objects.filter(
            name__in=["Responsive Repairs", "Gas Servicing and Repairs", "Repairs and Maintenance"]
        )
    )
    return [username for username, *_ in DEMO_STAFF]
