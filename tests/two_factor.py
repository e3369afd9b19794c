"""What a person's authenticator app does, for tests: real TOTP codes (RFC 6238) from the key the set-up page
shows, and sign-in through the two steps over HTTP."""

import base64
import re
import time
from html import unescape

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD

SECRET = re.compile(r"<code data-totp-secret>([A-Z2-7 ]+)</code>")


def secret_on(page_html):
    """The base32 key the set-up page writes out beside its QR code."""
    match = SECRET.search(page_html)
    assert match, "the set-up page shows no key"
    return match.group(1).replace(" ", "")


def code_from_secret(secret, at=None):
    """The code an authenticator app shows for this key now (30-second steps, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    return f"{hotp(base64.b32decode(secret), counter, 6):06d}"


def app_code(user):
    """The code the user's authenticator app would give now. A code already used cannot be used again, so a
    second sign-in within the same 30 seconds takes the next step's code (accepted as a step of clock drift), as
    waiting a moment would; past that the helper waits for the next step."""
    while True:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        now = int((time.time() - device.t0) // device.step) + device.drift
        counter = max(now, device.last_t + 1)
        if counter <= now + device.tolerance:
            return f"{hotp(device.bin_key, counter, device.digits):06d}"
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)


def sign_in(client, username, password=TEST_PASSWORD, address="10.1.2.3"):
    """Sign in as a person would: the password, then a code from the app (setting the app up first if needed).
    Returns the answer to the last step."""
    from django.contrib.auth import get_user_model

    response = client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)
    if response.status_code != 302:
        return response
    if response["Location"].endswith("/accounts/two-factor/set-up/"):
        page = client.get("/accounts/two-factor/set-up/", REMOTE_ADDR=address)
        code = code_from_secret(secret_on(unescape(page.content.decode())))
        return client.post("/accounts/two-factor/set-up/", {"code": code}, REMOTE_ADDR=address)
    if response["Location"].endswith("/accounts/two-factor/"):
        user = get_user_model().objects.get(username=username)
        return client.post("/accounts/two-factor/", {"code": app_code(user)}, REMOTE_ADDR=address)
    return response
