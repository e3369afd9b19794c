"""The Code's rules on every action, through the API and the pages: each rule allowed and refused, with the
scenarios that broke them when the rules were checked in scattered places."""

import datetime

import pytest
from rest_framework.test import APIClient

from casework.models import Notification, OfficerProfile, TimelineEvent
from casework.roles import Role
from complaints import services
from complaints.models import ComplaintStatus, ExtensionRequest, StageHandler
from sla.models import Clock
from tests.factories import ResidentFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(complaint, action):
    return f"/api/v1/complaints/{complaint.reference}/{action}/"


def point(decision="upheld"):
    return [services.Point("The leak was not fixed", decision)]


@pytest.fixture
def amara():
    return UserFactory(username="amara", first_name="Amara", last_name="Okoye", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def tom():
    return UserFactory(username="tom", first_name="Tom", last_name="Reed", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def priya():
    return UserFactory(username="priya", first_name="Priya", last_name="Shah", role=Role.MANAGER)


@pytest.fixture
def sam():
    return UserFactory(username="sam", first_name="Sam", last_name="Cole", role=Role.MANAGER)


def at_stage_2(handler_1, *, handler_2=None):
    """A Code complaint answered at stage 1 by `handler_1` and escalated; stage 2 handled by `handler_2`."""
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=handler_1)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=handler_1)
    services.respond(complaint, actor=handler_1, on=D("2025-05-06"), summary="Sorry", points=point())
    complaint = services.escalate(complaint, actor=handler_1, requested_on=D("2025-05-08"), handler=handler_2)
    return services.acknowledge(complaint, on=D("2025-05-09"), actor=handler_2 or handler_1)


RESPONSE = {"on": "2025-05-20", "summary": "Reviewed", "points": [{"summary": "Leak", "decision": "upheld"}]}


# --- Stage 2 independence (Code 2024, 6.13) ----------------------------------------------------------------


def test_the_stage_1_handler_cannot_record_the_stage_2_response(amara, tom):
    complaint = at_stage_2(amara, handler_2=tom)
    refused = api_as(amara).post(url(complaint, "respond"), RESPONSE, format="json")
    assert refused.status_code == 403
    assert "handled an earlier stage" in refused.json()["detail"]
    # Tom, independent, answers; whoever records it is kept apart from who handled it.
    done = api_as(tom).post(url(complaint, "respond"), RESPONSE, format="json")
    assert done.status_code == 200, done.json()
    stage = complaint.stages.get(number=2)
    assert (stage.handler, stage.responded_by) == (tom, tom)


def test_a_stage_2_response_needs_a_stage_2_handler(amara, priya):
    complaint = at_stage_2(amara)  # escalated with nobody assigned to stage 2
    refused = api_as(priya).post(url(complaint, "respond"), RESPONSE, format="json")
    assert refused.status_code == 409
    assert "Assign stage 2" in refused.json()["detail"]
    assert "respond" not in api_as(priya).get(f"/api/v1/complaints/{complaint.reference}/").json()["allowed_actions"]


def test_an_officer_who_handled_stage_1_before_being_reassigned_cannot_handle_stage_2(amara, tom, priya):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    services.assign(complaint, tom, actor=priya)  # Amara handled stage 1 first, then Tom
    services.acknowledge(complaint, on=D("2025-04-22"), actor=tom)
    services.respond(complaint, actor=tom, on=D("2025-05-06"), summary="Sorry", points=point())
    assert list(StageHandler.objects.filter(stage__number=1).values_list("officer__username", flat=True)) == [
        "amara",
        "tom",
    ]
    complaint = services.escalate(complaint, actor=priya, requested_on=D("2025-05-08"))
    refused = api_as(priya).post(url(complaint, "assign"), {"handler": amara.pk}, format="json")
    assert refused.status_code == 400
    assert "handled an earlier stage" in refused.json()["handler"][0]
    assert api_as(priya).post(url(complaint, "assign"), {"handler": priya.pk}, format="json").status_code == 200


def test_a_stage_answered_by_someone_nobody_assigned_counts_them_as_its_handler(amara, tom):
    complaint = log_complaint(received_on=D("2025-04-17"))
    services.acknowledge(complaint, on=D("2025-04-22"), actor=amara)
    services.respond(complaint, actor=amara, on=D("2025-05-06"), summary="Sorry", points=point())
    complaint = services.escalate(complaint, actor=tom, requested_on=D("2025-05-08"))
    with pytest.raises(services.InvalidInput, match="handled an earlier stage"):
        services.assign(complaint, amara, actor=tom)


# --- An officer the resident lost trust in --------------------------------------------------------------


def test_a_barred_officer_is_refused_every_action_on_that_residents_cases(client, amara, tom):
    resident = ResidentFactory()
    complaint = log_complaint(resident=resident, received_on=D("2025-04-17"))
    services.bar_officer(resident, tom, reason="The resident lost trust after the 2023 case", actor=amara)
    acknowledged = api_as(tom).post(url(complaint, "acknowledge"), {"on": "2025-04-22"}, format="json")
    assert acknowledged.status_code == 403
    assert "must not handle this resident's cases" in acknowledged.json()["detail"]
    client.force_login(tom)
    page = client.post(f"/complaints/{complaint.reference}/acknowledge/", {"on": "2025-04-22"})
    assert page.status_code == 403 and "must not handle this resident" in page.content.decode()
    assert api_as(tom).get(f"/api/v1/complaints/{complaint.reference}/").json()["allowed_actions"] == []
    # A colleague goes on; the bar holds for the resident's other kinds of case too.
    assert api_as(amara).post(url(complaint, "acknowledge"), {"on": "2025-04-22"}, format="json").status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACKNOWLEDGED
    assert api_as(tom).post(url(complaint, "respond"), RESPONSE, format="json").status_code == 403


# --- Extensions (Code 2024, 5.7 and 6.11) -----------------------------------------------------------------


def extension(**changes):
    return {
        "granted_on": "2025-04-30",
        "reason": "The surveyor's report is due",
        "resident_told_on": "2025-04-30",
        "extra_working_days": 5,
        **changes,
    }


def test_an_extension_is_agreed_between_the_stage_start_and_its_deadline_and_told_after(amara):
    complaint = log_complaint(received_on=D("2025-11-28"), assigned_to=amara)
    services.acknowledge(complaint, on=D("2025-12-01"), actor=amara)  # response due 15 December 2025
    before = api_as(amara).post(
        url(complaint, "extend"), extension(granted_on="2025-11-01", resident_told_on="2025-11-01"), format="json"
    )
    assert before.status_code == 400
    assert "cannot be before Fri 28 Nov 2025" in before.json()["granted_on"][0]
    told_first = api_as(amara).post(
        url(complaint, "extend"), extension(granted_on="2025-12-05", resident_told_on="2025-12-04"), format="json"
    )
    assert told_first.status_code == 400 and "before the extension" in told_first.json()["resident_told_on"][0]
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    told_later = api_as(amara).post(
        url(complaint, "extend"), extension(granted_on="2025-12-05", resident_told_on=future), format="json"
    )
    assert told_later.status_code == 400 and "future" in told_later.json()["resident_told_on"][0]
    ok = api_as(amara).post(
        url(complaint, "extend"), extension(granted_on="2025-12-05", resident_told_on="2025-12-05"), format="json"
    )
    assert ok.status_code == 200


def test_an_extension_after_the_deadline_is_refused_and_the_late_response_stays_late(amara):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=amara)  # response due Wed 7 May 2025
    late = api_as(amara).post(
        url(complaint, "extend"), extension(granted_on="2025-05-09", resident_told_on="2025-05-09"), format="json"
    )
    assert late.status_code == 400
    assert "Record the late response instead" in late.json()["granted_on"][0]
    complaint = services.respond(complaint, actor=amara, on=D("2025-05-12"), summary="Sorry", points=point())
    assert complaint.stages.get().within_code_timescale is False


def test_beyond_the_cap_an_extension_waits_for_the_named_managers_own_approval(client, amara, priya, sam):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=amara)  # due Wed 7 May; the cap is 10
    asked = api_as(amara).post(
        url(complaint, "extend"),
        extension(extra_working_days=15, resident_told_on=None, manager=priya.pk),
        format="json",
    )
    assert asked.status_code == 200, asked.json()
    clock = Clock.objects.get(case=complaint, kind="response", stage=1)
    assert clock.due_on == D("2025-05-07")  # nothing moved yet
    request = ExtensionRequest.objects.get()
    assert (request.manager, request.status) == (priya, "pending")
    assert Notification.objects.filter(recipient=priya, kind="extension_request", case=complaint).exists()
    client.force_login(priya)
    assert complaint.reference in client.get("/work/").content.decode()  # in her work list
    # Another manager, or the officer who asked, cannot approve it.
    for other in (sam, amara):
        refused = api_as(other).post(
            url(complaint, "approve-extension"),
            {"approved_on": "2025-05-01", "good_reason": "Asked", "resident_told_on": "2025-05-01"},
            format="json",
        )
        assert refused.status_code == 403 and "Only Priya Shah" in refused.json()["detail"]
    no_reason = api_as(priya).post(
        url(complaint, "approve-extension"),
        {"approved_on": "2025-05-01", "resident_told_on": "2025-05-01"},
        format="json",
    )
    assert no_reason.status_code == 400 and "good_reason" in no_reason.json()
    approved = api_as(priya).post(
        url(complaint, "approve-extension"),
        {
            "approved_on": "2025-05-01",
            "good_reason": "The specialist survey takes three weeks",
            "resident_told_on": "2025-05-01",
        },
        format="json",
    )
    assert approved.status_code == 200, approved.json()
    clock.refresh_from_db()
    assert clock.due_on == D("2025-05-29")  # 15 working days after 7 May (26 May is a bank holiday)
    extension_row = clock.extensions.get()
    assert (extension_row.beyond_cap, extension_row.approved_by, extension_row.approval_reason) == (
        True,
        priya,
        "The specialist survey takes three weeks",
    )
    assert Notification.objects.filter(recipient=amara, kind="extension_decided").exists()


def test_a_declined_request_leaves_the_deadline_and_a_new_request_can_follow(amara, priya):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=amara)
    services.extend(
        complaint, actor=amara, granted_on=D("2025-04-30"), reason="x", extra_working_days=12, manager=priya
    )
    second = api_as(amara).post(url(complaint, "extend"), extension(), format="json")
    assert second.status_code == 409 and "waiting for Priya Shah's decision" in second.json()["detail"]
    services.decline_extension(complaint, actor=priya, reason="Answer what you can now")
    assert Clock.objects.get(case=complaint, kind="response").due_on == D("2025-05-07")
    assert api_as(amara).post(url(complaint, "extend"), extension(), format="json").status_code == 200


def test_an_approval_after_the_deadline_is_refused(amara, priya):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=amara)
    services.extend(
        complaint, actor=amara, granted_on=D("2025-04-30"), reason="x", extra_working_days=12, manager=priya
    )
    late = api_as(priya).post(
        url(complaint, "approve-extension"),
        {"approved_on": "2025-05-08", "good_reason": "Late", "resident_told_on": "2025-05-08"},
        format="json",
    )
    assert late.status_code == 400 and "record the late response instead" in late.json()["approved_on"][0]


def test_six_then_six_is_beyond_a_cap_of_ten(amara, priya):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=amara)
    services.extend(
        complaint,
        actor=amara,
        granted_on=D("2025-04-30"),
        reason="x",
        resident_told_on=D("2025-04-30"),
        extra_working_days=6,
    )
    again = api_as(amara).post(url(complaint, "extend"), extension(extra_working_days=6), format="json")
    assert again.status_code == 400 and "choose the manager to ask" in again.json()["manager"][0]


# --- A late acknowledgement cannot buy time (Code 2024, 5.6) -----------------------------------------------


def test_a_late_acknowledgement_does_not_push_the_response_deadline(amara):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)  # acknowledge by Mon 28 April
    complaint = services.acknowledge(complaint, on=D("2025-05-06"), actor=amara)
    ack = Clock.objects.get(case=complaint, kind="acknowledgement")
    assert ack.met is False
    response = Clock.objects.get(case=complaint, kind="response")
    assert (response.started_on, response.due_on) == (D("2025-04-28"), D("2025-05-13"))
    entry = TimelineEvent.objects.get(case=complaint, kind="acknowledge")
    assert "(late: due Mon 28 Apr 2025)" in entry.summary and "Full response due Tue 13 May 2025" in entry.summary


def test_an_acknowledgement_on_time_is_not_called_late(amara):
    complaint = services.acknowledge(log_complaint(received_on=D("2025-04-17")), on=D("2025-04-22"), actor=amara)
    entry = TimelineEvent.objects.get(case=complaint, kind="acknowledge")
    assert "late" not in entry.summary


# --- Early resolution and reopening ----------------------------------------------------------------------


def test_early_resolution_records_a_decision_and_its_letter_and_leaves_stage_2_open(client, amara):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    resolved = api_as(amara).post(
        url(complaint, "resolve-early"),
        {"on": "2025-04-22", "decision": "upheld", "summary": "Plumber fixed the leak", "resident_agreed": True},
        format="json",
    )
    assert resolved.status_code == 200, resolved.json()
    body = resolved.json()
    assert body["stages"][0]["outcome"] == "upheld"
    assert "escalate" in body["allowed_actions"]
    letters = api_as(amara).get(url(complaint, "letters")).json()
    letter = next(letter for letter in letters if letter["kind"] == "early_resolution")
    assert "upheld" in letter["text"] and "escalate it to stage 2" in letter["text"]
    escalated = api_as(amara).post(url(complaint, "escalate"), {"requested_on": "2025-04-25"}, format="json")
    assert escalated.status_code == 200 and escalated.json()["current_stage"] == 2


def test_reopening_keeps_the_receipt_date_and_records_itself(amara):
    complaint = log_complaint(received_on=D("2025-03-27"), assigned_to=amara)
    complaint = services.withdraw(complaint, actor=amara, on=D("2025-04-02"), reason="Phoned")
    complaint = services.reopen(complaint, actor=amara, on=D("2025-04-14"), reason="Not resolved after all")
    assert complaint.received_on == D("2025-03-27")
    assert complaint.stages.get().requested_on == D("2025-03-27")  # still in the year it was received
    assert Clock.objects.get(case=complaint, stopped_on__isnull=True, kind="acknowledgement").started_on == D(
        "2025-04-14"
    )
    entry = TimelineEvent.objects.get(case=complaint, kind="reopen")
    assert entry.data == {"reopened_on": "2025-04-14"} and "Received Thu 27 Mar 2025" in entry.summary


# --- Urgent cases ---------------------------------------------------------------------------------------


def test_flagging_urgent_later_tells_the_duty_senior_managers_at_once(amara, priya):
    OfficerProfile.objects.filter(user=priya).update(is_duty_senior_manager=True)
    complaint = log_complaint(received_on=D("2025-04-17"))
    no_reason = api_as(amara).post(url(complaint, "flag-urgent"), {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    flagged = api_as(amara).post(
        url(complaint, "flag-urgent"), {"reason": "imminent_eviction", "details": "Bailiffs on Friday"}, format="json"
    )
    assert flagged.status_code == 200 and flagged.json()["is_urgent"] is True
    told = Notification.objects.get(kind="urgent_case", case=complaint)
    assert told.recipient == priya and "Imminent eviction: Bailiffs on Friday" in told.body
    assert (
        api_as(amara).post(url(complaint, "flag-urgent"), {"reason": "safeguarding"}, format="json").status_code == 409
    )


def test_with_no_duty_manager_the_services_managers_and_the_administrators_are_told(amara):
    from casework.models import Team

    area_manager = UserFactory(username="head.repairs", role=Role.MANAGER)
    administrator = UserFactory(username="admin2", role=Role.ADMINISTRATOR)
    complaint = log_complaint(received_on=D("2025-04-17"))
    team = Team.objects.create(name="Repairs team", manager=area_manager)
    team.service_areas.add(complaint.service_area)
    services.flag_urgent(complaint, actor=amara, reason="homeless_tonight")
    told = set(Notification.objects.filter(kind="urgent_case").values_list("recipient__username", flat=True))
    assert told == {"head.repairs", "admin2"}
    assert administrator.pk  # told as an administrator, not as a duty manager


def test_manage_py_check_warns_when_nobody_is_the_duty_senior_manager(amara):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from casework.checks import duty_senior_manager

    assert [w.id for w in duty_senior_manager()] == ["casework.W001"]
    OfficerProfile.objects.filter(user=amara).update(is_duty_senior_manager=True)
    assert duty_senior_manager() == []
    OfficerProfile.objects.filter(user=amara).update(is_duty_senior_manager=False)
    with pytest.raises(SystemCheckError, match="No active duty senior manager"):
        call_command("check", fail_level="WARNING")


def test_urgent_cases_come_first_in_the_queue_and_have_their_own_dashboard_figure(client, amara, priya):
    soon = log_complaint(received_on=D("2025-04-10"), summary="Soonest deadline")
    urgent = log_complaint(received_on=D("2025-04-17"), summary="Eviction notice")
    services.flag_urgent(urgent, actor=amara, reason="imminent_eviction")
    queue = api_as(amara).get("/api/v1/complaints/").json()["results"]
    assert [row["reference"] for row in queue[:2]] == [urgent.reference, soon.reference]
    client.force_login(priya)
    page = client.get("/dashboard/").content.decode()
    assert "figure--urgent" in page and "?state=open&amp;urgent=true" in page


# --- Errors and races -------------------------------------------------------------------------------------


def test_illegal_changes_answer_409_and_bad_input_400_with_field_messages(amara):
    complaint = log_complaint(received_on=D("2025-04-17"))
    not_yet = api_as(amara).post(url(complaint, "close"), {}, format="json")
    assert not_yet.status_code == 409 and "cannot be closed" in not_yet.json()["detail"]
    bad = api_as(amara).post(url(complaint, "acknowledge"), {"on": "2025-04-01"}, format="json")
    assert bad.status_code == 400 and "cannot be before" in bad.json()["on"][0]
    assert api_as(amara).post(url(complaint, "acknowledge"), {"on": "2025-04-22"}, format="json").status_code == 200
    again = api_as(amara).post(url(complaint, "acknowledge"), {"on": "2025-04-22"}, format="json")
    assert again.status_code == 409 and "cannot be acknowledged" in again.json()["detail"]


def test_a_lost_race_answers_409_like_a_repeat(amara, tom, postgresql_only, transactional_db):
    """Two officers acknowledge at once: one wins, the other waits for the lock, finds it acknowledged and
    gets the same 409 as a repeat."""
    import threading

    from django.db import connection

    from casework.reference_data import load_reference_data

    load_reference_data()  # a transactional test may follow one that emptied the tables
    complaint = log_complaint(received_on=D("2025-04-17"))
    barrier = threading.Barrier(2)
    codes = []

    def acknowledge(user):
        try:
            barrier.wait()
            codes.append(
                api_as(user).post(url(complaint, "acknowledge"), {"on": "2025-04-22"}, format="json").status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=acknowledge, args=(user,)) for user in (amara, tom)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]
    assert TimelineEvent.objects.filter(case=complaint, kind="acknowledge").count() == 1


# --- Pages made from the workflow --------------------------------------------------------------------------


def test_a_page_shows_field_and_rule_problems_in_one_round_and_keeps_its_labels(client, amara):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=amara)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=amara)
    client.force_login(amara)
    page = client.post(
        f"/complaints/{complaint.reference}/extend/",
        {"granted_on": "2025-04-10", "extra_working_days": "not a number", "reason": ""},
    )
    assert page.status_code == 400
    content = page.content.decode()
    for message in (
        "The extension date cannot be before Thu 17 Apr 2025.",  # a rule
        "Enter a whole number.",  # a field
        "Give the reason for the extension.",  # a field
        "Record the date the resident was told about the extension and why.",  # a rule
    ):
        assert message in content
    assert '<label class="label" for="id_granted_on">Date of the extension</label>' in content
    # One of the two ways to say how long is needed: neither is marked optional.
    assert 'for="id_extra_working_days">Extra working days</label>' in content
    assert 'for="id_new_due_on">New due date</label>' in content


def test_the_case_page_names_the_procedure_version_in_force(client, amara):
    complaint = log_complaint(received_on=D("2025-04-17"))
    client.force_login(amara)
    page = client.get(f"/complaints/{complaint.reference}/").content.decode()
    assert "Housing Ombudsman Complaint Handling Code 2024 (from 01 Apr 2024)" in page


def test_the_api_shows_the_timeline_and_the_letters(amara):
    complaint = services.acknowledge(log_complaint(received_on=D("2025-04-17")), on=D("2025-04-22"), actor=amara)
    timeline = api_as(amara).get(url(complaint, "timeline")).json()
    assert [event["kind"] for event in timeline["results"]] == ["logged", "acknowledge"]
    letters = api_as(amara).get(url(complaint, "letters")).json()
    assert [letter["kind"] for letter in letters] == ["acknowledgement", "response"]
    # The words only: the date and the reference are the PDF's heading (docs/letters.md).
    assert letters[0]["text"].startswith(f"Dear {complaint.resident.full_name},")
    assert "We have logged your complaint under our complaints procedure." in letters[0]["text"]
