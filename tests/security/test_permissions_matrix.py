"""The permissions matrix in docs/security.md, enforced: one test per row and role, generated from the doc,
plus a test that every URL of the project has a row, so the two cannot drift."""

import html.parser
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from tests.security.matrix import EXPECTATION, is_wildcard, read_matrix
from tests.security.payloads import PAYLOADS
from tests.security.world import COUNTERPARTS, HOSTILE, NARROWED, ROLES, build_world

ROWS = read_matrix()
ROLE_NAMES = list(ROLES)
ADMIN_SAMPLE = "admin:index"
# Pages the content security policy leaves alone (casework.middleware): Django's admin and the API's Swagger UI
# ship inline scripts of their own. Both are for staff only.
CSP_EXEMPT = ("/admin/", "/api/docs/")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end; each test runs in a
    savepoint inside it, so a transition made by one test is undone before the next."""
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=str(media)),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built["media"] = str(media)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def matrix_world(_fast_and_isolated, settings, world):
    """The world, with the attachments' storage pointed back at its files for this test."""
    settings.MEDIA_ROOT = world["media"]
    return world


def _argument(world, name):
    value = world.get(name, name)
    if hasattr(value, "reference"):
        return value.reference
    if hasattr(value, "pk"):
        return value.pk
    return value


def url_for(row, world, substitute=None):
    name = ADMIN_SAMPLE if is_wildcard(row.url_name) else row.url_name
    names = [substitute.get(a, a) if substitute else a for a in row.arguments]
    path = reverse(name, args=[_argument(world, a) for a in names])
    return path + row.query


def client_for(world, role, path):
    if role == "anonymous":
        return Client()
    user = world["users"][role]
    if path.startswith("/api/v1/"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens'][role]}")
        return client
    client = Client()
    client.force_login(user)
    return client


def send(row, world, role, path):
    client = client_for(world, role, path)
    if row.method == "GET":
        return client.get(path)
    if row.method not in ("POST", "PATCH"):
        raise AssertionError(f"line {row.line}: method {row.method} is not tested yet")
    body = payload_for(row)
    data, kind = body(world)
    send_body = client.post if row.method == "POST" else client.patch
    if kind == "json":
        return send_body(path, data, content_type="application/json")
    if kind == "multipart":
        return send_body(path, data, format="multipart")
    return send_body(path, data)


def payload_for(row):
    """The body registered for the row: by (URL name, method, last argument) when one URL
    name carries several actions (`ombudsman:action` with `assign`, `close`, ...), else by (URL name, method)."""
    for key in ((row.url_name, row.method, row.arguments[-1] if row.arguments else ""), (row.url_name, row.method)):
        if key in PAYLOADS:
            return PAYLOADS[key]
    raise AssertionError(f"No body for {row.id} in tests/security/payloads.py")


# Signing out rightly ends on the sign-in page; for every other row a redirect there means "not allowed".
ENDS_ON_SIGN_IN = {"/accounts/logout/"}


def check(response, expected, path):
    status = response.status_code
    where = f"{path} answered {status}"
    if expected == "deny":
        assert status in (403, 404), where
    elif expected == "login":
        if path.startswith("/api/"):
            assert status in (401, 403), where
        else:
            assert status == 302, where
            assert "/login/" in response["Location"], f"{where}, to {response['Location']}"
    else:
        assert status == int(expected), where + (f" to {response['Location']}" if status == 302 else "")
        if status == 302 and path not in ENDS_ON_SIGN_IN:
            assert "/login/" not in response["Location"], f"{path} sent an allowed user to sign in"


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def assert_no_leak(response, world, path):
    body = body_of(response).decode("utf-8", "replace")
    for secret in world["secrets"]:
        assert secret not in body, f"{path} showed {secret!r}, which belongs to another service or office"


def assert_escaped(response, path):
    if is_html(response):
        assert HOSTILE.encode() not in body_of(response), f"{path} printed residents' text unescaped"


CASES = [pytest.param(row, role, id=f"{row.id} as {role}") for row in ROWS for role in ROLE_NAMES]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CASES)
def test_the_matrix(matrix_world, row, role):
    world = matrix_world
    expected = row.expected[role]
    path = url_for(row, world)
    response = send(row, world, role, path)
    check(response, expected, path)
    assert_escaped(response, path)
    if role in NARROWED:
        assert_no_leak(response, world, path)
        if expected not in ("deny", "login") and any(a in COUNTERPARTS for a in row.arguments):
            other_path = url_for(row, world, substitute=COUNTERPARTS)
            other = send(row, world, role, other_path)
            check(other, "deny", other_path)
            assert_no_leak(other, world, other_path)


def test_every_cell_says_something_the_test_understands():
    assert ROWS, "docs/security.md has no matrix rows"
    for row in ROWS:
        assert list(row.expected) == ROLE_NAMES, f"line {row.line}: the role columns must be {ROLE_NAMES}"
        for role, value in row.expected.items():
            assert EXPECTATION.match(value), f"line {row.line}, {role}: {value!r} is not a status, deny or login"
        assert row.method in ("GET", "POST", "PUT", "PATCH", "DELETE"), f"line {row.line}: {row.method}"
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), "a row appears twice in the matrix"


def project_url_names(resolver=None, namespace=""):
    """Every URL name the project serves, namespaced as reverse() wants it; unnamed patterns as '<route>'."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            names.add(f"{namespace}:{name}" if namespace else name)
    return names


def test_every_url_of_the_project_is_in_the_matrix():
    documented = {row.url_name for row in ROWS}
    wildcards = {name[:-1] for name in documented if is_wildcard(name)}
    missing = sorted(
        name
        for name in project_url_names()
        if name not in documented and not any(name.startswith(prefix) for prefix in wildcards)
    )
    assert not missing, "Add these URLs to the permissions matrix in docs/security.md: " + ", ".join(missing)


def test_every_row_names_a_url_that_exists():
    served = project_url_names()
    stale = sorted(row.url_name for row in ROWS if not is_wildcard(row.url_name) and row.url_name not in served)
    assert not stale, "The matrix names URLs the project does not serve: " + ", ".join(stale)


# --- No inline scripts, styles or event handlers ---------------------------------------------------------


class InlineFinder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        # A JSON data block (Django's json_script, the figures behind a chart) is never run, so the policy
        # lets it be; any other script must come from a file.
        data_block = (dict(attrs).get("type") or "").strip().lower() == "application/json"
        if tag == "script" and "src" not in names and not data_block:
            self.problems.append("an inline <script>")
        if tag == "style":
            self.problems.append("a <style> element")
        if "style" in names:
            self.problems.append(f"a style attribute on <{tag}>")
        handlers = sorted(name for name in names if name.startswith("on"))
        if handlers:
            self.problems.append(f"event handler {handlers} on <{tag}>")
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"a javascript: URL on <{tag}>")


def inline_problems(markup):
    finder = InlineFinder()
    finder.feed(markup)
    return finder.problems


def test_the_inline_finder_finds_what_the_policy_forbids():
    assert inline_problems('<script src="/static/x.js"></script><p class="a">x</p>') == []
    assert len(inline_problems('<script>alert(1)</script><style>p{}</style><p style="color:red" onclick="x()">')) == 4
    assert inline_problems('<a href="javascript:alert(1)">x</a>') == ["a javascript: URL on <a>"]
    assert inline_problems('<script id="chart" type="application/json">{"a": 1}</script>') == []
    assert inline_problems('<script type="text/javascript">alert(1)</script>') == ["an inline <script>"]


# The pages of each app the walk below must reach as the role, so an app whose rows went missing (or whose
# pages stopped answering 200) is noticed rather than silently skipped.
WALKED = {
    "administrator": (
        "/complaints/",
        "/enquiries/",
        "/ombudsman/",
        "/learning/",
        "/dashboard/",
        "/reports/",
        "/imports/",
    ),
    "manager": ("/ombudsman/", "/learning/", "/dashboard/", "/reports/"),
    "investigating officer": ("/complaints/", "/ombudsman/", "/learning/"),
    "member portal": ("/portal/",),
    "anonymous": ("/accounts/", "/complain/", "/accessibility/", "/privacy/"),
}


def html_pages(world, role):
    """(path, response) for every HTML page of the matrix the role may open (GET rows answering 200)."""
    for row in ROWS:
        if row.method != "GET" or row.expected[role] != "200":
            continue
        path = url_for(row, world)
        if path.startswith(CSP_EXEMPT):
            continue
        response = send(row, world, role, path)
        if is_html(response):
            yield path, response


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(WALKED))
def test_no_page_has_inline_scripts_styles_or_handlers(matrix_world, role):
    """Walk every page of the matrix this role may open and parse it: the CSP would block inline code, so a
    page that relied on it would be broken for real users."""
    opened = []
    for path, response in html_pages(matrix_world, role):
        opened.append(path)
        assert "Content-Security-Policy" in response, f"{path} has no content security policy"
        problems = inline_problems(body_of(response).decode())
        assert not problems, f"{path}: {problems}"
    missed = [prefix for prefix in WALKED[role] if not any(path.startswith(prefix) for path in opened)]
    assert not missed, f"as {role}, the walk opened no page under {missed}"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/complaints/", "/enquiries/", "/portal/", "/ombudsman/", "/learning/"])
def test_each_apps_pages_print_the_hostile_text_escaped(matrix_world, prefix):
    """The escaping check in test_the_matrix only proves something where a page prints what residents typed:
    each app that shows free text must print the world's hostile text, escaped, on at least one page."""
    role = "member portal" if prefix == "/portal/" else "administrator"
    escaped = escape(HOSTILE).encode()
    showing = [
        path
        for path, response in html_pages(matrix_world, role)
        if path.startswith(prefix) and escaped in body_of(response)
    ]
    assert showing, f"no page under {prefix} shows the world's hostile text"


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_has_inline_scripts_styles_or_handlers():
    """The templates too, for pages the world does not reach (error pages, emails are text)."""
    pattern = re.compile(r"<script(?![^>]*\bsrc=)|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, offenders
