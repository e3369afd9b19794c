"""Single sign-on tests against a real OpenID Connect provider: the `oidc-provider` package (tests/sso/provider),
run with the machine's Node.js on a loopback port, with a client for the live server and users whose claims the
tests write. `make install` installs its packages (npm ci); nothing is downloaded while the tests run."""

import json
import os
import select
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.conftest import require_service
from tests.e2e.conftest import _product_data, page  # noqa: F401 - the browser tests' fixtures

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "casework-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only-0123456789"
DIRECTORY_PASSWORD = "directory-password-for-tests"


class Provider:
    """The running provider: its issuer, and the directory's users (rewritten for each test)."""

    def __init__(self, issuer, users_file):
        self.issuer = issuer
        self.users_file = users_file
        self.users = {}

    def _save(self):
        self.users_file.write_text(json.dumps({"users": self.users}))

    def reset(self):
        self.users = {}
        self._save()

    def add_user(self, login, *, groups=(), roles=(), **claims):
        """A directory account; `login` is what is typed at the provider's sign-in form."""
        self.users[login] = {
            "password": DIRECTORY_PASSWORD,
            "sub": f"{login}-object-id",
            "email": f"{login}@council.example",
            "groups": list(groups),
            "roles": list(roles),
            **claims,
        }
        self._save()

    def set_groups(self, login, groups):
        self.users[login]["groups"] = list(groups)
        self._save()


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    node = shutil.which("node")
    require_service(
        node and (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir(),
        "Node.js 20 or later with the test provider's packages (make install runs npm ci in tests/sso/provider)",
    )
    workdir = tmp_path_factory.mktemp("oidc-provider")
    users_file = workdir / "users.json"
    users_file.write_text('{"users": {}}')
    config = workdir / "config.json"
    config.write_text(
        json.dumps(
            {
                "host": "127.0.0.1",
                "usersFile": str(users_file),
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{live_server.url}/accounts/oidc/callback/"],
                    "post_logout_redirect_uris": [f"{live_server.url}/accounts/login/"],
                },
            }
        )
    )
    log = (workdir / "provider.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - the machine's node running the repository's script
        [node, str(PROVIDER_DIR / "server.mjs"), str(config)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "NODE_ENV": "test"},
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline() if ready else ""
        if not line:
            process.kill()
            log.flush()
            pytest.fail(f"The test provider did not start: {(workdir / 'provider.log').read_text()}")
        yield Provider(json.loads(line)["issuer"], users_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def sso(oidc_provider, settings):
    """Single sign-on switched on against the provider, with an empty directory."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    cache.clear()
    oidc_provider.reset()
    yield oidc_provider
    cache.clear()
