from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import current_demo_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo logins (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("There are no demo logins in production.")
        self.stdout.write(current_demo_code())
