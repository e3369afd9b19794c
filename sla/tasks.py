import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from casework.jobs import recorded_job
from sla import services, sweep

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def recompute_clocks(changes, division=None, change_id=None):
    """Recompute open clocks after a calendar change. `changes`: {"YYYY-MM-DD": why}. Safe to run twice, or
    on two workers at once: runs are serialised, and a change already carried out is not done again."""
    parsed = {datetime.date.fromisoformat(day): why for day, why in changes.items()}
    result = services.recompute_open_clocks(parsed, division, change_id=change_id)
    return {"examined": result.examined, "moved": result.moved, "cases": result.cases}


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def resume_recomputes():
    """Every five minutes: carry out any calendar change whose recompute did not finish (its worker died)."""
    results = services.recompute_pending_changes()
    if results:
        logger.warning("Resumed %s unfinished calendar recomputes", len(results))
    return len(results)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def check_deadlines():
    """Nightly: every open clock's due date derived again and any that differs corrected (with history)."""
    with recorded_job("check_deadlines") as run:
        check = services.check_deadlines(repair=True)
        run.summary = str(check)
    return {"examined": check.examined, "wrong": len(check.wrong), "repaired": check.repaired}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def refresh_bank_holidays():
    """Weekly: import the GOV.UK table when the deployment is allowed to reach it."""
    with recorded_job("refresh_bank_holidays") as run:
        if not settings.BANK_HOLIDAYS_REFRESH:
            run.summary = "Off (BANK_HOLIDAYS_REFRESH is not set); nothing fetched."
            return "disabled"
        result = services.import_bank_holidays(services.fetch_bank_holidays())
        run.summary = f"From {settings.BANK_HOLIDAYS_URL}: {result}"
    return str(result)


@shared_task(acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def deadline_sweep(day=None):
    """Each working day at 07:00: reminders, due-today notices and escalations. Safe to run again."""
    with recorded_job("deadline_sweep") as run:
        result = sweep.run_deadline_sweep(datetime.date.fromisoformat(day) if day else None)
        run.summary = str(result)
    return {"day": str(result.day), "skipped": result.skipped, "sent": result.sent}
