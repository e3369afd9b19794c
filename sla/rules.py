"""Rule-based bank holidays for the years the published GOV.UK table does not cover, from workalendar.

Rules know the regular pattern and its substitute days but not one-offs announced at short notice (workalendar
17 misses 2023-05-08, the Coronation), which is why published years always come from the stored table."""

import datetime
import warnings
from functools import cache

from workalendar.core import MON, WesternCalendar
from workalendar.europe import UnitedKingdom, UnitedKingdomNorthernIreland

from sla.models import Division


class ScotlandBankHolidays(WesternCalendar):
    """Scotland's bank holidays as GOV.UK lists them. workalendar's own Scotland calendar models local
    holidays and leaves out several of these, so the national list is spelled out here on its base class."""

    include_good_friday = True
    include_boxing_day = True

    def get_variable_days(self, year):
        days = super().get_variable_days(year)
        days.append((self.get_nth_weekday_in_month(year, 5, MON), "Early May bank holiday"))
        days.append((self.get_last_weekday_in_month(year, 5, MON), "Spring bank holiday"))
        days.append((self.get_nth_weekday_in_month(year, 8, MON), "Summer bank holiday"))
        return days

    def get_fixed_holidays(self, year):
        return [
            (datetime.date(year, 1, 1), "New Year's Day"),
            (datetime.date(year, 1, 2), "2nd January"),
            (datetime.date(year, 11, 30), "St Andrew's Day"),
            (datetime.date(year, 12, 25), "Christmas Day"),
            (datetime.date(year, 12, 26), "Boxing Day"),
        ]

    def holidays(self, year=None):
        fixed = sorted(self.get_fixed_holidays(year))
        variable = [(day, name) for day, name in self.get_variable_days(year) if (day, name) not in fixed]
        observed = {day for day, _ in variable if day.weekday() < 5}
        result = list(variable)
        # A fixed holiday on a weekday stands; one on a weekend moves to the next weekday not already a holiday.
        for day, name in fixed:
            if day.weekday() < 5:
                result.append((day, name))
                observed.add(day)
        for day, name in fixed:
            if day.weekday() >= 5:
                substitute = day
                while substitute.weekday() >= 5 or substitute in observed:
                    substitute += datetime.timedelta(days=1)
                observed.add(substitute)
                result.append((substitute, f"{name} (substitute day)"))
        return sorted(set(result))


RULE_CALENDARS = {
    Division.ENGLAND_AND_WALES: UnitedKingdom,
    Division.SCOTLAND: ScotlandBankHolidays,
    Division.NORTHERN_IRELAND: UnitedKingdomNorthernIreland,
}


@cache
def rule_holidays(division, year):
    """Weekday bank holidays by rule for one division and year: {date: title}."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendar = RULE_CALENDARS[Division(division)]()
        return {day: name for day, name in calendar.holidays(year) if day.weekday() < 5}
