from django.contrib.auth import BACKEND_SESSION_KEY

from accounts.views import PASSWORD_BACKEND


def sign_in(request):
    """Whether this session signed in with a password (and so has recovery codes to look after)."""
    session = getattr(request, "session", None)
    return {"signed_in_with_password": session is not None and session.get(BACKEND_SESSION_KEY) == PASSWORD_BACKEND}
