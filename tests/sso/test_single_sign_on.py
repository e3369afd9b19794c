"""Staff sign in with their council account: Chromium, the application on the live server, and a real OpenID
Connect provider (tests/sso/provider) whose users' groups the tests change between sign-ins."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import AccountEvent, AccountEventKind, DirectoryClaim, DirectoryIdentity, DirectoryRoleMapping
from casework.roles import Role, roles_of
from tests.sso.conftest import DIRECTORY_PASSWORD

pytestmark = [pytest.mark.sso, pytest.mark.django_db(transaction=True)]

User = get_user_model()
# Entra ID names groups by their object IDs.
OFFICERS = "5f0c1d2e-0000-4000-8000-00000000c0f1"
MANAGERS = "5f0c1d2e-0000-4000-8000-00000000a9a2"


def give(claim, value, role, description=""):
    return DirectoryRoleMapping.objects.create(claim=claim, value=value, role=role, description=description)


def sign_in_with_council_account(page, login, password=DIRECTORY_PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with your council account").click()
    page.get_by_label("Directory username").fill(login)
    page.get_by_label("Directory password").fill(password)
    page.get_by_role("button", name="Sign in to the directory").click()


def sign_out(page):
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    # The provider's own end-session page: signing out of the application signs out of the directory too.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url("**/accounts/login/")


def nav_links(page):
    return page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()


def user_of(login):
    return User.objects.get(directory_identity__subject=f"{login}-object-id")


def test_the_first_sign_in_creates_the_user_and_a_group_gives_the_role(page, sso):
    give(DirectoryClaim.GROUPS, OFFICERS, Role.COMPLAINTS_OFFICER, "Housing complaints officers")
    sso.add_user(
        "amara", groups=[OFFICERS, "00000000-0000-4000-8000-00000000ffff"], given_name="Amara", family_name="Okafor"
    )
    assert not User.objects.filter(email="amara@council.example").exists()

    sign_in_with_council_account(page, "amara")
    page.wait_for_url("**/work/")
    assert page.get_by_role("heading", name="My work").is_visible()
    assert "Complaints" in nav_links(page)
    assert "Reports" not in nav_links(page)
    assert page.get_by_role("contentinfo").inner_text().startswith("Signed in as Amara Okafor.")

    user = user_of("amara")
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "amara@council.example",
        "amara@council.example",
        "Amara",
        "Okafor",
    )
    assert not user.has_usable_password()
    assert roles_of(user) == {Role.COMPLAINTS_OFFICER}
    identity = DirectoryIdentity.objects.get(user=user)
    assert identity.issuer == sso.issuer
    assert identity.last_groups == [OFFICERS, "00000000-0000-4000-8000-00000000ffff"]
    event = AccountEvent.objects.get(user=user, kind=AccountEventKind.ROLES_FROM_DIRECTORY)
    assert event.detail == "Given: Complaints officer. Removed: none."


def test_a_group_removed_in_the_directory_removes_the_role_at_the_next_sign_in(page, sso):
    give(DirectoryClaim.GROUPS, OFFICERS, Role.COMPLAINTS_OFFICER)
    give(DirectoryClaim.GROUPS, MANAGERS, Role.MANAGER)
    sso.add_user("david", groups=[OFFICERS, MANAGERS], given_name="David", family_name="Hughes")

    sign_in_with_council_account(page, "david")
    page.wait_for_url("**/work/")
    assert "Reports" in nav_links(page)
    assert roles_of(user_of("david")) == {Role.COMPLAINTS_OFFICER, Role.MANAGER}
    sign_out(page)

    sso.set_groups("david", [OFFICERS])  # IT takes David out of the managers' group
    sign_in_with_council_account(page, "david")
    page.wait_for_url("**/work/")
    assert "Complaints" in nav_links(page)
    assert "Reports" not in nav_links(page)
    assert page.goto("/reports/").status == 403
    david = user_of("david")
    assert roles_of(david) == {Role.COMPLAINTS_OFFICER}
    assert User.objects.filter(directory_identity__isnull=False).count() == 1  # the same account, not a new one
    assert AccountEvent.objects.filter(user=david, kind=AccountEventKind.ROLES_FROM_DIRECTORY).latest("pk").detail == (
        "Given: none. Removed: Manager."
    )
    sign_out(page)

    sso.set_groups("david", [])  # and then out of every group
    sign_in_with_council_account(page, "david")
    page.get_by_role("heading", name="Your account has no access yet").wait_for()  # at the home page, '/'
    assert roles_of(user_of("david")) == set()


def test_someone_in_no_mapped_group_sees_only_the_no_access_page(page, sso):
    give(DirectoryClaim.GROUPS, OFFICERS, Role.COMPLAINTS_OFFICER)
    sso.add_user("finn", groups=["00000000-0000-4000-8000-0000000f1aa0"], given_name="Finn", family_name="Carter")

    sign_in_with_council_account(page, "finn")
    page.get_by_role("heading", name="Your account has no access yet").wait_for()  # at the home page, '/'
    assert nav_links(page) == []  # nothing to open: only the sign-out button
    for path in ("/complaints/", "/portal/", "/reports/", "/admin/"):
        page.goto(path)
        assert page.get_by_role("heading", name="Your account has no access yet").is_visible(), path
    response = page.request.get("/api/v1/complaints/")
    assert response.status == 403
    finn = user_of("finn")
    assert roles_of(finn) == set()
    assert not finn.is_staff


def test_app_roles_give_roles_and_too_many_groups_give_none(page, sso):
    """Entra ID's app roles arrive in the `roles` claim; someone in more groups than fit in a token gets no groups
    claim at all (a pointer to Microsoft Graph instead), so no role can come from a group."""
    give(DirectoryClaim.ROLES, "Casework.Manager", Role.MANAGER)
    give(DirectoryClaim.GROUPS, OFFICERS, Role.COMPLAINTS_OFFICER)
    sso.add_user("helen", roles=["Casework.Manager"], groupsOverage=True, given_name="Helen", family_name="Carter")

    sign_in_with_council_account(page, "helen")
    page.wait_for_url("**/work/")
    assert "Reports" in nav_links(page)
    helen = user_of("helen")
    assert roles_of(helen) == {Role.MANAGER}
    assert AccountEvent.objects.filter(user=helen, kind=AccountEventKind.GROUPS_OVERAGE).exists()


def test_signing_out_ends_the_directory_session_too(page, sso):
    give(DirectoryClaim.GROUPS, OFFICERS, Role.COMPLAINTS_OFFICER)
    sso.add_user("tom", groups=[OFFICERS], given_name="Tom", family_name="Bennett")
    sign_in_with_council_account(page, "tom")
    page.wait_for_url("**/work/")

    sign_out(page)
    page.goto("/work/")
    page.wait_for_url("**/accounts/login/?next=/work/")
    # Signing in again asks for the directory password: the provider's session ended with ours.
    page.get_by_role("link", name="Sign in with your council account").click()
    assert page.get_by_label("Directory password").is_visible()
    page.get_by_label("Directory username").fill("tom")
    page.get_by_label("Directory password").fill("not the password")
    page.get_by_role("button", name="Sign in to the directory").click()
    assert page.get_by_role("alert").inner_text() == "Wrong username or password."
    assert page.url.startswith(sso.issuer)  # still at the provider, not signed in


def test_staff_cannot_use_a_password_when_passwords_are_off_but_single_sign_on_still_works(page, sso, settings):
    settings.STAFF_PASSWORD_SIGN_IN = False
    give(DirectoryClaim.GROUPS, OFFICERS, Role.COMPLAINTS_OFFICER)
    sso.add_user("grace", groups=[OFFICERS], given_name="Grace", family_name="Mensah")
    page.goto("/accounts/login/")
    assert page.get_by_text("staff accounts cannot sign in here").is_visible()
    sign_in_with_council_account(page, "grace")
    page.wait_for_url("**/work/")
    assert page.get_by_role("heading", name="My work").is_visible()


def test_an_account_deactivated_here_cannot_sign_in_through_the_directory(page, sso):
    give(DirectoryClaim.GROUPS, OFFICERS, Role.COMPLAINTS_OFFICER)
    sso.add_user("leaver", groups=[OFFICERS], given_name="Lee", family_name="Ver")
    sign_in_with_council_account(page, "leaver")
    page.wait_for_url("**/work/")
    sign_out(page)

    User.objects.filter(pk=user_of("leaver").pk).update(is_active=False)
    sign_in_with_council_account(page, "leaver")
    page.wait_for_url("**/accounts/login/")
    assert "Signing in with your council account did not work" in page.get_by_role("alert").inner_text()
    assert page.goto("/work/").url.endswith("/accounts/login/?next=/work/")
