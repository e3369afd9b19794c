"""The queues' filter panels read plainly (Any, Yes, No; tick boxes for statuses; date pickers) while the
same filter sets keep the API's query parameters."""

import datetime

import pytest

from casework.models import Team
from casework.roles import Role
from tests.factories import UserFactory, log_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", ["/complaints/", "/enquiries/", "/ombudsman/"])
def test_the_filter_panel_says_any_yes_and_no(client, officer, url):
    page = client.get(url).content.decode()
    assert "---------" not in page
    assert ">Unknown<" not in page
    assert '<option value="unknown" selected>Any</option>' in page
    assert '<option value="true">Yes</option>' in page
    assert '<input type="date" name="received_after"' in page
    assert 'type="checkbox" name="stage"' in page or 'type="checkbox" name="status"' in page
    assert 'multiple id="id_status"' not in page and 'multiple id="id_stage"' not in page


def test_the_page_and_the_api_filter_the_same_way(client, officer):
    team = Team.objects.create(name="Repairs Team")
    urgent = log_complaint(received_on=datetime.date(2025, 6, 2), urgent_reason="safeguarding", team=team)
    calm = log_complaint(received_on=datetime.date(2025, 6, 3))

    def shown(params):
        return {c.reference for c in client.get("/complaints/", params).context["page"]}

    assert shown({"urgent": "true"}) == {urgent.reference}
    assert shown({"urgent": "false"}) == {calm.reference}
    assert shown({"urgent": "unknown"}) == {urgent.reference, calm.reference}
    assert shown({"team": "null"}) == {calm.reference}
    assert shown({"received_after": "2025-06-03"}) == {calm.reference}
    assert shown({"status": ["received"]}) == {urgent.reference, calm.reference}

    api = {c["reference"] for c in client.get("/api/v1/complaints/", {"urgent": "true"}).json()["results"]}
    assert api == {urgent.reference}
    api = {c["reference"] for c in client.get("/api/v1/complaints/", {"team": "null"}).json()["results"]}
    assert api == {calm.reference}


@pytest.mark.parametrize("url", ["/complaints/", "/enquiries/"])
def test_closed_from_a_day_lists_the_cases_closed_on_it_or_later(client, officer, url):
    """Closed from 3 June (London): the case closed at 00:30 BST on 3 June is in, the one closed at 23:30 BST on 2
    June is out, and an open case never."""
    import time_machine

    from casework.models import Case
    from tests.factories import make_office, submit_enquiry

    london = datetime.timezone(datetime.timedelta(hours=1))
    if url == "/complaints/":
        cases = [log_complaint(received_on=datetime.date(2025, 5, 1)) for _ in range(3)]
    else:
        _, member = make_office()
        cases = [submit_enquiry(member) for _ in range(3)]
    before, after, _still_open = cases
    for case, at in [(before, (2025, 6, 2, 23, 30)), (after, (2025, 6, 3, 0, 30))]:
        Case.objects.filter(pk=case.pk).update(status="closed", closed_at=datetime.datetime(*at, tzinfo=london))
    with time_machine.travel(datetime.datetime(2025, 6, 10, 12, tzinfo=datetime.UTC)):
        page = client.get(url, {"state": "closed", "closed_after": "2025-06-03"}).context["page"]
    assert {c.reference for c in page} == {after.reference}
