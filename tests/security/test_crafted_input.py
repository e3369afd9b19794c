"""Crafted input answers 400 with a message (or is cleaned), never 500, on every page and API address:
NUL bytes in addresses, searches, forms and JSON; deeply nested JSON; dates past the working-day calendar;
over-long and unprintable file names; control characters in exports."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from casework.exports import csv_bytes, xlsx_bytes
from casework.models import Attachment
from casework.roles import Role
from casework.services import add_attachment, check_upload
from complaints import services
from sla.models import ClockExtension
from tests.factories import ResidentFactory, UserFactory, log_complaint
from tests.urlwalk import all_paths

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


@pytest.fixture
def admin(db):
    return UserFactory(username="admin-user", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def api(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client


def gettable_paths():
    # The probes answer before any input is read; signing out needs a POST.
    skipped = ("/accounts/logout", "/healthz", "/readyz")
    return [path for path in all_paths() if not path.startswith(skipped)]


# --- NUL bytes ------------------------------------------------------------------------------------------


def test_a_nul_byte_in_any_search_or_filter_is_a_400_with_a_message(admin_client):
    log_complaint(received_on=D("2025-04-17"))
    served = []
    for path in gettable_paths():
        response = admin_client.get(path, {"q": "Ada\x00", "reference": "CMP\x00", "search": "\x00"})
        assert response.status_code == 400, (path, response.status_code)
        served.append(path)
    assert "/complaints/" in served and "/api/v1/complaints/" in served
    page = admin_client.get("/complaints/", {"q": "a\x00b"})
    assert "NUL character" in page.content.decode()
    api = admin_client.get("/api/v1/complaints/", {"search": "a\x00b"})
    assert "NUL character" in api.json()["detail"]


def test_a_nul_byte_in_a_reference_in_the_address_is_a_400(admin_client):
    complaint = log_complaint(received_on=D("2025-04-17"))
    for path in (
        f"/complaints/{complaint.reference}%00/",
        f"/api/v1/complaints/{complaint.reference}%00/",
        "/cases/CMP%00/",
    ):
        response = admin_client.get(path)
        assert response.status_code == 400, (path, response.status_code)


def test_a_nul_byte_in_a_submitted_form_is_a_400_and_nothing_is_saved(admin_client):
    complaint = log_complaint(received_on=D("2025-04-17"))
    response = admin_client.post(f"/cases/{complaint.reference}/notes/", {"body": "Called\x00 the resident"})
    assert response.status_code == 400
    assert not complaint.notes.exists()


def test_a_nul_byte_in_json_is_a_400_with_a_message(api):
    response = api.post("/api/v1/complaints/", data='{"summary": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]
    key = api.post("/api/v1/complaints/", data='{"a\\u0000": 1}', content_type="application/json")
    assert key.status_code == 400


# --- Deep JSON --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 5_000, 100_000])
def test_deeply_nested_json_is_a_400_not_a_recursion_error(api, depth):
    body = "[" * depth + "]" * depth
    response = api.post("/api/v1/complaints/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_json_nested_within_the_limit_is_read_as_usual(api):
    body = json.dumps({"summary": [[[["x"]]]]})
    response = api.post("/api/v1/complaints/", data=body, content_type="application/json")
    assert response.status_code == 400 and "received_on" in response.json()  # field errors, not a parse error


@pytest.mark.parametrize("body", ["[]", '[{"on": "2025-04-22"}]', "42", '"acknowledge"', "null"])
def test_an_action_sent_something_other_than_a_json_object_is_a_400_with_a_message(api, body):
    complaint = log_complaint()
    response = api.post(
        f"/api/v1/complaints/{complaint.reference}/acknowledge/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json() or "detail" in response.json()


# --- Dates past the calendar ------------------------------------------------------------------------------


def test_a_due_date_after_2090_is_a_400_with_a_message_on_the_api_and_the_page(client):
    handler = UserFactory(username="handler", role=Role.COMPLAINTS_OFFICER)
    api = APIClient()
    api.force_authenticate(handler)
    client.force_login(handler)
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=handler)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=handler)
    payload = {"granted_on": "2025-05-01", "reason": "Waiting for the surveyor", "resident_told_on": "2025-05-01"}
    response = api.post(
        f"/api/v1/complaints/{complaint.reference}/extend/", {**payload, "new_due_on": "2095-06-01"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "1 June 2095 is outside the dates the working-day calendar covers" in json.dumps(response.json())

    page = client.post(f"/complaints/{complaint.reference}/extend/", {**payload, "new_due_on": "2095-06-01"})
    assert page.status_code in {200, 400}
    assert "2095" in page.content.decode() and "working-day calendar" in page.content.decode()
    assert not ClockExtension.objects.exists()


def test_the_deadline_calculator_api_refuses_a_start_past_the_calendar(api):
    response = api.get("/api/v1/deadlines/", {"start": "2095-01-02", "working_days": 5})
    assert response.status_code == 400


# --- File names -------------------------------------------------------------------------------------------


def test_a_file_name_over_200_characters_is_refused_with_its_length():
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("a" * 396 + ".pdf", PDF))
    # Django keeps the first 255 characters of a name as it arrives; that is still too long here.
    assert "255 characters long" in refused.value.message_dict["file"][0]
    assert "200 characters or fewer" in refused.value.message_dict["file"][0]


def test_a_long_file_name_uploaded_twice_is_stored_twice(admin):
    complaint = log_complaint(received_on=D("2025-04-17"))
    name = "r" * 196 + ".pdf"
    first = add_attachment(complaint, SimpleUploadedFile(name, PDF), admin)
    second = add_attachment(complaint, SimpleUploadedFile(name, PDF), admin)
    assert first.file.name != second.file.name
    assert first.original_name == second.original_name == name
    assert Attachment.objects.filter(case=complaint).count() == 2


def test_a_file_name_with_control_characters_is_refused(admin_client):
    complaint = log_complaint(received_on=D("2025-04-17"))
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("letter\x07.pdf", PDF))
    response = admin_client.post(
        f"/cases/{complaint.reference}/attachments/",
        {"file": SimpleUploadedFile("r" * 400 + ".pdf", PDF)},
        follow=True,
    )
    assert response.status_code == 200 and "characters long" in response.content.decode()
    assert not Attachment.objects.exists()


# --- Control characters in exports ----------------------------------------------------------------------


def test_control_characters_are_replaced_in_every_export():
    rows = [["Ada\x00Love\x1blace", "tab\tand\nnewline kept", 3]]
    book = load_workbook(io.BytesIO(xlsx_bytes([("Residents", ["name", "note", "n"], rows)])))
    sheet = book["Residents"]
    assert sheet["A2"].value == "Ada\ufffdLove\ufffdlace"
    assert sheet["B2"].value == "tab\tand\nnewline kept"
    assert "Ada\ufffdLove\ufffdlace" in csv_bytes(["name"], [["Ada\x00Love\x1blace"]]).decode("utf-8-sig")


def test_a_subject_access_export_succeeds_for_a_name_with_a_control_character(admin_client):
    resident = ResidentFactory(first_name="Ada\x0b", last_name="Love\x1flace")
    log_complaint(received_on=D("2025-04-17"), resident=resident)
    response = admin_client.get(f"/residents/{resident.pk}/subject-access/")
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.content))
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert "Ada\ufffd" in values and "Love\ufffdlace" in values
