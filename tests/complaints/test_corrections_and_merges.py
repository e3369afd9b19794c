"""Correcting a complaint after logging, possible duplicates at intake, merging a duplicate into the complaint it
repeats, and links between cases: through the services, the pages and the API."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from casework import search
from casework import selectors as case_selectors
from casework.models import CaseLink, CaseLinkKind, Note, TimelineEvent
from casework.services import add_note, link_cases, unlink_cases
from complaints import selectors, services
from complaints.models import Complaint, ComplaintStatus
from reporting import selectors as reports
from reporting.models import ComplaintStageFact
from sla.models import Clock
from tests.factories import (
    IssueNatureFactory,
    PropertyFactory,
    ResidentFactory,
    ServiceAreaFactory,
    log_complaint,
    make_office,
    submit_enquiry,
)

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def on_day(day, hour=10):
    """The clock pinned to a working morning: merges and corrections are dated today."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00"), tick=False)


def events(case, kind):
    return list(TimelineEvent.objects.filter(case=case, kind=kind).values_list("summary", flat=True))


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Correcting the details ---------------------------------------------------------------------------


def edit_input(complaint, **changes):
    """The edit page's input: every field as it stands, with `changes`."""
    data = {
        "channel": complaint.channel,
        "service_area": complaint.service_area,
        "issue_nature": complaint.issue_nature,
        "complaint_type": complaint.complaint_type,
        "summary": complaint.summary,
        "description": complaint.description,
        "outcome_wanted": complaint.outcome_wanted,
        "issue_occurred_on": complaint.issue_occurred_on,
        "staff_named": complaint.staff_named,
        "home": complaint.home,
        "resident_email": complaint.resident.email,
        "resident_phone": complaint.resident.phone,
        "reason": "Logged in a hurry on the phone",
    }
    data.update(changes)
    return data


def test_correcting_details_records_each_change_from_what_to_what(officer):
    complaint = log_complaint(actor=officer, channel="email", resident=ResidentFactory(phone=""))
    damp = IssueNatureFactory(name="Damp and mould", service_area=complaint.service_area)
    home = PropertyFactory(uprn="100023336956")
    services.edit_details(
        complaint,
        actor=officer,
        **edit_input(
            complaint,
            channel="phone",
            issue_nature=damp,
            summary="Damp in the back bedroom",
            home=home,
            resident_phone="07700 900123",
        ),
    )
    complaint.refresh_from_db()
    assert (complaint.channel, complaint.issue_nature, complaint.summary, complaint.home) == (
        "phone",
        damp,
        "Damp in the back bedroom",
        home,
    )
    assert complaint.resident.phone == "07700 900123"
    [entry] = TimelineEvent.objects.filter(case=complaint, kind="edit")
    assert "How it was made from Email to Phone" in entry.summary
    assert "Issue nature from Responsive Repairs (Mears) to Damp and mould" in entry.summary
    assert "Summary from Leak under the kitchen sink not fixed to Damp in the back bedroom" in entry.summary
    assert "Resident's phone number from (none) to 07700 900123" in entry.summary
    assert "Why: Logged in a hurry on the phone" in entry.summary
    assert entry.data["changes"]["channel"] == ["email", "phone"]
    assert entry.data["changes"]["issue_nature"][1] == damp.pk
    # The reports' facts follow the correction (the workflow's hook).
    assert set(ComplaintStageFact.objects.filter(complaint=complaint).values_list("issue_nature", flat=True)) == {
        damp.pk
    }


def test_correcting_nothing_or_breaking_a_rule_writes_nothing(officer):
    complaint = log_complaint(actor=officer)
    with pytest.raises(services.InvalidInput) as nothing:
        services.edit_details(complaint, actor=officer, **edit_input(complaint))
    assert "Nothing was changed" in str(nothing.value)
    with pytest.raises(services.InvalidInput) as late:
        services.edit_details(
            complaint,
            actor=officer,
            **edit_input(complaint, issue_occurred_on=D("2025-05-01"), summary="  ", reason=""),
        )
    assert set(late.value.problems) == {"issue_occurred_on", "summary", "reason"}
    assert not TimelineEvent.objects.filter(case=complaint, kind="edit").exists()


def test_a_service_area_of_another_scheme_is_refused_with_the_way_to_move_it(officer):
    complaint = log_complaint(actor=officer)
    from casework.models import Ombudsman

    parking = ServiceAreaFactory(name="Parking", ombudsman=Ombudsman.LGSCO)
    with pytest.raises(services.InvalidInput) as refused:
        services.edit_details(complaint, actor=officer, **edit_input(complaint, service_area=parking))
    assert "Move to another scheme" in refused.value.problems["service_area"][0]
    complaint.refresh_from_db()
    assert complaint.service_area.name == "Responsive Repairs"


def test_a_closed_complaint_cannot_be_corrected(officer):
    complaint = services.withdraw(log_complaint(actor=officer), actor=officer, on=D("2025-04-18"), reason="Phoned")
    with pytest.raises(services.NotAllowed, match="'withdrawn' cannot be corrected"):
        services.edit_details(complaint, actor=officer, **edit_input(complaint, summary="Other"))


def test_the_edit_page_shows_the_details_and_saves_a_correction(officer_client, officer):
    complaint = log_complaint(actor=officer)
    page = officer_client.get(f"/complaints/{complaint.reference}/edit/")
    assert page.status_code == 200
    assert b"Leak under the kitchen sink not fixed" in page.content  # the current summary, ready to correct
    form = {
        "channel": "phone",
        "service_area": complaint.service_area_id,
        "issue_nature": complaint.issue_nature_id,
        "complaint_type": complaint.complaint_type,
        "summary": "Leak under the sink",
        "description": complaint.description,
        "outcome_wanted": complaint.outcome_wanted,
        "resident_email": complaint.resident.email,
        "reason": "Typo",
    }
    bad = officer_client.post(f"/complaints/{complaint.reference}/edit/", {**form, "home": "999"})
    assert bad.status_code == 400
    assert b"No property has that UPRN" in bad.content
    done = officer_client.post(f"/complaints/{complaint.reference}/edit/", form)
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.summary, complaint.channel) == ("Leak under the sink", "phone")


def test_the_api_corrects_the_details(officer):
    complaint = log_complaint(actor=officer)
    home = PropertyFactory(uprn="100023336957")
    body = {
        "channel": "letter",
        "service_area": complaint.service_area_id,
        "issue_nature": complaint.issue_nature_id,
        "complaint_type": complaint.complaint_type,
        "summary": complaint.summary,
        "description": "Three reports of the leak since March.",
        "outcome_wanted": complaint.outcome_wanted,
        "home": "100023336957",
        "reason": "The resident's letter said more",
    }
    answer = api_as(officer).post(f"/api/v1/complaints/{complaint.reference}/edit/", body, format="json")
    assert answer.status_code == 200, answer.content
    complaint.refresh_from_db()
    assert (complaint.channel, complaint.description, complaint.home) == (
        "letter",
        "Three reports of the leak since March.",
        home,
    )
    unknown = api_as(officer).post(
        f"/api/v1/complaints/{complaint.reference}/edit/", {**body, "home": "999"}, format="json"
    )
    assert unknown.status_code == 400 and "home" in unknown.json()


# --- Possible duplicates at intake --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other", "similar"),
    [
        ("Leak under the kitchen sink not fixed", "Kitchen sink leaks again", True),
        ("Damp", "Damp and mould in the bedroom", True),
        ("Window repair not done", "Repair to the front door", False),
        ("Rude officer on the phone", "Leak under the kitchen sink", False),
        ("The complaint", "A complaint about the council", False),  # nothing significant to compare
    ],
)
def test_similar_summaries_share_their_significant_words(one, other, similar):
    assert search.similar_summaries(one, other) is similar


def test_possible_duplicates_are_the_residents_recent_similar_complaints(officer):
    resident = ResidentFactory(email="ada@example.org", phone="07700 900123")
    recent = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-10"))
    log_complaint(actor=officer, resident=resident, received_on=D("2025-03-01"))  # 47 days before
    log_complaint(actor=officer, resident=resident, received_on=D("2025-04-11"), summary="Rude caretaker")
    log_complaint(actor=officer, received_on=D("2025-04-12"))  # someone else
    found = selectors.possible_duplicates(resident=resident, received_on=D("2025-04-17"), summary="Kitchen leak")
    assert found == [recent]
    # A resident typed in afresh is matched by their phone number or email address.
    assert selectors.possible_duplicates(
        phone="+44 7700 900123", received_on=D("2025-04-17"), summary="Sink leak in the kitchen"
    ) == [recent]
    assert selectors.possible_duplicates(
        email="ADA@example.org", received_on=D("2025-04-17"), summary="Sink leak in the kitchen"
    ) == [recent]
    assert selectors.possible_duplicates(received_on=D("2025-04-17"), summary="Sink leak") == []


def _log_form(resident, **overrides):
    area = ServiceAreaFactory(name="Responsive Repairs")
    nature = IssueNatureFactory(name="Responsive Repairs (Mears)", service_area=area)
    return {
        "existing_resident": resident.pk,
        "received_on": "2025-04-17",
        "channel": "phone",
        "service_area": area.pk,
        "issue_nature": nature.pk,
        "complaint_type": "delay",
        "summary": "Kitchen sink leaking again",
        "description": "Phoned again about the leak.",
        "outcome_wanted": "Fix it.",
        **overrides,
    }


def test_logging_a_possible_duplicate_asks_first_and_writes_nothing_until_confirmed(officer_client, officer):
    resident = ResidentFactory()
    earlier = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-14"))
    before = Complaint.objects.count()
    with on_day("2025-04-17"):
        asked = officer_client.post("/complaints/new/", _log_form(resident))
        assert asked.status_code == 200
        assert b"Possible duplicates" in asked.content
        assert earlier.reference.encode() in asked.content
        assert b"confirm this is a new one" in asked.content
        assert Complaint.objects.count() == before
        logged = officer_client.post("/complaints/new/", _log_form(resident, not_a_duplicate="on"))
    assert logged.status_code == 302
    assert Complaint.objects.count() == before + 1


def test_a_complaint_with_no_similar_one_logs_at_once(officer_client, officer):
    resident = ResidentFactory()
    log_complaint(actor=officer, resident=resident, received_on=D("2025-04-14"))
    with on_day("2025-04-17"):
        logged = officer_client.post("/complaints/new/", _log_form(resident, summary="Rude caretaker"))
    assert logged.status_code == 302


# --- Merging a duplicate ------------------------------------------------------------------------------


def test_merging_closes_the_duplicate_stops_its_clocks_and_keeps_both_histories(officer):
    resident = ResidentFactory()
    survivor = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-14"))
    duplicate = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-17"))
    add_note(duplicate, officer, "Resident rang again about the sink")
    with on_day("2025-04-18"):
        merged = services.merge(duplicate, into=survivor, actor=officer, reason="Same leak, phoned twice")
    assert merged.status == ComplaintStatus.MERGED
    assert merged.merged_into == survivor and merged.merged_on == D("2025-04-18")
    assert merged.closed_at is not None
    assert not Clock.objects.filter(case=duplicate, stopped_on__isnull=True).exists()
    assert set(Clock.objects.filter(case=duplicate).values_list("stopped_on", flat=True)) == {D("2025-04-18")}
    # Its notes move to the surviving complaint; both histories say so, and a link joins them.
    assert list(Note.objects.filter(case=survivor).values_list("body", flat=True)) == [
        "Resident rang again about the sink"
    ]
    assert "Merged into " + survivor.reference in events(duplicate, "merge")[0]
    assert (
        duplicate.reference + " (Leak under the kitchen sink not fixed) merged into this complaint"
        in (events(survivor, "merged_in")[0])
    )
    [link] = CaseLink.objects.all()
    assert link.kind == CaseLinkKind.MERGED and {link.case_id, link.other_id} == {survivor.pk, duplicate.pk}
    assert list(selectors.merged_duplicates_of(survivor)) == [duplicate]
    with pytest.raises(services.NotAllowed, match="merge"):
        unlink_cases(link, reason="Tidy", actor=officer)


def test_a_merged_duplicate_counts_in_no_figure(officer):
    from reporting.models import StockCount

    home = PropertyFactory(stock_type="lcra")
    resident = ResidentFactory(home=home)
    StockCount.objects.create(reporting_year=2025, stock_type="lcra", homes=1000)
    survivor = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-14"))
    duplicate = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-17"))
    withdrawn = services.withdraw(
        log_complaint(actor=officer, resident=resident, received_on=D("2025-04-16"), summary="Rude caretaker"),
        actor=officer,
        on=D("2025-04-17"),
        reason="Phoned to withdraw",
    )
    assert withdrawn.status == ComplaintStatus.WITHDRAWN

    def stage_1_received():
        [lcra] = [row for row in reports.tenant_satisfaction(2025)["measures"] if row["stock_type"] == "lcra"]
        return lcra["stage_1_received"], lcra["ch01_1"]

    assert stage_1_received() == (3, 3.0)
    services.acknowledge(duplicate, on=D("2025-04-18"), actor=officer)
    year = reports.financial_year(2025)
    assert reports.acknowledgement_timeliness(year)["made"] == 1
    with on_day("2025-04-18"):
        services.merge(duplicate, into=survivor, actor=officer, reason="Same leak")
    assert reports.acknowledgement_timeliness(year)["made"] == 0
    # The duplicate is gone from CH01; a withdrawn complaint was still a complaint made, and stays.
    assert stage_1_received() == (2, 2.0)
    assert not ComplaintStageFact.objects.filter(complaint=duplicate).exists()
    # The nightly check agrees: a full recomputation leaves the merged duplicate out too.
    from reporting import facts

    facts.refresh_all()
    assert stage_1_received() == (2, 2.0)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "cannot be merged into itself"),
        ("closed", "merge only into an open complaint"),
        ("merged", "was itself merged into another complaint"),
        ("unknown", "No complaint you can see has that reference"),
        ("other resident", "a different resident record: confirm"),
    ],
)
def test_merges_that_are_refused_write_nothing(officer, case, message):
    resident = ResidentFactory(first_name="Ada", last_name="Lovelace", title="")
    duplicate = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-17"))
    into = {
        "itself": lambda: duplicate.reference,
        "closed": lambda: (
            services.withdraw(
                log_complaint(actor=officer, resident=resident), actor=officer, on=D("2025-04-18"), reason="Withdrawn"
            ).reference
        ),
        "merged": lambda: (
            services.merge(
                log_complaint(actor=officer, resident=resident),
                into=log_complaint(actor=officer, resident=resident),
                actor=officer,
                reason="Twice",
            ).reference
        ),
        "unknown": lambda: "CMP-1999-000001",
        "other resident": lambda: log_complaint(actor=officer).reference,
    }[case]()
    before = TimelineEvent.objects.filter(case=duplicate).count()
    with pytest.raises(services.InvalidInput, match=message):
        services.merge(duplicate, into=into, actor=officer, reason="Same complaint")
    duplicate.refresh_from_db()
    assert duplicate.status == ComplaintStatus.RECEIVED and duplicate.merged_into is None
    assert TimelineEvent.objects.filter(case=duplicate).count() == before
    assert Clock.objects.filter(case=duplicate, stopped_on__isnull=True).exists()


def test_a_merge_across_residents_goes_ahead_once_confirmed(officer):
    duplicate = log_complaint(actor=officer)
    survivor = log_complaint(actor=officer)
    with on_day("2025-04-18"):
        merged = services.merge(
            duplicate,
            into=survivor,
            actor=officer,
            reason="Same person, two records",
            different_resident_confirmed=True,
        )
    assert merged.merged_into == survivor


def test_a_merged_complaint_cannot_be_merged_again(officer):
    resident = ResidentFactory()
    survivor = log_complaint(actor=officer, resident=resident)
    duplicate = services.merge(
        log_complaint(actor=officer, resident=resident), into=survivor, actor=officer, reason="Twice"
    )
    with pytest.raises(services.NotAllowed, match="'merged into another complaint' cannot be merged"):
        services.merge(duplicate, into=log_complaint(actor=officer, resident=resident), actor=officer, reason="Again")


def test_the_merge_page_and_both_complaint_pages(officer_client, officer):
    resident = ResidentFactory()
    survivor = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-14"))
    duplicate = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-17"), summary="Sink leaking")
    page = officer_client.get(f"/complaints/{duplicate.reference}/merge/")
    assert page.status_code == 200
    itself = officer_client.post(
        f"/complaints/{duplicate.reference}/merge/", {"into": duplicate.reference, "reason": "Same"}
    )
    assert itself.status_code == 400
    assert b"cannot be merged into itself" in itself.content
    with on_day("2025-04-18"):
        done = officer_client.post(
            f"/complaints/{duplicate.reference}/merge/", {"into": survivor.reference.lower(), "reason": "Same leak"}
        )
    assert done.status_code == 302
    surviving_page = officer_client.get(survivor.get_absolute_url()).content.decode()
    assert "Duplicates merged into this complaint" in surviving_page
    assert "Complaint received by email" in surviving_page  # the duplicate's own history, shown here
    assert duplicate.reference in surviving_page
    duplicate_page = officer_client.get(duplicate.get_absolute_url()).content.decode()
    assert f'into <a href="{survivor.get_absolute_url()}">{survivor.reference}</a>' in duplicate_page
    assert "Related cases" in duplicate_page and survivor.reference in duplicate_page
    # Merged: nothing more to do on it but what a closed case allows.
    assert f"/complaints/{duplicate.reference}/merge/" not in duplicate_page
    again = officer_client.post(
        f"/complaints/{duplicate.reference}/merge/", {"into": survivor.reference, "reason": "Same"}
    )
    assert again.status_code == 409


def test_the_api_merges_and_refuses(officer):
    resident = ResidentFactory()
    survivor = log_complaint(actor=officer, resident=resident)
    duplicate = log_complaint(actor=officer, resident=resident)
    client = api_as(officer)
    url = f"/api/v1/complaints/{duplicate.reference}/merge/"
    refused = client.post(url, {"into": duplicate.reference, "reason": "Same"}, format="json")
    assert refused.status_code == 400
    assert "itself" in str(refused.json())
    merged = client.post(url, {"into": survivor.reference, "reason": "Same"}, format="json")
    assert merged.status_code == 200, merged.content
    assert client.post(url, {"into": survivor.reference, "reason": "Same"}, format="json").status_code == 409


# --- Links between cases ------------------------------------------------------------------------------


def test_any_two_cases_can_be_linked_and_unlinked_with_a_reason(officer):
    complaint = log_complaint(actor=officer)
    enquiry = submit_enquiry(make_office()[1])
    link = link_cases(complaint, enquiry, reason="The MP wrote about the same leak", actor=officer)
    assert [other.pk for _, other in case_selectors.links_of(complaint)] == [enquiry.pk]
    assert events(complaint, "case_linked") == [
        f"Linked to members' enquiry {enquiry.reference}: The MP wrote about the same leak"
    ]
    assert events(enquiry, "case_linked") == [
        f"Linked to complaint {complaint.reference}: The MP wrote about the same leak"
    ]
    with pytest.raises(services.InvalidInput, match="already linked"):
        link_cases(enquiry, complaint, reason="Again", actor=officer)
    with pytest.raises(services.InvalidInput, match="itself"):
        link_cases(complaint, complaint, reason="Me", actor=officer)
    with pytest.raises(services.InvalidInput, match="Say why"):
        unlink_cases(link, reason=" ", actor=officer)
    unlink_cases(link, reason="A different leak after all", actor=officer)
    assert not CaseLink.objects.exists()
    assert events(enquiry, "case_unlinked") == [
        f"Link to complaint {complaint.reference} removed: A different leak after all"
    ]


def test_links_are_added_and_removed_from_a_case_page(officer_client, officer):
    complaint = log_complaint(actor=officer)
    other = log_complaint(actor=officer, summary="Boiler broken")
    missing = officer_client.post(f"/cases/{complaint.reference}/links/", {"reference": "NOPE-1", "reason": "x"})
    assert missing.status_code == 302
    assert not CaseLink.objects.exists()
    added = officer_client.post(
        f"/cases/{complaint.reference}/links/", {"reference": other.reference, "reason": "Same block"}, follow=True
    )
    assert f"Linked to {other.reference}." in added.content.decode()
    other_page = officer_client.get(other.get_absolute_url()).content.decode()
    assert complaint.reference in other_page and "Same block" in other_page
    link = CaseLink.objects.get()
    refused = officer_client.post(f"/cases/{other.reference}/links/{link.pk}/remove/", {"reason": ""}, follow=True)
    assert "Say why the link is removed." in refused.content.decode()
    assert CaseLink.objects.exists()
    officer_client.post(f"/cases/{other.reference}/links/{link.pk}/remove/", {"reason": "Not the same block"})
    assert not CaseLink.objects.exists()
    # A link of other cases is not found from this case's page.
    link = link_cases(other, log_complaint(actor=officer), reason="x", actor=officer)
    assert (
        officer_client.post(f"/cases/{complaint.reference}/links/{link.pk}/remove/", {"reason": "x"}).status_code == 404
    )


def test_an_investigating_officer_sees_no_duplicate_or_link_outside_their_services(officer):
    from casework.models import OfficerProfile
    from casework.roles import Role
    from tests.factories import UserFactory

    repairs = ServiceAreaFactory(name="Responsive Repairs")
    parking = ServiceAreaFactory(name="Estate Parking")
    investigator = UserFactory(username="ivy", role=Role.INVESTIGATING_OFFICER)
    profile, _ = OfficerProfile.objects.get_or_create(user=investigator)
    profile.service_areas.add(repairs)
    resident = ResidentFactory()
    theirs = log_complaint(
        actor=officer,
        resident=resident,
        service_area=parking,
        issue_nature=IssueNatureFactory(name="Parking", service_area=parking),
        summary="Kitchen sink leak",
    )
    ours = log_complaint(actor=officer, resident=resident, service_area=repairs, received_on=D("2025-04-15"))
    found = selectors.possible_duplicates(
        resident=resident, received_on=D("2025-04-17"), summary="Kitchen sink leak", user=investigator
    )
    assert found == [ours]
    link_cases(ours, theirs, reason="Same resident", actor=officer)
    assert case_selectors.links_of(ours, investigator) == []
    assert [other.pk for _, other in case_selectors.links_of(ours, officer)] == [theirs.pk]


def test_undoing_a_merge_makes_the_complaint_its_own_again_with_what_moved(officer, officer_client):
    from reporting.models import StockCount

    resident = ResidentFactory(home=PropertyFactory(stock_type="lcra"))
    StockCount.objects.create(reporting_year=2025, stock_type="lcra", homes=1000)
    survivor = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-14"))
    duplicate = log_complaint(actor=officer, resident=resident, received_on=D("2025-04-17"), summary="Rude caretaker")
    services.acknowledge(duplicate, on=D("2025-04-18"), actor=officer)
    add_note(duplicate, officer, "Caretaker swore at the resident")
    with on_day("2025-04-22"):
        services.merge(duplicate, into=survivor, actor=officer, reason="Same call")
    add_note(survivor, officer, "Written after the merge")

    def stage_1_received():
        [lcra] = [row for row in reports.tenant_satisfaction(2025)["measures"] if row["stock_type"] == "lcra"]
        return lcra["stage_1_received"]

    assert stage_1_received() == 1
    assert (
        f"/complaints/{duplicate.reference}/unmerge/"
        in officer_client.get(duplicate.get_absolute_url()).content.decode()
    )
    refused = officer_client.post(f"/complaints/{duplicate.reference}/unmerge/", {"reason": " "})
    assert refused.status_code == 400 and b"Say why the merge is undone." in refused.content
    with on_day("2025-04-24"):
        done = officer_client.post(
            f"/complaints/{duplicate.reference}/unmerge/", {"reason": "Not the same complaint after all"}
        )
    assert done.status_code == 302
    duplicate = Complaint.objects.get(pk=duplicate.pk)
    # Open again where its stage was (acknowledged), its response deadline running again from the day.
    assert (duplicate.status, duplicate.merged_into, duplicate.merged_on, duplicate.closed_at) == (
        ComplaintStatus.ACKNOWLEDGED,
        None,
        None,
        None,
    )
    [running] = Clock.objects.filter(case=duplicate, stopped_on__isnull=True)
    assert running.started_on == D("2025-04-24")
    # What the merge moved comes back; what was written on the other complaint since stays there.
    assert list(Note.objects.filter(case=duplicate).values_list("body", flat=True)) == [
        "Caretaker swore at the resident"
    ]
    assert list(Note.objects.filter(case=survivor).values_list("body", flat=True)) == ["Written after the merge"]
    assert not CaseLink.objects.exists()
    assert (
        "The merge into " + survivor.reference + " is undone: Not the same complaint after all."
        in (events(duplicate, "unmerge")[0])
    )
    assert events(survivor, "merge_undone") == [
        f"{duplicate.reference} is no longer merged into this complaint: Not the same complaint after all. "
        "Its 1 note went back to it."
    ]
    # Counted as a complaint of its own again, and it can be merged again.
    assert stage_1_received() == 2
    assert ComplaintStageFact.objects.filter(complaint=duplicate).exists()
    assert officer_client.post(f"/complaints/{duplicate.reference}/unmerge/", {"reason": "Again"}).status_code == 409
    assert "/unmerge/" not in officer_client.get(survivor.get_absolute_url()).content.decode()


def test_the_api_undoes_a_merge(officer):
    resident = ResidentFactory()
    survivor = log_complaint(actor=officer, resident=resident)
    duplicate = services.merge(
        log_complaint(actor=officer, resident=resident), into=survivor, actor=officer, reason="Same"
    )
    client = api_as(officer)
    url = f"/api/v1/complaints/{duplicate.reference}/unmerge/"
    assert client.post(url, {}, format="json").status_code == 400
    undone = client.post(url, {"reason": "Different leak"}, format="json")
    assert undone.status_code == 200, undone.content
    assert Complaint.objects.get(pk=duplicate.pk).merged_into is None
