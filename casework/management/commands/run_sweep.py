import datetime

from django.core.management.base import BaseCommand, CommandError

from casework import registry


class Command(BaseCommand):
    help = (
        "Run a scheduled job by hand, for operations and tests: `emails` (send pending notification emails) and "
        "each job the apps register: `deadlines` (the deadline sweep, for --date, default today; --force runs it "
        "on a non-working day), `monthly-report`, `learning-cycle`."
    )

    def add_arguments(self, parser):
        parser.add_argument("sweep", help="emails, or a registered job: " + ", ".join(sorted(registry.jobs())))
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD; default today.")
        parser.add_argument("--force", action="store_true", help="Run the job even on a day it would skip.")

    def handle(self, *args, **options):
        from casework.jobs import recorded_job

        sweep, day = options["sweep"], options["date"]
        jobs = registry.jobs()
        if sweep != "emails" and sweep not in jobs:
            raise CommandError(f"No job '{sweep}'; choose emails or one of: {', '.join(sorted(jobs))}.")
        with recorded_job(f"{sweep} (by hand)") as run:
            if sweep == "emails":
                from casework.services import deliver_pending_emails

                result = f"{deliver_pending_emails()} emails sent"
            else:
                result = jobs[sweep](day, options["force"])
            run.summary = str(result)
        self.stdout.write(str(result))
