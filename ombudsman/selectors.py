"""Reads for the ombudsman pages and API, and the figures reports use.

The figures are plain functions of a date range (`start`, `end`, both inclusive, by the date of the
ombudsman's determination), aggregated in the database; another app calls them as
`ombudsman.selectors.findings_by_category(start, end)` and so on."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone

from casework.models import Ombudsman
from casework.permissions import visible_cases
from casework.time_left import time_left
from ombudsman.filters import OmbudsmanCaseFilter
from ombudsman.models import (
    MALADMINISTRATION_OUTCOMES,
    NOT_INVESTIGATED_OUTCOMES,
    OUTCOMES_BY_OMBUDSMAN,
    Finding,
    FindingOutcome,
    InformationRequest,
    NonComplianceFinding,
    OmbudsmanCase,
    OmbudsmanPublication,
    Order,
    OrderKind,
    OrderType,
    ServiceContribution,
)
from sla.models import ClockKind

# --- Cases --------------------------------------------------------------------------------------------


# What a row of the list's page shows (templates/ombudsman/list.html), the only columns its page reads
# (casework.paging.showing). The exports read `list_queryset` whole.
LIST_ROW_FIELDS = (
    "reference",
    "kind",
    "status",
    "summary",
    "ombudsman",
    "ombudsman_reference",
    "next_due_on",
    "resident__title",
    "resident__first_name",
    "resident__last_name",
    "original_complaint__reference",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def list_queryset(user):
    return (
        visible_cases(user, OmbudsmanCase.objects.all())
        .select_related("service_area", "assigned_to", "resident", "original_complaint", "determination")
        .order_by("-is_urgent", F("next_due_on").asc(nulls_last=True), "-received_on", "-id")
    )


def case_list(user, params):
    """The filtered list (a FilterSet, whose `.qs` is the page's rows)."""
    return OmbudsmanCaseFilter(params, queryset=list_queryset(user))


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


# The list's columns, then the due dates of the case's open clocks (`open_due`, read a batch at a time by
# casework.selectors) behind "Next deadline".
QUEUE_EXPORT_COLUMNS = (
    ("Reference", lambda c: c.reference),
    ("Urgent", lambda c: "Yes" if c.is_urgent else ""),
    ("Ombudsman", lambda c: c.get_ombudsman_display()),
    ("Their reference", lambda c: c.ombudsman_reference),
    ("Resident", lambda c: c.resident.full_name if c.resident else ""),
    ("Summary", lambda c: c.summary),
    ("Stage", lambda c: c.get_stage_display()),
    ("Complaint", lambda c: c.original_complaint.reference if c.original_complaint else ""),
    ("Service area", lambda c: str(c.service_area)),
    ("Officer", lambda c: _person(c.assigned_to)),
    ("Received", lambda c: c.received_on),
    ("Reply to the ombudsman by", lambda c: c.open_due.get(ClockKind.INFORMATION_REQUEST)),
    ("Comply with orders by", lambda c: c.open_due.get(ClockKind.ORDER)),
    ("Next deadline", lambda c: c.next_due_on),
)


def detail_queryset(user):
    contributions = ServiceContribution.objects.select_related("service_area", "officer", "clock")
    requests = InformationRequest.objects.select_related("clock", "reply_sent_by").prefetch_related(
        Prefetch("contributions", queryset=contributions), "clock__extensions"
    )
    orders = Order.objects.select_related("finding__category", "clock").prefetch_related("evidence")
    return (
        visible_cases(user, OmbudsmanCase.objects.all())
        .select_related(
            "service_area",
            "assigned_to",
            "team",
            "resident",
            "representative",
            "home",
            "original_complaint",
            "determination__recorded_by",
        )
        .prefetch_related(
            Prefetch("information_requests", queryset=requests),
            "determination__findings__category",
            Prefetch("determination__orders", queryset=orders),
        )
    )


def case_for(user, reference):
    """An ombudsman case the user may see, with everything its page shows, or None."""
    return detail_queryset(user).filter(reference=reference).first()


def cases_about_complaint(user, complaint):
    """The ombudsman cases about a complaint, for the complaint's page."""
    return visible_cases(user, OmbudsmanCase.objects.filter(original_complaint=complaint)).order_by("received_on")


def clocks_with_time_left(case):
    return [
        {"clock": clock, "time_left": time_left(clock.due_on, division=clock.division) if clock.is_open else None}
        for clock in case.clocks.prefetch_related("extensions").order_by("started_on", "id")
    ]


def orders_due(user, *, outstanding=True):
    """Orders and recommendations with a due date, soonest first, for the orders list and the API."""
    orders = Order.objects.filter(
        determination__case__in=visible_cases(user, OmbudsmanCase.objects.all())
    ).select_related("determination__case", "finding__category")
    if outstanding:
        orders = orders.filter(complied_on__isnull=True)
    return orders.order_by(F("due_on").asc(nulls_last=True), "id")


# --- Figures for reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A proportion kept exact, with the percentage to one decimal place and as the ombudsman publishes it
    (a whole number, halves rounded up: 6 of 11 is 54.5%, published as 55%)."""

    numerator: int
    denominator: int

    @property
    def ratio(self):
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self):
        """Decimal('54.5') for 6 of 11; None when there is nothing to count."""
        if self.ratio is None:
            return None
        return (self.ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def whole_percent(self):
        # Rounded from the exact ratio, not from the one-decimal figure, so nothing is rounded twice.
        if self.ratio is None:
            return None
        return (self.ratio * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def shown(self):
        return "no figure" if self.whole_percent is None else f"{self.whole_percent}%"

    def __str__(self):
        return self.shown


def _findings(start, end, ombudsman=None, service_area=None):
    findings = Finding.objects.filter(determination__determined_on__range=(start, end))
    if ombudsman:
        findings = findings.filter(determination__case__ombudsman=ombudsman)
    if service_area:
        findings = findings.filter(determination__case__service_area=service_area)
    return findings


def _orders(start, end, ombudsman=None, service_area=None):
    orders = Order.objects.filter(determination__determined_on__range=(start, end))
    if ombudsman:
        orders = orders.filter(determination__case__ombudsman=ombudsman)
    if service_area:
        orders = orders.filter(determination__case__service_area=service_area)
    return orders


@dataclass
class CategoryRow:
    category: str
    counts: dict  # {outcome value: count}, every outcome of the table present
    total: int
    cells: list = field(default_factory=list)  # the counts in the table's column order


@dataclass
class FindingsTable:
    """Findings counted by category and outcome: seed 002's 'Ombudsman Findings by Category'."""

    ombudsman: str
    outcomes: list  # [(value, label)] in the ombudsman's order
    rows: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    total: int = 0

    def total_cells(self):
        return [self.totals[value] for value, _ in self.outcomes]


def findings_by_category(start, end, ombudsman=Ombudsman.HOUSING, service_area=None):
    """Findings of determinations made from `start` to `end` for one ombudsman, counted by category (rows,
    in the category list's order; only categories with findings) and outcome (columns). One query."""
    outcomes = OUTCOMES_BY_OMBUDSMAN[ombudsman]
    counts = {outcome.value: Count("id", filter=Q(outcome=outcome)) for outcome in outcomes}
    rows = (
        _findings(start, end, ombudsman, service_area)
        .values("category__name", "category__position")
        .annotate(total=Count("id"), **counts)
        .order_by("category__position", "category__name")
    )
    table = FindingsTable(ombudsman=ombudsman, outcomes=[(o.value, o.label) for o in outcomes])
    table.totals = {outcome.value: 0 for outcome in outcomes}
    for row in rows:
        table.rows.append(
            CategoryRow(
                category=row["category__name"],
                counts={outcome.value: row[outcome.value] for outcome in outcomes},
                total=row["total"],
                cells=[row[outcome.value] for outcome in outcomes],
            )
        )
        for outcome in outcomes:
            table.totals[outcome.value] += row[outcome.value]
        table.total += row["total"]
    return table


def maladministration_rate(start, end, service_area=None):
    """The Housing Ombudsman's maladministration rate: findings of severe maladministration,
    maladministration and service failure, over all findings less those outside jurisdiction and withdrawn."""
    figures = _findings(start, end, Ombudsman.HOUSING, service_area).aggregate(
        maladministration=Count("id", filter=Q(outcome__in=MALADMINISTRATION_OUTCOMES)),
        counted=Count("id", filter=~Q(outcome__in=NOT_INVESTIGATED_OUTCOMES)),
    )
    return Rate(figures["maladministration"], figures["counted"])


def lgsco_upheld_rate(start, end, service_area=None):
    """The LGSCO's uphold rate: decisions upheld over decisions upheld or not upheld (cases closed after
    initial enquiries were not investigated)."""
    figures = _findings(start, end, Ombudsman.LGSCO, service_area).aggregate(
        upheld=Count("id", filter=Q(outcome=FindingOutcome.UPHELD)),
        decided=Count("id", filter=Q(outcome__in=[FindingOutcome.UPHELD, FindingOutcome.NOT_UPHELD])),
    )
    return Rate(figures["upheld"], figures["decided"])


def orders_by_type(start, end, ombudsman=Ombudsman.HOUSING, service_area=None):
    """Orders and recommendations of one ombudsman's determinations (None: both ombudsmen's) made from
    `start` to `end`, counted by type: [{"order_type", "label", "orders", "recommendations"}] in the types'
    order, types with none left out."""
    rows = {
        row["order_type"]: row
        for row in _orders(start, end, ombudsman, service_area)
        .values("order_type")
        .annotate(
            orders=Count("id", filter=Q(kind=OrderKind.ORDER)),
            recommendations=Count("id", filter=Q(kind=OrderKind.RECOMMENDATION)),
        )
        .order_by()
    }
    return [
        {
            "order_type": value,
            "label": label,
            "orders": rows[value]["orders"],
            "recommendations": rows[value]["recommendations"],
        }
        for value, label in OrderType.choices
        if value in rows
    ]


def compensation_by_category(start, end, ombudsman=Ombudsman.HOUSING, service_area=None):
    """Compensation of one ombudsman's determinations (None: both ombudsmen's) made from `start` to `end`,
    in pence, by the category of the finding it remedies: [{"category", "ordered_pence",
    "recommended_pence"}], largest ordered first."""
    rows = (
        _orders(start, end, ombudsman, service_area)
        .filter(order_type=OrderType.COMPENSATION)
        .values(category=F("finding__category__name"))
        .annotate(
            ordered_pence=Sum("amount_pence", filter=Q(kind=OrderKind.ORDER), default=0),
            recommended_pence=Sum("amount_pence", filter=Q(kind=OrderKind.RECOMMENDATION), default=0),
        )
        .order_by("-ordered_pence", "category")
    )
    return [
        {
            "category": row["category"] or "Not linked to a finding",
            "ordered_pence": row["ordered_pence"],
            "recommended_pence": row["recommended_pence"],
        }
        for row in rows
    ]


def order_compliance_rate(start, end, ombudsman=Ombudsman.HOUSING, as_of=None, service_area=None):
    """Orders complied with by their due date, over orders due: orders (not recommendations) of one
    ombudsman's determinations (None: both ombudsmen's) made from `start` to `end` whose due date has come by
    `as_of` (default today). An order not yet due counts in neither; one complied late or not at all counts
    against."""
    as_of = as_of or timezone.localdate()
    figures = (
        _orders(start, end, ombudsman, service_area)
        .filter(kind=OrderKind.ORDER, due_on__lte=as_of)
        .aggregate(
            due=Count("id"),
            in_time=Count("id", filter=Q(complied_on__isnull=False, complied_on__lte=F("due_on"))),
        )
    )
    return Rate(figures["in_time"], figures["due"])


@dataclass
class OmbudsmanFigures:
    """One ombudsman's figures for a period. The rate is the Housing Ombudsman's maladministration rate or
    the LGSCO's uphold rate, by the ombudsman."""

    ombudsman: str
    start: object
    end: object
    determinations: int
    findings: FindingsTable
    rate: Rate
    rate_label: str
    orders_by_type: list
    compensation_by_category: list
    compensation_ordered_pence: int
    order_compliance_rate: Rate


def figures(start, end, ombudsman=Ombudsman.HOUSING, as_of=None, service_area=None):
    """Every figure of one ombudsman's determinations made from `start` to `end` (of one service area when
    given), for a report page."""
    compensation = compensation_by_category(start, end, ombudsman, service_area)
    housing = ombudsman == Ombudsman.HOUSING
    determined = OmbudsmanCase.objects.filter(ombudsman=ombudsman, determination__determined_on__range=(start, end))
    if service_area:
        determined = determined.filter(service_area=service_area)
    return OmbudsmanFigures(
        ombudsman=ombudsman,
        start=start,
        end=end,
        determinations=determined.count(),
        findings=findings_by_category(start, end, ombudsman, service_area),
        rate=maladministration_rate(start, end, service_area)
        if housing
        else lgsco_upheld_rate(start, end, service_area),
        rate_label="Maladministration rate" if housing else "Decisions upheld",
        orders_by_type=orders_by_type(start, end, ombudsman, service_area),
        compensation_by_category=compensation,
        compensation_ordered_pence=sum(row["ordered_pence"] for row in compensation),
        order_compliance_rate=order_compliance_rate(start, end, ombudsman, as_of, service_area),
    )


# --- Findings of non-compliance with the Code, annual letters and other reports ------------------------


def non_compliance_findings(start=None, end=None):
    """Complaint handling failure orders and notices issued from `start` to `end` (both included), latest
    first, with the case and complaint they relate to."""
    findings = NonComplianceFinding.objects.select_related("ombudsman_case", "complaint", "recorded_by")
    if start is not None:
        findings = findings.filter(issued_on__gte=start)
    if end is not None:
        findings = findings.filter(issued_on__lte=end)
    return findings


def non_compliance_finding(pk):
    return non_compliance_findings().filter(pk=pk).first()


def publications(reporting_year=None, kind=None):
    """The Ombudsman's annual letters and other reports about the council, latest year first."""
    found = OmbudsmanPublication.objects.select_related("recorded_by")
    if reporting_year is not None:
        found = found.filter(reporting_year=reporting_year)
    if kind is not None:
        found = found.filter(kind=kind)
    return found


def publication(pk):
    return publications().filter(pk=pk).first()
