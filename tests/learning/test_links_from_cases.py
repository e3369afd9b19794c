"""A complaint's page and an ombudsman case's page say which learning action plan learns from them, and the
plan links back: officers can follow complaint -> ombudsman case -> learning plan and back."""

import pytest

from casework.roles import Role
from learning import services
from learning.models import LearningActionPlan
from ombudsman import services as ombudsman
from tests.factories import UserFactory, finding_category, open_ombudsman_case
from tests.learning.conftest import D, responded

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(username="boss", role=Role.MANAGER)
    client.force_login(user)
    return user


def test_an_upheld_complaint_links_to_its_plan_and_the_plan_back(client, manager, repairs, repairs_team):
    stage = responded(D("2025-05-07"), "upheld", area=repairs)
    services.run_monthly_cycle(D("2025-06-02"))
    plan = LearningActionPlan.objects.get()

    page = client.get(stage.complaint.get_absolute_url()).content.decode()
    assert f'href="{plan.get_absolute_url()}"' in page
    assert "Learned from in" in page
    assert f'href="{stage.complaint.get_absolute_url()}"' in client.get(plan.get_absolute_url()).content.decode()
    assert "<td>1 complaint</td>" in client.get("/learning/").content.decode()


def test_a_complaint_not_learned_from_has_no_learning_row(client, manager, repairs):
    stage = responded(D("2025-05-07"), "not_upheld", area=repairs)
    page = client.get(stage.complaint.get_absolute_url()).content.decode()
    assert "Learned from in" not in page


def test_an_ombudsman_finding_of_fault_links_to_its_plan(client, manager, repairs):
    case = open_ombudsman_case(manager, service_area=repairs)
    case = ombudsman.start_assessment(case, actor=manager, on=D("2025-06-03"))
    case = ombudsman.start_investigation(case, actor=manager, on=D("2025-06-10"))
    ombudsman.record_determination(
        case,
        actor=manager,
        determined_on=D("2025-09-01"),
        findings=[
            ombudsman.FindingLine("Repairs to the leak", finding_category("Property condition"), "maladministration"),
            ombudsman.FindingLine(
                "Complaint handling", finding_category("Complaints handling"), "no_maladministration"
            ),
        ],
    )
    plan = LearningActionPlan.objects.get()

    page = client.get(case.get_absolute_url()).content.decode()
    assert page.count(f'href="{plan.get_absolute_url()}"') == 1  # the finding of fault only
    assert f'href="{case.get_absolute_url()}"' in client.get(plan.get_absolute_url()).content.decode()
    # The register says what the plan learns from, not "0 complaints".
    assert "<td>1 ombudsman finding</td>" in client.get("/learning/").content.decode()
    # The complaint the case is about links to the case, and the case to the complaint.
    assert (
        f'href="{case.get_absolute_url()}"' in client.get(case.original_complaint.get_absolute_url()).content.decode()
    )
    assert f'href="{case.original_complaint.get_absolute_url()}"' in page
