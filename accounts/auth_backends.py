"""Local passwords, for the accounts that may still use one."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from casework.roles import Role, roles_of


def is_break_glass(user):
    """An emergency administrator account named in BREAK_GLASS_USERNAMES: it keeps its password (and second factor)
    when staff passwords are switched off, for the day single sign-on is down. Every use is audited."""
    return user.get_username() in settings.BREAK_GLASS_USERNAMES


def password_sign_in_allowed(user):
    """With STAFF_PASSWORD_SIGN_IN off, a password signs in only a members' office account (member portal role
    and nothing else) or a break-glass account; staff sign in with their council account."""
    if settings.STAFF_PASSWORD_SIGN_IN or is_break_glass(user):
        return True
    if user.is_staff or user.is_superuser:
        return False
    return roles_of(user) == {Role.MEMBER_PORTAL}


class LocalPasswordBackend(ModelBackend):
    """Django's password check, refusing the accounts that may not use a password now.

    A refused password is answered like a wrong one, so the sign-in page reveals nothing and the lockout counts
    it. A session this backend signed in also ends at its next request once staff passwords are switched off."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and password_sign_in_allowed(user)
