"""Liveness and readiness answer probes from any address; every response carries a request id that the log
lines share; error reports leave residents' personal data behind; security.txt is served."""

import logging

import pytest
import sentry_sdk
from django.test import Client, override_settings
from django.urls import include, path
from sentry_sdk.transport import Transport

from config.sentry import init_sentry
from tests.factories import log_complaint

pytestmark = pytest.mark.django_db


def test_liveness_and_readiness_answer_a_probe_to_the_containers_own_address():
    probe = Client(HTTP_HOST="10.0.0.7")  # not an allowed host, as an orchestrator's probe is not
    assert probe.get("/healthz").content == b"ok"
    ready = probe.get("/readyz")
    assert ready.status_code == 200, ready.content
    body = ready.json()
    assert any(name.startswith("Database") for name in body) and any(
        name.startswith("MigrationsApplied") for name in body
    )
    assert set(body.values()) == {"OK"}


def test_readiness_is_503_naming_the_check_when_media_storage_cannot_write(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker / "media")
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    failing = [name for name, status in ready.json().items() if status != "OK"]
    assert failing and failing[0].startswith("Storage")


def test_every_response_has_a_request_id_and_a_sane_one_from_the_proxy_is_kept(officer_client, caplog):
    mine = officer_client.get("/work/")
    assert len(mine.headers["X-Request-ID"]) == 32
    kept = officer_client.get("/work/", HTTP_X_REQUEST_ID="proxy-7f3a")
    assert kept.headers["X-Request-ID"] == "proxy-7f3a"
    forged = officer_client.get("/work/", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    assert forged.headers["X-Request-ID"] != "bad id\nwith a newline"


def test_log_lines_carry_the_request_id_as_json(officer_client, capsys):
    from casework.request_id import RequestIdFilter

    handler = logging.StreamHandler()
    from pythonjsonlogger.json import JsonFormatter

    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(request_id)s %(message)s"))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = officer_client.get("/complaints/NO-SUCH-CASE/", HTTP_X_REQUEST_ID="trace-42")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert '"request_id": "trace-42"' in line and '"levelname": "WARNING"' in line


def boom(request):
    raise RuntimeError("something broke")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]


class Captured(Transport):
    """Keeps what would be sent, instead of sending it."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        self.events.extend(item.payload.json for item in envelope.items if item.type == "event")


@override_settings(ROOT_URLCONF=__name__, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_error_report_carries_no_personal_data(officer):
    transport = Captured()
    init_sentry("https://public@sentry.invalid/1", environment="test", transport=transport)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(officer)
        client.cookies["preferences"] = "secret"
        log_complaint()  # a query with residents' names in the breadcrumbs
        response = client.post(
            "/boom/?q=Ada+Lovelace",
            {"description": "Ada Lovelace, 12 Engine Row, has a leak"},
            HTTP_X_REQUEST_ID="trace-99",
        )
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # off again
    assert response.status_code == 500
    assert transport.events, "nothing was reported"
    event = transport.events[-1]
    text = repr(event)
    assert "something broke" in text
    assert "Lovelace" not in text and "Engine Row" not in text and "secret" not in text
    assert event["tags"]["request_id"] == "trace-99"
    assert set(event.get("user", {})) <= {"id"}


def test_security_txt_says_where_to_report_and_when_it_expires(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@borough.example"
    text = client.get("/.well-known/security.txt", HTTP_HOST="testserver").content.decode()
    assert "Contact: mailto:security@borough.example" in text
    assert "Expires: " in text
