"""Complaints, one row per complaint stage.

Each complaint keeps its historical dates. Its clocks, due dates, 'within the Code's timescale' and
working days to respond are worked out with the sla engine exactly as the lifecycle services would have
(the procedure version in force on the day it was received, Code-compliant extensions counting as in
time), so reports over imported complaints are right."""

import datetime
import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import transaction

from casework.bulk import copy_records, next_ids
from casework.models import Case, CaseKind, Property, Resident, TimelineEvent
from casework.roles import Role, has_role
from casework.services import allocate_references
from complaints import deadlines
from complaints.models import (
    Channel,
    Complaint,
    ComplaintScheme,
    ComplaintStage,
    ComplaintStatus,
    ComplaintType,
    ProcedureVersion,
    RefusalReason,
    StageOutcome,
)
from complaints.schemes import scheme_for
from imports.core import (
    IMPORTED_EVENT,
    Column,
    at_noon,
    choice_lookup,
    describe_changes,
    existing_cases,
    imported_rows,
    normalise,
)
from reporting.tasks import refresh_complaint_figures
from sla import engine
from sla.models import Clock, ClockExtension, ClockKind, ClockStatus
from sla.services import timescale_due_on

COLUMNS = [
    Column(
        "reference",
        True,
        "Your reference for the complaint. Every stage row of one complaint carries the same one; it is kept "
        "as the complaint's external reference and is how a second import recognises it.",
        "RESP-10234",
    ),
    Column("stage", True, "The stage this row describes: 1, 2 or 3 ('Stage 2' is read too).", "1"),
    Column(
        "date_received",
        True,
        "Stage 1: the day the complaint was received. Later stages: the day the resident asked to escalate.",
        "03/10/2023",
    ),
    Column("date_acknowledged", False, "When the stage was acknowledged.", "05/10/2023"),
    Column(
        "date_responded",
        False,
        "When the stage's full response was sent. Empty: the stage is still open.",
        "17/10/2023",
    ),
    Column(
        "outcome", False, "upheld, partly upheld or not upheld. Required when date_responded is given.", "partly upheld"
    ),
    Column("service_area", True, "Name or code of one of our service areas (stage 1 row).", "Responsive Repairs"),
    Column("issue_nature", True, "Name of one of our issue natures (stage 1 row).", "Responsive Repairs (Mears)"),
    Column(
        "complaint_type",
        True,
        "service failure, delays or missed appointments, staff behaviour, case management, disagreement with a "
        "policy or decision, financial dispute, communication, other (stage 1 row).",
        "delay",
    ),
    Column(
        "channel",
        True,
        "How it was received: phone, email, letter, web form, in person, social media, members' enquiry (stage 1 row).",
        "email",
    ),
    Column(
        "scheme",
        False,
        "Code or name of the complaints scheme (housing-landlord, corporate, childrens-social-care, "
        "adults-social-care). Empty: the service area's scheme.",
        "housing-landlord",
    ),
    Column(
        "procedure",
        False,
        "Code or name of the complaints procedure. Empty: the scheme's procedure in force on the day stage 1 was "
        "received (the Housing Ombudsman's Code 2020, 2022 or 2024, or what came before, by date).",
        "legacy-corporate-three-stage",
    ),
    Column("extended_to", False, "The new response due date, when the stage's deadline was extended.", "31/10/2023"),
    Column("extension_reason", False, "Why it was extended.", "Waiting for the contractor's report"),
    Column(
        "extension_granted_on",
        False,
        "When the extension was agreed. Empty: the acknowledgement date (or the date received).",
        "12/10/2023",
    ),
    Column(
        "extension_approved_by",
        False,
        "The manager who approved an extension beyond the Code's limit (a username, email address or full name). "
        "Without one, the Code's timescale counts the extension only up to the limit.",
        "",
    ),
    Column("extension_good_reason", False, "The manager's good reason for going beyond the limit.", ""),
    Column("compensation", False, "Compensation offered at this stage, in pounds.", "£150.00"),
    Column(
        "handler",
        False,
        "Who handled the stage: a username, email address or full name of one of our users.",
        "amara.okafor",
    ),
    Column("response_summary", False, "A summary of the response.", ""),
    Column(
        "closed_as",
        False,
        "withdrawn, resolved early or refused, when the complaint ended that way (last stage only).",
        "",
    ),
    Column("date_closed", False, "When it was withdrawn, resolved early or refused (required with closed_as).", ""),
    Column(
        "summary",
        False,
        "One line that identifies the complaint. Empty: made from the issue nature.",
        "Leak under the sink not fixed",
        max_length=250,
    ),
    Column("description", False, "The complaint as the council understood it.", ""),
    Column("outcome_wanted", False, "What the resident wanted.", ""),
    Column("resident_first_name", False, "The resident's first name (with resident_last_name).", "Ada", max_length=100),
    Column("resident_last_name", False, "The resident's last name.", "Lovelace", max_length=100),
    Column("resident_email", False, "", "", max_length=254),
    Column("resident_phone", False, "", "", max_length=40),
    Column("address", False, "First line of the property's address.", "12 Engine Row", max_length=200),
    Column("postcode", False, "", "E1 6AN", max_length=10),
    Column("uprn", False, "The property's UPRN; matches an existing property first.", "", max_length=12),
]
COMPLAINT_COLUMNS = [
    "service_area",
    "issue_nature",
    "complaint_type",
    "channel",
    "scheme",
    "procedure",
    "summary",
    "description",
    "outcome_wanted",
    "resident_first_name",
    "resident_last_name",
    "resident_email",
    "resident_phone",
    "address",
    "postcode",
    "uprn",
]
OUTCOMES = choice_lookup(
    StageOutcome,
    {
        "partially upheld": StageOutcome.PARTLY_UPHELD,
        "part upheld": StageOutcome.PARTLY_UPHELD,
        "upheld in part": StageOutcome.PARTLY_UPHELD,
    },
)
TYPES = choice_lookup(
    ComplaintType,
    {
        "delay": ComplaintType.DELAY,
        "delays": ComplaintType.DELAY,
        "missed appointment": ComplaintType.DELAY,
        "policy": ComplaintType.POLICY_DECISION,
        "staff": ComplaintType.STAFF_BEHAVIOUR,
    },
)
CHANNELS = choice_lookup(
    Channel,
    {
        "web": Channel.WEB_FORM,
        "online": Channel.WEB_FORM,
        "telephone": Channel.PHONE,
        "face to face": Channel.IN_PERSON,
        "members enquiry": Channel.MEMBERS_ENQUIRY,
        "mp": Channel.MEMBERS_ENQUIRY,
        "councillor": Channel.MEMBERS_ENQUIRY,
    },
)
CLOSURES = {normalise(v): v for v in ("withdrawn", "resolved_early", "refused")} | {
    "resolved early": "resolved_early",
    "early resolution": "resolved_early",
    "not accepted": "refused",
}
STAGE_WORDS = {"one": 1, "two": 2, "three": 3, "1": 1, "2": 2, "3": 3, "review": 2}
CLOSURE_STATUS = {
    "withdrawn": ComplaintStatus.WITHDRAWN,
    "resolved_early": ComplaintStatus.RESOLVED_EARLY,
    "refused": ComplaintStatus.REFUSED,
}


@dataclass
class StageRow:
    row: object
    reference: str
    number: int
    requested_on: datetime.date | None
    acknowledged_on: datetime.date | None
    responded_on: datetime.date | None
    outcome: str | None
    extended_to: datetime.date | None
    extension_reason: str
    extension_granted_on: datetime.date | None
    extension_approved_by: object
    extension_good_reason: str
    compensation_pence: int
    handler: object
    handler_name: str
    response_summary: str
    closed_as: str | None
    date_closed: datetime.date | None
    canonical: dict


@dataclass
class PlannedClock:
    kind: str
    stage: int | None
    label: str
    started_on: datetime.date
    target: int
    cap: int | None
    due_on: datetime.date
    stopped_on: datetime.date | None
    extension: dict | None = None


@dataclass
class PlannedComplaint:
    reference: str
    stages: list
    version: object
    service_area: object
    issue_nature: object
    complaint_type: str
    channel: str
    texts: dict
    clocks: list = field(default_factory=list)
    stage_figures: list = field(default_factory=list)  # (within_code_timescale, working_days_to_respond)


def _parse_stage(text):
    cleaned = normalise(text).removeprefix("stage").strip()
    return STAGE_WORDS.get(cleaned)


class ComplaintsKind:
    name = "complaints"
    label = "Complaints (one row per stage)"
    description = "Complaints with their stages, dates, outcomes, extensions and compensation."
    example = "docs/examples/complaints.csv"
    columns = COLUMNS

    def __init__(self):
        self._versions = None
        self._calendars = {}

    def _calendar(self, division):
        if division not in self._calendars:
            self._calendars[division] = engine.get_calendar(division)
        return self._calendars[division]

    # --- checking -------------------------------------------------------------------------------------

    def check(self, rows, ctx):
        self._load_procedures()
        stage_rows = []
        seen = {}
        for row in rows:
            reference = row.values.get("reference", "")
            number = _parse_stage(row.values.get("stage", "") or "-")
            key = (reference, number)
            if reference and number and key in seen:
                ctx.problem(
                    row, "reference", f"duplicate: stage {number} of '{reference}' is already on row {seen[key]}."
                )
                continue
            seen[key] = row.number
            parsed = self._parse_row(row, ctx)
            if parsed is not None:
                stage_rows.append(parsed)
        groups = defaultdict(list)
        for parsed in stage_rows:
            groups[parsed.reference].append(parsed)
        existing = existing_cases(groups)
        stored = imported_rows(pk for pk, kind, _ in existing.values() if kind == CaseKind.COMPLAINT)
        plan = []
        for reference, stages in groups.items():
            stages.sort(key=lambda s: s.number)
            if reference in existing:
                self._check_existing(reference, stages, existing[reference], stored, ctx)
                continue
            planned = self._plan_complaint(reference, stages, ctx)
            if planned is not None:
                plan.append(planned)
        ctx.result.cases_in_file = len({reference for reference, _ in seen if reference})
        return plan

    def _load_procedures(self):
        versions = list(
            ProcedureVersion.objects.select_related("procedure", "scheme")
            .prefetch_related("stages")
            .order_by("applies_from")
        )
        self._versions = versions
        self._stages = {v.pk: {s.number: s for s in v.stages.all()} for v in versions}
        self._by_procedure = defaultdict(list)
        for version in versions:
            self._by_procedure[normalise(version.procedure.code)].append(version)
            self._by_procedure[normalise(version.procedure.name)].append(version)
        self._schemes, self._area_schemes = {}, {}
        for scheme in ComplaintScheme.objects.all():
            self._schemes[normalise(scheme.code)] = scheme
            self._schemes[normalise(scheme.name)] = scheme

    def _version(self, procedure, scheme, received_on):
        """The version the services would choose (complaints.schemes): of the named procedure, for the scheme
        when it has one there; else the scheme's version in force on the day."""
        if procedure:
            versions = self._by_procedure.get(normalise(procedure))
            if not versions:
                return None
            ours = [v for v in versions if v.scheme_id == scheme.pk] or versions
            dated = [v for v in ours if v.applies_from is not None and v.applies_from <= received_on]
            if dated:
                return dated[-1]
            undated = [v for v in ours if v.applies_from is None]
            return undated[0] if undated else ours[0]
        dated = [
            v for v in self._versions if v.scheme_id == scheme.pk and v.applies_from and v.applies_from <= received_on
        ]
        return dated[-1] if dated else None

    def _parse_row(self, row, ctx):
        canonical = {}
        reference = ctx.text(row, "reference", required=True, max_length=60)
        stage_text = row.values.get("stage", "")
        number = _parse_stage(stage_text) if stage_text else None
        if not stage_text:
            ctx.required_empty(row, "stage")
        elif number is None:
            ctx.problem(row, "stage", f"'{stage_text}' is not a stage number (1, 2 or 3).")
        received = ctx.date(row, "date_received", required=True)
        acknowledged = ctx.date(row, "date_acknowledged")
        responded = ctx.date(row, "date_responded")
        outcome = ctx.choice(row, "outcome", OUTCOMES, what="outcome")
        extended_to = ctx.date(row, "extended_to", not_future=False)
        granted = ctx.date(row, "extension_granted_on")
        closed_date = ctx.date(row, "date_closed")
        closed_as = ctx.choice(row, "closed_as", CLOSURES, what="way of closing")
        pence = ctx.pence(row, "compensation")
        handler_name = row.values.get("handler", "")
        handler = ctx.lookups.user(handler_name, row.number) if handler_name else None
        approver_name = row.values.get("extension_approved_by", "")
        approver = ctx.lookups.user(approver_name, row.number) if approver_name else None
        good_reason = row.values.get("extension_good_reason", "").strip()
        if approver_name and not extended_to:
            ctx.problem(row, "extension_approved_by", "is given but extended_to is empty.")
        if approver is not None and not has_role(approver, Role.MANAGER, Role.ADMINISTRATOR):
            ctx.problem(row, "extension_approved_by", f"'{approver_name}' is not a manager.")
        if approver_name and not good_reason:
            ctx.problem(row, "extension_good_reason", "is empty; a manager's approval needs its good reason.")
        if received and acknowledged and acknowledged < received:
            ctx.problem(row, "date_acknowledged", f"{acknowledged:%d/%m/%Y} is before the date received.")
        if received and responded and responded < received:
            ctx.problem(row, "date_responded", f"{responded:%d/%m/%Y} is before the date received.")
        elif acknowledged and responded and responded < acknowledged:
            ctx.problem(row, "date_responded", f"{responded:%d/%m/%Y} is before the acknowledgement.")
        if row.values.get("outcome") and not row.values.get("date_responded"):
            ctx.problem(row, "outcome", "is given but date_responded is empty: an outcome comes with a response.")
        if responded and not row.values.get("outcome") and not closed_as:
            ctx.problem(row, "outcome", "is empty; a stage that was responded to needs its outcome.")
        if closed_as and not row.values.get("date_closed"):
            ctx.problem(
                row, "date_closed", f"is empty; a complaint closed as {closed_as.replace('_', ' ')} needs the date."
            )
        if closed_date and not closed_as:
            ctx.problem(row, "closed_as", "is empty but date_closed is given: say how it was closed.")
        if closed_as and responded and closed_as != "resolved_early":
            ctx.problem(row, "closed_as", f"a stage that was responded to cannot also be {closed_as}.")
        if closed_date and received and closed_date < received:
            ctx.problem(row, "date_closed", f"{closed_date:%d/%m/%Y} is before the date received.")
        if extended_to and received and extended_to <= received:
            ctx.problem(row, "extended_to", f"{extended_to:%d/%m/%Y} is not after the date received.")
        if row.values.get("extension_reason") and not row.values.get("extended_to"):
            ctx.problem(row, "extended_to", "is empty but extension_reason is given.")
        for column, value in row.values.items():
            if value:
                canonical[column] = value
        for column, value in (
            ("stage", number),
            ("date_received", received),
            ("date_acknowledged", acknowledged),
            ("date_responded", responded),
            ("outcome", outcome),
            ("extended_to", extended_to),
            ("extension_granted_on", granted),
            ("date_closed", closed_date),
            ("closed_as", closed_as),
            ("compensation", pence or None),
        ):
            if value is not None:
                canonical[column] = value.isoformat() if isinstance(value, datetime.date) else str(value)
        if not reference or number is None or received is None:
            return None
        return StageRow(
            row=row,
            reference=reference,
            number=number,
            requested_on=received,
            acknowledged_on=acknowledged,
            responded_on=responded,
            outcome=outcome,
            extended_to=extended_to,
            extension_reason=row.values.get("extension_reason", ""),
            extension_granted_on=granted,
            extension_approved_by=approver,
            extension_good_reason=good_reason,
            compensation_pence=pence,
            handler=handler,
            handler_name=handler_name,
            response_summary=row.values.get("response_summary", ""),
            closed_as=closed_as,
            date_closed=closed_date,
            canonical=canonical,
        )

    def _check_existing(self, reference, stages, found, stored, ctx):
        case_id, kind, our_reference = found
        first = stages[0].row
        if kind != CaseKind.COMPLAINT:
            ctx.problem(
                first,
                "reference",
                f"'{reference}' is already the reference of {kind.replace('_', ' ')} {our_reference}.",
            )
            return
        if case_id not in stored:
            ctx.problem(
                first, "reference", f"'{reference}' is already complaint {our_reference}, which was not imported."
            )
            return
        changes = describe_changes(stored[case_id], [s.canonical for s in stages])
        if not changes:
            ctx.result.unchanged += 1
            return
        by_stage = {str(s.number): s.row for s in stages}
        for canonical, column, message in changes:
            ctx.problem(
                by_stage.get(canonical.get("stage"), first),
                column or "stage",
                f"complaint {our_reference} was imported from '{reference}' before and {message}. A re-import "
                "never changes an imported complaint: correct it in the product, or leave this row as it was.",
            )

    def _plan_complaint(self, reference, stages, ctx):
        first = stages[0]
        ok = True
        if first.number != 1:
            ctx.problem(
                first.row, "stage", f"'{reference}' has no stage 1 row, so stage {first.number} cannot be imported."
            )
            return None
        for earlier, later in itertools.pairwise(stages):
            if later.number != earlier.number + 1:
                ctx.problem(
                    later.row,
                    "stage",
                    f"'{reference}' has no stage {earlier.number + 1} row before this stage {later.number}.",
                )
                ok = False
            if earlier.closed_as:
                ctx.problem(
                    earlier.row,
                    "closed_as",
                    f"only the last stage can be closed as {earlier.closed_as.replace('_', ' ')}.",
                )
                ok = False
            elif earlier.responded_on is None:
                ctx.problem(
                    later.row,
                    "stage",
                    f"stage {earlier.number} (row {earlier.row.number}) has no date_responded, "
                    f"so stage {later.number} cannot follow it.",
                )
                ok = False
            elif later.requested_on < earlier.responded_on:
                ctx.problem(
                    later.row,
                    "date_received",
                    f"stage {later.number} was requested on {later.requested_on:%d/%m/%Y}, "
                    f"before stage {earlier.number} "
                    f"was responded to on {earlier.responded_on:%d/%m/%Y}.",
                )
                ok = False
        for later in stages[1:]:
            for column in COMPLAINT_COLUMNS:
                value = later.row.values.get(column, "")
                if value and normalise(value) != normalise(first.row.values.get(column, "")):
                    ctx.problem(
                        later.row,
                        column,
                        f"'{value}' differs from stage 1 (row {first.row.number}); leave it empty on later stages.",
                    )
                    ok = False
        row = first.row
        for column in ("service_area", "issue_nature", "complaint_type", "channel"):
            if not row.values.get(column):
                ctx.required_empty(row, column)
                ok = False
        area = (
            ctx.lookups.service_area(row.values["service_area"], row.number) if row.values.get("service_area") else None
        )
        nature = (
            ctx.lookups.issue_nature(row.values["issue_nature"], row.number, area)
            if row.values.get("issue_nature")
            else None
        )
        complaint_type = ctx.choice(row, "complaint_type", TYPES, what="complaint type")
        channel = ctx.choice(row, "channel", CHANNELS, what="channel")
        scheme = None
        if row.values.get("scheme"):
            scheme = self._schemes.get(normalise(row.values["scheme"]))
            if scheme is None:
                codes = ", ".join(sorted({scheme.code for scheme in self._schemes.values()}))
                ctx.problem(row, "scheme", f"'{row.values['scheme']}' is not one of our complaints schemes ({codes}).")
                return None
        elif area is not None:
            if area.pk not in self._area_schemes:
                self._area_schemes[area.pk] = scheme_for(area)
            scheme = self._area_schemes[area.pk]
        if scheme is None:
            return None
        version = self._version(row.values.get("procedure", ""), scheme, first.requested_on)
        if version is None:
            if row.values.get("procedure"):
                ctx.problem(row, "procedure", f"'{row.values['procedure']}' is not one of our complaints procedures.")
            else:
                ctx.problem(
                    row,
                    "date_received",
                    f"no complaints procedure applies on {first.requested_on:%d/%m/%Y}; "
                    "name one in the procedure column.",
                )
            return None
        if row.values.get("scheme") and version.scheme_id != scheme.pk:
            ctx.problem(
                row,
                "procedure",
                f"'{row.values['procedure']}' is not a procedure of the {scheme.name} scheme; leave it empty for the "
                "scheme's procedure in force on the day received, or name one of that scheme's.",
            )
            return None
        definitions = self._stages[version.pk]
        if stages[-1].number > len(definitions):
            ctx.problem(
                stages[-1].row,
                "stage",
                f"{version.procedure.name} has {len(definitions)} stage(s), not {stages[-1].number}.",
            )
            ok = False
        first_name, last_name = row.values.get("resident_first_name", ""), row.values.get("resident_last_name", "")
        if bool(first_name) != bool(last_name):
            ctx.problem(
                row,
                "resident_last_name" if first_name else "resident_first_name",
                "give both the resident's first and last name, or neither.",
            )
            ok = False
        if not ok or area is None or nature is None or complaint_type is None or channel is None:
            return None
        planned = PlannedComplaint(
            reference=reference,
            stages=stages,
            version=version,
            service_area=area,
            issue_nature=nature,
            complaint_type=complaint_type,
            channel=channel,
            texts=row.values,
        )
        calendar = self._calendar(version.procedure.division)
        for stage in stages:
            if not self._plan_clocks(planned, stage, definitions[stage.number], calendar, ctx):
                return None
        return planned

    def _plan_clocks(self, planned, stage, definition, calendar, ctx):
        """The clocks the lifecycle services would have run for this stage (complaints.deadlines, the one rule),
        stopped on its historical dates."""
        ended_on = stage.responded_on or stage.date_closed
        # A stage answered with no acknowledgement on record counts its response from receipt.
        acknowledged = stage.acknowledged_on or (stage.requested_on if ended_on else None)
        rule = deadlines.stage_clocks(
            definition, requested_on=stage.requested_on, acknowledged_on=acknowledged, calendar=calendar
        )
        within, days = None, None
        if stage.responded_on and stage.closed_as != "resolved_early":
            days = calendar.working_days_between(stage.requested_on, stage.responded_on)
        response = None
        for clock in rule:
            due = calendar.add_working_days(clock.started_on, clock.working_days)
            if clock.kind == ClockKind.ACKNOWLEDGEMENT:
                planned.clocks.append(
                    PlannedClock(
                        clock.kind, clock.stage, clock.label, clock.started_on, clock.working_days, None, due,
                        stage.acknowledged_on or ended_on,
                    )
                )  # fmt: skip
            else:
                response = (clock, due)
        if response is None:
            if stage.extended_to:
                ctx.problem(
                    stage.row,
                    "extended_to",
                    "the stage was never acknowledged, so its response deadline never started.",
                )
                return False
            planned.stage_figures.append((within, days))
            return True
        clock, base_due = response
        extension = None
        if stage.extended_to:
            if stage.extended_to <= base_due:
                ctx.problem(
                    stage.row,
                    "extended_to",
                    f"{stage.extended_to:%d/%m/%Y} is not after the original due date {base_due:%d/%m/%Y}.",
                )
                return False
            beyond = (
                definition.extension_cap is not None
                and calendar.working_days_between(base_due, stage.extended_to) > definition.extension_cap
            )
            extension = {
                "granted_on": stage.extension_granted_on or stage.acknowledged_on or stage.requested_on,
                "new_due_on": stage.extended_to,
                "reason": stage.extension_reason or "Extended in the previous system (no reason recorded).",
                "beyond_cap": beyond,
                "approved_by_id": stage.extension_approved_by.pk if beyond and stage.extension_approved_by else None,
                "approval_reason": stage.extension_good_reason if beyond else "",
            }
        if extension is None:
            due = code_due = base_due
        else:
            # One extension to a new date: that date is the clock's due date (sla.services.derive_due_on); the
            # Code's timescale follows the one rule (sla.services.timescale_due_on).
            due = stage.extended_to
            code_due = timescale_due_on(
                base_due, definition.extension_cap, [SimpleNamespace(**extension, extra_working_days=None)], calendar
            )
        if stage.closed_as == "resolved_early":
            within, days = True, calendar.working_days_between(stage.requested_on, stage.date_closed)
        elif stage.responded_on:
            within = stage.responded_on <= code_due
        planned.clocks.append(
            PlannedClock(
                clock.kind, clock.stage, clock.label, clock.started_on, clock.working_days, clock.extension_cap, due,
                ended_on, extension,
            )
        )  # fmt: skip
        planned.stage_figures.append((within, days))
        return True

    # --- writing --------------------------------------------------------------------------------------

    def write(self, plan, ctx):
        if not plan:
            return 0
        count = len(plan)
        case_id = next_ids(Case, count)
        stage_id = next_ids(ComplaintStage, sum(len(p.stages) for p in plan))
        clock_id = next_ids(Clock, sum(len(p.clocks) for p in plan))
        extension_count = sum(1 for p in plan for c in p.clocks if c.extension)
        extension_id = next_ids(ClockExtension, extension_count) if extension_count else None
        references = self._references(plan)
        residents, properties = _people(plan)
        now = datetime.datetime.now(datetime.UTC)
        cases, complaints, stages, clocks, extensions, events = [], [], [], [], [], []
        actor_id = ctx.actor.pk if ctx.actor else None
        for planned in plan:
            texts = planned.texts
            last = planned.stages[-1]
            received = planned.stages[0].requested_on
            open_clocks = [c for c in planned.clocks if c.stopped_on is None]
            if last.closed_as:
                status, closed_on = CLOSURE_STATUS[last.closed_as], last.date_closed
            elif last.responded_on:
                status, closed_on = ComplaintStatus.CLOSED, last.responded_on
            else:
                status = ComplaintStatus.ACKNOWLEDGED if last.acknowledged_on else ComplaintStatus.RECEIVED
                closed_on = None
            summary = texts.get("summary") or f"Complaint about {planned.issue_nature.name}"
            resident_id, home_id = residents.get(planned.reference), properties.get(planned.reference)
            cases.append(
                {
                    "id": case_id,
                    "reference": references[planned.reference],
                    "kind": CaseKind.COMPLAINT,
                    "status": status,
                    "summary": summary[:250],
                    "service_area_id": planned.service_area.pk,
                    "resident_id": resident_id,
                    "home_id": home_id,
                    "assigned_to_id": last.handler.pk if last.handler else None,
                    "received_on": received,
                    "created_at": now,
                    "updated_at": now,
                    "closed_at": at_noon(closed_on) if closed_on else None,
                    "next_due_on": min((c.due_on for c in open_clocks), default=None),
                    "external_reference": planned.reference,
                }
            )
            complaints.append(
                {
                    "case_ptr_id": case_id,
                    "procedure_version_id": planned.version.pk,
                    "channel": planned.channel,
                    "issue_nature_id": planned.issue_nature.pk,
                    "complaint_type": planned.complaint_type,
                    "description": texts.get("description") or summary,
                    "outcome_wanted": texts.get("outcome_wanted") or "Not recorded in the previous system.",
                    "current_stage": last.number,
                    "early_resolution_agreed_on": last.date_closed if last.closed_as == "resolved_early" else None,
                    "withdrawn_on": last.date_closed if last.closed_as == "withdrawn" else None,
                    "refused_on": last.date_closed if last.closed_as == "refused" else None,
                    "refusal_reason": RefusalReason.OTHER if last.closed_as == "refused" else "",
                    "refusal_details": "Not accepted in the previous system." if last.closed_as == "refused" else "",
                }
            )
            definitions = self._stages[planned.version.pk]
            for stage, (within, days) in zip(planned.stages, planned.stage_figures, strict=True):
                early = stage.closed_as == "resolved_early"
                stages.append(
                    {
                        "id": stage_id,
                        "complaint_id": case_id,
                        "number": stage.number,
                        "name": definitions[stage.number].name,
                        "requested_on": stage.requested_on,
                        "acknowledged_on": stage.acknowledged_on,
                        "handler_id": stage.handler.pk if stage.handler else None,
                        "responded_on": stage.date_closed if early else stage.responded_on,
                        "response_summary": stage.response_summary,
                        "outcome": stage.outcome or "",
                        "compensation_pence": stage.compensation_pence,
                        "extended": stage.extended_to is not None,
                        "within_code_timescale": within,
                        "working_days_to_respond": days,
                    }
                )
                stage_id += 1
            calendar = self._calendar(planned.version.procedure.division)
            for clock in planned.clocks:
                stopped = clock.stopped_on
                clocks.append(
                    {
                        "id": clock_id,
                        "case_id": case_id,
                        "kind": clock.kind,
                        "stage": clock.stage,
                        "label": clock.label,
                        "division": planned.version.procedure.division,
                        "started_on": clock.started_on,
                        "target_working_days": clock.target,
                        "extension_cap_working_days": clock.cap,
                        "due_on": clock.due_on,
                        "status": ClockStatus.STOPPED if stopped else ClockStatus.RUNNING,
                        "stopped_on": stopped,
                        "met": stopped <= clock.due_on if stopped else None,
                        "working_days_taken": calendar.working_days_between(clock.started_on, stopped)
                        if stopped
                        else None,
                        "created_at": now,
                    }
                )
                if clock.extension:
                    extensions.append({"id": extension_id, "clock_id": clock_id, "created_at": now, **clock.extension})
                    extension_id += 1
                clock_id += 1
            events.extend(_events(case_id, planned, ctx, actor_id, now))
            case_id += 1
        copy_records(Case, cases)
        copy_records(Complaint, complaints)
        copy_records(ComplaintStage, stages)
        copy_records(Clock, clocks)
        copy_records(ClockExtension, extensions)
        copy_records(TimelineEvent, events)
        # Rows written with COPY send no signals: once they are committed, a task counts them in the reports.
        first, last = cases[0]["id"], cases[-1]["id"]
        transaction.on_commit(lambda: refresh_complaint_figures.delay(first, last))
        return count

    def _references(self, plan):
        by_year = defaultdict(list)
        for planned in plan:
            by_year[planned.stages[0].requested_on.year].append(planned.reference)
        references = {}
        for year, externals in by_year.items():
            for external, ours in zip(externals, allocate_references("CMP", year, len(externals)), strict=True):
                references[external] = ours
        return references


def _people(plan):
    """Residents and properties for the complaints that name them: {their reference: id}. A property is
    matched on its UPRN, else its first line and postcode, among existing ones and this file's."""
    wanted = [p for p in plan if p.texts.get("resident_first_name") or p.texts.get("address") or p.texts.get("uprn")]
    if not wanted:
        return {}, {}
    uprns = {p.texts["uprn"] for p in wanted if p.texts.get("uprn")}
    postcodes = {_postcode(p.texts.get("postcode", "")) for p in wanted if p.texts.get("address")}
    known = {}
    for pk, uprn in Property.objects.filter(uprn__in=uprns).values_list("pk", "uprn"):
        known[("uprn", uprn)] = pk
    for pk, line, postcode in Property.objects.filter(postcode__in=postcodes).values_list(
        "pk", "address_line_1", "postcode"
    ):
        known[("address", line.lower(), postcode)] = pk
    new_properties, property_of, resident_rows, resident_of = [], {}, [], {}
    property_id = resident_id = None
    for planned in wanted:
        texts = planned.texts
        keys = []
        if texts.get("uprn"):
            keys.append(("uprn", texts["uprn"]))
        if texts.get("address"):
            keys.append(("address", texts["address"][:200].lower(), _postcode(texts.get("postcode", ""))))
        home = next((known[k] for k in keys if k in known), None)
        if home is None and keys:
            if property_id is None:
                property_id = next_ids(
                    Property, sum(1 for p in wanted if p.texts.get("address") or p.texts.get("uprn"))
                )
            home = property_id
            property_id += 1
            new_properties.append(
                {
                    "id": home,
                    "uprn": texts.get("uprn") or None,
                    "address_line_1": (texts.get("address") or f"UPRN {texts.get('uprn')}")[:200],
                    "postcode": _postcode(texts.get("postcode", "")),
                }
            )
            for key in keys:
                known[key] = home
        if home is not None:
            property_of[planned.reference] = home
        if texts.get("resident_first_name"):
            if resident_id is None:
                resident_id = next_ids(Resident, sum(1 for p in wanted if p.texts.get("resident_first_name")))
            resident_rows.append(
                {
                    "id": resident_id,
                    "first_name": texts["resident_first_name"][:100],
                    "last_name": texts["resident_last_name"][:100],
                    "email": texts.get("resident_email", "")[:254],
                    "phone": texts.get("resident_phone", "")[:40],
                    "home_id": home,
                }
            )
            resident_of[planned.reference] = resident_id
            resident_id += 1
    copy_records(Property, new_properties)
    copy_records(Resident, resident_rows)
    return resident_of, property_of


def _postcode(text):
    return " ".join(text.upper().split())[:10]


@functools.lru_cache(maxsize=20_000)
def _format_day(day):
    return day.strftime("%a %-d %b %Y")


def _events(case_id, planned, ctx, actor_id, now):
    """The complaint's history: one entry per stage, dated the day the stage began, telling what happened in
    it on which days. The first also records the import (who, when, from where) and keeps the rows it came
    from, which is how a later import recognises them; one entry fewer per complaint keeps imports fast."""
    fmt = _format_day
    version = planned.version
    events = []
    for stage in planned.stages:
        if stage.number == 1:
            lines = [f"Complaint received on {fmt(stage.requested_on)} under {version.procedure.name}."]
        else:
            lines = [f"Escalated to stage {stage.number} at the resident's request of {fmt(stage.requested_on)}."]
        if stage.handler_name:
            lines.append(f"Handled by {stage.handler_name}.")
        if stage.acknowledged_on:
            lines.append(f"Acknowledged on {fmt(stage.acknowledged_on)}.")
        if stage.extended_to:
            reason = stage.extension_reason or "no reason recorded"
            lines.append(f"Response deadline extended to {fmt(stage.extended_to)}: {reason}.")
        if stage.responded_on and stage.closed_as != "resolved_early":
            outcome = StageOutcome(stage.outcome).label.lower()
            lines.append(f"Response sent on {fmt(stage.responded_on)}: {outcome}.")
            if stage.compensation_pence:
                lines.append(f"Compensation offered: £{stage.compensation_pence / 100:,.2f}.")
        if stage.closed_as:
            words = {"withdrawn": "Withdrawn", "resolved_early": "Resolved early", "refused": "Not accepted"}
            lines.append(f"{words[stage.closed_as]} on {fmt(stage.date_closed)}.")
        data = {"stage": stage.number}
        kind = "imported_stage"
        if stage.number == 1:
            kind = IMPORTED_EVENT
            lines.append(f"Imported on {fmt(now.date())} from {ctx.source} (their reference {planned.reference}).")
            data.update(external_reference=planned.reference, rows=[s.canonical for s in planned.stages])
        events.append(
            {
                "case_id": case_id,
                "occurred_at": at_noon(stage.requested_on),
                "actor_id": actor_id if stage.number == 1 else None,
                "kind": kind,
                "summary": " ".join(lines),
                "data": data,
                "visible_to_member": False,
            }
        )
    return events


KIND = ComplaintsKind
