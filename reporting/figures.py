"""How the reports round and compare figures, written once so every page, export and API answer agree.

Percentages are Decimals rounded half up to one place unless a figure says otherwise; a percentage of nothing
is None (shown as a dash), never zero."""

from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
WHOLE = Decimal("1")


def _round(value, places):
    return value.quantize(places, rounding=ROUND_HALF_UP)


def percentage(part, whole, places=ONE_PLACE):
    if not whole:
        return None
    return _round(Decimal(part) * 100 / Decimal(whole), places)


def mean(total, count, places=ONE_PLACE):
    if not count:
        return None
    return _round(Decimal(total) / Decimal(count), places)


def variance_percentage(previous, current):
    """Change on last year as a % of last year; None when last year had none (a rise from nothing has no
    percentage)."""
    if not previous:
        return None
    return percentage(current - previous, previous)


def year_to_date_average(counts):
    """The mean monthly count, rounded to a whole number of cases as committee papers publish it
    (seed 000: January to August 2020, 199 complaints in 8 months, 'average year to date 25')."""
    if not counts:
        return None
    return _round(Decimal(sum(counts)) / len(counts), WHOLE)


def rise_over(count, average):
    """A month's rise over an average, as a whole percentage: 74 against 25 is 196%."""
    if not average:
        return None
    return _round((Decimal(count) - average) * 100 / average, WHOLE)


def per_thousand(count, homes, places=ONE_PLACE):
    if not homes:
        return None
    return _round(Decimal(count) * 1000 / Decimal(homes), places)
