import datetime

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run a scheduled job by hand, for operations and tests: `deadlines` (the deadline sweep, for --date, "
        "default today; --force runs it on a non-working day), `emails` (send pending notification emails), "
        "and, when installed, `monthly-report` and `learning-cycle`."
    )

    def add_arguments(self, parser):
        parser.add_argument("sweep", choices=["deadlines", "emails", "monthly-report", "learning-cycle"])
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD; default today.")
        parser.add_argument("--force", action="store_true", help="Run the deadline sweep even on a non-working day.")

    def handle(self, *args, **options):
        from casework.jobs import recorded_job

        sweep, day = options["sweep"], options["date"]
        with recorded_job(f"{sweep} (by hand)") as run:
            if sweep == "deadlines":
                from sla.sweep import run_deadline_sweep

                result = run_deadline_sweep(day, force=options["force"])
            elif sweep == "emails":
                from casework.services import deliver_pending_emails

                result = f"{deliver_pending_emails()} emails sent"
            elif sweep == "monthly-report":
                try:
                    from reporting.monthly import run_monthly_report
                except ImportError as error:
                    raise CommandError("The monthly report is not installed.") from error
                result = run_monthly_report(day, force=options["force"])
            else:
                try:
                    from learning.services import run_monthly_cycle
                except ImportError as error:
                    raise CommandError("The learning cycle is not installed.") from error
                result = run_monthly_cycle(day, force=options["force"])
            run.summary = str(result)
        self.stdout.write(str(result))
