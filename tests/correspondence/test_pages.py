"""Letters through the pages and the API: the officer's edits are what is sent, administrators edit the
templates with a preview and a history, and a template with a mistake is refused with its line, never a 500."""

import datetime
import html
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from casework.models import Attachment
from complaints import services as complaint_services
from complaints.models import LettersRule
from correspondence.models import LetterTemplate, OutboundEmail
from tests.factories import PropertyFactory, ResidentFactory, api_token, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def words(data):
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def complaint(officer):
    home = PropertyFactory(address_line_1="4 Mill Lane", town="Exampleton", postcode="EX2 9ZZ")
    resident = ResidentFactory(first_name="Sam", last_name="Okafor", email="sam@example.org", home=home)
    return complaint_services.acknowledge(
        log_complaint(received_on=D("2025-04-17"), resident=resident, assigned_to=officer),
        on=D("2025-04-22"),
        actor=officer,
    )


def letter_url(complaint, kind="acknowledgement"):
    return f"/complaints/{complaint.reference}/letters/{kind}/"


def test_the_officers_edits_are_what_is_downloaded_previewed_and_sent(
    officer_client, complaint, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = officer_client.get(letter_url(complaint)).content.decode()
    assert "To Sam Okafor: posted and emailed, to 4 Mill Lane, Exampleton, EX2 9ZZ; emailed to sam@example.org." in page
    edited = "Dear Sam Okafor,\n\nWe have your complaint about the leak and will call you on Monday.\n"

    download = officer_client.post(letter_url(complaint), {"text": edited, "action": "download"})
    assert download["Content-Disposition"] == f'attachment; filename="{complaint.reference}-acknowledgement.txt"'
    assert download.content.decode() == edited

    preview = officer_client.post(letter_url(complaint), {"text": edited, "action": "preview"})
    assert preview["Content-Type"] == "application/pdf"
    assert "will call you on Monday" in words(preview.content)
    assert not Attachment.objects.exists()  # a preview is not stored

    with django_capture_on_commit_callbacks(execute=True):
        sent = officer_client.post(letter_url(complaint), {"text": edited, "action": "send"})
    assert sent.status_code == 302 and sent["Location"] == complaint.get_absolute_url()
    stored = Attachment.objects.get(case=complaint)
    stored_words = words(stored.file.read())
    assert "will call you on Monday" in stored_words and "Thank you for contacting us" not in stored_words
    assert "will call you on Monday" in mail.outbox[0].body

    case_page = officer_client.get(complaint.get_absolute_url()).content.decode()
    assert "Correspondence" in case_page and stored.original_name in case_page
    assert OutboundEmail.objects.get().message_id in case_page.replace("&lt;", "<").replace("&gt;", ">")


def test_the_letter_page_says_why_a_letter_cannot_be_sent(officer_client, officer, complaint):
    complaint_services.add_contact_restriction(
        complaint.resident,
        restriction="No letters while the injunction stands",
        reason="Harassment of staff",
        review_on=datetime.date.today() + datetime.timedelta(days=60),
        actor=officer,
        letters=LettersRule.NO_LETTERS,
    )
    page = officer_client.get(letter_url(complaint)).content.decode()
    assert "No letter may be sent" in page and "Send the letter" not in page
    refused = officer_client.post(letter_url(complaint), {"text": "Dear Sam,\n\nHello.", "action": "send"})
    assert refused.status_code == 409
    assert "No letters while the injunction stands" in refused.content.decode()
    assert not Attachment.objects.exists()


def test_an_empty_letter_is_refused_on_the_page(officer_client, complaint):
    response = officer_client.post(letter_url(complaint), {"text": "", "action": "send"})
    assert response.status_code == 400
    assert "The letter has no words" in response.content.decode()


def test_the_case_correspondence_is_in_the_api(complaint, officer, settings, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    from complaints import letters
    from correspondence import services

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.send_letter(
            complaint,
            kind="acknowledgement",
            title="Acknowledgement",
            text=letters.draft(complaint, "acknowledgement"),
            actor=officer,
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    emails = client.get(f"/api/v1/complaints/{complaint.reference}/correspondence/").json()
    assert emails["count"] == 1
    email = emails["results"][0]
    assert email["to"] == "sam@example.org" and email["sent_at"] and email["message_id"].startswith("<letter-")
    sent = client.get(f"/api/v1/complaints/{complaint.reference}/sent-letters/").json()["results"][0]
    assert sent["delivery"] == "Posted and emailed" and sent["emails"] == [email["id"]]
    assert sent["address"] == "4 Mill Lane\nExampleton\nEX2 9ZZ"
    assert sent["document"] == f"http://testserver/attachments/{Attachment.objects.get().pk}/"
    assert client.post(f"/api/v1/complaints/{complaint.reference}/correspondence/").status_code == 405


# --- Templates ---------------------------------------------------------------------------------------


def template_url(kind="acknowledgement"):
    return f"/letter-templates/{kind}/"


def test_templates_are_seeded_from_the_letter_files(admin_client_with_role):
    page = admin_client_with_role.get("/letter-templates/").content.decode()
    assert "Acknowledgement" in page and "Escalation refused" in page
    body = LetterTemplate.objects.get(kind="response").body
    # One text an administrator can read: the shared parts written out, the greeting one line.
    assert "include" not in body and "autoescape" not in body
    assert body.startswith("{% load casework %}Dear {{ addressee }},")
    assert "You can contact the {{ ombudsman.name }} for free" in body


def test_an_edit_is_previewed_saved_kept_in_the_history_and_used_by_the_next_draft(
    admin_client_with_role, administrator, officer_client, complaint
):
    new_words = "Dear {{ addressee }},\n\nWe logged {{ complaint.reference }} today. Expect our answer soon.\n"
    preview = admin_client_with_role.post(
        template_url(), {"title": "Acknowledgement", "body": new_words, "action": "preview"}
    )
    assert preview.status_code == 200
    assert f"We logged {complaint.reference} today." in preview.content.decode()
    assert LetterTemplate.objects.get(kind="acknowledgement").body != new_words  # a preview saves nothing

    pdf = admin_client_with_role.post(
        template_url(), {"title": "Acknowledgement", "body": new_words, "action": "preview-pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf" and f"We logged {complaint.reference} today." in words(pdf.content)

    saved = admin_client_with_role.post(
        template_url(), {"title": "Acknowledgement", "body": new_words, "action": "save"}
    )
    assert saved.status_code == 302
    template = LetterTemplate.objects.get(kind="acknowledgement")
    assert template.body == new_words and template.updated_by == administrator
    versions = list(template.history.order_by("history_date"))
    assert [v.history_type for v in versions] == ["+", "~"]
    assert "Thank you for contacting us" in versions[0].body and versions[1].history_user == administrator

    page = admin_client_with_role.get(template_url()).content.decode()
    assert "History" in page and "first version" in page and "changed by" in page

    draft = officer_client.get(letter_url(complaint)).content.decode()
    assert f"We logged {complaint.reference} today." in draft

    # Putting the first words back is an edit of its own: the history keeps all three.
    admin_client_with_role.post(template_url(), {"action": "restore", "version": versions[0].history_id})
    assert "Thank you for contacting us" in LetterTemplate.objects.get(kind="acknowledgement").body
    assert template.history.count() == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "Dear {{ addressee }},\n\n{% if complaint %}\nNo end to this.\n",
            "Line 3: Unclosed tag: 'if'. Looking for one of: elif, else, endif.",
        ),
        ("Dear {{ addressee }},\n{% frobnicate %}\n", "Line 2: Invalid block tag: 'frobnicate'."),
        ("Dear {{ addressee|nosuchfilter }},\n", "Line 1: Invalid filter: 'nosuchfilter'"),
        ("Hello\n{% include 'base.html' %}\n", "Line 2: a letter template cannot use the 'include' tag"),
    ],
)
def test_a_template_with_a_mistake_is_refused_with_its_line(admin_client_with_role, complaint, body, message):
    from correspondence.services import template_for

    before = template_for("acknowledgement").body
    for action in ("save", "preview", "preview-pdf"):
        response = admin_client_with_role.post(
            template_url(), {"title": "Acknowledgement", "body": body, "action": action}
        )
        assert response.status_code == 400
        page = html.unescape(response.content.decode())
        assert "There is a problem" in page and message in page
        assert body.split("\n")[0] in page  # the words typed are kept on the page
    assert LetterTemplate.objects.get(kind="acknowledgement").body == before


def test_only_administrators_edit_templates(officer_client):
    assert officer_client.get("/letter-templates/").status_code == 403
    assert officer_client.post(template_url(), {"title": "x", "body": "y", "action": "save"}).status_code == 403


def test_an_unknown_case_to_preview_with_is_a_clear_message(admin_client_with_role):
    response = admin_client_with_role.post(
        template_url(), {"title": "Acknowledgement", "body": "Dear {{ addressee }},", "preview_with": "CMP-1999-000001"}
    )
    assert response.status_code == 400
    assert "There is no case CMP-1999-000001 to preview with." in response.content.decode()
