"""The short TP09 survey sent to the resident when their complaint closes (optional: settings.CLOSURE_SURVEY).

Who is asked: the resident of a complaint under the landlord scheme about a low-cost rental (LCRA) or low-cost
home ownership (LCHO) home, with an email address: TP09 is a landlord measure reported for those homes apart.
One survey per complaint, however often it is closed and reopened. The email goes after the closing
transaction commits, once (a conditional claim, so a retry or a second worker never sends it twice); the address
is forgotten once it is sent. The resident answers the TP09 question on a public page reached by the link's
token; the answer becomes a `SurveyAnswer` (survey "Complaint closure survey", the complaint's reference, the
home's stock type), counted in TP09 with the perception survey's answers. "Don't know" is outside TP09's base:
it is thanked for and not stored as an answer."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from casework.errors import InvalidInput, NotAllowed
from casework.models import StockType
from casework.services import record_event
from reporting.models import ClosureSurvey, Satisfaction, SurveyAnswer

logger = logging.getLogger(__name__)
SURVEY_NAME = "Complaint closure survey"
DONT_KNOW = "dont_know"
# The transitions that close a complaint with an answer the resident can judge (not a withdrawal or refusal).
CLOSED_BY = {"close", "resolve_early"}
TP09_STOCK = {StockType.LCRA, StockType.LCHO}
CLAIM_TIMEOUT = timedelta(minutes=10)
# How long the link takes answers: TP09 asks of complaints made in the last 12 months.
OPEN_FOR = timedelta(days=90)


def complaint_changed(complaint, what):
    """The complaint workflow's after-change hook: a complaint closed; invite its resident if the council asks."""
    if what in CLOSED_BY and settings.CLOSURE_SURVEY:
        invite(complaint)


def why_not_invited(complaint):
    resident, home = complaint.resident, complaint.home
    if resident is None or not resident.email:
        return "the resident has no email address"
    if not complaint.procedure_version.scheme.is_landlord:
        return "it is not a complaint about the council as landlord"
    if home is None or home.stock_type not in TP09_STOCK:
        return "its home is not low-cost rental or low-cost home ownership stock"
    return None


def invite(complaint):
    """The complaint's survey, created and queued to send after commit; None if its resident is not asked."""
    if why_not_invited(complaint):
        return None
    survey, created = ClosureSurvey.objects.get_or_create(
        complaint=complaint, defaults={"token": secrets.token_urlsafe(32), "send_to": complaint.resident.email}
    )
    if created:
        from reporting.tasks import send_closure_survey

        transaction.on_commit(lambda: send_closure_survey.delay(survey.pk))
    return survey


def link(survey):
    return f"{settings.SITE_URL.rstrip('/')}{reverse('reporting:closure-survey', args=[survey.token])}"


def message(survey):
    complaint = survey.complaint
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "casework.local"
    context = {"complaint": complaint, "link": link(survey), "council": settings.COUNCIL_NAME, "days": OPEN_FOR.days}
    return EmailMessage(
        f"How did we handle your complaint? {complaint.reference}",
        render_to_string("reporting/email/closure_survey.txt", context),
        to=[survey.send_to],
        reply_to=[settings.COUNCIL_COMPLAINTS_EMAIL],
        headers={"Message-ID": f"<closure-survey-{survey.pk}@{domain}>"},
    )


def deliver(survey_id):
    """Send one survey's email unless it is sent or being sent; returns True if this call sent it."""
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    claimed = (
        ClosureSurvey.objects.filter(claimable, pk=survey_id, sent_at__isnull=True)
        .exclude(send_to="")
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    survey = ClosureSurvey.objects.select_related("complaint").get(pk=survey_id)
    message(survey).send()
    ClosureSurvey.objects.filter(pk=survey_id).update(sent_at=timezone.now(), send_to="")
    record_event(
        survey.complaint,
        "closure_survey_sent",
        "Emailed the resident the short survey on how their complaint was handled (TP09).",
        actor=None,
    )
    logger.info("Emailed the closure survey of complaint %s", survey.complaint_id)
    return True


def for_token(token):
    return ClosureSurvey.objects.select_related("complaint__home").filter(token=token).first()


def why_not_answered(survey, now=None):
    if survey.answered_at is not None:
        return "This survey has already been answered. Thank you for telling us."
    if (now or timezone.now()) > survey.created_at + OPEN_FOR:
        return "This survey has closed."
    return None


def answer(token, value, *, now=None):
    """Store the resident's answer once. Returns the SurveyAnswer, or None for "don't know"."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = ClosureSurvey.objects.select_for_update().filter(token=token).first()
        if survey is None:
            raise NotAllowed("This survey link is not one of ours.")
        reason = why_not_answered(survey, now)
        if reason:
            raise NotAllowed(reason)
        if value != DONT_KNOW and value not in Satisfaction.values:
            raise InvalidInput({"answer": ["Select how satisfied or dissatisfied you are"]})
        home = survey.complaint.home
        stored = None
        if value != DONT_KNOW and home is not None and home.stock_type in TP09_STOCK:
            stored = SurveyAnswer.objects.create(
                answered_on=timezone.localdate(now),
                stock_type=home.stock_type,
                answer=value,
                home=home,
                survey=SURVEY_NAME,
                reference=survey.complaint.reference,
            )
        survey.answer, survey.answered_at = stored, now
        survey.save(update_fields=["answer", "answered_at"])
    return stored
