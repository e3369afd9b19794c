"""Reads for the learning pages, the API and reports. Counts are aggregated in the database.

The figures reporting uses are plain functions of a date range (`start`, `end`, both included): a plan is
in the range when the month it covers is, so a range of whole months or a financial year picks each
month's plans once. Open and overdue are as of `today` (default: today)."""

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from casework.roles import ALL_CASES_ROLES, Role, roles_of
from complaints.models import Complaint, RepeatUpheldMatch, StageOutcome
from learning.filters import CommitmentFilter, LearningPlanFilter, RepeatUpheldFilter
from learning.models import (
    OPEN_PLAN_STATUSES,
    CommitmentStatus,
    LearningActionPlan,
    LearningSource,
    MunicipalYear,
    PlanStatus,
    ServiceCommitment,
)

UPHELD_OUTCOMES = (StageOutcome.UPHELD, StageOutcome.PARTLY_UPHELD)


def visible_plans(user, queryset):
    """Narrow plans to those the user may read, as cases are narrowed (`casework.permissions.visible_cases`):
    complaints officers, managers and administrators read every plan; an investigating officer reads the plans
    of the service areas in their profile and those they lead, since a plan names the complaints it learns from
    and says what went wrong in them. Anyone else reads none."""
    roles = roles_of(user)
    if roles & ALL_CASES_ROLES:
        return queryset
    if Role.INVESTIGATING_OFFICER in roles:
        ours = LearningActionPlan.objects.filter(Q(service_area__officers__user=user) | Q(lead_officer=user))
        return queryset.filter(pk__in=ours.values("pk"))
    return queryset.none()


def plans_queryset(user=None):
    """Plans with what lists show; only those `user` may read when a user is given."""
    plans = LearningActionPlan.objects.select_related("service_area", "lead_officer", "verified_by").annotate(
        complaint_count=Count("sources__complaint_stage__complaint", distinct=True),
        finding_count=Count("sources__finding", distinct=True),
    )
    return plans if user is None else visible_plans(user, plans)


def register(data, user):
    """The learning register: the plans `user` may read matching the filters, newest month first."""
    return LearningPlanFilter(data, queryset=plans_queryset(user).order_by("-month", "service_area__name", "-id"))


def plan_for(reference, user):
    sources = LearningSource.objects.select_related(
        "complaint_stage__complaint__issue_nature",
        "complaint_stage__complaint__resident",
        "finding__determination__case",
        "finding__category",
    )
    return (
        visible_plans(user, LearningActionPlan.objects.all())
        .select_related("service_area", "lead_officer", "verified_by")
        .prefetch_related(Prefetch("sources", queryset=sources), "evidence_files", "events__actor")
        .filter(reference=reference)
        .first()
    )


def plans_for_print(data, user):
    """The register's plans with what the printed form needs, in service then month order."""
    sources = LearningSource.objects.select_related(
        "complaint_stage__complaint", "finding__determination__case", "finding__category"
    )
    return (
        register(data, user)
        .qs.prefetch_related(Prefetch("sources", queryset=sources))
        .order_by("service_area__name", "month", "id")
    )


def _in_range(start, end):
    return LearningActionPlan.objects.filter(month__gte=start.replace(day=1), month__lte=end)


def open_and_overdue_by_service(start, end, today=None):
    """Learning action plans still open (not started or in progress) and, of those, overdue, by service:
    [{"service_area_id", "service_area", "plans", "open", "overdue"}], services with plans only, by name."""
    today = today or timezone.localdate()
    open_plans = Q(status__in=OPEN_PLAN_STATUSES)
    return list(
        _in_range(start, end)
        .values("service_area_id", "service_area__name")
        .annotate(
            plans=Count("id"),
            open=Count("id", filter=open_plans),
            overdue=Count("id", filter=open_plans & Q(due_on__lt=today)),
        )
        .order_by("service_area__name")
        .values("service_area_id", "service_area__name", "plans", "open", "overdue")
    )


def open_and_overdue_totals(start, end, today=None):
    """The same figures for all services together: {"plans", "open", "overdue"}."""
    today = today or timezone.localdate()
    open_plans = Q(status__in=OPEN_PLAN_STATUSES)
    return _in_range(start, end).aggregate(
        plans=Count("id"),
        open=Count("id", filter=open_plans),
        overdue=Count("id", filter=open_plans & Q(due_on__lt=today)),
    )


def plans_by_status(start, end, service_area=None):
    """{status: count} for every status (zero included), in the lifecycle's order."""
    plans = _in_range(start, end)
    if service_area:
        plans = plans.filter(service_area=service_area)
    counts = dict(plans.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in PlanStatus.values}


def complaints_learned_from(start, end):
    """How many distinct complaints the plans in the range learn from."""
    return (
        LearningSource.objects.filter(plan__in=_in_range(start, end), complaint_stage__isnull=False)
        .values("complaint_stage__complaint")
        .distinct()
        .count()
    )


# --- Repeat-upheld complaints -------------------------------------------------------------------------


def repeat_upheld(data):
    """Complaints flagged as upheld again within 12 months, most recently upheld first, with what they
    share with the earlier complaints and any root-cause analysis recorded."""
    matches = RepeatUpheldMatch.objects.select_related("earlier__issue_nature").order_by("-earlier__received_on")
    queryset = (
        Complaint.objects.filter(repeat_upheld=True)
        .select_related("service_area", "issue_nature", "resident", "home", "root_cause__reviewed_by")
        .prefetch_related(Prefetch("repeat_matches", queryset=matches))
        .annotate(latest_upheld_on=Max("stages__responded_on", filter=Q(stages__outcome__in=UPHELD_OUTCOMES)))
        .order_by("-latest_upheld_on", "-id")
    )
    return RepeatUpheldFilter(data, queryset=queryset)


def awaiting_root_cause_count():
    return Complaint.objects.filter(repeat_upheld=True, root_cause__isnull=True).count()


# --- Service commitments ------------------------------------------------------------------------------


def commitments(data):
    queryset = ServiceCommitment.objects.select_related(
        "municipal_year", "service_area", "lead_officer", "carried_over_from__municipal_year"
    ).order_by("service_area__name", "id")
    return CommitmentFilter(data, queryset=queryset)


def commitment_progress(queryset):
    """Per service: commitments made, completed, in progress, carried over, withdrawn (for the summary)."""
    by_status = {
        status: Count("id", filter=Q(status=status))
        for status in (
            CommitmentStatus.COMPLETED,
            CommitmentStatus.IN_PROGRESS,
            CommitmentStatus.CARRIED_OVER,
            CommitmentStatus.WITHDRAWN,
        )
    }
    return list(
        queryset.order_by()
        .values("service_area__name")
        .annotate(total=Count("id"), carried_in=Count("id", filter=Q(carried_over_from__isnull=False)), **by_status)
        .order_by("service_area__name")
    )


def municipal_years():
    return MunicipalYear.objects.order_by("-year")


# --- Service improvements for the annual report (Code 8.1 d) ------------------------------------------


def improvements_made(start, end):
    """Learning action plans whose action was implemented from `start` to `end` (both included): the service
    improvements made as a result of the learning from complaints, by service, earliest first."""
    return (
        LearningActionPlan.objects.filter(
            status__in=(PlanStatus.IMPLEMENTED, PlanStatus.VERIFIED),
            implemented_on__gte=start,
            implemented_on__lte=end,
        )
        .select_related("service_area", "lead_officer")
        .order_by("service_area__name", "implemented_on", "id")
    )


def commitments_of_year(year):
    """The service commitments of the municipal year that starts in `year` (May to May, so most of the financial
    year of the same start), by service, with the totals by status."""
    commitments = (
        ServiceCommitment.objects.filter(municipal_year__year=year)
        .select_related("municipal_year", "service_area", "carried_over_from")
        .order_by("service_area__name", "id")
    )
    counts = dict(commitments.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "commitments": list(commitments),
        "by_status": [{"status": status.label, "count": counts.get(status.value, 0)} for status in CommitmentStatus],
        "total": sum(counts.values()),
    }
