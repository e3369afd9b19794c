"""Staff passwords switched off once single sign-on works: members' offices keep theirs, and the break-glass
administrator keeps theirs, audited at every use."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client

from accounts.models import AccountEvent, AccountEventKind
from casework.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory, make_office, portal_user
from tests.two_factor import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def passwords_off(settings):
    settings.STAFF_PASSWORD_SIGN_IN = False
    settings.BREAK_GLASS_USERNAMES = ["emergency-admin"]


def test_with_staff_passwords_off_a_staff_password_is_refused_like_a_wrong_one(client, passwords_off):
    UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    response = client.post("/accounts/login/", {"username": "amara", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "staff accounts cannot sign in here" in response.content.decode()
    assert client.get("/work/").status_code == 302
    # Counted like any wrong password, so it cannot be used to test guesses without limit.
    assert AccessAttempt.objects.get(username="amara").failures_since_start == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda: UserFactory(username="nobody"),
        lambda: UserFactory(username="nobody", is_staff=True),
        lambda: UserFactory(username="nobody", role=Role.ADMINISTRATOR),
    ],
    ids=["no role", "staff flag", "administrator"],
)
def test_only_office_accounts_and_break_glass_keep_passwords(client, passwords_off, make):
    make()
    assert client.post("/accounts/login/", {"username": "nobody", "password": TEST_PASSWORD}).status_code == 200


def test_members_offices_keep_their_passwords(client, passwords_off):
    office, _ = make_office()
    portal_user("jo", office)
    assert sign_in(client, "jo").status_code == 302
    assert client.get("/portal/").status_code == 200


def test_a_staff_session_signed_in_with_a_password_ends_when_passwords_are_switched_off(client, settings):
    UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    sign_in(client, "amara")
    assert client.get("/work/").status_code == 200
    settings.STAFF_PASSWORD_SIGN_IN = False
    assert client.get("/work/")["Location"].startswith("/accounts/login/")


def test_the_break_glass_administrator_signs_in_and_every_use_is_audited(client, passwords_off, caplog):
    UserFactory(username="emergency-admin", role=Role.ADMINISTRATOR)
    with caplog.at_level(logging.WARNING, logger="accounts.views"):
        assert sign_in(client, "emergency-admin", address="10.4.4.4").status_code == 302
    assert client.get("/admin/").status_code == 200
    event = AccountEvent.objects.get(kind=AccountEventKind.BREAK_GLASS_SIGN_IN)
    assert (event.username, event.ip_address) == ("emergency-admin", "10.4.4.4")
    assert event.detail == "Signed in with a password while staff passwords are off."
    assert "Break-glass sign-in by emergency-admin from 10.4.4.4" in caplog.text

    client.post("/accounts/logout/")
    other = Client()
    sign_in(other, "emergency-admin", address="10.4.4.5")
    assert AccountEvent.objects.filter(kind=AccountEventKind.BREAK_GLASS_SIGN_IN).count() == 2
    # The audit trail is read in the admin and cannot be edited there.
    listing = other.get("/admin/accounts/accountevent/").content.decode()
    assert "Break-glass sign-in" in listing
    event = AccountEvent.objects.first()
    assert other.get(f"/admin/accounts/accountevent/{event.pk}/delete/").status_code == 403


def test_a_password_alone_never_reaches_the_break_glass_account(client, passwords_off):
    UserFactory(username="emergency-admin", role=Role.ADMINISTRATOR)
    response = client.post("/accounts/login/", {"username": "emergency-admin", "password": TEST_PASSWORD})
    assert response["Location"] == "/accounts/two-factor/set-up/"
    assert client.get("/admin/").status_code == 302
    assert not AccountEvent.objects.filter(kind=AccountEventKind.BREAK_GLASS_SIGN_IN).exists()


def test_settings_that_would_lock_staff_out_are_warned_about(settings):
    from django.core.checks import run_checks

    def warnings():
        return sorted(message.id for message in run_checks() if message.id.startswith("accounts."))

    assert warnings() == []
    settings.STAFF_PASSWORD_SIGN_IN = False
    assert warnings() == ["accounts.W001", "accounts.W002"]
    settings.OIDC_ISSUER = "https://login.microsoftonline.com/tenant/v2.0"
    settings.BREAK_GLASS_USERNAMES = ["emergency-admin"]
    assert warnings() == []
