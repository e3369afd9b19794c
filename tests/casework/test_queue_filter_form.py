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
