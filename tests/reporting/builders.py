"""Complaints written straight to the tables in bulk, as an import does, for tests that need thousands of
them (the seeds' published years). The reports then read them after `reporting.facts.refresh_all()`, the
same path the nightly check takes for imported rows. Tests that follow one complaint through its lifecycle
use the services instead."""

import datetime
import itertools
from dataclasses import dataclass

from casework.bulk import copy_rows, next_ids
from casework.models import Case, IssueNature
from casework.reference_data import load_reference_data
from complaints.models import Complaint, ComplaintStage, ProcedureVersion
from complaints.scale import STAGE_COLUMNS
from reporting import facts

_counter = itertools.count(1)


@dataclass
class Stage:
    number: int
    requested_on: datetime.date
    responded_on: datetime.date | None = None
    outcome: str = ""
    within: bool | None = None
    extended: bool = False
    working_days: int | None = None


@dataclass
class Spec:
    """One complaint: its issue nature (by name) and its stages."""

    issue_nature: str
    stages: list
    home_id: int | None = None


def write_complaints(specs):
    """Write the complaints of `specs` (Case, Complaint and stage rows) and refresh the reports' facts."""
    load_reference_data()
    natures = dict(IssueNature.objects.values_list("name", "pk"))
    areas = dict(IssueNature.objects.values_list("name", "service_area_id"))
    version = ProcedureVersion.objects.get(
        procedure__code="legacy-corporate-three-stage", scheme__code="housing-landlord"
    ).pk
    specs = list(specs)
    first_case = next_ids(Case, len(specs))
    stage_count = sum(len(spec.stages) for spec in specs)
    first_stage = next_ids(ComplaintStage, stage_count)
    case_rows, complaint_rows, stage_rows = [], [], []
    stage_id = first_stage
    for offset, spec in enumerate(specs):
        case_id = first_case + offset
        received = spec.stages[0].requested_on
        last = spec.stages[-1]
        closed = last.responded_on is not None
        case_rows.append(
            (
                case_id,
                f"TST-{received.year}-{next(_counter):07d}",
                "complaint",
                "closed" if closed else "received",
                "Bulk complaint",
                areas[spec.issue_nature],
                spec.home_id,
                received,
                False,
                datetime.datetime(received.year, received.month, received.day, tzinfo=datetime.UTC),
                datetime.datetime(received.year, received.month, received.day, tzinfo=datetime.UTC),
                datetime.datetime.combine(last.responded_on, datetime.time(16), tzinfo=datetime.UTC)
                if closed
                else None,
            )
        )
        complaint_rows.append(
            (
                case_id,
                version,
                "email",
                natures[spec.issue_nature],
                "service_failure",
                "Bulk",
                "Put it right",
                "",
                False,
                len(spec.stages),
                "",
                "",
                False,
            )
        )
        for stage in spec.stages:
            stage_rows.append(
                (
                    stage_id,
                    case_id,
                    stage.number,
                    f"Stage {stage.number}",
                    stage.requested_on,
                    "",
                    None,
                    None,
                    stage.responded_on,
                    "",
                    stage.outcome,
                    0,
                    stage.extended,
                    stage.within,
                    stage.working_days,
                )
            )
            stage_id += 1
    copy_rows(
        Case,
        [
            "id",
            "reference",
            "kind",
            "status",
            "summary",
            "service_area_id",
            "home_id",
            "received_on",
            "is_urgent",
            "created_at",
            "updated_at",
            "closed_at",
        ],
        case_rows,
    )
    copy_rows(
        Complaint,
        [
            "case_ptr_id",
            "procedure_version_id",
            "channel",
            "issue_nature_id",
            "complaint_type",
            "description",
            "outcome_wanted",
            "staff_named",
            "vulnerability_noted",
            "current_stage",
            "refusal_reason",
            "refusal_details",
            "repeat_upheld",
        ],
        complaint_rows,
    )
    copy_rows(ComplaintStage, STAGE_COLUMNS, stage_rows)
    facts.refresh_all()
    return len(specs)


def spread(count, first, last):
    """`count` dates spread evenly from `first` to `last`."""
    span = (last - first).days
    return [first + datetime.timedelta(days=(span * i) // max(count, 1)) for i in range(count)]


def write_enquiries(member, area, received_dates, *, responded_after_days=None, in_time=True, working_days=None):
    """Members' enquiries received on `received_dates` for `member`, optionally answered some days later."""
    from enquiries.models import Enquiry

    first = next_ids(Case, len(received_dates))
    case_rows, enquiry_rows = [], []
    for offset, received in enumerate(received_dates):
        case_id = first + offset
        responded = received + datetime.timedelta(days=responded_after_days) if responded_after_days else None
        stamp = datetime.datetime(received.year, received.month, received.day, tzinfo=datetime.UTC)
        case_rows.append(
            (
                case_id,
                f"TME-{received.year}-{next(_counter):07d}",
                "enquiry",
                "responded" if responded else "received",
                "Bulk enquiry",
                area.pk,
                received,
                False,
                stamp,
                stamp,
                stamp if responded else None,
            )
        )
        enquiry_rows.append(
            (
                case_id,
                member.pk,
                member.office_id,
                "service_request",
                "Bulk enquiry",
                True,
                "",
                "[]",
                "",
                responded,
                working_days if responded else None,
                in_time if responded else None,
            )
        )
    copy_rows(
        Case,
        [
            "id",
            "reference",
            "kind",
            "status",
            "summary",
            "service_area_id",
            "received_on",
            "is_urgent",
            "created_at",
            "updated_at",
            "closed_at",
        ],
        case_rows,
    )
    copy_rows(
        Enquiry,
        [
            "case_ptr_id",
            "member_id",
            "office_id",
            "enquiry_type",
            "description",
            "consent_to_share",
            "constituent_address",
            "urgent_reasons",
            "response",
            "responded_on",
            "working_days_to_respond",
            "responded_in_time",
        ],
        enquiry_rows,
    )
