"""API tokens for integrations: each expires, can be revoked, and is stored only as a digest."""

from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AccountEvent, AccountEventKind
from accounts.services import issue_api_token
from casework.roles import Role
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(db):
    """The user an integration (the council's CRM, say) acts as."""
    return UserFactory(username="crm-integration", role=Role.COMPLAINTS_OFFICER)


def call(key, path="/api/v1/officers/me/"):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(path)


def test_a_token_signs_an_integration_in_and_is_stored_only_as_a_digest(integration):
    _, key = issue_api_token(integration, days=30)
    assert key.startswith("casework_")
    assert call(key).status_code == 200
    assert call(key).json()["username"] == "crm-integration"
    stored = AuthToken.objects.get()
    assert key not in (stored.digest, stored.token_key)
    assert stored.expiry - timezone.now() > timedelta(days=29, hours=23)
    assert AccountEvent.objects.get(kind=AccountEventKind.API_TOKEN_ISSUED).username == "crm-integration"


def test_an_expired_token_is_refused(integration):
    token, key = issue_api_token(integration, days=1)
    token.expiry = timezone.now() - timedelta(seconds=1)
    token.save(update_fields=["expiry"])
    assert call(key).status_code == 401
    assert not AuthToken.objects.exists()  # knox removes it once seen expired


def test_every_token_has_an_expiry_within_the_limit(integration, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        issue_api_token(integration, days=settings.API_TOKEN_MAX_DAYS + 1)
    with pytest.raises(ValidationError):
        issue_api_token(integration, days=0)


def test_an_administrator_issues_a_token_in_the_admin_and_sees_the_key_once(integration, administrator):
    admin = Client()
    admin.force_login(administrator)
    assert admin.get("/admin/knox/authtoken/add/").status_code == 200
    response = admin.post("/admin/knox/authtoken/add/", {"user": integration.pk, "days": 14}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    key = page.split("Token for crm-integration: ")[1].split(" ")[0]
    assert call(key).status_code == 200
    assert "copy it now, it is not shown again" in page
    token = AuthToken.objects.get()
    detail = admin.get(f"/admin/knox/authtoken/{token.pk}/change/").content.decode()
    assert key not in detail and key not in admin.get("/admin/knox/authtoken/").content.decode()


def test_revoking_a_token_in_the_admin_stops_it_at_once_and_is_audited(integration, administrator):
    key = api_token(integration)
    other = api_token(integration)
    admin = Client()
    admin.force_login(administrator)
    token = AuthToken.objects.get(token_key=key[:15])
    response = admin.post(
        "/admin/knox/authtoken/", {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert call(key).status_code == 401
    assert call(other).status_code == 200  # the integration's other token is untouched
    event = AccountEvent.objects.get(kind=AccountEventKind.API_TOKEN_REVOKED)
    assert (event.username, event.by) == ("crm-integration", administrator)


def test_the_command_issues_and_revokes(integration):
    out = StringIO()
    call_command("issue_api_token", "crm-integration", "--days", "7", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    assert call(key).status_code == 200
    call_command("issue_api_token", "crm-integration", "--revoke", stdout=StringIO())
    assert call(key).status_code == 401


def test_a_deactivated_user_s_token_is_refused(integration):
    key = api_token(integration)
    integration.is_active = False
    integration.save()
    assert call(key).status_code == 401


def test_tokens_made_before_tokens_expired_carry_over_for_ninety_days(integration):
    """The migration from Django REST framework's tokens (a table of plaintext keys): each keeps working, now
    with an expiry, and the plaintext table is emptied."""
    import importlib

    from django.apps import apps

    carry_over = importlib.import_module("accounts.migrations.0002_carry_over_api_tokens").carry_over
    old_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id integer)")
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [old_key, timezone.now(), integration.pk],
        )
    carry_over(apps, SimpleNamespace(connection=connection))  # all it uses of the schema editor
    assert call(old_key).status_code == 200
    token = AuthToken.objects.get()
    assert timedelta(days=89) < token.expiry - timezone.now() <= timedelta(days=90)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
