"""Ombudsman cases with their determinations, one row per finding (as the Housing Ombudsman's landlord
reports list them), and the compensation each finding ordered.

Columns that describe the case (ombudsman, dates, service area, the complaint) repeat on each of its
finding rows, or are left empty after the first. Each finding's outcome must be one the case's ombudsman
gives; compensation becomes an order with its clock to the date the ombudsman set, stopped when the council
complied, so the maladministration rate, findings by category, compensation by category and the compliance
rate are right for imported cases."""

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
    at_noon,
    choice_lookup,
    describe_changes,
    existing_cases,
    imported_rows,
    normalise,
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
    Column("finding_number", False, "The finding's number in the determination. Empty: the order of the rows.", "1"),
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
class FindingRow:
    row: object
    number: int
    complaint_head: str
    category_name: str
    outcome: str
    compensation_pence: int
    due_on: datetime.date | None
    complied_on: datetime.date | None
    canonical: dict


@dataclass
class PlannedCase:
    reference: str
    first: object
    ombudsman: str
    received_on: datetime.date
    determined_on: datetime.date
    service_area: object
    complaint_id: int | None
    findings: list = field(default_factory=list)


class OmbudsmanFindingsKind:
    name = "ombudsman-findings"
    label = "Ombudsman cases and findings (one row per finding)"
    description = "Ombudsman cases with their determinations, findings and compensation orders."
    example = "docs/examples/ombudsman-findings.csv"
    columns = COLUMNS

    def check(self, rows, ctx):
        self.categories = {normalise(c.name): c for c in FindingCategory.objects.all()}
        self.new_categories = {}
        unknown_categories = defaultdict(list)
        groups = defaultdict(list)
        for row in rows:
            reference = ctx.text(row, "reference", required=True, max_length=60)
            if reference:
                groups[reference].append(row)
        ctx.result.cases_in_file = len(groups)
        complaint_refs = {
            r.values["complaint_reference"]
            for rs in groups.values()
            for r in rs[:1]
            if r.values.get("complaint_reference")
        }
        complaints = dict(Complaint.objects.filter(reference__in=complaint_refs).values_list("reference", "pk"))
        complaints.update(
            Complaint.objects.filter(external_reference__in=complaint_refs).values_list("external_reference", "pk")
        )
        plan = []
        for reference, case_rows in groups.items():
            first = case_rows[0]
            for later in case_rows[1:]:
                for column in CASE_COLUMNS:
                    value = later.values.get(column, "")
                    if value and normalise(value) != normalise(first.values.get(column, "")):
                        ctx.problem(later, column, f"'{value}' differs from the case's first row (row {first.number}).")
            ombudsman = ctx.choice(first, "ombudsman", OMBUDSMEN, required=True, what="ombudsman")
            received = ctx.date(first, "date_received", required=True)
            determined = ctx.date(first, "determined_on", required=True)
            if received and determined and determined < received:
                ctx.problem(first, "determined_on", f"{determined:%d/%m/%Y} is before the date received.")
            area_name = ctx.text(first, "service_area", required=True)
            area = ctx.lookups.service_area(area_name, first.number) if area_name else None
            complaint_ref = first.values.get("complaint_reference", "")
            if complaint_ref and complaint_ref not in complaints:
                ctx.problem(first, "complaint_reference", f"'{complaint_ref}' is not one of our complaints.")
            planned = PlannedCase(
                reference, first, ombudsman, received, determined, area, complaints.get(complaint_ref)
            )
            numbers = {}
            for position, row in enumerate(case_rows, start=1):
                number_text = row.values.get("finding_number", "")
                number = int(number_text) if number_text.isdigit() and int(number_text) > 0 else None
                if number_text and number is None:
                    ctx.problem(row, "finding_number", f"'{number_text}' is not a finding number (1, 2, ...).")
                number = number or position
                if number in numbers:
                    ctx.problem(
                        row,
                        "finding_number",
                        f"duplicate: finding {number} of '{reference}' is already on row {numbers[number]}.",
                    )
                numbers[number] = row.number
                head = ctx.text(row, "complaint_head", required=True, max_length=300)
                category = ctx.text(row, "category", required=True)
                if category and normalise(category) not in self.categories:
                    unknown_categories[category].append(row.number)
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
                canonical = {column: value for column, value in row.values.items() if value}
                canonical["finding_number"] = str(number)
                for column, day in (
                    ("date_received", received),
                    ("determined_on", determined),
                    ("compensation_due_on", due),
                    ("complied_on", complied),
                ):
                    if day:
                        canonical[column] = day.isoformat()
                if outcome:
                    canonical["outcome"] = outcome
                if pence:
                    canonical["compensation"] = str(pence)
                planned.findings.append(
                    FindingRow(row, number, head, category, outcome, pence, due, complied, canonical)
                )
            if None not in (ombudsman, received, determined, area) and all(
                f.outcome and f.complaint_head and f.category_name for f in planned.findings
            ):
                plan.append(planned)
        for name, numbers in unknown_categories.items():
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
            changes = describe_changes(stored[case_id], [f.canonical for f in planned.findings], key="finding_number")
            if not changes:
                ctx.result.unchanged += 1
            rows_by_number = {str(f.number): f.row for f in planned.findings}
            for canonical, column, message in changes:
                ctx.problem(
                    rows_by_number.get(canonical.get("finding_number"), planned.first),
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
        orders_count = sum(1 for p in plan for f in p.findings if f.compensation_pence)
        case_id = next_ids(Case, len(plan))
        determination_id = next_ids(Determination, len(plan))
        finding_id = next_ids(Finding, sum(len(p.findings) for p in plan))
        order_id = next_ids(Order, orders_count) if orders_count else None
        clock_id = next_ids(Clock, orders_count) if orders_count else None
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
            texts = planned.first.values
            outstanding = [f for f in planned.findings if f.compensation_pence and not f.complied_on]
            closed_on = None
            if not outstanding:
                closed_on = max([planned.determined_on] + [f.complied_on for f in planned.findings if f.complied_on])
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
                    "next_due_on": min((f.due_on for f in outstanding), default=None),
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
                if finding.compensation_pence:
                    stopped = finding.complied_on
                    clocks.append(
                        {
                            "id": clock_id,
                            "case_id": case_id,
                            "kind": ClockKind.ORDER,
                            "stage": None,
                            "label": "Comply with the ombudsman's order: compensation",
                            "division": DIVISION,
                            "started_on": planned.determined_on,
                            "target_working_days": max(
                                calendar.working_days_between(planned.determined_on, finding.due_on), 0
                            ),
                            "fixed_due_on": finding.due_on,
                            "due_on": finding.due_on,
                            "status": ClockStatus.STOPPED if stopped else ClockStatus.RUNNING,
                            "stopped_on": stopped,
                            "met": stopped <= finding.due_on if stopped else None,
                            "working_days_taken": calendar.working_days_between(planned.determined_on, stopped)
                            if stopped
                            else None,
                            "created_at": now,
                        }
                    )
                    orders.append(
                        {
                            "id": order_id,
                            "determination_id": determination_id,
                            "finding_id": finding_id,
                            "kind": OrderKind.ORDER,
                            "order_type": OrderType.COMPENSATION,
                            "amount_pence": finding.compensation_pence,
                            "due_on": finding.due_on,
                            "clock_id": clock_id,
                            "complied_on": finding.complied_on,
                            "compliance_evidence": "Recorded in the previous system." if finding.complied_on else "",
                        }
                    )
                    lines.append(
                        f"Compensation of £{finding.compensation_pence / 100:,.2f} ordered, "
                        f"due {finding.due_on:%-d %b %Y}"
                        + (f", paid {finding.complied_on:%-d %b %Y}." if finding.complied_on else ".")
                    )
                    order_id += 1
                    clock_id += 1
                finding_id += 1
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
                    "data": {"external_reference": planned.reference, "rows": [f.canonical for f in planned.findings]},
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
