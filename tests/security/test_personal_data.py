"""Personal data: who viewed a case, the retention schedule, and the subject access export."""

import datetime
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.models import Attachment, Case, CaseAccess, Note, Resident
from casework.retention import apply_retention, cutoff_date
from casework.roles import Role
from casework.services import add_attachment, add_note
from complaints import services as complaint_services
from complaints.models import Complaint, StageOutcome
from tests.factories import ResidentFactory, UserFactory, log_complaint, make_office, submit_enquiry
from tests.security.world import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(username="pd.officer", role=Role.COMPLAINTS_OFFICER)


# --- Access log ----------------------------------------------------------------------------------------


def test_opening_a_case_page_or_reading_it_over_the_api_is_logged(client, officer):
    complaint = log_complaint(actor=officer)
    client.force_login(officer)
    assert client.get(complaint.get_absolute_url()).status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    assert api.get(f"/api/v1/complaints/{complaint.reference}/").status_code == 200
    entries = list(CaseAccess.objects.filter(case=complaint).order_by("accessed_at", "id"))
    assert [(e.user, e.via) for e in entries] == [(officer, "page"), (officer, "api")]
    assert entries[1].path == f"/api/v1/complaints/{complaint.reference}/"


def test_a_refused_look_is_not_logged_as_a_view(client, officer):
    complaint = log_complaint(actor=officer)
    investigator = UserFactory(username="pd.investigator", role=Role.INVESTIGATING_OFFICER)
    client.force_login(investigator)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    assert not CaseAccess.objects.filter(case=complaint).exists()


def test_managers_read_the_access_log_and_officers_cannot(client, officer):
    complaint = log_complaint(actor=officer)
    other = log_complaint(actor=officer, summary="Another")
    client.force_login(officer)
    client.get(complaint.get_absolute_url())
    client.get(other.get_absolute_url())
    assert client.get("/access-log/").status_code == 403

    client.force_login(UserFactory(username="pd.manager", role=Role.MANAGER))
    page = client.get("/access-log/", {"case": complaint.reference})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    assert complaint.reference.encode() in page.content
    by_user = client.get("/access-log/", {"user": "pd.officer"})
    assert by_user.context["page"].paginator.count == 2


# --- Retention -----------------------------------------------------------------------------------------


def closed_complaint(officer, resident, closed_years_ago, **kwargs):
    complaint = complaint_services.acknowledge(
        log_complaint(actor=officer, resident=resident, **kwargs), on=datetime.date(2025, 4, 22), actor=officer
    )
    complaint = complaint_services.respond(
        complaint,
        actor=officer,
        on=datetime.date(2025, 4, 29),
        summary="We fixed the leak and apologise.",
        points=[complaint_services.Point("Leak", StageOutcome.UPHELD)],
    )
    complaint = complaint_services.close(complaint, actor=officer)
    closed_at = timezone.now() - timedelta(days=int(365.25 * closed_years_ago))
    Case.objects.filter(pk=complaint.pk).update(closed_at=closed_at)
    return Complaint.objects.get(pk=complaint.pk)


def test_the_cutoff_is_whole_years_back():
    assert cutoff_date(datetime.date(2031, 5, 1), 6) == datetime.date(2025, 5, 1)
    assert cutoff_date(datetime.date(2032, 2, 29), 6) == datetime.date(2026, 2, 28)


def test_a_dry_run_reports_and_changes_nothing(officer):
    resident = ResidentFactory(first_name="Margaret", last_name="Oldcase")
    old = closed_complaint(officer, resident, 7, description="Water through the ceiling")
    closed_complaint(officer, ResidentFactory(), 2)  # too recent
    report = apply_retention(dry_run=True)
    assert report.cases == 1 and report.cases_by_kind == {"complaint": 1}
    assert report.residents == 1
    assert old.reference in report.examples
    assert "would be anonymised" in str(report)
    old.refresh_from_db()
    assert old.description == "Water through the ceiling"
    assert old.anonymised_at is None


def test_anonymising_removes_personal_data_and_keeps_the_figures(officer):
    resident = ResidentFactory(first_name="Margaret", last_name="Oldcase", email="m@example.org", phone="0207")
    old = closed_complaint(officer, resident, 7, description="Water through the ceiling", staff_named="Bob")
    add_note(old, officer, "Mrs Oldcase called about her son")
    attachment = add_attachment(old, pdf_upload(), officer)
    stored_file = attachment.file.name
    recent = closed_complaint(officer, ResidentFactory(last_name="Recent"), 1)

    with pytest.MonkeyPatch.context() as patch:
        # Attachment files go after the transaction commits; the test's transaction never commits.
        patch.setattr("django.db.transaction.on_commit", lambda function: function())
        report = apply_retention(dry_run=False)
    assert report.cases == 1

    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.summary == "Anonymised case"
    assert "ceiling" not in old.description and old.staff_named == ""
    assert not Note.objects.filter(case=old, body__contains="Oldcase").exists()
    assert not Attachment.objects.filter(case=old).exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(stored_file)
    # The figures stay: dates, stage outcome, service area, issue nature.
    stage = old.stages.get()
    assert stage.outcome == StageOutcome.UPHELD and stage.responded_on == datetime.date(2025, 4, 29)
    assert old.timeline.exists()
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name, resident.email, resident.phone) == (
        "Anonymised",
        "resident",
        "",
        "",
    )
    # The history tables no longer hold the old values.
    assert not Resident.history.filter(id=resident.pk, last_name="Oldcase").exists()
    assert not Complaint.history.filter(id=old.pk).exists()
    recent.refresh_from_db()
    assert recent.anonymised_at is None and recent.resident.last_name == "Recent"
    # A second run finds nothing more to do.
    assert apply_retention(dry_run=False).cases == 0


def test_a_resident_with_an_open_case_keeps_their_details_and_old_cases(officer):
    resident = ResidentFactory(last_name="Stillhere")
    old = closed_complaint(officer, resident, 8)
    log_complaint(actor=officer, resident=resident)  # open now
    assert apply_retention(dry_run=False).cases == 0
    old.refresh_from_db()
    assert old.anonymised_at is None


def test_the_period_is_configurable(officer, settings):
    closed_complaint(officer, ResidentFactory(), 3)
    assert apply_retention(dry_run=True).cases == 0
    settings.RETENTION_YEARS = 2
    assert apply_retention(dry_run=True).cases == 1


def test_the_command_and_the_scheduled_task(officer, capsys):
    closed_complaint(officer, ResidentFactory(), 7)
    call_command("apply_retention", "--dry-run")
    assert "1 cases would be anonymised: 1 complaint" in capsys.readouterr().out
    from casework.tasks import apply_retention_schedule

    assert apply_retention_schedule.delay().get() == 1
    from casework.models import JobRun

    assert "1 cases were anonymised" in JobRun.objects.get(job="apply_retention_schedule").summary


def test_the_retention_schedule_is_installed_by_default():
    from django_celery_beat.models import PeriodicTask

    from casework.schedules import install_default_schedules

    install_default_schedules()
    assert PeriodicTask.objects.get(name="Retention schedule").task == "casework.tasks.apply_retention_schedule"


# --- Subject access ------------------------------------------------------------------------------------


def sheets_of(content):
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def test_the_subject_access_export_holds_everything_about_the_resident(client, officer):
    resident = ResidentFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    complaint = log_complaint(actor=officer, resident=resident, description='=HYPERLINK("http://x")')
    add_note(complaint, officer, "Called Ada back")
    add_attachment(complaint, pdf_upload("ceiling.pdf"), officer)
    _, member = make_office()
    enquiry = submit_enquiry(member, description="Broken window")
    Case.objects.filter(pk=enquiry.pk).update(resident=resident)
    someone_else = log_complaint(actor=officer, resident=ResidentFactory(last_name="Else"))

    administrator = UserFactory(username="pd.admin", role=Role.ADMINISTRATOR)
    client.force_login(administrator)
    search = client.get("/residents/subject-access/", {"q": "Lovelace"})
    assert f"/residents/{resident.pk}/subject-access/".encode() in search.content
    response = client.get(f"/residents/{resident.pk}/subject-access/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheets = sheets_of(response.content)
    assert {"Resident", "Cases", "Case details", "Timeline", "Notes", "Attachments", "Enquiries"} <= set(sheets)
    assert ["Email", "ada@example.org"] in sheets["Resident"]
    references = {row[0] for row in sheets["Cases"][1:]}
    assert references == {complaint.reference, enquiry.reference}
    assert someone_else.reference not in str(sheets)
    assert any(row[3] == "Called Ada back" for row in sheets["Notes"][1:])
    assert any(row[1] == "ceiling.pdf" for row in sheets["Attachments"][1:])
    assert any(row[0] == enquiry.reference and row[5] == "Broken window" for row in sheets["Enquiries"][1:])
    # Free text that looks like a formula stays text.
    assert ["" if v is None else v for v in next(r for r in sheets["Case details"] if r[1] == "description")] == [
        complaint.reference,
        "description",
        '\'=HYPERLINK("http://x")',
    ]
    # The export is a reading of each case: it is in the access log.
    assert CaseAccess.objects.filter(user=administrator, case=complaint).exists()


def test_only_administrators_make_subject_access_exports(client, officer):
    resident = ResidentFactory()
    for role in (Role.COMPLAINTS_OFFICER, Role.MANAGER, Role.INVESTIGATING_OFFICER):
        client.force_login(UserFactory(username=f"pd.{role}", role=role))
        assert client.get(f"/residents/{resident.pk}/subject-access/").status_code == 403
