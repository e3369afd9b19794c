"""An officer's tools on the complaints queue in the browser: reassigning ticked complaints to a colleague (one
refused, the resident having lost trust in him), and saving the queue's filter as a view for the team and
opening it again."""

import os
from pathlib import Path

import pytest

from casework.models import OfficerProfile, SavedView
from casework.roles import Role
from complaints import services
from tests.e2e.conftest import sign_in
from tests.e2e.keyboard import AXE, assert_accessible
from tests.factories import TEST_PASSWORD, ServiceAreaFactory, TeamFactory, UserFactory, log_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path):
    """Where the pages' screenshots go, to look at: E2E_SCREENSHOT_DIR when set, else the test's own folder."""
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_reassigning_ticked_complaints_reports_each_one(page, shots):
    officer = UserFactory(username="amara", first_name="Amara", last_name="Okafor", role=Role.COMPLAINTS_OFFICER)
    tom = UserFactory(username="tom", first_name="Tom", last_name="Bennett", role=Role.INVESTIGATING_OFFICER)
    first = log_complaint(summary="Leak under the kitchen sink")
    barred = log_complaint(summary="Broken boiler")
    untouched = log_complaint(summary="Noisy neighbours")
    services.bar_officer(barred.resident, tom, reason="Lost trust after a visit", actor=officer)

    page.add_init_script(path=str(AXE))
    sign_in(page, "amara", TEST_PASSWORD)
    page.goto("/complaints/")
    assert_accessible(page)
    page.get_by_label(f"Select {first.reference}").check()
    page.get_by_label(f"Select {barred.reference}").check()
    form = page.locator("#bulk-reassign")
    form.get_by_label("The complaints ticked below").check()
    form.get_by_label("Reassign to").select_option(label="Tom Bennett")
    page.screenshot(path=str(shots / "queue.png"), full_page=True)
    form.get_by_role("button", name="Reassign").click()

    page.wait_for_url("**/queues/complaints/reassign/")
    assert page.get_by_role("heading", name="Reassign complaints").is_visible()
    assert page.get_by_role("status").filter(has_text="1 complaint reassigned; 1 not reassigned").is_visible()
    rows = page.get_by_role("row")
    assert "Reassigned to Tom Bennett." in rows.filter(has_text=first.reference).inner_text()
    assert "must not handle this resident's cases" in rows.filter(has_text=barred.reference).inner_text()
    page.screenshot(path=str(shots / "reassigned.png"), full_page=True)
    assert_accessible(page)

    for complaint, handler in ((first, tom), (barred, None), (untouched, None)):
        complaint.refresh_from_db()
        assert complaint.assigned_to == handler
    page.get_by_role("link", name="Back to the complaints queue").click()
    assert "Tom Bennett" in page.get_by_role("row").filter(has_text=first.reference).inner_text()


def test_saving_the_queues_filter_as_a_team_view_and_opening_it(page, shots):
    officer = UserFactory(username="amara", first_name="Amara", last_name="Okafor", role=Role.COMPLAINTS_OFFICER)
    team = TeamFactory(name="Repairs complaints")
    OfficerProfile.objects.update_or_create(user=officer, defaults={"team": team})
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    tenancy = ServiceAreaFactory(name="Tenancy Management")
    leak = log_complaint(service_area=repairs, summary="Leak under the kitchen sink")
    rent = log_complaint(service_area=tenancy, summary="Rent account wrong")

    page.add_init_script(path=str(AXE))
    sign_in(page, "amara", TEST_PASSWORD)
    page.goto("/complaints/")
    filters = page.get_by_role("form", name="Filter complaints")
    filters.get_by_label("Service area").select_option(label="Responsive Repairs")
    filters.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("status").filter(has_text="1 complaint").is_visible()

    page.get_by_text("Save these filters as a view").click()
    page.get_by_role("button", name="Save view").click()  # no name yet
    assert page.get_by_role("alert").filter(has_text="Enter a name for the view.").is_visible()
    assert_accessible(page)
    page.get_by_label("Name of the view").fill("Repairs, open")
    page.get_by_label("Share with").select_option(label="Repairs complaints")
    page.get_by_role("button", name="Save view").click()
    assert (
        page.get_by_role("status")
        .filter(has_text="View “Repairs, open” saved, shared with Repairs complaints.")
        .is_visible()
    )
    assert SavedView.objects.get().team == team

    page.goto("/complaints/")  # the whole queue again
    assert page.get_by_role("link", name=rent.reference).is_visible()
    page.get_by_role("link", name="Repairs, open").click()
    assert page.get_by_role("link", name=leak.reference).is_visible()
    assert page.get_by_role("link", name=rent.reference).count() == 0
    assert page.get_by_role("form", name="Filter complaints").get_by_label("Service area").input_value() == str(
        repairs.pk
    )
    page.screenshot(path=str(shots / "saved-view.png"), full_page=True)
    assert_accessible(page)
