"""Sign-in lockout (django-axes) as the first authentication backend, and the client address it counts by."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class SignInLockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in for a username and address pair that is locked out after repeated failures.

    Every password sign-in over HTTP passes a request and is counted (wrong second-factor codes are counted
    too, by accounts.views). Code that authenticates in-process without a request (the test client's `login`, a
    shell) has no address to count and is let through to the password check, instead of failing as the
    library's backend would. A single sign-on callback carries no password and is not a lockout's business:
    the provider protects its own sign-in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or password is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's address: the connection's, or behind CLIENT_IP_PROXY_COUNT proxies the address the outermost
    of them saw (the proxies append to X-Forwarded-For, so a client cannot forge the entries they add)."""
    proxies = getattr(settings, "CLIENT_IP_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (429), saying how long to wait in minutes."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
