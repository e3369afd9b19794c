"""Email intake against a real IMAP server (dovecot, tests.incoming.dovecot): a complaint by email with its
attachment, a reply threaded onto its case, auto-replies and bounces set aside, a run that dies half-way and
its re-run, a mailbox that cannot be reached or signed in to, and TLS."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from casework.models import Attachment, JobRun, JobRunStatus, Notification
from casework.roles import Role
from complaints.models import Channel, Complaint, ComplaintType
from incoming import services
from incoming.imap import Mailbox
from incoming.models import IncomingEmail, IncomingStatus
from incoming.tasks import fetch_mail as fetch_mail_task
from sla.models import ClockKind
from tests.factories import IssueNatureFactory, ResidentFactory, ServiceAreaFactory, UserFactory, log_complaint
from tests.incoming.messages import JPEG, PDF, RECEIVED, bounce, email

pytestmark = [pytest.mark.mailbox, pytest.mark.django_db]


def test_a_new_complaint_by_email_with_its_attachment(imap_server, officer_client, officer):
    area = ServiceAreaFactory(name="Responsive Repairs")
    nature = IssueNatureFactory(name="Damp and mould", service_area=area)
    uid = imap_server.deliver(email(attachments=[("bedroom-wall.pdf", "application/pdf", PDF)]), received_at=RECEIVED)

    result = services.fetch_mail(imap_server.url())

    assert (result.taken_in, result.threaded, result.set_aside, result.error) == (1, 0, 0, "")
    assert imap_server.unseen() == [], "a stored message is marked read"
    item = IncomingEmail.objects.get()
    assert (item.status, item.uid, item.from_address) == (IncomingStatus.NEW, uid, "jane.resident@example.org")
    assert item.received_at == RECEIVED
    assert "asthma is worse" in item.body
    [stored] = item.attachments.all()
    assert stored.original_name == "bedroom-wall.pdf" and stored.file.read() == PDF

    queue = officer_client.get(reverse("incoming:queue"))
    assert queue.status_code == 200 and "Damp in my bedroom" in queue.content.decode()
    page = officer_client.get(reverse("incoming:make-complaint", args=[item.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["received_on"] == datetime.date(2025, 11, 3)

    response = officer_client.post(
        reverse("incoming:make-complaint", args=[item.pk]),
        {
            "received_on": "2025-11-03",
            "channel": Channel.EMAIL,
            "first_name": "Jane",
            "last_name": "Resident",
            "email": "jane.resident@example.org",
            "service_area": area.pk,
            "issue_nature": nature.pk,
            "complaint_type": ComplaintType.SERVICE_FAILURE,
            "summary": "Damp in my bedroom",
            "description": item.body,
            "outcome_wanted": "Treat the damp and fix its cause.",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    assert (complaint.channel, complaint.received_on) == (Channel.EMAIL, datetime.date(2025, 11, 3))
    # Code 2024 s.6.2: acknowledged within five working days of being received, counted from the day the
    # email arrived (Monday 3 November 2025), not from the day an officer opened it.
    assert complaint.clocks.get(kind=ClockKind.ACKNOWLEDGEMENT).due_on == datetime.date(2025, 11, 10)
    assert complaint.resident.email == "jane.resident@example.org"
    [attachment] = Attachment.objects.filter(case=complaint)
    assert attachment.original_name == "bedroom-wall.pdf" and attachment.file.read() == PDF
    assert attachment.uploaded_by == officer
    item.refresh_from_db()
    assert (item.status, item.case_id) == (IncomingStatus.CONVERTED, complaint.pk)
    assert complaint.timeline.filter(kind="email_received").exists()
    # Made into a case once: a second try is refused with a message, not a second complaint.
    again = officer_client.get(reverse("incoming:make-complaint", args=[item.pk]), follow=True)
    assert "cannot be made a case" in again.content.decode() and Complaint.objects.count() == 1


def test_a_reply_is_threaded_onto_its_case_and_its_officer_told(imap_server, officer, client):
    handler = UserFactory(username="handler", role=Role.COMPLAINTS_OFFICER)
    resident = ResidentFactory(first_name="Jane", last_name="Resident", email="jane.resident@example.org")
    complaint = log_complaint(actor=officer, resident=resident, assigned_to=handler)
    reply = email(
        subject=f"RE: Your complaint {complaint.reference}",
        body="Thank you. The surveyor can come on Thursday.\n\n> Dear Ms Resident ...",
        message_id="<reply-1@mail.example.org>",
        attachments=[("mould.jpg", "image/jpeg", JPEG)],
    )
    # Her daughter answers that reply from her own address: In-Reply-To names an email already on the case.
    daughter = email(
        sender="Sam Resident <sam@example.net>",
        subject="Re: RE: Your complaint",
        body="I will be there too.",
        in_reply_to="<reply-1@mail.example.org>",
        references="<reply-1@mail.example.org>",
        message_id="<reply-2@mail.example.net>",
    )
    # Anyone else quoting the reference is not put on the case by itself: an officer decides.
    stranger = email(
        sender="someone@elsewhere.example",
        subject=f"About {complaint.reference}",
        body="I have information.",
        message_id="<stranger@elsewhere.example>",
    )
    for message in (reply, daughter, stranger):
        imap_server.deliver(message, received_at=RECEIVED)

    result = services.fetch_mail(imap_server.url())

    assert (result.taken_in, result.threaded) == (3, 2)
    first, second, third = IncomingEmail.objects.order_by("uid")
    assert (first.status, first.case_id) == (IncomingStatus.THREADED, complaint.pk)
    assert (second.status, second.case_id) == (IncomingStatus.THREADED, complaint.pk)
    assert (third.status, third.case_id, third.mentioned_reference) == (IncomingStatus.NEW, None, complaint.reference)
    events = complaint.timeline.filter(kind="email_received").order_by("id")
    assert [e.data["incoming_email"] for e in events] == [first.pk, second.pk]
    assert "surveyor can come on Thursday" in events[0].data["excerpt"]
    [photo] = Attachment.objects.filter(case=complaint)
    assert photo.original_name == "mould.jpg" and photo.file.read() == JPEG
    told = Notification.objects.filter(recipient=handler, kind="email_received", case=complaint)
    assert told.count() == 2 and "Jane Resident" in told.first().subject + told.last().subject
    # The reply is on the case page, in the timeline, for the case's officer.
    client.force_login(handler)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "surveyor can come on Thursday" in page


def test_auto_replies_and_bounces_are_set_aside(imap_server, officer):
    complaint = log_complaint(
        actor=officer, resident=ResidentFactory(email="jane.resident@example.org"), assigned_to=officer
    )
    subject = f"Automatic reply: Your complaint {complaint.reference}"
    machines = [
        email(subject=subject, headers={"Auto-Submitted": "auto-replied"}, message_id="<ooo-1@example.org>"),
        email(subject=subject, headers={"X-Autoreply": "yes"}, message_id="<ooo-2@example.org>"),
        email(subject="Newsletter", headers={"Precedence": "bulk"}, message_id="<news@example.org>"),
        bounce(original_subject=f"Your complaint {complaint.reference}"),
    ]
    for message in machines:
        imap_server.deliver(message, received_at=RECEIVED)
    imap_server.deliver(email(subject="A person wrote this", message_id="<person@example.org>"))

    result = services.fetch_mail(imap_server.url())

    assert (result.taken_in, result.set_aside, result.threaded) == (5, 4, 0)
    set_aside = IncomingEmail.objects.filter(status=IncomingStatus.SET_ASIDE)
    assert sorted(set_aside.values_list("message_id", flat=True)) == sorted(
        ["<ooo-1@example.org>", "<ooo-2@example.org>", "<news@example.org>", "<bounce-1@mx.council.example>"]
    )
    reasons = " ".join(set_aside.values_list("set_aside_reason", flat=True))
    assert "Auto-Submitted" in reasons and "Delivery report" in reasons and "Precedence: bulk" in reasons
    assert not complaint.timeline.filter(kind="email_received").exists(), "an out-of-office is not a reply"
    assert not Notification.objects.filter(kind="email_received").exists()
    assert IncomingEmail.objects.get(status=IncomingStatus.NEW).subject == "A person wrote this"
    assert imap_server.unseen() == []


class Killed(BaseException):
    """Stands for the worker dying: not an Exception, so nothing in the run catches it."""


def test_a_run_killed_half_way_loses_nothing_and_its_re_run_duplicates_nothing(imap_server, monkeypatch):
    messages = [email(subject=f"Complaint {n}", message_id=f"<m{n}@example.org>") for n in range(1, 7)]
    uids = [imap_server.deliver(message, received_at=RECEIVED) for message in messages]
    marked = []
    mark_seen = Mailbox.mark_seen

    def dies_after_storing_the_third(self, uid):
        if len(marked) == 2:
            raise Killed  # the third is stored, and the run dies before marking it read
        marked.append(uid)
        mark_seen(self, uid)

    monkeypatch.setattr(Mailbox, "mark_seen", dies_after_storing_the_third)
    with pytest.raises(Killed):
        services.fetch_mail(imap_server.url())
    monkeypatch.setattr(Mailbox, "mark_seen", mark_seen)

    assert sorted(IncomingEmail.objects.values_list("uid", flat=True)) == uids[:3]
    assert imap_server.unseen() == uids[2:], "the third was stored but not marked read"

    result = services.fetch_mail(imap_server.url())

    assert (result.taken_in, result.already_stored, result.duplicates) == (3, 1, 0)
    assert sorted(IncomingEmail.objects.values_list("message_id", flat=True)) == sorted(
        f"<m{n}@example.org>" for n in range(1, 7)
    )
    assert imap_server.unseen() == []
    # A third run finds nothing new; the same message delivered again (a copy, a forward rule) is not stored twice.
    again = services.fetch_mail(imap_server.url())
    assert (again.taken_in, again.already_stored) == (0, 0)
    imap_server.deliver(messages[0])
    copied = services.fetch_mail(imap_server.url())
    assert (copied.taken_in, copied.duplicates) == (0, 1) and IncomingEmail.objects.count() == 6
    assert imap_server.unseen() == []


def test_a_message_marked_read_in_a_mail_program_is_still_taken_in(imap_server):
    imap_server.deliver(email(message_id="<first@example.org>"))
    services.fetch_mail(imap_server.url())
    imap_server.deliver(email(subject="Read by someone", message_id="<read@example.org>"), flags="(\\Seen)")

    result = services.fetch_mail(imap_server.url())

    assert result.taken_in == 1 and IncomingEmail.objects.filter(message_id="<read@example.org>").exists()


def test_the_beat_task_and_the_command_record_the_run(imap_server, settings):
    settings.MAILBOX_URL = imap_server.url()
    imap_server.deliver(email(message_id="<one@example.org>"))

    assert "1 taken in" in fetch_mail_task.delay().get()
    call_command("fetch_mail")

    runs = JobRun.objects.order_by("id")
    assert [(r.job, r.status) for r in runs] == [
        ("fetch_mail", JobRunStatus.SUCCEEDED),
        ("fetch_mail (by hand)", JobRunStatus.SUCCEEDED),
    ]
    assert "1 taken in" in runs[0].summary and "0 taken in" in runs[1].summary
    assert imap_server.url().split("@")[0].split(":")[-1] not in runs[0].summary, "never the password"


def test_a_mailbox_that_cannot_be_reached_or_signed_in_to_is_reported_not_a_crash(imap_server, settings):
    settings.MAILBOX_URL = imap_server.url(password="wrong")
    assert "Could not sign in" in fetch_mail_task.delay().get()
    run = JobRun.objects.get()
    assert run.status == JobRunStatus.FAILED and run.error.startswith("Could not sign in to imap://complaints@")
    assert "wrong" not in run.error and "Traceback" not in run.error

    imap_server.stop()  # nothing listens on its port any more
    settings.MAILBOX_URL = imap_server.url()
    with pytest.raises(CommandError, match=r"Could not connect to .*connection refused"):
        call_command("fetch_mail")
    assert JobRun.objects.filter(status=JobRunStatus.FAILED).count() == 2


def test_a_message_that_cannot_be_stored_stays_unread_and_fails_the_run(imap_server, monkeypatch):
    from django.db import OperationalError

    uid = imap_server.deliver(email(message_id="<later@example.org>"))

    def database_down(*args, **kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr(services, "_store", database_down)
    failed = services.fetch_mail(imap_server.url())
    assert (failed.taken_in, failed.failed) == (0, 1)
    assert f"Could not store UID {uid}: OperationalError" in failed.error
    assert imap_server.unseen() == [uid]

    monkeypatch.undo()
    assert services.fetch_mail(imap_server.url()).taken_in == 1


def test_a_folder_that_does_not_exist_is_reported(imap_server):
    result = services.fetch_mail(imap_server.url("No such folder"))
    assert "Could not open the folder 'No such folder'" in result.error and result.taken_in == 0


def test_tls_with_the_councils_own_certificate_authority(tls_server, settings):
    tls_server.deliver(email(message_id="<tls@example.org>"))
    unverified = services.fetch_mail(tls_server.url())
    assert "certificate could not be verified" in unverified.error

    settings.MAILBOX_CA_FILE = str(tls_server.certificate)
    result = services.fetch_mail(tls_server.url())

    assert (result.taken_in, result.error) == (1, "")


def test_one_run_at_a_time_reads_a_mailbox(imap_server, postgresql_only):
    import psycopg

    from incoming.imap import parse_mailbox_url
    from tests.workers import database_url

    imap_server.deliver(email(message_id="<locked@example.org>"))
    key = services._advisory_key(services.mailbox_key(parse_mailbox_url(imap_server.url())))
    with psycopg.connect(database_url("other-run"), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [key])
        skipped = services.fetch_mail(imap_server.url())
        assert skipped.skipped and "another run is reading this mailbox" in str(skipped)
        assert skipped.taken_in == 0 and imap_server.unseen() != []
    assert services.fetch_mail(imap_server.url()).taken_in == 1
