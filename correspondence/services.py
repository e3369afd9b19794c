"""Writes: administrators' letter templates (each edit kept), letters sent (a PDF stored on the case, its
history entry, its email), and the emails themselves, each sent once with the Message-ID written before it."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from casework.errors import InvalidInput, NotAllowed
from casework.models import Attachment, Case
from casework.services import record_event
from correspondence import documents, kinds, selectors, templating
from correspondence.models import Letter, LetterTemplate, OutboundEmail

logger = logging.getLogger(__name__)

MAX_LETTER_CHARACTERS = 50_000


# --- Templates ----------------------------------------------------------------------------------------


def seed_letter_templates():
    """Create the template of each registered kind that has none, from the file it was first written in."""
    created = 0
    for letter_kind in kinds.all_kinds():
        if not LetterTemplate.objects.filter(kind=letter_kind.kind).exists():
            LetterTemplate.objects.create(
                kind=letter_kind.kind,
                title=letter_kind.title,
                body=templating.flatten_seed(letter_kind.seed, letter_kind.seed_replacements),
            )
            created += 1
    return created


def template_for(kind):
    """The administrators' template of a kind, seeded from its file the first time it is asked for."""
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        letter_kind = kinds.get(kind)
        if letter_kind is None:
            raise NotAllowed(f"There is no '{kind}' letter.")
        seed_letter_templates()
        template = LetterTemplate.objects.get(kind=kind)
    return template


def save_template(template, *, body, actor, title=None):
    """Save an edit; refused with the line and the mistake when the text is not a template that compiles."""
    body = (body or "").replace("\r\n", "\n")
    if not body.strip():
        raise InvalidInput("Write the letter's words.", "body")
    templating.compile_text(body)
    if title is not None and not title.strip():
        raise InvalidInput("Give the letter a title.", "title")
    template.body = body
    if title is not None:
        template.title = title.strip()
    template.updated_by = actor
    template.updated_at = timezone.now()
    template._history_user = actor
    template.save()
    return template


def restore_template(template, history_id, *, actor):
    """Put back the words of an earlier version: a new edit, so the history keeps both."""
    version = template.history.filter(history_id=history_id).first()
    if version is None:
        raise InvalidInput("That version of the template does not exist.")
    return save_template(template, body=version.body, title=version.title, actor=actor)


def preview_template(kind, body, reference=None):
    """What a template (saved or not) gives for a case: (case, words), the case being the one of `reference`
    or the latest (None, and the words filled in with nothing, when there is no case yet). InvalidInput
    saying what is wrong, and on which line, when the template does not compile or cannot be filled in."""
    templating.compile_text(body)
    letter_kind = kinds.get(kind)
    reference = (reference or "").strip()
    found = letter_kind.sample(reference or None) if letter_kind and letter_kind.sample else None
    if found is None:
        if reference:
            raise InvalidInput(f"There is no case {reference} to preview with.", "preview_with")
        return None, templating.render_text(body, {})
    case, context = found
    return case, templating.render_text(body, context)


def preview_template_pdf(kind, *, title, body, reference=None):
    """The PDF a template gives for a case, addressed as a letter on it would be (or to nobody, when no letter
    may be sent on that case)."""
    case, text = preview_template(kind, body, reference)
    delivery, _ = selectors.delivery_or_refusal(case) if case else (None, None)
    return documents.render_pdf(
        documents.LetterDocument(
            title=title,
            reference=case.reference if case else "",
            text=text,
            addressee=delivery.addressee if delivery else "",
            address_lines=delivery.address_lines if delivery else (),
            dated=timezone.localdate(),
            large_print=bool(delivery and delivery.large_print),
        )
    )


# --- Letters ------------------------------------------------------------------------------------------


def _document(case, *, title, text, delivery, large_print):
    return documents.LetterDocument(
        title=title,
        reference=case.reference,
        text=text,
        addressee=delivery.addressee,
        address_lines=delivery.address_lines,
        dated=timezone.localdate(),
        large_print=large_print,
    )


def _clean_text(text):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput("The letter has no words: write them, or start again from the draft.", "text")
    if len(text) > MAX_LETTER_CHARACTERS:
        raise InvalidInput(f"The letter is {len(text):,} characters long; {MAX_LETTER_CHARACTERS:,} at most.", "text")
    return text + "\n"


def preview_pdf(case, *, title, text, large_print=False):
    """The PDF the letter would be, not stored: to check the words and the layout before sending. A letter that
    may not be sent has no preview either, so the reason is seen before the words are worked on."""
    delivery = selectors.delivery_for(case)
    return documents.render_pdf(
        _document(
            case,
            title=title,
            text=_clean_text(text),
            delivery=delivery,
            large_print=large_print or delivery.large_print,
        )
    )


def _message_id():
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "casework.local"
    return f"<letter-{uuid.uuid4().hex}@{domain}>"


def send_letter(case, *, kind, title, text, actor, large_print=False):
    """Send a letter as the officer has it (their edits are what is sent): drawn as a PDF, stored on the case
    as an attachment with a history entry, and emailed when there is an address, after the transaction commits.

    Large print when the resident's needs ask for it, or when the officer asks; refused with the reason when a
    contact restriction stops the letter or there is nowhere to send it."""
    text = _clean_text(text)
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("resident", "representative", "home")
            .get(pk=case.pk)
        )
        delivery = selectors.delivery_for(case)
        large = bool(large_print or delivery.large_print)
        pdf = documents.render_pdf(_document(case, title=title, text=text, delivery=delivery, large_print=large))
        name = f"{case.reference}-{slugify(kind)}{'-large-print' if large else ''}.pdf"
        attachment = Attachment(
            case=case,
            original_name=name,
            content_type="application/pdf",
            size_bytes=len(pdf),
            description=f"{title} letter{' (large print)' if large else ''}, {delivery.label}",
            uploaded_by=actor,
        )
        attachment.file.save(name, ContentFile(pdf), save=False)
        attachment.save()
        letter = Letter.objects.create(
            case=case,
            kind=kind,
            title=title,
            body=text,
            large_print=large,
            addressee=delivery.addressee,
            address="\n".join(delivery.address_lines),
            posted=delivery.post,
            email=delivery.email,
            document=attachment,
            sent_by=actor,
        )
        email = None
        if delivery.email:
            email = OutboundEmail.objects.create(
                case=case,
                letter=letter,
                to=delivery.email,
                subject=f"{title}: {case.reference}",
                body=text,
                message_id=_message_id(),
                sent_by=actor,
            )
        record_event(
            case,
            "letter_sent",
            f"{title} letter{' in large print' if large else ''} to {delivery.addressee}, {delivery.label}."
            + "".join(f" {note}" for note in delivery.notes if note.startswith("Emailed only")),
            actor=actor,
            data={"letter_id": letter.pk, "attachment_id": attachment.pk, "email_id": email.pk if email else None},
        )
        if email is not None:
            from correspondence.tasks import send_email

            email_id = email.pk
            transaction.on_commit(lambda: send_email.delay(email_id))
    return letter


# --- Emails -------------------------------------------------------------------------------------------


def _message(email):
    message = EmailMessage(
        email.subject,
        email.body,
        to=[email.to],
        reply_to=[settings.COUNCIL_COMPLAINTS_EMAIL],
        # Written before the first attempt: a retry after a crash between sending and recording carries the same
        # Message-ID, so the resident's mail system drops the copy.
        headers={"Message-ID": email.message_id},
    )
    document = email.letter.document if email.letter_id and email.letter.document_id else None
    if document is not None:
        with document.file.open("rb") as handle:
            message.attach(document.original_name, handle.read(), document.content_type)
    return message


def _claim(email_id):
    now = timezone.now()
    stale = now - timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)
    claimed = OutboundEmail.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale), pk=email_id, sent_at__isnull=True
    ).update(claimed_at=now)
    return now if claimed else None


def deliver_email(email_id):
    """Send one email unless it has been sent or another worker has it; record it as sent, with a history entry
    on its case. A failure is recorded on the email (and the job sends it again later), never raised at the
    officer who sent the letter: the letter itself is stored."""
    if _claim(email_id) is None:
        return False
    email = OutboundEmail.objects.select_related("letter__document", "case").get(pk=email_id)
    try:
        _message(email).send()
    except Exception as error:  # the mail server's refusals have no common type
        logger.exception("Email %s about case %s was not sent", email.pk, email.case_id)
        OutboundEmail.objects.filter(pk=email.pk).update(error=str(error)[:2000], claimed_at=None)
        return False
    sent_at = timezone.now()
    OutboundEmail.objects.filter(pk=email.pk).update(sent_at=sent_at, error="")
    record_event(
        email.case,
        "email_sent",
        f"Emailed “{email.subject}” to {email.to}.",
        data={"email_id": email.pk, "message_id": email.message_id},
        occurred_at=sent_at,
    )
    return True


def record_sent_email(case, message, *, sent_by=None):
    """Keep in the case's correspondence an email another part of the product has just sent about it (the
    online form's receipt): once per Message-ID, so a retry after a crash is not kept twice."""
    email, _ = OutboundEmail.objects.get_or_create(
        message_id=message.extra_headers["Message-ID"],
        defaults={
            "case": case,
            "to": ", ".join(message.to)[:254],
            "subject": message.subject[:250],
            "body": message.body,
            "sent_at": timezone.now(),
            "sent_by": sent_by,
        },
    )
    return email


def deliver_pending_emails(limit=200):
    """Send what was written but not sent (a mail server that was down, a worker that died)."""
    pending = OutboundEmail.objects.filter(sent_at__isnull=True).order_by("created_at").values_list("pk", flat=True)
    return sum(deliver_email(pk) for pk in list(pending[:limit]))


def run_email_delivery(day=None, force=False):
    return f"{deliver_pending_emails()} letters' emails sent"
