"""The queues' pages (complaints, members' enquiries, ombudsman cases) read only the columns their rows show
(casework.paging.showing) and link each case from one reverse() per view (casework.case_urls): a page asks the
database the same number of times with one row as with thirty, and each row still shows everything it showed."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from casework.roles import Role
from complaints.models import Channel, Complaint
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

# A Tuesday: the rows' "working days left" are counted from it.
TODAY = datetime.datetime(2025, 6, 10, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _pinned_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _calendar_version_checked_once(monkeypatch):
    # The stored calendar's version is checked at most once a second (sla.engine): not on one side of a count only.
    monkeypatch.setattr("sla.engine.VERSION_CHECK_SECONDS", 3600.0)


def get(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def rows_of(page):
    return re.findall(r'<tr class="row--[^"]*">.*?</tr>', page, flags=re.S)


def shown_date(day):
    """How the queues write a deadline ("Thu 24 Apr 2025"), written here without Django's formatter."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def test_the_complaints_queue_asks_as_often_for_thirty_rows_as_for_one(officer_client, officer):
    area = ServiceAreaFactory(name="Responsive Repairs")
    log_complaint(service_area=area, assigned_to=officer)
    officer_client.get("/complaints/")  # the first view warms per-process caches (calendar, content types)
    with_one, page = get(officer_client, "/complaints/")
    assert len(rows_of(page)) == 1

    for number in range(29):
        log_complaint(
            service_area=area,
            assigned_to=UserFactory(username=f"handler{number}", role=Role.COMPLAINTS_OFFICER) if number % 3 else None,
            resident=ResidentFactory(last_name=f"Resident{number}"),
            is_urgent=number % 4 == 0,
            urgent_reason="safeguarding" if number % 4 == 0 else "",
            channel=Channel.WEB_FORM if number % 5 == 0 else Channel.EMAIL,
        )
    Complaint.objects.filter(resident__last_name="Resident7").update(repeat_upheld=True)
    officer_client.get("/complaints/")  # the new officers: the first view reads the officer list again
    with_thirty, page = get(officer_client, "/complaints/")

    assert len(rows_of(page)) == 30
    assert with_thirty == with_one
    assert "Resident28" in page and "Unassigned" in page and "Handler1" not in page  # first names are not Handler


def test_a_complaints_row_shows_the_complaint(officer_client, officer):
    officer.first_name, officer.last_name = "Priya", "Shah"
    officer.save()
    complaint = log_complaint(
        service_area=ServiceAreaFactory(name="Anti-social Behaviour"),
        assigned_to=officer,
        resident=ResidentFactory(title="Ms", first_name="Grace", last_name="Hopper"),
        summary="Noise from the flat above <every night>",
        is_urgent=True,
        urgent_reason="safeguarding",
        channel=Channel.WEB_FORM,
    )
    Complaint.objects.filter(pk=complaint.pk).update(repeat_upheld=True)
    complaint.refresh_from_db()

    _, page = get(officer_client, "/complaints/")

    [row] = rows_of(page)
    url = reverse("complaints:detail", args=[complaint.reference])
    assert complaint.next_due_on is not None
    left = re.search(r'<span class="due--(\w+)">([^<]*)</span>', row)
    assert left and re.fullmatch(r"\d+ working days? left|Due today|Overdue by \d+ working days?", left[2])
    assert row == (
        f'<tr class="row--{left[1]}">'
        f'\n      <td><input type="checkbox" name="case" value="{complaint.pk}" form="bulk-reassign" '
        f'id="select-{complaint.pk}"><label for="select-{complaint.pk}" class="visually-hidden">Select '
        f"{complaint.reference}</label></td>"
        f'\n      <td><a href="{url}">{complaint.reference}</a> <strong class="tag tag--red">Urgent</strong> '
        '<strong class="tag tag--amber">Repeat</strong> <strong class="tag">Online</strong></td>'
        "\n      <td>Ms Grace Hopper</td>"
        "\n      <td>Noise from the flat above &lt;every night&gt;</td>"
        "\n      <td>1</td>"
        f"\n      <td>{complaint.get_status_display()}</td>"
        "\n      <td>Anti-social Behaviour</td>"
        "\n      <td>Priya Shah</td>"
        f'\n      <td>{shown_date(complaint.next_due_on)}<br><span class="due--{left[1]}">{left[2]}</span></td>'
        "\n    </tr>"
    )


def test_an_officer_who_cannot_reassign_sees_no_tick_boxes_and_a_case_without_a_deadline_or_officer_shows_dashes(
    client,
):
    investigator = UserFactory(username="investigator", role=Role.INVESTIGATING_OFFICER)
    complaint = log_complaint(assigned_to=investigator, resident=ResidentFactory(first_name="Alan", last_name="Kay"))
    Complaint.objects.filter(pk=complaint.pk).update(next_due_on=None, assigned_to=None)
    other = log_complaint(assigned_to=investigator)
    client.force_login(investigator)

    _, page = get(client, "/complaints/?state=all")

    rows = rows_of(page)
    assert len(rows) == 1 and other.reference in rows[0]  # the unassigned one is no longer this officer's to see
    assert 'form="bulk-reassign"' not in page
    Complaint.objects.filter(pk=other.pk).update(next_due_on=None)
    _, page = get(client, "/complaints/?state=all")
    [row] = rows_of(page)
    assert row.endswith(
        "<td>1</td>\n      <td>" + other.get_status_display() + "</td>\n      <td>Responsive Repairs</td>"
        "\n      <td>" + (investigator.get_full_name() or "Unassigned") + "</td>\n      <td>–</td>\n    </tr>"
    )
    assert row.startswith('<tr class="row--none">\n      <td><a href=')


def test_the_enquiries_queue_asks_as_often_for_thirty_rows_as_for_one(officer_client, officer):
    _, member = make_office()
    area = ServiceAreaFactory(name="Responsive Repairs")
    _, page = get(officer_client, "/enquiries/")
    assert '<tbody>\n  <tr><td colspan="9">No enquiries match.</td></tr>\n  </tbody>' in page
    first = submit_enquiry(member, service_area=area)
    officer_client.get("/enquiries/")
    with_one, page = get(officer_client, "/enquiries/")
    [row] = rows_of(page)
    assert f'<a href="{reverse("enquiries:detail", args=[first.reference])}">{first.reference}</a>' in row
    assert "<td>Sarah Ahmed MP</td>" in row and "<td>Ada Lovelace</td>" in row and "<td>Service request</td>" in row
    assert f"<td>{first.get_status_display()}</td>" in row and "<td>Unassigned</td>" in row
    assert first.next_due_on is not None and f"<td>{shown_date(first.next_due_on)}<br>" in row

    for number in range(29):
        submit_enquiry(member, service_area=area, enquiry_type="complaint" if number % 2 else "service_request")
    with_thirty, page = get(officer_client, "/enquiries/")

    assert len(rows_of(page)) == 30
    assert with_thirty == with_one
    assert "<td>Complaint</td>" in page


def test_the_ombudsman_list_asks_as_often_for_thirty_rows_as_for_one(officer_client, officer):
    officer.first_name, officer.last_name = "Priya", "Shah"
    officer.save()
    first = open_ombudsman_case(ombudsman_reference="HO-1", assigned_to=officer)
    officer_client.get("/ombudsman/")
    with_one, page = get(officer_client, "/ombudsman/")
    [row] = rows_of(page)
    complaint = first.original_complaint
    assert f'<a href="{reverse("ombudsman:detail", args=[first.reference])}">{first.reference}</a>' in row
    assert f'<a href="{reverse("complaints:detail", args=[complaint.reference])}">{complaint.reference}</a>' in row
    assert f"<td>{first.get_ombudsman_display()}</td>" in row and "<td>HO-1</td>" in row
    assert f"<td>{complaint.resident}</td>" in row and f"<td>{first.get_stage_display()}</td>" in row
    assert "<td>Priya Shah</td>" in row

    for number in range(29):
        open_ombudsman_case(ombudsman_reference=f"HO-{number + 2}")
    officer_client.get("/ombudsman/")  # users were saved: the first view reads the officer list again
    with_thirty, page = get(officer_client, "/ombudsman/")

    assert len(rows_of(page)) == 30
    assert with_thirty == with_one


def test_a_queue_served_under_a_prefix_links_its_rows_under_it(officer_client):
    complaint = log_complaint()

    # What Django's WSGI handler does for a site served under /council (the test client does not).
    set_script_prefix("/council/")
    try:
        _, page = get(officer_client, "/complaints/")
    finally:
        set_script_prefix("/")
    _, unprefixed = get(officer_client, "/complaints/")

    assert f'<a href="/council/complaints/{complaint.reference}/">' in page
    assert f'<a href="/complaints/{complaint.reference}/">' in unprefixed
    assert "/council/" not in unprefixed


def test_a_case_page_address_is_what_reverse_gives_for_any_reference():
    from casework.case_urls import case_page_url

    for reference in ("CMP-2025-000001", "cmp 2025:1", "ENQ-2025-%41", "R&D?x=1", "ünïcode"):
        assert case_page_url("complaints:detail", reference) == reverse("complaints:detail", args=[reference])
