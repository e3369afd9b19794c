"""Demo logins' second factor, for `make run`: every demo account's authenticator app uses one published key, so a
developer adds it to an app (or runs `manage.py demo_code`) once for all of them. Never in production."""

import base64

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import AUTHENTICATOR_NAME

DEMO_TOTP_KEY = "CASEWORKDEMOCASEWORKDEMOCASEWORK"  # base32, as an authenticator app takes it


def demo_key_hex():
    return base64.b32decode(DEMO_TOTP_KEY).hex()


def current_demo_code():
    return f"{totp(bytes.fromhex(demo_key_hex())):06d}"


def load_demo(stdout):
    if settings.PRODUCTION:
        raise RuntimeError("Demo accounts are never given a second factor in production.")
    from casework.demo import demo_users

    usernames = [username for username, _ in demo_users()]
    try:
        from enquiries.demo import demo_portal_users

        usernames += [username for username, _ in demo_portal_users()]
    except ImportError:
        pass
    for user in get_user_model().objects.filter(username__in=usernames):
        TOTPDevice.objects.update_or_create(
            user=user, name=AUTHENTICATOR_NAME, defaults={"key": demo_key_hex(), "confirmed": True}
        )


def second_factor_note():
    return (
        f"Second factor for every demo login: authenticator key {DEMO_TOTP_KEY} (time-based, 6 digits); "
        "add it to any authenticator app, or run `python manage.py demo_code` for the current code."
    )
