from celery import shared_task

from casework import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def email_notification(self, notification_id):
    """Email an in-app notification; SMTP trouble (an OSError) is retried with backoff."""
    return services.deliver_notification_email(notification_id)
