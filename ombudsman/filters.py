"""The ombudsman case list's filters, shared by the officers' page and the API."""

import django_filters
from django.db.models import Q

from casework.models import Ombudsman, ServiceArea
from complaints.filters import DueWindow, due_window_filter, officers
from ombudsman.models import OPEN_STAGES, OmbudsmanCase, OmbudsmanStage


class OmbudsmanCaseFilter(django_filters.FilterSet):
    STATE_CHOICES = [("open", "Open"), ("closed", "Closed"), ("all", "All")]

    q = django_filters.CharFilter(
        method="search", label="Search", help_text="Reference, the ombudsman's reference, summary or resident"
    )
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label="Open or closed", empty_label=None
    )
    stage = django_filters.MultipleChoiceFilter(field_name="status", choices=OmbudsmanStage.choices, label="Stage")
    ombudsman = django_filters.ChoiceFilter(choices=Ombudsman.choices, label="Ombudsman", empty_label="Either")
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), label="Service area")
    officer = django_filters.ModelChoiceFilter(field_name="assigned_to", queryset=officers(), label="Officer")
    due = django_filters.ChoiceFilter(choices=DueWindow.CHOICES, method="filter_due", label="Due")
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label="Received from")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label="Received to")
    determined_after = django_filters.DateFilter(
        field_name="determination__determined_on", lookup_expr="gte", label="Determined from"
    )
    determined_before = django_filters.DateFilter(
        field_name="determination__determined_on", lookup_expr="lte", label="Determined to"
    )

    class Meta:
        model = OmbudsmanCase
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # An untouched list shows open cases.
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)
        self.filters["officer"].queryset = officers()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.upper().startswith(("OMB-", "CMP-")):
            return queryset.filter(
                Q(reference__istartswith=value) | Q(original_complaint__reference__istartswith=value)
            )
        condition = Q(summary__icontains=value) | Q(ombudsman_reference__iexact=value)
        name_match = Q()
        for word in value.split():
            name_match &= Q(resident__first_name__istartswith=word) | Q(resident__last_name__istartswith=word)
        return queryset.filter(condition | name_match)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STAGES)
        if value == "closed":
            return queryset.exclude(status__in=OPEN_STAGES)
        return queryset

    def filter_due(self, queryset, name, value):
        return due_window_filter(queryset, value)
