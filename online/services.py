"""Sending the residents' online form: it becomes a complaint or a service request through the complaints
app's own intake services, with the resident, their representative, their files and an acknowledgement email."""

import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from casework.services import (
    DomainError,
    add_attachment,
    add_representative,
    create_resident,
    record_event,
)
from complaints import services as complaints
from complaints.models import Channel
from correspondence.services import record_sent_email
from online import selectors, uploads
from online.models import OnlineSubmission

logger = logging.getLogger(__name__)

# The user the timeline names for what the form does, and the uploader of its files: the form, not a person.
FORM_USERNAME = "online-form"
SUMMARY_LENGTH = 100
ACKNOWLEDGEMENT_CLAIM_TIMEOUT = timedelta(minutes=10)


class TooManySubmissions(DomainError):
    """One address sent more forms in the last hour than ONLINE_SUBMISSIONS_PER_HOUR allows."""


@dataclass(frozen=True)
class Representative:
    name: str
    relationship: str
    organisation: str = ""


@dataclass(frozen=True)
class OnlineAnswers:
    """What the resident (or someone for them) told the form, checked."""

    complaint: bool  # False: asking for something to be put right for the first time (a service request)
    first_name: str
    last_name: str
    service_area: object
    description: str
    contact_method: str
    email: str = ""
    phone: str = ""
    adjustments: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    complaint_type: str = ""
    issue_occurred_on: object = None
    outcome_wanted: str = ""
    urgent_reasons: tuple = ()
    representative: Representative | None = None
    held_files: list = field(default_factory=list)

    @property
    def on_behalf(self):
        return self.representative is not None

    @property
    def address(self):
        return "\n".join(line for line in (self.address_line_1, self.address_line_2, self.town) if line)


def form_user():
    """The account the form acts as: inactive and without a password or role, so nobody can sign in as it."""
    user, created = get_user_model().objects.get_or_create(
        username=FORM_USERNAME, defaults={"first_name": "Online", "last_name": "complaint form", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sender_hash(address):
    """A keyed hash of the sender's network address: enough to count their forms, not to know who they are."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def check_rate(address, now=None):
    now = now or timezone.now()
    recent = OnlineSubmission.objects.filter(
        sender_hash=sender_hash(address), submitted_at__gte=now - timedelta(hours=1)
    ).count()
    if recent >= settings.ONLINE_SUBMISSIONS_PER_HOUR:
        raise TooManySubmissions(
            "You have sent several forms from this connection in the last hour. Wait an hour and try again, "
            "or phone us."
        )


def summary_of(description):
    """A line for officers' lists: the first line of what the resident wrote, cut at a word."""
    first = description.strip().splitlines()[0].strip()
    if len(first) <= SUMMARY_LENGTH:
        return first
    return first[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def submit(*, answers, submission_key, sender_address):
    """Record the form as one case, or return the one already recorded with this key.

    Returns (submission, created). Refuses (TooManySubmissions) an address over the hourly limit. The case,
    its resident, representative, files and history are written in one transaction; the acknowledgement email
    and the removal of the held files wait for it to commit."""
    existing = OnlineSubmission.objects.filter(submission_key=submission_key, case__isnull=False).first()
    if existing is not None:
        return existing, False
    check_rate(sender_address)
    try:
        with transaction.atomic():
            submission = _record(answers=answers, submission_key=submission_key, sender_address=sender_address)
    except IntegrityError:
        # The same form sent twice at once: the other request made the case; answer with it.
        existing = OnlineSubmission.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return submission, True


def _record(*, answers, submission_key, sender_address):
    # The key is claimed first, so a second copy of the form waits here (and then fails) before any other write.
    submission = OnlineSubmission.objects.create(
        submission_key=submission_key,
        sender_hash=sender_hash(sender_address),
        on_behalf=answers.on_behalf,
        files=len(answers.held_files),
        acknowledgement_to=answers.email,
    )
    actor = form_user()
    received_on = timezone.localdate()
    resident = create_resident(
        first_name=answers.first_name,
        last_name=answers.last_name,
        # Someone acting for the resident gave their own details, which are the representative's.
        email="" if answers.on_behalf else answers.email,
        phone="" if answers.on_behalf else answers.phone,
        address=answers.address,
        postcode=answers.postcode,
    )
    if answers.adjustments and not answers.on_behalf:
        resident.reasonable_adjustments = answers.adjustments
        resident.save(update_fields=["reasonable_adjustments"])
    representative = None
    if answers.on_behalf:
        representative = add_representative(
            resident,
            name=answers.representative.name,
            relationship=answers.representative.relationship,
            email=answers.email,
            phone=answers.phone,
        )
        if answers.representative.organisation:
            representative.organisation = answers.representative.organisation
            representative.save(update_fields=["organisation"])
    summary = summary_of(answers.description)
    if answers.complaint:
        case = complaints.log_complaint(
            actor=actor,
            received_on=received_on,
            channel=Channel.WEB_FORM,
            service_area=answers.service_area,
            issue_nature=selectors.issue_nature_for(answers.service_area),
            complaint_type=answers.complaint_type,
            summary=summary,
            description=answers.description,
            outcome_wanted=answers.outcome_wanted,
            issue_occurred_on=answers.issue_occurred_on,
            is_urgent=bool(answers.urgent_reasons),
            urgent_reason=answers.urgent_reasons[0] if answers.urgent_reasons else "",
            urgent_details=_urgent_details(answers),
            vulnerability_noted=bool(answers.urgent_reasons),
            resident=resident,
            representative=representative,
        )
    else:
        case = complaints.log_service_request(
            actor=actor,
            received_on=received_on,
            service_area=answers.service_area,
            description=answers.description,
            channel=Channel.WEB_FORM,
            resident=resident,
            summary=summary,
        )
        if representative is not None:
            case.representative = representative
            case.save(update_fields=["representative", "updated_at"])
    for held in answers.held_files:
        with uploads.open_held(held) as handle:
            add_attachment(case, handle, actor, description="Sent with the online form")
    record_event(case, "submitted_online", _submitted_summary(answers), actor=actor, data=_event_data(answers))
    submission.case = case
    submission.save(update_fields=["case"])
    transaction.on_commit(lambda: _after_commit(submission.pk, answers))
    return submission


def _urgent_details(answers):
    from online.forms import URGENT_REASONS

    labels = dict(URGENT_REASONS)
    return "; ".join(f"The form says: {labels[reason].lower()}" for reason in answers.urgent_reasons)


def _submitted_summary(answers):
    from online.forms import URGENT_REASONS

    who = "the resident"
    if answers.on_behalf:
        rep = answers.representative
        who = f"{rep.name} ({rep.relationship}{', ' + rep.organisation if rep.organisation else ''}) for the resident"
    parts = [f"Sent through the online form by {who}."]
    contact = {"email": "email", "phone": "phone", "letter": "letter"}[answers.contact_method]
    parts.append(f"Wants to be contacted by {contact}.")
    if answers.urgent_reasons:
        labels = dict(URGENT_REASONS)
        parts.append("Said urgent: " + ", ".join(labels[r].lower() for r in answers.urgent_reasons) + ".")
    if answers.held_files:
        parts.append(f"{len(answers.held_files)} file{'s' if len(answers.held_files) != 1 else ''} attached.")
    return " ".join(parts)


def _event_data(answers):
    return {
        "on_behalf": answers.on_behalf,
        "contact_method": answers.contact_method,
        "urgent_reasons": list(answers.urgent_reasons),
        "files": len(answers.held_files),
    }


def _after_commit(submission_id, answers):
    for held in answers.held_files:
        uploads.discard(held)
    from online.tasks import send_acknowledgement

    send_acknowledgement.delay(submission_id)


# --- The acknowledgement email ------------------------------------------------------------------------


def _claim_acknowledgement(submission_id):
    """Take the acknowledgement for this worker, or False if it is sent, being sent, or has no address. A
    conditional UPDATE, so two workers (or a retry) never both send it."""
    now = timezone.now()
    claimable = Q(acknowledgement_claimed_at__isnull=True) | Q(
        acknowledgement_claimed_at__lt=now - ACKNOWLEDGEMENT_CLAIM_TIMEOUT
    )
    return bool(
        OnlineSubmission.objects.filter(
            claimable, pk=submission_id, acknowledgement_sent_at__isnull=True, case__isnull=False
        )
        .exclude(acknowledgement_to="")
        .update(acknowledgement_claimed_at=now)
    )


def acknowledgement_message(submission):
    """The email that confirms what the council received and the dates it commits to."""
    submission = selectors.sent_submission(submission.pk)
    case = submission.case
    context = {
        "submission": submission,
        "case": case,
        "complaint": submission.complaint,
        "promise": submission.promise,
        "council": {
            "name": settings.COUNCIL_NAME,
            "phone": settings.COUNCIL_PHONE,
            "emergency_phone": settings.COUNCIL_EMERGENCY_PHONE,
            "email": settings.COUNCIL_COMPLAINTS_EMAIL,
        },
        "addressee": case.representative.name if submission.on_behalf and case.representative else case.resident,
    }
    kind = "complaint" if submission.complaint else "request"
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "casework.local"
    return EmailMessage(
        f"We have received your {kind}: {case.reference}",
        render_to_string("online/email/acknowledgement.txt", context),
        to=[submission.acknowledgement_to],
        reply_to=[settings.COUNCIL_COMPLAINTS_EMAIL],
        # The same Message-ID however often it is sent, so a retry after a crash is dropped as a duplicate.
        headers={"Message-ID": f"<online-{submission.submission_key}@{domain}>"},
    )


def deliver_acknowledgement(submission_id):
    """Send a form's acknowledgement once; afterwards forget the address it went to. Returns True if sent."""
    if not _claim_acknowledgement(submission_id):
        return False
    submission = OnlineSubmission.objects.get(pk=submission_id)
    message = acknowledgement_message(submission)
    message.send()
    OnlineSubmission.objects.filter(pk=submission_id).update(
        acknowledgement_sent_at=timezone.now(), acknowledgement_to=""
    )
    # The submission forgets the address; the case's correspondence keeps the email, as it keeps every one.
    record_sent_email(submission.case, message)
    record_event(
        submission.case,
        "acknowledgement_emailed",
        "Emailed the sender an automatic receipt with the reference and the dates we commit to "
        "(not the acknowledgement the procedure asks of an officer).",
        actor=form_user(),
    )
    logger.info("Emailed the acknowledgement of online submission %s", submission_id)
    return True


def deliver_pending_acknowledgements():
    """Send every receipt not sent yet whose form was sent more than a claim's timeout ago. Returns how many."""
    stale = timezone.now() - ACKNOWLEDGEMENT_CLAIM_TIMEOUT
    pending = (
        OnlineSubmission.objects.filter(
            acknowledgement_sent_at__isnull=True, case__isnull=False, submitted_at__lt=stale
        )
        .exclude(acknowledgement_to="")
        .values_list("pk", flat=True)
    )
    return sum(deliver_acknowledgement(pk) for pk in list(pending))
