"""An officer's day among many cases: "my work" comes a page at a time, the queues' officer filter offers
officers only, and a case page shows its latest timeline events with the full history a link away."""

import datetime
import re

import pytest
from django.utils import timezone

from casework import services as casework_services
from casework.roles import Role, assign_role
from tests.factories import CaseFactory, ServiceAreaFactory, UserFactory, log_complaint, make_office, portal_user

pytestmark = pytest.mark.django_db


def _rows(page):
    return re.findall(r'<a href="[^"]*">(TST-2025-\d+)</a>', page)


@pytest.fixture
def sixty_cases(officer):
    area = ServiceAreaFactory(name="Responsive Repairs")
    start = datetime.date(2025, 6, 2)
    return [
        CaseFactory(
            reference=f"TST-2025-{n:06d}",
            assigned_to=officer,
            service_area=area,
            next_due_on=start + datetime.timedelta(days=n),
        )
        for n in range(1, 61)
    ]


def test_my_work_shows_a_page_at_a_time(officer_client, sixty_cases):
    first = officer_client.get("/work/").content.decode()
    assert "60 open cases" in first
    assert "Page 1 of 2" in first
    # Soonest deadline first: the first 50 of the sixty.
    assert _rows(first) == [f"TST-2025-{n:06d}" for n in range(1, 51)]
    assert 'href="?page=2"' in first

    second = officer_client.get("/work/", {"page": "2"}).content.decode()
    assert "Page 2 of 2" in second
    assert _rows(second) == [f"TST-2025-{n:06d}" for n in range(51, 61)]
    assert 'href="?page=1"' in second


def test_my_work_keeps_other_query_parameters_in_its_page_links(officer_client, sixty_cases):
    page = officer_client.get("/work/", {"sort": "due"}).content.decode()
    assert 'href="?sort=due&page=2"' in page


@pytest.mark.parametrize(("asked", "shown"), [("junk", 1), ("0", 2), ("-3", 2), ("99", 2), ("", 1), ("2.5", 1)])
def test_my_work_answers_a_junk_or_out_of_range_page_without_an_error(officer_client, sixty_cases, asked, shown):
    response = officer_client.get("/work/", {"page": asked})
    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.content.decode()


def test_my_work_with_few_cases_has_no_page_links(officer_client, officer):
    CaseFactory(assigned_to=officer)
    page = officer_client.get("/work/").content.decode()
    assert "1 open case" in page
    assert "Page 1 of" not in page


def test_the_officer_filter_lists_staff_only(client):
    officer = UserFactory(username="amara", first_name="Amara", role=Role.COMPLAINTS_OFFICER)
    investigator = UserFactory(username="ivan", first_name="Ivan", role=Role.INVESTIGATING_OFFICER)
    office, _member = make_office()
    councillor = portal_user("cllr", office)
    both = portal_user("dual", office)
    assign_role(both, Role.MANAGER)
    nobody = UserFactory(username="nobody")
    client.force_login(officer)

    for url in ("/complaints/", "/enquiries/", "/ombudsman/"):
        page = client.get(url).content.decode()
        select = re.search(r'<select name="officer".*?</select>', page, re.S).group(0)
        offered = {int(value) for value in re.findall(r'<option value="(\d+)"', select)}
        assert {officer.pk, investigator.pk, both.pk} <= offered, url
        assert councillor.pk not in offered, url
        assert nobody.pk not in offered, url

    # Narrowing to a portal user is refused as an invalid choice, not answered with an error page.
    assert client.get("/complaints/", {"officer": councillor.pk}).status_code == 200


@pytest.fixture
def complaint_with_sixty_events():
    complaint = log_complaint()
    existing = complaint.timeline.count()
    assert existing < 10
    start = complaint.timeline.order_by("-occurred_at").first().occurred_at + datetime.timedelta(minutes=1)
    for n in range(1, 61 - existing):
        casework_services.record_event(
            complaint, "note", f"Event number {n:03d}", occurred_at=start + datetime.timedelta(minutes=n)
        )
    assert complaint.timeline.count() == 60
    return complaint


def _events(page):
    return page.count('class="timeline__event"')


def test_a_case_page_shows_the_latest_fifty_events_and_links_to_the_rest(officer_client, complaint_with_sixty_events):
    complaint = complaint_with_sixty_events
    page = officer_client.get(complaint.get_absolute_url()).content.decode()
    assert _events(page) == 50
    assert "Showing the latest 50 events" in page
    assert 'href="?history=all#timeline"' in page
    assert "10 earlier events" in page
    last = complaint.timeline.order_by("-occurred_at", "-id").first().summary
    first = complaint.timeline.order_by("occurred_at", "id").first().summary
    assert last in page
    assert first not in page
    # Oldest first, as the timeline always reads.
    assert page.index("Event number 011") < page.index(last)

    full = officer_client.get(complaint.get_absolute_url(), {"history": "all"}).content.decode()
    assert _events(full) == 60
    assert first in full and last in full
    assert "Show only the latest events" in full


def test_a_short_timeline_has_no_history_link(officer_client):
    complaint = log_complaint()
    page = officer_client.get(complaint.get_absolute_url()).content.decode()
    assert _events(page) == complaint.timeline.count()
    assert "history=all" not in page


def _open_ombudsman_case():
    from tests.factories import open_ombudsman_case

    return open_ombudsman_case()


def _submit_enquiry():
    from tests.factories import submit_enquiry

    return submit_enquiry(make_office()[1])


@pytest.mark.parametrize("make_case", [_open_ombudsman_case, _submit_enquiry])
def test_the_other_case_pages_share_the_latest_events_view(officer_client, make_case):
    case = make_case()
    now = timezone.now()
    for n in range(60):
        casework_services.record_event(case, "note", f"Event {n:03d}", occurred_at=now + datetime.timedelta(minutes=n))
    page = officer_client.get(case.get_absolute_url()).content.decode()
    assert _events(page) == 50
    assert 'href="?history=all#timeline"' in page
    full = officer_client.get(case.get_absolute_url(), {"history": "all"}).content.decode()
    assert _events(full) == case.timeline.count()
