"""The admin's lists of cases search as the queues do (casework.search): a reference without its prefix, a postcode
in any spacing, a phone however written and a surname find the case, in the same number of queries however many
cases match. Their status and stage filters offer fixed choices, never the values found in the table."""

import datetime

import pytest
from django.contrib import admin as django_admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import ReferenceCounter, Resident
from casework.roles import Role
from complaints import services
from complaints.models import ComplaintStatus, ProcedureStage
from enquiries.models import EnquiryStatus
from ombudsman.models import OmbudsmanStage
from tests.factories import (
    PropertyFactory,
    ResidentFactory,
    UserFactory,
    log_complaint,
    make_office,
    open_ombudsman_case,
    submit_enquiry,
)

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db

COMPLAINTS = "/admin/complaints/complaint/"
CASES = "/admin/casework/case/"


@pytest.fixture
def cases():
    ReferenceCounter.objects.create(prefix="CMP", year=2025, last_value=495)
    home = PropertyFactory(postcode="SW1A 1AA")
    amina = ResidentFactory(first_name="Amina", last_name="Okafor", phone="07700 900123", home=home)
    other = ResidentFactory(
        first_name="Tom", last_name="Reed", phone="020 7946 0999", home=PropertyFactory(postcode="E2 8DD")
    )
    wanted = log_complaint(resident=amina, summary="Damp in the bedroom")
    unwanted = log_complaint(resident=other, summary="Broken lift")
    assert wanted.reference == "CMP-2025-000496"
    return wanted, unwanted


def listed(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return {case.reference for case in response.context["cl"].result_list}


TYPED = [
    "CMP-2025-000496",
    "cmp-2025-000496",
    "2025-000496",
    "000496",
    "496",
    "sw1a1aa",
    "SW1A 1AA",
    "sw1a",
    "07700 900123",
    "+44 7700 900123",
    "(07700)900-123",
    "Okafor",
    "okafor",
    "Amina Okafor",
]


@pytest.mark.parametrize("path", [COMPLAINTS, CASES])
@pytest.mark.parametrize("typed", TYPED)
def test_the_admin_finds_a_case_as_the_queue_does(admin_client, cases, path, typed):
    wanted, _ = cases
    assert listed(admin_client, path, q=typed) == {wanted.reference}


@pytest.mark.parametrize("path", [COMPLAINTS, CASES])
def test_the_admin_finds_a_complaint_by_its_summary_and_nothing_for_nonsense(admin_client, cases, path):
    wanted, unwanted = cases
    assert listed(admin_client, path, q="broken lift") == {unwanted.reference}
    assert listed(admin_client, path, q="CMP-2024-000496") == set()
    assert listed(admin_client, path, q="Zebedee") == set()
    assert listed(admin_client, path, q="  ") == {wanted.reference, unwanted.reference}


def test_the_complaint_admin_finds_words_of_the_description_as_the_queue_does(admin_client, cases):
    wanted, unwanted = cases
    assert listed(admin_client, COMPLAINTS, q="nobody came") == {wanted.reference, unwanted.reference}


def test_the_enquiry_and_ombudsman_admins_search_as_their_queues_do(admin_client):
    _, member = make_office()
    enquiry = submit_enquiry(member)
    submit_enquiry(member, constituent=_constituent("Tom", "Reed"))
    case = open_ombudsman_case()
    number = enquiry.reference.rsplit("-", 1)[1]

    assert listed(admin_client, "/admin/enquiries/enquiry/", q=number) == {enquiry.reference}
    assert listed(admin_client, "/admin/enquiries/enquiry/", q="Lovelace") == {enquiry.reference}
    assert listed(admin_client, "/admin/ombudsman/ombudsmancase/", q=case.reference.rsplit("-", 1)[1]) == {
        case.reference
    }
    # An ombudsman case is also found by its complaint's reference, as on the ombudsman list.
    assert listed(admin_client, "/admin/ombudsman/ombudsmancase/", q=case.original_complaint.reference) == {
        case.reference
    }


def _constituent(first, last):
    from enquiries.services import Constituent

    return Constituent(first, last, f"{first.lower()}@example.org", "", "3 Mill Lane", "E2 8DD")


def test_an_admin_search_asks_as_many_queries_for_two_matches_as_for_eight(admin_client):
    def okafor():
        log_complaint(resident=ResidentFactory(first_name="Amina", last_name="Okafor"))

    for _ in range(2):
        okafor()
    log_complaint(resident=ResidentFactory(first_name="Tom", last_name="Reed"))
    admin_client.get(COMPLAINTS, {"q": "Okafor"})  # warms per-process caches (calendar, content types)
    counts = []
    for more in (0, 6):
        for _ in range(more):
            okafor()
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(COMPLAINTS, {"q": "Okafor"})
        assert len(response.context["cl"].result_list) == 2 + more
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def choices_offered(client, path, title):
    changelist = client.get(path).context["cl"]
    (spec,) = [spec for spec in changelist.filter_specs if spec.title == title]
    return [(str(value), str(label)) for value, label in spec.lookup_choices]


def test_the_list_filters_offer_fixed_choices_without_reading_the_table(admin_client, cases):
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(COMPLAINTS)
    assert not [query["sql"] for query in queries.captured_queries if "DISTINCT" in query["sql"].upper()]

    # Every status a complaint can have, though these two are both just received.
    assert choices_offered(admin_client, COMPLAINTS, "status") == [
        (value, str(label)) for value, label in ComplaintStatus.choices
    ]
    # The stages the procedures define, though no complaint has gone beyond stage 1.
    numbers = sorted(set(ProcedureStage.objects.values_list("number", flat=True)))
    assert numbers[:2] == [1, 2]
    assert choices_offered(admin_client, COMPLAINTS, "current stage") == [(str(n), f"Stage {n}") for n in numbers]
    assert choices_offered(admin_client, "/admin/enquiries/enquiry/", "status") == [
        (value, str(label)) for value, label in EnquiryStatus.choices
    ]
    assert choices_offered(admin_client, "/admin/ombudsman/ombudsmancase/", "stage") == [
        (value, str(label)) for value, label in OmbudsmanStage.choices
    ]
    offered = dict(choices_offered(admin_client, CASES, "status"))
    assert {value for value, _ in ComplaintStatus.choices + EnquiryStatus.choices} <= offered.keys()


def test_the_list_filters_filter(admin_client, cases):
    wanted, unwanted = cases
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    services.acknowledge(wanted, on=D("2025-04-22"), actor=officer)
    responded = services.respond(
        services.acknowledge(unwanted, on=D("2025-04-22"), actor=officer),
        actor=officer,
        on=D("2025-05-06"),
        summary="Sorry",
        points=[services.Point("The lift was not fixed", "upheld", "Parts on order")],
    )
    services.escalate(responded, actor=officer, requested_on=D("2025-05-07"))

    assert listed(admin_client, COMPLAINTS, status=ComplaintStatus.ACKNOWLEDGED) == {wanted.reference}
    assert listed(admin_client, COMPLAINTS, current_stage=2) == {unwanted.reference}
    assert listed(admin_client, COMPLAINTS, current_stage=1) == {wanted.reference}
    assert listed(admin_client, CASES, status=ComplaintStatus.ACKNOWLEDGED) == {wanted.reference}
    assert listed(admin_client, COMPLAINTS, status=ComplaintStatus.ACKNOWLEDGED, q="Okafor") == {wanted.reference}
    assert listed(admin_client, COMPLAINTS, status=ComplaintStatus.ACKNOWLEDGED, q="Reed") == set()


@pytest.mark.parametrize("query", ["status=nonsense", "current_stage=two", "current_stage=9"])
def test_a_filter_value_that_is_no_choice_is_refused_not_a_server_error(admin_client, cases, query):
    response = admin_client.get(f"{COMPLAINTS}?{query}")
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


@pytest.mark.parametrize("broad", [10_000, 2], ids=["as a list of ids", "broad, checked case by case"])
def test_a_search_with_many_matches_finds_the_same_cases_as_with_few(admin_client, officer_client, monkeypatch, broad):
    """Past `casework.search.BROAD_ROWS` matching rows the search tests each case in the list's order instead of
    gathering the ids first; both must find the same cases, in the admin as in the queue."""
    ReferenceCounter.objects.create(prefix="CMP", year=2025, last_value=495)
    okafors = [log_complaint(resident=ResidentFactory(first_name="Amina", last_name="Okafor")) for _ in range(3)]
    in_summary = log_complaint(summary="Okafor's fence", resident=ResidentFactory(last_name="Reed"))
    in_description = log_complaint(description="Mrs Okafor next door", resident=ResidentFactory(last_name="Reed"))
    log_complaint(resident=ResidentFactory(last_name="Nowak"))
    wanted = {c.reference for c in [*okafors, in_summary, in_description]}
    found_as_few = listed(admin_client, COMPLAINTS, q="Okafor")

    monkeypatch.setattr("casework.search.BROAD_ROWS", broad)
    assert found_as_few == wanted
    assert listed(admin_client, COMPLAINTS, q="Okafor") == wanted
    assert listed(admin_client, CASES, q="Okafor") == wanted - {in_description.reference}
    assert listed(admin_client, COMPLAINTS, q="Amina Okafor") == {c.reference for c in okafors}
    queue = officer_client.get("/complaints/", {"q": "Okafor", "state": "all"}).context["page"]
    assert {c.reference for c in queue} == wanted


RESIDENTS = "/admin/casework/resident/"


@pytest.mark.parametrize(
    "typed",
    ["Okafor", "okaf", "Amina", "amina okafor", "amina.o", "07700 900123", "+44 7700 900123", "sw1a1aa", "SW1A 1AA"],
)
def test_the_admin_finds_a_resident_as_find_a_resident_does(admin_client, cases, typed):
    ResidentFactory(first_name="Amina", last_name="Reed", email="amina.reed@example.org")
    amina = cases[0].resident
    amina.email = "amina.o@example.org"
    amina.save()
    response = admin_client.get(RESIDENTS, {"q": typed})
    assert response.status_code == 200
    found = [(resident.first_name, resident.last_name) for resident in response.context["cl"].result_list]
    assert ("Amina", "Okafor") in found
    assert ("Tom", "Reed") not in found


def test_the_admin_lists_every_resident_of_a_name_in_name_order_ignoring_case_a_page_at_a_time(
    admin_client, monkeypatch
):
    for first in ["zoe", "Adam", "maria", "Ben", "carl"]:
        ResidentFactory(first_name=first, last_name="Smith")
    ResidentFactory(first_name="Smith", last_name="Aaron")
    ResidentFactory(first_name="Ann", last_name="Goldsmith")  # "smith" inside a name is not its start
    ResidentFactory(first_name="Sam", last_name="smithers")
    # Three a page, to see the paging without writing hundreds of residents.
    monkeypatch.setattr(django_admin.site._registry[Resident], "list_per_page", 3)
    pages = [admin_client.get(RESIDENTS, {"q": "smith", "p": page}) for page in (1, 2, 3)]
    listed = [
        (resident.last_name, resident.first_name) for page in pages for resident in page.context["cl"].result_list
    ]
    assert listed == [
        ("Aaron", "Smith"),
        ("Smith", "Adam"),
        ("Smith", "Ben"),
        ("Smith", "carl"),
        ("Smith", "maria"),
        ("Smith", "zoe"),
        ("smithers", "Sam"),
    ]
    assert pages[0].context["cl"].result_count == 7
