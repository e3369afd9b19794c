"""A record of each scheduled job's run, shown in the admin (Job runs): what ran, what it did, what failed.

A run whose worker was killed (kill -9, a lost machine) cannot record its own end. On PostgreSQL each run
holds an advisory lock on its own database session while it runs; the session ends with the process, so a
"running" run whose lock anyone can take has no worker any more, and `mark_dead_runs` (every few minutes)
records it as failed. Elsewhere (SQLite, one process) a run still "running" after JOB_RUN_STALE_HOURS is."""

import logging
import traceback
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.models import JobRun, JobRunStatus

logger = logging.getLogger(__name__)

# Advisory lock keys: this namespace in the high bits, the run's id in the low ones.
RUN_LOCK_NAMESPACE = 0x4A4F_4252 << 32  # "JOBR"
DIED = "The worker running this job stopped (killed, or its machine lost) before the run finished."


def _lock_key(run_id):
    return RUN_LOCK_NAMESPACE | run_id


def _hold_run_lock(run):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key(run.pk)])


def _release_run_lock(run):
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(run.pk)])


@contextmanager
def recorded_job(job):
    """Record a run; the body sets `run.summary`. A failure is recorded with its traceback and re-raised,
    so Celery still retries it."""
    run = JobRun.objects.create(job=job)
    _hold_run_lock(run)
    try:
        yield run
    except Exception:
        run.status = JobRunStatus.FAILED
        run.error = traceback.format_exc()[-10_000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "summary"])
        logger.exception("Job %s failed", job)
        raise
    finally:
        _release_run_lock(run)
    run.status = JobRunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "summary"])
    logger.info("Job %s: %s", job, run.summary)


def mark_dead_runs():
    """Record as failed every run left "running" by a worker that no longer exists. Returns how many."""
    # A run a moment old may not hold its lock yet.
    running = JobRun.objects.filter(status=JobRunStatus.RUNNING, started_at__lt=timezone.now() - timedelta(minutes=1))
    dead = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for run_id in running.values_list("pk", flat=True):
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(run_id)])
                if cursor.fetchone()[0]:
                    dead.append(run_id)
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(run_id)])
    else:
        stale = timezone.now() - timedelta(hours=getattr(settings, "JOB_RUN_STALE_HOURS", 6))
        dead = list(running.filter(started_at__lt=stale).values_list("pk", flat=True))
    if not dead:
        return 0
    marked = JobRun.objects.filter(pk__in=dead, status=JobRunStatus.RUNNING).update(
        status=JobRunStatus.FAILED, finished_at=timezone.now(), error=DIED
    )
    logger.warning("%s job runs had lost their worker and are recorded as failed", marked)
    return marked
