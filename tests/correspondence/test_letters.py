"""Letters as documents: drawn as PDFs from the administrators' templates, stored on the case, emailed, in
large print when the resident needs it, and stopped or emailed only by a contact restriction."""

import datetime
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from casework.errors import NotAllowed
from casework.models import Attachment, TimelineEvent
from complaints import letters
from complaints import services as complaint_services
from complaints.models import LettersRule
from correspondence import services
from correspondence.models import Letter, OutboundEmail
from tests.factories import PropertyFactory, ResidentFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def words(text):
    """The PDF's text with its line breaks undone, so a sentence wrapped over two lines reads whole."""
    return " ".join(text.split())


@pytest.fixture
def resident():
    home = PropertyFactory(address_line_1="12 Acacia Avenue", town="Exampleton", postcode="EX1 2AB")
    return ResidentFactory(first_name="Alice", last_name="Brown", email="alice.brown@example.org", home=home)


@pytest.fixture
def complaint(resident, officer):
    return complaint_services.acknowledge(
        log_complaint(received_on=D("2025-04-17"), resident=resident, assigned_to=officer),
        on=D("2025-04-22"),
        actor=officer,
    )


def send(complaint, officer, kind="acknowledgement", text=None):
    return services.send_letter(
        complaint,
        kind=kind,
        title=letters.LETTERS[kind],
        text=text if text is not None else letters.draft(complaint, kind),
        actor=officer,
    )


def test_a_letter_is_drawn_as_a_pdf_stored_on_the_case_and_emailed(
    complaint, officer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.COUNCIL_NAME = "Exampleton Borough Council"
    settings.COUNCIL_ADDRESS = "Civic Centre, Market Square, Exampleton EX1 1AA"
    text = letters.draft(complaint, "acknowledgement")
    edited = text.replace("If we have misunderstood anything", "If we have got anything wrong")

    with django_capture_on_commit_callbacks(execute=True):
        letter = send(complaint, officer, text=edited)

    # Stored on the case as an attachment, through the default storage, with its history entry.
    attachment = Attachment.objects.get(case=complaint)
    assert letter.document == attachment and attachment.content_type == "application/pdf"
    assert attachment.original_name == f"{complaint.reference}-acknowledgement.pdf"
    stored = attachment.file.read()
    assert stored.startswith(b"%PDF-")
    event = TimelineEvent.objects.get(case=complaint, kind="letter_sent")
    assert event.summary == "Acknowledgement letter to Alice Brown, posted and emailed."
    assert event.data["attachment_id"] == attachment.pk

    # Its words, read back out of the PDF: the letterhead, the address block, the officer's edit.
    found = words(pdf_text(stored))
    assert "Exampleton Borough Council" in found and "Civic Centre" in found and "Market Square" in found
    assert "Alice Brown 12 Acacia Avenue Exampleton EX1 2AB" in found
    assert f"Our reference: {complaint.reference}" in found
    assert "Dear Alice Brown," in found
    assert "If we have got anything wrong, please tell us as soon as possible." in found
    assert "If we have misunderstood anything" not in found
    assert "Housing Ombudsman Service" in found and "0300 111 3000" in found

    # Emailed, with the PDF attached, and recorded as sent with its Message-ID.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice.brown@example.org"]
    assert message.subject == f"Acknowledgement: {complaint.reference}"
    assert "If we have got anything wrong" in message.body
    assert message.attachments[0][0] == f"{complaint.reference}-acknowledgement.pdf"
    email = OutboundEmail.objects.get(case=complaint)
    assert email.sent_at is not None and email.letter == letter
    assert message.extra_headers["Message-ID"] == email.message_id
    assert TimelineEvent.objects.get(case=complaint, kind="email_sent").data["message_id"] == email.message_id

    # Sent once: delivering again does nothing.
    assert services.deliver_email(email.pk) is False
    assert len(mail.outbox) == 1


def body_point_sizes(data, words_of_the_body):
    """The point sizes the PDF draws a line of the letter's body in (Tf size times the page's scale)."""
    sizes = set()

    def visit(text, cm, tm, font, size):
        if words_of_the_body in text:
            sizes.add(round(size * cm[0] * tm[0], 1))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_a_resident_who_needs_large_print_gets_it(complaint, resident, officer):
    standard = send(complaint, officer)
    assert not standard.large_print
    assert body_point_sizes(standard.document.file.read(), "Thank you for contacting us") == {11.0}

    resident.reasonable_adjustments = "Partially sighted: needs letters in large print."
    resident.save()
    letter = send(complaint, officer)
    assert letter.large_print
    assert letter.document.original_name == f"{complaint.reference}-acknowledgement-large-print.pdf"
    large = letter.document.file.read()
    # The RNIB's Clear Print guidance: large print is 16 point or more.
    assert body_point_sizes(large, "Thank you for contacting us") == {16.0}
    assert "Dear Alice Brown," in words(pdf_text(large))
    assert (
        TimelineEvent.objects.filter(case=complaint, kind="letter_sent")
        .order_by("id")
        .last()
        .summary.startswith("Acknowledgement letter in large print to Alice Brown")
    )


def test_do_not_write_refuses_the_letter_with_the_reason(complaint, resident, officer):
    complaint_services.add_contact_restriction(
        resident,
        restriction="No written contact while the police investigate",
        reason="Threats in letters",
        review_on=datetime.date.today() + datetime.timedelta(days=90),
        actor=officer,
        letters=LettersRule.NO_LETTERS,
    )
    with pytest.raises(NotAllowed) as refused:
        send(complaint, officer)
    assert "No letter may be sent" in refused.value.message
    assert "No written contact while the police investigate" in refused.value.message
    assert not Letter.objects.exists() and not Attachment.objects.exists() and not OutboundEmail.objects.exists()


def test_do_not_write_to_the_address_emails_only(complaint, resident, officer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    complaint_services.add_contact_restriction(
        resident,
        restriction="Do not write to the home address",
        reason="Letters opened by an ex-partner",
        review_on=datetime.date.today() + datetime.timedelta(days=90),
        actor=officer,
        letters=LettersRule.EMAIL_ONLY,
    )
    letter = send(complaint, officer)
    assert not letter.posted and letter.address == "" and letter.email == "alice.brown@example.org"
    assert "12 Acacia Avenue" not in words(pdf_text(letter.document.file.read()))
    assert "Emailed only, not posted" in TimelineEvent.objects.get(case=complaint, kind="letter_sent").summary

    resident.email = ""
    resident.save()
    with pytest.raises(NotAllowed) as refused:
        send(complaint, officer)
    assert "only to email, and there is no email address" in refused.value.message


def test_a_letter_goes_to_the_representative_when_there_is_one(resident, officer):
    from casework.services import add_representative

    representative = add_representative(resident, name="Dev Patel", relationship="advocate", email="dev@advice.example")
    representative.address = "Citizens Advice\n1 High Street\nExampleton EX1 3CD"
    representative.save()
    complaint = log_complaint(resident=resident, representative=representative, assigned_to=officer)
    letter = send(complaint, officer)
    found = words(pdf_text(letter.document.file.read()))
    assert "Dev Patel Citizens Advice 1 High Street Exampleton EX1 3CD" in found
    assert "Dear Dev Patel," in found
    assert letter.email == "dev@advice.example"


def test_an_empty_letter_is_refused(complaint, officer):
    from casework.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        send(complaint, officer, text="   \n")
    assert "The letter has no words" in str(refused.value)


def test_an_unsent_email_is_sent_by_the_job(complaint, officer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send(complaint, officer)  # the on-commit delivery never runs inside the test's transaction
    assert OutboundEmail.objects.get().sent_at is None
    assert services.run_email_delivery() == "1 letters' emails sent"
    assert len(mail.outbox) == 1 and OutboundEmail.objects.get().sent_at is not None


def test_every_seeded_template_drafts_a_letter(complaint, officer):
    complaint_services.respond(
        complaint,
        actor=officer,
        on=D("2025-05-06"),
        summary="Sorry",
        points=[complaint_services.Point("Leak not fixed", "upheld", "Three visits were missed.")],
    )
    for kind in letters.LETTERS:
        text = letters.draft(complaint, kind)
        assert text.startswith("Dear Alice Brown,"), kind
        assert "Housing Ombudsman Service" in text and "{%" not in text and "{{" not in text, kind
    response = letters.draft(complaint, "response")
    assert "- Leak not fixed: upheld. Three visits were missed." in response
    assert "ask us to escalate your complaint to stage 2" in response


def test_the_retention_schedule_removes_a_letters_personal_data(complaint, officer):
    from datetime import timedelta

    from django.utils import timezone

    from casework.models import Case
    from casework.retention import apply_retention

    letter = send(complaint, officer)
    complaint_services.respond(
        complaint,
        actor=officer,
        on=D("2025-04-29"),
        summary="Sorry",
        points=[complaint_services.Point("Leak", "upheld")],
    )
    complaint_services.close(complaint, actor=officer)
    Case.objects.filter(pk=complaint.pk).update(closed_at=timezone.now() - timedelta(days=int(365.25 * 7)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda function: function())
        assert apply_retention(dry_run=False).cases == 1
    letter.refresh_from_db()
    assert "Alice" not in letter.body and letter.addressee == "" and letter.address == "" and letter.email == ""
    assert letter.document is None  # the PDF went with the case's attachments
    email = OutboundEmail.objects.get(case=complaint)
    assert email.to == "" and "Alice" not in email.body


def test_a_residents_reply_to_a_letters_email_is_threaded_onto_its_case(complaint, officer):
    from incoming import services as intake
    from incoming.models import IncomingStatus
    from tests.incoming.messages import RECEIVED, email

    sent = OutboundEmail.objects.get(letter=send(complaint, officer))
    # From an address the case does not know, with no reference in the subject: the header alone threads it.
    reply = email(sender="A Brown <a.brown@other.example>", subject="Re: your letter", in_reply_to=sent.message_id)
    item, _ = intake.take_in(reply.as_bytes(), received_at=RECEIVED)
    assert (item.status, item.case_id) == (IncomingStatus.THREADED, complaint.pk)
