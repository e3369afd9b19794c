"""Writes that every case type shares: reference numbers, the timeline, notes, attachments, notifications."""

import json
import logging
import mimetypes
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

# The domain's refusals live in casework.errors; callers may import them from here too.
from casework.errors import DomainError, Forbidden, InvalidInput, NotAllowed, Problems  # noqa: F401
from casework.models import (
    Attachment,
    CaseLink,
    CaseLinkKind,
    Note,
    Notification,
    OfficerProfile,
    ReferenceCounter,
    TimelineEvent,
)

logger = logging.getLogger(__name__)


# --- Reference numbers --------------------------------------------------------------------------------


def allocate_references(prefix, year, count=1):
    """Hand out `count` consecutive reference numbers, e.g. CMP-2025-000123, unique across processes.

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement: the row lock it takes serialises
    concurrent callers on PostgreSQL, and SQLite allows one writer at a time, so no two callers ever get
    the same number and nobody has to retry."""
    if count < 1:
        raise ValueError("count must be at least 1")
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, year, last_value) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (prefix, year) DO UPDATE SET last_value = {table}.last_value + EXCLUDED.last_value "
            "RETURNING last_value",
            [prefix, year, count],
        )
        last = cursor.fetchone()[0]
    first = last - count + 1
    return [format_reference(prefix, year, number) for number in range(first, last + 1)]


def format_reference(prefix, year, number):
    return f"{prefix}-{year}-{number:06d}"


def next_reference(prefix, on_date):
    return allocate_references(prefix, on_date.year)[0]


# --- Timeline -----------------------------------------------------------------------------------------


def record_event(case, kind, summary, *, actor=None, data=None, visible_to_member=False, occurred_at=None):
    return TimelineEvent.objects.create(
        case=case,
        kind=kind,
        summary=summary,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data or {},
        visible_to_member=visible_to_member,
        occurred_at=occurred_at or timezone.now(),
    )


EVENT_COLUMNS = ("case_id", "occurred_at", "actor_id", "kind", "summary", "data", "visible_to_member")


def bulk_record_events(events):
    """Write many timeline events at once (calendar recomputes, sweeps).

    `events`: dicts with the keys of EVENT_COLUMNS (`actor_id` and `visible_to_member` optional). Plain dicts,
    not model instances, because building 100,000 instances costs more than writing them. PostgreSQL gets them
    through COPY; other databases through bulk_create."""
    if not events:
        return 0
    rows = [
        {"actor_id": None, "visible_to_member": False, **event, "data": json.dumps(event.get("data") or {})}
        for event in events
    ]
    if connection.vendor != "postgresql":
        TimelineEvent.objects.bulk_create(
            [TimelineEvent(**{**row, "data": json.loads(row["data"])}) for row in rows], batch_size=2_000
        )
        return len(rows)
    table = connection.ops.quote_name(TimelineEvent._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[column] for column in EVENT_COLUMNS])
    return len(rows)


# --- People -------------------------------------------------------------------------------------------


def find_or_create_property(address, postcode, uprn=None):
    """The property at an address, matched on its first line and postcode (or UPRN), created if new."""
    from casework.models import Property

    address = (address or "").strip()
    postcode = " ".join((postcode or "").upper().split())
    if uprn:
        found = Property.objects.filter(uprn=uprn).first()
        if found:
            return found
    if not address:
        return None
    lines = [line.strip() for line in address.replace(",", "\n").splitlines() if line.strip()]
    first_line = lines[0][:200]
    found = Property.objects.filter(address_line_1__iexact=first_line, postcode__iexact=postcode).first()
    if found:
        return found
    return Property.objects.create(
        uprn=uprn or None,
        address_line_1=first_line,
        address_line_2=", ".join(lines[1:])[:200],
        postcode=postcode,
    )


def create_resident(*, first_name, last_name, email="", phone="", address="", postcode="", vulnerability_notes=""):
    from casework.models import Resident

    if not (first_name or "").strip() or not (last_name or "").strip():
        raise ValidationError("Enter the resident's first and last name.")
    home = find_or_create_property(address, postcode)
    return Resident.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        home=home,
        vulnerability_notes=(vulnerability_notes or "").strip(),
    )


def add_representative(resident, *, name, relationship, email="", phone=""):
    from casework.models import Representative

    return Representative.objects.create(
        resident=resident, name=name.strip(), relationship=relationship.strip(), email=email, phone=phone
    )


# --- Notes --------------------------------------------------------------------------------------------


def add_note(case, author, body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write the note before saving it."})
    note = Note.objects.create(case=case, author=author, body=body)
    record_event(case, "note_added", "Note added.", actor=author, data={"note_id": note.pk})
    return note


# --- Links between cases --------------------------------------------------------------------------------


def link_cases(case, other, *, reason, actor, kind=CaseLinkKind.RELATED, record=True):
    """Link two cases of any kinds, with why; each case's history says so (unless the caller writes its own
    entries: a merge). Refused (nothing written) for a case linked to itself, a pair already linked, or no reason.
    A merge of two cases already linked as related turns that link into the merge's."""
    reason = (reason or "").strip()
    problems = Problems()
    if other is None:
        problems.add("reference", "No case you can see has that reference.")
    elif other.pk == case.pk:
        problems.add("reference", "A case cannot be linked to itself.")
    if not reason:
        problems.add("reason", "Say why the cases are related.")
    problems.raise_if_any()
    first, second = sorted((case, other), key=lambda c: c.pk)
    with transaction.atomic():
        link = CaseLink.objects.select_for_update().filter(case=first, other=second).first()
        if link is not None and not (kind == CaseLinkKind.MERGED and link.kind == CaseLinkKind.RELATED):
            raise InvalidInput(f"{case.reference} and {other.reference} are already linked.", field="reference")
        if link is not None:
            link.kind, link.reason = kind, reason
            link.save(update_fields=["kind", "reason"])
        else:
            link = CaseLink.objects.create(case=first, other=second, kind=kind, reason=reason, created_by=_user(actor))
        if record:
            for this, that in ((case, other), (other, case)):
                record_event(
                    this,
                    "case_linked",
                    f"Linked to {that.get_kind_display().lower()} {that.reference}: {reason}",
                    actor=actor,
                    data={"link": link.pk, "other": that.reference, "kind": kind},
                )
    return link


def unlink_cases(link, *, reason, actor):
    """Remove a link between two cases, with why, written on both cases' histories. A merge's link stays while
    the merge does: it is how the surviving case finds the merged one's history."""
    reason = (reason or "").strip()
    if link.kind == CaseLinkKind.MERGED:
        raise NotAllowed("This link records a merge; it cannot be removed.")
    if not reason:
        raise InvalidInput("Say why the link is removed.", field="reason")
    with transaction.atomic():
        cases = [link.case, link.other]
        deleted, _ = CaseLink.objects.filter(pk=link.pk).delete()
        if not deleted:
            raise NotAllowed("That link was already removed.")
        for this, that in (cases, cases[::-1]):
            record_event(
                this,
                "case_unlinked",
                f"Link to {that.get_kind_display().lower()} {that.reference} removed: {reason}",
                actor=actor,
                data={"other": that.reference},
            )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Attachments --------------------------------------------------------------------------------------

# What a council receives as evidence: documents, spreadsheets, pictures, saved emails.
ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".heic": ("image/heic", (b"ftyp",)),  # at offset 4: an ISO media file's first box
    ".msg": ("application/vnd.ms-outlook", (b"\xd0\xcf\x11\xe0",)),
    ".eml": ("message/rfc822", ()),
    ".txt": ("text/plain", ()),
    ".csv": ("text/csv", ()),
}


SNIFF_BYTES = 2048
# Markup that a browser would run if it ever rendered the file inline; a text attachment has no need of it.
ACTIVE_MARKUP = (b"<script", b"<html", b"<!doctype html", b"<svg", b"<iframe", b"<object", b"<embed")


def _looks_like_text(head, *, allow_markup=False):
    """Text (UTF-8 or a legacy single-byte encoding) with no NUL bytes, no known binary header and, unless
    allowed (a saved email has HTML parts), no markup a browser would run."""
    if b"\x00" in head:
        return False
    if head.startswith((b"MZ", b"\x7fELF", b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0")):
        return False
    lowered = head.lower()
    return allow_markup or not any(marker in lowered for marker in ACTIVE_MARKUP)


MAX_FILE_NAME = 200
MAX_FILE_NAME_BYTES = 240


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def check_upload(uploaded_file):
    """Refuse files by size, by extension, and by content that does not match the extension."""
    name = (uploaded_file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()
    if not name:
        raise ValidationError({"file": "Choose a file to upload."})
    if any(ord(character) < 32 or ord(character) == 127 for character in name):
        raise ValidationError({"file": "The file name contains control characters; rename the file and try again."})
    # Room for the folder and the suffix storage adds to a name already used, within one file name's 255 bytes.
    if len(name) > MAX_FILE_NAME or len(name.encode("utf-8")) > MAX_FILE_NAME_BYTES:
        raise ValidationError(
            {
                "file": f"The file name is {len(name)} characters long; rename the file to "
                f"{MAX_FILE_NAME} characters or fewer and upload it again."
            }
        )
    size = uploaded_file.size
    if size == 0:
        raise ValidationError({"file": "The selected file is empty."})
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError({"file": f"The selected file must be smaller than {limit // (1024 * 1024)} MB."})
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_ATTACHMENT_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".").upper() for e in ALLOWED_ATTACHMENT_TYPES))
        raise ValidationError({"file": f"The selected file must be one of: {allowed}."})
    content_type, signatures = ALLOWED_ATTACHMENT_TYPES[extension]
    # The content decides, not the name: a renamed program or web page is refused whatever it is called.
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    start = head[4:] if extension == ".heic" else head
    if signatures and not any(start.startswith(signature) for signature in signatures):
        raise ValidationError({"file": f"The selected file is not a real {extension.lstrip('.').upper()} file."})
    if not signatures and not _looks_like_text(head, allow_markup=extension == ".eml"):
        raise ValidationError({"file": f"The selected file is not a {extension.lstrip('.').upper()} text file."})
    return CheckedUpload(name=name, content_type=content_type or mimetypes.guess_type(name)[0], size=size)


def add_attachment(case, uploaded_file, uploaded_by, *, description="", visible_to_member=False):
    checked = check_upload(uploaded_file)
    description = (description or "").strip()
    if len(description) > 200:
        raise ValidationError({"description": f"The description is {len(description)} characters; 200 at most."})
    attachment = Attachment(
        case=case,
        original_name=checked.name,
        content_type=checked.content_type,
        size_bytes=checked.size,
        description=description,
        uploaded_by=uploaded_by,
        visible_to_member=visible_to_member,
    )
    attachment.file.save(checked.name, uploaded_file, save=False)
    attachment.save()
    record_event(
        case,
        "attachment_added",
        f"Attachment added: {checked.name}.",
        actor=uploaded_by,
        data={"attachment_id": attachment.pk},
        visible_to_member=visible_to_member,
    )
    return attachment


# --- Notifications ------------------------------------------------------------------------------------


def assign_case(case, handler, *, actor, summary, notice, update_fields=()):
    """Give a case to a handler: the handler's team becomes the case's team when it has none, the timeline
    says so (`summary`), and the handler is told (`notice`) unless they took it themselves. The caller has
    checked the handler may take it and locked the case; `update_fields` are other fields it changed."""
    case.assigned_to = handler
    if not case.team_id:
        profile = OfficerProfile.objects.filter(user=handler).select_related("team").first()
        case.team = profile.team if profile else None
    case.save(update_fields=["assigned_to", "team", "updated_at", *update_fields])
    record_event(case, "assigned", summary, actor=actor, data={"handler": handler.pk})
    if actor is None or handler.pk != actor.pk:
        notify(
            handler,
            f"{case.reference} assigned to you",
            notice,
            kind="assigned",
            case=case,
            url=case.get_absolute_url(),
        )


def notify(recipient, subject, body, *, kind="general", case=None, url="", email=True):
    """Create an in-app notification and, once the transaction commits, email it."""
    notification = Notification.objects.create(
        recipient=recipient,
        case=case,
        kind=kind,
        subject=subject[:200],
        body=body,
        url=url,
        email_wanted=bool(email and recipient.email),
    )
    if notification.email_wanted:
        transaction.on_commit(lambda: send_notification_email(notification.pk))
    return notification


def notify_many(notifications):
    """Create many unsaved notifications at once; their emails go out in one batch after commit."""
    for notification in notifications:
        notification.email_wanted = bool(notification.email_wanted and notification.recipient.email)
    created = Notification.objects.bulk_create(notifications, batch_size=2_000)
    if any(n.email_wanted for n in created):
        transaction.on_commit(send_pending_emails)
    return created


def urgent_recipients(case):
    """Who hears at once about an urgent case: the duty senior managers; when none is configured, the managers
    and heads of service of the teams covering the case's service, and the administrators (so an urgent case
    is never told to nobody). `manage.py check` warns when no duty senior manager exists."""
    from django.contrib.auth import get_user_model

    from casework.models import Team
    from casework.roles import Role, group_name

    users = get_user_model().objects.filter(is_active=True)
    duty = list(users.filter(officer__is_duty_senior_manager=True))
    if duty:
        return duty
    teams = Team.objects.filter(service_areas=case.service_area_id)
    ids = {pk for pair in teams.values_list("manager_id", "head_of_service_id") for pk in pair if pk}
    return list(
        users.filter(Q(pk__in=ids) | Q(groups__name=group_name(Role.ADMINISTRATOR)) | Q(is_superuser=True))
        .distinct()
        .order_by("id")
    )


def notify_urgent(case, *, reasons=""):
    """Tell at once, in-app and by email, whoever hears of urgent cases: an urgent case does not wait for a
    sweep. Returns the notifications created."""
    why = f" ({reasons})" if reasons else ""
    return [
        notify(
            manager,
            f"Urgent: {case.reference} needs attention now",
            f"{case.reference} ({case.service_area}) was flagged urgent{why}: {case.summary}",
            kind="urgent_case",
            case=case,
            url=case.get_absolute_url(),
        )
        for manager in urgent_recipients(case)
    ]


def send_notification_email(notification_id):
    from casework.tasks import email_notification

    email_notification.delay(notification_id)


def send_pending_emails():
    from casework.tasks import email_pending_notifications

    email_pending_notifications.delay()


def email_claim_timeout():
    """How long a worker's claim on an email holds. A worker renews its claim on each email just before
    sending it, so only a worker that died (or stalled that long) loses it, and what it left is sent again by
    the next delivery run, a minute later (EMAIL_CLAIM_SECONDS, default 60)."""
    return timedelta(seconds=getattr(settings, "EMAIL_CLAIM_SECONDS", 60))


def _claim_email(notification_id):
    """Take the email of one notification for this worker, or return None if it is sent or being sent.
    A conditional UPDATE, so two workers never both take it. Returns the claim's time, which is its token."""
    now = timezone.now()
    claimable = Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - email_claim_timeout())
    claimed = Notification.objects.filter(
        claimable, pk=notification_id, email_wanted=True, emailed_at__isnull=True
    ).update(email_claimed_at=now)
    return now if claimed else None


def _renew_claim(notification_id, claimed_at):
    """Just before sending: still ours (nobody took it over after our claim lapsed)? Renew it if so."""
    now = timezone.now()
    renewed = Notification.objects.filter(pk=notification_id, email_claimed_at=claimed_at, emailed_at__isnull=True)
    return now if renewed.update(email_claimed_at=now) else None


def notification_message_id(notification):
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "casework.local"
    return f"<notification-{notification.pk}@{domain}>"


def _email_message(notification, connection=None):
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    body = notification.body + (f"\n\n{link}" if link else "")
    return EmailMessage(
        notification.subject,
        body,
        to=[notification.recipient.email],
        connection=connection,
        # The same Message-ID however often it is sent: mail systems drop a copy that a retry after a crash
        # between sending and recording might produce.
        headers={"Message-ID": notification_message_id(notification)},
    )


def _send_claimed(notification, claimed_at, mail):
    """Send one claimed email and record it at once: a worker killed at any point leaves at most this one
    email sent but unrecorded (sent again later with the same Message-ID)."""
    if _renew_claim(notification.pk, claimed_at) is None:
        return False  # our claim lapsed and another worker has it
    _email_message(notification, mail).send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def deliver_notification_email(notification_id):
    """Send one notification's email unless it has been sent or another worker is sending it."""
    claimed_at = _claim_email(notification_id)
    if claimed_at is None:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    with get_connection() as mail:
        sent = _send_claimed(notification, claimed_at, mail)
    if sent:
        logger.info("Emailed notification %s to user %s", notification.pk, notification.recipient_id)
    return sent


# Claimed a few at a time: what a killed worker leaves claimed waits only for its claim to lapse.
CLAIM_BATCH = 20


def _claim_batch(size):
    """Claim up to `size` unsent emails for this worker in one statement; other workers skip them.
    Returns (ids, the claim's time)."""
    now = timezone.now()
    stale = now - email_claim_timeout()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Notification._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET email_claimed_at = %s WHERE id IN ("  # noqa: S608 - the model's table
                f"SELECT id FROM {table} WHERE email_wanted AND emailed_at IS NULL "
                "AND (email_claimed_at IS NULL OR email_claimed_at < %s) "
                "ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING id",
                [now, stale, size],
            )
            return [row[0] for row in cursor.fetchall()], now
    # SQLite: the transaction takes the database's write lock when it begins, so no other writer interleaves.
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(email_wanted=True, emailed_at__isnull=True)
            .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=stale))
            .order_by("created_at")
            .values_list("pk", flat=True)[:size]
        )
        Notification.objects.filter(pk__in=ids).update(email_claimed_at=now)
    return ids, now


def deliver_pending_emails(limit=None, batch_size=CLAIM_BATCH):
    """Send every notification email not yet sent, over one mail connection, claiming a few at a time.
    Runs every minute (beat) and after each sweep, so an email whose worker died goes within about two
    minutes. Returns how many were sent."""
    sent = 0
    with get_connection() as mail:
        while limit is None or sent < limit:
            size = batch_size if limit is None else min(batch_size, limit - sent)
            claimed, claimed_at = _claim_batch(size)
            if not claimed:
                break
            for notification in Notification.objects.filter(pk__in=claimed).select_related("recipient"):
                sent += _send_claimed(notification, claimed_at, mail)
    if sent:
        logger.info("Emailed %s pending notifications", sent)
    return sent


def mark_notifications_read(user, ids=None):
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# --- Officers' tools on a queue -----------------------------------------------------------------------

# At most this many cases in one bulk reassignment: each goes through its workflow, with its checks and history,
# so a request stays within a page's time; a larger set is narrowed by the filter first.
BULK_REASSIGN_LIMIT = 500


@dataclass
class Reassignment:
    """What a bulk reassignment did to one case: reassigned, or refused and why."""

    case: object
    done: bool
    message: str


def reassign_cases(queue, cases, handler, *, actor):
    """Give each case to `handler` through its workflow's "assign" action, so each gets its history entry and
    every rule of assignment holds (an officer barred from a resident's cases, a stage 2 handler independent of
    stage 1, a closed case). Each case is its own transaction: a refusal leaves that case as it was and the
    others go on. Returns one Reassignment per case, in order."""
    from casework import registry
    from casework.permissions import can_reassign_in_bulk
    from casework.workflow import name_of

    if not can_reassign_in_bulk(actor):
        raise Forbidden("Only complaints officers and managers may reassign cases in bulk.")
    cases = list(cases)
    if not cases:
        raise InvalidInput("Select at least one case to reassign.", "case")
    if len(cases) > BULK_REASSIGN_LIMIT:
        raise InvalidInput(
            f"{len(cases):,} cases are selected: reassign at most {BULK_REASSIGN_LIMIT:,} at once; narrow the filter.",
            "case",
        )
    workflow = registry.workflow_for(queue.kind)
    results = []
    for case in cases:
        if case.assigned_to_id == handler.pk:
            results.append(Reassignment(case, False, f"Already assigned to {name_of(handler)}."))
            continue
        try:
            workflow.run(case, "assign", actor=actor, handler=handler)
        except NotAllowed as refusal:
            results.append(Reassignment(case, False, refusal.message))
        except InvalidInput as problem:
            results.append(Reassignment(case, False, str(problem)))
        else:
            results.append(Reassignment(case, True, f"Reassigned to {name_of(handler)}."))
    return results


def save_view(*, owner, queue, name, query, team=None):
    """Keep a queue's filter under a name, for the owner or for one of their teams."""
    from django.http import QueryDict

    from casework import registry
    from casework.models import SavedView
    from casework.selectors import teams_of

    problems = {}
    name = " ".join((name or "").split())
    if not name:
        problems["name"] = ["Enter a name for the view."]
    elif len(name) > SavedView.NAME_LENGTH:
        problems["name"] = [f"The name must be {SavedView.NAME_LENGTH} characters or fewer; it has {len(name)}."]
    elif SavedView.objects.filter(owner=owner, queue=queue, name__iexact=name).exists():
        problems["name"] = [f"You already have a view called “{name}”: choose another name, or delete that one."]
    if registry.queue_for(queue) is None:
        problems.setdefault("__all__", []).append("There is no such queue.")
    if team is not None and not teams_of(owner).filter(pk=team.pk).exists():
        problems["team"] = ["You can share a view only with a team you belong to."]
    # The page number is where the officer was, not what they filter by.
    params = QueryDict(query or "", mutable=True)
    params.pop("page", None)
    query = params.urlencode()
    if len(query) > SavedView.QUERY_LENGTH:
        problems.setdefault("__all__", []).append("That filter is too long to save.")
    if problems:
        raise InvalidInput(problems)
    return SavedView.objects.create(owner=owner, queue=queue, name=name, query=query, team=team)


def delete_view(view, *, actor):
    if view.owner_id != actor.pk:
        raise Forbidden("Only the officer who saved a view may delete it.")
    view.delete()
