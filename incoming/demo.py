"""Demo email for `make run`: a new complaint waiting in the Incoming queue with a photo, a resident's reply
threaded onto one of the demo complaints, and an out-of-office reply set aside. Safe to run again (each is
taken in once by its Message-ID)."""

from datetime import timedelta
from email.message import EmailMessage

from django.utils import timezone

from complaints.models import Complaint
from incoming import services

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def _email(sender, subject, body, message_id, **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "complaints@council.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def load_demo(stdout):
    now = timezone.now()
    new = _email(
        "Grace Adeyemi <grace.adeyemi@example.org>",
        "Mould in the children's bedroom",
        "Dear Sir or Madam,\n\nI reported mould in my children's bedroom in August and again in October. Nobody "
        "has come. My youngest has a chest infection. I want the mould treated and the cause fixed.\n\nGrace "
        "Adeyemi\nFlat 4, 12 Canal Street",
        "<demo-new-1@example.org>",
    )
    new.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="bedroom-wall.jpg")
    messages = [(new, now - timedelta(hours=3))]
    complaint = Complaint.objects.filter(resident__email__contains="@", closed_at__isnull=True).order_by("id").first()
    if complaint is not None:
        messages.append(
            (
                _email(
                    f"{complaint.resident.full_name} <{complaint.resident.email}>",
                    f"RE: Your complaint {complaint.reference}",
                    "Thank you for your letter. I am at home on Thursday morning if the surveyor can come then.",
                    "<demo-reply-1@example.org>",
                ),
                now - timedelta(hours=2),
            )
        )
        messages.append(
            (
                _email(
                    "Housing Repairs Contractor <repairs@contractor.example>",
                    f"Automatic reply: {complaint.reference}",
                    "I am out of the office until Monday.",
                    "<demo-ooo-1@example.org>",
                    Auto_Submitted="auto-replied",
                ),
                now - timedelta(hours=1),
            )
        )
    taken = sum(services.take_in(message.as_bytes(), received_at=when)[1] for message, when in messages)
    stdout.write(f"Incoming email: {taken} demo emails taken in." if taken else "Demo emails already taken in.")
