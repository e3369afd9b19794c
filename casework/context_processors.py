from django.conf import settings
from django.urls import NoReverseMatch, reverse

from casework.roles import ALL_CASES_ROLES, STAFF_ROLES, Role, roles_of
from casework.selectors import unread_notification_count

# The header's links after "My work": (label, URL name, roles that may use it). A link whose app is not
# installed yet is left out.
NAV_LINKS = [
    ("Complaints", "complaints:queue", STAFF_ROLES),
    ("Enquiries", "enquiries:queue", STAFF_ROLES),
    ("Incoming", "incoming:queue", ALL_CASES_ROLES),
    ("Ombudsman", "ombudsman:list", STAFF_ROLES),
    ("Learning", "learning:register", STAFF_ROLES),
    ("Dashboard", "reporting:dashboard", {Role.MANAGER, Role.ADMINISTRATOR, Role.COMPLAINTS_OFFICER}),
    ("Reports", "reporting:performance", {Role.MANAGER, Role.ADMINISTRATOR}),
    ("Deadlines", "sla:calculator", STAFF_ROLES),
    ("Import", "imports:upload", {Role.ADMINISTRATOR}),
    ("Access log", "casework:access-log", {Role.MANAGER, Role.ADMINISTRATOR}),
    ("Subject access", "casework:subject-access-search", {Role.ADMINISTRATOR}),
    ("Letter templates", "correspondence:templates", {Role.ADMINISTRATOR}),
]


# Which header link a page belongs to when it is not itself in the header: a complaint's page is under
# "Complaints", the annual report under "Reports".
SECTIONS = {
    "complaints": "complaints:queue",
    "enquiries": "enquiries:queue",
    "ombudsman": "ombudsman:list",
    "learning": "learning:register",
    "reporting": "reporting:performance",
    "sla": "sla:calculator",
    "imports": "imports:upload",
    "incoming": "incoming:queue",
    "correspondence": "correspondence:templates",
}


def _current(request):
    """(the view name of the page, the header link's URL name for its section)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None, None
    return match.view_name, SECTIONS.get(match.namespace)


def _links_for(roles, request=None):
    view_name, section = _current(request)
    names = {url_name for _, url_name, _ in NAV_LINKS}
    links = []
    for label, url_name, allowed in NAV_LINKS:
        if not roles & set(allowed):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        if view_name == url_name:
            current = "page"
        elif view_name not in names and section == url_name:
            current = "true"  # a page within the section (WAI-ARIA: aria-current="true")
        else:
            current = ""
        links.append({"label": label, "url": url, "url_name": url_name, "current": current})
    return links


def navigation(request):
    """What the signed-in user's roles may use: the header shows only these links."""
    user = getattr(request, "user", None)
    roles = roles_of(user)
    staff = bool(roles & STAFF_ROLES)
    return {
        "council_name": settings.COUNCIL_NAME,
        "nav": {
            "staff": staff,
            "manager": bool(roles & {Role.MANAGER, Role.ADMINISTRATOR}),
            "all_cases": bool(roles & ALL_CASES_ROLES),
            "administrator": Role.ADMINISTRATOR in roles,
            "portal": Role.MEMBER_PORTAL in roles,
        },
        "nav_links": _links_for(roles, request) if staff else [],
        "unread_notifications": unread_notification_count(user) if roles else 0,
    }
