"""Reads for signing in: what the directory's claims mean here, and the state of a user's second factor."""

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import DirectoryClaim, DirectoryRoleMapping
from casework.roles import Role


def directory_claim_values(claims, claim):
    """A claim's values as a list of strings, whether the provider sent a list or a single value."""
    value = claims.get(claim)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item is not None]
    return [str(value)]


def groups_overage(claims):
    """Entra ID leaves the groups claim out when the user is in more groups than fit in a token (200), and says so
    with `_claim_names` (or `hasgroups`) instead."""
    names = claims.get("_claim_names")
    return "groups" not in claims and ((isinstance(names, dict) and "groups" in names) or bool(claims.get("hasgroups")))


def roles_for_claims(claims):
    """The roles the administrators' mapping gives for these groups and app roles. Values are compared without
    regard to case: Entra ID's group object IDs are GUIDs, which people copy in either case."""
    sent = {
        DirectoryClaim.GROUPS: {value.lower() for value in directory_claim_values(claims, "groups")},
        DirectoryClaim.ROLES: {value.lower() for value in directory_claim_values(claims, "roles")},
    }
    return {
        Role(mapping.role)
        for mapping in DirectoryRoleMapping.objects.all()
        if mapping.value.strip().lower() in sent.get(mapping.claim, set())
    }


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
