"""A period of whole months (a year, a month) is summed from the monthly figures, one cut mid-month from the daily
ones (reporting.facts keeps both), and acknowledgements are counted from the stages' facts: the figures agree
either way and follow each change to a complaint at once.

Pinned in June 2025, which has no bank holiday and begins on a Sunday, so 1 to 30 June and 2 to 30 June hold the
same complaints. Received Mon 2 June: the acknowledgement is due Mon 9 June."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from casework.roles import Role
from complaints import services
from reporting import selectors
from reporting.periods import Period, financial_year, month_period
from tests.factories import IssueNatureFactory, ServiceAreaFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db

JUNE = month_period(D("2025-06-01"))
CUT_MID_MONTH = Period(D("2025-06-02"), D("2025-06-30"))


def without_links(value):
    if isinstance(value, dict):
        return {key: without_links(v) for key, v in value.items() if key != "link"}
    if isinstance(value, list):
        return [without_links(v) for v in value]
    return value


def figures(period):
    data = selectors.performance(period, with_sections=False)
    shown = ("headline", "escalation", "by_stage", "by_issue_nature", "by_service_area", "stage_sums")
    return without_links({key: data[key] for key in shown})


def by_nature(period):
    return {row["issue_nature"]: row["received"] for row in figures(period)["by_issue_nature"]}


def on_day(day):
    moment = datetime.datetime.combine(D(day), datetime.time(10), tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


def test_whole_months_and_days_give_the_same_figures_as_complaints_change():
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    area = ServiceAreaFactory(name="Responsive Repairs")
    leaks = IssueNatureFactory(name="Leaks", service_area=area)
    damp = IssueNatureFactory(name="Damp and mould", service_area=area)
    upheld, answered, late = (
        log_complaint(
            actor=officer, received_on=D("2025-06-02"), service_area=area, issue_nature=leaks, assigned_to=officer
        )
        for _ in range(3)
    )
    services.acknowledge(upheld, on=D("2025-06-03"), actor=officer)
    services.acknowledge(answered, on=D("2025-06-03"), actor=officer)
    services.acknowledge(late, on=D("2025-06-16"), actor=officer)
    services.respond(
        upheld, actor=officer, on=D("2025-06-24"), summary="Fixed", points=[services.Point("Leak left", "upheld")]
    )
    services.respond(
        answered, actor=officer, on=D("2025-06-24"), summary="Fine", points=[services.Point("Leak", "not_upheld")]
    )

    june = figures(JUNE)
    assert june == figures(CUT_MID_MONTH)
    assert (june["headline"]["received"], june["headline"]["responded"], june["headline"]["upheld"]) == (3, 2, 1)
    year = selectors.annual_report(2025)
    assert year["headline"]["received"] == 3
    assert year["acknowledgements"] == {"made": 3, "met": 2, "percent_met": Decimal("66.7")}
    months = selectors.performance(financial_year(2025), with_sections=False)["months"]
    assert [row["total"] for row in months if row["month"] == D("2025-06-01")] == [3]

    # Moved to another issue nature: the month's figures move with it.
    services.edit_details(late, actor=officer, reason="It is damp, not a leak", issue_nature=damp)
    assert by_nature(JUNE) == by_nature(CUT_MID_MONTH) == {"Leaks": 2, "Damp and mould": 1}
    assert figures(JUNE) == figures(CUT_MID_MONTH)

    # Merged into another as its duplicate: no longer counted, nor is its late acknowledgement.
    with on_day("2025-06-25"):
        services.merge(late, into=answered, actor=officer, reason="Same leak", different_resident_confirmed=True)
    assert figures(JUNE) == figures(CUT_MID_MONTH)
    assert figures(JUNE)["headline"]["received"] == 2
    year = selectors.annual_report(2025)
    assert year["acknowledgements"] == {"made": 2, "met": 2, "percent_met": Decimal("100.0")}
    by_provision = {q["provision"]: q for q in selectors.self_assessment(2025)["questions"]}
    assert by_provision["6.2"]["answer"] == "2 of 2 acknowledgements within 5 working days (100.0%)"


def test_first_stages_and_acknowledgements_agree_by_month_and_by_day_as_complaints_move():
    """The resolution by stage, the channels and the acknowledgements are stored per day and per month too
    (`Measure.FIRST_STAGES`, `Measure.ACKNOWLEDGED`): each change moves both."""
    from complaints.models import Channel

    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    area = ServiceAreaFactory(name="Responsive Repairs")
    leaks = IssueNatureFactory(name="Leaks", service_area=area)
    by_email, by_phone = (
        log_complaint(
            actor=officer,
            received_on=D("2025-06-02"),
            channel=channel,
            service_area=area,
            issue_nature=leaks,
            assigned_to=officer,
        )
        for channel in (Channel.EMAIL, Channel.PHONE)
    )

    def agree():
        for counts in (selectors.first_stage_counts, selectors.acknowledgement_counts):
            assert counts(JUNE) == counts(CUT_MID_MONTH)
        return selectors.resolution_by_stage(JUNE), selectors.acknowledgement_timeliness(JUNE)

    assert agree() == ([], {"made": 0, "met": 0, "percent_met": None})
    services.acknowledge(by_email, on=D("2025-06-03"), actor=officer)
    services.acknowledge(by_phone, on=D("2025-06-16"), actor=officer)  # late: due 9 June
    for complaint in (by_email, by_phone):
        services.respond(
            complaint, actor=officer, on=D("2025-06-20"), summary="Done", points=[services.Point("Leak", "upheld")]
        )
    resolved, acknowledged = agree()
    assert [(row["stage"], row["complaints"]) for row in resolved] == [(1, 2)]
    assert (acknowledged["made"], acknowledged["met"]) == (2, 1)

    with on_day("2025-06-23"):
        services.escalate(by_phone, actor=officer, requested_on=D("2025-06-23"), reason="Still leaking")
    services.acknowledge(by_phone, on=D("2025-06-24"), actor=officer)
    resolved, acknowledged = agree()
    assert [(row["stage"], row["complaints"]) for row in resolved] == [(1, 1), (2, 1)]
    assert (acknowledged["made"], acknowledged["met"]) == (3, 2)
    assert selectors.acknowledgement_timeliness(JUNE, stage=2)["made"] == 1
    channels = {}
    for (_, channel, _, _, _), n in selectors.first_stage_counts(JUNE).items():
        channels[channel] = channels.get(channel, 0) + n
    assert channels == {Channel.EMAIL: 1, Channel.PHONE: 1}
