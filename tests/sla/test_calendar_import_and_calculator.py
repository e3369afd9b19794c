"""Importing the GOV.UK table, the deadline calculator page and its API."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from sla import engine, services
from sla.models import BankHoliday, Clock, HolidaySource
from sla.services import SHIPPED_TABLE
from tests.factories import CaseFactory

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def govuk(events, division="england-and-wales"):
    return {division: {"division": division, "events": events}}


def test_the_shipped_table_is_loaded_into_a_new_database():
    published = BankHoliday.objects.filter(source=HolidaySource.PUBLISHED)
    assert published.filter(division="england-and-wales", date=D("2023-05-08")).exists()
    assert set(published.values_list("division", flat=True)) == {"england-and-wales", "scotland", "northern-ireland"}
    assert published.filter(date__year=2028).exists()


def test_importing_a_file_adds_a_one_off_and_moves_open_clocks(tmp_path, django_capture_on_commit_callbacks):
    clock = services.start_clock(
        CaseFactory(), kind="response", stage=1, label="Respond", started_on=D("2029-06-04"), working_days=10
    )
    assert clock.due_on == D("2029-06-18")
    events = [
        {"title": "New Year’s Day", "date": "2029-01-01", "notes": "", "bunting": True},
        {"title": "Good Friday", "date": "2029-03-30", "notes": "", "bunting": False},
        {"title": "Easter Monday", "date": "2029-04-02", "notes": "", "bunting": True},
        {"title": "Early May bank holiday", "date": "2029-05-07", "notes": "", "bunting": True},
        {"title": "Spring bank holiday", "date": "2029-05-28", "notes": "", "bunting": True},
        {"title": "A one-off jubilee", "date": "2029-06-08", "notes": "", "bunting": True},
        {"title": "Summer bank holiday", "date": "2029-08-27", "notes": "", "bunting": True},
        {"title": "Christmas Day", "date": "2029-12-25", "notes": "", "bunting": True},
        {"title": "Boxing Day", "date": "2029-12-26", "notes": "", "bunting": True},
    ]
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps(govuk(events)), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_bank_holidays", "--file", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not engine.is_working_day(D("2029-06-08"))
    assert Clock.objects.get(pk=clock.pk).due_on == D("2029-06-19")
    assert clock.case.timeline.filter(kind="deadline_moved", summary__contains="A one-off jubilee").exists()

    # The same file again changes nothing.
    result = services.import_bank_holidays(govuk(events))
    assert not result.changed


def test_importing_removes_a_published_date_the_table_no_longer_lists_in_its_years():
    data = json.loads(SHIPPED_TABLE.read_text(encoding="utf-8"))
    events = [e for e in data["england-and-wales"]["events"] if e["date"] != "2028-12-26"]
    result = services.import_bank_holidays(govuk(events))
    assert result.removed == 1
    assert engine.is_working_day(D("2028-12-26"))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "GOV.UK format"),
        ({"atlantis": {"events": []}}, "Unknown division"),
        ({"scotland": {"events": [{"title": "x", "date": "30/11/2030"}]}}, "YYYY-MM-DD"),
        ({"scotland": {"events": [{"date": "2030-11-29"}]}}, "needs a 'title'"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_error_and_changes_nothing(tmp_path, document, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = BankHoliday.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_bank_holidays", "--file", str(path))
    assert BankHoliday.objects.count() == before


def test_an_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_bytes(b"{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_bank_holidays", "--file", str(path))


def test_the_calculator_page_shows_the_due_date_and_the_days_skipped(officer_client):
    response = officer_client.get("/deadlines/", {"start": "2024-12-21", "working_days": "5"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Due Tuesday 31 December 2024" in content
    assert "Bank holiday: Christmas Day" in content
    assert "Bank holiday: Boxing Day" in content
    assert "Sunday" in content


def test_the_calculator_page_explains_bad_input(officer_client):
    response = officer_client.get("/deadlines/", {"start": "31/02/2025", "working_days": "ten"})
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter the start date as a real date." in content
    assert "Enter the working days as a whole number, like 10." in content


def test_the_deadline_api(officer_client):
    response = officer_client.get("/api/v1/deadlines/", {"start": "2023-05-04", "working_days": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["due_on"] == "2023-05-12"
    assert {"date": "2023-05-08", "reason": "Bank holiday: Bank holiday for the coronation of King Charles III"} in (
        body["skipped"]
    )
    scotland = officer_client.get(
        "/api/v1/deadlines/", {"start": "2025-01-01", "working_days": 1, "division": "scotland"}
    ).json()
    assert scotland["due_on"] == "2025-01-03"


def test_the_deadline_api_answers_bad_input_with_400_and_field_messages(officer_client):
    response = officer_client.get("/api/v1/deadlines/", {"start": "yesterday", "working_days": 99999})
    assert response.status_code == 400
    assert set(response.json()) == {"start", "working_days"}
    response = officer_client.get("/api/v1/deadlines/", {"start": "1900-01-01", "working_days": 5})
    assert response.status_code == 400
    assert "outside" in response.json()["start"][0]
