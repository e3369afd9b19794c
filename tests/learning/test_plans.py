"""A plan's life: evidence before 'implemented', a manager other than the lead verifies, and chases sent once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Notification
from casework.roles import Role
from casework.services import DomainError
from complaints.services import ActionLine
from learning import services
from learning.models import Chase, LearningActionPlan, PlanStatus
from tests.factories import UserFactory
from tests.learning.conftest import D, responded

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return UserFactory(username="grace", first_name="Grace", last_name="Mensah", role=Role.INVESTIGATING_OFFICER)


@pytest.fixture
def plan(repairs, repairs_team, lead):
    from learning.models import LearningLead

    LearningLead.objects.create(service_area=repairs, officer=lead)
    responded(D("2025-05-07"), "upheld", area=repairs)
    services.run_monthly_cycle(D("2025-06-02"))
    return LearningActionPlan.objects.get()


def write_plan(plan, lead):
    return services.update_plan(
        plan,
        actor=lead,
        what_went_wrong="A repair was not raised and the supervisor did not progress the works.",
        action_to_address_cause="All staff reminded of the process after supervisor visits.",
        evidence_of_implementation="Supervisor visits logged and reviewed weekly by the contracts manager.",
    )


def test_evidence_is_required_before_implemented(plan, lead):
    with pytest.raises(DomainError, match="Record what went wrong, the action to address the cause and the evidence"):
        services.implement(plan, actor=lead)
    services.update_plan(plan, actor=lead, what_went_wrong="x", action_to_address_cause="y")
    with pytest.raises(DomainError, match="Record the evidence that confirms the learning was implemented"):
        services.implement(plan, actor=lead)
    plan = services.start(plan, actor=lead)
    assert plan.status == PlanStatus.IN_PROGRESS
    plan = services.update_plan(plan, actor=lead, evidence_of_implementation="Weekly review log")
    plan = services.implement(plan, actor=lead, on=D("2025-06-20"))
    assert plan.status == PlanStatus.IMPLEMENTED and plan.implemented_on == D("2025-06-20")
    with pytest.raises(DomainError, match="must keep what went wrong, the action and the evidence"):
        services.update_plan(plan, actor=lead, evidence_of_implementation="")


def test_a_manager_other_than_the_lead_verifies(plan, lead, repairs_team):
    plan = services.implement(write_plan(plan, lead), actor=lead, on=D("2025-06-20"))
    told = Notification.objects.filter(kind="learning_plan_implemented")
    assert set(told.values_list("recipient__username", flat=True)) == {"repairs_manager", "head"}

    with pytest.raises(PermissionDenied, match="Only a manager"):
        services.verify(plan, actor=lead)
    # A manager who leads the plan does not verify their own evidence.
    plan = services.update_plan(plan, actor=repairs_team.manager, lead_officer=repairs_team.manager)
    with pytest.raises(PermissionDenied, match="cannot verify their own"):
        services.verify(plan, actor=repairs_team.manager)
    plan = services.verify(plan, actor=repairs_team.head_of_service, on=D("2025-06-23"))
    assert plan.status == PlanStatus.VERIFIED and plan.verified_by == repairs_team.head_of_service

    with pytest.raises(DomainError, match="cannot be verified"):
        services.verify(plan, actor=repairs_team.head_of_service)
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.update_plan(plan, actor=repairs_team.head_of_service, what_went_wrong="Changed")
    assert [e.kind for e in plan.events.all()] == ["opened", "updated", "implemented", "updated", "verified"]


def test_a_manager_sends_a_plan_back_for_more_evidence(plan, lead, repairs_team):
    plan = services.implement(write_plan(plan, lead), actor=lead)
    with pytest.raises(DomainError, match="Say what evidence is missing"):
        services.send_back(plan, actor=repairs_team.manager, reason=" ")
    plan = services.send_back(plan, actor=repairs_team.manager, reason="Attach the weekly review log.")
    assert plan.status == PlanStatus.IN_PROGRESS and plan.implemented_on is None
    assert (
        Notification.objects.get(recipient=lead, kind="learning_plan_sent_back").body == "Attach the weekly review log."
    )
    with pytest.raises(DomainError, match="'in progress' cannot be verified"):
        services.verify(plan, actor=repairs_team.manager)


def test_only_complaints_officers_and_managers_move_the_lead_or_timescale(plan, lead):
    with pytest.raises(PermissionDenied, match="lead officer or timescale"):
        services.update_plan(plan, actor=lead, due_on=D("2025-09-30"))
    stranger = UserFactory(username="other", role=Role.INVESTIGATING_OFFICER)
    with pytest.raises(PermissionDenied):
        services.update_plan(plan, actor=stranger, what_went_wrong="x")
    with pytest.raises(PermissionDenied):
        services.start(plan, actor=stranger)


def test_evidence_files_are_checked_like_every_upload(plan, lead):
    good = SimpleUploadedFile("review-log.pdf", b"%PDF-1.4 weekly review", content_type="application/pdf")
    evidence = services.add_evidence_file(plan, good, actor=lead, description="Weekly review log")
    assert evidence.original_name == "review-log.pdf" and evidence.size_bytes == 22
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile("log.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.add_evidence_file(plan, fake, actor=lead)


# --- Chasing ------------------------------------------------------------------------------------------


def test_an_overdue_plan_is_chased_once_per_due_date(plan, lead, repairs_team):
    assert plan.due_on == D("2025-06-30")
    assert services.chase_overdue(D("2025-06-30")).sent == {}  # due today: not overdue yet
    first = services.chase_overdue(D("2025-07-01"))
    second = services.chase_overdue(D("2025-07-01"))
    third = services.chase_overdue(D("2025-07-02"))
    assert first.sent == {"plan_overdue": 1}
    assert second.sent == {} and third.sent == {}
    chased = Notification.objects.get(recipient=lead, kind="learning_plan_overdue")
    assert chased.subject == "Overdue: learning action plan for Responsive Repairs, May 2025"
    assert "1 working day overdue" in chased.body
    assert Chase.objects.get().notification == chased

    # A new timescale is a new chase.
    plan = services.update_plan(plan, actor=repairs_team.manager, due_on=D("2025-07-04"))
    assert services.chase_overdue(D("2025-07-07")).sent == {"plan_overdue": 1}

    # Still not implemented more than 10 working days later: the head of service is told, once.
    late = services.chase_overdue(D("2025-07-21"))
    assert late.sent == {"plan_still_overdue": 1}
    assert services.chase_overdue(D("2025-07-22")).sent == {}
    assert (
        Notification.objects.filter(recipient=repairs_team.head_of_service, kind="learning_plan_still_overdue").count()
        == 1
    )


def test_implemented_plans_are_not_chased_and_weekends_are_skipped(plan, lead):
    services.implement(write_plan(plan, lead), actor=lead, on=D("2025-06-27"))
    assert services.chase_overdue(D("2025-07-05")).skipped == "Saturday"
    assert services.chase_overdue(D("2025-07-07")).sent == {}


def test_an_overdue_promised_action_is_chased_once(repairs):
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    from complaints import services as complaints
    from tests.factories import log_complaint

    complaint = log_complaint(received_on=D("2025-04-17"), service_area=repairs)
    complaints.acknowledge(complaint, on=D("2025-04-22"), actor=officer)
    complaints.respond(
        complaint,
        actor=officer,
        on=D("2025-05-06"),
        summary="Sorry.",
        points=[complaints.Point("Leak", "upheld", "")],
        actions=[ActionLine("Inspect the pipework", officer, D("2025-05-20"))],
    )
    assert services.chase_overdue(D("2025-05-21")).sent == {"action_overdue": 1}
    assert services.chase_overdue(D("2025-05-22")).sent == {}
    chased = Notification.objects.get(recipient=officer, kind="learning_action_overdue")
    assert chased.case_id == complaint.pk and "Inspect the pipework" in chased.body


def test_the_chase_task_records_its_run(plan):
    from casework.models import JobRun
    from learning.tasks import chase_overdue_plans

    result = chase_overdue_plans.delay((plan.due_on + datetime.timedelta(days=1)).isoformat()).get()
    assert result["sent"] == {"plan_overdue": 1}
    assert JobRun.objects.get(job="chase_overdue_plans").summary == "2025-07-01: sent 1 plan_overdue"


def test_the_manager_who_marked_a_plan_implemented_cannot_verify_it(plan, lead, repairs_team):
    manager = repairs_team.manager
    plan = services.implement(write_plan(plan, lead), actor=manager, on=D("2025-06-20"))
    assert plan.implemented_by == manager
    with pytest.raises(PermissionDenied, match="Whoever marked the plan implemented cannot verify it"):
        services.verify(plan, actor=manager)
    assert "verify" not in services.allowed_actions(plan, manager)
    plan = services.verify(plan, actor=repairs_team.head_of_service, on=D("2025-06-23"))
    assert plan.verified_by == repairs_team.head_of_service
