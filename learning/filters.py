"""Filters for the learning register and commitments, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from casework.filters import date_filter
from casework.models import ServiceArea
from complaints.models import Complaint
from learning.models import (
    OPEN_PLAN_STATUSES,
    CommitmentStatus,
    LearningActionPlan,
    MunicipalYear,
    PlanStatus,
    ServiceCommitment,
    third_wednesday_of_may,
)


def months_of(year):
    """The months a municipal year's plans cover: from the month of its annual council meeting up to the
    month of the next one (plans cover whole months, so May belongs to the year that starts in it)."""
    following = MunicipalYear.objects.filter(year=year.year + 1).values_list("starts_on", flat=True).first()
    following = following or third_wednesday_of_may(year.year + 1)
    return year.starts_on.replace(day=1), following.replace(day=1)


@extend_schema_field(OpenApiTypes.INT)
class MunicipalYearFilter(django_filters.ModelChoiceFilter):
    """`?year=2025` for the 2025/26 municipal year."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", MunicipalYear.objects.all())
        kwargs.setdefault("to_field_name", "year")
        kwargs.setdefault("label", "Municipal year")
        super().__init__(*args, **kwargs)


class LearningPlanFilter(django_filters.FilterSet):
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), label="Service area")
    status = django_filters.MultipleChoiceFilter(
        choices=PlanStatus.choices, label="Status", widget=forms.CheckboxSelectMultiple
    )
    year = MunicipalYearFilter(method="filter_year")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput)
    q = django_filters.CharFilter(method="search", label="Search", help_text="Reference or words in the plan")

    class Meta:
        model = LearningActionPlan
        fields = []

    def filter_year(self, queryset, name, value):
        first, next_first = months_of(value)
        return queryset.filter(month__gte=first, month__lt=next_first)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_PLAN_STATUSES, due_on__lt=timezone.localdate())

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__iexact=value)
            | Q(what_went_wrong__icontains=value)
            | Q(action_to_address_cause__icontains=value)
            | Q(evidence_of_implementation__icontains=value)
            | Q(sources__complaint_stage__complaint__reference__iexact=value)
        ).distinct()


class CommitmentFilter(django_filters.FilterSet):
    year = MunicipalYearFilter(field_name="municipal_year")
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), label="Service area")
    status = django_filters.MultipleChoiceFilter(
        choices=CommitmentStatus.choices, label="Status", widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ServiceCommitment
        fields = []


class RepeatUpheldFilter(django_filters.FilterSet):
    SHARES = [
        ("person", "The same resident or property"),
        ("issue_nature", "Only the issue nature"),
    ]
    REVIEW = [("awaiting", "Awaiting root-cause analysis"), ("reviewed", "Reviewed")]

    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), label="Service area")
    shares = django_filters.ChoiceFilter(choices=SHARES, method="filter_shares", label="Upheld before for")
    review = django_filters.ChoiceFilter(choices=REVIEW, method="filter_review", label="Root-cause analysis")
    since = date_filter(method="filter_since", label="Upheld again from")

    class Meta:
        model = Complaint
        fields = []

    def filter_shares(self, queryset, name, value):
        person = Q(repeat_matches__same_resident=True) | Q(repeat_matches__same_property=True)
        if value == "person":
            return queryset.filter(person).distinct()
        return queryset.exclude(person)

    def filter_review(self, queryset, name, value):
        return queryset.filter(root_cause__isnull=(value == "awaiting"))

    def filter_since(self, queryset, name, value):
        return queryset.filter(latest_upheld_on__gte=value)
