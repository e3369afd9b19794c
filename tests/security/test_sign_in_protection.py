"""Sign-in protection: lockout after repeated failures, strong passwords, session expiry, CSRF, and the
production-only cookie and HSTS settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from casework.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory, api_token
from tests.two_factor import sign_in

pytestmark = pytest.mark.django_db
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def officer_user(db):
    return UserFactory(username="lockout.officer", role=Role.COMPLAINTS_OFFICER)


def test_the_sign_in_form_works(client, officer_user):
    response = sign_in(client, "lockout.officer", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get("/work/").status_code == 200


def test_repeated_failures_lock_the_account_out_from_that_address(client, officer_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "lockout.officer", "wrong-password-123")
        assert response.status_code == 200  # the form again, with its error
    locked = sign_in(client, "lockout.officer", "wrong-password-123")
    assert locked.status_code == 429
    assert b"You cannot sign in for now" in locked.content
    # Locked out even with the right password now.
    again = sign_in(client, "lockout.officer", TEST_PASSWORD)
    assert again.status_code == 429
    assert client.get("/work/").status_code == 302
    # Another address is not locked out (the pair is counted, so a shared address cannot lock out everyone).
    other = Client()
    assert sign_in(other, "lockout.officer", TEST_PASSWORD, address="10.9.9.9").status_code == 302


def test_a_success_before_the_limit_clears_the_count(client, officer_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "lockout.officer", "wrong-password-123")
    assert sign_in(client, "lockout.officer", TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="lockout.officer").exists()


def test_the_admin_signs_in_through_the_same_page(client, db):
    """The admin has no password form of its own (it would skip the second factor and the lockout's page)."""
    UserFactory(username="lockout.admin", role=Role.ADMINISTRATOR)
    response = client.get("/admin/login/?next=/admin/casework/team/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/casework/team/"
    posted = client.post("/admin/login/", {"username": "lockout.admin", "password": TEST_PASSWORD})
    assert posted["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302
    # Once signed in through the product's page, the admin opens.
    assert sign_in(client, "lockout.admin").status_code == 302
    assert client.get("/admin/login/?next=/admin/casework/team/")["Location"] == "/admin/casework/team/"
    assert client.get("/admin/login/?next=https://elsewhere.example/")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_api_tokens_are_not_affected_by_a_lockout(client, officer_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lockout.officer", "wrong-password-123")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer_user)}")
    assert api.get("/api/v1/officers/me/").status_code == 200


def test_the_client_address_behind_a_proxy_is_the_one_the_proxy_saw(settings, rf):
    from casework.auth_backends import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    settings.CLIENT_IP_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.CLIENT_IP_PROXY_COUNT = 1
    # The proxy appended the address it saw; what the client wrote before it ("6.6.6.6") is ignored.
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize(
    "password",
    ["short-1", "password1234", "123456789012345", "lockout.officer1"],
    ids=["too short", "common", "numeric", "like the username"],
)
def test_weak_passwords_are_refused(officer_user, password):
    with pytest.raises(ValidationError):
        validate_password(password, officer_user)


def test_a_long_passphrase_is_accepted(officer_user):
    validate_password("correct horse battery staple tuesday", officer_user)


def test_the_password_change_form_refuses_a_weak_password(client, officer_user):
    client.force_login(officer_user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": TEST_PASSWORD, "new_password1": "password1234", "new_password2": "password1234"},
    )
    assert response.status_code == 200
    assert b"too common" in response.content


def test_sessions_expire(client, officer_user, settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    sign_in(client, "lockout.officer", TEST_PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # A browser-session cookie: no expiry date, so closing the browser ends it.
    assert not cookie["expires"] and not cookie["max-age"]
    session = client.session
    assert 0 < session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


def test_an_expired_session_is_signed_out(client, officer_user):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(officer_user)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_forms_need_the_csrf_token(officer_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_user)
    assert client.post("/notifications/read/").status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


def test_the_api_with_a_session_needs_the_csrf_token_but_a_token_does_not(officer_user):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(officer_user)
    assert browser.post("/api/v1/notifications/mark-read/").status_code == 403
    integration = APIClient(enforce_csrf_checks=True)
    integration.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer_user)}")
    assert integration.post("/api/v1/notifications/mark-read/").status_code == 200


def test_no_view_is_exempt_from_csrf_except_the_api():
    """DRF's views are marked csrf_exempt because DRF checks CSRF itself for session-authenticated requests
    (the test above); nothing else may opt out."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    exempt = [
        route
        for route, view in walk(get_resolver())
        if getattr(view, "csrf_exempt", False) and not route.startswith("api/")
    ]
    assert not exempt, exempt


def production_settings(*names):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ENV"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="p" * 20 + "-a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="casework.council.example",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print({name!r}, repr(settings.{name}))" for name in names
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_production_uses_secure_cookies_hsts_and_https():
    values = production_settings(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "AXES_ENABLED",
    )
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "True"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] == "True"
    assert values["AXES_ENABLED"] == "True"


def test_every_page_sends_the_content_security_policy(client, officer_user):
    client.force_login(officer_user)
    policy = client.get("/work/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_password_reset_requests_are_limited_per_address_and_per_client(client, officer_user, mailoutbox, fresh_cache):
    officer_user.email = "lockout.officer@council.example"
    officer_user.save()
    statuses = [
        client.post("/accounts/password_reset/", {"email": officer_user.email}, REMOTE_ADDR="10.9.9.9").status_code
        for _ in range(20)
    ]
    assert statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}
    assert len(mailoutbox) == 3  # not 20
    limited = client.post("/accounts/password_reset/", {"email": officer_user.email}, REMOTE_ADDR="10.9.9.9")
    assert "Too many password reset requests" in limited.content.decode()

    # One client asking for many addresses is stopped too.
    statuses = [
        client.post("/accounts/password_reset/", {"email": f"x{n}@council.example"}, REMOTE_ADDR="10.8.8.8").status_code
        for n in range(15)
    ]
    assert statuses.count(302) == 10 and statuses.count(429) == 5
    assert client.get("/accounts/password_reset/").status_code == 200
