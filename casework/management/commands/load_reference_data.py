from django.core.management.base import BaseCommand

from casework.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Create the standard service areas and issue natures that are missing (safe to run again)."

    def handle(self, *args, **options):
        created = load_reference_data()
        self.stdout.write(f"Reference data loaded ({created} new rows).")
