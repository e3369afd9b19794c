"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server. The browser itself
is started once for the whole run (tests/conftest.py), for these tests and the single sign-on ones alike."""

import pytest

from casework.reference_data import load_reference_data


@pytest.fixture(autouse=True)
def _product_data(transactional_db):
    """Browser tests use the live server, so each runs in a real transaction and the database is emptied
    after it; put back the data the product ships with (procedures, bank holidays, service areas)."""
    load_reference_data()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username, password):
    """The password, then the authenticator app's code, as a person would: on a first sign-in the app is set up
    from the key the page shows (and the recovery codes are acknowledged); later the app gives the code."""
    from django.contrib.auth import get_user_model

    from tests.two_factor import app_code, code_from_secret

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if page.url.endswith("/accounts/two-factor/set-up/"):
        secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
        page.get_by_label("Code").fill(code_from_secret(secret))
        page.get_by_role("button", name="Turn on two-factor authentication").click()
        page.get_by_role("link", name="I have saved my recovery codes").click()
    elif page.url.endswith("/accounts/two-factor/"):
        page.get_by_label("Code").fill(app_code(get_user_model().objects.get(username=username)))
        page.get_by_role("button", name="Continue").click()
