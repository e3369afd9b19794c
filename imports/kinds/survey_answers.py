"""Tenant perception survey answers to the TP09 question, one row per tenant who answered it.

TP09 is "satisfaction with the landlord's approach to complaints handling", asked of tenants who said they had
complained to the landlord in the last 12 months, and reported for low-cost rental (LCRA) and low-cost home
ownership (LCHO) homes apart (Tenant Satisfaction Measures: Technical Requirements). The answers are stored as
`reporting.SurveyAnswer`, the same rows the administration pages record one by one, so the tenant
satisfaction report counts imported and typed answers alike. "Don't know" answers are outside TP09's base:
they are counted in a note and not imported."""

import datetime
from dataclasses import dataclass

from casework.models import Property, StockType
from imports.core import Column, choice_lookup, normalise
from reporting.models import Satisfaction, SurveyAnswer

COLUMNS = [
    Column(
        "reference",
        True,
        "The survey's own id of the response; with the survey's name it is how a second import recognises it.",
        "TPS24-00417",
        max_length=60,
    ),
    Column(
        "answered_on", True, "The day the tenant answered; the reporting year is the one it falls in.", "14/11/2024"
    ),
    Column(
        "answer",
        True,
        "very satisfied, fairly satisfied, neither satisfied nor dissatisfied, fairly dissatisfied, very "
        "dissatisfied; don't know is left out of TP09 (and not imported).",
        "fairly satisfied",
    ),
    Column(
        "stock_type",
        False,
        "LCRA (low-cost rental accommodation) or LCHO (low-cost home ownership). Empty: the stock type of the home "
        "named by uprn.",
        "LCRA",
    ),
    Column("uprn", False, "The UPRN of the tenant's home, one of our properties.", "100023336956", max_length=12),
    Column("survey", False, "The survey's name.", "Tenant perception survey 2024/25", max_length=120),
]
ANSWERS = choice_lookup(
    Satisfaction,
    {
        "neither": Satisfaction.NEITHER,
        "neither satisfied or dissatisfied": Satisfaction.NEITHER,
        "satisfied": Satisfaction.FAIRLY_SATISFIED,
        "dissatisfied": Satisfaction.FAIRLY_DISSATISFIED,
    },
)
DONT_KNOW = {normalise(text) for text in ("don't know", "dont know", "do not know", "not sure")}
STOCK_TYPES = {
    normalise(text): value
    for value, names in (
        (StockType.LCRA, ("lcra", "low-cost rental accommodation", "low cost rental", "low-cost rental")),
        (StockType.LCHO, ("lcho", "low-cost home ownership", "low cost home ownership", "shared ownership")),
    )
    for text in names
}
TP09_STOCK = {StockType.LCRA, StockType.LCHO}


@dataclass
class PlannedAnswer:
    row: object
    reference: str
    survey: str
    answered_on: datetime.date
    stock_type: str
    answer: str
    home_id: int | None


class SurveyAnswersKind:
    name = "survey-answers"
    label = "Tenant perception survey answers (TP09)"
    description = "Answers to the TP09 question on satisfaction with complaints handling, one row per tenant."
    example = "docs/examples/survey-answers.csv"
    columns = COLUMNS
    noun = "survey answers"

    def check(self, rows, ctx):
        uprns = {row.values["uprn"] for row in rows if row.values.get("uprn")}
        homes = {
            uprn: (pk, stock)
            for uprn, pk, stock in Property.objects.filter(uprn__in=uprns).values_list("uprn", "pk", "stock_type")
        }
        plan, seen, dont_know = [], {}, []
        for row in rows:
            reference = ctx.text(row, "reference", required=True, max_length=60)
            survey = ctx.text(row, "survey", max_length=120)
            answered_on = ctx.date(row, "answered_on", required=True)
            text = row.values.get("answer", "")
            if normalise(text) in DONT_KNOW:
                dont_know.append(row.number)
                continue
            answer = ctx.choice(row, "answer", ANSWERS, required=True, what="TP09 answer")
            if reference:
                key = (normalise(survey), reference)
                if key in seen:
                    ctx.problem(row, "reference", f"'{reference}' is already on row {seen[key]} of this survey.")
                seen.setdefault(key, row.number)
            home_id = stock = None
            uprn = row.values.get("uprn", "")
            if uprn:
                if uprn not in homes:
                    ctx.problem(
                        row,
                        "uprn",
                        f"'{uprn}' is not the UPRN of one of our homes; correct it, or leave it empty to import the "
                        "answer with its stock type alone.",
                    )
                else:
                    home_id, stock = homes[uprn]
            stock_text = row.values.get("stock_type", "")
            if stock_text:
                given = STOCK_TYPES.get(normalise(stock_text))
                if given is None:
                    ctx.problem(
                        row,
                        "stock_type",
                        f"'{stock_text}' is not LCRA or LCHO: TP09 is reported for low-cost rental and low-cost "
                        "home ownership homes only.",
                    )
                elif stock is not None and stock != given:
                    ctx.problem(
                        row,
                        "stock_type",
                        f"'{stock_text}' differs from the stock type of the home with UPRN {uprn} "
                        f"({StockType(stock).label}); correct one of them.",
                    )
                stock = given
            elif stock is not None and stock not in TP09_STOCK:
                ctx.problem(
                    row,
                    "stock_type",
                    f"is empty and the home with UPRN {uprn} is {StockType(stock).label.lower()}: TP09 counts "
                    "LCRA and LCHO homes only; give the stock type the survey recorded.",
                )
                stock = None
            elif stock is None and not (uprn and uprn not in homes):
                ctx.problem(row, "stock_type", "is empty; give LCRA or LCHO, or the UPRN of the tenant's home.")
            if reference and answered_on and answer and stock in TP09_STOCK:
                plan.append(PlannedAnswer(row, reference, survey, answered_on, stock, answer, home_id))
        if dont_know:
            ctx.warn(
                f'{len(dont_know)} "don\'t know" answer{"s" if len(dont_know) != 1 else ""} '
                f"(row{'s' if len(dont_know) != 1 else ''} {', '.join(map(str, dont_know[:10]))}"
                f"{' and more' if len(dont_know) > 10 else ''}) left out: they are outside TP09's base."
            )
        ctx.result.cases_in_file = len(plan)
        return self._leave_out_imported(plan, ctx)

    def _leave_out_imported(self, plan, ctx):
        """The plan without the answers a previous import of the same survey wrote; a changed one is a problem."""
        stored = {}
        references = {planned.reference for planned in plan}
        for start in range(0, len(references), 500):
            chunk = sorted(references)[start : start + 500]
            for answer in SurveyAnswer.objects.filter(reference__in=chunk):
                stored[(normalise(answer.survey), answer.reference)] = answer
        new = []
        for planned in plan:
            before = stored.get((normalise(planned.survey), planned.reference))
            if before is None:
                new.append(planned)
                continue
            was = (before.answered_on, before.stock_type, before.answer, before.home_id)
            now = (planned.answered_on, planned.stock_type, planned.answer, planned.home_id)
            if was == now:
                ctx.result.unchanged += 1
                continue
            ctx.problem(
                planned.row,
                "reference",
                f"'{planned.reference}' was imported before as {before.get_answer_display().lower()} on "
                f"{before.answered_on:%d/%m/%Y} ({before.get_stock_type_display()}); a re-import never changes "
                "an imported answer. Correct it in the administration pages if it was wrong.",
            )
        return new

    def write(self, plan, ctx):
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(
                    reference=planned.reference,
                    survey=planned.survey,
                    answered_on=planned.answered_on,
                    stock_type=planned.stock_type,
                    answer=planned.answer,
                    home_id=planned.home_id,
                )
                for planned in plan
            ],
            batch_size=2_000,
        )
        return len(plan)


KIND = SurveyAnswersKind
