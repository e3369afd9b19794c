from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import reset_two_factor


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes (a lost phone); they set up a new one at their next "
        "sign-in. The admin's user list has the same action."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        reset_two_factor(user, by=None)
        self.stdout.write(f"Two-factor authentication of {username} reset: they set it up again at next sign-in.")
