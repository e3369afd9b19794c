import django_filters
from django.db.models import Q

from casework.models import ServiceArea, Team
from complaints.filters import (
    DueWindow,
    acknowledgement_overdue_filter,
    closed_after_filter,
    due_window_filter,
    officers,
)
from enquiries.models import OPEN_ENQUIRY_STATUSES, Enquiry, EnquiryStatus, EnquiryType, Member


class EnquiryFilter(django_filters.FilterSet):
    STATE_CHOICES = [("open", "Open"), ("closed", "Answered or closed"), ("all", "All")]

    q = django_filters.CharFilter(method="search", label="Search", help_text="Reference, summary or constituent's name")
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label="Open or answered", empty_label=None
    )
    status = django_filters.MultipleChoiceFilter(choices=EnquiryStatus.choices, label="Status")
    enquiry_type = django_filters.ChoiceFilter(choices=EnquiryType.choices, label="Type")
    member = django_filters.ModelChoiceFilter(queryset=Member.objects.all(), label="Member")
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), label="Service area")
    officer = django_filters.ModelChoiceFilter(field_name="assigned_to", queryset=officers(), label="Officer")
    unassigned = django_filters.BooleanFilter(field_name="assigned_to", lookup_expr="isnull", label="Unassigned")
    due = django_filters.ChoiceFilter(choices=DueWindow.CHOICES, method="filter_due", label="Due")
    urgent = django_filters.BooleanFilter(field_name="is_urgent", label="Urgent")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), label="Team")
    acknowledgement = django_filters.ChoiceFilter(
        choices=[("overdue", "Acknowledgement overdue")], method="filter_acknowledgement", label="Acknowledgement"
    )
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label="Received from")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label="Received to")
    closed_after = django_filters.DateFilter(method="filter_closed_after", label="Answered or closed from")

    class Meta:
        model = Enquiry
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)
        self.filters["officer"].queryset = officers()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.upper().startswith("ME-"):
            return queryset.filter(reference__istartswith=value)
        condition = Q(summary__icontains=value)
        for word in value.split():
            condition |= Q(resident__last_name__istartswith=word) | Q(member__name__icontains=word)
        return queryset.filter(condition)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_ENQUIRY_STATUSES)
        if value == "closed":
            return queryset.exclude(status__in=OPEN_ENQUIRY_STATUSES)
        return queryset

    def filter_due(self, queryset, name, value):
        return due_window_filter(queryset, value)

    def filter_acknowledgement(self, queryset, name, value):
        return acknowledgement_overdue_filter(queryset) if value == "overdue" else queryset

    def filter_closed_after(self, queryset, name, value):
        return closed_after_filter(queryset, value)
