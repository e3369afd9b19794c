from django.conf import settings
from django.shortcuts import render

from casework.roles import roles_of

# Pages anyone signed in may open whatever their role: signing in and out, password reset, static files.
ROLE_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/static/",
    "/healthz",
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
    """No inline scripts or styles, nothing from other origins: every script and style is a file we serve."""

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
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        return response
