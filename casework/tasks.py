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
    """Send every notification email not sent yet: after a sweep, and hourly as a safety net."""
    with recorded_job("email_pending_notifications") as run:
        sent = services.deliver_pending_emails()
        run.summary = f"{sent} emails sent"
    return sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=3)
def apply_retention_schedule():
    """Anonymise closed cases past the retention period (casework.retention); the run's report is recorded."""
    from casework.retention import apply_retention

    with recorded_job("apply_retention_schedule") as run:
        report = apply_retention(dry_run=False)
        run.summary = "; ".join(report.lines())
    return report.cases
