"""The ombudsman's figures as tables for the reports (reporting.sections): for each ombudsman with
determinations in the period, findings by category and outcome, the maladministration (or uphold) rate, orders
by type, compensation by category and compliance with orders due."""

from casework.models import Ombudsman
from ombudsman import selectors
from ombudsman.models import Determination

# The ombudsman's name where space is short: a spreadsheet's sheet name holds 31 characters.
SHORT_NAMES = {Ombudsman.HOUSING: "Housing Ombudsman", Ombudsman.LGSCO: "LGSCO"}


def _pounds(pence):
    return f"£{pence / 100:,.2f}"


def _rate_row(label, rate):
    return {
        "measure": label,
        "count": rate.numerator,
        "of": rate.denominator,
        "percent": None if rate.percent is None else f"{rate.percent}%",
        "published": rate.shown,
    }


def report_tables(period, *, service_area=None):
    tables = []
    determined = Determination.objects.filter(determined_on__range=(period.start, period.end))
    if service_area:
        determined = determined.filter(case__service_area=service_area)
    for ombudsman in determined.values_list("case__ombudsman", flat=True).distinct().order_by("case__ombudsman"):
        name = Ombudsman(ombudsman).label
        short = SHORT_NAMES[ombudsman]
        figures = selectors.figures(period.start, period.end, ombudsman, service_area=service_area)
        columns = [{"key": "category", "label": "Category"}]
        columns += [{"key": value, "label": label} for value, label in figures.findings.outcomes]
        columns.append({"key": "total", "label": "Total"})
        rows = [{"category": row.category, **row.counts, "total": row.total} for row in figures.findings.rows]
        rows.append({"category": "Total", **figures.findings.totals, "total": figures.findings.total})
        tables.append(
            {
                "key": f"{ombudsman}-findings",
                "sheet": f"{short} findings",
                "title": f"{name}: findings by category and outcome",
                "columns": columns,
                "rows": rows,
                "note": f"{figures.determinations} determinations in the period.",
            }
        )
        tables.append(
            {
                "key": f"{ombudsman}-rates",
                "sheet": f"{short} rates",
                "title": f"{name}: {figures.rate_label.lower()} and compliance with orders",
                "columns": [
                    {"key": "measure", "label": "Measure"},
                    {"key": "count", "label": "Count"},
                    {"key": "of", "label": "Of"},
                    {"key": "percent", "label": "Per cent"},
                    {"key": "published", "label": "As published"},
                ],
                "rows": [
                    _rate_row(figures.rate_label, figures.rate),
                    _rate_row("Orders complied with by their due date", figures.order_compliance_rate),
                ],
                "note": "Maladministration rate: severe maladministration, maladministration and service failure "
                "over all findings less outside jurisdiction and withdrawn."
                if ombudsman == Ombudsman.HOUSING
                else "Uphold rate: upheld over upheld and not upheld.",
            }
        )
        tables.append(
            {
                "key": f"{ombudsman}-orders",
                "sheet": f"{short} orders",
                "title": f"{name}: orders and recommendations by type",
                "columns": [
                    {"key": "label", "label": "Type"},
                    {"key": "orders", "label": "Orders"},
                    {"key": "recommendations", "label": "Recommendations"},
                ],
                "rows": [
                    {key: row[key] for key in ("label", "orders", "recommendations")} for row in figures.orders_by_type
                ],
                "note": "",
            }
        )
        tables.append(
            {
                "key": f"{ombudsman}-compensation",
                "sheet": f"{short} compensation",
                "title": f"{name}: compensation by category",
                "columns": [
                    {"key": "category", "label": "Category"},
                    {"key": "ordered", "label": "Ordered"},
                    {"key": "recommended", "label": "Recommended"},
                ],
                "rows": [
                    {
                        "category": row["category"],
                        "ordered": _pounds(row["ordered_pence"]),
                        "recommended": _pounds(row["recommended_pence"]),
                    }
                    for row in figures.compensation_by_category
                ],
                "note": f"Compensation ordered in all: {_pounds(figures.compensation_ordered_pence)}.",
            }
        )
    return tables
