"""Complaint schemes by service area, each with its date-effective procedures: the Housing Ombudsman's Code
versions for landlord complaints, the corporate (LGSCO) scheme, and the statutory children's and adults'
social care procedures, with their own stages, timescales, letters and ombudsman."""

import datetime

import pytest
from rest_framework.test import APIClient

from casework.models import TimelineEvent
from casework.roles import Role
from complaints import services
from complaints.letters import draft
from complaints.models import ComplaintScheme, ServiceAreaScheme
from sla.models import Clock
from tests.factories import IssueNatureFactory, ServiceAreaFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def amara():
    return UserFactory(username="amara", first_name="Amara", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def tom():
    return UserFactory(username="tom", first_name="Tom", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def priya():
    return UserFactory(username="priya", first_name="Priya", role=Role.MANAGER)


def due(complaint, kind, stage=1):
    return Clock.objects.get(case=complaint, kind=kind, stage=stage, stopped_on__isnull=True).due_on


def point(decision="upheld"):
    return [services.Point("What went wrong", decision)]


def in_area(name, ombudsman="housing", scheme=None, **fields):
    area = ServiceAreaFactory(name=name, ombudsman=ombudsman)
    if scheme:
        ServiceAreaScheme.objects.get_or_create(service_area=area, scheme=ComplaintScheme.objects.get(code=scheme))
    return log_complaint(service_area=area, issue_nature=IssueNatureFactory(name=name, service_area=area), **fields)


def test_a_complaint_received_in_may_2023_cannot_reach_a_third_stage_and_its_letter_points_to_the_ombudsman(amara, tom):
    complaint = log_complaint(received_on=D("2023-05-04"), assigned_to=amara)  # under the Code 2022
    assert complaint.procedure_version.procedure.code == "hos-code-2022"
    complaint = services.acknowledge(complaint, on=D("2023-05-09"), actor=amara)
    assert due(complaint, "response") == D("2023-05-23")  # 10 working days of logging
    complaint = services.respond(complaint, actor=amara, on=D("2023-05-22"), summary="Sorry", points=point())
    complaint = services.escalate(complaint, actor=amara, requested_on=D("2023-05-24"), handler=tom)
    assert due(complaint, "response", 2) == D(
        "2023-06-22"
    )  # 20 working days of the escalation request (29 May is a holiday)
    complaint = services.acknowledge(complaint, on=D("2023-05-25"), actor=tom)
    assert due(complaint, "response", 2) == D("2023-06-22")  # the request, not the acknowledgement, counts
    complaint = services.respond(complaint, actor=tom, on=D("2023-06-20"), summary="Reviewed", points=point())
    assert complaint.is_final_stage
    assert "escalate" not in services.allowed_actions(complaint)
    with pytest.raises(services.NotAllowed, match="last stage; the resident may go to the ombudsman"):
        services.escalate(complaint, actor=amara, requested_on=D("2023-06-22"))
    letter = draft(complaint, "response")
    assert "This is our final response" in letter and "Housing Ombudsman Service" in letter
    assert "stage 3" not in letter.lower()


def test_the_2020_code_counts_stage_1_from_logging_and_allows_an_optional_third_stage(amara, tom, priya):
    complaint = log_complaint(received_on=D("2021-03-01"), assigned_to=amara)
    assert complaint.procedure_version.procedure.code == "hos-code-2020"
    assert complaint.procedure_version.stages.count() == 3


def test_a_third_stage_cannot_be_added_to_a_code_version_that_forbids_it(admin_client):
    from complaints.models import ProcedureVersion

    version = ProcedureVersion.objects.get(procedure__code="hos-code-2022")
    data = {
        "procedure": version.procedure_id,
        "scheme": version.scheme_id,
        "applies_from": "",
        "notes": "",
        "stages-TOTAL_FORMS": "3",
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for index in range(3):
        data.update(
            {
                f"stages-{index}-number": str(index + 1),
                f"stages-{index}-name": f"Stage {index + 1}",
                f"stages-{index}-respond_within": "10",
                f"stages-{index}-respond_from": "receipt",
            }
        )
    page = admin_client.post("/admin/complaints/procedureversion/add/", data)
    assert page.status_code == 200 and "no more than 2 stages" in page.content.decode()


def test_a_corporate_complaint_is_under_the_lgsco_and_its_letters_say_so(amara):
    complaint = in_area("Allocations", ombudsman="lgsco", received_on=D("2025-04-17"))
    assert complaint.procedure_version.scheme.code == "corporate"
    assert complaint.ombudsman == "lgsco"
    assert "Local Government and Social Care Ombudsman" in draft(complaint, "acknowledgement")
    later = in_area("Allocations", ombudsman="lgsco", received_on=D("2026-04-01"))
    assert later.procedure_version.procedure.code == "lgsco-code-2026"


def test_a_childrens_social_care_complaint_goes_through_its_three_statutory_stages(amara, tom, priya):
    complaint = in_area(
        "Children's Social Care", ombudsman="lgsco", scheme="childrens-social-care", received_on=D("2025-03-03")
    )
    assert complaint.procedure_version.procedure.code == "childrens-social-care-2006"
    # Stage 1 local resolution: 10 working days from receipt, extendable to 20.
    assert due(complaint, "response") == D("2025-03-17")
    complaint = services.acknowledge(complaint, on=D("2025-03-04"), actor=amara)
    complaint = services.extend(
        complaint, actor=amara, granted_on=D("2025-03-10"), reason="Social worker away",
        resident_told_on=D("2025-03-10"), extra_working_days=10,
    )  # fmt: skip
    assert due(complaint, "response") == D("2025-03-31")
    complaint = services.respond(
        complaint, actor=amara, on=D("2025-03-28"), summary="Sorry", points=point("partly_upheld")
    )
    # Stage 2 investigation: 25 working days of the request, up to 65, by someone independent.
    complaint = services.escalate(complaint, actor=amara, requested_on=D("2025-04-01"), handler=tom)
    assert due(complaint, "response", 2) == D("2025-05-09")  # Easter and early May skipped
    complaint = services.acknowledge(complaint, on=D("2025-04-02"), actor=tom)
    complaint = services.extend(
        complaint, actor=tom, granted_on=D("2025-05-01"), reason="Records from health", resident_told_on=D("2025-05-01"),
        extra_working_days=40,
    )  # fmt: skip
    complaint = services.respond(complaint, actor=tom, on=D("2025-06-30"), summary="Investigated", points=point())
    # Stage 3 review panel.
    complaint = services.escalate(complaint, actor=tom, requested_on=D("2025-07-07"), handler=priya)
    assert complaint.current_stage == 3 and complaint.stages.get(number=3).name == "Stage 3 review panel"
    assert "Local Government and Social Care Ombudsman" in draft(complaint, "acknowledgement")


def test_an_adults_social_care_complaint_is_answered_by_the_date_agreed_with_the_complainant(client, amara):
    complaint = in_area(
        "Adult Social Care", ombudsman="lgsco", scheme="adults-social-care", received_on=D("2025-04-17")
    )
    assert complaint.procedure_version.stages.count() == 1
    assert due(complaint, "acknowledgement") == D("2025-04-24")  # 3 working days (Easter skipped)
    assert not Clock.objects.filter(case=complaint, kind="response").exists()
    api = APIClient()
    api.force_authenticate(amara)
    url = f"/api/v1/complaints/{complaint.reference}/acknowledge/"
    missing = api.post(url, {"on": "2025-04-22"}, format="json")
    assert missing.status_code == 400 and "agreed" in missing.json()["agreed_response_on"][0]
    too_late = api.post(url, {"on": "2025-04-22", "agreed_response_on": "2025-11-01"}, format="json")
    assert too_late.status_code == 400 and "6 months after receipt" in too_late.json()["agreed_response_on"][0]
    client.force_login(amara)
    page = client.get(f"/complaints/{complaint.reference}/acknowledge/").content.decode()
    assert "Response date agreed with the complainant" in page
    done = api.post(url, {"on": "2025-04-22", "agreed_response_on": "2025-06-13"}, format="json")
    assert done.status_code == 200, done.json()
    clock = Clock.objects.get(case=complaint, kind="response")
    assert (clock.due_on, clock.fixed_due_on) == (D("2025-06-13"), D("2025-06-13"))
    complaint = services.respond(complaint, actor=amara, on=D("2025-06-12"), summary="Agreed plan", points=point())
    assert complaint.stages.get().within_code_timescale is True
    assert complaint.is_final_stage
    code_page = client.get(f"/complaints/{log_complaint(received_on=D('2025-04-17')).reference}/acknowledge/")
    assert "Response date agreed" not in code_page.content.decode()


def test_an_officer_moves_a_complaint_to_another_scheme_with_a_reason_and_the_history_says_so(amara):
    area = ServiceAreaFactory(name="Children's Social Care", ombudsman="lgsco")
    complaint = log_complaint(
        received_on=D("2025-03-03"), service_area=area, issue_nature=IssueNatureFactory(name="Child", service_area=area)
    )
    assert complaint.procedure_version.scheme.code == "corporate"  # no scheme set for the area yet
    moved = services.WORKFLOW.run(
        complaint,
        "change_scheme",
        actor=amara,
        scheme=ComplaintScheme.objects.get(code="childrens-social-care"),
        reason="About a looked-after child's placement",
    )
    assert moved.procedure_version.procedure.code == "childrens-social-care-2006"
    assert moved.received_on == D("2025-03-03")
    assert due(moved, "response") == D("2025-03-17")  # the statutory stage 1 timescale from receipt
    entry = TimelineEvent.objects.get(case=complaint, kind="change_scheme")
    assert "Moved from the Corporate complaints scheme" in entry.summary and "looked-after" in entry.summary
    again = services.WORKFLOW.why_not(moved, "change_scheme")
    assert again is None  # still unanswered; once answered it may not move
    moved = services.acknowledge(moved, on=D("2025-03-04"), actor=amara)
    services.respond(moved, actor=amara, on=D("2025-03-14"), summary="Done", points=point())
    assert "cannot be moved to another scheme" in services.WORKFLOW.why_not(
        services.Complaint.objects.get(pk=moved.pk), "change_scheme"
    )


def test_the_api_says_which_scheme_and_ombudsman(amara):
    complaint = in_area("Allocations", ombudsman="lgsco", received_on=D("2025-04-17"))
    api = APIClient()
    api.force_authenticate(amara)
    body = api.get(f"/api/v1/complaints/{complaint.reference}/").json()
    assert (body["scheme"], body["ombudsman"]) == ("corporate", "lgsco")
    assert body["procedure_version"].startswith("Legacy three-stage corporate procedure")
