"""The complaint pages ask the database a fixed number of times, however much a case holds: no query per note,
per row of the queue or per action checked. Counts are compared between a small and a larger case, so the
tests say what must not grow rather than pinning an exact number."""

import datetime

import pytest
from django.core.exceptions import MultipleObjectsReturned
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Case
from casework.roles import Role
from casework.selectors import only_match
from casework.services import add_note
from complaints import selectors, services
from complaints.models import Complaint
from complaints.workflow import current_stage
from tests.factories import CaseFactory, IssueNatureFactory, ServiceAreaFactory, UserFactory, log_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar_version_checked_once(monkeypatch):
    # A process checks the stored calendar version at most once a second (sla.engine); a slow request would
    # otherwise count that check on one side of a comparison and not the other.
    monkeypatch.setattr("sla.engine.VERSION_CHECK_SECONDS", 3600.0)


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_complaint_page_asks_no_query_per_note(officer_client, officer):
    complaint = log_complaint(assigned_to=officer)
    add_note(complaint, officer, "First call with the resident.")
    path = f"/complaints/{complaint.reference}/"
    officer_client.get(path)  # the first view warms per-process caches (calendar, content types)
    with_one_note, _ = queries_for(officer_client, path)

    for number in range(5):
        author = UserFactory(username=f"author{number}", first_name=f"Author{number}", role=Role.COMPLAINTS_OFFICER)
        add_note(complaint, author, f"Note {number}")
    with_six_notes, page = queries_for(officer_client, path)

    assert with_six_notes == with_one_note
    assert all(f"Author{number}" in page for number in range(5))


def test_the_queue_asks_no_query_per_row(officer_client, officer):
    area = ServiceAreaFactory(name="Responsive Repairs")
    nature = IssueNatureFactory(name="Responsive Repairs (Mears)", service_area=area)
    log_complaint(assigned_to=officer, service_area=area, issue_nature=nature)
    officer_client.get("/complaints/")
    with_one, _ = queries_for(officer_client, "/complaints/")

    # Logged by the officer: the factories' default actor is saved again each time, which starts the cached
    # officer list again (casework.choices) and so adds its one query to the second page.
    for _ in range(6):
        log_complaint(actor=officer, assigned_to=officer, service_area=area, issue_nature=nature)
    with_seven, page = queries_for(officer_client, "/complaints/")

    assert with_seven == with_one
    assert page.count('<tr class="row--') == 7


def test_the_actions_offered_are_worked_out_from_what_the_page_loaded(officer):
    complaint = log_complaint(assigned_to=officer)
    loaded = selectors.complaint_for(officer, complaint.reference)

    with CaptureQueriesContext(connection) as queries:
        offered = services.allowed_actions(loaded)

    # At most the one question the stages cannot answer: is a response deadline running (for "extend")?
    assert len(queries.captured_queries) <= 1
    assert offered == services.allowed_actions(Complaint.objects.get(pk=complaint.pk))
    assert "acknowledge" in offered


def test_the_actions_offered_follow_the_complaint_through_its_stages(officer):
    complaint = log_complaint(assigned_to=officer)
    services.acknowledge(complaint, on=datetime.date(2025, 4, 18), actor=officer)
    loaded = selectors.complaint_for(officer, complaint.reference)
    assert "acknowledge" not in services.allowed_actions(loaded)
    assert "respond" in services.allowed_actions(loaded)
    assert current_stage(loaded).acknowledged_on == datetime.date(2025, 4, 18)


def test_only_match_reads_the_one_row_or_none_and_refuses_more():
    first = CaseFactory(summary="Same summary")
    CaseFactory(summary="Same summary")

    assert only_match(Case.objects.filter(reference=first.reference)) == first
    assert only_match(Case.objects.filter(reference="NONE-2025-000001")) is None
    with pytest.raises(MultipleObjectsReturned):
        only_match(Case.objects.filter(summary="Same summary"))
