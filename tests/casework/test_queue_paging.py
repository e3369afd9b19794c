"""A queue's page is read as its ids, in the list's order, then as the rows of those ids
(casework.paging.CappedCountPaginator.page): the pages must hold what slicing the list gives, in its order, with
the related rows the list selects."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from casework.paging import CappedCountPaginator
from complaints import selectors
from tests.factories import ResidentFactory, UserFactory, log_complaint

pytestmark = pytest.mark.django_db


def test_each_page_holds_the_lists_slice_in_its_order_with_its_related_rows(django_user_model):
    from casework.roles import Role

    manager = UserFactory(username="manager", role=Role.MANAGER)
    for day in (3, 1, 2, 2, 5, 4, 1):
        log_complaint(received_on=datetime.date(2026, 3, day), resident=ResidentFactory(last_name=f"Resident{day}"))
    queue = selectors.work_queue(manager, QueryDict("state=all")).qs
    expected = [complaint.reference for complaint in queue]
    assert len(expected) == 7

    paginator = CappedCountPaginator(queue, 3)
    pages = [paginator.page(number) for number in paginator.page_range]
    assert [[c.reference for c in page] for page in pages] == [expected[0:3], expected[3:6], expected[6:7]]
    with CaptureQueriesContext(connection) as queries:
        names = [complaint.resident.last_name for complaint in paginator.page(2)]
    assert len(queries.captured_queries) == 2  # the page's ids, then its rows with their residents
    assert names == [c.resident.last_name for c in list(queue)[3:6]]
    assert list(paginator.page(3).object_list) == list(queue)[6:7]
