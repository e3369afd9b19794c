from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from casework.jobs import recorded_job
from casework.models import JobRun, JobRunStatus
from incoming import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def fetch_mail():
    """Every two minutes: new email from the complaints mailbox into the Incoming queue. A mailbox that cannot be
    reached is recorded as a failed run with the reason (no traceback, no retry: the next run tries again)."""
    if not settings.MAILBOX_URL:
        return "MAILBOX_URL is not set"  # no mailbox: nothing to record every two minutes
    with recorded_job("fetch_mail") as run:
        result = services.fetch_mail()
        run.summary = str(result)
    if result.error:
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRunStatus.FAILED, error=result.error, finished_at=timezone.now()
        )
    return str(result)
