"""A queue's count stops at a cap: beyond it the page says "More than 10,000" rather than counting every
matching case among a million. Below the cap the count is exact."""

import pytest

from casework.paging import QUEUE_COUNT_CAP, CappedCountPaginator
from complaints.models import Complaint
from tests.factories import log_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)


def test_the_cap_is_ten_thousand():
    assert QUEUE_COUNT_CAP == 10_000


def test_below_the_cap_the_count_is_exact(officer_client, small_cap):
    log_complaint()
    log_complaint()
    page = officer_client.get("/complaints/", {"state": "all"})
    assert page.context["page"].paginator.count == 2 and not page.context["page"].paginator.capped
    assert "2 complaints" in page.content.decode()


def test_at_the_cap_the_count_is_still_exact(officer_client, small_cap):
    for _ in range(3):
        log_complaint()
    paginator = officer_client.get("/complaints/", {"state": "all"}).context["page"].paginator
    assert paginator.count == 3 and not paginator.capped and paginator.shown_count == "3"


def test_beyond_the_cap_the_queue_says_more_than(officer_client, small_cap):
    for _ in range(5):
        log_complaint()
    page = officer_client.get("/complaints/", {"state": "all"})
    paginator = page.context["page"].paginator
    assert paginator.capped and paginator.count == 3
    body = page.content.decode()
    assert "More than 3 complaints" in body
    assert "Page 1 of more than 1" in body


def test_the_capped_pages_still_page(small_cap):
    for _ in range(5):
        log_complaint()
    paginator = CappedCountPaginator(Complaint.objects.order_by("id"), 2)
    assert paginator.num_pages == 2 and paginator.capped
    assert len(paginator.get_page(2).object_list) == 1  # the cap's last page: rows 3 of 3
    assert paginator.get_page(2).has_next() is False


def test_the_other_queues_say_more_than_too(officer_client, small_cap):
    from tests.factories import make_office, open_ombudsman_case, submit_enquiry

    _, member = make_office()
    for _ in range(4):
        submit_enquiry(member)
        open_ombudsman_case()
    assert "More than 3 enquiries" in officer_client.get("/enquiries/", {"state": "all"}).content.decode()
    assert "More than 3 cases" in officer_client.get("/ombudsman/", {"state": "all"}).content.decode()


def test_a_large_count_has_thousands_separated():
    paginator = CappedCountPaginator(list(range(1234)), 50)
    assert paginator.shown_count == "1,234"
