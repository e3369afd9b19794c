"""Reading one email's bytes into what the Incoming queue shows. Never raises on the message's content: what
cannot be read (a broken header, an unknown character set, a part that will not decode) is listed in
`problems`, and the raw message is kept beside it, so nothing a resident sent is lost."""

import email
import email.policy
import email.utils
import hashlib
import html
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from html.parser import HTMLParser

MAX_BODY_CHARS = 100_000
MAX_MESSAGE_ID = 500

# What a case reference looks like (casework.services.format_reference): CMP-2026-000123, SR-..., ME-..., OMB-...
REFERENCE_PATTERN = re.compile(r"\b([A-Z]{2,4}-\d{4}-\d{6})\b")

# Precedence values that mean "no person wrote this" (RFC 3834 section 3.1.8 and common practice).
AUTOMATIC_PRECEDENCE = {"bulk", "auto_reply", "junk", "list"}
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")


@dataclass
class ParsedAttachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class ParsedEmail:
    message_id: str
    from_address: str = ""
    from_name: str = ""
    to_addresses: str = ""
    subject: str = ""
    sent_at: datetime | None = None
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    body: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    automatic: str = ""  # why it is an auto-reply or a bounce, or ""
    problems: list[str] = field(default_factory=list)

    def mentioned_references(self):
        """Case references in the subject first, then in the threading headers, each once."""
        found = []
        for text in (self.subject, self.in_reply_to, " ".join(self.references)):
            for reference in REFERENCE_PATTERN.findall(text or ""):
                if reference not in found:
                    found.append(reference)
        return found


def message_id_of(raw):
    """The message's Message-ID, or one made from its bytes when it has none (the same bytes, the same id)."""
    match = re.search(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", _headers_of(raw), re.IGNORECASE | re.MULTILINE)
    value = match.group(1).decode("ascii", "replace").strip() if match else ""
    value = re.sub(r"\s+", "", value)
    if not value:
        return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.casework>"
    if len(value) > MAX_MESSAGE_ID:
        return f"<{hashlib.sha256(value.encode()).hexdigest()}@long-message-id.casework>"
    return value


def _headers_of(raw):
    end = re.search(rb"\r?\n\r?\n", raw)
    return raw[: end.start()] if end else raw


def parse(raw):
    parsed = ParsedEmail(message_id=message_id_of(raw))
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as error:  # the standard library's parser is lenient; this is the last guard
        parsed.problems.append(f"The message could not be read as an email ({error.__class__.__name__}).")
        parsed.body = raw.decode("utf-8", "replace")[:MAX_BODY_CHARS]
        return parsed
    if message.defects:
        parsed.problems.append("The message is not well formed: " + _defects(message.defects) + ".")
    parsed.from_name, parsed.from_address = _address(message, "From", parsed.problems)
    parsed.to_addresses = ", ".join(
        address for _, address in email.utils.getaddresses([_header(message, "To", parsed.problems)]) if address
    )[:2000]
    parsed.subject = _header(message, "Subject", parsed.problems)[:500]
    parsed.in_reply_to = _header(message, "In-Reply-To", parsed.problems)[:1000]
    parsed.references = _header(message, "References", parsed.problems).split()
    date = _header(message, "Date", parsed.problems)
    if date:
        try:
            parsed.sent_at = email.utils.parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError):
            parsed.problems.append(f"The Date header could not be read: {date[:60]!r}.")
    parsed.automatic = automatic_reason(message, parsed.from_address)
    parsed.body = _body(message, parsed.problems)[:MAX_BODY_CHARS]
    parsed.attachments = _attachments(message, parsed.problems)
    return parsed


def _defects(defects):
    names = sorted({re.sub(r"(?<!^)(?=[A-Z])", " ", defect.__class__.__name__).lower() for defect in defects})
    return ", ".join(names[:5])


def _header(message, name, problems):
    """A header as text; a header the modern parser refuses is read the old way, undecoded."""
    try:
        value = message.get(name)
        return str(value).strip() if value is not None else ""
    except Exception:
        problems.append(f"The {name} header could not be decoded; it is shown as received.")
        raw = Message.get(message, name)
        return str(raw or "").strip()


def _address(message, name, problems):
    value = _header(message, name, problems)
    display, address = email.utils.parseaddr(value)
    return display[:200], address[:320].lower()


def automatic_reason(message, from_address=""):
    """Why a message was written by a machine, not a person: an auto-reply or a bounce (RFC 3834 and RFC 3464),
    or "" when a person wrote it."""

    def get(name):
        try:
            return str(message.get(name) or "").strip()
        except Exception:
            return str(Message.get(message, name) or "").strip()

    auto_submitted = get("Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Automatic reply (Auto-Submitted: {auto_submitted})."
    for header in ("X-Autoreply", "X-Autorespond"):
        if get(header):
            return f"Automatic reply ({header})."
    precedence = get("Precedence").lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"Automatic or bulk message (Precedence: {precedence})."
    if message.get_content_type() == "multipart/report":
        report = message.get_param("report-type") or "report"
        return f"Delivery report ({report}): an email the council sent could not be delivered."
    local_part = from_address.split("@", 1)[0]
    if local_part in BOUNCE_SENDERS:
        return f"Delivery report from {from_address}: an email the council sent could not be delivered."
    if get("Return-Path") == "<>":
        return "Delivery report (empty return path)."
    return ""


def _text_of(part, problems):
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError) as error:
        charset = part.get_content_charset() or "unknown"
        payload = part.get_payload(decode=True) or b""
        if isinstance(error, LookupError):
            problems.append(f"The text is in a character set this product does not know ({charset}); unknown "
                            "characters are shown as \ufffd.")  # fmt: skip
        else:
            problems.append(f"Part of the text could not be decoded as {charset}; unknown characters are shown "
                            "as \ufffd.")  # fmt: skip
        return payload.decode("utf-8", "replace")


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def text_of_html(markup):
    """What an HTML email says, as plain text: the product never shows a sender's markup."""
    reader = _TextOfHtml()
    try:
        reader.feed(markup)
        reader.close()
    except Exception:
        return html.unescape(re.sub(r"<[^>]+>", " ", markup))
    text = "".join(reader.parts)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def _body(message, problems):
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        if message.get_content_maintype() == "text":
            part = message
        else:
            return ""
    text = _text_of(part, problems)
    if part.get_content_subtype() == "html":
        text = text_of_html(text)
    return text.replace("\r\n", "\n").strip()


def _attachments(message, problems):
    found = []
    try:
        parts = list(message.iter_attachments()) if message.is_multipart() else []
    except Exception:
        problems.append("The attachments could not be separated from the message; the raw message is kept.")
        return found
    queue = parts
    while queue:
        part = queue.pop(0)
        content_type = part.get_content_type()
        if content_type == "multipart/related" or (content_type.startswith("multipart/") and not part.get_filename()):
            try:
                queue.extend(part.iter_parts())
            except Exception:
                problems.append("Part of the message could not be read.")
            continue
        if content_type.startswith("text/") and not part.get_filename():
            continue  # an alternative body, not a file
        name = _file_name(part, len(found) + 1)
        try:
            if content_type == "message/rfc822":
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) else inner
                data = inner.as_bytes() if hasattr(inner, "as_bytes") else bytes(inner)
            else:
                data = part.get_payload(decode=True) or b""
        except Exception:
            problems.append(f"The attachment {name} could not be decoded.")
            continue
        found.append(ParsedAttachment(name=name, content_type=content_type, data=data))
    return found


def _file_name(part, number):
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = re.sub(r"[\x00-\x1f\x7f/\\]+", "_", name).strip(" .")
    if not name:
        content_type = part.get_content_type()
        extension = ".eml" if content_type == "message/rfc822" else (mimetypes.guess_extension(content_type) or "")
        name = f"attachment-{number}{extension}"
    return name[:200]
