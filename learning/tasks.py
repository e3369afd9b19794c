import datetime

from celery import shared_task
from django.db import OperationalError

from casework.jobs import recorded_job
from learning import services


def _day(day):
    return datetime.date.fromisoformat(day) if day else None


@shared_task(acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def monthly_learning_cycle(day=None):
    """Each weekday at 06:45; does its work on the first working day of a month: a learning action plan for
    every service with complaints upheld last month. Safe to run again."""
    with recorded_job("monthly_learning_cycle") as run:
        result = services.run_monthly_cycle(_day(day))
        run.summary = str(result)
    return str(result)


@shared_task(acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def chase_overdue_plans(day=None):
    """Each working day at 07:15: chase overdue learning action plans and promised actions, each once per
    due date."""
    with recorded_job("chase_overdue_plans") as run:
        result = services.chase_overdue(_day(day))
        run.summary = str(result)
    return {"day": str(result.day), "skipped": result.skipped, "sent": result.sent}
