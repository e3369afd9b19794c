"""A resident's page: every case about them of every kind, how to reach them and who acts for them, and what an
officer must know first (vulnerability, reasonable adjustments, officers kept away, contact restrictions);
in a fixed number of queries however many cases they have."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import AccessKind, CaseAccess, ContactMethod, Representative
from casework.roles import Role
from complaints import services as complaint_services
from tests.factories import (
    ResidentFactory,
    ServiceAreaFactory,
    UserFactory,
    log_complaint,
    make_office,
    open_ombudsman_case,
    submit_enquiry,
)

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat


@pytest.fixture(autouse=True)
def _calendar_version_checked_once(monkeypatch):
    monkeypatch.setattr("sla.engine.VERSION_CHECK_SECONDS", 3600.0)


@pytest.fixture
def resident(db):
    resident = ResidentFactory(
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.org",
        phone="07700 900123",
        preferred_contact=ContactMethod.PHONE,
        vulnerability_notes="Hearing impaired",
        reasonable_adjustments="Large print letters",
    )
    Representative.objects.create(
        resident=resident, name="Ada Hopper", relationship="daughter", email="ada@example.org",
        consent_confirmed_on=D("2025-04-01"),
    )  # fmt: skip
    return resident


def test_a_residents_page_shows_their_cases_of_every_kind_contacts_and_safeguards(officer_client, officer, resident):
    tom = UserFactory(username="tom", first_name="Tom", last_name="Bennett", role=Role.INVESTIGATING_OFFICER)
    complaint = log_complaint(resident=resident, summary="Damp in the bedroom")
    ombudsman_case = open_ombudsman_case(original_complaint=complaint)
    _office, member = make_office()
    enquiry = submit_enquiry(member, constituent=resident, description="Bins not collected")
    someone_else = log_complaint(summary="Another resident's complaint")
    complaint_services.bar_officer(resident, tom, reason="Lost trust after a visit", actor=officer)
    complaint_services.add_contact_restriction(
        resident, restriction="Email only, to one named officer", reason="Abusive calls", actor=officer,
        starts_on=D("2025-04-01"), review_on=D("2025-10-01"),
    )  # fmt: skip

    response = officer_client.get(f"/residents/{resident.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    for case in (complaint, ombudsman_case, enquiry):
        assert f'<a href="{case.get_absolute_url()}">{case.reference}</a>' in page
    assert someone_else.reference not in page
    assert "Complaint" in page and "Ombudsman case" in page and "Members&#x27; enquiry" in page
    assert "3 cases, 3 open." in page
    for text in (
        "grace@example.org", "07700 900123", "Phone", "Ada Hopper", "daughter", "Tue 1 Apr 2025",
        "Hearing impaired", "Large print letters", "Tom Bennett: Lost trust after a visit",
        "Email only, to one named officer (Abusive calls). Review by Wed 1 Oct 2025.",
    ):  # fmt: skip
        assert text in page, text
    # The page is a bulk read of the resident's cases, so the access log has it.
    assert set(CaseAccess.objects.filter(kind=AccessKind.LISTED).values_list("case_id", flat=True)) == {
        complaint.pk,
        ombudsman_case.pk,
        enquiry.pk,
    }


def test_the_page_asks_the_same_number_of_queries_for_one_case_or_five(officer_client, officer, resident):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = officer_client.get(f"/residents/{resident.pk}/")
        assert response.status_code == 200
        return len(captured.captured_queries)

    log_complaint(resident=resident)
    one = queries()
    for n in range(4):
        log_complaint(resident=resident, summary=f"Complaint {n}", assigned_to=officer)
    Representative.objects.create(resident=resident, name="An advocate", relationship="advocate")
    assert queries() == one


def test_an_investigating_officer_sees_only_residents_of_cases_they_may_see(client, resident):
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    tenancy = ServiceAreaFactory(name="Tenancy Management")
    theirs = log_complaint(resident=resident, service_area=repairs)
    elsewhere = log_complaint(resident=resident, service_area=tenancy)
    stranger = ResidentFactory()
    log_complaint(resident=stranger, service_area=tenancy)
    tom = UserFactory(username="tom", role=Role.INVESTIGATING_OFFICER, service_areas=[repairs])
    client.force_login(tom)

    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert theirs.reference in page and elsewhere.reference not in page
    assert client.get(f"/residents/{stranger.pk}/").status_code == 404
    assert client.get("/residents/999999/").status_code == 404


def test_the_complaint_page_and_find_a_resident_link_to_the_residents_page(officer_client, resident):
    complaint = log_complaint(resident=resident)
    link = f'href="/residents/{resident.pk}/"'
    assert link in officer_client.get(complaint.get_absolute_url()).content.decode()
    assert link in officer_client.get("/complaints/residents/", {"q": "Hopper"}).content.decode()
