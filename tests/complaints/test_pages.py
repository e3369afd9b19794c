"""The officers' complaint pages over HTTP."""

import datetime

import pytest
from django.utils import timezone

from casework.roles import Role
from complaints import services
from complaints.models import Complaint, ComplaintStatus
from tests.factories import IssueNatureFactory, ServiceAreaFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat


def _in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


pytestmark = pytest.mark.django_db


@pytest.fixture
def repairs():
    area = ServiceAreaFactory(name="Responsive Repairs")
    return area, IssueNatureFactory(name="Responsive Repairs (Mears)", service_area=area)


def test_the_queue_lists_open_complaints_with_time_left_and_filters(officer_client, officer, repairs):
    area, nature = repairs
    mine = log_complaint(received_on=D("2025-04-17"), assigned_to=officer, service_area=area, issue_nature=nature)
    other_area = ServiceAreaFactory(name="Allocations")
    theirs = log_complaint(
        received_on=D("2025-04-17"),
        service_area=other_area,
        issue_nature=IssueNatureFactory(name="Allocations", service_area=other_area),
    )
    withdrawn = services.withdraw(log_complaint(), actor=officer, on=D("2025-04-20"), reason="Phoned")

    page = officer_client.get("/complaints/").content.decode()
    assert mine.reference in page and theirs.reference in page
    assert withdrawn.reference not in page
    assert "Overdue by" in page  # acknowledgement was due 28 April 2025

    filtered = officer_client.get("/complaints/", {"service_area": other_area.pk}).content.decode()
    assert theirs.reference in filtered and mine.reference not in filtered
    filtered = officer_client.get("/complaints/", {"officer": officer.pk}).content.decode()
    assert mine.reference in filtered and theirs.reference not in filtered
    filtered = officer_client.get("/complaints/", {"state": "closed"}).content.decode()
    assert withdrawn.reference in filtered and mine.reference not in filtered
    filtered = officer_client.get("/complaints/", {"q": mine.resident.last_name}).content.decode()
    assert mine.reference in filtered
    filtered = officer_client.get("/complaints/", {"due": "overdue", "issue_nature": nature.pk}).content.decode()
    assert mine.reference in filtered and theirs.reference not in filtered


def test_an_investigating_officer_sees_only_their_service_areas_and_assignments(client, officer, repairs):
    area, nature = repairs
    investigator = UserFactory(username="grace", role=Role.INVESTIGATING_OFFICER, service_areas=[area])
    visible = log_complaint(service_area=area, issue_nature=nature)
    allocations = ServiceAreaFactory(name="Allocations")
    hidden = log_complaint(
        service_area=allocations, issue_nature=IssueNatureFactory(name="Allocations", service_area=allocations)
    )
    client.force_login(investigator)
    page = client.get("/complaints/").content.decode()
    assert visible.reference in page and hidden.reference not in page
    assert client.get(f"/complaints/{hidden.reference}/").status_code == 404
    assert client.get(f"/complaints/{hidden.reference}/acknowledge/").status_code == 404
    services.assign(hidden, investigator, actor=officer)
    assert client.get(f"/complaints/{hidden.reference}/").status_code == 200


def test_logging_a_complaint_explains_every_missing_field_and_keeps_what_was_typed(officer_client, repairs):
    response = officer_client.post("/complaints/new/", {"first_name": "Ada", "summary": "Mould in the bathroom"})
    content = response.content.decode()
    assert "There is a problem" in content
    for message in (
        "Enter the resident&#x27;s last name.",
        "Choose the issue nature.",
        "Choose the type of complaint.",
        "Describe the complaint as you understand it.",
        "Choose how the complaint was made.",
    ):
        assert message in content
    assert 'value="Mould in the bathroom"' in content
    assert Complaint.objects.count() == 0


def test_logging_a_complaint_creates_it_with_the_resident_and_starts_its_clock(officer_client, officer, repairs):
    area, nature = repairs
    response = officer_client.post(
        "/complaints/new/",
        {
            "received_on": "2025-04-17",
            "channel": "phone",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "address": "12 Engine Row",
            "postcode": "e1 6an",
            "service_area": area.pk,
            "issue_nature": nature.pk,
            "complaint_type": "delay",
            "summary": "Mould in the bathroom",
            "description": "Mould reported in January, no visit.",
            "outcome_wanted": "Treat the mould",
            "assigned_to": officer.pk,
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.reference}/"
    assert complaint.resident.full_name == "Ada Lovelace"
    assert complaint.home.postcode == "E1 6AN"
    assert complaint.assigned_to == officer
    page = officer_client.get(response["Location"]).content.decode()
    assert "Mon 28 Apr 2025" in page  # acknowledge by
    assert "Acknowledge stage 1" in page


def test_actions_are_offered_by_state_and_refused_with_409_when_the_state_forbids_them(officer_client, officer):
    complaint = log_complaint(received_on=D("2025-04-17"))
    page = officer_client.get(f"/complaints/{complaint.reference}/").content.decode()
    assert f"/complaints/{complaint.reference}/acknowledge/" in page
    assert f"/complaints/{complaint.reference}/close/" not in page

    refused = officer_client.post(f"/complaints/{complaint.reference}/close/", {"confirm": "on"})
    assert refused.status_code == 409
    assert "cannot be closed" in refused.content.decode()

    bad = officer_client.post(f"/complaints/{complaint.reference}/acknowledge/", {"on": "not a date"})
    assert bad.status_code == 400
    assert "Enter the date acknowledged as a real date." in bad.content.decode()

    done = officer_client.post(f"/complaints/{complaint.reference}/acknowledge/", {"on": "2025-04-22"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACKNOWLEDGED


def test_recording_a_response_with_formsets(officer_client, officer):
    complaint = services.acknowledge(
        log_complaint(received_on=D("2025-04-17"), assigned_to=officer), on=D("2025-04-22"), actor=officer
    )
    base = {
        "on": "2025-05-06",
        "summary": "We are sorry for the delay.",
        "points-TOTAL_FORMS": "3",
        "points-INITIAL_FORMS": "0",
        "remedies-TOTAL_FORMS": "3",
        "remedies-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "points-0-summary": "Leak not fixed",
        "points-0-decision": "upheld",
        "remedies-0-kind": "compensation",
        "remedies-0-description": "Time and trouble",
    }
    missing_amount = officer_client.post(f"/complaints/{complaint.reference}/respond/", base)
    assert missing_amount.status_code == 400
    assert "Enter the compensation offered, like 75 or 150.50." in missing_amount.content.decode()
    done = officer_client.post(
        f"/complaints/{complaint.reference}/respond/", {**base, "remedies-0-amount_pence": "£150.50"}
    )
    assert done.status_code == 302
    stage = complaint.stages.get()
    assert stage.outcome == "upheld" and stage.compensation_pence == 15050
    page = officer_client.get(f"/complaints/{complaint.reference}/").content.decode()
    assert "£150.50" in page


def test_the_response_letter_says_how_to_escalate_and_how_to_reach_the_ombudsman(officer_client, officer):
    complaint = services.acknowledge(
        log_complaint(received_on=D("2025-04-17"), assigned_to=officer), on=D("2025-04-22"), actor=officer
    )
    services.respond(
        complaint, actor=officer, on=D("2025-05-06"), summary="Sorry", points=[services.Point("Leak", "upheld")]
    )
    letter = officer_client.get(f"/complaints/{complaint.reference}/letters/response/").content.decode()
    assert "ask us to escalate your complaint to stage 2" in letter
    assert "Housing Ombudsman Service" in letter and "0300 111 3000" in letter
    download = officer_client.get(f"/complaints/{complaint.reference}/letters/response/", {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment;")


def test_safeguards_page_records_a_contact_restriction(officer_client, officer):
    complaint = log_complaint()
    response = officer_client.post(
        f"/complaints/{complaint.reference}/safeguards/",
        # The review must lie after today (the restriction starts today), whatever day the suite runs.
        {"restriction": "Email only", "reason": "Abusive calls", "review_on": _in_days(90)},
    )
    assert response.status_code == 302
    page = officer_client.get(f"/complaints/{complaint.reference}/").content.decode()
    assert "Contact restriction: Email only" in page
