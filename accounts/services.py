"""Writes for signing in: accounts and roles from the directory, two-factor devices and recovery codes, API
tokens, and the audit rows that go with each."""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import AccountEvent, AccountEventKind, DirectoryIdentity
from accounts.selectors import directory_claim_values, groups_overage, roles_for_claims
from casework.auth_backends import client_ip
from casework.roles import STAFF_ROLES, Role, group_name

logger = logging.getLogger(__name__)

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def record_event(kind, user, *, by=None, request=None, detail=""):
    event = AccountEvent.objects.create(
        kind=kind,
        user=user,
        username=user.get_username(),
        by=by,
        ip_address=client_ip(request) if request is not None else None,
        detail=detail[:500],
    )
    return event


# --- Single sign-on ------------------------------------------------------------------------------------------


def _new_username(claims):
    """A readable, unique user name from what the provider says about the person."""
    User = get_user_model()
    for claim in ("preferred_username", "upn", "email", "sub"):
        candidate = re.sub(r"[^\w.@+-]", "-", str(claims.get(claim) or "").strip().lower())[:140]
        if candidate:
            break
    username, number = candidate, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{candidate}-{number}"
    return username


def _update_details(user, claims):
    """Names and e-mail follow the directory, so a change of name there shows here at the next sign-in."""
    first = claims.get("given_name") or ""
    last = claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _, last = str(claims["name"]).partition(" ")
    email = claims.get("email") or ""
    if not email and "@" in str(claims.get("preferred_username") or ""):
        email = claims["preferred_username"]  # Entra ID's UPN, when the optional email claim is not configured
    changed = []
    for field, value, limit in (("first_name", first, 150), ("last_name", last, 150), ("email", email, 254)):
        value = str(value)[:limit]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    return changed


@transaction.atomic
def sign_in_from_directory(*, issuer, claims, request=None):
    """The user the provider vouched for: found by issuer and subject, created on first sign-in with no role, with
    names and e-mail from the claims and staff roles exactly those the directory's groups map to now."""
    User = get_user_model()
    subject = str(claims["sub"])
    identity = (
        DirectoryIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = User(username=_new_username(claims))
        user.set_unusable_password()  # a directory account never signs in with a password here
        _update_details(user, claims)
        user.save()
        identity = DirectoryIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        logger.info("First single sign-on: created user %s for %s", user.username, identity)
    else:
        user = identity.user
        changed = _update_details(user, claims)
        if changed:
            user.save(update_fields=changed)
    identity.last_signed_in_at = timezone.now()
    identity.last_groups = directory_claim_values(claims, "groups")
    identity.last_app_roles = directory_claim_values(claims, "roles")
    identity.save(update_fields=["last_signed_in_at", "last_groups", "last_app_roles"])
    if groups_overage(claims):
        logger.warning(
            "Single sign-on for %s: the provider sent no groups claim (the user is in too many groups), so no role "
            "comes from groups; use app roles or 'groups assigned to the application' (docs/operations.md)",
            user.username,
        )
        record_event(
            AccountEventKind.GROUPS_OVERAGE,
            user,
            request=request,
            detail="No groups claim: too many groups for the token. Roles from groups were not given.",
        )
    set_roles_from_directory(user, roles_for_claims(claims), request=request)
    return user


def set_roles_from_directory(user, wanted, *, request=None):
    """Make the user's staff roles exactly `wanted`; a members' portal role (set by the team) is left alone."""
    wanted = set(wanted) & STAFF_ROLES
    names = {group_name(role): role for role in STAFF_ROLES}
    held = {names[name] for name in user.groups.filter(name__in=names).values_list("name", flat=True)}
    given, removed = wanted - held, held - wanted
    if given:
        groups = [Group.objects.get_or_create(name=group_name(role))[0] for role in given]
        user.groups.add(*groups)
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=[group_name(role) for role in removed]))
    is_staff = Role.ADMINISTRATOR in wanted or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_casework_roles", None)
    if given or removed:
        labels = lambda roles: ", ".join(sorted(Role(role).label for role in roles)) or "none"  # noqa: E731
        detail = f"Given: {labels(given)}. Removed: {labels(removed)}."
        logger.info("Roles from the directory for %s. %s", user.username, detail)
        record_event(AccountEventKind.ROLES_FROM_DIRECTORY, user, request=request, detail=detail)
    return wanted


# --- Two-factor authentication -------------------------------------------------------------------------------


def start_two_factor_set_up(user):
    """The authenticator the user is setting up: a new secret, kept (unconfirmed) until they enter a code from it,
    so reloading the page does not change the QR code they have just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def confirm_two_factor(user, device, code, *, request=None):
    """Turn the authenticator on once the user proves it works; returns the new recovery codes, or None when the
    code is wrong."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError("This authenticator is not being set up.")
    if django_otp.verify_token(user, device.persistent_id, code) is None:
        return None
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    record_event(AccountEventKind.TWO_FACTOR_SET_UP, user, request=request)
    return codes


@dataclass(frozen=True)
class SecondFactor:
    device: object
    recovery_code: bool
    recovery_codes_left: int = 0


def verify_second_factor(user, code, *, request=None, allow_recovery_code=True):
    """The device that accepts `code` (a six-digit code from the authenticator, or a recovery code, which is then
    used up), or None. django-otp throttles each device: after a wrong code the next is refused for 1, 2, 4...
    seconds."""
    if code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    elif allow_recovery_code:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    else:
        return None
    for device in devices:
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is None:
            continue
        if isinstance(verified, StaticDevice):
            left = StaticToken.objects.filter(device=verified).count()
            record_event(AccountEventKind.RECOVERY_CODE_USED, user, request=request, detail=f"{left} left")
            return SecondFactor(verified, recovery_code=True, recovery_codes_left=left)
        return SecondFactor(verified, recovery_code=False)
    return None


@transaction.atomic
def replace_recovery_codes(user, *, request=None):
    codes = _new_recovery_codes(user)
    record_event(AccountEventKind.RECOVERY_CODES_REPLACED, user, request=request)
    return codes


@transaction.atomic
def reset_two_factor(user, *, by, request=None):
    """For a lost phone: remove the user's authenticator and recovery codes, so their next sign-in with a password
    asks them to set up a new one. Check who is asking before doing it: until they do, the password alone lets
    them (or whoever has it) set one up."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    record_event(AccountEventKind.TWO_FACTOR_RESET, user, by=by, request=request)
    logger.warning("Two-factor authentication of %s reset by %s", user.username, by.get_username() if by else "-")
    return removed


# --- API tokens ----------------------------------------------------------------------------------------------


def issue_api_token(user, *, days=None, by=None, request=None):
    """A token for an integration acting as `user`; returns (token, key). The key is shown once: only its digest
    is stored."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(f"A token lasts between 1 and {settings.API_TOKEN_MAX_DAYS} days.")
    token, key = AuthToken.objects.create(user=user, expiry=timedelta(days=days))
    record_event(
        AccountEventKind.API_TOKEN_ISSUED,
        user,
        by=by,
        request=request,
        detail=f"Token {token.token_key}..., expires {timezone.localtime(token.expiry):%Y-%m-%d %H:%M}",
    )
    return token, key


@transaction.atomic
def revoke_api_tokens(tokens, *, by=None, request=None):
    """Revoke (delete) tokens: the next call with one of them answers 401."""
    revoked = 0
    for token in list(tokens.select_related("user")):
        record_event(
            AccountEventKind.API_TOKEN_REVOKED, token.user, by=by, request=request, detail=f"Token {token.token_key}..."
        )
        token.delete()
        revoked += 1
    return revoked
