"""Responses drafted by the investigating officer, approved by the complaints officer at stage 1 and a manager at
stage 2 or sent back with a comment, and sent: the clock stops on the day it is sent."""

import datetime

import pytest
import time_machine
from django.core import mail

from casework.errors import Forbidden, NotAllowed
from casework.roles import Role
from complaints import services
from complaints.models import ComplaintStatus, ResponseDraftStatus
from correspondence.models import Letter
from sla.models import ClockKind
from tests.factories import UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def investigator(db):
    return UserFactory(username="ivan", role=Role.INVESTIGATING_OFFICER)


def points():
    return [services.Point("Leak not fixed", "upheld", "Three visits were missed.")]


def acknowledged(officer, investigator):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=investigator)
    return services.acknowledge(complaint, on=D("2025-04-22"), actor=officer)


def test_draft_sent_back_redrafted_approved_and_sent_stops_the_clock_on_the_day_sent(
    officer, investigator, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(datetime.datetime(2025, 4, 28, 10, tzinfo=datetime.UTC), tick=False):
        complaint = acknowledged(officer, investigator)
        services.draft_response(complaint, actor=investigator, summary="Sorry", points=points())
        assert "approve_response" in services.allowed_actions(complaint, officer)
        # Its author cannot approve it, nor can an investigating officer; nothing is sent yet.
        with pytest.raises(Forbidden):
            services.approve_response(complaint, actor=investigator)
        with pytest.raises(NotAllowed, match="no approved draft"):
            services.send_response(complaint, actor=officer)
        services.send_back_response(complaint, actor=officer, comment="Offer an apology for the missed visits.")
        draft = complaint.stages.get().drafts.get()
        assert draft.status == ResponseDraftStatus.SENT_BACK and draft.comment.startswith("Offer an apology")
        assert complaint.clocks.get(kind=ClockKind.RESPONSE).stopped_on is None

    with time_machine.travel(datetime.datetime(2025, 4, 29, 10, tzinfo=datetime.UTC), tick=False):
        services.draft_response(
            complaint,
            actor=investigator,
            summary="Sorry: we apologise",
            points=points(),
            remedies=[services.RemedyLine("apology")],
            letter_text="Dear resident,\n\nWe apologise for the missed visits.\n",
        )
        services.approve_response(complaint, actor=officer)
        complaint.refresh_from_db()
        assert complaint.status == ComplaintStatus.ACKNOWLEDGED  # approved is not sent

    with (
        time_machine.travel(datetime.datetime(2025, 5, 1, 10, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.send_response(complaint, actor=officer)
    complaint.refresh_from_db()
    stage = complaint.stages.get()
    assert complaint.status == ComplaintStatus.RESPONDED
    assert stage.responded_on == D("2025-05-01") and stage.outcome == "upheld"
    assert complaint.clocks.get(kind=ClockKind.RESPONSE).stopped_on == D("2025-05-01")
    assert [d.status for d in stage.drafts.order_by("id")] == [ResponseDraftStatus.SENT_BACK, ResponseDraftStatus.SENT]
    letter = Letter.objects.get(case=complaint, kind="response")
    assert letter.body == "Dear resident,\n\nWe apologise for the missed visits.\n"
    assert mail.outbox[0].body == letter.body
    summaries = list(complaint.timeline.values_list("kind", flat=True))
    assert summaries.count("draft_response") == 2
    assert {"send_back_response", "approve_response", "responded", "letter_sent", "response_sent"} <= set(summaries)


def test_stage_two_is_approved_by_a_manager(officer, investigator, manager):
    complaint = acknowledged(officer, investigator)
    services.respond(complaint, actor=officer, on=D("2025-05-01"), summary="Sorry", points=points())
    stage_two_handler = UserFactory(username="sh", role=Role.INVESTIGATING_OFFICER)
    complaint = services.escalate(complaint, actor=officer, requested_on=D("2025-05-06"), handler=stage_two_handler)
    complaint = services.acknowledge(complaint, on=D("2025-05-07"), actor=officer)
    services.draft_response(complaint, actor=stage_two_handler, summary="Reviewed", points=points())
    with pytest.raises(Forbidden, match="approved by a manager"):
        services.approve_response(complaint, actor=officer)
    services.approve_response(complaint, actor=manager)
    assert complaint.stages.get(number=2).drafts.get().decided_by == manager


def test_a_second_draft_waits_for_the_first_decision(officer, investigator):
    complaint = acknowledged(officer, investigator)
    services.draft_response(complaint, actor=investigator, summary="Sorry", points=points())
    with pytest.raises(NotAllowed, match="already waiting for approval"):
        services.draft_response(complaint, actor=investigator, summary="Again", points=points())


def test_a_draft_needs_a_decision_on_a_point(officer, investigator):
    from casework.errors import InvalidInput

    complaint = acknowledged(officer, investigator)
    with pytest.raises(InvalidInput, match="Record a decision on at least one point"):
        services.draft_response(complaint, actor=investigator, summary="Sorry", points=[])


def test_the_complaint_page_shows_the_draft_and_why_it_was_sent_back(client, officer, investigator):
    complaint = acknowledged(officer, investigator)
    services.draft_response(complaint, actor=investigator, summary="We are sorry", points=points())
    services.send_back_response(complaint, actor=officer, comment="Offer an apology")
    client.force_login(officer)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Draft response: sent back" in page and "What needs changing: Offer an apology" in page
    assert "Leak not fixed: upheld. Three visits were missed." in page


def test_the_response_pages_show_the_letter_its_template_drafts(client, officer, investigator):
    complaint = acknowledged(officer, investigator)
    client.force_login(investigator)
    for action in ("respond", "draft_response"):
        page = client.get(f"/complaints/{complaint.reference}/{action}/").content.decode()
        assert "Draft response letter" in page and "This is our stage 1 response to your complaint" in page, action
