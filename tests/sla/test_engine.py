"""The working-day engine against the domain's test vectors, every real bank holiday, and an oracle."""

import datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla import engine
from sla.engine import OutsideCalendarRange

D = datetime.date.fromisoformat

# ../shared/DOMAIN.md: received, acknowledge by (5), stage 1 due (ack + 10), with extension (+10),
# stage 2 due (ack + 20), with extension (+20); acknowledgement sent on its last allowed day.
DOMAIN_VECTORS = [
    ("2022-05-27", "2022-06-07", "2022-06-21", "2022-07-05", "2022-07-05", "2022-08-02"),
    ("2022-09-15", "2022-09-23", "2022-10-07", "2022-10-21", "2022-10-21", "2022-11-18"),
    ("2023-05-04", "2023-05-12", "2023-05-26", "2023-06-12", "2023-06-12", "2023-07-10"),
    ("2024-12-21", "2024-12-31", "2025-01-15", "2025-01-29", "2025-01-29", "2025-02-26"),
    ("2025-04-17", "2025-04-28", "2025-05-13", "2025-05-28", "2025-05-28", "2025-06-25"),
]

# Every England and Wales bank holiday 2019-2028 on a weekday, written out by hand from the GOV.UK lists
# (not read from the shipped table), one-offs included.
ENGLAND_AND_WALES_2019_2028 = [
    "2019-01-01",
    "2019-04-19",
    "2019-04-22",
    "2019-05-06",
    "2019-05-27",
    "2019-08-26",
    "2019-12-25",
    "2019-12-26",
    "2020-01-01",
    "2020-04-10",
    "2020-04-13",
    "2020-05-08",
    "2020-05-25",
    "2020-08-31",
    "2020-12-25",
    "2020-12-28",
    "2021-01-01",
    "2021-04-02",
    "2021-04-05",
    "2021-05-03",
    "2021-05-31",
    "2021-08-30",
    "2021-12-27",
    "2021-12-28",
    "2022-01-03",
    "2022-04-15",
    "2022-04-18",
    "2022-05-02",
    "2022-06-02",
    "2022-06-03",
    "2022-08-29",
    "2022-09-19",
    "2022-12-26",
    "2022-12-27",
    "2023-01-02",
    "2023-04-07",
    "2023-04-10",
    "2023-05-01",
    "2023-05-08",
    "2023-05-29",
    "2023-08-28",
    "2023-12-25",
    "2023-12-26",
    "2024-01-01",
    "2024-03-29",
    "2024-04-01",
    "2024-05-06",
    "2024-05-27",
    "2024-08-26",
    "2024-12-25",
    "2024-12-26",
    "2025-01-01",
    "2025-04-18",
    "2025-04-21",
    "2025-05-05",
    "2025-05-26",
    "2025-08-25",
    "2025-12-25",
    "2025-12-26",
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    "2026-12-28",
    "2027-01-01",
    "2027-03-26",
    "2027-03-29",
    "2027-05-03",
    "2027-05-31",
    "2027-08-30",
    "2027-12-27",
    "2027-12-28",
    "2028-01-03",
    "2028-04-14",
    "2028-04-17",
    "2028-05-01",
    "2028-05-29",
    "2028-08-28",
    "2028-12-25",
    "2028-12-26",
]


@pytest.mark.django_db
@pytest.mark.parametrize(("received", "ack", "stage1", "stage1_ext", "stage2", "stage2_ext"), DOMAIN_VECTORS)
def test_domain_test_vectors(received, ack, stage1, stage1_ext, stage2, stage2_ext):
    acknowledge_by = engine.add_working_days(D(received), 5)
    assert acknowledge_by == D(ack)
    assert engine.add_working_days(acknowledge_by, 10) == D(stage1)
    assert engine.add_working_days(D(stage1), 10) == D(stage1_ext)
    assert engine.add_working_days(acknowledge_by, 20) == D(stage2)
    assert engine.add_working_days(D(stage2), 20) == D(stage2_ext)


@pytest.mark.django_db
def test_start_date_is_day_zero_whatever_day_it_is():
    # Saturday 21 December 2024: 23, 24, 27, 30, 31 December are the five working days.
    assert engine.add_working_days(D("2024-12-21"), 5) == D("2024-12-31")
    # A working-day start counts the same way: Monday + 1 is Tuesday.
    assert engine.add_working_days(D("2025-01-06"), 1) == D("2025-01-07")
    assert engine.add_working_days(D("2025-01-06"), 0) == D("2025-01-06")
    # Response on the due date took exactly N working days.
    assert engine.working_days_between(D("2024-12-21"), D("2024-12-31")) == 5
    assert engine.working_days_between(D("2024-12-31"), D("2024-12-21")) == -5


@pytest.mark.django_db
def test_every_england_and_wales_bank_holiday_2019_to_2028_is_recognised():
    calendar = engine.get_calendar("england-and-wales")
    for day in ENGLAND_AND_WALES_2019_2028:
        assert not calendar.is_working_day(D(day)), day
        assert calendar.non_working_reason(D(day)).startswith("Bank holiday")
    expected = {D(day) for day in ENGLAND_AND_WALES_2019_2028}
    weekdays = [
        D("2019-01-01") + datetime.timedelta(days=i)
        for i in range((D("2028-12-31") - D("2019-01-01")).days + 1)
        if (D("2019-01-01") + datetime.timedelta(days=i)).weekday() < 5
    ]
    non_working_weekdays = {day for day in weekdays if not calendar.is_working_day(day)}
    assert non_working_weekdays == expected


@pytest.mark.django_db
def test_the_stored_table_wins_over_the_rules_for_the_coronation():
    from sla.rules import rule_holidays

    assert datetime.date(2023, 5, 8) not in rule_holidays("england-and-wales", 2023)  # workalendar 17 misses it
    assert not engine.is_working_day(D("2023-05-08"))
    # Received Thursday 4 May 2023, a 10-day response counted without the Coronation would be a day early.
    assert engine.add_working_days(D("2023-05-04"), 10) == D("2023-05-19")


@pytest.mark.django_db
def test_years_beyond_the_published_table_come_from_the_rules():
    assert not engine.is_working_day(D("2035-12-25"))
    assert not engine.is_working_day(D("2035-08-27"))  # last Monday of August 2035
    assert engine.is_working_day(D("2035-08-28"))


@pytest.mark.django_db
def test_divisions_have_their_own_holidays():
    assert engine.is_working_day(D("2025-01-02"), division="england-and-wales")
    assert not engine.is_working_day(D("2025-01-02"), division="scotland")
    assert not engine.is_working_day(D("2025-12-01"), division="scotland")  # St Andrew's Day substitute
    assert engine.is_working_day(D("2025-04-21"), division="scotland")  # no Easter Monday in Scotland
    assert not engine.is_working_day(D("2025-03-17"), division="northern-ireland")
    assert not engine.is_working_day(D("2025-07-14"), division="northern-ireland")  # Boyne, substitute
    assert not engine.is_working_day(D("2036-11-30"), division="scotland")  # rules: St Andrew's on a Sunday
    assert not engine.is_working_day(D("2036-12-01"), division="scotland")


@pytest.mark.django_db
def test_counting_backwards_and_next_working_day():
    assert engine.add_working_days(D("2025-04-22"), -1) == D("2025-04-17")  # back over Easter
    assert engine.add_working_days(D("2025-04-19"), -1) == D("2025-04-17")  # from a Saturday
    assert engine.next_working_day(D("2025-04-17")) == D("2025-04-22")


@pytest.mark.django_db
def test_dates_outside_the_range_are_refused_clearly():
    with pytest.raises(OutsideCalendarRange):
        engine.add_working_days(D("1900-01-01"), 5)


@pytest.mark.django_db
def test_vectorised_forms_agree_with_the_scalar_ones():
    calendar = engine.get_calendar("england-and-wales")
    starts = [D("2024-12-21"), D("2023-05-04"), D("2025-04-19"), D("2022-09-15")]
    spans = [5, 10, -3, 0]
    many = calendar.add_working_days_many(np.array(starts, dtype="datetime64[D]"), np.array(spans))
    assert list(many.astype(datetime.date)) == [
        calendar.add_working_days(s, n) for s, n in zip(starts, spans, strict=True)
    ]
    ends = [D("2024-12-31"), D("2023-05-19"), D("2025-04-14"), D("2022-09-15")]
    between = calendar.working_days_between_many(starts, ends)
    assert list(between) == [calendar.working_days_between(s, e) for s, e in zip(starts, ends, strict=True)]
    assert list(calendar.is_working_day_many(starts)) == [calendar.is_working_day(s) for s in starts]


# --- property-based: the engine against numpy's business-day functions with the same holiday list -----


@pytest.fixture
def oracle_holidays(db):
    calendar = engine.get_calendar("england-and-wales")
    assert datetime.date(2023, 5, 8) in calendar.holidays  # the published table is loaded, not only the rules
    return np.array(sorted(calendar.holidays), dtype="datetime64[D]"), calendar


# The fixture is read-only, so sharing it across Hypothesis examples is safe.
property_settings = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2080, 12, 31))


@property_settings
@given(start=dates, n=st.integers(min_value=1, max_value=120))
def test_add_working_days_matches_numpy_busday_offset(oracle_holidays, start, n):
    holidays, calendar = oracle_holidays
    # numpy rolls a non-working start back to the previous working day, then counts forward: the same
    # as "the n-th working day strictly after the start".
    expected = np.busday_offset(np.datetime64(start), n, roll="backward", holidays=holidays)
    assert calendar.add_working_days(start, n) == expected.astype(datetime.date)


@property_settings
@given(start=dates, n=st.integers(min_value=1, max_value=120))
def test_counting_back_matches_numpy_busday_offset(oracle_holidays, start, n):
    holidays, calendar = oracle_holidays
    expected = np.busday_offset(np.datetime64(start), -n, roll="forward", holidays=holidays)
    assert calendar.add_working_days(start, -n) == expected.astype(datetime.date)


@property_settings
@given(start=dates, span=st.integers(min_value=0, max_value=400))
def test_working_days_between_matches_numpy_busday_count(oracle_holidays, start, span):
    holidays, calendar = oracle_holidays
    end = start + datetime.timedelta(days=span)
    one = np.timedelta64(1, "D")
    expected = np.busday_count(np.datetime64(start) + one, np.datetime64(end) + one, holidays=holidays)
    assert calendar.working_days_between(start, end) == expected
