"""The admin's lists over case-sized tables ask the database a fixed number of times, however many rows the
page shows (no query per row for a related field), never count the whole table for "(N total)" and offer no
date drill-down (which aggregates every row's date). Counts are compared between a short and a longer list."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casework.admin_paging import EstimatedCountPaginator
from casework.models import Case, Note, Resident
from casework.roles import Role
from casework.services import add_note
from complaints.models import Complaint
from complaints.services import bar_officer
from enquiries.models import Enquiry
from ombudsman.models import OmbudsmanCase
from tests.factories import (
    IssueNatureFactory,
    ResidentFactory,
    ServiceAreaFactory,
    UserFactory,
    log_complaint,
    make_office,
    open_ombudsman_case,
    submit_enquiry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar_version_checked_once(monkeypatch):
    monkeypatch.setattr("sla.engine.VERSION_CHECK_SECONDS", 3600.0)


_made = iter(range(10_000))


def _officer():
    number = next(_made)
    return UserFactory(username=f"handler{number}", role=Role.COMPLAINTS_OFFICER)


def _complaint():
    area = ServiceAreaFactory(name="Responsive Repairs")
    nature = IssueNatureFactory(name="Responsive Repairs (Mears)", service_area=area)
    return log_complaint(assigned_to=_officer(), service_area=area, issue_nature=nature)


def _enquiry():
    number = next(_made)
    _, member = make_office(name=f"Office {number}", member_name=f"Member {number}")
    return submit_enquiry(member)


def _note():
    complaint = _complaint()
    add_note(complaint, _officer(), "Called the resident.")


ROWS = {
    "/admin/complaints/complaint/": _complaint,
    "/admin/casework/case/": _complaint,
    "/admin/casework/resident/": ResidentFactory,
    "/admin/casework/timelineevent/": _complaint,
    "/admin/casework/note/": _note,
    "/admin/enquiries/enquiry/": _enquiry,
    "/admin/enquiries/member/": _enquiry,
    "/admin/ombudsman/ombudsmancase/": lambda: open_ombudsman_case(),
    "/admin/sla/clock/": _complaint,
}


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("path", sorted(ROWS))
def test_an_admin_list_asks_no_query_per_row(admin_client, path):
    make_row = ROWS[path]
    for _ in range(2):
        make_row()
    admin_client.get(path)  # the first view warms per-process caches (calendar, content types)
    with_two, _ = queries_for(admin_client, path)

    for _ in range(6):
        make_row()
    with_eight, page = queries_for(admin_client, path)

    assert with_eight == with_two, path
    assert page.count('<tr class="row') >= 8 or page.count("<tr>") >= 8


def test_the_complaint_list_names_its_procedure_versions_in_one_query(admin_client):
    from complaints.models import ProcedureVersion

    _complaint()
    admin_client.get("/admin/complaints/complaint/")
    before, _ = queries_for(admin_client, "/admin/complaints/complaint/")
    version = ProcedureVersion.objects.select_related("procedure").exclude(applies_from=None).first()
    procedure = version.procedure
    for year in range(2001, 2006):
        ProcedureVersion.objects.create(procedure=procedure, scheme=version.scheme, applies_from=f"{year}-01-01")
    after, page = queries_for(admin_client, "/admin/complaints/complaint/")
    assert after == before
    assert page.count(f"{procedure.name} (from 01 Jan 200") == 5


@pytest.mark.parametrize("model", [Complaint, Case, OmbudsmanCase, Enquiry, Resident, Note])
def test_the_big_lists_do_not_count_or_aggregate_the_whole_table(model):
    model_admin = admin.site._registry[model]
    assert model_admin.show_full_result_count is False
    assert model_admin.paginator is EstimatedCountPaginator
    assert not model_admin.date_hierarchy


def test_the_complaint_list_filters_by_date_without_the_drill_down(admin_client):
    _complaint()
    page = admin_client.get("/admin/complaints/complaint/").content.decode()
    assert "date_hierarchy" not in page and "xfull" not in page
    later = admin_client.get("/admin/complaints/complaint/?received_on__gte=2026-01-01").content.decode()
    assert "0 complaints" in later


API_ROWS = {
    "/api/v1/enquiries/": _enquiry,
    "/api/v1/complaints/": _complaint,
    "/api/v1/ombudsman-cases/": lambda: open_ombudsman_case(),
}


@pytest.mark.parametrize("path", sorted(API_ROWS))
def test_an_api_list_asks_no_query_per_row(path):
    api = APIClient()
    api.force_authenticate(UserFactory(username="amara", role=Role.MANAGER))
    make_row = API_ROWS[path]
    for _ in range(2):
        make_row()
    api.get(path)
    with CaptureQueriesContext(connection) as two:
        first = api.get(path)
    for _ in range(6):
        make_row()
    with CaptureQueriesContext(connection) as eight:
        second = api.get(path)

    assert first.status_code == second.status_code == 200
    assert len(second.json()["results"]) == 8
    assert len(eight.captured_queries) == len(two.captured_queries), path


def test_the_enquiries_api_list_shows_each_members_office_and_refuses_a_barred_officer():
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    api = APIClient()
    api.force_authenticate(officer)
    kept, barred_from = _enquiry(), _enquiry()
    bar_officer(barred_from.resident, officer, reason="Resident lost trust", actor=UserFactory(username="lead"))

    rows = {row["reference"]: row for row in api.get("/api/v1/enquiries/").json()["results"]}

    assert rows[kept.reference]["member"]["office"] == kept.member.office.name
    assert rows[barred_from.reference]["member"]["office"] == barred_from.member.office.name
    assert rows[kept.reference]["allowed_actions"]
    assert rows[barred_from.reference]["allowed_actions"] == []
