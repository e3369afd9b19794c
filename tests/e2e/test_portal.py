"""A caseworker uses the members' portal; an officer answers; the caseworker reads the answer.
Every portal page is checked with axe-core: no serious or critical accessibility violations."""

import json
from pathlib import Path

import pytest
from django.utils import timezone

from casework.roles import Role
from enquiries.models import Enquiry
from sla import engine
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory, make_office, portal_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


def assert_accessible(page):
    """Run axe-core (WCAG 2.0-2.2 A and AA rules) and fail on any serious or critical violation."""
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(
        [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]} for v in serious], indent=1
    )
    return result


def sign_out(page):
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_caseworker_submits_officer_responds_caseworker_reads(page):
    page.add_init_script(path=str(AXE))
    office, _member = make_office()
    portal_user("jo", office)
    UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)

    sign_in(page, "jo", TEST_PASSWORD)
    page.wait_for_url("**/portal/")
    assert page.get_by_role("heading", name="Your enquiries").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Send a new enquiry").click()
    assert_accessible(page)
    page.get_by_label("Service request").check()
    page.get_by_label("Which council service is it about?").select_option(label="Responsive Repairs")
    page.get_by_label("Constituent's first name").fill("Ada")
    page.get_by_label("Constituent's last name").fill("Lovelace")
    page.get_by_label("Constituent's address").fill("12 Engine Row")
    page.get_by_label("Postcode").fill("E1 6AN")
    page.get_by_label("Yes").check()
    page.get_by_label("Homeless tonight").is_visible()
    page.get_by_role("button", name="Send enquiry").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert summary.is_visible()
    assert summary.get_by_role("link", name="Describe what the constituent needs.").is_visible()
    assert page.evaluate("document.activeElement.dataset.module") == "error-summary"
    assert page.get_by_label("Constituent's first name").input_value() == "Ada"  # nothing typed is lost
    assert_accessible(page)

    summary.get_by_role("link", name="Describe what the constituent needs.").click()
    page.get_by_label("What does the constituent need?").fill("Bedroom window boarded up for a month.")
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_url("**/portal/enquiries/ME-*/")
    reference = Enquiry.objects.get().reference
    due = engine.add_working_days(timezone.localdate(), 10)
    assert page.locator('[data-due="response"]').inner_text() == due.strftime("%A %-d %B %Y")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your enquiries").click()
    row = page.get_by_role("row").filter(has_text=reference)
    assert row.locator('[data-due="response"]').inner_text() == due.strftime("%-d %b %Y")
    sign_out(page)

    sign_in(page, "amara", TEST_PASSWORD)
    page.goto(f"/enquiries/{reference}/")
    page.get_by_role("link", name="Respond to the member").click()
    page.get_by_label("Response to the member").fill("A glazier will replace the window on Friday.")
    page.get_by_role("button", name="Respond to the member").click()
    assert page.get_by_role("status").filter(has_text="Response sent").is_visible()
    sign_out(page)

    sign_in(page, "jo", TEST_PASSWORD)
    page.get_by_role("link", name=reference).click()
    assert page.locator("#response-text").inner_text().strip() == "A glazier will replace the window on Friday."
    assert_accessible(page)
