"""The residents' online complaint form over HTTP: the pages, their checks, what sending makes."""

import pytest
from django.core import mail

from casework.models import Attachment, Resident
from complaints.models import Channel, Complaint, ServiceRequest
from online.models import OnlineSubmission
from tests.online.conftest import ACKNOWLEDGE_BY, RESPOND_BY
from tests.online.flow import COMPLAINT_PAGES, answer, send, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "on_received_day")]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what sending queues after its transaction commits (the email), as it would outside a test."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_resident_completes_the_form_and_a_complaint_is_logged_with_its_clocks(client, commit):
    assert client.get("/complain/").status_code == 200
    last = walk(client)
    assert last["Location"] == "/complain/evidence/"
    assert Complaint.objects.count() == 0  # nothing is written before the resident sends the form
    check = client.get("/complain/check-your-answers/").content.decode()
    assert "Ada Lovelace" in check and "E1 6AN" in check and "Delays or missed appointments" in check

    response, _ = send(client, commit)
    assert response["Location"] == "/complain/sent/"
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WEB_FORM
    assert complaint.received_on.isoformat() == "2025-04-17"
    assert complaint.resident.full_name == "Ada Lovelace"
    assert complaint.resident.email == "ada@example.org"
    assert complaint.resident.reasonable_adjustments == "Large print, please"
    assert complaint.home.postcode == "E1 6AN"
    assert complaint.issue_nature.name == "Responsive Repairs (Mears)"
    assert complaint.issue_occurred_on.isoformat() == "2025-03-03"
    assert complaint.summary == "Leak under the sink reported three times."
    assert complaint.outcome_wanted == "Fix the leak and apologise."
    dues = {(kind, stage): due for kind, stage, due in complaint.clocks.values_list("kind", "stage", "due_on")}
    assert dues == {("acknowledgement", 1): ACKNOWLEDGE_BY}

    done = client.get("/complain/sent/").content.decode()
    assert complaint.reference in done
    assert "Monday 28 April 2025" in done and "Tuesday 13 May 2025" in done
    assert "respond-by" in done and RESPOND_BY.strftime("%A %-d %B %Y") in done

    [email] = mail.outbox
    assert email.to == ["ada@example.org"]
    assert complaint.reference in email.subject
    assert "acknowledge your complaint by Monday 28 April 2025" in email.body
    assert "full response by Tuesday 13 May 2025" in email.body
    assert "Leak under the sink reported three times.\nNobody came." in email.body
    assert "Fix the leak and apologise." in email.body
    submission = OnlineSubmission.objects.get()
    assert submission.acknowledgement_sent_at is not None and submission.acknowledgement_to == ""
    kinds = list(complaint.timeline.values_list("kind", flat=True))
    assert kinds[:1] == ["logged"] and "submitted_online" in kinds and "acknowledgement_emailed" in kinds
    # The receipt is kept in the case's correspondence, with the Message-ID it went with.
    [kept] = complaint.emails.all()
    assert kept.to == "ada@example.org" and kept.subject == email.subject and kept.sent_at is not None
    assert kept.message_id == email.extra_headers["Message-ID"] and kept.body == email.body


def test_asking_for_the_first_time_makes_a_service_request(client, commit):
    pages = [
        ("asked-before", {"asked_before": "no"}),
        ("who", {"who": "me"}),
        ("name", {"first_name": "Ada", "last_name": "Lovelace"}),
        ("contact", {"method": "phone"}),
        ("phone", {"phone": "07700 900982"}),
        ("address", {"line_1": "12 Engine Row", "postcode": "E1 6AN"}),
        ("service", {"service_area": "Responsive Repairs"}),
        ("what-happened", {"description": "The bathroom tap drips."}),
        ("urgent", {"urgent": "none"}),
    ]
    walk(client, pages)
    response, _ = send(client, commit)
    assert response.status_code == 302
    assert Complaint.objects.count() == 0
    request = ServiceRequest.objects.get()
    assert request.channel == Channel.WEB_FORM and request.resident.phone == "07700 900982"
    done = client.get("/complain/sent/").content.decode()
    assert "Request sent" in done and request.reference in done
    assert mail.outbox == []  # no email address given


def test_someone_acting_for_a_resident_is_their_representative(client, commit):
    replace = {
        "who": {"who": "someone_else"},
        "email": {"email": "grace@advice.example"},
        "address": {"line_1": "", "postcode": ""},
    }
    pages = list(COMPLAINT_PAGES)
    pages.insert(2, ("your-details", {"name": "Grace Hopper", "relationship": "Support worker", "agreed": "on"}))
    walk(client, pages, replace)
    send(client, commit)
    complaint = Complaint.objects.get()
    assert complaint.representative.name == "Grace Hopper"
    assert complaint.representative.email == "grace@advice.example"
    assert complaint.resident.email == "" and complaint.home is None
    [email] = mail.outbox
    assert email.to == ["grace@advice.example"] and "Dear Grace Hopper" in email.body
    assert "on behalf of Ada Lovelace" in email.body
    assert "Leak under the sink reported three times." in email.body


def test_sending_twice_makes_one_case(client, commit):
    walk(client)
    first, key = send(client, commit)
    second = client.post("/complain/check-your-answers/", {"submission_key": key})
    assert first["Location"] == second["Location"] == "/complain/sent/"
    assert Complaint.objects.count() == 1 and len(mail.outbox) == 1


def test_the_spam_trap_keeps_nothing(client):
    response = answer(client, "asked-before", {"asked_before": "yes", "website": "http://spam.example"})
    assert response.status_code == 400
    assert b"could not accept" in response.content
    assert client.get("/complain/who/")["Location"] == "/complain/asked-before/"


def test_an_address_sending_too_many_forms_in_an_hour_is_refused(client, settings, commit):
    settings.ONLINE_SUBMISSIONS_PER_HOUR = 2
    for _ in range(2):
        walk(client)
        assert send(client, commit)[0].status_code == 302
    walk(client)
    refused, _ = send(client, commit)
    assert refused.status_code == 429
    assert Complaint.objects.count() == 2
    other = client.__class__(REMOTE_ADDR="192.0.2.7")
    walk(other)
    assert send(other, commit)[0].status_code == 302


def test_a_file_is_checked_like_an_officers_upload_and_attached_when_sent(client, commit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    walk(client)
    fake = SimpleUploadedFile("leak.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post("/complain/evidence/", {"file": fake, "action": "upload"})
    assert refused.status_code == 400
    assert "The selected file is not a real PDF file." in refused.content.decode()
    real = SimpleUploadedFile("leak.pdf", b"%PDF-1.4 a photo of a leak", content_type="application/pdf")
    assert client.post("/complain/evidence/", {"file": real, "action": "upload"}).status_code == 302
    assert "leak.pdf" in client.get("/complain/check-your-answers/").content.decode()
    assert Attachment.objects.count() == 0
    send(client, commit)
    attachment = Attachment.objects.get()
    assert attachment.case_id == Complaint.objects.get().pk and attachment.original_name == "leak.pdf"


def test_nothing_is_written_until_the_form_is_sent(client):
    walk(client)
    assert Resident.objects.count() == 0 and OnlineSubmission.objects.count() == 0


def test_an_urgent_answer_flags_the_complaint_with_its_reason(client, commit):
    walk(client, replace={"urgent": {"urgent": ["homeless_tonight", "domestic_abuse"]}})
    send(client, commit)
    complaint = Complaint.objects.get()
    assert complaint.is_urgent and complaint.urgent_reason == "homeless_tonight"
    flagged = complaint.timeline.get(kind="flag_urgent").summary
    assert "Homeless tonight" in flagged and "domestic abuse" in flagged
