"""Clocks: start, stop, pause, extend, and recompute when the calendar changes."""

import datetime

import pytest

from casework.models import TimelineEvent
from casework.roles import Role
from casework.services import DomainError
from sla import services
from sla.models import Clock, ClockStatus
from tests.factories import CaseFactory, UserFactory

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what a calendar change queues for after commit (the recompute task), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def start(case=None, started_on="2025-04-17", days=10, cap=None, kind="response", stage=1):
    return services.start_clock(
        case or CaseFactory(),
        kind=kind,
        stage=stage,
        label="Respond to stage 1",
        started_on=D(started_on),
        working_days=days,
        extension_cap=cap,
    )


def test_a_clock_is_due_n_working_days_after_it_starts():
    clock = start(started_on="2025-04-17", days=10)  # over Easter and the early May bank holiday
    assert clock.due_on == D("2025-05-06")
    assert clock.status == ClockStatus.RUNNING


def test_stopping_records_whether_the_target_was_met_and_the_working_days_taken():
    on_time = services.stop_clock(start(started_on="2025-04-17"), on=D("2025-05-06"))
    assert on_time.met is True
    assert on_time.working_days_taken == 10
    late = services.stop_clock(start(started_on="2025-04-17"), on=D("2025-05-07"))
    assert late.met is False
    assert late.working_days_taken == 11
    with pytest.raises(DomainError, match="stopped"):
        services.stop_clock(late, on=D("2025-05-07"))


def test_pausing_adds_the_working_days_paused():
    clock = start(started_on="2025-01-06", days=10)  # due Monday 20 January
    assert clock.due_on == D("2025-01-20")
    clock = services.pause_clock(clock, on=D("2025-01-08"), reason="Waiting for the resident's photos")
    assert clock.due_on is None and clock.status == ClockStatus.PAUSED
    with pytest.raises(DomainError, match="already paused"):
        services.pause_clock(clock, on=D("2025-01-09"), reason="again")
    clock = services.resume_clock(clock, on=D("2025-01-13"))  # 9, 10, 13 January did not count
    assert clock.due_on == D("2025-01-23")
    clock = services.stop_clock(clock, on=D("2025-01-23"))
    assert clock.met is True
    assert clock.working_days_taken == 10


def test_stopping_a_paused_clock_resumes_it_first():
    clock = services.pause_clock(start(started_on="2025-01-06"), on=D("2025-01-08"), reason="Waiting")
    clock = services.stop_clock(clock, on=D("2025-01-10"))
    assert clock.status == ClockStatus.STOPPED
    assert clock.working_days_taken == 2  # 7 and 8 January; 9 and 10 were paused


def test_extending_by_working_days_and_to_a_date():
    clock = start(started_on="2025-01-06", days=10, cap=10)  # due 20 January
    extension, clock = services.extend_clock(
        clock,
        granted_on=D("2025-01-15"),
        extra_working_days=5,
        reason="Waiting for the contractor's report",
        resident_told_on=D("2025-01-15"),
    )
    assert clock.due_on == D("2025-01-27")
    assert extension.beyond_cap is False
    _, clock = services.extend_clock(
        clock, granted_on=D("2025-01-24"), new_due_on=D("2025-02-03"), reason="Surveyor visit rearranged"
    )
    assert clock.due_on == D("2025-02-03")
    assert services.derive_due_on(clock) == clock.due_on
    assert clock.extensions.count() == 2


def test_extensions_beyond_the_cap_need_a_managers_approval():
    clock = start(started_on="2025-01-06", days=10, cap=10)
    officer = UserFactory(role=Role.COMPLAINTS_OFFICER)
    manager = UserFactory(role=Role.MANAGER)
    with pytest.raises(DomainError, match="a manager must approve"):
        services.extend_clock(clock, granted_on=D("2025-01-15"), extra_working_days=11, reason="Complex")
    with pytest.raises(DomainError, match="a manager must approve"):
        services.extend_clock(
            clock, granted_on=D("2025-01-15"), extra_working_days=11, reason="Complex", approved_by=officer
        )
    extension, clock = services.extend_clock(
        clock, granted_on=D("2025-01-15"), extra_working_days=11, reason="Complex", approved_by=manager
    )
    assert extension.beyond_cap is True
    assert extension.approved_by == manager
    assert clock.due_on == D("2025-02-04")


def test_extensions_that_make_no_sense_are_refused():
    clock = start(started_on="2025-01-06", days=10)
    with pytest.raises(DomainError, match="after the current one"):
        services.extend_clock(clock, granted_on=D("2025-01-10"), new_due_on=D("2025-01-17"), reason="x")
    with pytest.raises(DomainError, match="not a working day"):
        services.extend_clock(clock, granted_on=D("2025-01-10"), new_due_on=D("2025-01-25"), reason="x")
    with pytest.raises(DomainError, match="reason"):
        services.extend_clock(clock, granted_on=D("2025-01-10"), extra_working_days=2, reason="  ")
    with pytest.raises(DomainError, match="not both"):
        services.extend_clock(
            clock, granted_on=D("2025-01-10"), extra_working_days=2, new_due_on=D("2025-01-28"), reason="x"
        )
    services.stop_clock(clock, on=D("2025-01-10"))
    with pytest.raises(DomainError, match="stopped"):
        services.extend_clock(clock, granted_on=D("2025-01-10"), extra_working_days=2, reason="x")


def test_a_closure_day_moves_exactly_the_open_clocks_whose_window_contains_it(after_commit):
    # Closure on Friday 24 January 2025.
    spanning = start(started_on="2025-01-13", days=10)  # due Mon 27 Jan: moves to Tue 28 Jan
    due_on_the_day = start(started_on="2025-01-10", days=10)  # due Fri 24 Jan: moves to Mon 27 Jan
    ends_before = start(started_on="2025-01-06", days=10)  # due Mon 20 Jan: untouched
    starts_on_the_day = start(started_on="2025-01-24", days=5)  # day 0 is the closure: untouched
    stopped = services.stop_clock(start(started_on="2025-01-13", days=10), on=D("2025-01-22"))
    evented = start(started_on="2025-01-06", days=10)
    services.extend_clock(evented, granted_on=D("2025-01-15"), extra_working_days=5, reason="Contractor")
    evented.refresh_from_db()
    assert evented.due_on == D("2025-01-27")

    after_commit(services.declare_closure_day, D("2025-01-24"), "Staff training day")

    def due(clock):
        return Clock.objects.get(pk=clock.pk).due_on

    assert due(spanning) == D("2025-01-28")
    assert due(due_on_the_day) == D("2025-01-27")
    assert due(ends_before) == D("2025-01-20")
    assert due(starts_on_the_day) == D("2025-01-31")
    assert due(stopped) == D("2025-01-27")  # a stopped clock is never rewritten
    assert Clock.objects.get(pk=stopped.pk).met is True
    assert due(evented) == D("2025-01-28")

    moved_cases = {spanning.case_id, due_on_the_day.case_id, evented.case_id}
    entries = TimelineEvent.objects.filter(kind="deadline_moved")
    assert set(entries.values_list("case_id", flat=True)) == moved_cases
    entry = entries.get(case_id=spanning.case_id)
    assert "Fri 24 Jan 2025 was declared a council closure day (Staff training day)" in entry.summary
    assert "due Tue 28 Jan 2025 (was Mon 27 Jan 2025)" in entry.summary


def test_removing_a_closure_day_moves_the_dates_back_and_says_why(after_commit):
    clock = start(started_on="2025-01-13", days=10)
    closure = after_commit(services.declare_closure_day, D("2025-01-24"), "Staff training day")
    assert Clock.objects.get(pk=clock.pk).due_on == D("2025-01-28")
    after_commit(services.remove_closure_day, closure)
    assert Clock.objects.get(pk=clock.pk).due_on == D("2025-01-27")
    last = TimelineEvent.objects.filter(case_id=clock.case_id, kind="deadline_moved").last()
    assert "is no longer a council closure day" in last.summary


def test_recompute_twice_moves_nothing_the_second_time(after_commit):
    start(started_on="2025-01-13", days=10)
    after_commit(services.declare_closure_day, D("2025-01-24"), "Training")
    again = services.recompute_open_clocks({D("2025-01-24"): "again"})
    assert again.examined == 1
    assert again.moved == 0


def test_a_paused_clock_takes_the_calendar_change_when_it_resumes():
    clock = services.pause_clock(start(started_on="2025-01-13", days=10), on=D("2025-01-14"), reason="Waiting")
    services.declare_closure_day(D("2025-01-24"), "Training")
    clock = services.resume_clock(clock, on=D("2025-01-15"))  # one working day paused
    assert clock.due_on == D("2025-01-29")


def test_closure_days_must_be_weekdays_and_unique():
    services.declare_closure_day(D("2025-12-29"), "Christmas closure")
    with pytest.raises(DomainError, match="already a closure day"):
        services.declare_closure_day(D("2025-12-29"), "again")
    with pytest.raises(DomainError, match="weekend"):
        services.declare_closure_day(D("2025-12-27"), "Saturday")
    with pytest.raises(DomainError, match="why"):
        services.declare_closure_day(D("2025-12-30"), "")


def test_an_administrators_bank_holiday_moves_clocks_in_its_division_only(after_commit):
    england = start(started_on="2030-06-03", days=10)
    scotland = services.start_clock(
        CaseFactory(),
        kind="response",
        stage=1,
        label="Respond",
        started_on=D("2030-06-03"),
        working_days=10,
        division="scotland",
    )
    after_commit(services.add_bank_holiday, "england-and-wales", D("2030-06-07"), "Royal jubilee")
    assert Clock.objects.get(pk=england.pk).due_on == D("2030-06-18")
    assert Clock.objects.get(pk=scotland.pk).due_on == D("2030-06-17")


def test_the_case_carries_its_earliest_open_due_date(after_commit):
    case = CaseFactory()
    respond = start(case, started_on="2025-01-13", days=10)  # due 27 January
    acknowledge = start(case, started_on="2025-01-13", days=5, kind="acknowledgement")  # 20 January
    case.refresh_from_db()
    assert case.next_due_on == D("2025-01-20")
    services.stop_clock(acknowledge, on=D("2025-01-14"))
    case.refresh_from_db()
    assert case.next_due_on == D("2025-01-27")
    after_commit(services.declare_closure_day, D("2025-01-24"), "Training")
    case.refresh_from_db()
    assert case.next_due_on == D("2025-01-28")
    services.pause_clock(respond, on=D("2025-01-15"), reason="Waiting")
    case.refresh_from_db()
    assert case.next_due_on is None


def test_a_clock_with_a_fixed_due_date_keeps_it_through_calendar_changes(after_commit):
    # The ombudsman asks for information by Friday 24 January 2025, whatever the council's calendar says.
    clock = services.start_clock(
        CaseFactory(),
        kind="information_request",
        label="Reply to the ombudsman",
        started_on=D("2025-01-10"),
        due_on=D("2025-01-24"),
    )
    assert clock.due_on == D("2025-01-24")
    assert clock.fixed_due_on == D("2025-01-24")
    assert clock.target_working_days == 10
    counted = start(started_on="2025-01-10", days=10)  # the same window counted in working days
    assert counted.due_on == D("2025-01-24")

    after_commit(services.declare_closure_day, D("2025-01-17"), "Staff training day")

    assert Clock.objects.get(pk=counted.pk).due_on == D("2025-01-27")
    assert Clock.objects.get(pk=clock.pk).due_on == D("2025-01-24")
    assert not TimelineEvent.objects.filter(case_id=clock.case_id, kind="deadline_moved").exists()

    # The ombudsman agrees a later date: an extension to a date, kept as an event.
    _, clock = services.extend_clock(
        clock, granted_on=D("2025-01-22"), new_due_on=D("2025-01-31"), reason="Ombudsman agreed more time"
    )
    assert clock.due_on == D("2025-01-31")
    assert services.derive_due_on(clock) == D("2025-01-31")
    assert services.stop_clock(clock, on=D("2025-01-31")).met is True


def test_a_clock_needs_working_days_or_a_fixed_date_not_both():
    with pytest.raises(DomainError, match="not both"):
        services.start_clock(CaseFactory(), kind="response", label="x", started_on=D("2025-01-10"))
    with pytest.raises(DomainError, match="not both"):
        services.start_clock(
            CaseFactory(),
            kind="response",
            label="x",
            started_on=D("2025-01-10"),
            working_days=5,
            due_on=D("2025-01-20"),
        )
    with pytest.raises(DomainError, match="before the start"):
        services.start_clock(
            CaseFactory(), kind="response", label="x", started_on=D("2025-01-10"), due_on=D("2025-01-09")
        )
