"""An officer's tools on a queue: reassigning many cases at once (each through its workflow's assignment, so
its history and its rules hold), exporting the filtered queue as CSV or XLSX, and saved views."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import registry, services
from casework.errors import Forbidden, InvalidInput
from casework.models import OfficerProfile, SavedView
from casework.roles import Role
from complaints import services as complaint_services
from tests.factories import (
    ServiceAreaFactory,
    TeamFactory,
    UserFactory,
    log_complaint,
    make_office,
    open_ombudsman_case,
    portal_user,
    submit_enquiry,
)

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat
COMPLAINTS = registry.queue_for("complaints")


@pytest.fixture(autouse=True)
def _calendar_version_checked_once(monkeypatch):
    # The stored calendar's version is checked at most once a second; keep it out of the query counts.
    monkeypatch.setattr("sla.engine.VERSION_CHECK_SECONDS", 3600.0)


@pytest.fixture
def tom(db):
    return UserFactory(username="tom", first_name="Tom", last_name="Bennett", role=Role.INVESTIGATING_OFFICER)


def assigned_events(case):
    return list(case.timeline.filter(kind="assigned").values_list("summary", flat=True))


# --- Bulk reassignment ------------------------------------------------------------------------------------


def test_reassigning_in_bulk_runs_each_case_through_its_assignment_and_refuses_a_barred_officer(officer, tom):
    first, second, barred = (log_complaint(summary=f"Complaint {n}") for n in range(3))
    complaint_services.bar_officer(barred.resident, tom, reason="Lost trust after a visit", actor=officer)

    results = services.reassign_cases(COMPLAINTS, [first, second, barred], tom, actor=officer)

    assert [(r.case.pk, r.done) for r in results] == [(first.pk, True), (second.pk, True), (barred.pk, False)]
    assert "must not handle this resident's cases" in results[2].message
    for complaint in (first, second):
        complaint.refresh_from_db()
        assert complaint.assigned_to == tom
        assert assigned_events(complaint) == ["Stage 1 assigned to Tom Bennett."]
        assert complaint.stages.get(number=1).handler == tom
    barred.refresh_from_db()
    assert barred.assigned_to is None and assigned_events(barred) == []


def test_a_closed_case_and_one_already_with_the_officer_are_reported_and_left_alone(officer, tom):
    withdrawn = complaint_services.withdraw(log_complaint(), actor=officer, on=D("2025-04-18"), reason="Sorted")
    already = complaint_services.assign(log_complaint(), tom, actor=officer)

    results = services.reassign_cases(COMPLAINTS, [withdrawn, already], tom, actor=officer)

    assert [r.done for r in results] == [False, False]
    assert results[0].message == "A complaint that is 'withdrawn' cannot be assigned."
    assert results[1].message == "Already assigned to Tom Bennett."
    assert assigned_events(already) == ["Stage 1 assigned to Tom Bennett."]


def test_only_complaints_officers_and_managers_reassign_in_bulk(tom):
    complaint = log_complaint()
    with pytest.raises(Forbidden):
        services.reassign_cases(COMPLAINTS, [complaint], tom, actor=tom)


def test_the_queue_offers_tick_boxes_and_every_case_matching_the_filter(officer_client):
    complaint, _other = log_complaint(), log_complaint()
    page = officer_client.get("/complaints/").content.decode()
    assert f'name="case" value="{complaint.pk}" form="bulk-reassign"' in page
    assert "All 2 complaints matching this filter" in page
    assert "Download these 2 complaints as CSV" in page


def test_an_investigating_officer_sees_no_bulk_tools_and_is_refused_them(client, tom):
    complaint = log_complaint()
    client.force_login(tom)
    assert 'form="bulk-reassign"' not in client.get("/complaints/").content.decode()
    response = client.post("/queues/complaints/reassign/", {"case": [complaint.pk], "handler": tom.pk})
    assert response.status_code == 403


def test_reassigning_ticked_cases_over_http_reports_each_case_and_what_was_not_found(officer_client, officer, tom):
    first, barred = log_complaint(), log_complaint()
    complaint_services.bar_officer(barred.resident, tom, reason="Lost trust", actor=officer)

    response = officer_client.post(
        "/queues/complaints/reassign/",
        {"case": [first.pk, barred.pk, 999_999, "junk"], "handler": tom.pk, "scope": "selected"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 complaint reassigned; 1 not reassigned" in page
    assert "2 of the selected complaints could not be found" in page
    assert first.reference in page and barred.reference in page
    assert "Tom Bennett must not handle this resident&#x27;s cases" in page
    first.refresh_from_db()
    barred.refresh_from_db()
    assert first.assigned_to == tom and barred.assigned_to is None


def test_reassigning_every_case_matching_the_filter_takes_exactly_those(officer_client, tom):
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    tenancy = ServiceAreaFactory(name="Tenancy Management")
    matching = [log_complaint(service_area=repairs) for _ in range(2)]
    other = log_complaint(service_area=tenancy)

    response = officer_client.post(
        "/queues/complaints/reassign/",
        {"scope": "all", "query": f"service_area={repairs.pk}", "handler": tom.pk, "case": [other.pk]},
    )

    assert response.status_code == 200
    assert "2 complaints reassigned" in response.content.decode()
    assert {c.pk for c in matching} == set(COMPLAINTS.cases(tom).filter(assigned_to=tom).values_list("pk", flat=True))
    other.refresh_from_db()
    assert other.assigned_to is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"handler": "TOM"}, "Select at least one case to reassign."),
        ({"case": ["UNKNOWN"], "handler": "TOM"}, "None of the selected complaints can be found in this queue."),
        ({"case": ["CASE"]}, "Choose the officer to reassign the cases to."),
        ({"case": ["CASE"], "handler": "999999"}, "Choose an officer from the list: only active staff can take cases."),
        ({"case": ["CASE"], "handler": "PORTAL"}, "Choose an officer from the list: only active staff can take cases."),
        ({"case": ["CASE"], "handler": "junk"}, "Choose an officer from the list: only active staff can take cases."),
        ({"case": ["CASE"], "handler": "TOM", "scope": "everything"}, "Select a valid choice."),
        ({"case": ["99999999999999999999999", "-1", "0"], "handler": "TOM"}, "None of the selected complaints"),
        ({"scope": "all", "query": "service_area=424242", "handler": "TOM"}, "No complaints match this filter."),
    ],
)
def test_bad_bulk_input_gets_a_clear_message_and_changes_nothing(officer_client, tom, data, message):
    complaint = log_complaint()
    office, _member = make_office()
    portal = portal_user("caseworker", office)
    substitute = {"TOM": str(tom.pk), "PORTAL": str(portal.pk), "CASE": str(complaint.pk), "UNKNOWN": "424242"}
    post = {
        key: [substitute.get(v, v) for v in value] if isinstance(value, list) else substitute.get(value, value)
        for key, value in data.items()
    }

    response = officer_client.post("/queues/complaints/reassign/", post)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    complaint.refresh_from_db()
    assert complaint.assigned_to is None and assigned_events(complaint) == []


def test_more_cases_than_the_limit_are_refused_whole(officer_client, tom, monkeypatch):
    monkeypatch.setattr("casework.services.BULK_REASSIGN_LIMIT", 2)
    complaints = [log_complaint() for _ in range(3)]
    response = officer_client.post("/queues/complaints/reassign/", {"scope": "all", "handler": tom.pk})
    assert response.status_code == 400
    assert "3 cases are selected: reassign at most 2 at once; narrow the filter." in response.content.decode()
    assert not any(assigned_events(c) for c in complaints)


def test_members_enquiries_are_reassigned_in_bulk_through_their_own_workflow(officer_client, tom):
    _office, member = make_office()
    enquiries = [submit_enquiry(member) for _ in range(2)]
    assert 'form="bulk-reassign"' in officer_client.get("/enquiries/").content.decode()

    response = officer_client.post(
        "/queues/enquiries/reassign/", {"case": [e.pk for e in enquiries], "handler": tom.pk}
    )

    assert response.status_code == 200
    assert "2 enquiries reassigned" in response.content.decode()
    for enquiry in enquiries:
        enquiry.refresh_from_db()
        assert enquiry.assigned_to == tom
        assert assigned_events(enquiry) == ["Assigned to Tom Bennett."]


def test_ombudsman_cases_are_reassigned_in_bulk_through_their_own_workflow(officer_client, manager):
    cases = [open_ombudsman_case(ombudsman_reference=f"HOS-{n}") for n in range(2)]
    assert 'form="bulk-reassign"' in officer_client.get("/ombudsman/").content.decode()

    response = officer_client.post(
        "/queues/ombudsman/reassign/", {"case": [c.pk for c in cases], "handler": manager.pk}
    )

    assert response.status_code == 200
    assert "2 ombudsman cases reassigned" in response.content.decode()
    name = manager.get_full_name() or manager.get_username()
    for case in cases:
        case.refresh_from_db()
        assert case.assigned_to == manager
        assert assigned_events(case) == [f"Assigned to {name}."]


def test_an_ombudsman_case_is_not_given_to_an_investigating_officer(officer_client, tom):
    case = open_ombudsman_case()
    response = officer_client.post("/queues/ombudsman/reassign/", {"case": [case.pk], "handler": tom.pk})
    assert "Tom Bennett is not a complaints officer or a manager." in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to is None


def test_an_unknown_queue_is_not_found(officer_client, tom):
    assert officer_client.post("/queues/nothing/reassign/", {"handler": tom.pk}).status_code == 404
    assert officer_client.get("/queues/nothing/export.csv").status_code == 404
    assert officer_client.get("/queues/complaints/export.pdf").status_code == 404


# --- Exports ----------------------------------------------------------------------------------------------


def csv_rows(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_the_queues_columns_and_due_dates_and_respects_the_filter(officer_client, officer):
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    wanted = log_complaint(service_area=repairs, summary="=HYPERLINK(evil)")
    complaint_services.acknowledge(wanted, on=D("2025-04-22"), actor=officer)
    log_complaint(service_area=ServiceAreaFactory(name="Tenancy Management"))

    response = officer_client.get("/queues/complaints/export.csv", {"service_area": repairs.pk, "page": "3"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="complaints-')
    header, *rows = csv_rows(response)
    assert header == [
        "Reference", "Urgent", "Resident", "Summary", "Stage", "Status", "Service area", "Issue nature", "Officer",
        "Received", "Acknowledge by", "Respond by", "Next deadline",
    ]  # fmt: skip
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Reference"] == wanted.reference
    assert row["Summary"] == "'=HYPERLINK(evil)"  # a spreadsheet shows it as text
    assert row["Service area"] == "Responsive Repairs"
    assert row["Status"] == "Acknowledged, under investigation"
    assert row["Received"] == "2025-04-17"
    assert row["Acknowledge by"] == ""  # acknowledged: that clock stopped
    assert row["Respond by"] == "2025-05-07"  # 10 working days after the acknowledgement
    assert row["Next deadline"] == "2025-05-07"


def test_an_invalid_filter_exports_nothing_rather_than_everything(officer_client):
    log_complaint()
    _header, *rows = csv_rows(officer_client.get("/queues/complaints/export.csv", {"service_area": "junk"}))
    assert rows == []


def test_the_xlsx_export_holds_the_same_rows(officer_client):
    complaints = [log_complaint(summary=f"Complaint {n}") for n in range(2)]
    response = officer_client.get("/queues/complaints/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Complaints"
    values = list(sheet.values)
    assert values[0][0] == "Reference" and values[0][-1] == "Next deadline"
    assert sorted(row[0] for row in values[1:]) == sorted(c.reference for c in complaints)


def test_a_spreadsheet_too_large_is_refused_with_a_message(officer_client, monkeypatch):
    monkeypatch.setattr("casework.views.XLSX_ROW_LIMIT", 1)
    log_complaint(), log_complaint()
    response = officer_client.get("/queues/complaints/export.xlsx", {"state": "open"}, follow=True)
    assert "2 complaints match: a spreadsheet holds at most 1 here. Export as CSV" in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_asks_the_database_the_same_number_of_times_for_one_case_or_five(officer_client, fmt):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = officer_client.get(f"/queues/complaints/export.{fmt}")
            if response.streaming:
                b"".join(response.streaming_content)
        return len(captured.captured_queries)

    log_complaint()
    one = queries()
    for _ in range(4):
        log_complaint()
    assert queries() == one


def test_an_export_reads_its_cases_a_batch_at_a_time_with_each_batchs_due_dates(officer_client, monkeypatch):
    monkeypatch.setattr("casework.selectors.EXPORT_BATCH", 2)
    complaints = [log_complaint(summary=f"Complaint {n}") for n in range(5)]
    header, *rows = csv_rows(officer_client.get("/queues/complaints/export.csv"))
    assert sorted(row[0] for row in rows) == sorted(c.reference for c in complaints)
    acknowledge_by = header.index("Acknowledge by")
    assert {row[acknowledge_by] for row in rows} == {"2025-04-28"}  # 5 working days after Thu 17 Apr 2025


def test_the_enquiries_queue_exports_its_own_columns(officer_client):
    _office, member = make_office()
    enquiry = submit_enquiry(member)
    header, *rows = csv_rows(officer_client.get("/queues/enquiries/export.csv"))
    assert header[:4] == ["Reference", "Urgent", "Member", "Constituent"]
    assert [row[0] for row in rows] == [enquiry.reference]
    assert dict(zip(header, rows[0], strict=True))["Member"] == "Sarah Ahmed MP"


def test_the_ombudsman_queue_exports_its_own_columns_as_its_list_filters(officer_client):
    wanted = open_ombudsman_case(ombudsman="housing", ombudsman_reference="HOS-1")
    open_ombudsman_case(ombudsman="lgsco", ombudsman_reference="LG-2")
    page = officer_client.get("/ombudsman/", {"ombudsman": "housing"}).content.decode()
    assert "/queues/ombudsman/export.csv?ombudsman=housing" in page

    header, *rows = csv_rows(officer_client.get("/queues/ombudsman/export.csv", {"ombudsman": "housing"}))

    assert header[:4] == ["Reference", "Urgent", "Ombudsman", "Their reference"]
    assert header[-3:] == ["Reply to the ombudsman by", "Comply with orders by", "Next deadline"]
    assert [row[0] for row in rows] == [wanted.reference]
    row = dict(zip(header, rows[0], strict=True))
    assert row["Their reference"] == "HOS-1"
    assert row["Complaint"] == wanted.original_complaint.reference
    sheet = openpyxl.load_workbook(io.BytesIO(officer_client.get("/queues/ombudsman/export.xlsx").content)).active
    assert sheet.title == "Ombudsman cases" and len(list(sheet.values)) == 3


# --- Saved views ------------------------------------------------------------------------------------------


@pytest.fixture
def repairs_team(officer):
    team = TeamFactory(name="Repairs complaints")
    OfficerProfile.objects.update_or_create(user=officer, defaults={"team": team})
    return team


def test_an_officer_saves_a_view_for_themselves_and_opens_it_from_the_queue(officer_client, officer):
    response = officer_client.post(
        "/queues/complaints/views/", {"name": "  Overdue   stage 2 ", "query": "stage=2&due=overdue&page=4"}
    )
    view = SavedView.objects.get()
    assert (view.owner, view.team, view.queue, view.name) == (officer, None, "complaints", "Overdue stage 2")
    assert view.query == "stage=2&due=overdue"  # where the officer was is not part of the view
    assert response.status_code == 302 and response["Location"] == "/complaints/?stage=2&due=overdue"

    page = officer_client.get("/complaints/").content.decode()
    assert '<a href="/complaints/?stage=2&amp;due=overdue">Overdue stage 2</a>' in page


def test_a_view_shared_with_a_team_is_listed_for_its_members_only(client, officer, repairs_team):
    colleague = UserFactory(username="colleague", role=Role.COMPLAINTS_OFFICER)
    OfficerProfile.objects.update_or_create(user=colleague, defaults={"team": repairs_team})
    outsider = UserFactory(username="outsider", role=Role.COMPLAINTS_OFFICER)
    view = services.save_view(owner=officer, queue="complaints", name="Urgent repairs", query="urgent=true",
                              team=repairs_team)  # fmt: skip

    client.force_login(colleague)
    page = client.get("/complaints/").content.decode()
    assert "Urgent repairs" in page and "Repairs complaints" in page
    assert f"/saved-views/{view.pk}/delete/" not in page  # only its owner deletes it
    response = client.post(f"/saved-views/{view.pk}/delete/", follow=True)
    assert "Only the officer who saved a view may delete it." in response.content.decode()
    assert SavedView.objects.filter(pk=view.pk).exists()

    client.force_login(outsider)
    assert "Urgent repairs" not in client.get("/complaints/").content.decode()
    assert client.post(f"/saved-views/{view.pk}/delete/").status_code == 404


def test_a_manager_shares_with_the_team_they_manage(manager):
    team = TeamFactory(name="Housing complaints", manager=manager)
    view = services.save_view(owner=manager, queue="complaints", name="Stage 2", query="stage=2", team=team)
    assert view.team == team


def test_an_officer_deletes_their_own_view(officer_client, officer):
    view = services.save_view(owner=officer, queue="complaints", name="Mine", query="")
    response = officer_client.post(f"/saved-views/{view.pk}/delete/", follow=True)
    assert "View “Mine” deleted." in response.content.decode()
    assert not SavedView.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for the view."),
        ("   ", "Enter a name for the view."),
        ("x" * 81, "The name must be 80 characters or fewer; it has 81."),
        ("overdue", "You already have a view called “overdue”: choose another name, or delete that one."),
    ],
)
def test_a_views_name_is_checked_with_a_clear_message(officer_client, officer, name, message):
    services.save_view(owner=officer, queue="complaints", name="Overdue", query="due=overdue")
    response = officer_client.post("/queues/complaints/views/", {"name": name, "query": "stage=2"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert SavedView.objects.count() == 1


def test_a_view_cannot_be_shared_with_someone_elses_team(officer_client, officer):
    other = TeamFactory(name="Someone else's team")
    response = officer_client.post("/queues/complaints/views/", {"name": "Mine", "team": other.pk})
    assert response.status_code == 400
    assert "You can share a view only with a team you belong to." in response.content.decode()
    with pytest.raises(InvalidInput):
        services.save_view(owner=officer, queue="complaints", name="Mine", query="", team=other)
    assert not SavedView.objects.exists()


def test_the_enquiries_queue_has_its_own_views(officer_client, officer):
    services.save_view(owner=officer, queue="complaints", name="Complaints view", query="")
    services.save_view(owner=officer, queue="enquiries", name="Enquiries view", query="")
    page = officer_client.get("/enquiries/").content.decode()
    assert "Enquiries view" in page and "Complaints view" not in page


def test_the_ombudsman_queue_has_its_own_views(officer_client, officer):
    services.save_view(owner=officer, queue="enquiries", name="Enquiries view", query="")
    response = officer_client.post(
        "/queues/ombudsman/views/", {"name": "Housing Ombudsman", "query": "ombudsman=housing"}
    )
    assert response.status_code == 302 and response["Location"] == "/ombudsman/?ombudsman=housing"
    page = officer_client.get("/ombudsman/").content.decode()
    assert "Housing Ombudsman" in page and "Enquiries view" not in page


def test_a_filter_too_long_to_keep_is_refused_with_a_message(officer_client):
    response = officer_client.post("/queues/complaints/views/", {"name": "Long", "query": "q=" + "x" * 2100})
    assert response.status_code == 400
    assert "That filter is too long to save." in response.content.decode()
    assert not SavedView.objects.exists()


def test_a_refused_request_offers_the_same_selection_again_with_the_officer_to_choose(officer_client, tom):
    complaint = log_complaint()
    response = officer_client.post("/queues/complaints/reassign/", {"case": [complaint.pk], "query": "stage=1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'<input type="hidden" name="case" value="{complaint.pk}">' in page
    assert 'href="#reassign_handler"' in page and 'id="reassign_handler"' in page  # the summary links to the field
    assert 'href="/complaints/?stage=1">Back to the complaints queue' in page

    again = officer_client.post("/queues/complaints/reassign/", {"case": [complaint.pk], "handler": tom.pk})
    assert again.status_code == 200
    complaint.refresh_from_db()
    assert complaint.assigned_to == tom
