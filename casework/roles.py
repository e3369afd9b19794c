"""Roles are Django groups. Who may do what is decided from them here and in `casework.permissions`."""

from django.contrib.auth.models import Group, Permission
from django.db import models


class Role(models.TextChoices):
    COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer"
    MANAGER = "manager", "Manager"
    ADMINISTRATOR = "administrator", "Administrator"
    MEMBER_PORTAL = "member_portal", "Member portal user"


STAFF_ROLES = frozenset({Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER, Role.ADMINISTRATOR})
# Roles that see every case, whatever its service area or handler.
ALL_CASES_ROLES = frozenset({Role.COMPLAINTS_OFFICER, Role.MANAGER, Role.ADMINISTRATOR})

# Apps whose data an administrator keeps in the admin site (accounts: roles from the directory and the sign-in
# audit; knox: the integrations' API tokens).
ADMINISTRATOR_APPS = (
    "casework",
    "sla",
    "complaints",
    "enquiries",
    "ombudsman",
    "learning",
    "reporting",
    "incoming",
    "accounts",
    "knox",
)


def group_name(role):
    return Role(role).label


def roles_of(user):
    """The set of roles a user holds, cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_casework_roles", None)
    if cached is None:
        labels = {label: value for value, label in Role.choices}
        cached = frozenset(Role(labels[name]) for name in user.groups.values_list("name", flat=True) if name in labels)
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATOR}
        user._casework_roles = cached
    return cached


def has_role(user, *roles):
    return bool(roles_of(user) & set(roles))


def is_staff_user(user):
    return bool(roles_of(user) & STAFF_ROLES)


def assign_role(user, role):
    group, _ = Group.objects.get_or_create(name=group_name(role))
    user.groups.add(group)
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_casework_roles", None)


def ensure_roles(**kwargs):
    """Create the role groups; give administrators the model permissions of the product's apps.

    Connected to post_migrate for every app, so it runs again once later apps' permissions exist."""
    for role in Role:
        Group.objects.get_or_create(name=group_name(role))
    administrators = Group.objects.get(name=group_name(Role.ADMINISTRATOR))
    permissions = Permission.objects.filter(content_type__app_label__in=(*ADMINISTRATOR_APPS, "auth"))
    administrators.permissions.add(*permissions)
