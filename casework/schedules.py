"""The scheduled jobs a new installation starts with, as django-celery-beat entries an administrator can
edit in the admin (Periodic tasks). Installed after migrate; an existing entry is never overwritten."""

import importlib

# (name, task, crontab: minute, hour, day_of_week, day_of_month, description)
DEFAULT_SCHEDULES = [
    (
        "Deadline sweep",
        "sla.tasks.deadline_sweep",
        "0",
        "7",
        "1-5",
        "*",
        "Reminders, due-today notices and escalations; it skips bank holidays and closure days itself.",
    ),
    (
        "Bank holiday refresh",
        "sla.tasks.refresh_bank_holidays",
        "0",
        "6",
        "1",
        "*",
        "Imports the GOV.UK bank holidays table weekly when BANK_HOLIDAYS_REFRESH is on.",
    ),
    (
        "Email safety net",
        "casework.tasks.email_pending_notifications",
        "15",
        "*",
        "*",
        "*",
        "Sends any notification email not sent yet (for example after a worker died).",
    ),
    (
        "Monthly report",
        "reporting.tasks.monthly_report",
        "30",
        "6",
        "1-5",
        "*",
        "Runs every weekday; on the first working day of a month it stores last month's report and emails it.",
    ),
    (
        "Report figures check",
        "reporting.tasks.check_report_figures",
        "30",
        "2",
        "*",
        "*",
        "Brings the reports' stored figures up to date with complaints written in bulk (imports).",
    ),
    (
        "Learning cycle",
        "learning.tasks.monthly_learning_cycle",
        "45",
        "6",
        "1-5",
        "*",
        "Runs every weekday; on the first working day of a month it opens action plans for last month's upheld "
        "complaints.",
    ),
    (
        "Learning and action chase",
        "learning.tasks.chase_overdue_plans",
        "15",
        "7",
        "1-5",
        "*",
        "Chases overdue learning action plans and promised actions.",
    ),
    (
        "Online form receipts",
        "online.tasks.send_pending_acknowledgements",
        "20",
        "*",
        "*",
        "*",
        "Sends any receipt of a resident's online form not sent yet (for example after a worker died).",
    ),
    (
        "Online form tidy",
        "online.tasks.remove_abandoned_uploads",
        "30",
        "3",
        "*",
        "*",
        "Nightly: deletes files added to residents' online forms that were never sent.",
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
        for name, task, minute, hour, day_of_week, day_of_month, description in DEFAULT_SCHEDULES:
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
