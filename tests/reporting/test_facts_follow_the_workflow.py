"""The reports' stored facts (reporting.facts) are refreshed once per action, by the workflow's after-change
hook, and after any sequence of actions they equal a full recomputation from the complaint tables."""

import datetime
import random

import pytest
from django.db import transaction

from casework.roles import Role
from complaints import services
from complaints.workflow import WORKFLOW, current_stage, earlier_handler_ids
from reporting import facts
from reporting.models import ComplaintStageFact, DailyComplaintFigures, MonthlyComplaintFigures
from sla import engine
from tests.factories import UserFactory, log_complaint

pytestmark = pytest.mark.django_db


def snapshot():
    fact_rows = sorted(
        ComplaintStageFact.objects.values_list(*facts.COLUMNS), key=lambda row: row[0]
    )  # fmt: skip
    daily_rows = sorted(
        DailyComplaintFigures.objects.values_list("day", *facts.GROUPED, *facts.SUMMED),
        key=repr,
    )  # fmt: skip
    monthly_rows = sorted(
        MonthlyComplaintFigures.objects.values_list("month", *facts.GROUPED, *facts.SUMMED),
        key=repr,
    )  # fmt: skip
    return fact_rows, daily_rows, monthly_rows


class Recomputed(Exception):
    pass


def recomputed():
    """What a full recomputation gives, without keeping it: the refresh runs in a savepoint rolled back."""
    try:
        with transaction.atomic():
            facts.refresh_all()
            result = snapshot()
            raise Recomputed
    except Recomputed:
        return result


class Walk:
    """Takes a complaint through random allowed actions with plausible input, the days moving forward."""

    def __init__(self, seed, officers):
        self.rng = random.Random(seed)
        self.officers = officers
        self.day = datetime.date(2025, 4, 17)
        self.complaint = log_complaint(received_on=self.day, assigned_to=officers[0])

    def later(self, at_least=0):
        self.day = engine.add_working_days(max(self.day, at_least or self.day), self.rng.randint(1, 3))
        return self.day

    def independent(self):
        taken = earlier_handler_ids(self.complaint, self.complaint.current_stage + 1)
        stage = current_stage(self.complaint)
        taken |= {stage.handler_id} if stage.handler_id else set()
        return next((o for o in self.officers if o.pk not in taken), None)

    def input_for(self, name):
        stage = current_stage(self.complaint)
        actor = stage.handler or self.officers[0]
        if name == "acknowledge":
            return actor, {"on": self.later()}
        if name == "assign":
            handler = self.independent() if stage.number > 1 else self.rng.choice(self.officers)
            return (None, None) if handler is None else (self.officers[-1], {"handler": handler})
        if name == "extend":
            return actor, {
                "granted_on": self.day, "reason": "Contractor", "resident_told_on": self.day, "extra_working_days": 3,
            }  # fmt: skip
        if name == "respond":
            return actor, {
                "on": self.later(), "summary": "Answered",
                "points": [services.Point("Leak", self.rng.choice(["upheld", "partly_upheld", "not_upheld"]))],
            }  # fmt: skip
        if name == "resolve_early":
            latest = engine.add_working_days(stage.requested_on, 5)
            return (
                (actor, {"on": stage.requested_on, "decision": "upheld", "summary": "Fixed", "resident_agreed": True})
                if (self.day <= latest)
                else (None, None)
            )
        if name == "withdraw":
            return actor, {"on": self.later(), "reason": "Phoned"}
        if name == "refuse":
            return actor, {"on": self.later(), "reason": "council_policy", "details": "Policy"}
        if name == "escalate":
            handler = self.independent()
            return self.officers[-1], {"requested_on": self.later(stage.responded_on), "handler": handler}
        if name == "refuse_escalation":
            return actor, {"requested_on": self.later(stage.responded_on), "reason": "Out of time"}
        if name == "close":
            return actor, {}
        if name == "reopen":
            return actor, {"on": self.later(), "reason": "Came back"}
        if name == "flag_urgent":
            return actor, {"reason": "safeguarding"}
        if name == "clear_urgent":
            return actor, {"reason": "Safe now"}
        return None, None

    def step(self):
        names = [
            n for n in WORKFLOW.allowed_names(self.complaint) if n not in ("approve_extension", "decline_extension")
        ]
        self.rng.shuffle(names)
        for name in names:
            actor, data = self.input_for(name)
            if data is not None:
                self.complaint = services.WORKFLOW.run(self.complaint, name, actor=actor, **data)
                return name
        return None


@pytest.mark.parametrize("seed", range(6))
def test_after_every_action_the_facts_equal_a_full_recomputation_refreshed_once(seed, monkeypatch):
    officers = [UserFactory(username=f"officer{seed}{n}", role=Role.COMPLAINTS_OFFICER) for n in range(4)]
    calls = []
    real = facts._refresh
    monkeypatch.setattr(facts, "_refresh", lambda where, params: calls.append(where) or real(where, params))

    walk = Walk(seed, officers)
    assert snapshot() == recomputed()
    taken = []
    for _ in range(12):
        calls.clear()
        name = walk.step()
        if name is None:
            break
        taken.append(name)
        assert len(calls) == 1, f"{name} refreshed the facts {len(calls)} times"
        assert snapshot() == recomputed(), f"facts differ after {taken}"
    assert len(taken) >= 3


def test_an_admin_edit_refreshes_the_facts_where_it_happens(admin_client):
    from casework.models import StockType
    from tests.factories import PropertyFactory

    home = PropertyFactory(stock_type=StockType.LCRA)
    complaint = log_complaint(home=home)
    response = admin_client.post(
        f"/admin/casework/property/{home.pk}/change/",
        {"address_line_1": home.address_line_1, "postcode": home.postcode, "stock_type": StockType.LCHO},
    )
    assert response.status_code == 302
    assert ComplaintStageFact.objects.get(complaint_id=complaint.pk).stock_type == StockType.LCHO
    assert snapshot() == recomputed()
