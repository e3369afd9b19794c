"""Every transition, allowed and refused, through the services."""

import datetime

import pytest

from casework.models import TimelineEvent
from casework.roles import Role
from casework.services import DomainError
from complaints import services
from complaints.models import BarredOfficer, ComplaintScheme, ComplaintStatus, RefusalReason
from sla.models import Clock
from tests.factories import IssueNatureFactory, ResidentFactory, ServiceAreaFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db

RECEIVED = D("2025-04-17")


@pytest.fixture
def officer():
    return UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def colleague():
    return UserFactory(username="tom", role=Role.COMPLAINTS_OFFICER)


def point(decision="upheld"):
    return [services.Point("The leak was not fixed", decision, "Three missed appointments")]


def build(state, officer):
    """A Code complaint in the given state, reached through the services."""
    complaint = log_complaint(received_on=RECEIVED, assigned_to=officer)
    if state == "received":
        return complaint
    if state == "resolved_early":
        return services.resolve_early(
            complaint, actor=officer, on=D("2025-04-23"), summary="Fixed", resident_agreed=True
        )
    if state == "withdrawn":
        return services.withdraw(complaint, actor=officer, on=D("2025-04-23"), reason="Phoned to withdraw")
    if state == "refused":
        return services.refuse(
            complaint, actor=officer, on=D("2025-04-23"), reason=RefusalReason.COUNCIL_POLICY, details="Policy"
        )
    complaint = services.acknowledge(complaint, on=D("2025-04-22"), actor=officer)
    if state == "acknowledged":
        return complaint
    if state == "merged":
        survivor = log_complaint(actor=officer, resident=complaint.resident, received_on=D("2025-04-16"))
        return services.merge(complaint, into=survivor, actor=officer, reason="Phoned twice about the same leak")
    complaint = services.respond(complaint, actor=officer, on=D("2025-05-06"), summary="Sorry", points=point())
    if state == "responded":
        return complaint
    if state == "closed":
        return services.close(complaint, actor=officer)
    raise AssertionError(state)


def run(action, complaint, officer, colleague):
    on = D("2025-05-07") if complaint.status in (ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED) else D("2025-04-23")
    calls = {
        "acknowledge": lambda: services.acknowledge(complaint, on=on, actor=officer),
        "assign": lambda: services.assign(complaint, colleague, actor=officer),
        "extend": lambda: services.extend(
            complaint, actor=officer, granted_on=on, reason="Surveyor", resident_told_on=on, extra_working_days=5
        ),
        "respond": lambda: services.respond(complaint, actor=officer, on=on, summary="Done", points=point()),
        "draft_response": lambda: services.draft_response(complaint, actor=colleague, summary="Done", points=point()),
        "approve_response": lambda: services.approve_response(complaint, actor=officer),
        "send_back_response": lambda: services.send_back_response(complaint, actor=officer, comment="Redo"),
        "send_response": lambda: services.send_response(complaint, actor=officer),
        "resolve_early": lambda: services.resolve_early(
            complaint, actor=officer, on=on, summary="Fixed", resident_agreed=True
        ),
        "withdraw": lambda: services.withdraw(complaint, actor=officer, on=on, reason="Withdrawn by phone"),
        "refuse": lambda: services.refuse(
            complaint, actor=officer, on=on, reason=RefusalReason.COUNCIL_POLICY, details="Policy"
        ),
        "escalate": lambda: services.escalate(complaint, actor=officer, requested_on=on, handler=colleague),
        "refuse_escalation": lambda: services.refuse_escalation(
            complaint, actor=officer, requested_on=on, reason="Out of time"
        ),
        "close": lambda: services.close(complaint, actor=officer),
        "reopen": lambda: services.reopen(complaint, actor=officer, on=on, reason="Resident came back"),
        "approve_extension": lambda: services.approve_extension(
            complaint, actor=officer, approved_on=on, good_reason="Surveyor", resident_told_on=on
        ),
        "decline_extension": lambda: services.decline_extension(complaint, actor=officer, reason="No"),
        "flag_urgent": lambda: services.flag_urgent(complaint, actor=officer, reason="safeguarding"),
        "clear_urgent": lambda: services.WORKFLOW.run(complaint, "clear_urgent", actor=officer, reason="Resolved"),
        "change_scheme": lambda: services.WORKFLOW.run(
            complaint,
            "change_scheme",
            actor=officer,
            scheme=ComplaintScheme.objects.get(code="childrens-social-care"),
            reason="About a child in care",
        ),
        "edit": lambda: services.edit_details(
            complaint, actor=officer, summary="Leak under the bathroom sink", reason="Misheard on the phone"
        ),
        "unmerge": lambda: services.unmerge(complaint, actor=officer, reason="Not the same leak"),
        "merge": lambda: services.merge(
            complaint,
            into=log_complaint(actor=officer, resident=complaint.resident, received_on=D("2025-04-16")),
            actor=officer,
            reason="Phoned twice about the same leak",
        ),
    }
    return calls[action]()


# Written out independently of the services' own table: what a complaints team expects of a Code complaint.
# An early resolution leaves the resident's right to stage 2 open; a complaint moves to another scheme only before
# its first response; an extension request, and clearing an urgent
# flag, need something to decide or clear first (tested on their own below). Any open complaint can be corrected or
# merged into the complaint it duplicates.
EXPECTED = {
    "received": {
        "acknowledge",
        "assign",
        "resolve_early",
        "withdraw",
        "refuse",
        "flag_urgent",
        "change_scheme",
        "edit",
        "merge",
    },
    "acknowledged": {
        "edit",
        "merge",
        "assign",
        "extend",
        "respond",
        "draft_response",
        "resolve_early",
        "withdraw",
        "flag_urgent",
        "change_scheme",
    },
    "responded": {"assign", "withdraw", "escalate", "refuse_escalation", "close", "flag_urgent", "edit", "merge"},
    "resolved_early": {"escalate", "refuse_escalation", "reopen"},
    "withdrawn": {"reopen"},
    "refused": {"reopen"},
    "closed": {"escalate", "refuse_escalation", "reopen"},
    # A merge made in error is undone; nothing else is done to a duplicate, which lives on in the other complaint.
    "merged": {"unmerge"},
}
AFTER = {
    "acknowledge": ComplaintStatus.ACKNOWLEDGED,
    "resolve_early": ComplaintStatus.RESOLVED_EARLY,
    "withdraw": ComplaintStatus.WITHDRAWN,
    "refuse": ComplaintStatus.REFUSED,
    "escalate": ComplaintStatus.RECEIVED,
    "refuse_escalation": ComplaintStatus.CLOSED,
    "close": ComplaintStatus.CLOSED,
    "respond": ComplaintStatus.RESPONDED,
    "flag_urgent": None,
    "merge": ComplaintStatus.MERGED,
    "unmerge": ComplaintStatus.ACKNOWLEDGED,  # where its stage was when it was merged
}
ACTIONS = sorted(services.ACTION_LABELS)


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_allowed_actions_are_exactly_the_expected_ones(state, officer):
    assert set(services.allowed_actions(build(state, officer))) == EXPECTED[state]


@pytest.mark.parametrize("state", sorted(EXPECTED))
@pytest.mark.parametrize("action", ACTIONS)
def test_each_transition_is_carried_out_or_refused(state, action, officer, colleague):
    complaint = build(state, officer)
    before_status, before_events = complaint.status, TimelineEvent.objects.filter(case=complaint).count()
    if action in EXPECTED[state]:
        result = run(action, complaint, officer, colleague)
        if AFTER.get(action):
            assert result.status == AFTER[action]
        assert TimelineEvent.objects.filter(case=complaint).count() > before_events
    else:
        with pytest.raises(DomainError):
            run(action, complaint, officer, colleague)
        complaint.refresh_from_db()
        assert complaint.status == before_status
        assert TimelineEvent.objects.filter(case=complaint).count() == before_events


def test_closing_states_stop_every_clock(officer):
    for state in ("resolved_early", "withdrawn", "refused"):
        complaint = build(state, officer)
        assert not Clock.objects.filter(case=complaint, stopped_on__isnull=True).exists()
        assert complaint.closed_at is not None
        complaint.refresh_from_db()
        assert complaint.next_due_on is None


def test_the_stage_2_handler_must_differ_from_the_stage_1_handler(officer, colleague):
    complaint = build("responded", officer)
    with pytest.raises(DomainError, match="did not handle an earlier stage"):
        services.escalate(complaint, actor=officer, requested_on=D("2025-05-07"), handler=officer)
    complaint = services.escalate(complaint, actor=officer, requested_on=D("2025-05-07"))
    with pytest.raises(DomainError, match="did not handle an earlier stage"):
        services.assign(complaint, officer, actor=officer)
    complaint = services.assign(complaint, colleague, actor=officer)
    assert complaint.assigned_to == colleague


def test_refusing_as_more_than_12_months_old_checks_the_dates(officer):
    recent = log_complaint(received_on=D("2025-04-17"), issue_occurred_on=D("2024-04-17"))
    with pytest.raises(DomainError, match="within 12 months"):
        services.refuse(
            recent, actor=officer, on=D("2025-04-22"), reason=RefusalReason.OVER_TWELVE_MONTHS, details="Late"
        )
    undated = log_complaint(received_on=D("2025-04-17"))
    with pytest.raises(DomainError, match="Record when the issue happened"):
        services.refuse(
            undated, actor=officer, on=D("2025-04-22"), reason=RefusalReason.OVER_TWELVE_MONTHS, details="Late"
        )
    old = log_complaint(received_on=D("2025-04-17"), issue_occurred_on=D("2024-04-16"))
    refused = services.refuse(
        old,
        actor=officer,
        on=D("2025-04-22"),
        reason=RefusalReason.OVER_TWELVE_MONTHS,
        details="The repair was in 2023.",
    )
    assert refused.status == ComplaintStatus.REFUSED
    last = TimelineEvent.objects.filter(case=refused).last()
    assert "right to go to the Housing Ombudsman" in last.summary


def test_early_resolution_only_within_5_working_days_and_with_agreement(officer):
    complaint = log_complaint(received_on=RECEIVED)  # 5 working days: by Mon 28 April 2025
    with pytest.raises(DomainError, match="agreement"):
        services.resolve_early(complaint, actor=officer, on=D("2025-04-24"), summary="Fixed", resident_agreed=False)
    with pytest.raises(DomainError, match="by Mon 28 Apr 2025"):
        services.resolve_early(complaint, actor=officer, on=D("2025-04-29"), summary="Fixed", resident_agreed=True)
    done = services.resolve_early(complaint, actor=officer, on=D("2025-04-28"), summary="Fixed", resident_agreed=True)
    assert done.status == ComplaintStatus.RESOLVED_EARLY


def test_a_response_records_decisions_remedies_compensation_and_actions(officer):
    complaint = build("acknowledged", officer)
    complaint = services.respond(
        complaint,
        actor=officer,
        on=D("2025-05-06"),
        summary="We are sorry.",
        points=[services.Point("Leak not fixed", "upheld"), services.Point("Rude operative", "not_upheld")],
        remedies=[
            services.RemedyLine("apology"),
            services.RemedyLine("compensation", "Time and trouble", 12550),
        ],
        actions=[services.ActionLine("Replace the waste pipe", officer, D("2025-05-20"))],
    )
    stage = complaint.stages.get(number=1)
    assert stage.outcome == "partly_upheld"
    assert stage.compensation_pence == 12550
    assert stage.within_code_timescale is True
    assert stage.working_days_to_respond == 10
    assert stage.actions.get().owner == officer
    with pytest.raises(DomainError, match="compensation offered"):
        services.respond(
            build("acknowledged", officer),
            actor=officer,
            on=D("2025-05-06"),
            summary="x",
            points=point(),
            remedies=[services.RemedyLine("compensation")],
        )
    with pytest.raises(DomainError, match="at least one point"):
        services.respond(build("acknowledged", officer), actor=officer, on=D("2025-05-06"), summary="x", points=[])


def test_a_late_response_is_outside_the_code_timescale_and_an_approved_extension_beyond_the_cap_within_it(officer):
    manager = UserFactory(username="boss", role=Role.MANAGER)
    late = services.respond(
        build("acknowledged", officer), actor=officer, on=D("2025-05-08"), summary="x", points=point()
    )
    assert late.stages.get().within_code_timescale is False
    complaint = build("acknowledged", officer)  # response due 7 May
    complaint = services.extend(
        complaint, actor=officer, granted_on=D("2025-05-01"), reason="Surveyor", extra_working_days=15, manager=manager
    )
    complaint = services.approve_extension(
        complaint,
        actor=manager,
        approved_on=D("2025-05-02"),
        good_reason="The surveyor's report is needed",
        resident_told_on=D("2025-05-02"),
    )
    complaint = services.respond(complaint, actor=officer, on=D("2025-05-20"), summary="x", points=point())
    stage = complaint.stages.get()
    assert stage.extended is True
    # Approved by a manager with a recorded good reason: beyond the cap is allowed with good reason (2024 Code 6.4).
    assert stage.within_code_timescale is True
    ok = services.extend(
        build("acknowledged", officer),
        actor=officer,
        granted_on=D("2025-05-01"),
        reason="Surveyor",
        resident_told_on=D("2025-05-01"),
        extra_working_days=10,
    )
    ok = services.respond(ok, actor=officer, on=D("2025-05-20"), summary="x", points=point())
    assert ok.stages.get().within_code_timescale is True


def test_extensions_need_the_date_the_resident_was_told_and_a_manager_beyond_the_cap(officer):
    complaint = build("acknowledged", officer)
    with pytest.raises(DomainError, match="resident was told"):
        services.extend(
            complaint,
            actor=officer,
            granted_on=D("2025-05-01"),
            reason="x",
            resident_told_on=None,
            extra_working_days=2,
        )
    with pytest.raises(DomainError, match="choose the manager to ask"):
        services.extend(
            complaint,
            actor=officer,
            granted_on=D("2025-05-01"),
            reason="x",
            resident_told_on=D("2025-05-01"),
            extra_working_days=11,
        )


def test_an_officer_barred_for_a_resident_cannot_be_assigned(officer, colleague):
    resident = ResidentFactory()
    services.bar_officer(resident, colleague, reason="Resident lost trust after the 2023 case", actor=officer)
    complaint = log_complaint(resident=resident)
    with pytest.raises(DomainError, match="must not handle this resident's cases"):
        services.assign(complaint, colleague, actor=officer)
    with pytest.raises(DomainError, match="must not handle"):
        log_complaint(resident=resident, assigned_to=colleague)
    assert BarredOfficer.objects.count() == 1


def test_a_complaint_upheld_again_within_12_months_is_flagged(officer):
    resident = ResidentFactory()
    first = log_complaint(resident=resident, received_on=D("2025-01-06"))
    services.acknowledge(first, on=D("2025-01-07"), actor=officer)
    services.respond(first, actor=officer, on=D("2025-01-20"), summary="x", points=point("upheld"))
    second = log_complaint(resident=resident, received_on=D("2025-04-17"))
    assert list(services.earlier_upheld_complaints(second)) == [first]  # the warning shown before the response
    services.acknowledge(second, on=D("2025-04-22"), actor=officer)
    second = services.respond(second, actor=officer, on=D("2025-05-06"), summary="x", points=point("partly_upheld"))
    assert second.repeat_upheld is True
    match = second.repeat_matches.get()
    assert match.earlier == first and match.same_resident and match.same_issue_nature
    assert TimelineEvent.objects.filter(case=second, kind="repeat_upheld").exists()

    other_area = ServiceAreaFactory(name="Rents")
    unrelated = log_complaint(
        received_on=D("2025-04-17"),
        service_area=other_area,
        issue_nature=IssueNatureFactory(name="Rents", service_area=other_area),
    )
    services.acknowledge(unrelated, on=D("2025-04-22"), actor=officer)
    unrelated = services.respond(unrelated, actor=officer, on=D("2025-05-06"), summary="x", points=point("upheld"))
    assert unrelated.repeat_upheld is False


def test_not_upheld_is_never_a_repeat(officer):
    resident = ResidentFactory()
    first = log_complaint(resident=resident, received_on=D("2025-01-06"))
    services.acknowledge(first, on=D("2025-01-07"), actor=officer)
    services.respond(first, actor=officer, on=D("2025-01-20"), summary="x", points=point("upheld"))
    second = log_complaint(resident=resident, received_on=D("2025-04-17"))
    services.acknowledge(second, on=D("2025-04-22"), actor=officer)
    second = services.respond(second, actor=officer, on=D("2025-05-06"), summary="x", points=point("not_upheld"))
    assert second.repeat_upheld is False


def test_reopening_a_withdrawn_complaint_restarts_its_clock(officer):
    complaint = build("withdrawn", officer)
    complaint = services.reopen(complaint, actor=officer, on=D("2025-05-01"), reason="Resident changed their mind")
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.closed_at is None
    clock = Clock.objects.get(case=complaint, stopped_on__isnull=True)
    assert clock.started_on == D("2025-05-01")


def test_dates_in_the_future_are_refused(officer):
    complaint = log_complaint(received_on=RECEIVED)
    with pytest.raises(DomainError, match="future"):
        services.acknowledge(complaint, on=datetime.date.today() + datetime.timedelta(days=3), actor=officer)
    with pytest.raises(DomainError, match="future"):
        log_complaint(received_on=datetime.date.today() + datetime.timedelta(days=1))


def test_a_service_request_becomes_a_complaint_and_both_keep_their_history(officer):
    from complaints.models import Channel, ComplaintType
    from tests.factories import IssueNatureFactory, ServiceAreaFactory

    area = ServiceAreaFactory(name="Responsive Repairs")
    request = services.log_service_request(
        actor=officer,
        received_on=D("2025-03-03"),
        service_area=area,
        description="Boiler broken",
        channel=Channel.PHONE,
        resident=ResidentFactory(),
    )
    complaint = services.raise_complaint_from_service_request(
        request,
        actor=officer,
        received_on=D("2025-04-17"),
        channel=Channel.PHONE,
        issue_nature=IssueNatureFactory(name="Gas", service_area=area),
        complaint_type=ComplaintType.DELAY,
        description="Still no heating after six weeks",
        outcome_wanted="Fix it",
    )
    assert complaint.service_request == request
    assert complaint.resident == request.resident
    assert list(request.complaints.all()) == [complaint]
    request.refresh_from_db()
    assert request.status == "open"  # the request goes on
    assert request.timeline.filter(kind="logged").exists()
    assert request.timeline.filter(kind="complaint_raised", summary__contains=complaint.reference).exists()


def test_urgent_complaints_tell_the_duty_senior_manager_at_once(
    officer, django_capture_on_commit_callbacks, mailoutbox
):
    from casework.models import Notification, OfficerProfile

    duty = UserFactory(username="duty", role=Role.MANAGER)
    OfficerProfile.objects.filter(user=duty).update(is_duty_senior_manager=True)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = log_complaint(urgent_reason="imminent_eviction")
    notification = Notification.objects.get(recipient=duty)
    assert notification.kind == "urgent_case" and notification.case_id == complaint.pk
    assert [m.to for m in mailoutbox] == [[duty.email]]
