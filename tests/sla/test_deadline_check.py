"""The recompute is idempotent per calendar change, an officer's extension during a recompute wins, and
`check_deadlines` finds (and with --repair corrects) any open clock whose stored date differs from the
derived one."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import TimelineEvent
from sla import services
from sla.models import CalendarChange, Clock
from sla.tasks import recompute_clocks
from tests.factories import CaseFactory

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def start(started_on, days=10):
    return services.start_clock(
        CaseFactory(), kind="response", stage=1, label="Respond", started_on=D(started_on), working_days=days
    )


def test_each_change_is_recomputed_once_however_often_its_task_runs(django_capture_on_commit_callbacks):
    clock = start("2025-01-13")
    with django_capture_on_commit_callbacks(execute=False):
        services.declare_closure_day(D("2025-01-24"), "Training")
    change = CalendarChange.objects.get()
    assert change.recomputed_at is None
    for _ in range(3):  # a retry, a redelivery, a second worker
        recompute_clocks.apply(args=[change.changes, None], kwargs={"change_id": change.pk})
    assert Clock.objects.get(pk=clock.pk).due_on == D("2025-01-28")
    assert TimelineEvent.objects.filter(case_id=clock.case_id, kind="deadline_moved").count() == 1
    change.refresh_from_db()
    assert change.recomputed_at is not None and change.moved == 1


def test_a_change_whose_task_never_ran_is_carried_out_by_the_periodic_check(django_capture_on_commit_callbacks):
    clock = start("2025-01-13")
    with django_capture_on_commit_callbacks(execute=False):  # the worker died before running it
        services.declare_closure_day(D("2025-01-24"), "Training")
    assert Clock.objects.get(pk=clock.pk).due_on == D("2025-01-27")
    results = services.recompute_pending_changes()
    assert [r.moved for r in results] == [1]
    assert Clock.objects.get(pk=clock.pk).due_on == D("2025-01-28")
    assert services.recompute_pending_changes() == []


def test_an_extension_written_meanwhile_is_not_overwritten_by_the_recompute():
    clock = start("2025-01-13")
    stale = [(clock.pk, clock.case_id, clock.label, clock.due_on, D("2025-01-28"))]
    services.extend_clock(clock, granted_on=D("2025-01-20"), reason="Surveyor", extra_working_days=5)
    assert services._write_due_dates(stale) == []  # the clock no longer has the date the recompute read
    assert Clock.objects.get(pk=clock.pk).due_on == D("2025-02-03")


def test_check_deadlines_finds_a_wrong_clock_and_repair_corrects_it_with_history(capsys):
    right, wrong = start("2025-01-13"), start("2025-02-03")
    Clock.objects.filter(pk=wrong.pk).update(due_on=D("2025-02-10"))  # as a lost recompute would leave it

    with pytest.raises(CommandError, match="1 open clocks have a wrong due date"):
        call_command("check_deadlines")
    assert f"clock {wrong.pk}" in capsys.readouterr().out
    assert Clock.objects.get(pk=wrong.pk).due_on == D("2025-02-10")

    call_command("check_deadlines", "--repair")
    assert "1 corrected" in capsys.readouterr().out
    assert Clock.objects.get(pk=wrong.pk).due_on == D("2025-02-17")
    assert Clock.objects.get(pk=right.pk).due_on == D("2025-01-27")
    entry = TimelineEvent.objects.get(case_id=wrong.case_id, kind="deadline_corrected")
    assert "due Mon 17 Feb 2025 (was Mon 10 Feb 2025)" in entry.summary
    call_command("check_deadlines")  # nothing wrong now: exits cleanly
    assert "0 wrong" in capsys.readouterr().out
