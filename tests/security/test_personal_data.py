"""Personal data: who viewed a case, the retention schedule, and the subject access export."""

import datetime
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from casework.models import Attachment, Case, CaseAccess, Note, Notification, Resident
from casework.retention import apply_retention, cutoff_date
from casework.roles import Role
from casework.services import add_attachment, add_note
from complaints import services as complaint_services
from complaints.models import Complaint, StageOutcome
from tests.factories import (
    PropertyFactory,
    ResidentFactory,
    UserFactory,
    api_token,
    log_complaint,
    make_office,
    open_ombudsman_case,
    submit_enquiry,
)
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
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
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
    assert not old.timeline.exclude(summary="Removed under the retention schedule.").exists()
    assert not Notification.objects.filter(case=old).exclude(body="Removed under the retention schedule.").exists()
    resident.refresh_from_db()
    assert resident.phone_digits == "", "the phone's search key goes with the phone"
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


def test_an_anonymised_complaint_is_no_longer_found_by_its_words(officer, officer_client):
    # On PostgreSQL a complaint's words are stored beside it; they go with its description.
    old = closed_complaint(officer, ResidentFactory(), 7, description="Water through the ceiling")

    def found(typed):
        page = officer_client.get("/complaints/", {"q": typed, "state": "all"}).context["page"]
        return {complaint.reference for complaint in page}

    assert found("ceiling") == {old.reference}
    apply_retention(dry_run=False)
    assert found("ceiling") == set()


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


# --- Ombudsman cases and learning ----------------------------------------------------------------------


def ombudsman_case_about(complaint, officer, *, determined=True):
    """An ombudsman case about `complaint` with a request for information and a service's contribution, and
    (unless told otherwise) a determination with a finding, an order complied with, and a root cause."""
    from ombudsman import services as ombudsman_services
    from ombudsman.models import FindingCategory

    case = open_ombudsman_case(
        officer,
        original_complaint=complaint,
        ombudsman_reference=f"HOS-{complaint.pk}",
        ombudsman_contact="Priya Caseworker, priya@ombudsman.example",
        description="Mrs Oldcase says the damp made her son ill",
    )
    item = ombudsman_services.request_information(
        case,
        actor=officer,
        received_on=datetime.date(2025, 6, 4),
        due_on=datetime.date(2025, 6, 25),
        details="Records of visits to Mrs Oldcase",
    )
    ombudsman_services.ask_service(
        item,
        actor=officer,
        service_area=case.service_area,
        officer=officer,
        requested_on=datetime.date(2025, 6, 4),
        due_on=datetime.date(2025, 6, 18),
        details="Visit notes for Flat 3",
    )
    ombudsman_services.send_reply(
        item, actor=officer, sent_on=datetime.date(2025, 6, 20), summary="Sent the visit notes about her son"
    )
    if not determined:
        return case
    ombudsman_services.record_determination(
        case,
        actor=officer,
        determined_on=datetime.date(2025, 7, 1),
        summary="Mrs Oldcase's damp was not put right",
        findings=[
            ombudsman_services.FindingLine(
                "The damp in Mrs Oldcase's bedroom",
                FindingCategory.objects.get(name="Property condition"),
                "maladministration",
                "Her son's asthma was reported twice",
            )
        ],
        orders=[
            ombudsman_services.OrderLine(
                order_type="compensation",
                description="Pay Mrs Oldcase",
                amount_pence=30000,
                due_on=datetime.date(2025, 8, 1),
                finding_number=1,
            )
        ],
    )
    order = case.determination.orders.get()
    ombudsman_services.record_compliance(
        order, actor=officer, complied_on=datetime.date(2025, 7, 10), evidence="Paid £300 to Mrs Oldcase's account"
    )
    return case


def test_anonymising_an_ombudsman_case_removes_its_free_text_and_keeps_the_figures(officer):
    from learning import services as learning_services
    from learning.models import LearningSource, RootCauseReview
    from ombudsman import services as ombudsman_services
    from ombudsman.models import Finding, InformationRequest, OmbudsmanCase, Order, ServiceContribution

    resident = ResidentFactory(first_name="Margaret", last_name="Oldcase")
    complaint = closed_complaint(officer, resident, 7)
    case = ombudsman_case_about(complaint, officer)
    case = ombudsman_services.record_evidence_sent(
        case.determination.orders.get(), actor=officer, sent_on=datetime.date(2025, 7, 11)
    ).determination.case
    ombudsman_services.close(case, actor=officer, on=datetime.date(2025, 7, 14))
    LearningSource.objects.filter(finding__determination__case=case).update(note="Mrs Oldcase's son")
    RootCauseReview.objects.create(complaint=complaint, cause="Mrs Oldcase's block keeps flooding", reviewed_by=officer)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=int(365.25 * 7)))
    plan = LearningSource.objects.get(finding__determination__case=case).plan
    learning_services.update_plan(plan, actor=officer, what_went_wrong="Damp reports were not followed up")
    failure = ombudsman_services.record_non_compliance(
        actor=UserFactory(username="retention.manager", role=Role.MANAGER),
        kind="failure_order",
        issued_on=datetime.date(2025, 7, 1),
        finding="Mrs Oldcase's stage 2 response was late",
        code_provisions="6.13",
        ombudsman_case=case,
        council_action="Apologised to Mrs Oldcase",
    )

    report = apply_retention(dry_run=False)
    assert report.cases_by_kind == {"complaint": 1, "ombudsman": 1}
    # A complaint handling failure order loses its words with its case; the annual report still counts it.
    failure.refresh_from_db()
    assert "Oldcase" not in failure.finding + failure.council_action
    assert (failure.kind, failure.issued_on, failure.code_provisions) == (
        "failure_order",
        datetime.date(2025, 7, 1),
        "6.13",
    )

    case = OmbudsmanCase.objects.get(pk=case.pk)
    assert case.anonymised_at is not None and case.summary == "Anonymised case"
    assert "Oldcase" not in case.description and case.ombudsman_contact == ""
    texts = [
        *InformationRequest.objects.filter(case=case).values_list("details", "reply_summary"),
        *ServiceContribution.objects.filter(request__case=case).values_list("details", "notes"),
        *Finding.objects.filter(determination__case=case).values_list("complaint_head", "reasons"),
        *Order.objects.filter(determination__case=case).values_list("description", "compliance_evidence"),
        (case.determination.summary,),
        *LearningSource.objects.filter(finding__determination__case=case).values_list("note"),
        *RootCauseReview.objects.filter(complaint=complaint).values_list("cause"),
    ]
    assert texts and not any("Oldcase" in text or "son" in text.split() for row in texts for text in row)
    # What the ombudsman figures count stays: the finding's category and outcome, the order and its dates.
    finding = Finding.objects.get(determination__case=case)
    assert (finding.category.name, finding.outcome) == ("Property condition", "maladministration")
    order = Order.objects.get(determination__case=case)
    assert (order.amount_pence, order.complied_on) == (30000, datetime.date(2025, 7, 10))
    assert case.ombudsman_reference == f"HOS-{complaint.pk}"
    # The plan's own sections are about the service and stay.
    plan.refresh_from_db()
    assert plan.what_went_wrong == "Damp reports were not followed up"


def test_the_subject_access_export_holds_the_residents_ombudsman_cases(client, officer):
    resident = ResidentFactory(first_name="Ada", last_name="Lovelace")
    complaint = log_complaint(actor=officer, resident=resident)
    case = ombudsman_case_about(complaint, officer)
    # Recorded without the resident, but about their complaint: it is still about them.
    from ombudsman import services as ombudsman_services

    unlinked = ombudsman_services.open_case(
        actor=officer,
        ombudsman="lgsco",
        received_on=datetime.date(2025, 6, 2),
        original_complaint=complaint,
        summary="Second referral",
    )
    Case.objects.filter(pk=unlinked.pk).update(resident=None)
    elsewhere = ombudsman_case_about(
        log_complaint(actor=officer, resident=ResidentFactory()), officer, determined=False
    )

    client.force_login(UserFactory(username="pd.admin", role=Role.ADMINISTRATOR))
    sheets = sheets_of(client.get(f"/residents/{resident.pk}/subject-access/").content)
    references = {row[0] for row in sheets["Cases"][1:]}
    assert references == {complaint.reference, case.reference, unlinked.reference}
    assert elsewhere.reference not in str(sheets)
    assert any(
        row[0] == case.reference and row[3] == "Records of visits to Mrs Oldcase"
        for row in sheets["Ombudsman requests"]
    )
    assert any(row[5] == "Visit notes for Flat 3" for row in sheets["Ombudsman contributions"][1:])
    finding = next(row for row in sheets["Ombudsman findings"][1:] if row[0] == case.reference)
    assert finding[3:6] == ["The damp in Mrs Oldcase's bedroom", "Property condition", "Maladministration"]
    order = next(row for row in sheets["Ombudsman orders"][1:] if row[0] == case.reference)
    assert order[4] == 30000 and order[7] == "Paid £300 to Mrs Oldcase's account"
    assert any(row[0] == case.reference and row[1] == "description" for row in sheets["Case details"][1:]), (
        "the ombudsman case's own fields are in the case details"
    )


# --- Saved views that name a resident (decision 0016) --------------------------------------------------------


def _views_about_ada(officer):
    """Ada's details and the views an officer might save: those that identify her, and those that do not."""
    from casework import services

    ada = ResidentFactory(
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        phone="07700 900123",
        home=PropertyFactory(postcode="SW1A 1AA"),
    )
    complaint = closed_complaint(officer, ada, 7)

    def view(name, query):
        return services.save_view(owner=officer, queue="complaints", name=name, query=query)

    naming = {
        view("Her complaints", "q=ada+lovelace&state=all"),
        view("LOVELACE, Ada", "state=all"),
        view("Calls", "q=%2B44+7700+900123"),
        view("Email", "q=ADA%40example.org"),
        view("The flat", "q=sw1a1aa"),
        view("The flat, spaced", "q=SW1A+1AA"),
        view("Her first", f"q={complaint.reference.lower()}"),
    }
    others = {
        view("Lovelaces", "q=lovelace"),  # a surname alone names nobody
        view("Westminster", "q=sw1a"),  # nor a district
        view("Mobiles", "q=07700"),  # nor a number's first digits
        view("Ada Byron", "q=ada+byron"),
        view("Urgent", "urgent=true"),
    }
    return ada, complaint, naming, others


def test_the_subject_access_export_lists_the_saved_views_that_name_the_resident(client, officer):
    ada, _, naming, others = _views_about_ada(officer)
    client.force_login(UserFactory(username="pd.admin", role=Role.ADMINISTRATOR))
    sheets = sheets_of(client.get(f"/residents/{ada.pk}/subject-access/").content)
    assert sheets["Saved views"][0] == ["Saved by", "Shared with team", "Queue", "Name", "Filter"]
    listed = {row[3] for row in sheets["Saved views"][1:]}
    assert listed == {view.name for view in naming}
    assert not listed & {view.name for view in others}


def test_the_retention_schedule_deletes_the_saved_views_that_name_an_anonymised_resident(officer):
    from casework.models import SavedView

    _, _, naming, others = _views_about_ada(officer)
    dry = apply_retention(dry_run=True)
    assert dry.saved_views == len(naming)
    assert f"{len(naming)} saved views naming those residents would be deleted" in str(dry)
    assert SavedView.objects.count() == len(naming) + len(others)

    report = apply_retention(dry_run=False)
    assert report.residents == 1 and report.saved_views == len(naming)
    assert set(SavedView.objects.all()) == others
