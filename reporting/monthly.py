"""The monthly report: on the first working day of each month, the previous month's figures are stored once
as a snapshot and emailed once to each address on the leadership list.

Exactly once: the snapshot is unique per month (a second run, a retry or a second worker finds it and does
not make another); each email is a row unique per report and address, claimed with a conditional UPDATE
before sending and marked sent after, so a retry sends only what was not sent. A worker that died after
claiming leaves a claim that is taken again once stale."""

import datetime
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casework.exports import XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from reporting import exports, selectors, trend
from reporting.models import LeadershipRecipient, MonthlyReport, MonthlyReportEmail
from reporting.periods import previous_month
from sla import engine

DASH = "\u2013"  # an en dash: shown where there is nothing to divide by

logger = logging.getLogger(__name__)


@dataclass
class MonthlyRunResult:
    day: datetime.date
    month: datetime.date | None = None
    skipped: str = ""
    created: bool = False
    emailed: list = field(default_factory=list)

    def __str__(self):
        if self.skipped:
            return f"{self.day}: no monthly report ({self.skipped})"
        stored = "stored" if self.created else "already stored"
        sent = f"emailed to {len(self.emailed)}" if self.emailed else "no emails left to send"
        return f"{self.day}: report for {self.month:%B %Y} {stored}; {sent}"


def first_working_day(month):
    day = month.replace(day=1)
    return day if engine.is_working_day(day) else engine.next_working_day(day)


def leadership_list():
    """The active addresses from the admin's leadership list and the MONTHLY_REPORT_RECIPIENTS setting."""
    configured = [address.strip().lower() for address in getattr(settings, "MONTHLY_REPORT_RECIPIENTS", []) if address]
    stored = LeadershipRecipient.objects.filter(is_active=True).values_list("email", flat=True)
    return sorted({*configured, *(address.lower() for address in stored)})


def jsonable(data):
    """Dates as ISO text and Decimals as text, as the API gives them."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def store_report(month, today=None):
    """The snapshot for `month`, made now if there is none. Returns (report, created)."""
    month = month.replace(day=1)
    existing = MonthlyReport.objects.filter(month=month).first()
    if existing:
        return existing, False
    figures = jsonable(selectors.monthly_figures(month, today=today))
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(month=month, figures=figures), True
    except IntegrityError:  # another worker stored it first
        return MonthlyReport.objects.get(month=month), False


def run_monthly_report(day=None, *, force=False):
    """For `day` (default today): on the first working day of its month (any day with `force`), store last
    month's report if it is not stored yet and email it to everyone on the leadership list who has not had
    it. On any other day, send what an earlier run left unsent (a worker that died mid-way)."""
    day = day or timezone.localdate()
    result = MonthlyRunResult(day)
    first = first_working_day(day)
    if not force and day != first:
        result.skipped = f"runs on the first working day of the month, {first:%a %-d %b %Y}"
        result.emailed = send_unsent_report_emails()
        return result
    month = previous_month(day)
    report, result.created = store_report(month, today=day)
    # On the first working day of April the year just ended joins the stored trend, before anyone reads it.
    trend.store_recent(day)
    result.month = report.month
    MonthlyReportEmail.objects.bulk_create(
        [MonthlyReportEmail(report=report, email=address) for address in leadership_list()], ignore_conflicts=True
    )
    result.emailed = send_report_emails(report)
    logger.info("Monthly report %s", result)
    return result


def claim_timeout():
    """As for notification emails: a claim is renewed just before each send, so it lapses only when its
    worker died, and the next delivery run (every minute) sends what was left."""
    return datetime.timedelta(seconds=getattr(settings, "EMAIL_CLAIM_SECONDS", 60))


CLAIM_BATCH = 10


def _claim(report, size=CLAIM_BATCH):
    """Claim up to `size` of the report's unsent emails for this worker; returns (ids, the claim's time)."""
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout())
    pending = list(
        MonthlyReportEmail.objects.filter(claimable, report=report, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    claimed = []
    for pk in pending:
        # A conditional update: of two workers, only one takes each email.
        if MonthlyReportEmail.objects.filter(claimable, pk=pk, sent_at__isnull=True).update(claimed_at=now):
            claimed.append(pk)
    return claimed, now


def report_message_id(email):
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "casework.local"
    return f"<monthly-report-{email.report.month:%Y-%m}-{email.pk}@{domain}>"


def report_message(report, to, connection=None, message_id=None):
    figures = report.figures
    headline, escalation, rise = figures["headline"], figures["escalation"], figures["rise"]
    link = settings.SITE_URL.rstrip("/") + reverse("reporting:monthly-detail", args=[report.month.strftime("%Y-%m")])

    def show(value, suffix=""):
        return DASH if value in (None, "") else f"{value}{suffix}"

    body = "\n".join(
        [
            f"Complaints and members' enquiries: {report.month:%B %Y}",
            "",
            f"Complaint stages received: {headline['received']} (rise over the year-to-date average: "
            f"{show(rise['rise_percent'], '%')})",
            f"Responses sent: {headline['responded']}; within target: {show(headline['percent_within_target'], '%')}",
            f"Average working days to respond: {show(headline['average_working_days'])}",
            f"Upheld or partly upheld: {show(headline['percent_upheld'], '%')}",
            f"Escalated to stage 2: {escalation['stage_2']} ({show(escalation['rate_percent'], '%')} of stage 1)",
            f"Members' enquiries received: {rise['enquiries']}",
            "",
            f"The full report, with tables by stage, service area and issue nature: {link}",
            "The CSV and spreadsheet versions are attached.",
        ]
    )
    message = EmailMessage(
        f"{settings.COUNCIL_NAME}: complaints report for {report.month:%B %Y}",
        body,
        to=[to],
        connection=connection,
        # Stable per report and address: a copy resent after a crash between sending and recording is the
        # same message to the mail system.
        headers={"Message-ID": message_id} if message_id else None,
    )
    sheets = exports.spreadsheet_safe(exports.monthly_sheets(figures))
    name = f"complaints-report-{report.month:%Y-%m}"
    message.attach(f"{name}.xlsx", xlsx_bytes(sheets), XLSX_CONTENT_TYPE)
    message.attach(
        f"{name}.csv",
        csv_bytes(["Table", "Row", "Column", "Value"], exports.as_long_rows(sheets)),
        "text/csv",
    )
    return message


def send_report_emails(report):
    """Send the report to every address not sent yet, a few claimed at a time; returns the addresses sent to.
    Each email is recorded as sent the moment it has gone, so a worker killed at any point leaves at most one
    sent but unrecorded (resent later with the same Message-ID)."""
    sent = []
    with get_connection() as connection:
        while True:
            claimed, claimed_at = _claim(report)
            if not claimed:
                break
            for email in MonthlyReportEmail.objects.filter(pk__in=claimed).select_related("report"):
                # Still ours? Renew the claim just before sending; one that lapsed and was taken is left alone.
                still_ours = MonthlyReportEmail.objects.filter(
                    pk=email.pk, claimed_at=claimed_at, sent_at__isnull=True
                ).update(claimed_at=timezone.now())
                if not still_ours:
                    continue
                report_message(report, email.email, connection, message_id=report_message_id(email)).send()
                MonthlyReportEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now())
                sent.append(email.email)
    return sent


def send_unsent_report_emails():
    """Any stored report's emails that a run left unsent or claimed by a worker that died; any day."""
    stale = timezone.now() - claim_timeout()
    reports = MonthlyReport.objects.filter(
        Q(emails__claimed_at__isnull=True) | Q(emails__claimed_at__lt=stale), emails__sent_at__isnull=True
    ).distinct()
    sent = []
    for report in reports:
        sent.extend(send_report_emails(report))
    return sent
