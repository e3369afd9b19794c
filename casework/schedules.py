"""The scheduled jobs a new installation starts with, as django-celery-beat entries an administrator can
edit in the admin (Periodic tasks). Installed after migrate; an existing entry is never overwritten."""

import importlib

# The kernel's own jobs; each app registers its own (casework.registry.schedule).
# (name, task, crontab: minute, hour, day_of_week, day_of_month, description)
DEFAULT_SCHEDULES = [
    (
        "Email delivery",
        "casework.tasks.email_pending_notifications",
        "*",
        "*",
        "*",
        "*",
        "Every minute: sends any notification email not sent yet (for example one a dead worker left).",
    ),
    (
        "Dead job runs",
        "casework.tasks.mark_dead_job_runs",
        "*/5",
        "*",
        "*",
        "*",
        "Every five minutes: job runs whose worker was killed are recorded as failed.",
    ),
    (
        "Retention schedule",
        "casework.tasks.apply_retention_schedule",
        "0",
        "2",
        "0",
        "*",
        "Sundays at 02:00: anonymises cases closed more than RETENTION_YEARS ago (see docs/security.md).",
    ),
]


def all_schedules():
    from casework import registry

    return [*DEFAULT_SCHEDULES, *registry.schedules()]


def _task_exists(dotted):
    module, _, name = dotted.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def install_default_schedules(**kwargs):
    from django.db.utils import OperationalError, ProgrammingError
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    try:
        for name, task, minute, hour, day_of_week, day_of_month, description in all_schedules():
            if not _task_exists(task) or PeriodicTask.objects.filter(name=name).exists():
                continue
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week=day_of_week,
                day_of_month=day_of_month,
                month_of_year="*",
                timezone="Europe/London",
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab, description=description)
            created += 1
    except (OperationalError, ProgrammingError):
        return 0  # the beat tables are not migrated yet (a partial migrate)
    return created
