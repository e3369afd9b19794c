from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Take in new email from the mailbox MAILBOX_URL names (or --url) to the Incoming queue, as the beat task "
        "does every two minutes. Safe to run at any time, and again after a run that was stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", help="An IMAP address instead of MAILBOX_URL, e.g. imaps://user:pw@host/INBOX.")
        parser.add_argument("--limit", type=int, help="At most this many messages (default MAILBOX_BATCH_SIZE).")

    def handle(self, *args, **options):
        from casework.jobs import recorded_job
        from casework.models import JobRun, JobRunStatus
        from incoming.services import fetch_mail

        with recorded_job("fetch_mail (by hand)") as run:
            result = fetch_mail(options["url"], limit=options["limit"])
            run.summary = str(result)
        if result.error:
            JobRun.objects.filter(pk=run.pk).update(status=JobRunStatus.FAILED, error=result.error)
            raise CommandError(str(result))
        self.stdout.write(str(result))
