"""Emails as residents, their mail programs and mail servers write them."""

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

# Monday 3 November 2025, 10:15 in London (GMT): the day the council's server received the emails.
RECEIVED = datetime(2025, 11, 3, 10, 15, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def email(
    *,
    sender="Jane Resident <jane.resident@example.org>",
    subject="Damp in my bedroom",
    body="The damp in the back bedroom is back and my son's asthma is worse.\nPlease send someone.",
    message_id=None,
    in_reply_to=None,
    references=None,
    attachments=(),
    headers=None,
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "complaints@council.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(RECEIVED)
    if message_id is not False:
        message["Message-ID"] = message_id or f"<{abs(hash((sender, subject, body)))}@mail.example.org>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for name, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def bounce(*, original_subject="Your complaint CMP-2025-000001", message_id="<bounce-1@mx.council.example>"):
    """A delivery status notification (RFC 3464) from the council's own mail server."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.council.example>\r\n"
        "To: complaints@council.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "This is the mail system. Your message could not be delivered.\r\n"
        "--b1\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.council.example\r\n\r\n"
        "Final-Recipient: rfc822; gone@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--b1\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Subject: {original_subject}\r\n"
        "--b1--\r\n"
    ).encode()
