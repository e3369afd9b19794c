"""Search finds what officers type: phone numbers however written, postcodes in any spacing or case, whole or
begun, and references with or without their prefix. The same on the queue page, the API and "find a resident"."""

import pytest
from rest_framework.test import APIClient

from casework import search
from casework.models import Property, ReferenceCounter, Representative, Resident
from casework.ordering import queue_order
from casework.services import add_representative, create_resident
from complaints.models import Complaint
from tests.factories import (
    PropertyFactory,
    ResidentFactory,
    api_token,
    log_complaint,
    open_ombudsman_case,
    submit_enquiry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(officer_client):
    ReferenceCounter.objects.create(prefix="CMP", year=2025, last_value=495)
    home = PropertyFactory(postcode="SW1A 1AA")
    amina = ResidentFactory(first_name="Amina", last_name="Okafor", phone="07700 900123", home=home)
    other = ResidentFactory(
        first_name="Tom", last_name="Reed", phone="020 7946 0999", home=PropertyFactory(postcode="E2 8DD")
    )
    wanted = log_complaint(resident=amina, summary="Damp in the bedroom")
    unwanted = log_complaint(resident=other, summary="Broken lift")
    return wanted, unwanted


def shown(client, q):
    return {c.reference for c in client.get("/complaints/", {"q": q, "state": "all"}).context["page"]}


def test_keys_are_kept_on_save():
    resident = create_resident(
        first_name="Ada", last_name="Lovelace", phone="+44 (0)7700 900123", address="1 High Street", postcode="sw1a 1aa"
    )
    assert resident.phone_digits == "07700900123"
    assert resident.home.postcode_key == "SW1A1AA"
    resident.phone = "0161 496 0000"
    resident.save(update_fields=["phone"])
    assert Resident.objects.get(pk=resident.pk).phone_digits == "01614960000"
    assert add_representative(resident, name="Sam", relationship="son", phone="+44 161 496 0001").phone_digits == (
        "01614960001"
    )


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("(07700)900-123", "07700900123"),
        ("447700900123", "07700900123"),
        ("+1 212 555 0100", "0012125550100"),
        ("", ""),
        ("ex-directory", ""),
    ],
)
def test_phone_numbers_are_compared_by_their_digits(typed, digits):
    assert search.normalise_phone(typed) == digits


@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "(07700)900-123", "07700900123", "07700 900"])
def test_a_phone_number_however_written_finds_the_complaint(officer_client, cases, typed):
    wanted, _ = cases
    assert shown(officer_client, typed) == {wanted.reference}


@pytest.mark.parametrize("typed", ["sw1a1aa", "SW1A 1AA", "sw1a 1aa", "sw1a", "SW1A 1"])
def test_a_postcode_in_any_spacing_or_case_whole_or_begun_finds_the_complaint(officer_client, cases, typed):
    wanted, _ = cases
    assert shown(officer_client, typed) == {wanted.reference}


@pytest.mark.parametrize("typed", ["CMP-2025-000496", "cmp-2025-000496", "CMP-000496", "2025-000496", "000496", "496"])
def test_a_reference_with_or_without_its_prefix_finds_the_complaint(officer_client, cases, typed):
    wanted, _ = cases
    assert wanted.reference == "CMP-2025-000496"
    assert shown(officer_client, typed) == {wanted.reference}


def test_a_reference_prefix_finds_every_case_it_begins(officer_client, cases):
    assert shown(officer_client, "cmp-2025-0004") == {c.reference for c in cases}
    assert shown(officer_client, "OMB-496") == set()


def test_names_and_summaries_still_find_cases(officer_client, cases):
    wanted, _ = cases
    assert shown(officer_client, "okafor") == {wanted.reference}
    assert shown(officer_client, "damp") == {wanted.reference}


def test_the_api_searches_the_same_way(officer, cases):
    wanted, _ = cases
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    for typed in ("+44 7700 900123", "sw1a1aa", "000496"):
        response = api.get("/api/v1/complaints/", {"q": typed, "state": "all"})
        assert response.status_code == 200
        assert [row["reference"] for row in response.json()["results"]] == [wanted.reference], typed


def test_a_representatives_phone_finds_the_case(officer_client):
    resident = create_resident(first_name="Ada", last_name="Lovelace", postcode="E2 8DD")
    representative = add_representative(resident, name="Sam Lovelace", relationship="son", phone="0161 496 0001")
    complaint = log_complaint(resident=resident, representative=representative)
    assert shown(officer_client, "+44 161 496 0001") == {complaint.reference}


@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "sw1a1aa", "SW1A 1AA", "sw1a", "Okafor sw1a"])
def test_find_a_resident_by_phone_or_postcode(officer_client, cases, typed):
    page = officer_client.get("/complaints/residents/", {"q": typed})
    assert page.status_code == 200
    assert [r.last_name for r in page.context["residents"]] == ["Okafor"]


@pytest.mark.parametrize("few", [1_000, 1], ids=["homes found by their ids", "many homes, walked in name order"])
@pytest.mark.parametrize("unit", ["e28dd", "E28D"])
def test_find_a_resident_by_postcode_or_name_lists_everyone_found_by_name(officer_client, monkeypatch, unit, few):
    # A word that may be a postcode also finds the residents whose name or email begins with it, those without a
    # home included; several words find those meeting each, and the list is in name order whatever the ids.
    monkeypatch.setattr(search, "FEW_ROWS", few)
    e2 = PropertyFactory(postcode="E2 8DD")
    ResidentFactory(first_name="Zoe", last_name="Young", home=e2)
    ResidentFactory(first_name="Ada", last_name="Young", home=PropertyFactory(postcode="E2 9AB"))
    ResidentFactory(first_name="Bea", last_name="Able", email="e28dd@example.org", home=None)
    ResidentFactory(first_name="Cal", last_name="Moss", home=e2)
    ResidentFactory(first_name="Dee", last_name="Young", home=PropertyFactory(postcode="N1 2AA"))

    def found(typed):
        page = officer_client.get("/complaints/residents/", {"q": typed})
        assert page.status_code == 200
        return [(r.last_name, r.first_name) for r in page.context["residents"]]

    assert found(unit) == [("Able", "Bea"), ("Moss", "Cal"), ("Young", "Zoe")]
    assert found("e28") == [("Able", "Bea"), ("Moss", "Cal"), ("Young", "Zoe")]
    assert found("E2") == [("Able", "Bea"), ("Moss", "Cal"), ("Young", "Ada"), ("Young", "Zoe")]
    assert found("E2 8DD") == [("Moss", "Cal"), ("Young", "Zoe")]
    assert found(f"young {unit}") == [("Young", "Zoe")]
    assert found("young e2") == [("Young", "Ada"), ("Young", "Zoe")]
    assert found("young") == [("Young", "Ada"), ("Young", "Dee"), ("Young", "Zoe")]


@pytest.mark.parametrize("few", [1_000, 1], ids=["found by their ids", "many, walked in name order"])
def test_find_a_resident_by_several_names_finds_the_same_however_many_match(officer_client, monkeypatch, few):
    # Each word may begin the first name, the last name or the email; the list is in name order either way.
    monkeypatch.setattr(search, "FEW_ROWS", few)
    ResidentFactory(first_name="Chiamaka", last_name="Jones")
    ResidentFactory(first_name="Chiamaka", last_name="Adeyemi")
    ResidentFactory(first_name="Ada", last_name="Jones")
    ResidentFactory(first_name="Jones", last_name="Chiamaka-Obi")
    ResidentFactory(first_name="Bea", last_name="Jones", email="chiamaka.j@example.org")

    def found(typed):
        page = officer_client.get("/complaints/residents/", {"q": typed})
        assert page.status_code == 200
        return [(r.last_name, r.first_name) for r in page.context["residents"]]

    assert found("chiamaka jones") == [("Chiamaka-Obi", "Jones"), ("Jones", "Bea"), ("Jones", "Chiamaka")]
    assert found("Jones Chiam") == [("Chiamaka-Obi", "Jones"), ("Jones", "Bea"), ("Jones", "Chiamaka")]
    assert found("chiamaka") == [
        ("Adeyemi", "Chiamaka"),
        ("Chiamaka-Obi", "Jones"),
        ("Jones", "Bea"),
        ("Jones", "Chiamaka"),
    ]
    assert found("nobody jones") == []


def test_nonsense_finds_nothing_and_does_not_fail(officer_client, cases):
    for typed in ("%", "((", "+", "CMP-", "0", "-"):
        response = officer_client.get("/complaints/", {"q": typed, "state": "all"})
        assert response.status_code == 200, typed
    assert shown(officer_client, "0") == set()


def test_existing_rows_get_their_keys_from_the_migration():
    from importlib import import_module

    from django.apps import apps

    home = PropertyFactory(postcode="sw1a 1aa")
    resident = ResidentFactory(phone="+44 7700 900123", home=home)
    representative = Representative.objects.create(
        resident=resident, name="Sam", relationship="son", phone="0161 4960001"
    )
    Property.objects.filter(pk=home.pk).update(postcode_key="")
    Resident.objects.filter(pk=resident.pk).update(phone_digits="")
    Representative.objects.filter(pk=representative.pk).update(phone_digits="")
    migration = import_module("casework.migrations.0008_search_keys")
    migration.fill_search_keys(apps, None)
    assert Property.objects.get(pk=home.pk).postcode_key == "SW1A1AA"
    assert Resident.objects.get(pk=resident.pk).phone_digits == "07700900123"
    assert Representative.objects.get(pk=representative.pk).phone_digits == "01614960001"


def queue(client, url, q):
    return {c.reference for c in client.get(url, {"q": q, "state": "all"}).context["page"]}


def test_enquiries_are_searched_the_same_way(officer_client):
    from tests.factories import make_office

    _, member = make_office()
    enquiry = submit_enquiry(member)
    assert enquiry.reference == "ME-2025-000001"
    for typed in ("e16an", "E1 6AN", "e1", "me-2025-000001", "ME-000001", "1"):
        assert queue(officer_client, "/enquiries/", typed) == {enquiry.reference}, typed
    assert queue(officer_client, "/enquiries/", "sw1a") == set()


def test_ombudsman_cases_are_found_by_their_reference_or_the_complaints(officer_client):
    case = open_ombudsman_case()
    complaint = case.original_complaint
    ReferenceCounter.objects.filter(prefix="CMP").update(last_value=495)
    log_complaint()  # CMP-2025-000496, of no ombudsman case
    assert case.reference == "OMB-2025-000001" and complaint.reference == "CMP-2025-000001"
    for typed in ("omb-2025-000001", "OMB-000001", "cmp-2025-000001", "CMP-000001", "000001"):
        assert queue(officer_client, "/ombudsman/", typed) == {case.reference}, typed
    assert queue(officer_client, "/ombudsman/", "CMP-000496") == set()


# --- Words, and every key on both databases -----------------------------------------------------------------
# The suite runs on PostgreSQL (full-text and trigram indexes) and on SQLite (plain comparisons); these tests
# are written to give the same answer on both.


@pytest.fixture
def worded(officer, cases):
    """A complaint whose description, a note and the council's response each hold a word nobody else's does."""
    from casework.services import add_note
    from complaints import services

    wanted, _ = cases
    add_note(wanted, officer, "Rang the surveyor about the mould behind the wardrobe")
    described = log_complaint(description="Water pours through the skylight when it rains")
    responded = services.acknowledge(described, on=described.received_on, actor=officer)
    services.respond(
        responded,
        actor=officer,
        on=described.received_on,
        summary="We apologise and will replace the guttering",
        points=[services.Point("Skylight", "upheld", "Not sealed")],
    )
    return wanted, described


@pytest.mark.parametrize(
    ("typed", "which"),
    [
        ("wardrobe", 0),  # a note
        ("surveyor mould", 0),  # every word, in any order
        ("skylight", 1),  # the description
        ("Skylight RAINS", 1),  # any case
        ("guttering", 1),  # the council's response
    ],
)
def test_words_are_found_in_descriptions_notes_and_responses(officer_client, worded, typed, which):
    assert shown(officer_client, typed) == {worded[which].reference}


def test_words_that_appear_nowhere_together_find_nothing(officer_client, worded):
    assert shown(officer_client, "wardrobe guttering") == set()
    assert shown(officer_client, "trampoline") == set()


def test_the_api_finds_words_too(officer, worded):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    rows = api.get("/api/v1/complaints/", {"q": "wardrobe", "state": "all"}).json()["results"]
    assert [row["reference"] for row in rows] == [worded[0].reference]


@pytest.mark.parametrize(
    "typed",
    [
        "CMP-2025-000496",  # reference, whole
        "2025-000496",  # reference without its prefix
        "000496",  # number only
        "07700 900123",  # phone
        "+44 7700 900 123",  # phone, international
        "SW1A 1AA",  # postcode
        "sw1a1a",  # postcode, begun
        "Amina Okafor",  # name
        "okaf",  # surname, begun
        "bedroom",  # summary
        "DAMP IN THE",  # summary, part
    ],
)
def test_each_kind_of_key_finds_the_complaint_and_nothing_else(officer_client, cases, typed):
    wanted, _ = cases
    assert shown(officer_client, typed) == {wanted.reference}


def test_a_number_is_not_looked_for_among_names(officer_client):
    resident = create_resident(first_name="Ada", last_name="Lovelace", postcode="E2 8DD")
    log_complaint(resident=resident)
    assert shown(officer_client, "Ada 8") == set()
    assert search.name_words("Ada 8") == []
    assert search.name_words("Siobhán O'Neil-Smith") == ["Siobhán", "O'Neil-Smith"]


def test_a_search_asks_each_index_once_not_an_or_across_tables(cases):
    """The database is asked for the ids each condition finds, as one UNION, so each part can use its index;
    the reference is compared as stored, never through UPPER()."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints.filters import ComplaintFilter

    wanted, _ = cases
    with CaptureQueriesContext(connection) as queries:
        found = list(ComplaintFilter({"q": "07700 900123", "state": "all"}, queryset=Complaint.objects.all()).qs)
    assert found == [wanted]
    statements = [query["sql"] for query in queries.captured_queries]
    assert any("UNION" in sql for sql in statements)
    assert not any('UPPER("casework_case"."reference"' in sql or 'UPPER(U0."reference"' in sql for sql in statements)


def test_the_enquiries_and_ombudsman_queues_find_words_in_notes(officer, officer_client):
    from casework.services import add_note
    from tests.factories import make_office

    _, member = make_office()
    enquiry = submit_enquiry(member)
    case = open_ombudsman_case()
    add_note(enquiry, officer, "Councillor phoned about the bins")
    add_note(case, officer, "Ombudsman asked for the asbestos survey")
    assert queue(officer_client, "/enquiries/", "bins") == {enquiry.reference}
    assert queue(officer_client, "/ombudsman/", "asbestos survey") == {case.reference}
    assert queue(officer_client, "/ombudsman/", "bins") == set()


@pytest.fixture
def mouldy(officer, worded):
    """Five complaints with the word "mould", each in another place, and one without it."""
    from casework.services import add_note

    noted, _ = worded  # "mould" in a note
    described = log_complaint(description="Black mould on the ceiling")
    summarised = log_complaint(summary="Mould in the kitchen")
    outcome = log_complaint(outcome_wanted="Treat the mould")
    twice = log_complaint(summary="Mouldy bathroom")
    add_note(twice, officer, "Mould again, photos taken")
    log_complaint(summary="Broken gate")
    return {noted.reference, described.reference, summarised.reference, outcome.reference, twice.reference}


@pytest.mark.parametrize("broad", [10_000, 3], ids=["as a list of ids", "broad, checked case by case"])
def test_a_search_finds_the_same_cases_however_many_match(officer, officer_client, mouldy, monkeypatch, broad):
    """However many cases a search matches, the queue and the API show the same ones in the queue's order; only
    a broad one's count stops sooner (here at 2, so its pages end there)."""
    monkeypatch.setattr(search, "BROAD_ROWS", broad)
    monkeypatch.setattr(search, "BROAD_COUNT_CAP", 2)
    in_queue_order = [c.reference for c in Complaint.objects.filter(reference__in=mouldy).order_by(*queue_order())]
    page = officer_client.get("/complaints/", {"q": "mould", "state": "all"}).context["page"]
    if broad == 3:
        assert (page.paginator.shown_count, [c.reference for c in page]) == ("More than 2", in_queue_order[:2])
    else:
        assert (page.paginator.shown_count, [c.reference for c in page]) == ("5", in_queue_order)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    rows = api.get("/api/v1/complaints/", {"q": "mould", "state": "all"}).json()["results"]
    assert [row["reference"] for row in rows] == in_queue_order


def test_find_a_resident_by_one_name_lists_the_first_fifty_in_name_order_ignoring_case(officer_client):
    # Whether the name begins the last name, the first name or the email, each resident once, by last name then
    # first name whatever their capitals; a common surname's first fifty.
    ResidentFactory(first_name="Zed", last_name="smith")
    ResidentFactory(first_name="Amy", last_name="SMITH")
    ResidentFactory(first_name="Bob", last_name="Smith", email="smith.bob@example.org")
    ResidentFactory(first_name="Smithy", last_name="Adams")
    ResidentFactory(first_name="Ann", last_name="Cole", email="smith.ann@example.org")
    ResidentFactory(first_name="Sam", last_name="Jones")

    def found(typed):
        page = officer_client.get("/complaints/residents/", {"q": typed})
        assert page.status_code == 200
        return [(r.last_name, r.first_name) for r in page.context["residents"]]

    expected = [("Adams", "Smithy"), ("Cole", "Ann"), ("SMITH", "Amy"), ("Smith", "Bob"), ("smith", "Zed")]
    assert found("smith") == found("SMITH") == expected
    assert found("smi") == expected
    assert found("jones") == [("Jones", "Sam")]
    assert found("nobody") == []
    for n in range(55):
        ResidentFactory(first_name=f"Kit{n:02d}", last_name="Smithson")
    assert found("smithson") == [("Smithson", f"Kit{n:02d}") for n in range(50)]
    assert found("smith")[:5] == expected
    assert len(found("smith")) == 50


@pytest.mark.parametrize(
    "broad",
    [10_000, 6, 3],
    ids=["as a list of ids", "broad, found so by every part", "broad, found so by the names alone"],
)
def test_a_search_finds_the_same_cases_however_it_is_found_broad(officer, officer_client, monkeypatch, broad):
    """A search is broad when its parts match BROAD_ROWS rows; the names (reached through the case's resident) are
    counted first and may decide it alone. However it is decided, the same cases are shown in the queue's order:
    those of the residents named, those whose summary or notes name them, one with no resident at all."""
    from casework.services import add_note
    from complaints import services

    monkeypatch.setattr(search, "BROAD_ROWS", broad)
    okafors = [log_complaint(resident=ResidentFactory(first_name="Amina", last_name="Okafor")) for _ in range(3)]
    in_summary = log_complaint(summary="Okafor's fence", resident=ResidentFactory(last_name="Reed"))
    in_note = log_complaint(resident=ResidentFactory(last_name="Reed"))
    add_note(in_note, officer, "Spoke to Mrs Okafor next door")
    first = okafors[0]
    no_resident = services.log_complaint(
        actor=officer,
        received_on=first.received_on,
        channel=first.channel,
        service_area=first.service_area,
        issue_nature=first.issue_nature,
        complaint_type=first.complaint_type,
        summary="Okafor family's hedge",
        description="A neighbour's hedge.",
        outcome_wanted="Cut it back.",
    )
    log_complaint(resident=ResidentFactory(first_name="Okay", last_name="Nowak"), summary="Fence")
    wanted = {c.reference for c in [*okafors, in_summary, in_note, no_resident]}
    in_queue_order = [c.reference for c in Complaint.objects.filter(reference__in=wanted).order_by(*queue_order())]

    page = officer_client.get("/complaints/", {"q": "Okafor", "state": "all"}).context["page"]
    assert [c.reference for c in page] == in_queue_order
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    rows = api.get("/api/v1/complaints/", {"q": "Okafor", "state": "all"}).json()["results"]
    assert [row["reference"] for row in rows] == in_queue_order
    assert queue(officer_client, "/complaints/", "Amina Okafor") == {c.reference for c in okafors}


@pytest.mark.parametrize("broad", [10_000, 1], ids=["as a list of ids", "broad"])
def test_a_postcode_finds_the_same_cases_however_many_match(officer_client, monkeypatch, broad):
    """An outward code finds the cases at a home there and those of residents living there, as a list or, broad,
    tested on each case through its home and its resident's."""
    monkeypatch.setattr(search, "BROAD_ROWS", broad)
    there = PropertyFactory(postcode="SW1A 1AA")
    elsewhere = PropertyFactory(postcode="E2 8DD")
    lives_there = log_complaint(resident=ResidentFactory(home=there))
    about_there = log_complaint(resident=ResidentFactory(home=elsewhere), home=there)
    log_complaint(resident=ResidentFactory(home=elsewhere), home=elsewhere)
    assert queue(officer_client, "/complaints/", "sw1a") == {lives_there.reference, about_there.reference}
