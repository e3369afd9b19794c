"""Who may see and act on what. Views and the API both ask here, so menus are never the only guard."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from rest_framework.permissions import BasePermission

from casework.roles import ALL_CASES_ROLES, Role, has_role, is_staff_user, roles_of


class HasStaffRole(BasePermission):
    """The API's default: signed in, with a staff role."""

    message = "Your account has no staff role."

    def has_permission(self, request, view):
        return is_staff_user(request.user)


class IsManager(BasePermission):
    message = "Only managers and administrators may do this."

    def has_permission(self, request, view):
        return has_role(request.user, Role.MANAGER, Role.ADMINISTRATOR)


def visible_cases(user, queryset):
    """Narrow a queryset of cases (or of models extending Case) to those the user may see.

    Complaints officers, managers and administrators see every case. An investigating officer sees the
    cases of the service areas in their profile and any case assigned to them. Anyone else sees none."""
    roles = roles_of(user)
    if roles & ALL_CASES_ROLES:
        return queryset
    if Role.INVESTIGATING_OFFICER in roles:
        return queryset.filter(Q(assigned_to=user) | Q(service_area__officers__user=user)).distinct()
    return queryset.none()


def can_see_case(user, case):
    roles = roles_of(user)
    if roles & ALL_CASES_ROLES:
        return True
    if Role.INVESTIGATING_OFFICER in roles:
        if case.assigned_to_id == user.pk:
            return True
        profile = getattr(user, "officer", None)
        return bool(profile and profile.service_areas.filter(pk=case.service_area_id).exists())
    return False


def require_staff(user):
    if not is_staff_user(user):
        raise PermissionDenied("Your account has no staff role.")


def role_required(*roles):
    """View decorator: the user must hold one of `roles` (any staff role when none are named)."""
    from functools import wraps

    wanted = set(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            held = roles_of(request.user)
            allowed = bool(held & wanted) if wanted else is_staff_user(request.user)
            if not allowed:
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required()


def visible_residents(user, queryset):
    """Narrow residents to those whose details the user may see: the people of the cases they work.

    Complaints officers, managers and administrators work every case. An investigating officer sees the
    residents of the cases they may see (their service areas, or assigned to them), and nobody else, so a
    name search or a resident's id does not reveal people whose cases are elsewhere."""
    from casework.models import Case

    roles = roles_of(user)
    if roles & ALL_CASES_ROLES:
        return queryset
    if Role.INVESTIGATING_OFFICER in roles:
        cases = visible_cases(user, Case.objects.filter(resident__isnull=False))
        return queryset.filter(pk__in=cases.values("resident_id"))
    return queryset.none()


def can_read_access_log(user):
    return has_role(user, Role.MANAGER, Role.ADMINISTRATOR)


def can_reassign_in_bulk(user):
    """Moving many cases between officers is for those who run the queues, not for an investigating officer."""
    return has_role(user, Role.COMPLAINTS_OFFICER, Role.MANAGER, Role.ADMINISTRATOR)
