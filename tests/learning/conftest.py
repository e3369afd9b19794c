import datetime

import pytest

from casework.models import Team
from casework.roles import Role
from complaints import services as complaints
from sla import engine
from tests.factories import IssueNatureFactory, ServiceAreaFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat


def responded(on, decision="upheld", *, area=None, nature=None, resident=None, actor=None):
    """A complaint logged about ten days before `on`, acknowledged, and answered on `on` with `decision`.
    Returns its stage 1."""
    received = on - datetime.timedelta(days=10)
    fields = {"received_on": received}
    if area is not None:
        fields["service_area"] = area
        fields["issue_nature"] = nature or IssueNatureFactory(name=f"{area.name} (issue)", service_area=area)
    elif nature is not None:
        fields["service_area"] = nature.service_area
        fields["issue_nature"] = nature
    if resident is not None:
        fields["resident"] = resident
    complaint = log_complaint(**fields)
    actor = actor or UserFactory(username="responder", role=Role.COMPLAINTS_OFFICER)
    complaint = complaints.acknowledge(complaint, on=engine.add_working_days(received, 1), actor=actor)
    complaint = complaints.respond(
        complaint,
        actor=actor,
        on=on,
        summary="Investigated.",
        points=[complaints.Point("Repairs not done", decision, "Records checked.")],
    )
    return complaint.stages.get(number=1)


@pytest.fixture
def repairs():
    return ServiceAreaFactory(name="Responsive Repairs")


@pytest.fixture
def rents():
    return ServiceAreaFactory(name="Rents")


@pytest.fixture
def repairs_team(repairs):
    """The repairs team: its manager leads repairs learning unless an administrator names someone else."""
    manager = UserFactory(username="repairs_manager", first_name="Rhys", last_name="Evans", role=Role.MANAGER)
    head = UserFactory(username="head", first_name="Helen", last_name="Carter", role=Role.MANAGER)
    team = Team.objects.create(name="Repairs Team", manager=manager, head_of_service=head)
    team.service_areas.add(repairs)
    return team
