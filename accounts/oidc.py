"""Single sign-on for staff with OpenID Connect (mozilla-django-oidc), configured from OIDC_ISSUER alone.

mozilla-django-oidc does the authorization code flow (state, nonce, PKCE), the token request and the ID token's
signature. What it leaves to the application, done here:

- the provider's endpoints come from its discovery document, fetched when first needed and cached, so an
  operator sets the issuer, not five endpoint addresses;
- the ID token's issuer, audience and expiry are checked as well as its signature;
- claims are the ID token's merged with the userinfo endpoint's (Entra ID puts groups and app roles in the ID
  token only);
- a user is found by issuer and subject, never by e-mail, and their roles are refreshed from the directory's
  groups at every sign-in (accounts.services.sign_in_from_directory);
- anything the provider or the network does wrong ends on the sign-in page with a message, not an error page.
"""

import hashlib
import logging
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

BACKEND_PATH = "accounts.oidc.CouncilOIDCBackend"
METADATA_CACHE_SECONDS = 60 * 60
# The library's setting names for the endpoints, and the discovery document's names for them.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
# Clock difference allowed between the provider and this server when checking a token's times.
LEEWAY_SECONDS = 60


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read, or does not describe the configured issuer."""


def sso_enabled():
    return bool(settings.OIDC_ISSUER)


def provider_origin():
    """scheme://host[:port] of the provider, which pages must allow as a form target: signing out posts to this
    site, which sends the browser on to the provider's end-session page."""
    if not sso_enabled():
        return ""
    parts = urlsplit(settings.OIDC_ISSUER)
    return f"{parts.scheme}://{parts.netloc}"


def provider_metadata():
    """The provider's discovery document (OpenID Connect Discovery 1.0), cached for an hour."""
    issuer = settings.OIDC_ISSUER
    if not issuer:
        raise ProviderUnavailable("Single sign-on is not configured (OIDC_ISSUER is empty).")
    key = "oidc-metadata:" + hashlib.sha256(issuer.encode()).hexdigest()
    metadata = cache.get(key)
    if metadata:
        return metadata
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"Could not read {url}: {error}") from error
    if not isinstance(metadata, dict) or str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} describes issuer {metadata.get('issuer')!r}, not {issuer!r}.")
    missing = [name for name in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not metadata.get(name)]
    if missing:
        raise ProviderUnavailable(f"{url} gives no {', '.join(missing)}.")
    cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def oidc_setting(attr, *args):
    """The library's settings, with the provider's endpoints taken from its discovery document."""
    if attr in ENDPOINTS:
        return provider_metadata().get(ENDPOINTS[attr])
    return import_from_settings(attr, *args)


def end_session_url(request):
    """Where to send the browser after signing out locally, so the provider's session ends too (OpenID Connect
    RP-Initiated Logout): its end_session_endpoint with the ID token as a hint and the sign-in page to come back
    to. None when the session was not a single sign-on one, or the provider has no such endpoint."""
    if not sso_enabled() or request.session.get(BACKEND_SESSION_KEY) != BACKEND_PATH:
        return None
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except ProviderUnavailable as error:
        logger.warning("Signed out here only: %s", error)
        return None
    if not endpoint:
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """Signs a user in from the provider's answer; see the module's docstring for what it adds to the library's."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds a backend for every sign-in and for every request of a session it signed in, so nothing
        # here may reach the provider: its endpoints are read (through the properties below) only once a sign-in
        # comes back from it.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):
        return provider_metadata().get("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):
        return provider_metadata()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        if not sso_enabled() or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (ProviderUnavailable, requests.RequestException, SuspiciousOperation, ValueError, KeyError) as error:
            logger.warning("Single sign-on refused: %s", error)
            return None

    def _verify_jws(self, payload, key):
        """The signature, and the claims the library does not check: issuer, audience, expiry."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"Token signed with {algorithm!r}, expected {self.OIDC_RP_SIGN_ALGO!r}.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=LEEWAY_SECONDS,
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"Token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo endpoint's claims with the ID token's over them: Entra ID sends groups and app roles in the
        ID token only, and the ID token is the signed statement."""
        claims = {}
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo endpoint answered about another subject.")
            claims.update(userinfo)
        claims.update(payload)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        from accounts.services import sign_in_from_directory

        claims = self.get_userinfo(access_token, id_token, payload)
        if not claims.get("sub"):
            raise SuspiciousOperation("The provider sent no subject.")
        return sign_in_from_directory(issuer=provider_metadata()["issuer"], claims=claims, request=self.request)


class CouncilOIDCAuthenticationRequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider to sign in."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The library reads the authorization endpoint here; it is looked up in get(), where a provider that does
        # not answer can be reported on the page.
        View.__init__(self, *args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except ProviderUnavailable as error:
            logger.error("Single sign-on unavailable: %s", error)
            messages.error(
                request,
                f"Signing in with {settings.OIDC_PROVIDER_LABEL} is not available just now: the sign-in service "
                "did not answer. Try again in a few minutes; if it goes on, tell IT.",
            )
            return redirect("login")
        return super().get(request)


class CouncilOIDCCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; signs the user in or says why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # A state this browser never asked for: a stale tab, a reused link, or a forged request.
            logger.warning("Single sign-on callback refused: %s", error)
            return self.login_failure()

    def login_failure(self):
        error = self.request.GET.get("error")
        if error:
            logger.warning(
                "The provider refused the sign-in: %s %s", error, self.request.GET.get("error_description", "")
            )
        messages.error(
            self.request,
            f"Signing in with {settings.OIDC_PROVIDER_LABEL} did not work. Try again; if it keeps happening, "
            "tell IT, who can see why in the application's log.",
        )
        return redirect("login")
