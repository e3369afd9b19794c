"""Ombudsman cases with their determinations, one row per finding (as the Housing Ombudsman's landlord
reports list them), and the orders and recommendations of each determination.

Columns that describe the case (ombudsman, dates, service area, the complaint) are given on any of its rows
(the first may be empty) and left empty or repeated on the others. Each finding's outcome must be one the
case's ombudsman gives. An order of any type (compensation, repairs, apology, staff training, policy review,
other) or a recommendation is given on its finding's row, or on a row of its own naming the finding it
remedies; each gets a clock to the date the ombudsman set, stopped when the council complied, so the
maladministration rate, findings by category, orders by type, compensation by category and the compliance
rate are right for imported cases."""

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from casework.bulk import copy_records, next_ids
from casework.models import Case, CaseKind, Ombudsman, TimelineEvent
from casework.services import allocate_references
from complaints.models import Complaint
from imports.core import (
    IMPORTED_EVENT,
    Column,
    Problem,
    Row,
    ValueProblem,
    at_noon,
    choice_lookup,
    existing_cases,
    imported_rows,
    normalise,
    parse_date,
    parse_pence,
    rows_text,
)
from ombudsman.models import (
    OUTCOMES_BY_OMBUDSMAN,
    Determination,
    Finding,
    FindingCategory,
    FindingOutcome,
    OmbudsmanCase,
    OmbudsmanStage,
    Order,
    OrderKind,
    OrderType,
)
from sla import engine
from sla.models import Clock, ClockKind, ClockStatus

DIVISION = "england-and-wales"
COLUMNS = [
    Column(
        "reference",
        True,
        "Your reference for the ombudsman case; every finding row of the case carries it.",
        "HOS-2022-118",
    ),
    Column(
        "ombudsman",
        True,
        "housing (the Housing Ombudsman) or lgsco (the Local Government and Social Care Ombudsman).",
        "housing",
    ),
    Column("date_received", True, "When the ombudsman told the council of the case.", "04/04/2022"),
    Column("determined_on", True, "The date of the determination; reports count findings by it.", "12/01/2023"),
    Column("service_area", True, "Name or code of one of our service areas.", "Responsive Repairs"),
    Column(
        "complaint_head", True, "The part of the complaint this finding is on.", "The landlord's handling of the leak"
    ),
    Column(
        "category",
        True,
        "One of our finding categories (Property condition, Complaints handling, Charges, ...).",
        "Property condition",
        max_length=120,
    ),
    Column(
        "outcome",
        True,
        "Housing Ombudsman: severe maladministration, maladministration, service failure, mediation, redress, "
        "no maladministration, outside jurisdiction, withdrawn. LGSCO: upheld, not upheld, closed after initial "
        "enquiries.",
        "service failure",
    ),
    Column(
        "finding_number",
        False,
        "The finding's number in the determination. Empty: the lowest number no finding of the case is given. "
        "On an order row: the finding it remedies.",
        "1",
    ),
    Column("ombudsman_reference", False, "The ombudsman's own reference.", "202114567", max_length=60),
    Column(
        "complaint_reference",
        False,
        "The complaint it followed: our reference (CMP-...) or the one it was imported with.",
        "RESP-10234",
    ),
    Column("compensation", False, "Compensation the ombudsman ordered for this finding, in pounds.", "£250"),
    Column("compensation_due_on", False, "When the compensation was due (required with compensation).", "09/02/2023"),
    Column("complied_on", False, "When the council paid it. Empty: still outstanding.", "01/02/2023"),
    Column(
        "order_type",
        False,
        "An order or recommendation of the determination: compensation, repairs, apology, staff training, policy "
        "review, other. On a finding's row it remedies that finding; on a row of its own (complaint_head, category "
        "and outcome empty) it remedies the finding numbered in finding_number.",
        "repairs",
    ),
    Column("order_kind", False, "order or recommendation. Empty: order.", "order"),
    Column("order_description", False, "What the ombudsman asked for.", "Inspect and repair the roof", max_length=500),
    Column("order_amount", False, "Compensation in pounds, when order_type is compensation.", ""),
    Column(
        "order_due_on",
        False,
        "When the ombudsman set it to be done (required for an order; optional for a recommendation).",
        "09/02/2023",
    ),
    Column("order_complied_on", False, "When the council complied. Empty: still outstanding.", "03/02/2023"),
    Column("summary", False, "One line that identifies the case.", "", max_length=250),
]
CASE_COLUMNS = [
    "ombudsman",
    "date_received",
    "determined_on",
    "service_area",
    "ombudsman_reference",
    "complaint_reference",
    "summary",
]
ORDER_COLUMNS = ["order_type", "order_kind", "order_description", "order_amount", "order_due_on", "order_complied_on"]
FINDING_COLUMNS = ("complaint_head", "category", "outcome")
ORDER_VALUES = ("compensation", "compensation_due_on", "complied_on", *ORDER_COLUMNS)
ORDER_TYPES = choice_lookup(
    OrderType, {"training": OrderType.STAFF_TRAINING, "review of policy": OrderType.POLICY_REVIEW}
)
ORDER_KINDS = choice_lookup(OrderKind)
OMBUDSMEN = choice_lookup(
    Ombudsman,
    {
        "hos": Ombudsman.HOUSING,
        "housing ombudsman service": Ombudsman.HOUSING,
        "lgo": Ombudsman.LGSCO,
        "local government ombudsman": Ombudsman.LGSCO,
    },
)
OUTCOMES = choice_lookup(
    FindingOutcome,
    {
        "severe maladministration": FindingOutcome.SEVERE_MALADMINISTRATION,
        "no maladministration": FindingOutcome.NO_MALADMINISTRATION,
    },
)


@dataclass
class OrderRow:
    row: object
    kind: str
    order_type: str
    description: str
    amount_pence: int | None
    due_on: datetime.date | None
    complied_on: datetime.date | None


@dataclass
class FindingRow:
    row: object
    number: int
    complaint_head: str
    category_name: str
    outcome: str
    canonical: dict
    orders: list = field(default_factory=list)


@dataclass
class PlannedCase:
    reference: str
    first: object
    values: dict  # the case's columns, each from the first of its rows that gives it
    ombudsman: str
    received_on: datetime.date
    determined_on: datetime.date
    service_area: object
    complaint_id: int | None
    findings: list = field(default_factory=list)
    # Recommendations that remedy no one finding (an order always names its finding).
    general_orders: list = field(default_factory=list)
    canonical_rows: list = field(default_factory=list)  # (row, its values as stored in the import's history)

    @property
    def orders(self):
        return [order for finding in self.findings for order in finding.orders] + self.general_orders


def _is_order_row(row):
    """A row of its own for an order or recommendation: no finding on it, only order columns."""
    values = row.values
    return not any(values.get(column) for column in FINDING_COLUMNS) and any(
        values.get(column) for column in ORDER_VALUES
    )


def _number(text):
    return int(text) if text.isdigit() and int(text) > 0 else None


def _listed(numbers):
    numbers = [str(n) for n in numbers]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"


def _row_key(canonical):
    """What a stored row is compared by on a second import: a finding by its number, an order row by the
    finding it remedies and its place among that finding's order rows."""
    return canonical.get("_order") or f"finding {canonical.get('finding_number')}"


def _changes(stored_rows, new_rows):
    stored = {_row_key(row): row for row in stored_rows}
    new_keys = {_row_key(row) for row in new_rows}
    changes = []
    for row in new_rows:
        before = stored.get(_row_key(row))
        if before is None:
            changes.append((row, None, f"{_row_key(row)} is new"))
            continue
        for column in sorted(set(before) | set(row)):
            if column.startswith("_"):
                continue
            if before.get(column, "") != row.get(column, ""):
                changes.append(
                    (row, column, f"was imported as '{before.get(column, '')}', now '{row.get(column, '')}'")
                )
    for key in stored:
        if key not in new_keys:
            changes.append((None, None, f"{key} was imported and is not in this file"))
    return changes


class OmbudsmanFindingsKind:
    name = "ombudsman-findings"
    label = "Ombudsman cases and findings (one row per finding)"
    description = "Ombudsman cases with their determinations, findings, orders and recommendations."
    example = "docs/examples/ombudsman-findings.csv"
    columns = COLUMNS

    def check(self, rows, ctx):
        self.categories = {normalise(c.name): c for c in FindingCategory.objects.all()}
        self.new_categories = {}
        self.unknown_categories = defaultdict(list)
        self.new_area_ombudsman = {}
        groups = defaultdict(list)
        for row in rows:
            reference = ctx.text(row, "reference", required=True, max_length=60)
            if reference:
                groups[reference].append(row)
        ctx.result.cases_in_file = len(groups)
        case_values = {
            reference: self._case_values(reference, case_rows, ctx) for reference, case_rows in groups.items()
        }
        complaint_refs = {v["complaint_reference"] for v, _ in case_values.values() if v.get("complaint_reference")}
        complaints = dict(Complaint.objects.filter(reference__in=complaint_refs).values_list("reference", "pk"))
        complaints.update(
            Complaint.objects.filter(external_reference__in=complaint_refs).values_list("external_reference", "pk")
        )
        plan = []
        for reference, case_rows in groups.items():
            before = len(ctx.result.problems)
            planned = self._plan_case(reference, case_rows, *case_values[reference], complaints, ctx)
            if planned is not None and len(ctx.result.problems) == before:
                plan.append(planned)
        for name, numbers in self.unknown_categories.items():
            if ctx.lookups.create_reference_data:
                ctx.result.reference_data_created.append(f"finding category '{name}'")
                self.new_categories[normalise(name)] = FindingCategory(name=name[:120])
            else:
                ctx.result.problems.append(
                    Problem(
                        None,
                        "category",
                        f"Unknown finding category '{name}' on {rows_text(numbers)}. Add it in the administration "
                        "pages, map it in a mapping file, or import with --create-reference-data.",
                    )
                )
        return self._leave_out_imported(plan, groups, ctx)

    def _case_values(self, reference, case_rows, ctx):
        """The case's columns, each from the first of its rows that gives it (any row may, the first may be
        empty); a different value on a later row is a problem on that row. Returns (values, {column: row})."""
        values, sources = {}, {}
        for row in case_rows:
            for column in CASE_COLUMNS:
                value = row.values.get(column, "")
                if not value:
                    continue
                if column not in values:
                    values[column], sources[column] = value, row
                elif normalise(value) != normalise(values[column]):
                    ctx.problem(
                        row,
                        column,
                        f"'{value}' differs from '{values[column]}' on row {sources[column].number}; "
                        f"every row of '{reference}' is the same case, with one {column.replace('_', ' ')}.",
                    )
        return values, sources

    def _plan_case(self, reference, case_rows, values, sources, complaints, ctx):
        first = case_rows[0]

        def at(column):
            # The case's value read as if on the row that gave it, so a problem names that row.
            return Row(sources[column].number if column in sources else first.number, values)

        for column in ("ombudsman", "date_received", "determined_on", "service_area"):
            if column not in values and column not in ctx.missing_columns:
                ctx.problem(
                    first,
                    column,
                    f"is empty on every row of '{reference}' ({rows_text([r.number for r in case_rows])}); "
                    "this column is required: give it on one of the case's rows.",
                )
        ombudsman = ctx.choice(at("ombudsman"), "ombudsman", OMBUDSMEN, what="ombudsman")
        received = ctx.date(at("date_received"), "date_received")
        determined = ctx.date(at("determined_on"), "determined_on")
        if received and determined and determined < received:
            ctx.problem(at("determined_on"), "determined_on", f"{determined:%d/%m/%Y} is before the date received.")
        area = (
            ctx.lookups.service_area(values["service_area"], at("service_area").number)
            if "service_area" in values
            else None
        )
        if area is not None and area.pk is None and ombudsman:
            # A service area new to us takes the ombudsman of the cases that name it, not the default.
            key = normalise(area.name)
            if key not in self.new_area_ombudsman:
                self.new_area_ombudsman[key] = ombudsman
                area.ombudsman = ombudsman
            elif self.new_area_ombudsman[key] != ombudsman:
                ctx.warn(
                    f"The new service area '{area.name}' has cases of both ombudsmen in this file; it is created "
                    f"for the {Ombudsman(self.new_area_ombudsman[key]).label}. Change it in the administration "
                    "pages if that is wrong."
                )
        complaint_ref = values.get("complaint_reference", "")
        if complaint_ref and complaint_ref not in complaints:
            ctx.problem(
                at("complaint_reference"), "complaint_reference", f"'{complaint_ref}' is not one of our complaints."
            )
        planned = PlannedCase(
            reference, first, values, ombudsman, received, determined, area, complaints.get(complaint_ref)
        )
        finding_rows = [row for row in case_rows if not _is_order_row(row)]
        order_rows = [row for row in case_rows if _is_order_row(row)]
        # Numbered findings keep their numbers; unnumbered ones take, in the order of the rows, the lowest
        # numbers no finding of the case is given, so "1, (empty), 3" reads 1, 2, 3 and "(empty), 1" reads 2, 1.
        given = []
        for row in finding_rows:
            text = row.values.get("finding_number", "")
            number = _number(text)
            if text and number is None:
                ctx.problem(row, "finding_number", f"'{text}' is not a finding number (1, 2, ...).")
            given.append(number)
        taken = {number for number in given if number}
        free = (n for n in range(1, len(finding_rows) + len(taken) + 2) if n not in taken)
        numbers = {}
        for row, number in zip(finding_rows, given, strict=True):
            if number is None:
                number = next(free)
            elif number in numbers:
                ctx.problem(
                    row,
                    "finding_number",
                    f"duplicate: finding {number} of '{reference}' is already on row {numbers[number].row.number}.",
                )
                continue
            finding = self._finding(row, number, ombudsman, ctx)
            finding.orders = self._orders(row, determined, ctx)
            numbers[number] = finding
            planned.findings.append(finding)
            planned.canonical_rows.append((row, self._canonical(row, received, determined, ctx, number=number)))
        for position, row in enumerate(order_rows, start=1):
            orders = self._orders(row, determined, ctx)
            text = row.values.get("finding_number", "")
            number = _number(text)
            canonical = self._canonical(row, received, determined, ctx)
            canonical["_order"] = f"order row {position} of the case"
            planned.canonical_rows.append((row, canonical))
            if text and number is None:
                ctx.problem(row, "finding_number", f"'{text}' is not a finding number (1, 2, ...).")
            elif number is not None and number not in numbers:
                known = (
                    f"its findings in this file are {_listed(sorted(numbers))}"
                    if numbers
                    else "this file has no finding of it (a row with complaint_head, category and outcome)"
                )
                ctx.problem(
                    row,
                    "finding_number",
                    f"finding {number} of '{reference}' does not exist: {known}. An order is imported in the same "
                    "file as the finding it remedies.",
                )
            elif number is not None:
                numbers[number].orders.extend(orders)
            else:
                if any(o.kind == OrderKind.ORDER or o.order_type == OrderType.COMPENSATION for o in orders):
                    ctx.problem(
                        row,
                        "finding_number",
                        "is empty; an order, and any compensation, remedies a finding of the determination: give "
                        "that finding's number. Only a recommendation can stand without one.",
                    )
                planned.general_orders.extend(orders)
        if not planned.findings and not ctx.missing_columns & {"complaint_head", "category", "outcome"}:
            ctx.problem(
                first, "complaint_head", f"'{reference}' has no finding: give each finding on a row of its own."
            )
        if None in (ombudsman, received, determined, area):
            return None
        return planned

    def _finding(self, row, number, ombudsman, ctx):
        head = ctx.text(row, "complaint_head", required=True, max_length=300)
        category = ctx.text(row, "category", required=True)
        if category and normalise(category) not in self.categories:
            self.unknown_categories[category].append(row.number)
        outcome = ctx.choice(row, "outcome", OUTCOMES, required=True, what="finding")
        if outcome and ombudsman and outcome not in OUTCOMES_BY_OMBUDSMAN[ombudsman]:
            allowed = ", ".join(FindingOutcome(o).label.lower() for o in OUTCOMES_BY_OMBUDSMAN[ombudsman])
            ctx.problem(
                row,
                "outcome",
                f"the {Ombudsman(ombudsman).label} does not find "
                f"'{FindingOutcome(outcome).label.lower()}'; it finds: {allowed}.",
            )
            outcome = None
        return FindingRow(row, number, head, category, outcome, {})

    def _orders(self, row, determined, ctx):
        """The orders and recommendations a row gives: compensation in the compensation columns, and one of
        any type in the order columns."""
        orders = []
        pence = ctx.pence(row, "compensation")
        due = ctx.date(row, "compensation_due_on", not_future=False)
        complied = ctx.date(row, "complied_on")
        if pence and due is None and not row.values.get("compensation_due_on"):
            ctx.problem(row, "compensation_due_on", "is empty; ordered compensation needs the date it was due.")
        if (due or complied) and not pence:
            ctx.problem(row, "compensation", "is empty but a due or complied date is given.")
        if determined and due and due < determined:
            ctx.problem(row, "compensation_due_on", "is before the determination.")
        if determined and complied and complied < determined:
            ctx.problem(row, "complied_on", "is before the determination.")
        if pence:
            orders.append(OrderRow(row, OrderKind.ORDER, OrderType.COMPENSATION, "", pence, due, complied))
        given = [column for column in ORDER_COLUMNS[1:] if row.values.get(column)]
        if not row.values.get("order_type"):
            if given:
                ctx.problem(
                    row,
                    "order_type",
                    f"is empty but {_listed(given)} {'is' if len(given) == 1 else 'are'} given; say what the order "
                    "or recommendation asks for.",
                )
            return orders
        order_type = ctx.choice(row, "order_type", ORDER_TYPES, what="type of order")
        kind = (
            ctx.choice(row, "order_kind", ORDER_KINDS, what="kind of order")
            if row.values.get("order_kind")
            else (OrderKind.ORDER)
        )
        amount = ctx.pence(row, "order_amount") if row.values.get("order_amount") else None
        if order_type == OrderType.COMPENSATION and not amount and not row.values.get("order_amount"):
            ctx.problem(row, "order_amount", "is empty; compensation needs its amount in pounds.")
        elif order_type == OrderType.COMPENSATION and amount == 0 and row.values.get("order_amount"):
            ctx.problem(row, "order_amount", "is zero; compensation needs an amount.")
        elif order_type and order_type != OrderType.COMPENSATION and row.values.get("order_amount"):
            ctx.problem(
                row,
                "order_amount",
                f"is given for {OrderType(order_type).label.lower()}; only compensation has an amount.",
            )
        order_due = ctx.date(row, "order_due_on", not_future=False)
        order_complied = ctx.date(row, "order_complied_on")
        if kind == OrderKind.ORDER and not row.values.get("order_due_on"):
            ctx.problem(row, "order_due_on", "is empty; an order needs the date the ombudsman set for compliance.")
        if determined and order_due and order_due < determined:
            ctx.problem(row, "order_due_on", "is before the determination.")
        if determined and order_complied and order_complied < determined:
            ctx.problem(row, "order_complied_on", "is before the determination.")
        description = ctx.text(row, "order_description", max_length=500)
        if order_type and kind:
            orders.append(OrderRow(row, kind, order_type, description, amount, order_due, order_complied))
        return orders

    def _canonical(self, row, received, determined, ctx, number=None):
        """The row as stored in the import's history, in our values, to recognise the same data next time."""
        canonical = {column: value for column, value in row.values.items() if value}
        if number is not None:
            canonical["finding_number"] = str(number)
        for column, day in (("date_received", received), ("determined_on", determined)):
            if day:
                canonical[column] = day.isoformat()
        for column in ("compensation_due_on", "complied_on", "order_due_on", "order_complied_on"):
            if canonical.get(column):
                with contextlib.suppress(ValueProblem):  # the problem is reported where the value is read
                    canonical[column] = parse_date(canonical[column], ctx.date_formats).isoformat()
        for column, lookup in (("outcome", OUTCOMES), ("order_type", ORDER_TYPES), ("order_kind", ORDER_KINDS)):
            if canonical.get(column) and normalise(canonical[column]) in lookup:
                canonical[column] = lookup[normalise(canonical[column])]
        for column in ("compensation", "order_amount"):
            if canonical.get(column):
                with contextlib.suppress(ValueProblem):
                    canonical[column] = str(parse_pence(canonical[column]))
        return canonical

    def _leave_out_imported(self, plan, groups, ctx):
        """The plan without the cases a previous import wrote from the same rows; a changed row is a problem."""
        existing = existing_cases(groups)
        stored = imported_rows(pk for pk, kind, _ in existing.values() if kind == CaseKind.OMBUDSMAN)
        new_plan = []
        for planned in plan:
            found = existing.get(planned.reference)
            if found is None:
                new_plan.append(planned)
                continue
            case_id, kind, ours = found
            if kind != CaseKind.OMBUDSMAN or case_id not in stored:
                ctx.problem(
                    planned.first,
                    "reference",
                    f"'{planned.reference}' is already the reference of {kind} case {ours}, "
                    "which was not imported from these rows.",
                )
                continue
            changes = _changes(stored[case_id], [canonical for _, canonical in planned.canonical_rows])
            if not changes:
                ctx.result.unchanged += 1
            rows_by_key = {_row_key(canonical): row for row, canonical in planned.canonical_rows}
            for canonical, column, message in changes:
                row = rows_by_key.get(_row_key(canonical), planned.first) if canonical else planned.first
                ctx.problem(
                    row,
                    column or "finding_number",
                    f"ombudsman case {ours} was imported from '{planned.reference}' before and {message}. "
                    "A re-import never changes an imported case.",
                )
        return new_plan

    def write(self, plan, ctx):
        if not plan:
            return 0
        for category in self.new_categories.values():
            category.save()
            self.categories[normalise(category.name)] = category
        calendar = engine.get_calendar(DIVISION)
        orders_count = sum(len(p.orders) for p in plan)
        clocks_count = sum(1 for p in plan for o in p.orders if o.due_on)
        case_id = next_ids(Case, len(plan))
        determination_id = next_ids(Determination, len(plan))
        finding_id = next_ids(Finding, sum(len(p.findings) for p in plan))
        order_id = next_ids(Order, orders_count) if orders_count else None
        clock_id = next_ids(Clock, clocks_count) if clocks_count else None
        by_year = defaultdict(list)
        for planned in plan:
            by_year[planned.received_on.year].append(planned.reference)
        references = {}
        for year, externals in by_year.items():
            references.update(zip(externals, allocate_references("OMB", year, len(externals)), strict=True))
        now = datetime.datetime.now(datetime.UTC)
        cases, ombudsman_cases, determinations, findings, orders, clocks, events = [], [], [], [], [], [], []
        actor_id = ctx.actor.pk if ctx.actor else None
        for planned in plan:
            texts = planned.values
            # An order or a recommendation with a date to meet keeps the case at its determination until done.
            outstanding = [o for o in planned.orders if o.due_on and not o.complied_on]
            closed_on = None
            if not outstanding:
                closed_on = max([planned.determined_on] + [o.complied_on for o in planned.orders if o.complied_on])
            who = Ombudsman(planned.ombudsman).label
            summary = texts.get("summary") or f"{who} case about {planned.service_area.name.lower()}"
            cases.append(
                {
                    "id": case_id,
                    "reference": references[planned.reference],
                    "kind": CaseKind.OMBUDSMAN,
                    "status": OmbudsmanStage.DETERMINATION if outstanding else OmbudsmanStage.CLOSED,
                    "summary": summary[:250],
                    "service_area_id": planned.service_area.pk,
                    "received_on": planned.received_on,
                    "created_at": now,
                    "updated_at": now,
                    "closed_at": at_noon(closed_on) if closed_on else None,
                    "next_due_on": min((o.due_on for o in outstanding), default=None),
                    "external_reference": planned.reference,
                }
            )
            ombudsman_cases.append(
                {
                    "case_ptr_id": case_id,
                    "ombudsman": planned.ombudsman,
                    "ombudsman_reference": texts.get("ombudsman_reference", ""),
                    "original_complaint_id": planned.complaint_id,
                    "closed_on": closed_on,
                }
            )
            determinations.append(
                {"id": determination_id, "case_id": case_id, "determined_on": planned.determined_on, "recorded_at": now}
            )
            lines = [
                f"The {who} told the council of the case on {planned.received_on:%-d %b %Y}. "
                f"Determination of {planned.determined_on:%-d %b %Y}:"
            ]
            ordered = [(None, order) for order in planned.general_orders]
            for finding in sorted(planned.findings, key=lambda f: f.number):
                category = self.categories[normalise(finding.category_name)]
                findings.append(
                    {
                        "id": finding_id,
                        "determination_id": determination_id,
                        "number": finding.number,
                        "complaint_head": finding.complaint_head[:300],
                        "category_id": category.pk,
                        "outcome": finding.outcome,
                    }
                )
                lines.append(
                    f"finding {finding.number}, {finding.complaint_head} ({category.name}): "
                    f"{FindingOutcome(finding.outcome).label.lower()}."
                )
                ordered.extend(((finding_id, finding.number), order) for order in finding.orders)
                finding_id += 1
            for remedies, order in ordered:
                what = f"{OrderKind(order.kind).label} ({OrderType(order.order_type).label.lower()})"
                clock = None
                if order.due_on:
                    clock, stopped = clock_id, order.complied_on
                    clocks.append(
                        {
                            "id": clock_id,
                            "case_id": case_id,
                            "kind": ClockKind.ORDER,
                            "stage": None,
                            "label": f"Comply with the ombudsman's {order.kind}: "
                            f"{OrderType(order.order_type).label.lower()}",
                            "division": DIVISION,
                            "started_on": planned.determined_on,
                            "target_working_days": max(
                                calendar.working_days_between(planned.determined_on, order.due_on), 0
                            ),
                            "fixed_due_on": order.due_on,
                            "due_on": order.due_on,
                            "status": ClockStatus.STOPPED if stopped else ClockStatus.RUNNING,
                            "stopped_on": stopped,
                            "met": stopped <= order.due_on if stopped else None,
                            "working_days_taken": calendar.working_days_between(planned.determined_on, stopped)
                            if stopped
                            else None,
                            "created_at": now,
                        }
                    )
                    clock_id += 1
                amount = order.amount_pence if order.order_type == OrderType.COMPENSATION else None
                orders.append(
                    {
                        "id": order_id,
                        "determination_id": determination_id,
                        "finding_id": remedies[0] if remedies else None,
                        "kind": order.kind,
                        "order_type": order.order_type,
                        "description": order.description[:500],
                        "amount_pence": amount,
                        "due_on": order.due_on,
                        "clock_id": clock,
                        "complied_on": order.complied_on,
                        "compliance_evidence": "Recorded in the previous system." if order.complied_on else "",
                    }
                )
                order_id += 1
                lines.append(
                    what
                    + (f" of £{amount / 100:,.2f}" if amount else "")
                    + (f": {order.description}" if order.description else "")
                    + (f", for finding {remedies[1]}" if remedies else "")
                    + (f", due {order.due_on:%-d %b %Y}" if order.due_on else "")
                    + (f", complied with {order.complied_on:%-d %b %Y}." if order.complied_on else ".")
                )
            lines.append(f"(From {ctx.source}.)")
            events.append(
                {
                    "case_id": case_id,
                    "occurred_at": at_noon(planned.determined_on),
                    "kind": "imported_determination",
                    "summary": " ".join(lines),
                    "data": {},
                }
            )
            events.append(
                {
                    "case_id": case_id,
                    "occurred_at": now,
                    "actor_id": actor_id,
                    "kind": IMPORTED_EVENT,
                    "summary": f"Imported from {ctx.source} (their reference {planned.reference}).",
                    "data": {
                        "external_reference": planned.reference,
                        "rows": [canonical for _, canonical in planned.canonical_rows],
                    },
                }
            )
            case_id += 1
            determination_id += 1
        copy_records(Case, cases)
        copy_records(OmbudsmanCase, ombudsman_cases)
        copy_records(Determination, determinations)
        copy_records(Finding, findings)
        copy_records(Clock, clocks)
        copy_records(Order, orders)
        copy_records(TimelineEvent, events)
        return len(plan)


KIND = OmbudsmanFindingsKind
