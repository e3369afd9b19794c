"""The deadline sweep: the right notices to the right people, each exactly once."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command

from casework.models import JobRun, Notification, OfficerProfile
from casework.roles import Role
from casework.services import deliver_pending_emails
from sla import services, sweep
from sla.models import SweepNotice
from tests.factories import CaseFactory, TeamFactory, UserFactory

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    handler = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    manager = UserFactory(username="boss", role=Role.MANAGER)
    head = UserFactory(username="head", role=Role.MANAGER)
    team = TeamFactory(name="Housing Feedback Team", manager=manager, head_of_service=head)
    return handler, manager, head, team


def clock_due(due_on, handler, team):
    """A running clock on a case assigned to `handler` in `team`, due on `due_on` (10 working days)."""
    start = services.engine.add_working_days(due_on, -10)
    case = CaseFactory(assigned_to=handler, team=team)
    return services.start_clock(
        case, kind="response", stage=1, label="Respond to stage 1", started_on=start, working_days=10
    )


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_reminder_due_today_and_two_escalations_go_to_the_right_people(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    handler, manager, head, team = people
    today = D("2025-06-11")  # a Wednesday
    clock_due(D("2025-06-13"), handler, team)  # in 2 working days: reminder
    clock_due(D("2025-06-16"), handler, team)  # in 3 working days: nothing yet
    clock_due(D("2025-06-11"), handler, team)  # today
    clock_due(D("2025-06-10"), handler, team)  # 1 working day overdue: manager
    clock_due(D("2025-06-05"), handler, team)  # 4 working days overdue: manager and head of service
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.run_deadline_sweep(today)
    assert result.sent == {"reminder": 1, "due_today": 1, "overdue": 2, "overdue_further": 1}
    assert kinds_for(handler) == ["deadline_due_today", "deadline_reminder"]
    assert kinds_for(manager) == ["deadline_overdue", "deadline_overdue"]
    assert kinds_for(head) == ["deadline_overdue_further"]
    assert len(mailoutbox) == 5
    reminder = Notification.objects.get(kind="deadline_reminder")
    assert reminder.subject.startswith("Due in 2 working days: Respond to stage 1 on TST-")
    assert all(message.extra_headers["Message-ID"].startswith("<notification-") for message in mailoutbox)


def test_a_second_run_on_the_same_day_sends_nothing(people, mailoutbox, django_capture_on_commit_callbacks):
    handler, _, _, team = people
    clock_due(D("2025-06-10"), handler, team)
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep.run_deadline_sweep(D("2025-06-11"))
        second = sweep.run_deadline_sweep(D("2025-06-11"))
        later = sweep.run_deadline_sweep(D("2025-06-12"))  # still overdue: already escalated for this due date
    assert (first.total, second.total, later.total) == (1, 0, 0)
    assert SweepNotice.objects.count() == 1 and len(mailoutbox) == 1


def test_no_sweep_on_a_bank_holiday_or_a_closure_day(people):
    handler, _, _, team = people
    clock_due(D("2025-08-22"), handler, team)
    assert sweep.run_deadline_sweep(D("2025-08-25")).skipped == "Bank holiday: Summer bank holiday"
    services.declare_closure_day(D("2025-08-26"), "Office move")
    assert "closure" in sweep.run_deadline_sweep(D("2025-08-26")).skipped
    assert sweep.run_deadline_sweep(D("2025-08-23")).skipped == "Saturday"
    assert SweepNotice.objects.count() == 0
    assert sweep.run_deadline_sweep(D("2025-08-27")).total == 1  # the next working day catches up


def test_an_extension_moves_the_reminder(people):
    handler, _, _, team = people
    clock = clock_due(D("2025-06-13"), handler, team)
    assert sweep.run_deadline_sweep(D("2025-06-11")).sent == {"reminder": 1}
    services.extend_clock(clock, granted_on=D("2025-06-11"), extra_working_days=5, reason="Surveyor")  # due 20 June
    assert sweep.run_deadline_sweep(D("2025-06-12")).total == 0
    assert sweep.run_deadline_sweep(D("2025-06-18")).sent == {"reminder": 1}
    assert sorted(SweepNotice.objects.values_list("due_on", flat=True)) == [D("2025-06-13"), D("2025-06-20")]


def test_a_worker_dying_mid_sweep_leaves_nothing_and_the_retry_sends_each_notice_once(people):
    handler, manager, _, team = people
    clock_due(D("2025-06-10"), handler, team)
    clock_due(D("2025-06-11"), handler, team)
    with mock.patch("sla.sweep.copy_rows", side_effect=SystemExit("worker killed")), pytest.raises(SystemExit):
        sweep.run_deadline_sweep(D("2025-06-11"))
    assert SweepNotice.objects.count() == 0 and Notification.objects.count() == 0  # rolled back together
    assert sweep.run_deadline_sweep(D("2025-06-11")).total == 2
    assert sweep.run_deadline_sweep(D("2025-06-11")).total == 0
    assert kinds_for(handler) == ["deadline_due_today"] and kinds_for(manager) == ["deadline_overdue"]


def test_a_worker_dying_after_recording_but_before_emailing_loses_nothing_and_sends_once(people, mailoutbox):
    handler, _, _, team = people
    clock_due(D("2025-06-11"), handler, team)
    # The sweep commits its notices; the worker dies before the email task runs (on_commit never fires here).
    assert sweep.run_deadline_sweep(D("2025-06-11")).total == 1
    assert mailoutbox == []
    assert deliver_pending_emails() == 1  # the safety net (or the retried task) sends it
    assert deliver_pending_emails() == 0
    assert sweep.run_deadline_sweep(D("2025-06-11")).total == 0
    assert len(mailoutbox) == 1


def test_an_email_being_sent_by_another_worker_is_not_sent_again(people, mailoutbox):
    handler, _, _, team = people
    clock_due(D("2025-06-11"), handler, team)
    sweep.run_deadline_sweep(D("2025-06-11"))
    notification = Notification.objects.get()
    killed = mock.patch("django.core.mail.message.EmailMessage.send", side_effect=SystemExit("killed while sending"))
    with killed, pytest.raises(SystemExit):
        deliver_pending_emails()
    # Claimed by the dead worker: not sent again at once (it may have gone out) ...
    assert deliver_pending_emails() == 0
    # ... but once the claim is stale, it is sent, with the same Message-ID, so a copy is recognisable.
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_at=notification.created_at - datetime.timedelta(hours=1)
    )
    assert deliver_pending_emails() == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == f"<notification-{notification.pk}@127.0.0.1>"


def test_unassigned_cases_go_to_the_team_manager_and_then_the_duty_manager(people):
    _, manager, _, team = people
    clock = clock_due(D("2025-06-11"), None, team)
    duty = UserFactory(username="duty", role=Role.MANAGER)
    OfficerProfile.objects.filter(user=duty).update(is_duty_senior_manager=True)
    teamless = clock_due(D("2025-06-11"), None, None)
    sweep.run_deadline_sweep(D("2025-06-11"))
    assert SweepNotice.objects.get(clock=clock).recipient == manager
    assert SweepNotice.objects.get(clock=teamless).recipient == duty


def test_the_command_runs_a_sweep_for_a_date_and_records_the_run(people):
    handler, _, _, team = people
    clock_due(D("2025-06-11"), handler, team)
    call_command("run_sweep", "deadlines", "--date", "2025-06-11", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run = JobRun.objects.get()
    assert run.status == "succeeded" and "1 due_today" in run.summary
    assert SweepNotice.objects.count() == 1


def test_a_failed_job_is_recorded_for_the_administrator(people):
    from sla.tasks import deadline_sweep

    failing = mock.patch("sla.sweep.run_deadline_sweep", side_effect=RuntimeError("database gone"))
    with failing, pytest.raises(RuntimeError):
        deadline_sweep.apply(args=["2025-06-11"], throw=True)
    run = JobRun.objects.get(job="deadline_sweep")
    assert run.status == "failed" and "database gone" in run.error


def test_default_schedules_are_installed_and_editable():
    from django_celery_beat.models import PeriodicTask

    sweep_task = PeriodicTask.objects.get(name="Deadline sweep")
    assert sweep_task.task == "sla.tasks.deadline_sweep"
    assert (sweep_task.crontab.hour, sweep_task.crontab.minute, sweep_task.crontab.day_of_week) == ("7", "0", "1-5")
    assert str(sweep_task.crontab.timezone) == "Europe/London"
