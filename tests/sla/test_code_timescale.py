"""The Code's timescale for a response (CH02's 'in time'): extensions count up to the cap in all, beyond it only
with a manager's approval and a recorded good reason, never when agreed after the deadline passed
(sla.services.timescale_due_on; docs/reporting.md, "Figures by definition").

Pinned dates: a 10-working-day clock started Mon 6 Jan 2025 is due Mon 20 Jan; +6 is Tue 28 Jan, +10 Mon 3 Feb,
+12 Wed 5 Feb (no bank holiday in January or early February 2025)."""

import datetime

import pytest

from casework.roles import Role
from sla import services
from sla.models import Clock
from tests.factories import CaseFactory, UserFactory

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def clock(cap=10):
    return services.start_clock(
        CaseFactory(), kind="response", stage=1, label="Respond", started_on=D("2025-01-06"), working_days=10,
        extension_cap=cap,
    )  # fmt: skip


def test_six_then_six_without_a_good_reason_counts_up_to_the_cap():
    manager = UserFactory(role=Role.MANAGER)
    running = clock()
    assert running.due_on == D("2025-01-20")
    services.extend_clock(running, granted_on=D("2025-01-13"), extra_working_days=6, reason="Surveyor")
    # Beyond the cap, "approved" with no good reason recorded: the working date moves, the Code's only to the cap.
    _, running = services.extend_clock(
        running, granted_on=D("2025-01-14"), extra_working_days=6, reason="Second surveyor", approved_by=manager
    )
    assert running.due_on == D("2025-02-05")
    assert services.code_compliant_due_on(Clock.objects.get(pk=running.pk)) == D("2025-02-03")


def test_six_then_six_approved_with_a_good_reason_counts_in_full():
    manager = UserFactory(role=Role.MANAGER)
    running = clock()
    services.extend_clock(running, granted_on=D("2025-01-13"), extra_working_days=6, reason="Surveyor")
    services.extend_clock(
        running, granted_on=D("2025-01-14"), extra_working_days=6, reason="Second surveyor", approved_by=manager,
        approval_reason="A structural survey is needed",
    )  # fmt: skip
    assert services.code_compliant_due_on(Clock.objects.get(pk=running.pk)) == D("2025-02-05")


def test_a_clock_without_a_cap_counts_every_extension_and_one_agreed_late_counts_nothing():
    running = clock(cap=None)
    _, running = services.extend_clock(running, granted_on=D("2025-01-13"), extra_working_days=12, reason="Complex")
    assert services.code_compliant_due_on(Clock.objects.get(pk=running.pk)) == D("2025-02-05")
    calendar = services.engine.get_calendar()

    class Late:
        granted_on, extra_working_days, new_due_on, approved_by_id, approval_reason = (
            D("2025-01-21"), 5, None, None, "",
        )  # fmt: skip

    assert services.timescale_due_on(D("2025-01-20"), 10, [Late()], calendar) == D("2025-01-20")
