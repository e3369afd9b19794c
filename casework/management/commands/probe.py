from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Health probes for containers: `probe beat` fails unless Celery beat has sent its every-minute email "
        "delivery task in the last five minutes; `probe ready` runs the readiness checks of /readyz."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["beat", "ready"])

    def handle(self, *args, **options):
        if options["what"] == "beat":
            from django_celery_beat.models import PeriodicTask

            last = (
                PeriodicTask.objects.filter(task="casework.tasks.email_pending_notifications", enabled=True)
                .order_by("-last_run_at")
                .values_list("last_run_at", flat=True)
                .first()
            )
            if last is None or last < timezone.now() - timedelta(minutes=5):
                raise CommandError(f"Beat has not sent the email delivery task since {last or 'it started'}.")
            self.stdout.write(f"beat ok (last sent {last:%H:%M:%S})")
            return
        from django.test import RequestFactory

        from casework.health import ProbeMiddleware

        response = ProbeMiddleware(lambda request: None)(RequestFactory().get("/readyz?format=json"))
        self.stdout.write(response.content.decode())
        if response.status_code != 200:
            raise CommandError("not ready")
