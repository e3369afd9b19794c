"""From a complaint to its resident's page in the browser: their cases, contacts and what to know first."""

import datetime
import os
from pathlib import Path

import pytest

from casework.models import Representative
from casework.roles import Role
from complaints import services
from tests.e2e.conftest import sign_in
from tests.e2e.keyboard import AXE, assert_accessible
from tests.factories import TEST_PASSWORD, ResidentFactory, UserFactory, log_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_opens_the_residents_page_from_a_complaint(page, tmp_path):
    officer = UserFactory(username="amara", first_name="Amara", last_name="Okafor", role=Role.COMPLAINTS_OFFICER)
    tom = UserFactory(username="tom", first_name="Tom", last_name="Bennett", role=Role.INVESTIGATING_OFFICER)
    resident = ResidentFactory(
        first_name="Grace", last_name="Hopper", reasonable_adjustments="Large print letters", phone="07700 900123"
    )
    Representative.objects.create(resident=resident, name="Ada Hopper", relationship="daughter")
    damp = log_complaint(resident=resident, summary="Damp in the bedroom")
    boiler = log_complaint(resident=resident, summary="Broken boiler")
    services.bar_officer(resident, tom, reason="Lost trust after a visit", actor=officer)
    services.add_contact_restriction(
        resident,
        restriction="Email only",
        reason="Abusive calls",
        actor=officer,
        starts_on=datetime.date(2025, 4, 1),
        review_on=datetime.date(2025, 10, 1),
    )

    page.add_init_script(path=str(AXE))
    sign_in(page, "amara", TEST_PASSWORD)
    page.goto(damp.get_absolute_url())
    page.get_by_role("link", name="Grace Hopper").click()

    assert page.get_by_role("heading", name="Grace Hopper", level=1).is_visible()
    assert page.get_by_text("Large print letters").is_visible()
    assert page.get_by_text("Tom Bennett: Lost trust after a visit").is_visible()
    assert page.get_by_role("cell", name="Ada Hopper").is_visible()
    for complaint in (damp, boiler):
        assert page.get_by_role("link", name=complaint.reference).is_visible()
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "resident.png"), full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name=boiler.reference).click()
    page.wait_for_url(f"**/complaints/{boiler.reference}/")
