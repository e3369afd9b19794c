"""A resident completes the online complaint form on a 375 pixel screen with the keyboard alone: every page has
no axe-core violation, fits the screen, and shows the GOV.UK error summary for bad input; then an officer finds
the complaint in the queue, flagged as sent online, with its clocks."""

import datetime

import pytest
import time_machine

from casework.models import ServiceArea
from casework.roles import Role
from complaints.models import Complaint
from tests.e2e.conftest import sign_in
from tests.e2e.keyboard import (
    AXE,
    MOBILE,
    assert_fits_the_screen,
    assert_no_violations,
    choose_radio,
    error_summary,
    follow,
    press_button,
    tab_to,
    tick,
    type_into,
)
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Thursday 17 April 2025: acknowledge by Monday 28 April (Easter skipped), respond by Tuesday 13 May.
RECEIVED = datetime.datetime(2025, 4, 17, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def resident(browser, live_server):
    with time_machine.travel(RECEIVED, tick=True):
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", timezone_id="Europe/London", viewport=MOBILE, has_touch=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.add_init_script(path=str(AXE))
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        yield page
        context.close()


def check_page(page):
    assert_no_violations(page)
    assert_fits_the_screen(page)
    assert page.errors == [], page.errors


def continue_with_errors(page, *expected):
    """Send the page as it is: the error summary lists exactly `expected`, has the focus, and is accessible."""
    press_button(page, "Continue")
    assert error_summary(page) == list(expected)
    assert page.title().startswith("Error: ")
    check_page(page)


def test_a_resident_completes_the_form_with_the_keyboard_on_a_small_screen(resident, page):
    page_ = resident
    page_.goto("/complain/")
    check_page(page_)
    assert "Monday 28 April 2025" in page_.inner_text("main") and "Tuesday 13 May 2025" in page_.inner_text("main")
    press_button(page_, "Start now")

    # Complaint or request
    check_page(page_)
    continue_with_errors(page_, "Select yes if you have already asked us to put this right")
    choose_radio(page_, "asked_before", "yes")
    press_button(page_, "Continue")

    # Who it is for
    check_page(page_)
    continue_with_errors(page_, "Select who the complaint is for")
    choose_radio(page_, "who", "me")
    press_button(page_, "Continue")

    # Name
    check_page(page_)
    continue_with_errors(page_, "Enter your first name", "Enter your last name")
    type_into(page_, "#id_first_name", "Ada")
    type_into(page_, "#id_last_name", "Lovelace")
    press_button(page_, "Continue")

    # Contact: how, then the address to use
    check_page(page_)
    continue_with_errors(page_, "Select how we should contact you")
    choose_radio(page_, "method", "email")
    press_button(page_, "Continue")
    check_page(page_)
    continue_with_errors(page_, "Enter your email address")
    type_into(page_, "#id_email", "ada@example")
    continue_with_errors(page_, "Enter an email address in the correct format, like name@example.com")
    type_into(page_, "#id_email", "ada@example.org")
    press_button(page_, "Continue")

    # Address: a postcode that is not one is refused; one typed in lower case is tidied
    check_page(page_)
    type_into(page_, "#id_line_1", "12 Engine Row")
    type_into(page_, "#id_postcode", "XYZ")
    continue_with_errors(page_, "Enter a full UK postcode")
    type_into(page_, "#id_postcode", "e1 6an")
    press_button(page_, "Continue")

    # Service
    check_page(page_)
    continue_with_errors(page_, "Select the service your complaint is about")
    choose_radio(page_, "service_area", str(ServiceArea.objects.get(name="Responsive Repairs").pk))
    press_button(page_, "Continue")

    # What went wrong
    check_page(page_)
    continue_with_errors(page_, "Select what went wrong")
    choose_radio(page_, "complaint_type", "delay")
    press_button(page_, "Continue")

    # What happened: the character count tells the resident how much is left
    check_page(page_)
    continue_with_errors(page_, "Enter what happened")
    type_into(page_, "#id_description", "x" * 5001)
    assert "1 character too many" in page_.inner_text(".govuk-character-count__status")
    continue_with_errors(page_, "What happened must be 5,000 characters or fewer")
    type_into(page_, "#id_description", "Leak under the kitchen sink reported three times since March. Nobody came.")
    press_button(page_, "Continue")

    # When: each way a date can be wrong
    check_page(page_)
    continue_with_errors(page_, "Enter the date it happened")
    type_into(page_, "#id_occurred_on_1", "13")
    continue_with_errors(page_, "The date it happened must include a day and a year")
    type_into(page_, "#id_occurred_on_0", "31")
    type_into(page_, "#id_occurred_on_1", "2")
    type_into(page_, "#id_occurred_on_2", "2025")
    continue_with_errors(page_, "The date it happened must be a real date")
    type_into(page_, "#id_occurred_on_1", "12")
    type_into(page_, "#id_occurred_on_2", "2026")
    continue_with_errors(page_, "The date it happened must be today or in the past")
    type_into(page_, "#id_occurred_on_0", "3")
    type_into(page_, "#id_occurred_on_1", "3")
    type_into(page_, "#id_occurred_on_2", "2025")
    press_button(page_, "Continue")

    # What would put it right
    check_page(page_)
    continue_with_errors(page_, "Enter what you would like us to do to put things right")
    type_into(page_, "#id_outcome_wanted", "Fix the leak and apologise.")
    press_button(page_, "Continue")

    # Urgent: "none of these" and a reason together are refused
    check_page(page_)
    continue_with_errors(page_, "Select if any of these are true, or select 'No, none of these'")
    tick(page_, "urgent", "none")
    press_button(page_, "Continue")

    # Evidence: a program renamed as a photo is refused, a real photo is added
    check_page(page_)
    with page_.expect_file_chooser() as chooser:
        tab_to(page_, "#id_file")
        page_.keyboard.press("Space")
    chooser.value.set_files({"name": "leak.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00 a program"})
    press_button(page_, "Add this file")
    assert error_summary(page_) == ["The selected file is not a real PNG file."]
    check_page(page_)
    with page_.expect_file_chooser() as chooser:
        tab_to(page_, "#id_file")
        page_.keyboard.press("Space")
    chooser.value.set_files({"name": "leak.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 64})
    press_button(page_, "Add this file")
    assert "leak.png added" in page_.inner_text("main")
    check_page(page_)
    press_button(page_, "Continue")

    # Check answers, change one, send
    check_page(page_)
    assert "E1 6AN" in page_.inner_text("main")
    tab_to(page_, page_.get_by_role("link", name="Change what would put things right"))
    follow(page_, "Enter")
    type_into(page_, "#id_outcome_wanted", "Fix the leak, and say sorry.")
    press_button(page_, "Continue")
    assert page_.url.endswith("/complain/check-your-answers/")
    assert "Fix the leak, and say sorry." in page_.inner_text("main")
    assert Complaint.objects.count() == 0
    press_button(page_, "Send complaint")

    # Confirmation: the reference and the two dates, each named for what it is
    check_page(page_)
    complaint = Complaint.objects.get()
    assert page_.inner_text("[data-reference]") == complaint.reference
    assert page_.inner_text("[data-date=acknowledge-by]") == "Monday 28 April 2025"
    assert page_.inner_text("[data-date=respond-by]") == "Tuesday 13 May 2025"
    assert complaint.outcome_wanted == "Fix the leak, and say sorry."
    assert complaint.attachments.get().original_name == "leak.png"

    # The officer's queue: flagged as online, with the acknowledgement clock running from the day received
    UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "amara", TEST_PASSWORD)
    page.goto("/complaints/?channel=web_form")
    row = page.get_by_role("row").filter(has_text=complaint.reference)
    assert row.get_by_text("Online", exact=True).is_visible()
    assert "Mon 28 Apr 2025" in row.inner_text()
    row.get_by_role("link", name=complaint.reference).click()
    assert page.locator('[data-due="acknowledgement1"]').inner_text() == "Mon 28 Apr 2025"
    assert page.get_by_text("Submitted online").is_visible()
    assert "Sent through the online form by the resident" in page.inner_text("main")
