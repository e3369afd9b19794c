"""A stage 2 response in the browser: drafted by its handler, sent back by a manager with a comment, drafted
again, approved, and sent: the clock stops on the day it is sent."""

import datetime

import pytest
from django.utils import timezone

from casework.roles import Role
from complaints import services
from complaints.models import ResponseDraftStatus
from sla.models import ClockKind
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory, log_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
D = datetime.date.fromisoformat


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def draft(page, complaint, summary):
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Draft the response for approval", exact=True).click()
    page.get_by_label("Summary of the response").fill(summary)
    point = page.get_by_role("group", name="Point 1")
    point.get_by_label("Point of complaint").fill("The review of the leak repair")
    point.get_by_label("Decision").select_option("partly_upheld")
    page.get_by_role("button", name="Draft the response for approval", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Draft response sent for approval.").is_visible()


def test_stage_two_draft_sent_back_redrafted_approved_and_sent(page):
    officer = UserFactory(username="amara", first_name="Amara", last_name="Okafor", role=Role.COMPLAINTS_OFFICER)
    UserFactory(username="tom", first_name="Tom", last_name="Bennett", role=Role.INVESTIGATING_OFFICER)
    UserFactory(username="maya", first_name="Maya", last_name="Patel", role=Role.MANAGER)
    handler = UserFactory._meta.model.objects.get(username="tom")
    complaint = services.acknowledge(log_complaint(received_on=D("2025-04-17")), on=D("2025-04-22"), actor=officer)
    complaint = services.respond(
        complaint, actor=officer, on=D("2025-05-06"), summary="Sorry", points=[services.Point("Leak", "upheld")]
    )
    complaint = services.escalate(complaint, actor=officer, requested_on=D("2025-05-08"), handler=handler)
    complaint = services.acknowledge(complaint, on=D("2025-05-09"), actor=officer)

    sign_in(page, "tom", TEST_PASSWORD)
    draft(page, complaint, "We looked again at the repair.")
    sign_out(page)

    sign_in(page, "maya", TEST_PASSWORD)
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Send the draft response back", exact=True).click()
    page.get_by_label("What needs changing").fill("Say what we will do to stop it happening again.")
    page.get_by_role("button", name="Send the draft response back", exact=True).click()
    assert page.get_by_text("What needs changing: Say what we will do to stop it happening again.").is_visible()
    sign_out(page)

    sign_in(page, "tom", TEST_PASSWORD)
    draft(page, complaint, "We looked again; the contractor will now call before every visit.")
    sign_out(page)

    sign_in(page, "maya", TEST_PASSWORD)
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Approve the draft response", exact=True).click()
    page.get_by_role("button", name="Approve the draft response", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Draft response approved.").is_visible()
    assert complaint.clocks.get(kind=ClockKind.RESPONSE, stage=2).stopped_on is None  # approved is not sent
    page.get_by_role("link", name="Send the approved response", exact=True).click()
    page.get_by_role("button", name="Send the approved response", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Response sent.").is_visible()

    stage = complaint.stages.get(number=2)
    assert stage.responded_on == timezone.localdate() and stage.outcome == "partly_upheld"
    assert complaint.clocks.get(kind=ClockKind.RESPONSE, stage=2).stopped_on == timezone.localdate()
    assert [d.status for d in stage.drafts.order_by("id")] == [ResponseDraftStatus.SENT_BACK, ResponseDraftStatus.SENT]
    assert stage.response_summary.startswith("We looked again; the contractor will now call")
    assert complaint.letters.get(kind="response").document is not None
