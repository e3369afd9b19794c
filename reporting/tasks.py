import logging

from celery import shared_task
from django.db import OperationalError

from casework.jobs import recorded_job
from reporting import facts, monthly

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def monthly_report(day=None):
    """Each weekday morning; on the first working day of a month it stores last month's report and emails it
    to the leadership list. Safe to run again: nothing is stored or sent twice."""
    import datetime

    with recorded_job("monthly_report") as run:
        result = monthly.run_monthly_report(datetime.date.fromisoformat(day) if day else None)
        run.summary = str(result)
    return str(result)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def check_report_figures():
    """Nightly: bring the reports' stored figures up to date with rows written in bulk (imports)."""
    with recorded_job("check_report_figures") as run:
        rewritten = facts.refresh_all()
        run.summary = f"{rewritten} stage figures rewritten; every day summed again"
    return rewritten


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_complaint_figures(first_id, last_id):
    """After an import commits: count its complaints (a block of ids) in the reports. Rows written with COPY
    send no signals; the nightly check would catch them too, this makes it seconds rather than a night."""
    days = facts.refresh_complaint_range(first_id, last_id)
    logger.info("Report figures refreshed for complaints %s to %s: %s days summed again", first_id, last_id, days)
    return days


@shared_task(acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def send_unsent_report_emails():
    """Every few minutes: monthly report emails a dead worker left unsent, whatever the day."""
    sent = monthly.send_unsent_report_emails()
    if sent:
        logger.info("Monthly report emails resumed: %s sent", len(sent))
    return len(sent)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_closure_survey(survey_id):
    """Email the resident the short survey of their closed complaint, once; SMTP trouble is retried."""
    from reporting import closure_survey

    return closure_survey.deliver(survey_id)
