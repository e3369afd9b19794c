"""Hostile input: uploads judged by their content and size, free text escaped in pages and neutralised in
exports, and every export going through casework.exports."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.roles import Role
from casework.services import add_attachment, add_note, check_upload
from tests.factories import UserFactory, log_complaint

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", PNG),
        ("letter.pdf", PDF),
        ("notes.txt", "Boiler broken since 3 March – £40 spent on heaters".encode()),
        ("rent.csv", b"date,amount\n2025-03-01,450.00\n"),
        ("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"),
        ("email.eml", b"From: a@example.org\r\nContent-Type: text/html\r\n\r\n<html><p>Hi</p></html>"),
    ],
)
def test_real_files_are_accepted(name, content):
    checked = check_upload(upload(name, content))
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", EXE, "not a real PDF"),
        ("photo.jpg", PNG, "not a real JPG"),
        ("photo.png", b"<svg onload=alert(1)>", "not a real PNG"),
        ("readme.txt", EXE, "not a TXT text file"),
        ("readme.txt", b"<html><script>alert(1)</script></html>", "not a TXT text file"),
        ("data.csv", b"a,b\x00c", "not a CSV text file"),
        ("IMG_0001.heic", PNG, "not a real HEIC"),
        ("tool.exe", EXE, "must be one of"),
        ("page.html", b"<p>hi</p>", "must be one of"),
        ("image.svg", b"<svg></svg>", "must be one of"),
        ("no-extension", PDF, "must be one of"),
        ("letter.pdf.exe", EXE, "must be one of"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content, message):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    assert message in " ".join(refused.value.messages)


def test_files_over_the_size_limit_are_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("big.pdf", PDF + b"0" * 1024))
    assert "smaller than" in " ".join(refused.value.messages)
    assert check_upload(upload("small.pdf", PDF)).size == len(PDF)


def test_a_path_in_the_file_name_is_dropped():
    assert check_upload(upload("../../etc/evil.pdf", PDF)).name == "evil.pdf"


@pytest.mark.django_db
def test_a_refused_upload_is_not_stored_and_the_page_says_why(client):
    officer = UserFactory(username="upload.officer", role=Role.COMPLAINTS_OFFICER)
    complaint = log_complaint(actor=officer)
    client.force_login(officer)
    response = client.post(
        f"/cases/{complaint.reference}/attachments/", {"file": upload("x.pdf", EXE), "description": ""}, follow=True
    )
    assert b"not a real PDF" in response.content
    assert complaint.attachments.count() == 0


@pytest.mark.django_db
def test_downloads_are_attachments_with_the_stored_type(client):
    officer = UserFactory(username="download.officer", role=Role.COMPLAINTS_OFFICER)
    complaint = log_complaint(actor=officer)
    attachment = add_attachment(complaint, upload("notes.txt", b"plain words"), officer)
    client.force_login(officer)
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


HOSTILE = '"><script>alert(1)</script>'


@pytest.mark.django_db
def test_free_text_is_escaped_on_the_complaint_page(client):
    officer = UserFactory(username="escape.officer", role=Role.COMPLAINTS_OFFICER)
    complaint = log_complaint(
        actor=officer, summary=HOSTILE, description=HOSTILE, outcome_wanted=HOSTILE, staff_named=HOSTILE
    )
    add_note(complaint, officer, HOSTILE)
    client.force_login(officer)
    body = client.get(complaint.get_absolute_url()).content
    assert b"<script>alert(1)</script>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_every_csv_or_xlsx_export_goes_through_casework_exports():
    """Spreadsheets are written only by casework/exports.py, which neutralises formulas; any other module
    writing CSV or XLSX fails here (use casework.exports.csv_response / xlsx_response instead). Reading CSV
    (imports) is fine."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl|xlsxwriter|\.to_csv\(|\.to_excel\(")
    offenders = []
    for path in PROJECT_ROOT.rglob("*.py"):
        relative = path.relative_to(PROJECT_ROOT)
        if relative.parts[0] in (".venv", "tests", "bench", "node_modules") or relative == Path("casework/exports.py"):
            continue
        if writers.search(path.read_text(errors="replace")):
            offenders.append(str(relative))
    assert not offenders, f"These write spreadsheets without casework.exports: {offenders}"
