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
        "Email delivery",
        "casework.tasks.email_pending_notifications",
        "*",
        "*",
        "*",
        "*",
        "Every minute: sends any notification email not sent yet (for example one a dead worker left).",
    ),
    (
        "Monthly report emails",
        "reporting.tasks.send_unsent_report_emails",
        "*/5",
        "*",
        "*",
        "*",
        "Every five minutes: monthly report emails an interrupted run left unsent, on any day.",
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
        "Calendar recompute check",
        "sla.tasks.resume_recomputes",
        "*/5",
        "*",
        "*",
        "*",
        "Every five minutes: a calendar change whose recompute did not finish (a worker killed) is run again.",
    ),
    (
        "Deadline consistency check",
        "sla.tasks.check_deadlines",
        "40",
        "3",
        "*",
        "*",
        "Nightly: every open clock's due date is derived again from its events and the calendar; any that "
        "differs is corrected, with a timeline entry.",
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
