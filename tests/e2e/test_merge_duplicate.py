"""A duplicate complaint merged in the browser: the officer finds the same leak logged twice from two phone calls,
merges the second into the first, and both complaints keep their history: the duplicate says where it went, and
the surviving complaint shows the duplicate's own history and its note."""

import datetime
import os

import pytest
from django.utils import timezone

from casework.roles import Role
from casework.services import add_note
from complaints.models import ComplaintStatus
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ResidentFactory, UserFactory, log_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
D = datetime.date.fromisoformat
# Where the screenshot of the surviving complaint goes (a test's own temporary folder when not set).
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def test_a_duplicate_merged_keeps_both_histories(page, tmp_path):
    officer = UserFactory(username="amara", first_name="Amara", last_name="Okafor", role=Role.COMPLAINTS_OFFICER)
    resident = ResidentFactory(first_name="Grace", last_name="Hopper", title="")
    first = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-14"), channel="phone")
    second = log_complaint(
        actor=officer, resident=resident, received_on=D("2025-04-16"), channel="phone", summary="Kitchen sink leaks"
    )
    add_note(second, officer, "Resident rang again: water now under the units.")

    sign_in(page, "amara", TEST_PASSWORD)
    page.goto(second.get_absolute_url())
    page.get_by_role("link", name="Merge into the complaint it duplicates", exact=True).click()
    page.get_by_label("Reference of the complaint it duplicates").fill(second.reference)
    page.get_by_label("Why it is a duplicate").fill("Same leak reported in two phone calls")
    page.get_by_role("button", name="Merge into the complaint it duplicates", exact=True).click()
    # Refused, with the reason beside the field, and nothing written.
    assert page.get_by_text("A complaint cannot be merged into itself.").first.is_visible()
    page.get_by_label("Reference of the complaint it duplicates").fill(first.reference)
    page.get_by_role("button", name="Merge into the complaint it duplicates", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Merged into the complaint it duplicates.").is_visible()

    # The duplicate's page says where it went, and keeps its own history.
    banner = page.locator("#merged-into")
    assert first.reference in banner.inner_text()
    timeline = page.locator("#timeline")
    assert timeline.get_by_text("Complaint received by phone").is_visible()
    assert timeline.get_by_text(f"Merged into {first.reference}").is_visible()

    # The surviving complaint shows the merge, the duplicate's history and the note moved to it.
    banner.get_by_role("link", name=first.reference).click()
    assert page.locator("#timeline").get_by_text(f"{second.reference} (Kitchen sink leaks) merged into").is_visible()
    merged = page.locator("#merged-duplicates")
    assert merged.get_by_text(f"Merged into {first.reference}").is_visible()
    assert merged.get_by_text("Complaint received by phone").is_visible()
    assert page.locator("#links").get_by_role("link", name=second.reference).is_visible()
    assert page.locator("#notes").get_by_text("Resident rang again: water now under the units.").is_visible()
    page.screenshot(path=os.path.join(SCREENSHOTS or tmp_path, "merged-complaint.png"), full_page=True)

    second.refresh_from_db()
    assert second.status == ComplaintStatus.MERGED and second.merged_into_id == first.pk
    assert second.merged_on == timezone.localdate()
    assert not second.clocks.filter(stopped_on__isnull=True).exists()
