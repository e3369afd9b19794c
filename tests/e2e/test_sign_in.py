import pytest
from django.core.management import call_command

from casework.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_demo_users_sign_in_and_see_what_their_role_may_use(page):
    from tests.e2e.conftest import sign_in

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's output is not under test

    page.goto("/")
    assert "/accounts/login/" in page.url
    sign_in(page, "officer", "wrong password")
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()

    sign_in(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/work/")
    assert page.get_by_role("heading", name="My work").is_visible()
    navigation = page.get_by_role("navigation", name="Main")
    assert navigation.get_by_role("link", name="My work").is_visible()
    assert navigation.get_by_role("link", name="Administration").count() == 0

    navigation.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")

    sign_in(page, "admin", DEMO_PASSWORD)
    page.wait_for_url("**/work/")
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Administration").is_visible()
