"""Complaints through the API: 201/200 on success, 400 with field messages, 409 for an illegal transition."""

import datetime

import pytest
from rest_framework.test import APIClient

from casework.roles import Role
from complaints.models import Complaint
from tests.factories import IssueNatureFactory, ServiceAreaFactory, UserFactory, api_token, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    return client


def test_logging_a_complaint(api, officer):
    area = ServiceAreaFactory(name="Rents")
    nature = IssueNatureFactory(name="Rents", service_area=area)
    payload = {
        "received_on": "2025-04-17",
        "channel": "email",
        "service_area": area.pk,
        "issue_nature": nature.pk,
        "complaint_type": "financial",
        "summary": "Rent account wrong",
        "description": "Charged twice in March.",
        "outcome_wanted": "Refund",
        "resident_details": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"},
    }
    response = api.post("/api/v1/complaints/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("CMP-2025-")
    assert body["allowed_actions"] == [
        "acknowledge",
        "assign",
        "resolve_early",
        "withdraw",
        "refuse",
        "change_scheme",
        "edit",
        "merge",
        "flag_urgent",
    ]
    assert body["clocks"][0]["due_on"] == "2025-04-28"

    missing = api.post(
        "/api/v1/complaints/", {**payload, "issue_nature": None, "complaint_type": "nonsense"}, format="json"
    )
    assert missing.status_code == 400
    assert set(missing.json()) == {"issue_nature", "complaint_type"}
    no_resident = api.post(
        "/api/v1/complaints/", {k: v for k, v in payload.items() if k != "resident_details"}, format="json"
    )
    assert no_resident.status_code == 400 and "resident" in no_resident.json()
    future = api.post("/api/v1/complaints/", {**payload, "received_on": "2099-01-01"}, format="json")
    assert future.status_code == 400 and "future" in future.json()["received_on"][0]


def test_transitions_and_the_409_for_an_illegal_one(api, officer):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=officer)
    url = f"/api/v1/complaints/{complaint.reference}"
    conflict = api.post(f"{url}/close/", {}, format="json")
    assert conflict.status_code == 409
    assert "cannot be closed" in conflict.json()["detail"]
    assert api.post(f"{url}/acknowledge/", {"on": "tomorrow"}, format="json").status_code == 400
    assert api.post(f"{url}/acknowledge/", {"on": "2025-04-22"}, format="json").status_code == 200
    extended = api.post(
        f"{url}/extend/",
        {"granted_on": "2025-05-01", "reason": "Surveyor", "resident_told_on": "2025-05-01", "extra_working_days": 5},
        format="json",
    )
    assert extended.status_code == 200
    assert [c["due_on"] for c in extended.json()["clocks"] if c["kind"] == "response" and c["stage"] == 1] == [
        "2025-05-14"
    ]
    bad = api.post(
        f"{url}/respond/",
        {"on": "2025-05-06", "summary": "x", "points": [{"summary": "Leak", "decision": "maybe"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert "decision" in bad.json()["points"]["0"]
    responded = api.post(
        f"{url}/respond/",
        {
            "on": "2025-05-06",
            "summary": "Sorry",
            "points": [{"summary": "Leak", "decision": "upheld"}],
            "remedies": [{"kind": "compensation", "amount_pence": 5000}],
        },
        format="json",
    )
    assert responded.status_code == 200
    assert responded.json()["stages"][0]["compensation_pence"] == 5000
    other = UserFactory(username="tom", role=Role.COMPLAINTS_OFFICER)
    same_handler = api.post(f"{url}/escalate/", {"requested_on": "2025-05-08", "handler": officer.pk}, format="json")
    assert same_handler.status_code == 400
    escalated = api.post(f"{url}/escalate/", {"requested_on": "2025-05-08", "handler": other.pk}, format="json")
    assert escalated.status_code == 200
    assert escalated.json()["current_stage"] == 2


def test_list_filters_and_pagination(api, officer):
    log_complaint(received_on=D("2025-04-17"), assigned_to=officer)
    log_complaint(received_on=D("2025-04-18"))
    body = api.get("/api/v1/complaints/", {"officer": officer.pk}).json()
    assert len(body["results"]) == 1 and body["results"][0]["assigned_to"]["id"] == officer.pk
    assert len(api.get("/api/v1/complaints/", {"unassigned": "true"}).json()["results"]) == 1
    assert api.get("/api/v1/complaints/", {"page_size": 1}).json()["next"] is not None


def test_a_complaint_outside_an_investigators_reach_is_404(officer):
    area = ServiceAreaFactory(name="Allocations")
    complaint = log_complaint(service_area=area, issue_nature=IssueNatureFactory(name="Allocations", service_area=area))
    investigator = UserFactory(username="grace", role=Role.INVESTIGATING_OFFICER)
    client = APIClient()
    client.force_authenticate(investigator)
    assert client.get(f"/api/v1/complaints/{complaint.reference}/").status_code == 404
    assert (
        client.post(f"/api/v1/complaints/{complaint.reference}/acknowledge/", {"on": "2025-04-22"}).status_code == 404
    )
    assert client.get("/api/v1/complaints/").json()["results"] == []
    assert Complaint.objects.count() == 1


def test_a_closed_complaint_is_still_found_by_reference(api, officer):
    complaint = log_complaint(received_on=D("2025-04-17"))
    url = f"/api/v1/complaints/{complaint.reference}"
    assert api.post(f"{url}/withdraw/", {"on": "2025-04-18", "reason": "Phoned"}, format="json").status_code == 200
    assert api.get(f"{url}/").json()["status"] == "withdrawn"
    assert api.post(f"{url}/close/", {}, format="json").status_code == 409
