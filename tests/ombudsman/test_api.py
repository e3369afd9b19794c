"""Ombudsman cases through the API: 201/200 on success, 400 with field messages, 409 for a change the case's
state does not allow."""

import datetime

import pytest
from rest_framework.test import APIClient

from casework.roles import Role
from ombudsman.models import FindingCategory
from tests.factories import ServiceAreaFactory, UserFactory, api_token, log_complaint, open_ombudsman_case

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


@pytest.fixture
def api(officer):
    return client_for(officer)


def category(name):
    return FindingCategory.objects.get(name=name).pk


def test_opening_a_case_about_a_complaint(api, officer):
    complaint = log_complaint(received_on=D("2025-04-17"))
    payload = {
        "ombudsman": "housing",
        "received_on": "2025-06-02",
        "original_complaint": complaint.reference,
        "ombudsman_reference": "202501234",
        "assigned_to": officer.pk,
    }
    response = api.post("/api/v1/ombudsman-cases/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("OMB-2025-")
    assert (body["stage"], body["original_complaint"], body["summary"]) == (
        "enquiry",
        complaint.reference,
        complaint.summary,
    )
    assert body["allowed_actions"] == ["assign", "start_assessment", "request_information", "close"]

    invalid = api.post("/api/v1/ombudsman-cases/", {"ombudsman": "parliament", "received_on": "soon"}, format="json")
    assert invalid.status_code == 400
    assert {"ombudsman", "received_on"} <= set(invalid.json())
    no_area = api.post("/api/v1/ombudsman-cases/", {"ombudsman": "lgsco", "received_on": "2025-06-02"}, format="json")
    assert no_area.status_code == 400 and "service_area" in no_area.json()
    again = api.post("/api/v1/ombudsman-cases/", payload, format="json")
    assert again.status_code == 400
    assert "already a case with the ombudsman's reference" in again.json()["non_field_errors"][0]


def test_the_whole_case_through_the_api_with_409s_for_illegal_changes(api, officer):
    case = open_ombudsman_case(officer, assigned_to=officer)
    url = f"/api/v1/ombudsman-cases/{case.reference}"
    conflict = api.post(f"{url}/start-investigation/", {"on": "2025-06-03"}, format="json")
    assert conflict.status_code == 409
    assert "cannot be moved to investigation" in conflict.json()["detail"]
    assert api.post(f"{url}/start-assessment/", {"on": "not a date"}, format="json").status_code == 400
    assert api.post(f"{url}/start-assessment/", {"on": "2025-06-03"}, format="json").json()["stage"] == "assessment"

    asked = api.post(
        f"{url}/request-information/",
        {"received_on": "2025-06-04", "due_on": "2025-06-25", "details": "Repairs records"},
        format="json",
    )
    assert asked.status_code == 200
    body = asked.json()
    assert body["stage"] == "information_requested" and body["next_due_on"] == "2025-06-25"
    request_id = body["information_requests"][0]["id"]
    clock = next(c for c in body["clocks"] if c["kind"] == "information_request")
    assert (clock["due_on"], clock["fixed_due_on"]) == ("2025-06-25", "2025-06-25")
    assert "start_investigation" not in body["allowed_actions"]
    blocked = api.post(f"{url}/start-investigation/", {"on": "2025-06-20"}, format="json")
    assert blocked.status_code == 409 and "open request for information" in blocked.json()["detail"]

    grace = UserFactory(username="grace", role=Role.INVESTIGATING_OFFICER)
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    request_url = f"/api/v1/ombudsman-information-requests/{request_id}"
    late = api.post(
        f"{request_url}/ask-service/",
        {"service_area": repairs.pk, "officer": grace.pk, "requested_on": "2025-06-04", "due_on": "2025-07-01"},
        format="json",
    )
    assert late.status_code == 400 and "ombudsman's deadline" in late.json()["due_on"][0]
    contributed = api.post(
        f"{request_url}/ask-service/",
        {"service_area": repairs.pk, "officer": grace.pk, "requested_on": "2025-06-04", "due_on": "2025-06-18"},
        format="json",
    )
    assert contributed.status_code == 200
    contribution_id = contributed.json()["contributions"][0]["id"]
    received = api.post(
        f"/api/v1/ombudsman-contributions/{contribution_id}/received/", {"received_on": "2025-06-16"}, format="json"
    )
    assert received.status_code == 200 and received.json()["received_on"] == "2025-06-16"
    assert (
        api.post(
            f"/api/v1/ombudsman-contributions/{contribution_id}/received/", {"received_on": "2025-06-17"}, format="json"
        ).status_code
        == 409
    )
    assert api.post(f"{request_url}/reply/", {"sent_on": "2025-06-20"}, format="json").status_code == 400
    replied = api.post(f"{request_url}/reply/", {"sent_on": "2025-06-20", "summary": "All sent"}, format="json")
    assert replied.status_code == 200 and replied.json()["reply_sent_on"] == "2025-06-20"
    twice = api.post(f"{request_url}/reply/", {"sent_on": "2025-06-21", "summary": "Again"}, format="json")
    assert twice.status_code == 409

    assert api.post(f"{url}/start-investigation/", {"on": "2025-07-01"}, format="json").status_code == 200
    wrong_outcome = api.post(
        f"{url}/determination/",
        {
            "determined_on": "2025-09-01",
            "findings": [{"complaint_head": "Leak", "category": category("Property condition"), "outcome": "upheld"}],
        },
        format="json",
    )
    assert wrong_outcome.status_code == 400
    assert "is not a finding the Housing Ombudsman makes" in wrong_outcome.json()["findings"]["0"]["outcome"][0]
    bad_fields = api.post(
        f"{url}/determination/",
        {
            "determined_on": "2025-09-01",
            "findings": [],
            "orders": [{"order_type": "compensation", "due_on": "2025-10-01", "finding": 1}],
        },
        format="json",
    )
    assert bad_fields.status_code == 400
    assert "findings" in bad_fields.json() and "amount_pence" in bad_fields.json()["orders"]["0"]
    determined = api.post(
        f"{url}/determination/",
        {
            "determined_on": "2025-09-01",
            "findings": [
                {"complaint_head": "Leak", "category": category("Property condition"), "outcome": "service_failure"},
                {
                    "complaint_head": "Complaint handling",
                    "category": category("Complaints handling"),
                    "outcome": "no_maladministration",
                },
            ],
            "orders": [
                {"order_type": "compensation", "amount_pence": 25000, "due_on": "2025-09-29", "finding": 1},
                {"kind": "recommendation", "order_type": "policy_review", "description": "Review repairs policy"},
            ],
        },
        format="json",
    )
    assert determined.status_code == 200, determined.json()
    body = determined.json()
    assert body["stage"] == "determination"
    assert [f["outcome"] for f in body["determination"]["findings"]] == ["service_failure", "no_maladministration"]
    order = body["determination"]["orders"][0]
    assert (order["amount_pence"], order["category"], order["finding"]) == (25000, "Property condition", 1)
    assert api.post(f"{url}/determination/", {}, format="json").status_code == 409

    outstanding = api.get("/api/v1/ombudsman-orders/").json()
    assert [o["order_type"] for o in outstanding["results"]] == ["compensation", "policy_review"]
    order_url = f"/api/v1/ombudsman-orders/{order['id']}"
    assert api.post(f"{order_url}/evidence-sent/", {"sent_on": "2025-09-26"}, format="json").status_code == 409
    assert api.post(f"{url}/close/", {"on": "2025-09-26"}, format="json").status_code == 409
    complied = api.post(
        f"{order_url}/comply/", {"complied_on": "2025-09-25", "evidence": "Paid to the rent account"}, format="json"
    )
    assert complied.status_code == 200 and complied.json()["complied_on"] == "2025-09-25"
    assert api.post(f"{order_url}/evidence-sent/", {"sent_on": "2025-09-26"}, format="json").status_code == 200
    closed = api.post(f"{url}/close/", {"on": "2025-09-26"}, format="json")
    assert closed.status_code == 200 and closed.json()["stage"] == "closed"
    assert api.get(f"{url}/").json()["allowed_actions"] == []


def test_the_list_filters_like_the_page_and_hides_what_the_caller_may_not_see(api, officer):
    housing = open_ombudsman_case(officer, ombudsman_reference="H1")
    allocations = ServiceAreaFactory(name="Allocations")
    lgsco = open_ombudsman_case(
        officer, ombudsman="lgsco", original_complaint=None, service_area=allocations, summary="Banding decision"
    )
    references = [row["reference"] for row in api.get("/api/v1/ombudsman-cases/").json()["results"]]
    assert set(references) == {housing.reference, lgsco.reference}
    only = api.get("/api/v1/ombudsman-cases/", {"ombudsman": "lgsco"}).json()["results"]
    assert [row["reference"] for row in only] == [lgsco.reference]
    by_theirs = api.get("/api/v1/ombudsman-cases/", {"q": "H1"}).json()["results"]
    assert [row["reference"] for row in by_theirs] == [housing.reference]
    assert api.get("/api/v1/ombudsman-cases/", {"stage": "closed"}).json()["results"] == []

    investigator = UserFactory(username="inv", role=Role.INVESTIGATING_OFFICER, service_areas=[allocations])
    theirs = client_for(investigator)
    assert [row["reference"] for row in theirs.get("/api/v1/ombudsman-cases/").json()["results"]] == [lgsco.reference]
    assert theirs.get(f"/api/v1/ombudsman-cases/{housing.reference}/").status_code == 404
    categories = api.get("/api/v1/ombudsman-finding-categories/").json()
    assert categories[0]["name"] == "Property condition"
