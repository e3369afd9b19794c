"""A lead officer completes the monthly learning action plan with its evidence; a manager verifies it."""

import pytest

from casework.models import ServiceArea, Team
from casework.roles import Role
from learning import services
from learning.models import LearningActionPlan, LearningLead, PlanStatus
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.learning.conftest import D, responded

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lead_officer_completes_a_plan_with_evidence_and_a_manager_verifies_it(page, browser, live_server, tmp_path):
    repairs = ServiceArea.objects.get(name="Responsive Repairs")
    lead = UserFactory(username="grace", first_name="Grace", last_name="Mensah", role=Role.INVESTIGATING_OFFICER)
    manager = UserFactory(username="david", first_name="David", last_name="Hughes", role=Role.MANAGER)
    team = Team.objects.create(name="Repairs Team", manager=manager)
    team.service_areas.add(repairs)
    LearningLead.objects.create(service_area=repairs, officer=lead)
    upheld = responded(D("2025-05-07"), "upheld", area=repairs)
    services.run_monthly_cycle(D("2025-06-02"))
    plan = LearningActionPlan.objects.get()

    sign_in(page, "grace", TEST_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name=plan.reference).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Responsive Repairs, May 2025"
    assert page.get_by_role("cell", name=upheld.complaint.reference).is_visible()
    assert "Record what went wrong" in page.get_by_role("note").inner_text()

    page.get_by_label("What went wrong?").fill(
        "Delays due to a repair not being raised and the supervisor not progressing works."
    )
    page.get_by_label("What action to address the cause").fill("All staff reminded of the process.")
    page.get_by_label("What evidence is available").fill("Supervisor visits logged and reviewed weekly.")
    page.get_by_role("button", name="Save the plan").click()
    assert page.get_by_role("status").filter(has_text="Plan saved.").is_visible()

    evidence = tmp_path / "supervisor-visits.pdf"
    evidence.write_bytes(b"%PDF-1.4 weekly log of supervisor visits")
    page.get_by_label("Evidence document", exact=True).set_input_files(str(evidence))
    page.get_by_label("What it shows").fill("Weekly visit log")
    page.get_by_role("button", name="Upload evidence").click()
    assert page.get_by_role("link", name="supervisor-visits.pdf").is_visible()

    page.get_by_role("link", name="Mark as implemented", exact=True).click()
    page.get_by_label("Date implemented").fill("2025-06-20")
    page.get_by_role("button", name="Mark as implemented", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Plan marked implemented").is_visible()
    assert page.locator("#plan-status").inner_text() == "IMPLEMENTED"
    assert "Only a manager may verify" in page.get_by_role("note").inner_text()

    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    manager_page = context.new_page()
    sign_in(manager_page, "david", TEST_PASSWORD)
    manager_page.goto(plan.get_absolute_url())
    manager_page.get_by_role("link", name="Verify the evidence", exact=True).click()
    assert manager_page.get_by_role("link", name="supervisor-visits.pdf").is_visible()
    manager_page.get_by_label("Date verified").fill("2025-06-23")
    manager_page.get_by_role("button", name="Verify the evidence", exact=True).click()
    assert manager_page.get_by_role("status").filter(has_text="Evidence verified").is_visible()
    assert manager_page.locator("#plan-status").inner_text() == "EVIDENCE VERIFIED"

    manager_page.get_by_role("link", name="Printable version").click()
    form = manager_page.locator(".learning-plan__form")
    assert "Supervisor visits logged and reviewed weekly." in form.inner_text()
    context.close()

    plan.refresh_from_db()
    assert plan.status == PlanStatus.VERIFIED and plan.verified_by == manager
    assert plan.implemented_on == D("2025-06-20") and plan.evidence_files.count() == 1
