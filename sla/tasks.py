import datetime
import logging

from celery import shared_task
from django.conf import settings

from sla import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def recompute_clocks(changes, division=None):
    """Recompute open clocks after a calendar change. `changes`: {"YYYY-MM-DD": why}. Safe to run twice:
    a second run finds nothing left to move."""
    parsed = {datetime.date.fromisoformat(day): why for day, why in changes.items()}
    result = services.recompute_open_clocks(parsed, division)
    return {"examined": result.examined, "moved": result.moved, "cases": result.cases}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def refresh_bank_holidays():
    """Weekly: import the GOV.UK table when the deployment is allowed to reach it."""
    if not settings.BANK_HOLIDAYS_REFRESH:
        logger.info("Bank holiday refresh is off (BANK_HOLIDAYS_REFRESH); nothing fetched.")
        return "disabled"
    result = services.import_bank_holidays(services.fetch_bank_holidays())
    logger.info("Bank holidays refreshed from %s: %s", settings.BANK_HOLIDAYS_URL, result)
    return str(result)
