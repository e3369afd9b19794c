"""The repeat-upheld flag (same resident, property or issue nature within 12 months) and the managers' list."""

import pytest
from django.core.exceptions import PermissionDenied

from casework.models import IssueNature
from casework.services import DomainError
from learning import services
from learning.models import RootCauseReview
from tests.factories import IssueNatureFactory, ResidentFactory
from tests.learning.conftest import D, responded

pytestmark = pytest.mark.django_db


@pytest.fixture
def natures(repairs, rents):
    return (
        IssueNatureFactory(name="Responsive Repairs (Mears)", service_area=repairs),
        IssueNatureFactory(name="Rents", service_area=rents),
    )


def test_the_same_issue_nature_alone_flags_a_repeat_within_12_months(natures):
    repairs_nature, rents_nature = natures
    first = responded(D("2024-06-10"), "upheld", nature=repairs_nature).complaint
    other_resident = responded(D("2025-05-06"), "partly_upheld", nature=repairs_nature).complaint
    assert other_resident.resident_id != first.resident_id and other_resident.home_id != first.home_id
    other_resident.refresh_from_db()
    assert other_resident.repeat_upheld is True
    match = other_resident.repeat_matches.get()
    assert (match.earlier, match.same_resident, match.same_property, match.same_issue_nature) == (
        first,
        False,
        False,
        True,
    )
    assert other_resident.timeline.get(kind="repeat_upheld").summary.startswith(
        "Upheld again within 12 months for the same issue nature"
    )

    different_nature = responded(D("2025-05-07"), "upheld", nature=rents_nature).complaint
    different_nature.refresh_from_db()
    assert different_nature.repeat_upheld is False


def test_more_than_12_months_later_is_not_a_repeat(natures):
    repairs_nature, _ = natures
    resident = ResidentFactory()
    responded(D("2024-05-02"), "upheld", nature=repairs_nature, resident=resident)
    later = responded(D("2025-05-06"), "upheld", nature=repairs_nature, resident=resident).complaint
    later.refresh_from_db()
    assert later.repeat_upheld is False


def test_the_same_resident_about_another_issue_is_a_repeat(natures):
    repairs_nature, rents_nature = natures
    resident = ResidentFactory()
    first = responded(D("2025-01-20"), "upheld", nature=repairs_nature, resident=resident).complaint
    second = responded(D("2025-05-06"), "upheld", nature=rents_nature, resident=resident).complaint
    match = second.repeat_matches.get()
    assert match.earlier == first and match.same_resident and match.same_property and not match.same_issue_nature


def test_a_busy_issue_nature_keeps_only_the_latest_matches(natures):
    repairs_nature, _ = natures
    for day in ("2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03"):
        responded(D(day), "upheld", nature=repairs_nature)
    latest = responded(D("2025-05-06"), "upheld", nature=repairs_nature).complaint
    assert latest.repeat_matches.count() == 3


def test_managers_list_filters_and_root_cause(natures, manager, officer, manager_client):
    repairs_nature, rents_nature = natures
    resident = ResidentFactory()
    responded(D("2025-01-20"), "upheld", nature=repairs_nature, resident=resident)
    same_person = responded(D("2025-05-06"), "upheld", nature=rents_nature, resident=resident).complaint
    responded(D("2025-02-03"), "upheld", nature=rents_nature)
    nature_only = responded(D("2025-05-07"), "upheld", nature=rents_nature).complaint

    from learning import selectors

    def listed(**data):
        return [c.reference for c in selectors.repeat_upheld(data).qs]

    assert listed() == [nature_only.reference, same_person.reference]
    assert listed(shares="person") == [same_person.reference]
    assert listed(shares="issue_nature") == [nature_only.reference]
    assert listed(review="awaiting") == [nature_only.reference, same_person.reference]

    with pytest.raises(PermissionDenied):
        services.record_root_cause(same_person, actor=officer, cause="x")
    not_flagged = responded(D("2025-05-08"), "upheld", nature=IssueNature.objects.create(name="Caretaking")).complaint
    with pytest.raises(DomainError, match="not flagged"):
        services.record_root_cause(not_flagged, actor=manager, cause="x")

    page = manager_client.get("/learning/repeat-upheld/?shares=person")
    assert page.status_code == 200
    assert same_person.reference in page.content.decode() and nature_only.reference not in page.content.decode()
    response = manager_client.post(
        f"/learning/repeat-upheld/{same_person.reference}/", {"cause": "Rent account errors follow missed repairs."}
    )
    assert response.status_code == 302
    assert RootCauseReview.objects.get().complaint == same_person
    assert listed(review="awaiting") == [nature_only.reference]
    assert listed(review="reviewed") == [same_person.reference]


def test_the_list_is_for_managers(officer_client):
    assert officer_client.get("/learning/repeat-upheld/").status_code == 403
    assert officer_client.get("/api/v1/learning/repeat-upheld/").status_code == 403


def test_the_api_lists_repeats_for_managers(natures, manager_client):
    repairs_nature, _ = natures
    first = responded(D("2025-01-20"), "upheld", nature=repairs_nature)
    second = responded(D("2025-05-06"), "upheld", nature=repairs_nature)
    body = manager_client.get("/api/v1/learning/repeat-upheld/").json()
    assert [row["reference"] for row in body["results"]] == [second.complaint.reference]
    assert body["results"][0]["matches"] == [
        {
            "earlier": first.complaint.reference,
            "same_resident": False,
            "same_property": False,
            "same_issue_nature": True,
        }
    ]
