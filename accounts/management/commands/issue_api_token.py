from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import issue_api_token, revoke_api_tokens


class Command(BaseCommand):
    help = (
        "Issue an API token for an integration's user (printed once; only its digest is kept), or revoke all of "
        "a user's tokens with --revoke."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=settings.API_TOKEN_DAYS, help="days until it expires")
        parser.add_argument("--revoke", action="store_true", help="revoke every token of this user instead")

    def handle(self, *args, username, days, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if revoke:
            count = revoke_api_tokens(user.auth_token_set.all())
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        try:
            token, key = issue_api_token(user, days=days)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stderr.write(f"Token for {username}, expires {timezone.localtime(token.expiry):%Y-%m-%d %H:%M}:")
        self.stdout.write(key)
