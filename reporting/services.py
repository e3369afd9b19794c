"""Writes of the reporting app: what the council writes into a year's annual report (its analysis of the
year's performance, the governing body's response)."""

import datetime

from django.db import transaction
from django.utils import timezone

from casework.errors import Forbidden, Problems
from casework.roles import Role, has_role
from reporting.models import GoverningBodyResponse, PerformanceAnalysis
from reporting.periods import financial_year_label

RECORDER_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)


def may_record_response(user):
    return has_role(user, *RECORDER_ROLES)


@transaction.atomic
def record_governing_body_response(*, actor, reporting_year, governing_body, responded_on, response):
    """Record (or correct) the governing body's response to the annual complaints performance and service
    improvement report of `reporting_year` (Code 8.2: published alongside the report); returns it."""
    if not may_record_response(actor):
        raise Forbidden("Only managers and administrators record the governing body's response.")
    problems = Problems()
    response = (response or "").strip()
    governing_body = (governing_body or "").strip()
    today = timezone.localdate()
    if not response:
        problems.add("response", "Enter the governing body's response to the report.")
    if not governing_body:
        problems.add("governing_body", "Enter who responded: the committee or cabinet.")
    if responded_on is None:
        problems.add("responded_on", "Enter the date of the response.")
    elif responded_on > today:
        problems.add("responded_on", "The date of the response cannot be in the future.")
    elif responded_on < datetime.date(reporting_year, 4, 1):
        # The report covers a year from 1 April: it cannot be answered before its year began.
        problems.add(
            "responded_on",
            f"The response to the {financial_year_label(reporting_year)} report cannot be dated before "
            f"1 April {reporting_year}.",
        )
    problems.raise_if_any()
    answer, _ = GoverningBodyResponse.objects.update_or_create(
        reporting_year=reporting_year,
        defaults={
            "governing_body": governing_body,
            "responded_on": responded_on,
            "response": response,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    return answer


@transaction.atomic
def record_performance_analysis(*, actor, reporting_year, analysis):
    """Record (or correct) the council's written analysis of `reporting_year`'s complaint handling performance, the
    qualitative part of the annual report's performance section (Code 8.1(b)); returns it."""
    if not may_record_response(actor):
        raise Forbidden("Only managers and administrators record the analysis of the year's performance.")
    problems = Problems()
    analysis = (analysis or "").strip()
    if not analysis:
        problems.add("analysis", "Enter the analysis of the year's complaint handling performance.")
    elif len(analysis) > PerformanceAnalysis.MAX_LENGTH:
        problems.add(
            "analysis",
            f"The analysis can be at most {PerformanceAnalysis.MAX_LENGTH:,} characters; it has {len(analysis):,}.",
        )
    if datetime.date(reporting_year, 4, 1) > timezone.localdate():
        label = financial_year_label(reporting_year)
        problems.add("year", f"The {label} year has not begun: there is no performance to analyse yet.")
    problems.raise_if_any()
    recorded, _ = PerformanceAnalysis.objects.update_or_create(
        reporting_year=reporting_year,
        defaults={"analysis": analysis, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    return recorded
