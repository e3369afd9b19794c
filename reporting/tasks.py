from celery import shared_task
from django.db import OperationalError

from casework.jobs import recorded_job
from reporting import facts, monthly


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
