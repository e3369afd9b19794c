"""System checks on the council's set-up that `manage.py check` reports."""

from django.core.checks import Warning, register
from django.db import DatabaseError


@register()
def duty_senior_manager(app_configs=None, **kwargs):
    """Urgent cases (imminent eviction, domestic abuse, ...) are told at once to the duty senior managers; with
    none, they fall back to the service's managers and the administrators (casework.services.urgent_recipients).
    Warn when officers are working and nobody is on duty. A database not yet set up is not warned about."""
    from django.contrib.auth import get_user_model

    from casework.models import OfficerProfile

    try:
        if not get_user_model().objects.filter(is_active=True, officer__isnull=False).exists():
            return []
        if OfficerProfile.objects.filter(is_duty_senior_manager=True, user__is_active=True).exists():
            return []
    except DatabaseError:
        return []
    return [
        Warning(
            "No active duty senior manager is set: urgent cases go to the service's managers and the administrators.",
            hint="Tick 'Is duty senior manager' on at least one senior manager's officer profile in the admin.",
            id="casework.W001",
        )
    ]
