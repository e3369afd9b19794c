"""Case lists over the API come a page at a time by keyset: `next` and `previous` links carrying a cursor walk
the whole list in its order, ties and all, with no row twice or missed; a cursor the list did not give out is
refused with a clear message. Other lists keep page numbers."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from casework.api.pagination import BAD_CURSOR
from casework.models import Case
from tests.factories import api_token, log_complaint, open_ombudsman_case

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


@pytest.fixture
def api(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    return client


@pytest.fixture
def tied():
    """Seven complaints, five with the same urgency, deadline and day received: only the id tells them apart."""
    complaints = [log_complaint() for _ in range(7)]
    Case.objects.filter(pk__in=[c.pk for c in complaints]).update(
        received_on=datetime.date(2025, 4, 1), next_due_on=datetime.date(2025, 5, 1), is_urgent=False
    )
    Case.objects.filter(pk=complaints[3].pk).update(is_urgent=True)
    Case.objects.filter(pk=complaints[5].pk).update(next_due_on=None)
    return complaints


def follow(api, url, params=None, key="next"):
    """Every page from `url` on, following the `key` link; the references of each page."""
    pages = []
    response = api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        pages.append([row["reference"] for row in body["results"]])
        if not body[key]:
            return pages, body
        response = api.get(body[key])


def test_next_links_walk_the_whole_queue_in_order_with_ties(api, tied):
    whole = [row["reference"] for row in api.get(LIST, {"page_size": 500}).json()["results"]]
    urgent, undated = tied[3].reference, tied[5].reference
    assert whole[0] == urgent and whole[-1] == undated  # urgent first, no deadline last
    assert whole[1:-1] == sorted(whole[1:-1], key=lambda ref: Case.objects.get(reference=ref).pk)
    pages, _ = follow(api, LIST, {"page_size": 3})
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [ref for page in pages for ref in page] == whole


def test_previous_links_walk_back_to_the_first_page(api, tied):
    pages, last = follow(api, LIST, {"page_size": 3})
    assert api.get(LIST, {"page_size": 3}).json()["previous"] is None
    back, first = follow(api, last["previous"], key="previous")
    assert back == list(reversed(pages[:-1]))
    assert first["previous"] is None and first["next"]


def test_the_cursor_keeps_the_other_parameters(api, tied):
    body = api.get(LIST, {"page_size": 2, "state": "all"}).json()
    query = parse_qs(urlsplit(body["next"]).query)
    assert query["page_size"] == ["2"] and query["state"] == ["all"] and query["cursor"]


@pytest.mark.parametrize("ordering", ["received_on", "-received_on", "next_due_on", "-next_due_on", "reference"])
def test_ordering_still_orders_and_pages(api, tied, ordering):
    Case.objects.filter(pk=tied[0].pk).update(received_on=datetime.date(2025, 3, 1))
    whole = [row["reference"] for row in api.get(LIST, {"page_size": 500, "ordering": ordering}).json()["results"]]
    assert len(whole) == 7
    if ordering == "received_on":
        assert whole[0] == tied[0].reference
    if ordering == "-received_on":
        assert whole[-1] == tied[0].reference
    if ordering == "next_due_on":
        assert whole[-1] == tied[5].reference  # no deadline sorts last
    pages, last = follow(api, LIST, {"page_size": 2, "ordering": ordering})
    assert [ref for page in pages for ref in page] == whole
    back, _ = follow(api, last["previous"], key="previous")
    assert [ref for page in reversed(back) for ref in page] == whole[: len(whole) - len(pages[-1])]


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "%%%",
        "eyJvIjogIngifQ",  # {"o": "x"}: another list's
        "W10",  # []
        "",
    ],
)
def test_a_cursor_the_list_did_not_give_out_is_refused_clearly(api, tied, cursor):
    response = api.get(LIST, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"cursor": [BAD_CURSOR]}


def test_a_cursor_of_another_ordering_is_refused(api, tied):
    cursor = parse_qs(urlsplit(api.get(LIST, {"page_size": 2}).json()["next"]).query)["cursor"][0]
    response = api.get(LIST, {"cursor": cursor, "ordering": "-received_on"})
    assert response.status_code == 400 and response.json() == {"cursor": [BAD_CURSOR]}


def test_a_tampered_cursor_value_is_refused_not_a_500(api, tied):
    import base64
    import json

    cursor = parse_qs(urlsplit(api.get(LIST, {"page_size": 2}).json()["next"]).query)["cursor"][0]
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for values in (["x", "y", "z", "w"], data["v"][:2], [None] * 4, [[1], {}, 1, 2]):
        forged = base64.urlsafe_b64encode(json.dumps({**data, "v": values}).encode()).decode()
        response = api.get(LIST, {"cursor": forged})
        assert response.status_code == 400, values
        assert response.json() == {"cursor": [BAD_CURSOR]}


def test_a_bad_page_size_is_still_refused(api, tied):
    assert api.get(LIST, {"page_size": "0"}).status_code == 400
    assert api.get(LIST, {"page_size": "many"}).status_code == 400


def test_the_ombudsman_list_pages_by_cursor_in_its_own_order(api):
    cases = [open_ombudsman_case() for _ in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(received_on=datetime.date(2025, 4, 1), next_due_on=None)
    whole = [row["reference"] for row in api.get("/api/v1/ombudsman-cases/", {"page_size": 500}).json()["results"]]
    assert whole == sorted((c.reference for c in cases), key=lambda ref: -Case.objects.get(reference=ref).pk)
    pages, last = follow(api, "/api/v1/ombudsman-cases/", {"page_size": 2})
    assert [ref for page in pages for ref in page] == whole
    back, _ = follow(api, last["previous"], key="previous")
    assert back == [whole[:2]]


def test_a_cases_timeline_keeps_page_numbers(api, tied):
    body = api.get(f"{LIST}{tied[0].reference}/timeline/", {"page_size": 1}).json()
    assert body["count"] >= 1 and "page=2" in (body["next"] or "page=2")
