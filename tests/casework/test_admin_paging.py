"""The admin's paginator over case-sized tables: an unfiltered list on PostgreSQL shows the planner's estimate
of the table's rows instead of counting a million of them; a filtered list, a small table and SQLite count."""

import pytest
from django.db import connection

from casework.admin_paging import EstimatedCountPaginator
from casework.models import Resident
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


class EstimateAnySize(EstimatedCountPaginator):
    estimate_from = 0


def _analyse():
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Resident._meta.db_table)}")


def test_an_unfiltered_list_on_postgresql_shows_the_estimate(postgresql_only):
    ResidentFactory.create_batch(3)
    _analyse()
    ResidentFactory.create_batch(2)  # not yet in the statistics

    assert EstimateAnySize(Resident.objects.order_by("pk"), 100).count == 3
    assert EstimateAnySize(Resident.objects.filter(last_name__isnull=False), 100).count == 5


def test_a_small_table_is_counted_exactly(postgresql_only):
    ResidentFactory.create_batch(3)
    _analyse()
    ResidentFactory.create_batch(2)

    assert EstimatedCountPaginator(Resident.objects.all(), 100).count == 5


def test_a_filtered_list_is_counted_exactly():
    ResidentFactory.create_batch(3, last_name="Okafor")
    ResidentFactory.create_batch(2, last_name="Nowak")

    assert EstimateAnySize(Resident.objects.filter(last_name="Okafor"), 100).count == 3
    assert EstimateAnySize(Resident.objects.filter(last_name="Okafor"), 2).num_pages == 2


def test_other_databases_count_exactly():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite has no planner estimate to use")
    ResidentFactory.create_batch(4)
    assert EstimateAnySize(Resident.objects.all(), 100).count == 4


class CapAtTwo(EstimatedCountPaginator):
    cap = 2


def test_a_filtered_list_is_counted_no_further_than_the_cap():
    ResidentFactory.create_batch(3, last_name="Okafor")
    ResidentFactory.create_batch(2, last_name="Nowak")

    many = CapAtTwo(Resident.objects.filter(last_name="Okafor"), 1)
    assert (many.count, many.capped, many.shown_count) == (2, True, "More than 2")
    few = CapAtTwo(Resident.objects.filter(last_name="Nowak"), 1)
    assert (few.count, few.capped) == (2, False)


def test_the_admin_says_more_than_the_cap_when_a_search_finds_more(admin_client, monkeypatch):
    from tests.factories import log_complaint

    monkeypatch.setattr(EstimatedCountPaginator, "cap", 2)
    for _ in range(3):
        log_complaint(resident=ResidentFactory(last_name="Okafor"))

    page = admin_client.get("/admin/complaints/complaint/", {"q": "Okafor"}).content.decode()
    assert "More than 2 complaints" in page
    page = admin_client.get("/admin/complaints/complaint/", {"q": "Nowak"}).content.decode()
    assert "0 complaints" in page


def test_a_broad_search_is_counted_to_two_pages_and_still_paged(admin_client, monkeypatch):
    """Past `casework.search.BROAD_ROWS` matches the admin counts as the queue does, in the list's order, to two
    of its pages at least: a count of one page or less would make the admin read every match without a LIMIT."""
    from complaints.admin import ComplaintAdmin
    from tests.factories import log_complaint

    monkeypatch.setattr("casework.search.BROAD_ROWS", 2)
    monkeypatch.setattr("casework.search.BROAD_COUNT_CAP", 1)
    monkeypatch.setattr(ComplaintAdmin, "list_per_page", 2)
    made = [log_complaint(resident=ResidentFactory(last_name="Okafor")) for _ in range(6)]
    log_complaint(resident=ResidentFactory(last_name="Nowak"))

    response = admin_client.get("/admin/complaints/complaint/", {"q": "Okafor"})
    paginator = response.context["cl"].paginator
    assert (paginator.count, paginator.capped) == (4, True)
    assert "More than 4 complaints" in response.content.decode()
    assert len(response.context["cl"].result_list) == 2
    second = admin_client.get("/admin/complaints/complaint/", {"q": "Okafor", "p": "2"}).context["cl"]
    shown = [c.reference for c in response.context["cl"].result_list] + [c.reference for c in second.result_list]
    # In the list's order (newest received first), each page read by the ids the count walked.
    newest_first = sorted(made, key=lambda c: (c.received_on, c.pk), reverse=True)
    assert shown == [c.reference for c in newest_first[:4]]
