"""The work queue's filters, shared by the officers' page and the API."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from casework.models import IssueNature, ServiceArea, Team
from complaints.models import OPEN_STATUSES, Complaint, ComplaintStatus
from sla import engine


class DueWindow:
    OVERDUE = "overdue"
    TODAY = "today"
    NEXT_3 = "next_3"
    NEXT_10 = "next_10"
    CHOICES = [
        (OVERDUE, "Overdue"),
        (TODAY, "Due today"),
        (NEXT_3, "Due in the next 3 working days"),
        (NEXT_10, "Due in the next 10 working days"),
    ]


def due_window_filter(queryset, window, today=None):
    """Open cases whose next deadline falls in a window counted in working days from today."""
    today = today or timezone.localdate()
    open_cases = queryset.filter(closed_at__isnull=True)
    if window == DueWindow.OVERDUE:
        return open_cases.filter(next_due_on__lt=today)
    if window == DueWindow.TODAY:
        return open_cases.filter(next_due_on=today)
    if window in (DueWindow.NEXT_3, DueWindow.NEXT_10):
        days = 3 if window == DueWindow.NEXT_3 else 10
        return open_cases.filter(next_due_on__gt=today, next_due_on__lte=engine.add_working_days(today, days))
    return queryset


def acknowledgement_overdue_filter(queryset, today=None):
    """Open cases with an acknowledgement clock still running past its due date."""
    from django.db.models import Exists, OuterRef

    from sla.models import Clock

    today = today or timezone.localdate()
    late = Clock.objects.filter(
        case_id=OuterRef("pk"), stopped_on__isnull=True, due_on__lt=today, purpose__endswith="_acknowledgement"
    )
    return queryset.filter(Exists(late), closed_at__isnull=True)


def closed_after_filter(queryset, day):
    """Cases closed on or after a day (Europe/London)."""
    import datetime

    return queryset.filter(closed_at__gte=timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)))


def officers():
    return get_user_model().objects.filter(groups__isnull=False, is_active=True).distinct().order_by("first_name")


class ComplaintFilter(django_filters.FilterSet):
    STATE_CHOICES = [("open", "Open"), ("closed", "Closed"), ("all", "All")]

    q = django_filters.CharFilter(method="search", label="Search", help_text="Reference, summary or resident's name")
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label="Open or closed", empty_label=None
    )
    status = django_filters.MultipleChoiceFilter(choices=ComplaintStatus.choices, label="Status")
    stage = django_filters.NumberFilter(field_name="current_stage", label="Stage")
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), label="Service area")
    issue_nature = django_filters.ModelChoiceFilter(queryset=IssueNature.objects.all(), label="Issue nature")
    officer = django_filters.ModelChoiceFilter(field_name="assigned_to", queryset=officers(), label="Officer")
    unassigned = django_filters.BooleanFilter(field_name="assigned_to", lookup_expr="isnull", label="Unassigned")
    due = django_filters.ChoiceFilter(choices=DueWindow.CHOICES, method="filter_due", label="Due")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue only")
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label="Received from")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label="Received to")
    urgent = django_filters.BooleanFilter(field_name="is_urgent", label="Urgent")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), label="Team")
    acknowledgement = django_filters.ChoiceFilter(
        choices=[("overdue", "Acknowledgement overdue")], method="filter_acknowledgement", label="Acknowledgement"
    )
    closed_after = django_filters.DateFilter(method="filter_closed_after", label="Closed from")
    repeat_upheld = django_filters.BooleanFilter(field_name="repeat_upheld", label="Upheld again within 12 months")

    class Meta:
        model = Complaint
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # An untouched queue shows open complaints.
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)
        self.filters["officer"].queryset = officers()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.upper().startswith(("CMP-", "SR-", "ME-", "OMB-")):
            return queryset.filter(reference__istartswith=value)
        words = value.split()
        condition = Q(summary__icontains=value) | Q(external_reference__iexact=value)
        name_match = Q()
        for word in words:
            name_match &= Q(resident__first_name__istartswith=word) | Q(resident__last_name__istartswith=word)
        return queryset.filter(condition | name_match)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "closed":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset

    def filter_due(self, queryset, name, value):
        return due_window_filter(queryset, value)

    def filter_overdue(self, queryset, name, value):
        return due_window_filter(queryset, DueWindow.OVERDUE) if value else queryset

    def filter_acknowledgement(self, queryset, name, value):
        return acknowledgement_overdue_filter(queryset) if value == "overdue" else queryset

    def filter_closed_after(self, queryset, name, value):
        return closed_after_filter(queryset, value)
