"""Taking one message in (incoming.services.take_in), whatever it holds: what cannot be read is said, nothing is
lost, nothing raises. And the Incoming pages: who may use them, and bad input answered with a message."""

import pytest
from django.urls import reverse

from casework.roles import Role
from incoming import services
from incoming.imap import MailboxUnavailable, parse_mailbox_url
from incoming.models import IncomingEmail, IncomingStatus
from tests.factories import ResidentFactory, UserFactory, log_complaint
from tests.incoming.messages import PDF, RECEIVED, email

pytestmark = pytest.mark.django_db


def take(message, **where):
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return services.take_in(raw, received_at=RECEIVED, **where)


def test_a_message_is_taken_in_once_by_its_message_id():
    first, created = take(email(message_id="<same@example.org>"))
    again, created_again = take(email(message_id="<same@example.org>", body="Sent twice."))
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert IncomingEmail.objects.count() == 1


def test_a_message_without_a_message_id_gets_one_from_its_bytes():
    message = email(message_id=False)
    item, _ = take(message)
    assert item.message_id.endswith("@no-message-id.casework>")
    assert take(message)[1] is False, "the same bytes, the same id: not taken in twice"


def test_a_malformed_email_is_kept_with_what_could_be_read():
    raw = b"From: =?utf-8?q?broken\r\nSubject: =?x-unknown?b?????\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\xff\xfe"
    item, created = take(raw)
    assert created and item.status == IncomingStatus.NEW
    assert item.problem_lines, "what could not be read is said"
    assert item.raw.read() == raw, "the original is kept"


def test_text_in_an_unknown_character_set_is_shown_with_a_note():
    raw = (
        b"From: jane@example.org\r\nSubject: Leak\r\nMessage-ID: <cs@example.org>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-klingon\r\n\r\nThe leak is back \xe9\r\n"
    )
    item, _ = take(raw)
    assert "The leak is back" in item.body
    assert "character set this product does not know (x-klingon)" in item.problems


def test_an_html_only_email_is_read_as_text_without_its_markup():
    message = email(body="placeholder")
    message.set_content("<p>The <b>boiler</b> is broken</p><script>alert(1)</script>", subtype="html")
    item, _ = take(message)
    assert "boiler" in item.body and "<b>" not in item.body and "alert" not in item.body


def test_a_huge_attachment_and_a_program_are_refused_with_a_reason(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    item, _ = take(
        email(
            attachments=[
                ("video.pdf", "application/pdf", PDF + b"0" * 4096),
                ("invoice.exe", "application/octet-stream", b"MZ\x90\x00"),
                ("letter.pdf", "application/pdf", PDF),
            ]
        )
    )
    huge, program, letter = item.attachments.order_by("id")
    assert not huge.file and "4.1 KB is more than the 1.0 KB a case's file may be" in huge.refused_reason
    assert "Ask the sender to send it another way" in huge.refused_reason
    assert not program.file and program.refused_reason.startswith("Not kept: This file must be one of")
    assert letter.file.read() == PDF and not letter.refused


def test_a_message_over_the_size_kept_keeps_its_text_not_its_original(settings):
    settings.MAILBOX_MAX_MESSAGE_BYTES = 100
    item, _ = take(email())
    assert not item.raw and "its text and the attachments accepted are kept" in item.problems
    assert "asthma" in item.body


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example/INBOX", "must start with imaps://"),
        ("imaps://mail.example/INBOX", "must name the server and the user"),
        ("imaps://user:pw@mail.example:notaport/", "not a valid address"),
    ],
)
def test_a_mailbox_url_that_is_wrong_says_so(url, message):
    with pytest.raises(MailboxUnavailable, match=message):
        parse_mailbox_url(url)
    assert message in services.fetch_mail(url).error


def test_the_mailbox_url_keeps_an_encoded_password_and_folder():
    address = parse_mailbox_url(
        "imaps://complaints%40council.example:p%40ss%2Fword@mail.council.example/Complaints%20In"
    )
    assert (address.user, address.password, address.folder, address.port) == (
        "complaints@council.example",
        "p@ss/word",
        "Complaints In",
        993,
    )
    assert "p@ss" not in str(address)


def test_no_mailbox_url_reads_nothing(settings):
    settings.MAILBOX_URL = ""
    assert "MAILBOX_URL is not set" in str(services.fetch_mail())


# --- Pages --------------------------------------------------------------------------------------------


def test_only_officers_who_see_every_case_see_the_mailbox(client):
    item, _ = take(email())
    client.force_login(UserFactory(username="investigator", role=Role.INVESTIGATING_OFFICER))
    assert client.get(reverse("incoming:queue")).status_code == 403
    assert client.get(reverse("incoming:item", args=[item.pk])).status_code == 403


def test_the_item_page_shows_the_email_escaped_and_its_files(officer_client):
    item, _ = take(email(subject="<script>alert(1)</script>", attachments=[("letter.pdf", "application/pdf", PDF)]))
    page = officer_client.get(reverse("incoming:item", args=[item.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    stored = item.attachments.get()
    download = officer_client.get(reverse("incoming:attachment", args=[item.pk, stored.pk]))
    assert download["Content-Disposition"].startswith("attachment") and b"".join(download.streaming_content) == PDF
    original = officer_client.get(reverse("incoming:original", args=[item.pk]))
    assert original["Content-Type"] == "message/rfc822"


def test_set_aside_needs_a_reason_and_can_be_undone(officer_client, officer):
    item, _ = take(email())
    refused = officer_client.post(reverse("incoming:set-aside", args=[item.pk]), {"reason": " "}, follow=True)
    assert "Say why the email needs no action" in refused.content.decode()
    officer_client.post(reverse("incoming:set-aside", args=[item.pk]), {"reason": "Spam"})
    item.refresh_from_db()
    assert (item.status, item.set_aside_reason, item.handled_by) == (IncomingStatus.SET_ASIDE, "Spam", officer)
    officer_client.post(reverse("incoming:return", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == IncomingStatus.NEW


def test_filing_on_a_case(officer_client, officer):
    complaint = log_complaint(actor=officer, resident=ResidentFactory(), assigned_to=officer)
    item, _ = take(email(subject="More about my leak", attachments=[("letter.pdf", "application/pdf", PDF)]))

    unknown = officer_client.post(reverse("incoming:file-on-case", args=[item.pk]), {"reference": "CMP-1999-000001"})
    assert unknown.status_code == 302
    assert "No case CMP-1999-000001 that you can see" in officer_client.get(unknown["Location"]).content.decode()

    filed = officer_client.post(
        reverse("incoming:file-on-case", args=[item.pk]), {"reference": complaint.reference.lower()}
    )
    assert filed["Location"] == complaint.get_absolute_url()
    item.refresh_from_db()
    assert (item.status, item.case_id) == (IncomingStatus.FILED, complaint.pk)
    assert complaint.attachments.get().uploaded_by == officer
    again = officer_client.post(reverse("incoming:file-on-case", args=[item.pk]), {"reference": complaint.reference})
    assert f"already on {complaint.reference}" in officer_client.get(again["Location"]).content.decode()
    assert complaint.attachments.count() == 1


def test_a_complaint_form_with_mistakes_is_answered_with_them(officer_client):
    item, _ = take(email())
    response = officer_client.post(reverse("incoming:make-complaint", args=[item.pk]), {"received_on": "2025-11-03"})
    assert response.status_code == 400
    assert "Choose the service area" in response.content.decode()
    item.refresh_from_db()
    assert item.status == IncomingStatus.NEW


def test_a_service_request_from_an_email(officer_client):
    from tests.factories import ServiceAreaFactory

    area = ServiceAreaFactory(name="Responsive Repairs")
    item, _ = take(email(subject="Fwd: Broken gate", attachments=[("gate.pdf", "application/pdf", PDF)]))
    page = officer_client.get(reverse("incoming:make-service-request", args=[item.pk]))
    assert page.context["form"].initial["summary"] == "Broken gate"
    response = officer_client.post(
        reverse("incoming:make-service-request", args=[item.pk]),
        {
            "received_on": "2025-11-03",
            "channel": "email",
            "first_name": "Jane",
            "last_name": "Resident",
            "service_area": area.pk,
            "summary": "Broken gate",
            "description": "The gate is broken.",
        },
    )
    item.refresh_from_db()
    assert response.status_code == 302 and item.status == IncomingStatus.CONVERTED
    assert item.case.attachments.count() == 1 and item.case.kind == "service_request"


def test_the_schedule_and_the_job_are_registered(settings):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    from casework.schedules import install_default_schedules

    install_default_schedules()
    task = PeriodicTask.objects.get(name="Email intake")
    assert (task.task, task.crontab.minute) == ("incoming.tasks.fetch_mail", "*/2")
    settings.MAILBOX_URL = ""
    from io import StringIO

    out = StringIO()
    call_command("run_sweep", "fetch-mail", stdout=out)
    assert "MAILBOX_URL is not set" in out.getvalue()


def test_a_members_enquiry_from_a_councillors_email(officer_client):
    from enquiries.models import Enquiry
    from tests.factories import ServiceAreaFactory, make_office

    _, member = make_office("Office of Cllr Patel", "Cllr Priya Patel", member_type="councillor")
    member.email = "cllr.patel@council.example"
    member.save(update_fields=["email"])
    area = ServiceAreaFactory(name="Responsive Repairs")
    item, _ = take(
        email(sender="Cllr Priya Patel <Cllr.Patel@council.example>", subject="Re: Mr Khan's roof",
              attachments=[("roof.pdf", "application/pdf", PDF)])
    )  # fmt: skip
    page = officer_client.get(reverse("incoming:make-enquiry", args=[item.pk]))
    assert page.context["form"].initial["member"] == member.pk, "the sender's address finds the member"

    response = officer_client.post(
        reverse("incoming:make-enquiry", args=[item.pk]),
        {
            "submission_key": page.context["form"].initial["submission_key"],
            "member": member.pk,
            "enquiry_type": "service_request",
            "service_area": area.pk,
            "first_name": "Imran",
            "last_name": "Khan",
            "address": "3 Canal Street",
            "postcode": "EX1 2AB",
            "consent_to_share": "yes",
            "description": item.body,
        },
    )

    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == enquiry.get_absolute_url()
    assert enquiry.received_on.isoformat() == "2025-11-03" and enquiry.summary == "Mr Khan's roof"
    assert enquiry.attachments.get().original_name == "roof.pdf"
    item.refresh_from_db()
    assert (item.status, item.case_id) == (IncomingStatus.CONVERTED, enquiry.pk)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-generated"}, "Automatic reply (Auto-Submitted: auto-generated)."),
        ({"Auto-Submitted": "no"}, ""),
        ({"X-Autorespond": "1"}, "Automatic reply (X-Autorespond)."),
        ({"Precedence": "auto_reply"}, "Automatic or bulk message (Precedence: auto_reply)."),
        ({"Precedence": "list"}, "Automatic or bulk message (Precedence: list)."),
        ({"Return-Path": "<>"}, "Delivery report (empty return path)."),
        ({}, ""),
    ],
)
def test_what_is_set_aside(headers, reason):
    item, _ = take(email(headers=headers))
    assert item.set_aside_reason == reason
    assert item.status == (IncomingStatus.SET_ASIDE if reason else IncomingStatus.NEW)


def test_a_bounce_from_the_mailer_daemon_is_set_aside():
    item, _ = take(email(sender="Mail Delivery Subsystem <mailer-daemon@googlemail.com>", subject="Delivery failed"))
    assert item.status == IncomingStatus.SET_ASIDE and "mailer-daemon@googlemail.com" in item.set_aside_reason


def test_a_members_reply_quoting_their_enquiry_is_threaded_onto_it(officer):
    from tests.factories import make_office, submit_enquiry

    _, member = make_office()
    member.email = "sarah.ahmed.mp@parliament.example"
    member.save(update_fields=["email"])
    enquiry = submit_enquiry(member)
    item, _ = take(
        email(sender="Sarah Ahmed MP <sarah.ahmed.mp@parliament.example>", subject=f"Re: {enquiry.reference}")
    )
    assert (item.status, item.case_id) == (IncomingStatus.THREADED, enquiry.pk)


def test_the_retention_schedule_removes_a_cases_emails_and_their_files(officer):
    from django.core.files.storage import default_storage

    from casework.retention import apply_retention
    from tests.security.test_personal_data import closed_complaint

    old = closed_complaint(officer, ResidentFactory(), 7)
    item, _ = take(email(subject="My leak", attachments=[("leak.pdf", "application/pdf", PDF)]))
    services.file_on_case(item, old, actor=officer)
    stored = [item.raw.name, item.attachments.get().file.name]
    assert all(default_storage.exists(name) for name in stored)

    with pytest.MonkeyPatch.context() as patch:
        # Files go after the transaction commits; the test's transaction never commits.
        patch.setattr("django.db.transaction.on_commit", lambda function: function())
        assert apply_retention(dry_run=False).cases == 1

    item.refresh_from_db()
    assert (item.body, item.from_address, item.raw.name) == ("", "", "")
    assert "My leak" not in item.subject and item.attachments.get().file.name == ""
    assert not any(default_storage.exists(name) for name in stored)


def test_the_subject_access_export_has_the_emails_on_the_residents_cases(client, officer):
    from tests.security.test_personal_data import sheets_of

    resident = ResidentFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    complaint = log_complaint(actor=officer, resident=resident)
    item, _ = take(email(sender="Ada <ada@example.org>", subject=f"Re: {complaint.reference}", body="Thank you."))
    assert item.case_id == complaint.pk
    take(email(sender="someone@else.example", subject="Not about Ada", body="Other"))

    client.force_login(UserFactory(username="sar.admin", role=Role.ADMINISTRATOR))
    rows = sheets_of(client.get(f"/residents/{resident.pk}/subject-access/").content)["Emails received"]
    assert rows[0] == ["Reference", "Received", "From", "Subject", "Text", "Files"]
    assert [row[0] for row in rows[1:]] == [complaint.reference] and rows[1][4] == "Thank you."


def test_opening_an_email_on_a_case_is_in_the_access_log(officer_client, officer):
    from casework.models import CaseAccess

    complaint = log_complaint(actor=officer, resident=ResidentFactory())
    item, _ = take(email())
    services.file_on_case(item, complaint, actor=officer)
    officer_client.get(reverse("incoming:item", args=[item.pk]))
    assert CaseAccess.objects.filter(user=officer, case=complaint).exists()
