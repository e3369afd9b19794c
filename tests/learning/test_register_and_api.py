"""The learning register's filters (page and API alike), the printable form, the reporting figures, and the
API's answers: 201/200, 400 for bad input, 403 for the wrong person, 409 for the wrong state."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.roles import Role
from learning import selectors
from learning.models import LearningActionPlan, MunicipalYear, PlanOrigin, PlanStatus
from tests.factories import ServiceAreaFactory, UserFactory
from tests.learning.conftest import D

pytestmark = pytest.mark.django_db


def make_plan(area, month, status=PlanStatus.NOT_STARTED, due_on=None, number=[0]):  # noqa: B006 - a counter
    number[0] += 1
    return LearningActionPlan.objects.create(
        reference=f"LAP-2025-{number[0]:06d}",
        service_area=area,
        month=D(month),
        origin=PlanOrigin.MANUAL,
        status=status,
        due_on=D(due_on) if due_on else D(month).replace(day=28),
        what_went_wrong=f"{area.name} went wrong in {month}",
    )


@pytest.fixture
def plans(repairs, rents):
    MunicipalYear.objects.create(year=2024, starts_on=D("2024-05-22"))
    MunicipalYear.objects.create(year=2025, starts_on=D("2025-05-21"))
    return {
        "repairs_apr": make_plan(repairs, "2025-04-01", PlanStatus.VERIFIED),
        "repairs_may": make_plan(repairs, "2025-05-01", PlanStatus.IN_PROGRESS, due_on="2025-06-30"),
        "rents_may": make_plan(rents, "2025-05-01", PlanStatus.IMPLEMENTED),
        "rents_jun": make_plan(rents, "2025-06-01", PlanStatus.NOT_STARTED, due_on="2099-01-01"),
    }


def refs(response):
    return sorted(row["reference"] for row in response.json()["results"])


def test_register_filters_by_service_status_and_year_on_the_page_and_the_api(plans, repairs, rents, officer_client):
    p = plans
    cases = [
        ({}, ["repairs_apr", "repairs_may", "rents_may", "rents_jun"]),
        ({"service_area": repairs.pk}, ["repairs_apr", "repairs_may"]),
        ({"status": "implemented"}, ["rents_may"]),
        ({"status": ["in_progress", "not_started"]}, ["repairs_may", "rents_jun"]),
        ({"year": 2024}, ["repairs_apr"]),  # April 2025 belongs to the year that began in May 2024
        ({"year": 2025}, ["repairs_may", "rents_may", "rents_jun"]),
        ({"year": 2025, "service_area": rents.pk, "status": "not_started"}, ["rents_jun"]),
        ({"overdue": "true"}, ["repairs_may"]),
    ]
    for data, expected in cases:
        wanted = sorted(p[name].reference for name in expected)
        api = officer_client.get("/api/v1/learning/plans/", data)
        assert api.status_code == 200 and refs(api) == wanted, data
        page = officer_client.get("/learning/", data)
        shown = sorted(plan.reference for plan in page.context["page"])
        assert shown == wanted, data
    assert officer_client.get("/api/v1/learning/plans/", {"status": "nonsense"}).status_code == 400


def test_the_printable_form_has_the_three_columns(plans, officer_client, repairs):
    response = officer_client.get("/learning/print/", {"service_area": repairs.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="learning-plan"') == 2
    for heading in (
        "What went wrong?",
        "What action to address the cause of the problem is required to avoid this happening again",
        "What evidence is available to confirm implementation of learning",
    ):
        assert f'<th scope="col">{heading}</th>' in html
    assert "css/learning-print.css" in html
    single = officer_client.get(f"/learning/plans/{plans['rents_may'].reference}/print/")
    assert single.content.decode().count('class="learning-plan"') == 1


def test_figures_for_reporting(plans, repairs, rents):
    by_service = selectors.open_and_overdue_by_service(D("2025-04-01"), D("2025-06-30"), today=D("2025-07-01"))
    assert by_service == [
        {"service_area_id": rents.pk, "service_area__name": "Rents", "plans": 2, "open": 1, "overdue": 0},
        {
            "service_area_id": repairs.pk,
            "service_area__name": "Responsive Repairs",
            "plans": 2,
            "open": 1,
            "overdue": 1,
        },
    ]
    assert selectors.open_and_overdue_totals(D("2025-05-01"), D("2025-05-31"), today=D("2025-07-01")) == {
        "plans": 2,
        "open": 1,
        "overdue": 1,
    }
    assert selectors.plans_by_status(D("2025-04-01"), D("2025-05-31")) == {
        "not_started": 0,
        "in_progress": 1,
        "implemented": 1,
        "verified": 1,
    }


def test_plan_api_lifecycle_with_400_403_and_409(repairs, officer_client, client):
    lead = UserFactory(username="grace", role=Role.INVESTIGATING_OFFICER)
    boss = UserFactory(username="boss", role=Role.MANAGER)
    created = officer_client.post(
        "/api/v1/learning/plans/",
        {"service_area": repairs.pk, "month": "2025-05-14", "lead_officer": lead.pk, "due_on": "2099-06-30"},
        format="json",
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["month"] == "2025-05-01" and plan["status"] == "not_started"
    url = f"/api/v1/learning/plans/{plan['reference']}"
    assert officer_client.post("/api/v1/learning/plans/", {"month": "2025-05-01"}).status_code == 400

    client.force_login(lead)
    conflict = client.post(f"{url}/implement/", {}, content_type="application/json")
    assert conflict.status_code == 409 and "Record what went wrong" in conflict.json()["detail"]
    assert client.post(f"{url}/verify/", {}, content_type="application/json").status_code == 409
    assert client.post(f"{url}/start/", {}, content_type="application/json").status_code == 200
    bad_date = client.patch(url + "/", {"due_on": "soon"}, content_type="application/json")
    assert bad_date.status_code == 400
    written = client.patch(
        url + "/",
        {"what_went_wrong": "Missed appointments", "action_to_address_cause": "Text reminders the day before"},
        content_type="application/json",
    )
    assert written.status_code == 200
    evidence = SimpleUploadedFile("reminders.pdf", b"%PDF-1.4 reminder log", content_type="application/pdf")
    uploaded = client.post(f"{url}/evidence/", {"file": evidence, "description": "Reminder log"})
    assert uploaded.status_code == 201 and uploaded.json()["evidence_files"][0]["original_name"] == "reminders.pdf"
    client.patch(url + "/", {"evidence_of_implementation": "Reminder log for June"}, content_type="application/json")
    done = client.post(f"{url}/implement/", {"on": "2025-06-20"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "implemented"
    assert done.json()["allowed_actions"] == []

    forbidden = client.post(f"{url}/verify/", {}, content_type="application/json")
    assert forbidden.status_code == 403
    client.force_login(boss)
    early = client.post(f"{url}/verify/", {"on": "2025-06-19"}, content_type="application/json")
    assert early.status_code == 400 and "before the plan was implemented" in early.json()["on"][0]
    verified = client.post(f"{url}/verify/", {"on": "2025-06-23"}, content_type="application/json")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert client.patch(url + "/", {"what_went_wrong": "x"}, content_type="application/json").status_code == 409


def test_commitments_api(repairs, manager_client):
    MunicipalYear.objects.create(year=2024, starts_on=D("2024-05-22"))
    MunicipalYear.objects.create(year=2025, starts_on=D("2025-05-21"))
    made = manager_client.post(
        "/api/v1/learning/commitments/",
        {"municipal_year": 2024, "service_area": repairs.pk, "commitment": "Recruit to vacant posts"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    item = made.json()["id"]
    url = f"/api/v1/learning/commitments/{item}"
    assert manager_client.post(f"{url}/complete/", {}, content_type="application/json").status_code == 400
    progress = manager_client.post(
        f"{url}/progress/", {"progress_summary": "Ongoing recruitment"}, content_type="application/json"
    )
    assert progress.status_code == 200 and progress.json()["progress_summary"] == "Ongoing recruitment"
    carried = manager_client.post(
        "/api/v1/learning/commitments/carry-over/", {"into_year": 2025}, content_type="application/json"
    )
    assert carried.json() == {"carried_over": 1}
    listed = manager_client.get("/api/v1/learning/commitments/", {"year": 2025}).json()["results"]
    assert [(c["commitment"], c["carried_over_from"], c["municipal_year_label"]) for c in listed] == [
        ("Recruit to vacant posts", item, "2025/26")
    ]
    assert manager_client.post(f"{url}/complete/", {}, content_type="application/json").status_code == 409


def test_pages_render(plans, officer_client):
    plan = plans["repairs_may"]
    for path in ("/learning/", f"/learning/plans/{plan.reference}/", "/learning/commitments/", "/learning/plans/new/"):
        assert officer_client.get(path).status_code == 200, path
    implemented = plans["rents_may"]
    implemented.action_to_address_cause, implemented.evidence_of_implementation = "Training", "Training records"
    implemented.save()
    refused = officer_client.get(f"/learning/plans/{implemented.reference}/verify/")
    assert "Only a manager may verify" in refused.content.decode()
    assert (
        officer_client.post(f"/learning/plans/{implemented.reference}/verify/", {"on": "2025-06-01"}).status_code == 403
    )


def test_an_investigating_officer_writes_only_the_plans_they_lead(plans):
    from django.test import Client

    plan = plans["repairs_may"]
    lead = UserFactory(username="lead", role=Role.INVESTIGATING_OFFICER)
    # Another officer of the plan's service reads it but may not write it; one of another service cannot
    # even read it (a plan names the complaints it learns from).
    colleague = UserFactory(username="other", role=Role.INVESTIGATING_OFFICER, service_areas=[plan.service_area])
    elsewhere = UserFactory(username="elsewhere", role=Role.INVESTIGATING_OFFICER)
    plan.lead_officer = lead
    plan.save()
    browser = Client()
    browser.force_login(colleague)
    assert browser.get(f"/learning/plans/{plan.reference}/").status_code == 200
    assert browser.post(f"/learning/plans/{plan.reference}/", {"what_went_wrong": "x"}).status_code == 403
    browser.force_login(elsewhere)
    assert browser.get(f"/learning/plans/{plan.reference}/").status_code == 404
    assert plan.reference not in browser.get("/learning/").content.decode()
    browser.force_login(lead)
    saved = browser.post(f"/learning/plans/{plan.reference}/", {"what_went_wrong": "Written by the lead"})
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.what_went_wrong == "Written by the lead" and plan.due_on == D("2025-06-30")


def test_a_service_with_no_plans_is_not_in_the_figures(plans):
    ServiceAreaFactory(name="Caretaking")
    names = [
        row["service_area__name"] for row in selectors.open_and_overdue_by_service(D("2025-01-01"), D("2025-12-31"))
    ]
    assert names == ["Rents", "Responsive Repairs"]


def test_the_performance_report_carries_learning_plans_open_and_overdue(plans, repairs, manager_client):
    body = manager_client.get("/api/v1/reports/performance/", {"start": "2025-04-01", "end": "2025-06-30"}).json()
    tables = {t["key"]: t for s in body["sections"] if s["key"] == "learning" for t in s["tables"]}
    assert tables["learning-open-overdue"]["rows"] == [
        {"service_area": "Rents", "plans": 2, "open": 1, "overdue": 0},
        {"service_area": "Responsive Repairs", "plans": 2, "open": 1, "overdue": 1},
        {"service_area": "Total", "plans": 4, "open": 2, "overdue": 1},
    ]
    repairs_only = manager_client.get(
        "/api/v1/reports/performance/", {"start": "2025-04-01", "end": "2025-06-30", "service_area": repairs.pk}
    ).json()
    statuses = {t["key"]: t for s in repairs_only["sections"] if s["key"] == "learning" for t in s["tables"]}
    assert statuses["learning-status"]["rows"] == [
        {"status": "Not started", "plans": 0},
        {"status": "In progress", "plans": 1},
        {"status": "Implemented", "plans": 0},
        {"status": "Evidence verified", "plans": 1},
    ]
    assert "Learning action plans open and overdue, by service" in manager_client.get("/reports/").content.decode()
