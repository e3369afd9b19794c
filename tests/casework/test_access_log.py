"""The access log also records bulk reads over the API (each case a page listed), attachment downloads, queues'
exports (each case exported) and searches for residents (with what was searched for), and shows them to managers."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from casework.models import AccessKind, CaseAccess
from casework.roles import Role
from casework.services import add_attachment
from tests.factories import UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(officer):
    return [log_complaint(received_on=D("2025-04-17"), assigned_to=officer) for _ in range(3)]


def test_each_case_in_a_page_read_over_the_api_is_logged(officer, complaints):
    api = APIClient()
    api.force_authenticate(officer)
    response = api.get("/api/v1/complaints/", {"page_size": 2})
    assert response.status_code == 200 and len(response.json()["results"]) == 2
    listed = CaseAccess.objects.filter(user=officer, kind=AccessKind.LISTED)
    assert listed.count() == 2
    assert {entry.via for entry in listed} == {"api"}
    assert set(listed.values_list("case__reference", flat=True)) == {r["reference"] for r in response.json()["results"]}


def test_a_downloaded_attachment_is_logged_against_its_case(officer_client, officer, complaints):
    attachment = add_attachment(complaints[0], SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n"), officer)
    response = officer_client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    entry = CaseAccess.objects.get(kind=AccessKind.DOWNLOADED)
    assert entry.case_id == complaints[0].pk and entry.user == officer


def test_a_resident_search_is_logged_with_what_was_searched_for(officer_client, officer, complaints):
    officer_client.get("/complaints/residents/", {"q": "Lovelace"})
    entry = CaseAccess.objects.get(kind=AccessKind.SEARCHED)
    assert entry.case is None and entry.query == "Lovelace" and entry.user == officer

    manager = UserFactory(username="boss", role=Role.MANAGER)
    officer_client.force_login(manager)
    page = officer_client.get("/access-log/").content.decode()
    assert "Searched for &ldquo;Lovelace&rdquo;" in page


def exported():
    return CaseAccess.objects.filter(kind=AccessKind.EXPORTED)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_case_a_queues_export_holds_is_logged_as_exported(officer_client, officer, complaints, fmt):
    wanted = complaints[0]
    response = officer_client.get(f"/queues/complaints/export.{fmt}", {"q": wanted.reference})
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    entry = exported().get()
    assert (entry.case_id, entry.user, entry.via) == (wanted.pk, officer, "page")
    assert entry.path == f"/queues/complaints/export.{fmt}?q={wanted.reference}"


def test_a_streamed_export_logs_its_cases_as_they_are_read_batch_by_batch(officer_client, complaints, monkeypatch):
    monkeypatch.setattr("casework.selectors.EXPORT_BATCH", 2)
    response = officer_client.get("/queues/complaints/export.csv")
    assert not exported().exists()  # nothing read yet
    b"".join(response.streaming_content)
    assert sorted(exported().values_list("case_id", flat=True)) == sorted(c.pk for c in complaints)
    assert CaseAccess.objects.count() == 3  # the export's rows alone
