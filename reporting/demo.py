"""Demo reporting data for `make run`: homes owned and tenant perception survey answers (so the tenant
satisfaction measures CH01 and TP09 have figures), and the monthly reports of this financial year's past
months (as the first-working-day job would have stored them; no emails). Safe to run again."""

import datetime

from django.utils import timezone

from reporting.models import MonthlyReport, Satisfaction, StockCount, SurveyAnswer
from reporting.monthly import first_working_day, store_report
from reporting.periods import financial_year, financial_year_of, next_month

# Homes owned at the end of the reporting year, by stock type: a mid-sized stock-holding council.
HOMES = {"lcra": 9_850, "lcho": 1_240}

# TP09 answers from the perception survey, by stock type: (answer, how many).
SURVEY = {
    "lcra": [
        (Satisfaction.VERY_SATISFIED, 21),
        (Satisfaction.FAIRLY_SATISFIED, 27),
        (Satisfaction.NEITHER, 18),
        (Satisfaction.FAIRLY_DISSATISFIED, 19),
        (Satisfaction.VERY_DISSATISFIED, 15),
    ],
    "lcho": [
        (Satisfaction.VERY_SATISFIED, 4),
        (Satisfaction.FAIRLY_SATISFIED, 7),
        (Satisfaction.NEITHER, 5),
        (Satisfaction.FAIRLY_DISSATISFIED, 3),
        (Satisfaction.VERY_DISSATISFIED, 2),
    ],
}


def load_demo(stdout):
    today = timezone.localdate()
    year = financial_year_of(today)
    for reporting_year in (year - 1, year):
        for stock_type, homes in HOMES.items():
            StockCount.objects.get_or_create(
                reporting_year=reporting_year, stock_type=stock_type, defaults={"homes": homes}
            )

    period = financial_year(year)
    answers = 0
    if not SurveyAnswer.objects.filter(answered_on__range=(period.start, period.end)).exists():
        # Spread over the survey's fieldwork weeks in the summer, none after today.
        fieldwork = [period.start + datetime.timedelta(days=60 + n) for n in range(30)]
        fieldwork = [day for day in fieldwork if day <= today] or [today]
        rows = []
        for stock_type, counts in SURVEY.items():
            for answer, count in counts:
                for n in range(count):
                    rows.append(
                        SurveyAnswer(
                            answered_on=fieldwork[(len(rows) + n) % len(fieldwork)],
                            stock_type=stock_type,
                            answer=answer,
                            survey=f"Tenant perception survey {period.start.year}/{(period.start.year + 1) % 100:02d}",
                        )
                    )
        SurveyAnswer.objects.bulk_create(rows)
        answers = len(rows)

    made = 0
    month = period.start
    while next_month(month) <= today.replace(day=1):
        if not MonthlyReport.objects.filter(month=month).exists():
            made_on = first_working_day(next_month(month))
            report, _ = store_report(month, today=made_on)
            # Dated as the job would have made it: 7 a.m. on the first working day of the month after.
            report.generated_at = timezone.make_aware(datetime.datetime.combine(made_on, datetime.time(7)))
            report.save(update_fields=["generated_at"])
            made += 1
        month = next_month(month)
    stdout.write(
        f"Demo reporting loaded (homes owned for {year - 1}/{year % 100:02d} and {year}/{(year + 1) % 100:02d}, "
        f"{answers} survey answers, {made} monthly reports)."
    )
