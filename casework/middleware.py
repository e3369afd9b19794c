import functools

from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render

from accounts.oidc import provider_origin
from casework.roles import roles_of

# Pages anyone signed in may open whatever their role: signing in and out (with a password and second factor, or
# single sign-on), password reset, recovery codes, static files.
ROLE_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/accounts/two-factor/",
    "/accounts/oidc/",
    "/static/",
    "/healthz",
    "/readyz",
    "/.well-known/",
)


class RoleRequiredMiddleware:
    """A signed-in user without any role opens nothing but the sign-in pages.

    Runs after Django's LoginRequiredMiddleware, which already sends anonymous users to sign in. Views that
    opted out of login (DRF's, which authenticate tokens themselves) are guarded by their own permission
    classes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if request.path.startswith(ROLE_EXEMPT_PREFIXES):
            return None
        user = request.user
        if user.is_authenticated and not roles_of(user):
            return render(request, "casework/no_role.html", status=403)
        return None


class ContentSecurityPolicyMiddleware:
    """No inline scripts or styles, nothing from other origins: every script and style is a file we serve.

    Forms post only to this site, with one exception: with single sign-on, signing out posts here and is sent on to
    the provider's end-session page, and browsers hold a form's redirects to the policy too."""

    POLICY = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(getattr(settings, "CSP_EXEMPT_PREFIXES", ("/admin/", "/api/docs/"))):
            response.headers.setdefault("Content-Security-Policy", _policy(self.POLICY, provider_origin()))
        return response


@functools.cache
def _policy(policy, sign_out_origin):
    if not sign_out_origin:
        return policy
    return policy.replace("form-action 'self'", f"form-action 'self' {sign_out_origin}")


class CaseAccessLogMiddleware:
    """Writes who read which case: every successful GET of a page or API address that names a case by its
    `reference` (a case's page, its letters and safeguards, an enquiry on the portal, a case over the API),
    every case a view says it served (cases listed by the API, a downloaded attachment: casework.access),
    and every search for residents, with what was searched for.

    It runs after the view, so only an answer the user was allowed to see (200) is logged, and views and
    apps added later are covered without calling anything: a URL with a `reference` is a case's URL, and
    every API list goes through the shared pagination."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and response.status_code == 200:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                match = getattr(request, "resolver_match", None)
                reference = match.kwargs.get("reference") if match else None
                self.record(request, user, reference)
        return response

    @staticmethod
    def record(request, user, reference):
        from casework.models import AccessKind, AccessVia, Case, CaseAccess

        via = AccessVia.API if request.path.startswith("/api/") else AccessVia.PAGE
        path = request.get_full_path()[:300]
        try:
            rows = []
            if reference:
                case_id = Case.objects.filter(reference=reference).values_list("pk", flat=True).first()
                if case_id is not None:
                    rows.append(CaseAccess(case_id=case_id, user=user, via=via, path=path))
            seen = {row.case_id for row in rows}
            for case_id, kind in getattr(request, "cases_read", ()):
                if case_id not in seen:
                    seen.add(case_id)
                    rows.append(CaseAccess(case_id=case_id, user=user, via=via, kind=kind, path=path))
            search = getattr(request, "resident_search", "")
            if search:
                rows.append(CaseAccess(user=user, via=via, kind=AccessKind.SEARCHED, query=search[:200], path=path))
            if rows:
                CaseAccess.objects.bulk_create(rows)
        except DatabaseError:
            # The page was served; a failed log write must not turn it into an error, but it must be seen.
            import logging

            logging.getLogger(__name__).exception("Could not record access to case %s", reference)


NUL_MESSAGE = "The address or the form contains a NUL character (a zero byte), which no value here can hold."


def bad_request(request, message):
    """400 with a message: JSON for the API (as its exception handler words errors), a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def _has_nul(querydict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class CraftedInputMiddleware:
    """Input no page or API action can use is answered 400 here, once for every view, generated or not:

    - a NUL byte in the address, the query string (searches, filters) or a submitted form: PostgreSQL cannot
      store or compare text holding one, and would raise a server error deep in a query;
    - a date the working-day calendar does not cover (sla.engine.OutsideCalendarRange), from whatever form
      or action brought it in, with its message. (Forms and the API that check dates first say so at the
      field; this is the net under them.)

    JSON bodies are checked by the API's parser (casework.api.parsers), files by casework.services.check_upload.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return bad_request(request, NUL_MESSAGE)
        form = request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}
        if request.method == "POST" and form and _has_nul(request.POST):
            return bad_request(request, NUL_MESSAGE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from sla.engine import OutsideCalendarRange

        if isinstance(exception, OutsideCalendarRange):
            return bad_request(request, str(exception))
        return None
