"""An officer takes a complaint from intake to stage 2 in the browser, checking every due date shown."""

import pytest

from casework.roles import Role
from complaints.models import Complaint
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def due_shown(page, kind, stage):
    return page.locator(f'[data-due="{kind}{stage}"]').inner_text()


def test_log_acknowledge_extend_respond_and_escalate(page):
    officer = UserFactory(username="amara", first_name="Amara", last_name="Okafor", role=Role.COMPLAINTS_OFFICER)
    UserFactory(username="tom", first_name="Tom", last_name="Bennett", role=Role.COMPLAINTS_OFFICER)

    sign_in(page, "amara", TEST_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Complaints", exact=True).click()
    page.get_by_role("link", name="Log a complaint", exact=True).click()

    # Thursday 17 April 2025, the day before Good Friday.
    page.get_by_label("Resident's first name").fill("Ada")
    page.get_by_label("Resident's last name").fill("Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Date received").fill("2025-04-17")
    page.get_by_label("How it was made").select_option("email")
    page.get_by_label("Service area").select_option(label="Responsive Repairs")
    page.get_by_label("Issue nature").select_option(label="Responsive Repairs (Mears)")
    page.get_by_label("Type of complaint").select_option("delay")
    page.get_by_label("Summary").fill("Leak under the kitchen sink not fixed")
    page.get_by_label("The complaint as you understand it").fill("Reported three times since February.")
    page.get_by_label("The outcome the resident wants").fill("Fix the leak and apologise")
    page.get_by_label("Assign to").select_option(label="Amara Okafor")
    page.get_by_role("button", name="Log complaint", exact=True).click()

    page.wait_for_url("**/complaints/CMP-2025-*/")
    assert due_shown(page, "acknowledgement", 1) == "Mon 28 Apr 2025"  # Easter and the weekend skipped

    page.get_by_role("link", name="Acknowledge", exact=True).click()
    page.get_by_label("Date acknowledged").fill("2025-04-22")
    page.get_by_role("button", name="Acknowledge", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Complaint acknowledged.").is_visible()
    assert due_shown(page, "response", 1) == "Wed 7 May 2025"  # 10 working days, 5 May is a bank holiday

    page.get_by_role("link", name="Extend the deadline", exact=True).click()
    page.get_by_label("Date of the extension").fill("2025-05-01")
    page.get_by_label("Extra working days").fill("5")
    page.get_by_label("Reason").fill("Waiting for the contractor's report")
    page.get_by_label("Date the resident was told").fill("2025-05-01")
    page.get_by_role("button", name="Extend the deadline", exact=True).click()
    assert due_shown(page, "response", 1) == "Wed 14 May 2025"

    page.get_by_role("link", name="Record the response", exact=True).click()
    page.get_by_label("Date the response was sent").fill("2025-05-13")
    page.get_by_label("Summary of the response").fill("We are sorry; the pipe has been replaced.")
    first_point = page.get_by_role("group", name="Point 1")
    first_point.get_by_label("Point of complaint").fill("Repeated missed appointments")
    first_point.get_by_label("Decision").select_option("upheld")
    first_remedy = page.get_by_role("group", name="Remedy 1")
    first_remedy.get_by_label("Remedy").select_option("compensation")
    first_remedy.get_by_label("Details").fill("Time and trouble")
    first_remedy.get_by_label("Compensation (£)").fill("150.50")
    page.get_by_role("button", name="Record the response", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Response recorded.").is_visible()
    stage_one = page.get_by_role("region", name="Stage 1")
    assert stage_one.get_by_text("£150.50", exact=True).is_visible()
    assert stage_one.get_by_role("cell", name="Upheld", exact=True).is_visible()

    page.get_by_role("link", name="Escalate", exact=True).click()
    page.get_by_label("Date the resident asked to escalate").fill("2025-05-15")
    page.get_by_label("Assign the next stage to").select_option(label="Amara Okafor")
    page.get_by_role("button", name="Escalate", exact=True).click()
    assert page.get_by_role("alert").filter(has_text="did not handle an earlier stage").is_visible()
    page.get_by_label("Assign the next stage to").select_option(label="Tom Bennett")
    page.get_by_role("button", name="Escalate", exact=True).click()
    page.wait_for_url("**/complaints/CMP-2025-*/")
    assert due_shown(page, "acknowledgement", 2) == "Thu 22 May 2025"

    complaint = Complaint.objects.get()
    assert complaint.current_stage == 2
    assert complaint.assigned_to.username == "tom"
    assert complaint.stages.get(number=1).handler == officer
