"""Single sign-on's settings, failures and the claim-to-role mapping, without a browser. The sign-in itself, against
a real provider, is in tests/sso/."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from accounts.models import AccountEvent, AccountEventKind, DirectoryClaim, DirectoryRoleMapping
from accounts.services import sign_in_from_directory
from casework.roles import Role, group_name, roles_of
from enquiries.services import add_portal_user
from tests.casework.test_production_settings import GOOD_SECRET, start_django
from tests.factories import make_office

pytestmark = pytest.mark.django_db
ISSUER = "https://login.microsoftonline.com/5b3f6c1e-0000-4000-8000-000000000001/v2.0"


@pytest.fixture
def sso_settings(settings):
    settings.OIDC_RP_CLIENT_ID = "casework"
    settings.OIDC_RP_CLIENT_SECRET = "a-secret"
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def discovery_server():
    """A web server on loopback that serves whatever discovery document the test gives it."""
    served = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(served.get("document", {})).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield served
    server.shutdown()
    server.server_close()


def test_without_an_issuer_there_is_no_single_sign_on(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your council account" not in page
    assert client.get("/accounts/oidc/authenticate/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_the_sign_in_page_leads_with_the_council_account(client, sso_settings):
    sso_settings.OIDC_ISSUER = ISSUER
    page = client.get("/accounts/login/?next=/complaints/").content.decode()
    assert (
        '<a class="button" href="/accounts/oidc/authenticate/?next=/complaints/">Sign in with your council account</a>'
        in page
    )


def test_a_provider_that_does_not_answer_is_reported_on_the_sign_in_page(client, sso_settings):
    sso_settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing listens there
    response = client.get("/accounts/oidc/authenticate/")
    assert response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert "Signing in with your council account is not available just now" in page


def test_a_discovery_document_for_another_issuer_is_refused(client, sso_settings, discovery_server):
    sso_settings.OIDC_ISSUER = discovery_server["url"]
    discovery_server["document"] = {
        "issuer": "https://impostor.example",
        "authorization_endpoint": "https://impostor.example/auth",
        "token_endpoint": "https://impostor.example/token",
        "jwks_uri": "https://impostor.example/jwks",
    }
    assert client.get("/accounts/oidc/authenticate/")["Location"] == "/accounts/login/"
    assert "is not available just now" in client.get("/accounts/login/").content.decode()

    discovery_server["document"]["issuer"] = discovery_server["url"]
    cache.clear()
    response = client.get("/accounts/oidc/authenticate/?next=/complaints/")
    assert response["Location"].startswith("https://impostor.example/auth?")
    assert "code_challenge_method=S256" in response["Location"]
    assert "nonce=" in response["Location"]


def test_a_callback_this_browser_did_not_ask_for_ends_on_the_sign_in_page(client, sso_settings, discovery_server):
    sso_settings.OIDC_ISSUER = discovery_server["url"]
    discovery_server["document"] = {
        "issuer": discovery_server["url"],
        "authorization_endpoint": f"{discovery_server['url']}/auth",
        "token_endpoint": f"{discovery_server['url']}/token",
        "jwks_uri": f"{discovery_server['url']}/jwks",
    }
    client.get("/accounts/oidc/authenticate/")  # a state of its own in the session
    for query in ("code=abc&state=not-ours", "error=access_denied&error_description=User+cancelled&state=x"):
        response = client.get(f"/accounts/oidc/callback/?{query}")
        assert response.status_code == 302, query
        assert response["Location"] == "/accounts/login/", query
        assert "did not work" in client.get("/accounts/login/").content.decode()
        assert client.get("/work/").status_code == 302


def test_pages_may_post_to_the_provider_only_when_single_sign_on_is_on(client, sso_settings):
    assert "form-action 'self';" in client.get("/accounts/login/")["Content-Security-Policy"]
    sso_settings.OIDC_ISSUER = ISSUER
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "form-action 'self' https://login.microsoftonline.com;" in policy


def claims(sub="0001", **extra):
    return {
        "sub": sub,
        "preferred_username": "j.smith@council.example",
        "given_name": "Jo",
        "family_name": "Smith",
    } | extra


def test_roles_come_from_groups_and_app_roles_whatever_the_case_of_the_ids():
    DirectoryRoleMapping.objects.create(
        claim=DirectoryClaim.GROUPS, value="AB12CD34-0000-4000-8000-000000000001", role=Role.MANAGER
    )
    DirectoryRoleMapping.objects.create(
        claim=DirectoryClaim.ROLES, value="Casework.Administrator", role=Role.ADMINISTRATOR
    )
    DirectoryRoleMapping.objects.create(
        claim=DirectoryClaim.ROLES, value="ab12cd34-0000-4000-8000-000000000001", role=Role.INVESTIGATING_OFFICER
    )
    user = sign_in_from_directory(
        issuer=ISSUER, claims=claims(groups=["ab12cd34-0000-4000-8000-000000000001"], roles="casework.administrator")
    )
    # A group's ID in the roles claim is not the group: the claim is part of the mapping.
    assert roles_of(user) == {Role.MANAGER, Role.ADMINISTRATOR}
    assert user.is_staff  # the admin site opens for administrators

    user = sign_in_from_directory(issuer=ISSUER, claims=claims(groups=["ab12cd34-0000-4000-8000-000000000001"]))
    assert roles_of(user) == {Role.MANAGER}
    assert not user.is_staff


def test_the_directory_never_touches_a_portal_role_and_a_portal_role_cannot_be_mapped(db):
    from accounts.models import MAPPABLE_ROLES

    assert Role.MEMBER_PORTAL not in {value for value, _ in MAPPABLE_ROLES}
    user = sign_in_from_directory(issuer=ISSUER, claims=claims())
    office, _ = make_office()
    add_portal_user(user, office)
    user = sign_in_from_directory(issuer=ISSUER, claims=claims())
    assert user.groups.filter(name=group_name(Role.MEMBER_PORTAL)).exists()


def test_people_are_matched_on_issuer_and_subject_never_on_their_name():
    first = sign_in_from_directory(issuer=ISSUER, claims=claims(sub="0001"))
    second = sign_in_from_directory(issuer=ISSUER, claims=claims(sub="0002"))  # another person, same UPN later
    other_tenant = sign_in_from_directory(
        issuer="https://keycloak.council.example/realms/staff", claims=claims(sub="0001")
    )
    assert len({first.pk, second.pk, other_tenant.pk}) == 3
    assert [first.username, second.username, other_tenant.username] == [
        "j.smith@council.example",
        "j.smith@council.example-2",
        "j.smith@council.example-3",
    ]
    renamed = sign_in_from_directory(
        issuer=ISSUER, claims=claims(sub="0001", family_name="Jones", email="j.jones@council.example")
    )
    assert renamed.pk == first.pk
    assert (renamed.last_name, renamed.email) == ("Jones", "j.jones@council.example")


def test_too_many_groups_gives_no_group_roles_and_says_why():
    DirectoryRoleMapping.objects.create(claim=DirectoryClaim.GROUPS, value="g-officers", role=Role.COMPLAINTS_OFFICER)
    user = sign_in_from_directory(issuer=ISSUER, claims=claims(groups=["g-officers"]))
    assert roles_of(user) == {Role.COMPLAINTS_OFFICER}
    overage = claims(
        _claim_names={"groups": "src1"}, _claim_sources={"src1": {"endpoint": "https://graph.microsoft.com/"}}
    )
    user = sign_in_from_directory(issuer=ISSUER, claims=overage)
    assert roles_of(user) == set()
    assert AccountEvent.objects.filter(user=user, kind=AccountEventKind.GROUPS_OVERAGE).exists()


def test_an_administrator_maps_a_group_to_a_role_in_the_admin(administrator, client):
    client.force_login(administrator)
    assert client.get("/admin/accounts/directoryrolemapping/add/").status_code == 200
    response = client.post(
        "/admin/accounts/directoryrolemapping/add/",
        {
            "claim": "groups",
            "value": "  5f0c1d2e-0000-4000-8000-00000000c0f1 ",
            "description": "Housing complaints officers",
            "role": "complaints_officer",
        },
    )
    assert response.status_code == 302
    mapping = DirectoryRoleMapping.objects.get()
    assert mapping.value == "5f0c1d2e-0000-4000-8000-00000000c0f1"
    assert str(mapping) == "Group (groups claim) Housing complaints officers gives Complaints officer"
    refused = client.post(
        "/admin/accounts/directoryrolemapping/add/", {"claim": "groups", "value": "x", "role": "member_portal"}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert (
        Group.objects.filter(name=group_name(Role.ADMINISTRATOR))
        .get()
        .permissions.filter(codename="add_directoryrolemapping")
        .exists()
    )


def test_settings_refuse_a_half_configured_or_plain_http_provider():
    half = start_django(OIDC_ISSUER=ISSUER)
    assert half.returncode != 0
    assert "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too" in half.stderr
    plain = start_django(
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="casework.council.example",
        OIDC_ISSUER="http://login.council.example",
        OIDC_CLIENT_ID="casework",
        OIDC_CLIENT_SECRET="secret",
    )
    assert plain.returncode != 0
    assert "OIDC_ISSUER must be an https:// address" in plain.stderr
