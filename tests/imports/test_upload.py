"""The administrators' upload page: same checks as the command, errors listed, import only on confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from casework.models import Case
from casework.reference_data import load_reference_data
from complaints.models import Complaint
from tests.imports.test_import import GOOD, csv_file

pytestmark = pytest.mark.django_db
URL = "/imports/"


@pytest.fixture(autouse=True)
def reference_data():
    load_reference_data()


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def upload(client, data, name="cases.csv", content_type="text/csv", kind="complaints", **fields):
    return client.post(
        URL,
        {"kind": kind, "encoding": "utf-8", "file": SimpleUploadedFile(name, data, content_type), **fields},
    )


def test_only_administrators_may_import(officer_client, manager_client):
    assert reverse("imports:upload") == URL
    assert officer_client.get(URL).status_code == 403
    assert manager_client.get(URL).status_code == 403
    assert upload(officer_client, csv_file(*GOOD)).status_code == 403
    assert Case.objects.count() == 0


def test_the_page_explains_the_columns(admin_client):
    page = admin_client.get(URL).content.decode()
    assert "Import cases from another system" in page
    assert "<code>date_received</code>" in page and "<code>member</code>" in page


def test_a_bad_file_shows_every_problem_and_writes_nothing(admin_client):
    data = csv_file("B-1,1,12/25/2023,,,,Rents,Rents,financial,email", "B-1,1,02/10/2023,,,,Rents,Rents,nope,email")
    response = upload(admin_client, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported" in page
    assert "<td>2</td><td>date_received</td>" in page
    assert "<td>3</td><td>reference</td>" in page and "already on row 2" in page
    assert Case.objects.count() == 0


def test_a_valid_file_is_imported_only_once_confirmed(admin_client, administrator):
    response = upload(admin_client, csv_file(*GOOD))
    page = response.content.decode()
    assert "Confirm the import" in page and "2 new" in page
    assert Case.objects.count() == 0  # checked, not written
    token = admin_client.session["imports_pending"]["token"]

    response = admin_client.post(reverse("imports:confirm"), {"token": token, "action": "import"}, follow=True)

    assert "Imported 2 new cases" in response.content.decode()
    assert Complaint.objects.count() == 2
    imported = Complaint.objects.get(external_reference="R-1").timeline.get(kind="imported")
    assert imported.actor == administrator and "uploaded by administrator" in imported.summary
    # The confirmation is used up: posting it again imports nothing more.
    again = admin_client.post(reverse("imports:confirm"), {"token": token, "action": "import"}, follow=True)
    assert "upload the file again" in again.content.decode()
    assert Complaint.objects.count() == 2


def test_cancelling_imports_nothing(admin_client):
    upload(admin_client, csv_file(*GOOD))
    token = admin_client.session["imports_pending"]["token"]
    admin_client.post(reverse("imports:confirm"), {"token": token, "action": "cancel"})
    assert Case.objects.count() == 0
    assert "imports_pending" not in admin_client.session


def test_a_mapping_file_can_be_uploaded_with_the_file(admin_client):
    mapping = SimpleUploadedFile("m.json", b'{"columns": {"Ref": "reference"}}', "application/json")
    data = csv_file(*GOOD).replace(b"reference,", b"Ref,", 1)
    response = upload(admin_client, data, mapping=mapping)
    assert "Confirm the import" in response.content.decode()
    bad = SimpleUploadedFile("m.json", b"{oops", "application/json")
    response = upload(admin_client, data, mapping=bad)
    assert "not valid JSON" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        ("cases.xlsx", b"PK\x03\x04rest", "application/octet-stream", "must be a .csv or .txt file"),
        ("cases.csv", b"PK\x03\x04rest", "application/vnd.ms-excel", "spreadsheet workbook"),
        ("cases.csv", b"ref\x00\x00", "text/csv", "binary data"),
        ("cases.csv", b"reference\n", "image/png", "image/png file, not text"),
    ],
)
def test_files_of_the_wrong_type_are_refused(admin_client, name, data, content_type, message):
    response = upload(admin_client, data, name=name, content_type=content_type)
    assert message in response.content.decode()
    assert "imports_pending" not in admin_client.session


def test_files_over_the_size_limit_are_refused(admin_client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(admin_client, csv_file(*GOOD) + b"x" * (1024 * 1024))
    assert "larger than 1 MB" in response.content.decode()


def test_the_upload_needs_its_csrf_token(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = upload(client, csv_file(*GOOD))
    assert response.status_code == 403
    assert Case.objects.count() == 0
    page = client.get(URL).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_ombudsman_orders_and_survey_answers_go_through_the_page(admin_client):
    from ombudsman.models import Order
    from reporting.models import SurveyAnswer

    header = "reference,ombudsman,date_received,determined_on,service_area,complaint_head,category,outcome,"
    header += "finding_number,order_type,order_due_on"
    bad = f"{header}\nH-1,housing,01/02/2022,01/06/2022,Rents,Damp,Charges,maladministration,1,,\nH-1,,,,,,,,4,apology,01/07/2022\n"
    response = upload(admin_client, bad.encode(), kind="ombudsman-findings")
    page = response.content.decode()
    assert response.status_code == 200 and "The file was not imported" in page
    assert "finding 4 of &#x27;H-1&#x27; does not exist" in page and Order.objects.count() == 0
    good = bad.replace(",4,apology", ",1,apology")
    assert "Confirm the import" in upload(admin_client, good.encode(), kind="ombudsman-findings").content.decode()
    token = admin_client.session["imports_pending"]["token"]
    admin_client.post(reverse("imports:confirm"), {"token": token, "action": "import"})
    assert Order.objects.get().order_type == "apology"

    answers = b"reference,answered_on,answer,stock_type\nT-1,01/12/2024,very satisfied,LCRA\n"
    page = upload(admin_client, answers, kind="survey-answers").content.decode()
    assert "Confirm the import" in page and "New survey answers to import" in page
    token = admin_client.session["imports_pending"]["token"]
    done = admin_client.post(reverse("imports:confirm"), {"token": token, "action": "import"}, follow=True)
    assert "Imported 1 new survey answers" in done.content.decode() and SurveyAnswer.objects.count() == 1
