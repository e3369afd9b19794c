"""The members' portal: every page and API endpoint sees only the signed-in office's enquiries."""

import datetime
import uuid

import pytest
from rest_framework.test import APIClient

from casework.roles import Role
from casework.services import add_note
from enquiries import services
from enquiries.models import Enquiry
from tests.factories import ServiceAreaFactory, UserFactory, make_office, portal_user, submit_enquiry

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    office_a, member_a = make_office("Office of Sarah Ahmed MP", "Sarah Ahmed MP", "mp")
    office_b, member_b = make_office("Cllr Priya Nair", "Cllr Priya Nair", "councillor")
    user_a, user_b = portal_user("jo", office_a), portal_user("sam", office_b)
    return {
        "a": (office_a, member_a, user_a, submit_enquiry(member_a, user=user_a, summary="A's enquiry")),
        "b": (office_b, member_b, user_b, submit_enquiry(member_b, user=user_b, summary="B's enquiry")),
    }


def portal_paths(reference):
    return [f"/portal/enquiries/{reference}/"]


def api_paths(reference):
    return [f"/api/v1/portal/enquiries/{reference}/"]


def test_each_office_sees_only_its_own_enquiries_on_every_page(client, offices):
    _, _, user_a, enquiry_a = offices["a"]
    _, _, _, enquiry_b = offices["b"]
    client.force_login(user_a)
    home = client.get("/portal/").content.decode()
    assert enquiry_a.reference in home and enquiry_b.reference not in home
    assert client.get(f"/portal/enquiries/{enquiry_a.reference}/").status_code == 200
    for path in portal_paths(enquiry_b.reference):
        assert client.get(path).status_code == 404
        assert client.post(path, {"body": "Let me in"}).status_code == 404
    assert not enquiry_b.messages.exists()


def test_each_office_sees_only_its_own_enquiries_through_the_api(offices):
    _, _, user_a, enquiry_a = offices["a"]
    _, member_b, _, enquiry_b = offices["b"]
    api = APIClient()
    api.force_authenticate(user_a)
    listed = [row["reference"] for row in api.get("/api/v1/portal/enquiries/").json()["results"]]
    assert listed == [enquiry_a.reference]
    for path in api_paths(enquiry_b.reference):
        assert api.get(path).status_code == 404
    assert (
        api.post(f"/api/v1/portal/enquiries/{enquiry_b.reference}/messages/", {"body": "x"}, format="json").status_code
        == 404
    )
    submit_for_b = api.post(
        "/api/v1/portal/enquiries/",
        {
            "member": member_b.pk,
            "enquiry_type": "service_request",
            "service_area": enquiry_a.service_area_id,
            "first_name": "A",
            "last_name": "B",
            "address": "1 Road",
            "postcode": "N1 1AA",
            "consent_to_share": True,
            "description": "x",
        },
        format="json",
    )
    assert submit_for_b.status_code == 400 and "member" in submit_for_b.json()
    assert Enquiry.objects.count() == 2


def test_portal_users_cannot_open_officers_pages_or_api(client, offices):
    _, _, user_a, enquiry_a = offices["a"]
    client.force_login(user_a)
    for path in (
        "/work/",
        "/enquiries/",
        f"/enquiries/{enquiry_a.reference}/",
        "/complaints/",
        "/api/v1/enquiries/",
        f"/api/v1/enquiries/{enquiry_a.reference}/",
        "/api/v1/complaints/",
        "/deadlines/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.get("/").url == "/portal/"


def test_officers_are_not_portal_users(client, offices):
    client.force_login(UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER))
    assert client.get("/portal/").status_code == 403
    assert client.get("/api/v1/portal/enquiries/").status_code == 403


def test_internal_notes_and_events_never_reach_the_portal(client, offices):
    _, _, user_a, enquiry_a = offices["a"]
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    add_note(enquiry_a, officer, "Internal: the constituent has rent arrears")
    services.assign(enquiry_a, officer, actor=officer)
    services.respond(enquiry_a, on=D("2025-04-24"), text="A glazier will visit on Friday.", actor=officer)
    client.force_login(user_a)
    page = client.get(f"/portal/enquiries/{enquiry_a.reference}/").content.decode()
    assert "A glazier will visit on Friday." in page
    assert "rent arrears" not in page and "Note added" not in page and "Assigned to" not in page
    api = APIClient()
    api.force_authenticate(user_a)
    body = str(api.get(f"/api/v1/portal/enquiries/{enquiry_a.reference}/").json())
    assert "rent arrears" not in body and "A glazier" in body


def test_the_portal_form_explains_errors_and_a_double_submission_makes_one_enquiry(client, offices):
    office_a, member_a, user_a, _ = offices["a"]
    client.force_login(user_a)
    form = client.get("/portal/new/").content.decode()
    assert 'name="submission_key"' in form
    key = str(uuid.uuid4())
    data = _portal_form(member_a, submission_key=key, description="Window boarded up.")
    missing = client.post("/portal/new/", {**data, "description": ""})
    assert missing.status_code == 400
    content = missing.content.decode()
    assert "There is a problem" in content and 'href="#id_description"' in content
    assert "Describe what the constituent needs" in content
    first = client.post("/portal/new/", data)
    second = client.post("/portal/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Enquiry.objects.filter(office=office_a).count() == 2  # the fixture's and this one


def test_api_submission_is_idempotent_with_the_same_key(offices):
    _, member_a, user_a, enquiry_a = offices["a"]
    api = APIClient()
    api.force_authenticate(user_a)
    payload = {
        "submission_key": str(uuid.uuid4()),
        "member": member_a.pk,
        "enquiry_type": "information_request",
        "service_area": enquiry_a.service_area_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address": "1 Road",
        "postcode": "N1 1AA",
        "consent_to_share": True,
        "description": "Position on the register?",
    }
    first = api.post("/api/v1/portal/enquiries/", payload, format="json")
    again = api.post("/api/v1/portal/enquiries/", payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    no_consent = api.post(
        "/api/v1/portal/enquiries/",
        {**payload, "submission_key": str(uuid.uuid4()), "consent_to_share": False},
        format="json",
    )
    assert no_consent.status_code == 400 and "consent_to_share" in no_consent.json()


def test_officers_work_the_enquiry_queue_and_actions(client, offices):
    _, _, _, enquiry_a = offices["a"]
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    client.force_login(officer)
    queue = client.get("/enquiries/").content.decode()
    assert enquiry_a.reference in queue
    assert client.post(f"/enquiries/{enquiry_a.reference}/close/", {"confirm": "on"}).status_code == 409
    assert client.post(f"/enquiries/{enquiry_a.reference}/acknowledge/", {"on": "2025-04-22"}).status_code == 302
    response = client.post(f"/enquiries/{enquiry_a.reference}/respond/", {"on": "2025-04-28", "text": "Done."})
    assert response.status_code == 302
    enquiry_a.refresh_from_db()
    assert enquiry_a.responded_in_time is True


def test_the_officers_api_lists_and_answers_enquiries(offices):
    _, _, _, enquiry_a = offices["a"]
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    api = APIClient()
    api.force_authenticate(officer)
    listed = api.get("/api/v1/enquiries/", {"member": enquiry_a.member_id}).json()
    assert [row["reference"] for row in listed["results"]] == [enquiry_a.reference]
    assert listed["results"][0]["response_due_on"] == "2025-05-06"
    url = f"/api/v1/enquiries/{enquiry_a.reference}"
    assert api.post(
        f"{url}/convert-to-complaint/",
        {"issue_nature": 1, "complaint_type": "delay", "outcome_wanted": "x"},
        format="json",
    ).status_code in (400, 409)
    assert api.post(f"{url}/respond/", {"on": "2025-04-24", "text": ""}, format="json").status_code == 400
    answered = api.post(f"{url}/respond/", {"on": "2025-04-24", "text": "Visit on Friday."}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "responded"
    assert api.post(f"{url}/respond/", {"on": "2025-04-24", "text": "Again"}, format="json").status_code == 409


def test_the_portal_lists_an_offices_enquiries_a_page_at_a_time(client, offices, monkeypatch):
    from enquiries import portal_views

    monkeypatch.setattr(portal_views, "PORTAL_PAGE_SIZE", 2)
    _, member_a, user_a, first = offices["a"]
    second = submit_enquiry(member_a, user=user_a, summary="Second")
    third = submit_enquiry(member_a, user=user_a, summary="Third")
    client.force_login(user_a)
    home = client.get("/portal/")
    page_one = home.content.decode()
    assert "3 enquiries, newest first." in page_one
    assert "Page 1 of 2" in page_one and 'href="?page=2"' in page_one
    shown = {e.reference for e in home.context["page"]} | {
        e.reference for e in client.get("/portal/?page=2").context["page"]
    }
    assert shown == {first.reference, second.reference, third.reference}


def _portal_form(member, **changes):
    return {
        "submission_key": str(uuid.uuid4()),
        "member": member.pk,
        "subject": "Damp in the bedroom",
        "enquiry_type": "service_request",
        "service_area": ServiceAreaFactory(name="Responsive Repairs").pk,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address": "12 Engine Row",
        "postcode": "E1 6AN",
        "consent_to_share": "yes",
        "description": "Black mould on the bedroom wall.\nThe children sleep there.",
        **changes,
    }


def test_the_subject_names_the_enquiry_and_the_postcode_is_checked_and_tidied(client, offices):
    office_a, member_a, user_a, _ = offices["a"]
    client.force_login(user_a)
    refused = client.post("/portal/new/", _portal_form(member_a, postcode="XYZ", subject=""))
    assert refused.status_code == 400
    content = refused.content.decode()
    assert "Enter a full UK postcode, like E1 6AN" in content and "Enter a subject" in content
    assert client.post("/portal/new/", _portal_form(member_a, postcode="n1 7ba")).status_code == 302
    enquiry = Enquiry.objects.filter(office=office_a).latest("id")
    assert enquiry.summary == "Damp in the bedroom"
    assert enquiry.constituent_address.endswith("N1 7BA") and enquiry.home.postcode == "N1 7BA"
    page = client.get(f"/portal/enquiries/{enquiry.reference}/").content.decode()
    assert '<h1 class="govuk-heading-l">Damp in the bedroom</h1>' in page


def test_the_confirmation_names_each_date_for_what_it_is(client, offices):
    import time_machine

    from sla import engine

    _, member_a, user_a, _ = offices["a"]
    client.force_login(user_a)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        response = client.post("/portal/new/", _portal_form(member_a), follow=True)
    content = response.content.decode()
    acknowledge_by = engine.add_working_days(D("2026-12-01"), 1)
    respond_by = engine.add_working_days(D("2026-12-01"), 10)
    assert f"We will acknowledge it by {acknowledge_by:%A %-d %B %Y}" in content
    assert f"respond in full by {respond_by:%A %-d %B %Y}" in content
    assert acknowledge_by != respond_by


def test_the_form_gives_the_emergency_line_number(client, offices, settings):
    settings.COUNCIL_EMERGENCY_PHONE = "0300 123 4567"
    _, _, user_a, _ = offices["a"]
    client.force_login(user_a)
    assert "emergency line on 0300 123 4567" in client.get("/portal/new/").content.decode()


def test_an_office_searches_and_filters_its_enquiries(client, offices):
    _, member_a, user_a, enquiry_a = offices["a"]
    _, _, _, enquiry_b = offices["b"]
    other_member = make_office("Office of Sarah Ahmed MP", "Cllr Tom Reid", "councillor")[1]
    damp = submit_enquiry(member_a, user=user_a, summary="Damp in the bedroom")
    reid = submit_enquiry(
        other_member,
        user=user_a,
        summary="Rent arrears letter",
        constituent=services.Constituent("Grace", "Hopper", "", "07700 900123", "2 Compiler Way", "N1 7BA"),
    )
    client.force_login(user_a)

    def listed(**params):
        page = client.get("/portal/", params).content.decode()
        every = (enquiry_a.reference, enquiry_b.reference, damp.reference, reid.reference)
        return {ref for ref in every if f'href="/portal/enquiries/{ref}/"' in page}

    assert listed() == {enquiry_a.reference, damp.reference, reid.reference}
    assert listed(q="damp") == {damp.reference}
    assert listed(q=reid.reference.lower()) == {reid.reference}
    assert listed(q="grace hop") == {reid.reference}
    assert listed(q="N1 7BA") == {reid.reference}
    # The officers' keys: a postcode in any spacing or case, a phone number however written, a reference
    # without its prefix.
    assert listed(q="n17ba") == listed(q="N1") == {reid.reference}
    assert listed(q="+44 7700 900123") == {reid.reference}
    assert listed(q=reid.reference.removeprefix("ME-")) == {reid.reference}
    assert listed(q=str(int(reid.reference.rsplit("-", 1)[1]))) == {reid.reference}
    assert listed(member=other_member.pk) == {reid.reference}
    assert listed(q=enquiry_b.reference) == set()  # another office's enquiry is never found
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    services.respond(damp, on=D("2025-04-24"), text="Treated.", actor=officer)
    assert listed(status="responded") == {damp.reference}
    assert listed(status="open") == {enquiry_a.reference, reid.reference}
    assert "Member" in client.get("/portal/").content.decode()  # two members: the column says whose


def test_the_history_says_why_a_closure_day_moved_the_response_date(
    client, offices, django_capture_on_commit_callbacks
):
    from sla.services import declare_closure_day

    _, _, user_a, enquiry_a = offices["a"]
    due_before = enquiry_a.clocks.get(kind="response").due_on
    with django_capture_on_commit_callbacks(execute=True):
        declare_closure_day(D("2025-04-29"), "Staff training day")
    due_after = enquiry_a.clocks.get(kind="response").due_on
    assert due_after > due_before
    client.force_login(user_a)
    page = client.get(f"/portal/enquiries/{enquiry_a.reference}/").content.decode()
    assert "Staff training day" in page and f"{due_after:%-d}" in page
