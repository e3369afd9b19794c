from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = "Working days and deadlines"

    def ready(self):
        from casework import registry

        registry.reference_data(load_bank_holidays)
        registry.job("deadlines", deadline_sweep)
        registry.schedule(
            "Deadline sweep", "sla.tasks.deadline_sweep", "0", "7", "1-5", "*",
            "Reminders, due-today notices and escalations; it skips bank holidays and closure days itself.",
        )  # fmt: skip
        registry.schedule(
            "Bank holiday refresh", "sla.tasks.refresh_bank_holidays", "0", "6", "1", "*",
            "Imports the GOV.UK bank holidays table weekly when BANK_HOLIDAYS_REFRESH is on.",
        )  # fmt: skip
        registry.schedule(
            "Calendar recompute check", "sla.tasks.resume_recomputes", "*/5", "*", "*", "*",
            "Every five minutes: a calendar change whose recompute did not finish (a worker killed) is run again.",
        )  # fmt: skip
        registry.schedule(
            "Deadline consistency check", "sla.tasks.check_deadlines", "40", "3", "*", "*",
            "Nightly: every open clock's due date is derived again from its events and the calendar; any that "
            "differs is corrected, with a timeline entry.",
        )  # fmt: skip


def load_bank_holidays():
    from sla.services import load_shipped_bank_holidays

    return load_shipped_bank_holidays()


def deadline_sweep(day, force):
    from sla.sweep import run_deadline_sweep

    return run_deadline_sweep(day, force=force)
