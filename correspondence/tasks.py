from celery import shared_task

from casework.jobs import recorded_job
from correspondence import services


@shared_task(
    bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_email(self, email_id):
    """Send one email about a case (a letter's); it is sent once, however often this runs."""
    return services.deliver_email(email_id)


@shared_task(acks_late=True)
def send_pending_emails():
    """Every ten minutes: emails about cases written but not sent (a mail server down, a worker that died)."""
    with recorded_job("send_pending_case_emails") as run:
        run.summary = services.run_email_delivery()
    return run.summary
