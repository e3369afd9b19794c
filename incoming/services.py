"""Writes on the Incoming queue: taking a message in from the mailbox (stored first, marked read after), threading
a reply onto its case, and what an officer does with an item: make it a complaint, a service request or a
members' enquiry, file it on a case, set it aside or put it back (docs/mailbox.md)."""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from casework import registry
from casework.errors import InvalidInput, NotAllowed
from casework.models import Case
from casework.services import (
    add_attachment,
    add_representative,
    check_upload,
    create_resident,
    notify,
    record_event,
)
from incoming import parsing
from incoming.imap import Mailbox, MailboxUnavailable, parse_mailbox_url
from incoming.models import IncomingAttachment, IncomingEmail, IncomingStatus

logger = logging.getLogger(__name__)

MAILBOX_USERNAME = "council.mailbox"
# How much of an email's text its timeline entry and notification carry; the whole email is on its item.
TIMELINE_EXCERPT = 2000


def mailbox_user():
    """Who added the files of a reply threaded without an officer: an account nobody can sign in to."""
    user, created = get_user_model().objects.get_or_create(
        username=MAILBOX_USERNAME, defaults={"first_name": "Council", "last_name": "mailbox", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _megabytes(size):
    return filesizeformat(size).replace("\xa0", " ")


# --- Taking a message in ------------------------------------------------------------------------------


def _existing(message_id, folder, uidvalidity, uid):
    where = Q(message_id=message_id)
    if uid is not None:
        where |= Q(folder=folder, uidvalidity=uidvalidity, uid=uid)
    return IncomingEmail.objects.filter(where).first()


def take_in(raw, *, folder="", uidvalidity=None, uid=None, received_at=None):
    """Store one message as an Incoming item, set aside or threaded onto its case as it deserves. Returns
    (item, created): a message already stored (by Message-ID, or by its place in the mailbox) is not stored
    again. Raises only when the database cannot store it; then nothing of it is kept and the caller leaves it
    unread for the next run."""
    message_id = parsing.message_id_of(raw)
    existing = _existing(message_id, folder, uidvalidity, uid)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _store(raw, message_id, folder, uidvalidity, uid, received_at), True
    except IntegrityError:
        # Two runs took the same message at once: the other one stored it.
        existing = _existing(message_id, folder, uidvalidity, uid)
        if existing is None:
            raise
        return existing, False


def _store(raw, message_id, folder, uidvalidity, uid, received_at):
    parsed = parsing.parse(raw)
    item = IncomingEmail(
        message_id=message_id,
        folder=folder[:200],
        uidvalidity=uidvalidity,
        uid=uid,
        received_at=received_at or parsed.sent_at or timezone.now(),
        sent_at=parsed.sent_at,
        from_address=parsed.from_address,
        from_name=parsed.from_name,
        to_addresses=parsed.to_addresses,
        subject=parsed.subject,
        in_reply_to=parsed.in_reply_to,
        references=" ".join(parsed.references)[:10_000],
        body=parsed.body,
        raw_size=len(raw),
    )
    problems = list(parsed.problems)
    if len(raw) <= settings.MAILBOX_MAX_MESSAGE_BYTES:
        item.raw.save(hashlib.sha256(message_id.encode()).hexdigest()[:32] + ".eml", ContentFile(raw), save=False)
    else:
        problems.append(
            f"The message was {_megabytes(len(raw))}, more than the {_megabytes(settings.MAILBOX_MAX_MESSAGE_BYTES)} "
            "kept as received: its text and the attachments accepted are kept, not the original."
        )
    if parsed.automatic:
        item.status = IncomingStatus.SET_ASIDE
        item.set_aside_reason = parsed.automatic[:300]
    item.problems = "\n".join(problems)
    item.save()
    for attachment in parsed.attachments:
        _store_attachment(item, attachment)
    if item.status == IncomingStatus.NEW:
        _thread(item, parsed)
    return item


def _store_attachment(item, attachment):
    stored = IncomingAttachment(
        email=item, original_name=attachment.name, content_type=attachment.content_type, size_bytes=len(attachment.data)
    )
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(attachment.data) > limit:
        stored.refused_reason = (
            f"Not kept: {_megabytes(len(attachment.data))} is more than the {_megabytes(limit)} a case's file may be. "
            "Ask the sender to send it another way (a link, or smaller files)."
        )
    else:
        upload = ContentFile(attachment.data, name=attachment.name)
        try:
            checked = check_upload(upload)
        except ValidationError as error:
            message = error.messages[0].replace("The selected file", "This file")
            stored.refused_reason = f"Not kept: {message}"[:300]
        else:
            stored.content_type = checked.content_type
            stored.file.save(checked.name, upload, save=False)
    stored.save()
    return stored


# --- Threading a reply onto its case ------------------------------------------------------------------


def _contacts_of(case):
    addresses = set()
    if case.resident_id:
        addresses.add(case.resident.email)
        addresses.update(case.resident.representatives.values_list("email", flat=True))
    if case.representative_id:
        addresses.add(case.representative.email)
    member = getattr(case.specific(), "member", None)  # a members' enquiry: the councillor or MP who made it
    if member is not None:
        addresses.add(member.email)
    return {address.strip().lower() for address in addresses if address}


def thread_target(parsed):
    """The case a message belongs on without an officer's look, with why; or (None, a reference it mentions).

    1. Its In-Reply-To or References name an email already on a case (one taken in, or one the council sent
       about it, registered by the app that sends them): that case.
    2. Its subject or those headers carry a case reference, and the sender is the case's resident or one of
       their representatives (or, for a members' enquiry, its member): that case.
    A reference from anyone else is only mentioned on the item: a stranger cannot write on a resident's case by
    putting its reference in a subject."""
    headers = [value.strip() for value in [parsed.in_reply_to, *parsed.references] if value and value.strip()]
    if headers:
        earlier = (
            IncomingEmail.objects.filter(message_id__in=headers, case__isnull=False)
            .select_related("case")
            .order_by("-received_at")
            .first()
        )
        if earlier is not None:
            return earlier.case, "it answers an email already on the case"
        for provider in registry.sent_email_providers():
            found = provider(headers)
            if found:
                case = Case.objects.filter(pk__in=found.values()).first()
                if case is not None:
                    return case, "it answers an email the council sent about the case"
    mentioned = parsed.mentioned_references()
    for reference in mentioned:
        case = Case.objects.filter(reference=reference).select_related("resident", "representative").first()
        if case is not None and parsed.from_address and parsed.from_address in _contacts_of(case):
            return case, f"it quotes {reference} and comes from the case's resident or representative"
    return None, mentioned[0] if mentioned else ""


def _thread(item, parsed):
    case, why = thread_target(parsed)
    if case is None:
        if why:
            item.mentioned_reference = why[:30]
            item.save(update_fields=["mentioned_reference"])
        return
    _put_on_case(item, case, actor=None, status=IncomingStatus.THREADED, why=why)


def _put_on_case(item, case, *, actor, status, why=""):
    item.case = case
    item.status = status
    item.handled_by = actor
    item.handled_at = timezone.now()
    item.save(update_fields=["case", "status", "handled_by", "handled_at"])
    uploader = actor or mailbox_user()
    for attachment in item.attachments.filter(refused_reason="", case_attachment__isnull=True).exclude(file=""):
        with attachment.file.open("rb") as handle:
            upload = ContentFile(handle.read(), name=attachment.original_name)
        added = add_attachment(case, upload, uploader, description=f"From the email of {_when(item)}")
        attachment.case_attachment = added
        attachment.save(update_fields=["case_attachment"])
    how = f"threaded onto the case automatically: {why}" if actor is None else "filed on the case"
    summary = f"Email from {item.sender or 'an unknown sender'}, “{item.subject or '(no subject)'}”, {how}."
    if case.closed_at:
        summary += " The case is closed: decide whether this reopens it or escalates it."
    text = item.body.strip()
    excerpt = text[:TIMELINE_EXCERPT] + ("…" if len(text) > TIMELINE_EXCERPT else "")
    record_event(
        case,
        "email_received",
        summary,
        actor=actor,
        data={"incoming_email": item.pk, "message_id": item.message_id, "excerpt": excerpt},
        occurred_at=item.received_at if actor is None else None,
    )
    handler = case.assigned_to
    if handler is not None and (actor is None or handler.pk != actor.pk):
        notify(
            handler,
            f"{case.reference}: email from {item.from_name or item.from_address or 'unknown sender'}",
            f"{summary}\n\n{excerpt}",
            kind="email_received",
            case=case,
            url=case.get_absolute_url(),
        )


def _when(item):
    return timezone.localtime(item.received_at).strftime("%-d %b %Y %H:%M")


# --- Reading the mailbox ------------------------------------------------------------------------------


@dataclass
class FetchResult:
    mailbox: str = ""
    taken_in: int = 0
    threaded: int = 0
    set_aside: int = 0
    duplicates: int = 0
    already_stored: int = 0
    failed: int = 0
    error: str = ""
    failures: list[str] = field(default_factory=list)
    skipped: bool = False  # another run was reading the mailbox

    def __str__(self):
        if not self.mailbox and self.error:
            return self.error
        if self.skipped:
            return f"{self.mailbox}: another run is reading this mailbox; this one left it to that run."
        parts = [
            f"{self.mailbox}: {self.taken_in} taken in ({self.threaded} threaded onto their cases, "
            f"{self.set_aside} set aside)"
        ]
        if self.duplicates:
            parts.append(f"{self.duplicates} already taken in under the same Message-ID")
        if self.already_stored:
            parts.append(f"{self.already_stored} stored by an earlier run and now marked read")
        if self.failed:
            parts.append(f"{self.failed} could not be stored and stay unread for the next run")
        if self.error:
            parts.append(self.error)
        return "; ".join(parts) + "."


def mailbox_key(address):
    return f"{address.user}@{address.host}/{address.folder}"


def _advisory_key(folder):
    return int.from_bytes(hashlib.sha256(f"incoming:{folder}".encode()).digest()[:8], "big", signed=True)


def _lock_mailbox(folder):
    """One run at a time per mailbox (a first run over a full mailbox can outlast the two minutes between
    runs). On PostgreSQL a session lock, gone with a killed worker's connection; elsewhere one process runs."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_advisory_key(folder)])
        return cursor.fetchone()[0]


def _unlock_mailbox(folder):
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(folder)])


def fetch_mail(url=None, *, limit=None):
    """Take in every message not yet stored: each is stored (with its attachments) before it is marked read,
    so a run that dies half-way loses nothing, and the next run marks read what was stored and takes in the
    rest. A mailbox that cannot be reached is reported in the result, never raised."""
    url = settings.MAILBOX_URL if url is None else url
    limit = limit or settings.MAILBOX_BATCH_SIZE
    result = FetchResult()
    if not url:
        result.error = "MAILBOX_URL is not set: there is no mailbox to read."
        return result
    try:
        address = parse_mailbox_url(url)
        result.mailbox = str(address)
        box = Mailbox(address, timeout=settings.MAILBOX_TIMEOUT_SECONDS, ca_file=settings.MAILBOX_CA_FILE)
    except MailboxUnavailable as error:
        result.error = str(error)
        logger.warning("Mailbox not read: %s", error)
        return result
    folder = mailbox_key(address)
    if not _lock_mailbox(folder):
        box.close()
        result.skipped = True
        return result
    try:
        here = IncomingEmail.objects.filter(folder=folder, uidvalidity=box.uidvalidity)
        uids = box.uids_to_read(here.aggregate(last=Max("uid"))["last"] or 0)[:limit]
        stored = set(here.filter(uid__in=uids).values_list("uid", flat=True))
        for uid in uids:
            if uid in stored:
                result.already_stored += 1
            elif not _take_in_one(box, folder, uid, result):
                continue  # not stored: left unread
            box.mark_seen(uid)
    except MailboxUnavailable as error:
        result.error = str(error)
        logger.warning("Mailbox read stopped: %s", error)
    finally:
        box.close()
        _unlock_mailbox(folder)
    if result.failed and not result.error:
        # Recorded as a failed run, so it shows under Job runs' "Failed" until a run stores them.
        result.error = f"Could not store {', '.join(result.failures)}: see the log; they stay unread for the next run."
    return result


def _take_in_one(box, folder, uid, result):
    fetched = box.fetch(uid)
    if fetched is None:
        return False
    try:
        item, created = take_in(
            fetched.raw, folder=folder, uidvalidity=box.uidvalidity, uid=uid, received_at=fetched.received_at
        )
    except Exception as error:
        logger.exception("Message %s of %s could not be stored", uid, folder)
        result.failed += 1
        result.failures.append(f"UID {uid}: {error.__class__.__name__}")
        return False
    if not created:
        result.duplicates += 1
    else:
        result.taken_in += 1
        result.threaded += item.status == IncomingStatus.THREADED
        result.set_aside += item.status == IncomingStatus.SET_ASIDE
    return True


# --- What an officer does with an item ----------------------------------------------------------------


def _lock(item, *, allowed=(IncomingStatus.NEW,)):
    item = IncomingEmail.objects.select_for_update().get(pk=item.pk)
    if item.status not in allowed:
        if item.case_id:
            raise NotAllowed(f"This email is already on {item.case.reference}.")
        raise NotAllowed(f"This email is {item.get_status_display().lower()}; put it back in the queue first.")
    return item


def received_on(item):
    """The day the council received the email: day 0 of a case made from it."""
    return timezone.localtime(item.received_at).date()


@transaction.atomic
def make_complaint(item, *, actor, resident=None, new_resident=None, representative_details=None, **complaint):
    """A complaint from the email (complaints.services.log_complaint), its files on the complaint. The resident
    is one already recorded or `new_resident` (create_resident's fields); `representative_details` (name and
    relationship) adds someone acting for them."""
    from complaints.models import Channel
    from complaints.services import log_complaint

    item = _lock(item)
    resident = resident or create_resident(**new_resident)
    representative = add_representative(resident, **representative_details) if representative_details else None
    complaint.setdefault("channel", Channel.EMAIL)
    complaint.setdefault("received_on", received_on(item))
    case = log_complaint(actor=actor, resident=resident, representative=representative, **complaint)
    _put_on_case(item, case, actor=actor, status=IncomingStatus.CONVERTED)
    return case


@transaction.atomic
def make_service_request(item, *, actor, resident=None, new_resident=None, **request):
    from complaints.models import Channel
    from complaints.services import log_service_request

    item = _lock(item)
    resident = resident or create_resident(**new_resident)
    request.setdefault("channel", Channel.EMAIL)
    request.setdefault("received_on", received_on(item))
    case = log_service_request(actor=actor, resident=resident, **request)
    _put_on_case(item, case, actor=actor, status=IncomingStatus.CONVERTED)
    return case


@transaction.atomic
def make_enquiry(item, *, actor, **enquiry):
    """A members' enquiry from a councillor's or MP's email (enquiries.services.submit_enquiry)."""
    from enquiries.services import submit_enquiry

    item = _lock(item)
    enquiry.setdefault("received_on", received_on(item))
    case, _ = submit_enquiry(submitted_by=None, **enquiry)
    _put_on_case(item, case, actor=actor, status=IncomingStatus.CONVERTED)
    return case


@transaction.atomic
def file_on_case(item, case, *, actor):
    """Put the email, and its files, on a case the officer chose (a reply the rules could not thread)."""
    item = _lock(item, allowed=(IncomingStatus.NEW, IncomingStatus.SET_ASIDE))
    if case is None:
        raise InvalidInput({"reference": ["Enter the reference of a case you can see, like CMP-2026-000123."]})
    _put_on_case(item, case, actor=actor, status=IncomingStatus.FILED)
    return item


@transaction.atomic
def set_aside(item, *, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["Say why the email needs no action (for example: spam, a duplicate)."]})
    if len(reason) > 300:
        raise InvalidInput({"reason": [f"The reason is {len(reason)} characters; 300 at most."]})
    item = _lock(item)
    item.status = IncomingStatus.SET_ASIDE
    item.set_aside_reason = reason
    item.handled_by = actor
    item.handled_at = timezone.now()
    item.save(update_fields=["status", "set_aside_reason", "handled_by", "handled_at"])
    return item


@transaction.atomic
def return_to_queue(item, *, actor):
    """An email set aside by mistake (a person's reply taken for an auto-reply) goes back to the queue."""
    item = _lock(item, allowed=(IncomingStatus.SET_ASIDE,))
    item.status = IncomingStatus.NEW
    item.handled_by = actor
    item.handled_at = timezone.now()
    item.save(update_fields=["status", "handled_by", "handled_at"])
    return item
