"""A record of each scheduled job's run, shown in the admin (Job runs): what ran, what it did, what failed."""

import logging
import traceback
from contextlib import contextmanager

from django.utils import timezone

from casework.models import JobRun, JobRunStatus

logger = logging.getLogger(__name__)


@contextmanager
def recorded_job(job):
    """Record a run; the body sets `run.summary`. A failure is recorded with its traceback and re-raised,
    so Celery still retries it."""
    run = JobRun.objects.create(job=job)
    try:
        yield run
    except Exception:
        run.status = JobRunStatus.FAILED
        run.error = traceback.format_exc()[-10_000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "summary"])
        logger.exception("Job %s failed", job)
        raise
    run.status = JobRunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "summary"])
    logger.info("Job %s: %s", job, run.summary)
