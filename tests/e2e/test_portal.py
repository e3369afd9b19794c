"""A caseworker uses the members' portal; an officer answers; the caseworker reads the answer. Every portal
page has no axe-core violation of any impact, at desktop width and on a 375 pixel screen, where the list of
enquiries shows each one's status and response date without scrolling sideways."""

import datetime

import pytest
import time_machine

from casework.roles import Role
from enquiries.models import Enquiry
from sla.services import declare_closure_day
from tests.e2e.conftest import sign_in
from tests.e2e.keyboard import AXE, DESKTOP, MOBILE, assert_fits_the_screen, assert_no_violations, error_summary
from tests.factories import TEST_PASSWORD, UserFactory, make_office, portal_user, submit_enquiry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Tuesday 1 December 2026: acknowledge by Wednesday 2 December (1 working day), respond by Tuesday 15 December.
SENT = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def on_sent_day():
    with time_machine.travel(SENT, tick=True):
        yield


def check_page(page):
    assert_no_violations(page)
    assert_fits_the_screen(page)


def sign_out(page):
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "375px"])
def test_caseworker_submits_officer_responds_caseworker_reads(page, viewport, on_sent_day):
    page.set_viewport_size(viewport)
    page.add_init_script(path=str(AXE))
    office, _member = make_office()
    portal_user("jo", office)
    UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)

    sign_in(page, "jo", TEST_PASSWORD)
    page.wait_for_url("**/portal/")
    assert page.get_by_role("heading", name="Your enquiries").is_visible()
    check_page(page)

    page.get_by_role("link", name="Send a new enquiry").click()
    check_page(page)
    assert "emergency line on 020 7946 0999" in page.inner_text("main")
    page.get_by_label("Subject").fill("Bedroom window boarded up")
    page.get_by_label("Service request").check()
    page.get_by_label("Which council service is it about?").select_option(label="Responsive Repairs")
    page.get_by_label("Constituent's first name").fill("Ada")
    page.get_by_label("Constituent's last name").fill("Lovelace")
    page.get_by_label("Constituent's address").fill("12 Engine Row")
    page.get_by_label("Postcode").fill("XYZ")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send enquiry").click()

    assert error_summary(page) == ["Enter a full UK postcode, like E1 6AN", "Describe what the constituent needs"]
    assert page.get_by_label("Constituent's first name").input_value() == "Ada"  # nothing typed is lost
    check_page(page)

    page.get_by_role("link", name="Describe what the constituent needs").click()
    page.get_by_label("What does the constituent need?").fill("Bedroom window boarded up for a month.")
    page.get_by_label("Postcode").fill("e1 6an")
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_url("**/portal/enquiries/ME-*/")
    enquiry = Enquiry.objects.get()
    assert enquiry.constituent_address == "12 Engine Row, E1 6AN"
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    assert "acknowledge it by Wednesday 2 December 2026" in banner
    assert "respond in full by Tuesday 15 December 2026" in banner
    assert page.get_by_role("heading", level=1).inner_text() == "Bedroom window boarded up"
    assert page.locator('[data-due="response"]').inner_text() == "Tuesday 15 December 2026"
    check_page(page)

    # A closure day moves the response date, and the history says why.
    declare_closure_day(datetime.date(2026, 12, 4), "Staff training day")
    page.reload()
    assert page.locator('[data-due="response"]').inner_text() == "Wednesday 16 December 2026"
    assert "Staff training day" in page.inner_text("main")

    page.get_by_role("link", name="Back to your enquiries").click()
    check_page(page)
    rows = page.locator(".online-enquiry-table" if viewport is DESKTOP else ".online-enquiry-cards")
    entry = rows.locator("tr, li").filter(has_text=enquiry.reference)
    assert entry.locator('[data-due="response"]').is_visible()
    assert entry.locator('[data-due="response"]').inner_text() == "16 Dec 2026"
    assert entry.get_by_text("Received", exact=True).is_visible()

    page.get_by_label("Search", exact=True).fill("window")
    page.get_by_role("button", name="Search").click()
    assert "1 enquiry found" in page.inner_text("main")
    check_page(page)
    page.get_by_label("Search", exact=True).fill("no such thing")
    page.get_by_role("button", name="Search").click()
    assert "No enquiries match" in page.inner_text("main")
    check_page(page)
    sign_out(page)

    sign_in(page, "amara", TEST_PASSWORD)
    page.goto(f"/enquiries/{enquiry.reference}/")
    page.get_by_role("link", name="Respond to the member").click()
    page.get_by_label("Response to the member").fill("A glazier will replace the window on Friday.")
    page.get_by_role("button", name="Respond to the member").click()
    assert page.get_by_role("status").filter(has_text="Response sent").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")

    sign_in(page, "jo", TEST_PASSWORD)
    # Which of the list's two forms shows (table or cards) is the stylesheet's choice: wait until it applies.
    page.wait_for_load_state("load")
    page.locator(f"a[href='/portal/enquiries/{enquiry.reference}/']:visible").click()
    assert page.locator("#response-text").inner_text().strip() == "A glazier will replace the window on Friday."
    check_page(page)


def test_a_busy_office_pages_through_its_enquiries_on_a_small_screen(page, on_sent_day):
    page.set_viewport_size(MOBILE)
    page.add_init_script(path=str(AXE))
    office, member = make_office()
    portal_user("jo", office)
    for number in range(30):
        submit_enquiry(member, summary=f"Enquiry number {number}", received_on=datetime.date(2026, 11, 2))
    sign_in(page, "jo", TEST_PASSWORD)
    page.wait_for_url("**/portal/")
    assert "30 enquiries, newest first. Page 1 of 2." in page.inner_text("main")
    check_page(page)
    page.get_by_role("link", name="Next page").click()
    assert "Page 2 of 2" in page.inner_text("main")
    assert page.locator(".online-enquiry-cards li").count() == 5
    check_page(page)
