from django.core.management.base import BaseCommand

from casework.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise closed cases older than the retention period (RETENTION_YEARS, 6 by default). "
        "Use --dry-run first to see what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what is due; change nothing.")
        parser.add_argument("--years", type=int, default=None, help="Override RETENTION_YEARS for this run.")
        parser.add_argument("--limit", type=int, default=None, help="Anonymise at most this many cases, oldest first.")

    def handle(self, *args, dry_run, years, limit, **options):
        report = apply_retention(dry_run=dry_run, years=years, limit=limit)
        for line in report.lines():
            self.stdout.write(line)
