"""The monthly learning cycle: one plan per service with upheld complaints last month, on the first working
day of the month, however often it runs."""

import io

import pytest
from django.core.management import call_command

from casework.models import JobRun, Notification
from casework.roles import Role
from learning import selectors, services
from learning.models import LearningActionPlan, LearningLead, LearningSource, PlanOrigin, PlanStatus
from tests.factories import UserFactory
from tests.learning.conftest import D, responded

pytestmark = pytest.mark.django_db


def test_one_plan_per_service_for_last_months_upheld_complaints_however_often_it_runs(repairs, rents, repairs_team):
    upheld = responded(D("2025-05-07"), "upheld", area=repairs)
    partly = responded(D("2025-05-29"), "partly_upheld", area=repairs)
    responded(D("2025-05-14"), "not_upheld", area=repairs)
    responded(D("2025-04-24"), "upheld", area=rents)  # April: not this cycle's month
    responded(D("2025-06-02"), "upheld", area=rents)  # June: next month's

    first = services.run_monthly_cycle(D("2025-06-02"))  # Monday 2 June, the first working day
    second = services.run_monthly_cycle(D("2025-06-02"))

    plan = LearningActionPlan.objects.get()
    assert plan.service_area == repairs and plan.month == D("2025-05-01")
    assert plan.origin == PlanOrigin.MONTHLY_CYCLE and plan.status == PlanStatus.NOT_STARTED
    assert plan.lead_officer == repairs_team.manager  # no lead named: the team's manager
    assert plan.due_on == D("2025-06-30")  # 20 working days after 2 June
    assert {s.complaint_stage for s in plan.sources.all()} == {upheld, partly}
    assert [str(first), str(second)] == [
        "2025-06-02: 1 plan opened for May 2025; 2 upheld complaint stages added",
        "2025-06-02: 0 plans opened for May 2025; 0 upheld complaint stages added",
    ]
    assert selectors.complaints_learned_from(D("2025-05-01"), D("2025-05-31")) == 2
    told = Notification.objects.filter(recipient=repairs_team.manager, kind="learning_plan_assigned")
    assert told.count() == 1
    assert "covers 2 upheld complaints" in told.get().body


def test_a_unique_constraint_keeps_one_cycle_plan_per_service_and_month(repairs):
    LearningActionPlan.objects.create(
        reference="LAP-2025-000901",
        service_area=repairs,
        month=D("2025-05-01"),
        origin="monthly_cycle",
        due_on=D("2025-06-30"),
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LearningActionPlan.objects.create(
            reference="LAP-2025-000902",
            service_area=repairs,
            month=D("2025-05-01"),
            origin="monthly_cycle",
            due_on=D("2025-06-30"),
        )
    # A plan opened by hand for the same service and month is allowed beside it.
    LearningActionPlan.objects.create(
        reference="LAP-2025-000903",
        service_area=repairs,
        month=D("2025-05-01"),
        origin="manual",
        due_on=D("2025-06-30"),
    )
    assert LearningActionPlan.objects.count() == 2


def test_not_on_another_day_unless_forced(repairs, repairs_team):
    responded(D("2024-12-10"), "upheld", area=repairs)
    # Wednesday 1 January 2025 is a bank holiday: the first working day is Thursday 2 January.
    on_holiday = services.run_monthly_cycle(D("2025-01-01"))
    assert on_holiday.skipped and "Thu 2 Jan 2025" in str(on_holiday)
    later = services.run_monthly_cycle(D("2025-01-03"))
    assert later.skipped
    assert not LearningActionPlan.objects.exists()

    forced = services.run_monthly_cycle(D("2025-01-03"), force=True)
    assert len(forced.plans_opened) == 1
    assert LearningActionPlan.objects.get().month == D("2024-12-01")
    assert services.run_monthly_cycle(D("2025-01-02")).plans_opened == []  # the real day finds it done


def test_a_complaint_recorded_late_joins_the_months_plan_on_a_forced_rerun(repairs, repairs_team):
    responded(D("2025-05-07"), "upheld", area=repairs)
    services.run_monthly_cycle(D("2025-06-02"))
    late = responded(D("2025-05-30"), "upheld", area=repairs)  # response recorded after the cycle ran
    result = services.run_monthly_cycle(D("2025-06-04"), force=True)
    assert result.plans_opened == [] and result.complaints_added == 1
    plan = LearningActionPlan.objects.get()
    assert plan.sources.filter(complaint_stage=late).exists()
    assert plan.events.filter(kind="source_added").exists()


def test_the_lead_named_in_the_admin_comes_before_the_team_manager(repairs, rents, repairs_team):
    investigator = UserFactory(username="grace", role=Role.INVESTIGATING_OFFICER)
    LearningLead.objects.create(service_area=repairs, officer=investigator)
    responded(D("2025-05-07"), "upheld", area=repairs)
    responded(D("2025-05-08"), "upheld", area=rents)  # no team covers rents, no lead named
    result = services.run_monthly_cycle(D("2025-06-02"))
    assert LearningActionPlan.objects.get(service_area=repairs).lead_officer == investigator
    assert LearningActionPlan.objects.get(service_area=rents).lead_officer is None
    assert result.without_lead == ["Rents"]
    assert "no lead officer for Rents" in str(result)


def test_a_stage_learned_from_in_a_plan_opened_by_hand_is_not_taken_again(repairs, repairs_team):
    stage = responded(D("2025-05-07"), "upheld", area=repairs)
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    manual = services.open_plan(service_area=repairs, month=D("2025-05-01"), actor=officer, complaint_stages=[stage])
    result = services.run_monthly_cycle(D("2025-06-02"))
    assert result.plans_opened == []
    assert LearningSource.objects.get().plan == manual


def test_run_sweep_command_runs_the_cycle_and_records_the_run(repairs, repairs_team):
    responded(D("2025-05-07"), "upheld", area=repairs)
    out = io.StringIO()
    call_command("run_sweep", "learning-cycle", "--date", "2025-06-03", stdout=out)
    assert "no learning cycle" in out.getvalue()
    out = io.StringIO()
    call_command("run_sweep", "learning-cycle", "--date", "2025-06-03", "--force", stdout=out)
    assert out.getvalue().strip() == "2025-06-03: 1 plan opened for May 2025; 1 upheld complaint stage added"
    assert JobRun.objects.filter(job="learning-cycle (by hand)", status="succeeded").count() == 2


def test_the_celery_task_runs_the_cycle(repairs, repairs_team):
    from learning.tasks import monthly_learning_cycle

    responded(D("2025-05-07"), "upheld", area=repairs)
    assert "1 plan opened" in monthly_learning_cycle.delay("2025-06-02").get()
    assert JobRun.objects.get(job="monthly_learning_cycle").summary.startswith("2025-06-02: 1 plan opened")
