"""Reporting periods. The council's year is the financial year, 1 April to 31 March; the tenant satisfaction
measures use the same year. A period is any run of whole days; pages default to the current financial year."""

import datetime
from dataclasses import dataclass

FINANCIAL_YEAR_START_MONTH = 4


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    @property
    def label(self):
        if self.is_financial_year:
            return financial_year_label(self.start.year)
        if self.start.day == 1 and self.end == month_end(self.start) and self.start.month == self.end.month:
            return f"{self.start:%B %Y}"
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"

    @property
    def is_financial_year(self):
        return (
            self.start.month == FINANCIAL_YEAR_START_MONTH
            and self.start.day == 1
            and self.end == datetime.date(self.start.year + 1, 3, 31)
        )

    def months(self):
        """The first day of every month the period touches, in order."""
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = next_month(month)

    def year_before(self):
        """The same days one year earlier (for year-on-year comparisons)."""
        return Period(_years_back(self.start, 1), _years_back(self.end, 1))

    def as_dict(self):
        return {"start": self.start, "end": self.end, "label": self.label}


def _years_back(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def next_month(day):
    return datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day):
    first = day.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def month_end(day):
    return next_month(day) - datetime.timedelta(days=1)


def month_period(day):
    return Period(day.replace(day=1), month_end(day))


def financial_year_of(day):
    """The year a financial year starts in: 2022 for any day from 1 April 2022 to 31 March 2023."""
    return day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1


def financial_year(start_year):
    return Period(datetime.date(start_year, FINANCIAL_YEAR_START_MONTH, 1), datetime.date(start_year + 1, 3, 31))


def financial_year_label(start_year):
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_financial_year(text):
    """'2022', '2022/23' or '2022-23' -> 2022."""
    text = str(text).strip()
    head = text.replace("-", "/").split("/")[0]
    if not head.isdigit() or len(head) != 4:
        raise ValueError(f"'{text}' is not a financial year; write it as 2022/23.")
    start = int(head)
    tail = text.replace("-", "/").split("/")[1:] if "/" in text.replace("-", "/") else []
    if tail and tail[0] and int(tail[0]) % 100 != (start + 1) % 100:
        raise ValueError(f"'{text}' is not a financial year; write it as 2022/23.")
    return start
