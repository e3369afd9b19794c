"""A user without a role can open nothing but the sign-in pages; anonymous visitors are sent to sign in."""

import pytest

from tests.factories import UserFactory
from tests.urlwalk import all_paths

PUBLIC_PREFIXES = (
    "/admin/login/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    # The second factor and recovery codes (about the user's own sign-in), and the single sign-on round trip.
    "/accounts/two-factor/",
    "/accounts/oidc/",
    "/healthz",
    # The residents' pages: no sign-in needed (tests/online).
    "/complain/",
    "/accessibility/",
    "/privacy/",
    "/readyz",
    "/.well-known/security.txt",
)


def is_public(path):
    return path.startswith(PUBLIC_PREFIXES)


def protected_paths():
    return [path for path in all_paths() if not is_public(path)]


@pytest.fixture
def roleless_client(client, db):
    client.force_login(UserFactory(username="nobody"))
    return client


def test_the_url_walk_finds_the_pages_that_matter():
    paths = protected_paths()
    assert "/work/" in paths
    assert "/api/v1/service-areas/" in paths
    assert "/api/schema/" in paths
    assert any(path.startswith("/admin/") for path in paths)


@pytest.mark.django_db
@pytest.mark.parametrize("path", protected_paths())
def test_a_user_without_a_role_is_refused_everywhere(roleless_client, path):
    response = roleless_client.get(path)
    if response.status_code == 302:
        # Only ever back to a sign-in page (the admin has its own).
        assert "/login/" in response["Location"], f"{path} redirected to {response['Location']}"
    else:
        assert response.status_code in (403, 404, 405), f"{path} answered {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/work/", "/notifications/", "/cases/X-0000-000001/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_anonymous_api_calls_are_refused(client):
    assert client.get("/api/v1/service-areas/").status_code in (401, 403)
    assert client.get("/api/schema/").status_code in (401, 403)


@pytest.mark.django_db
def test_the_sign_in_page_opens_for_everyone(client, roleless_client):
    assert client.get("/accounts/login/").status_code == 200
    assert roleless_client.get("/accounts/password_reset/").status_code == 200


@pytest.mark.django_db
def test_a_roleless_user_is_told_why(roleless_client):
    response = roleless_client.get("/work/")
    assert response.status_code == 403
    assert b"no access yet" in response.content
