"""The generated data set (`manage.py generate_cases`) is one a council could have: its rows are what the
models' save and the services would have written, so the benchmarks measure real pages on valid data."""

import datetime
import io
import re
from collections import Counter

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from casework import search
from casework.models import Case, Note, Property, Resident, StockType, TimelineEvent
from complaints.models import Complaint, ComplaintStage
from enquiries.models import Enquiry, EnquiryStatus, MemberOffice
from reporting.models import ComplaintStageFact
from sla.models import Clock, ClockKind

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2025, 11, 12, 10, 0, tzinfo=datetime.UTC)
UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d{1,2} \d[ABDEFGHJLNPQRSTUWXYZ]{2}")


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One small data set for the module (generation is the slow part), rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(TODAY, tick=False):
            call_command("generate_cases", complaints=4_200, officer_open=20, seed=3, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_generates_the_complaints_and_the_officers_open_cases(generated):
    assert Complaint.objects.count() == 4_200
    assert Complaint.objects.filter(assigned_to__username="bench.officer", closed_at__isnull=True).count() == 20
    assert Case.objects.filter(kind="complaint", home__isnull=True).count() == 0


def test_search_keys_are_what_saving_the_model_would_write(generated):
    for postcode, key in Property.objects.values_list("postcode", "postcode_key"):
        assert key == search.postcode_key(postcode)
    for phone, digits in Resident.objects.values_list("phone", "phone_digits"):
        assert digits == search.normalise_phone(phone)
    home = Property.objects.order_by("pk").first()
    resident = Resident.objects.exclude(phone="").order_by("pk").first()
    stored = (home.postcode_key, resident.phone_digits)
    home.save()
    resident.save()
    home.refresh_from_db()
    resident.refresh_from_db()
    assert (home.postcode_key, resident.phone_digits) == stored


def test_homes_have_uk_postcodes_over_many_districts_and_several_homes_a_unit(generated):
    postcodes = list(Property.objects.values_list("postcode", flat=True))
    assert all(UK_POSTCODE.fullmatch(postcode) for postcode in postcodes)
    assert len({postcode.split()[0] for postcode in postcodes}) > 40
    assert max(Counter(postcodes).values()) > 1


def test_stock_types_are_those_the_reports_count_with_some_unknown(generated):
    found = set(Property.objects.values_list("stock_type", flat=True))
    assert {StockType.LCRA, StockType.LCHO, ""} <= found
    assert found <= {*StockType.values, ""}


def test_phone_numbers_are_written_in_many_ways_and_search_finds_each(generated, officer_client):
    phones = list(Resident.objects.exclude(phone="").values_list("phone", flat=True))
    assert any(phone.startswith("+44") for phone in phones)
    assert any(phone.startswith("0044 (0)") for phone in phones)
    assert any(phone.startswith("(0") for phone in phones)
    assert any(re.fullmatch(r"0\d{10}", phone) for phone in phones)
    written = Resident.objects.filter(phone__startswith="+44 7", cases__kind="complaint").first()
    # Typed as dialled, with no spaces: the queue finds the resident's complaint.
    page = officer_client.get("/complaints/", {"q": written.phone_digits, "state": "all"}).content.decode()
    assert written.cases.filter(kind="complaint").first().reference in page


def test_members_enquiries_with_one_office_holding_the_most(generated):
    assert Enquiry.objects.count() == 420
    offices = MemberOffice.objects.annotate(n=Count("enquiries")).order_by("-n")
    assert offices[0].n > 3 * offices[1].n
    assert Enquiry.objects.filter(member__office=offices[0]).count() == offices[0].n
    # Every enquiry has its response clock; open ones are still running and set the case's next due date.
    assert Clock.objects.filter(case__kind="enquiry", kind=ClockKind.RESPONSE).count() == 420
    open_enquiries = Enquiry.objects.filter(closed_at__isnull=True)
    assert open_enquiries.exists()
    assert set(open_enquiries.values_list("status", flat=True)) <= {EnquiryStatus.RECEIVED, EnquiryStatus.IN_PROGRESS}
    assert not open_enquiries.filter(next_due_on__isnull=True).exists()
    answered = Enquiry.objects.filter(responded_on__isnull=False)
    assert not answered.filter(responded_in_time__isnull=True).exists()
    assert not answered.filter(closed_at__isnull=True).exists()


def test_long_timelines_and_notes(generated, officer_client):
    counts = TimelineEvent.objects.values("case").annotate(n=Count("id")).order_by("-n")
    assert counts[0]["n"] == 2_000
    assert sum(1 for row in counts if row["n"] >= 10) > 50
    assert Note.objects.exists()
    longest = Case.objects.get(pk=counts[0]["case"])
    assert officer_client.get(f"/complaints/{longest.reference}/").status_code == 200


def test_report_facts_are_written_for_every_stage(generated):
    assert ComplaintStageFact.objects.count() == ComplaintStage.objects.count()


def test_refuses_a_negative_count_of_enquiries(generated):
    cases = Case.objects.count()
    with pytest.raises(CommandError, match="--enquiries"):
        call_command("generate_cases", complaints=10, enquiries=-5)
    assert Case.objects.count() == cases
