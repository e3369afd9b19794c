from celery import shared_task

from casework.jobs import recorded_job
from online import services, uploads


@shared_task(
    bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_acknowledgement(self, submission_id):
    """Email the sender of an online form its receipt; SMTP trouble (an OSError) is retried with backoff."""
    return services.deliver_acknowledgement(submission_id)


@shared_task(acks_late=True)
def remove_abandoned_uploads():
    """Nightly: files added to online forms that were never sent are deleted."""
    with recorded_job("remove_abandoned_uploads") as run:
        removed = uploads.remove_abandoned()
        run.summary = f"{removed} files removed"
    return removed


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_pending_acknowledgements():
    """Hourly safety net: receipts whose worker died before sending them go now (each still only once)."""
    with recorded_job("send_pending_acknowledgements") as run:
        sent = services.deliver_pending_acknowledgements()
        run.summary = f"{sent} receipts sent"
    return sent
