"""A councillor's caseworker signs in for the first time in Chromium: password, setting up the authenticator app,
saving the recovery codes; later a code from the app; then a recovery code. Each page passes axe-core."""

import pytest

from tests.e2e.test_portal import AXE, assert_accessible, sign_out
from tests.factories import TEST_PASSWORD, make_office, portal_user
from tests.two_factor import app_code, code_from_secret

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def password(page, username):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_first_sign_in_sets_up_the_app_and_later_ones_ask_for_its_code(page):
    page.add_init_script(path=str(AXE))
    office, _ = make_office()
    jo = portal_user("jo", office)

    password(page, "jo")
    page.wait_for_url("**/accounts/two-factor/set-up/")
    assert page.get_by_role("heading", name="Set up two-factor authentication").is_visible()
    assert page.get_by_role("img", name="QR code for adding jo to an authenticator app").is_visible()
    assert_accessible(page)
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")

    page.get_by_label("Code").fill("12")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert summary.get_by_role("link", name="Enter the 6 digits your authenticator app shows.").is_visible()
    assert_accessible(page)

    page.get_by_label("Code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url("**/accounts/two-factor/recovery-codes/")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.wait_for_url("**/portal/")
    assert page.get_by_role("heading", name="Your enquiries").is_visible()
    sign_out(page)

    password(page, "jo")
    page.wait_for_url("**/accounts/two-factor/")
    assert_accessible(page)
    page.get_by_label("Code").fill(app_code(jo))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/")
    sign_out(page)

    password(page, "jo")
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/")
    assert page.get_by_role("status").filter(has_text="You used a recovery code; 9 are left").is_visible()
    page.get_by_role("contentinfo").get_by_role("link", name="Recovery codes").click()
    assert page.get_by_text("You have 9 recovery codes left.").is_visible()
    assert_accessible(page)
