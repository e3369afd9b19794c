"""Reads for the residents' pages: which services a resident may choose, what the council promises, and the
form sent from this session."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from casework.models import IssueNature, ServiceArea
from casework.services import DomainError
from complaints import services as complaint_services
from complaints.models import Complaint, ResponseClockStart
from online.models import OnlineSubmission
from sla import engine
from sla.models import ClockKind


def service_areas_for_online_form(*, complaint=True):
    """Active services. For a complaint, only those with an active issue nature: every complaint is logged
    under one, and the resident is not asked to choose it (the service's own is used; officers may change it)."""
    areas = ServiceArea.objects.filter(is_active=True)
    if complaint:
        areas = areas.filter(Exists(IssueNature.objects.filter(service_area=OuterRef("pk"), is_active=True)))
    return areas.order_by("name")


def issue_nature_for(service_area):
    return IssueNature.objects.filter(service_area=service_area, is_active=True).order_by("name", "id").first()


@dataclass(frozen=True)
class Promise:
    """The dates the council commits to for a complaint's first stage: acknowledge by, and respond in full by
    at the latest (from an acknowledgement on its last allowed day, when the procedure counts the response from
    the acknowledgement)."""

    acknowledge_within: int | None
    respond_within: int
    acknowledge_by: datetime.date | None
    respond_by: datetime.date
    counts_from_acknowledgement: bool


def _first_stage(version):
    return min(version.stages.all(), key=lambda stage: stage.number)


def _promise(version, received_on, *, acknowledge_due=None, response_due=None):
    stage = _first_stage(version)
    division = version.procedure.division
    from_acknowledgement = (
        stage.respond_from == ResponseClockStart.ACKNOWLEDGEMENT and stage.acknowledge_within is not None
    )
    acknowledge_by = acknowledge_due
    if acknowledge_by is None and stage.acknowledge_within is not None:
        acknowledge_by = engine.add_working_days(received_on, stage.acknowledge_within, division)
    if response_due is None:
        start = acknowledge_by if from_acknowledgement else received_on
        response_due = engine.add_working_days(start, stage.respond_within, division)
    return Promise(
        acknowledge_within=stage.acknowledge_within,
        respond_within=stage.respond_within,
        acknowledge_by=acknowledge_by,
        respond_by=response_due,
        counts_from_acknowledgement=from_acknowledgement,
    )


def promise_for_today(today=None):
    """What a complaint sent today would be promised, for the start page (None when no procedure applies)."""
    today = today or timezone.localdate()
    try:
        version = complaint_services.version_in_force(today)
    except DomainError:
        return None
    return _promise(version, today)


def promise_for(complaint):
    """The dates a logged complaint's clocks say, filling in the response date the procedure sets from an
    acknowledgement on its last allowed day while the response clock has not started."""
    clocks = {(clock.kind, clock.stage): clock for clock in complaint.clocks.all()}
    acknowledgement = clocks.get((ClockKind.ACKNOWLEDGEMENT, 1))
    response = clocks.get((ClockKind.RESPONSE, 1))
    return _promise(
        complaint.procedure_version,
        complaint.received_on,
        acknowledge_due=acknowledgement.due_on if acknowledgement else None,
        response_due=response.due_on if response else None,
    )


def sent_submission(submission_id):
    """The form this session sent, with its case and what the confirmation page shows."""
    if submission_id is None:
        return None
    submission = (
        OnlineSubmission.objects.select_related("case__service_area", "case__resident", "case__representative")
        .filter(pk=submission_id, case__isnull=False)
        .first()
    )
    if submission is None:
        return None
    complaint = (
        Complaint.objects.select_related("procedure_version__procedure")
        .prefetch_related("procedure_version__stages", "clocks")
        .filter(pk=submission.case_id)
        .first()
    )
    submission.complaint = complaint
    # The complaint or service request itself (the base case has no description).
    submission.specific = complaint or submission.case.specific()
    submission.promise = promise_for(complaint) if complaint else None
    return submission


def submission_by_key(submission_key):
    return OnlineSubmission.objects.filter(submission_key=submission_key, case__isnull=False).first()
