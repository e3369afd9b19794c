from celery import shared_task

from casework import services
from casework.jobs import recorded_job


@shared_task(
    bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def email_notification(self, notification_id):
    """Email an in-app notification; SMTP trouble (an OSError) is retried with backoff."""
    return services.deliver_notification_email(notification_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def email_pending_notifications():
    """Send every notification email not sent yet: after a sweep, and every minute (beat), so an email a dead
    worker left is sent within about two minutes. Not recorded as a job run: it runs 1,440 times a day and
    logs what it sends."""
    return services.deliver_pending_emails()


@shared_task(acks_late=True)
def mark_dead_job_runs():
    """Every five minutes: job runs whose worker was killed are recorded as failed (casework.jobs)."""
    from casework.jobs import mark_dead_runs

    return mark_dead_runs()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=3)
def apply_retention_schedule():
    """Anonymise closed cases past the retention period (casework.retention); the run's report is recorded."""
    from casework.retention import apply_retention

    with recorded_job("apply_retention_schedule") as run:
        report = apply_retention(dry_run=False)
        run.summary = "; ".join(report.lines())
    return report.cases
