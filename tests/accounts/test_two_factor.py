"""Two-factor authentication for every password sign-in: set up at the first sign-in, a code from the app at
every later one, recovery codes, the administrator's reset, and the lockout counting wrong codes too."""

import re
import time
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountEvent, AccountEventKind
from accounts.views import PENDING_SIGN_IN
from casework.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory, make_office, portal_user
from tests.two_factor import app_code, code_from_secret, secret_on, sign_in

pytestmark = pytest.mark.django_db
ADDRESS = "10.20.30.40"


@pytest.fixture
def jo(db):
    """A councillor's caseworker: the members' portal is where personal data is reached with a password."""
    office, _ = make_office()
    return portal_user("jo", office)


@pytest.fixture
def no_throttle(settings):
    """django-otp makes each wrong code wait 1, 2, 4... seconds before the next is tried; tests that enter codes
    in quick succession turn that off (the lockout below is what stops guessing)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def password_step(client, username, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS)


def post_code(client, code, path="/accounts/two-factor/"):
    return client.post(path, {"code": code}, REMOTE_ADDR=ADDRESS)


def signed_in(client):
    return client.get("/portal/").status_code == 200


def set_up(client, username):
    """Password, then the set-up page's key into an 'app', then its code: returns the recovery codes shown."""
    assert password_step(client, username)["Location"] == "/accounts/two-factor/set-up/"
    page = client.get("/accounts/two-factor/set-up/")
    secret = secret_on(unescape(page.content.decode()))
    done = post_code(client, code_from_secret(secret), "/accounts/two-factor/set-up/")
    assert done["Location"] == "/accounts/two-factor/recovery-codes/"
    shown = client.get(done["Location"]).content.decode()
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", shown)


def test_the_first_sign_in_sets_up_the_authenticator_app(client, jo):
    response = password_step(client, "jo")
    assert response["Location"] == "/accounts/two-factor/set-up/"
    assert not signed_in(client)  # the password alone signs nobody in

    page = client.get("/accounts/two-factor/set-up/")
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Set up two-factor authentication" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    secret = secret_on(html)
    assert len(secret) == 32
    # Reloading shows the same key: the person may already have scanned it.
    assert secret_on(unescape(client.get("/accounts/two-factor/set-up/").content.decode())) == secret

    wrong_code = "000000" if code_from_secret(secret) != "000000" else "111111"
    wrong = post_code(client, wrong_code, "/accounts/two-factor/set-up/")
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=jo).confirmed

    time.sleep(1.05)  # django-otp's throttle: a second try waits a second after a wrong one
    done = post_code(client, code_from_secret(secret), "/accounts/two-factor/set-up/")
    assert done["Location"] == "/accounts/two-factor/recovery-codes/"
    assert TOTPDevice.objects.get(user=jo).confirmed
    codes_page = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "shown only now" in codes_page
    assert signed_in(client)
    assert client.get("/").url == "/portal/"
    # Shown once: the page does not show them again.
    again = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert not re.findall(r"<code>[a-z2-7]{4}-[a-z2-7]{4}</code>", again)
    assert "You have 10 recovery codes left" in again
    assert AccountEvent.objects.filter(user=jo, kind=AccountEventKind.TWO_FACTOR_SET_UP).count() == 1


def test_later_sign_ins_need_the_code_from_the_app(client, jo, no_throttle):
    set_up(client, "jo")
    client.post("/accounts/logout/")

    response = password_step(client, "jo")
    assert response["Location"] == "/accounts/two-factor/"
    assert not signed_in(client)
    for path in ("/portal/", "/api/v1/portal/enquiries/", "/accounts/two-factor/recovery-codes/"):
        assert client.get(path).status_code in (302, 401, 403), path
    page = client.get("/accounts/two-factor/")
    assert "Enter the code from your authenticator app" in page.content.decode()

    wrong = post_code(client, "12345")
    assert "Enter the 6 digits from your authenticator app, or a recovery code." in wrong.content.decode()
    assert not signed_in(client)
    done = post_code(client, app_code(jo))
    assert done["Location"] == "/"
    assert signed_in(client)
    assert client.session["otp_device_id"] == TOTPDevice.objects.get(user=jo).persistent_id


def test_a_code_works_once(client, jo, no_throttle):
    set_up(client, "jo")
    used = TOTPDevice.objects.get(user=jo)
    client.post("/accounts/logout/")
    password_step(client, "jo")
    # The code the set-up accepted, entered again within its 30 seconds, is refused: someone who watched it
    # being typed cannot reuse it.
    from django_otp.oath import hotp

    replay = f"{hotp(used.bin_key, used.last_t, 6):06d}"
    assert "That code is not right" in post_code(client, replay).content.decode()
    assert not signed_in(client)


def test_the_next_address_is_only_where_the_password_step_was_sent(client, jo, no_throttle):
    set_up(client, "jo")
    client.post("/accounts/logout/")
    client.post(
        "/accounts/login/",
        {"username": "jo", "password": TEST_PASSWORD, "next": "/portal/new/"},
        REMOTE_ADDR=ADDRESS,
    )
    assert post_code(client, app_code(jo))["Location"] == "/portal/new/"
    client.post("/accounts/logout/")
    client.post(
        "/accounts/login/",
        {"username": "jo", "password": TEST_PASSWORD, "next": "https://elsewhere.example/"},
        REMOTE_ADDR=ADDRESS,
    )
    assert post_code(client, app_code(jo))["Location"] == "/"


def test_the_password_step_expires_and_a_password_change_ends_it(client, jo, no_throttle):
    set_up(client, "jo")
    client.post("/accounts/logout/")
    password_step(client, "jo")
    session = client.session
    session[PENDING_SIGN_IN]["started"] -= 11 * 60  # eleven minutes later
    session.save()
    late = post_code(client, app_code(jo))
    assert late["Location"] == "/accounts/login/"
    assert not signed_in(client)

    password_step(client, "jo")
    jo.set_password("a brand new passphrase for jo")
    jo.save()
    assert post_code(client, app_code(jo))["Location"] == "/accounts/login/"
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, jo, no_throttle):
    codes = set_up(client, "jo")
    client.post("/accounts/logout/")

    password_step(client, "jo")
    done = post_code(client, codes[0].upper().replace("-", " "))  # typed as people do
    assert done["Location"] == "/"
    assert "You used a recovery code; 9 are left" in client.get("/portal/").content.decode()
    assert AccountEvent.objects.get(user=jo, kind=AccountEventKind.RECOVERY_CODE_USED).detail == "9 left"
    client.post("/accounts/logout/")

    password_step(client, "jo")
    assert "That code is not right" in post_code(client, codes[0]).content.decode()
    assert not signed_in(client)
    assert post_code(client, codes[1])["Location"] == "/"
    assert StaticToken.objects.filter(device__user=jo).count() == 8


def test_new_recovery_codes_need_a_code_from_the_app_and_replace_the_old(client, jo, no_throttle):
    old = set_up(client, "jo")
    page = client.get("/accounts/two-factor/recovery-codes/")
    assert "Make new recovery codes" in page.content.decode()
    refused = client.post("/accounts/two-factor/recovery-codes/", {"code": old[0]})
    assert "Enter the 6 digits your authenticator app shows." in refused.content.decode()
    assert StaticToken.objects.filter(device__user=jo).count() == 10

    made = client.post("/accounts/two-factor/recovery-codes/", {"code": app_code(jo)})
    assert made["Location"] == "/accounts/two-factor/recovery-codes/"
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", client.get(made["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/accounts/logout/")
    password_step(client, "jo")
    assert "That code is not right" in post_code(client, old[1]).content.decode()
    assert post_code(client, new[0])["Location"] == "/"


def test_an_administrator_resets_two_factor_for_a_lost_phone(client, jo, administrator, no_throttle):
    set_up(client, "jo")
    client.post("/accounts/logout/")

    admin = Client()
    admin.force_login(administrator)
    listing = admin.get("/admin/auth/user/").content.decode()
    assert "Password and authenticator app" in listing
    response = admin.post(
        "/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [jo.pk]}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302
    assert "Two-factor authentication reset for 1 account(s): jo." in admin.get("/admin/auth/user/").content.decode()
    assert not TOTPDevice.objects.filter(user=jo).exists()
    assert not StaticToken.objects.filter(device__user=jo).exists()
    event = AccountEvent.objects.get(user=jo, kind=AccountEventKind.TWO_FACTOR_RESET)
    assert (event.by, event.ip_address) == (administrator, "10.0.0.9")

    # jo's next sign-in sets up the new phone; the old recovery codes and app are gone.
    assert password_step(client, "jo")["Location"] == "/accounts/two-factor/set-up/"
    assert len(set_up(Client(), "jo")) == 10


def test_the_admin_never_shows_an_authenticator_key(client, jo, administrator):
    set_up(client, "jo")
    admin = Client()
    admin.force_login(administrator)
    key = TOTPDevice.objects.get(user=jo).key
    for path in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{jo.pk}/change/"):
        response = admin.get(path)
        assert response.status_code == 200, path
        assert key not in response.content.decode(), path
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_wrong_codes_lock_the_sign_in_out_like_wrong_passwords(client, jo, settings, no_throttle):
    set_up(client, "jo")
    client.post("/accounts/logout/")
    password_step(client, "jo")
    right = app_code(jo)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_code(client, wrong).status_code == 200
    locked = post_code(client, wrong)
    assert locked.status_code == 429
    assert "You cannot sign in for now" in locked.content.decode()
    # Locked out now, with the right code and with the right password.
    assert post_code(client, right).status_code == 429
    assert password_step(Client(), "jo").status_code == 429
    assert not signed_in(client)
    attempt = AccessAttempt.objects.get(username="jo")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert wrong not in attempt.post_data  # what was typed is not kept
    # From another address the pair is not locked.
    assert sign_in(Client(), "jo", address="10.9.9.9").status_code == 302


def test_wrong_passwords_and_wrong_codes_add_up(client, jo, settings, no_throttle):
    set_up(client, "jo")
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        assert password_step(client, "jo", "not-the-password-at-all").status_code == 200
    password_step(client, "jo")
    assert post_code(client, "000000" if app_code(jo) != "000000" else "111111").status_code == 200
    assert post_code(client, "000000" if app_code(jo) != "000000" else "111111").status_code == 429


def test_a_full_sign_in_clears_the_count(client, jo, settings, no_throttle):
    set_up(client, "jo")
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, "jo", "not-the-password-at-all")
    assert sign_in(client, "jo", address=ADDRESS).status_code == 302
    assert not AccessAttempt.objects.filter(username="jo").exists()


def test_staff_with_passwords_use_two_factor_too(client, no_throttle):
    UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    assert sign_in(client, "amara")["Location"] == "/accounts/two-factor/recovery-codes/"
    assert client.get("/work/").status_code == 200
    footer = client.get("/work/").content.decode()
    assert 'href="/accounts/two-factor/recovery-codes/">Recovery codes</a>' in footer


def test_the_second_factor_pages_without_a_password_step_send_to_sign_in(client):
    for path in ("/accounts/two-factor/", "/accounts/two-factor/set-up/"):
        assert client.get(path)["Location"] == "/accounts/login/", path
        assert client.post(path, {"code": "123456"})["Location"] == "/accounts/login/", path
