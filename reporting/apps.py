from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from casework import registry
        from reporting import signals

        signals.connect()
        registry.demo(load_demo, order=60)
        registry.job("monthly-report", monthly_report)
        # After the case apps' generators (reporting comes later in INSTALLED_APPS): their rows bypass the
        # signals that keep the reports' facts, so the facts are brought up to date once at the end.
        registry.generator(generated_facts)
        registry.schedule(
            "Monthly report", "reporting.tasks.monthly_report", "30", "6", "1-5", "*",
            "Runs every weekday; on the first working day of a month it stores last month's report and emails it.",
        )  # fmt: skip
        registry.schedule(
            "Report figures check", "reporting.tasks.check_report_figures", "30", "2", "*", "*",
            "Brings the reports' stored figures up to date with complaints written in bulk (imports).",
        )  # fmt: skip
        registry.schedule(
            "Monthly report emails", "reporting.tasks.send_unsent_report_emails", "*/5", "*", "*", "*",
            "Every five minutes: monthly report emails an interrupted run left unsent, on any day.",
        )  # fmt: skip


def load_demo(stdout):
    from reporting.demo import load_demo

    load_demo(stdout)


def monthly_report(day, force):
    from reporting.monthly import run_monthly_report

    return run_monthly_report(day, force=force)


def generated_facts(**options):
    from reporting.facts import refresh_all

    if not options.get("complaints"):
        return None
    return f"{refresh_all():,} report facts written."
