"""What every case queue filters by (complaints, members' enquiries, ombudsman cases), shared by the officers'
pages and the API. Each app's filter set extends `CaseQueueFilter` with its own search and fields."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from casework import choices, search
from casework.choices import ListedChoiceFilter
from casework.models import ServiceArea, Team
from casework.roles import STAFF_ROLES, group_name
from sla import engine
from sla.models import Clock, ClockKind


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
    """Open cases with an acknowledgement clock still running past its due date. The clocks' cases are found
    first (`search.any_of`, from the running clocks' due-date index): tested case by case as an EXISTS, every
    open case was read (among 1,000,000 complaints, 8,700 open for 2,700 late: 90-130 ms for the page's SQL)."""
    today = today or timezone.localdate()
    late = Clock.objects.filter(stopped_on__isnull=True, due_on__lt=today, kind=ClockKind.ACKNOWLEDGEMENT)
    return search.any_of(queryset.filter(closed_at__isnull=True), [], id_sets=[late.values("case_id")])


def closed_after_filter(queryset, day):
    """Cases closed on or after a day (Europe/London). Their ids are found first (`search.any_of`, from
    `case_closed_idx`): asked together with the queue's order, PostgreSQL walked the order's index expecting
    the recently closed cases to be spread through it, when they are at its end (all 1,000,000 complaints read
    for the dashboard's "closed in the last 7 days")."""
    since = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return search.any_of(queryset, [Q(closed_at__gte=since)])


class AnyYesNo(forms.NullBooleanSelect):
    """A yes/no filter whose unset choice reads "Any" (Django's own says "Unknown", which reads as a value)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Any"), ("true", "Yes"), ("false", "No")]


class DateFilterInput(forms.DateInput):
    """The browser's date picker, as on the product's other forms; the value is still YYYY-MM-DD for the API."""

    input_type = "date"


def yes_no_filter(**kwargs):
    return django_filters.BooleanFilter(widget=AnyYesNo, **kwargs)


def date_filter(**kwargs):
    return django_filters.DateFilter(widget=DateFilterInput, **kwargs)


def status_filter(**kwargs):
    """Several statuses at once as tick boxes: a multiple-select list needs Ctrl-click, which few people know."""
    return django_filters.MultipleChoiceFilter(widget=forms.CheckboxSelectMultiple, **kwargs)


def officers():
    """Who a queue can be narrowed to: active users with a staff role (a members' portal user is not an officer)."""
    staff_groups = [group_name(role) for role in STAFF_ROLES]
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=staff_groups) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class CaseQueueFilter(django_filters.FilterSet):
    """The filters every queue has. A subclass sets `open_statuses`, its `Meta.model`, and its `q` search."""

    STATE_CHOICES = [("open", "Open"), ("closed", "Closed"), ("all", "All")]
    open_statuses = ()

    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label="Open or closed", empty_label=None
    )
    service_area = ListedChoiceFilter(
        queryset=ServiceArea.objects.all(), listed=choices.service_areas, label="Service area"
    )
    officer = ListedChoiceFilter(
        field_name="assigned_to", queryset=officers(), listed=choices.officers_by_username, label="Officer"
    )
    unassigned = yes_no_filter(field_name="assigned_to", lookup_expr="isnull", label="Unassigned")
    due = django_filters.ChoiceFilter(choices=DueWindow.CHOICES, method="filter_due", label="Due")
    urgent = yes_no_filter(field_name="is_urgent", label="Urgent")
    # "No team" (`?team=null`) so the dashboard's "No team" row opens the cases behind it like the others.
    team = ListedChoiceFilter(queryset=Team.objects.all(), listed=choices.teams, label="Team", null_label="No team")
    acknowledgement = django_filters.ChoiceFilter(
        choices=[("overdue", "Acknowledgement overdue")], method="filter_acknowledgement", label="Acknowledgement"
    )
    received_after = date_filter(field_name="received_on", lookup_expr="gte", label="Received from")
    received_before = date_filter(field_name="received_on", lookup_expr="lte", label="Received to")
    closed_after = date_filter(method="filter_closed_after", label="Closed from")

    # How far the queue counts its cases (casework.paging); a broad search stops sooner.
    count_cap = None

    def searched_broadly(self):
        """The search matched so many cases that they are checked one by one in the queue's order
        (`casework.search.any_of`): counting them to the usual cap would cost more than the page."""
        self.count_cap = search.BROAD_COUNT_CAP

    def __init__(self, data=None, *args, **kwargs):
        # An untouched queue shows open cases.
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)
        self.filters["officer"].queryset = officers()

    def filter_state(self, queryset, name, value):
        # Open is an open status on a case not closed. Every workflow sets both together, so the second condition
        # changes no answer; it lets PostgreSQL read the open cases from the partial indexes of open cases (in the
        # queue's order) instead of every row with an open status, which for "responded" includes every answered
        # members' enquiry.
        still_open = Q(status__in=self.open_statuses, closed_at__isnull=True)
        if value == "open":
            return queryset.filter(still_open)
        if value == "closed":
            return queryset.exclude(still_open)
        return queryset

    def filter_due(self, queryset, name, value):
        return due_window_filter(queryset, value)

    def filter_acknowledgement(self, queryset, name, value):
        return acknowledgement_overdue_filter(queryset) if value == "overdue" else queryset

    def filter_closed_after(self, queryset, name, value):
        return closed_after_filter(queryset, value)
