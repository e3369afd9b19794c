"""The members' portal's search and filters: an office with a thousand enquiries finds one by its reference,
subject or constituent, and narrows the list to open or answered ones, or to one member's."""

import django_filters
from django import forms
from django.db.models import Q

from casework import search
from enquiries.models import OPEN_ENQUIRY_STATUSES, Enquiry, EnquiryStatus, Member
from online.govuk import GovukForm


class PortalFilterForm(GovukForm):
    hide_optional = True  # every filter is optional; saying so on each says nothing


class PortalEnquiryFilter(django_filters.FilterSet):
    STATUS_CHOICES = [
        ("open", "Open (not answered yet)"),
        (EnquiryStatus.RESPONDED, "Answered"),
        (EnquiryStatus.CLOSED, "Closed"),
    ]

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        help_text="Reference, subject, or the constituent's name, phone number or postcode",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label="Status", empty_label="Any status"
    )
    member = django_filters.ModelChoiceFilter(queryset=Member.objects.none(), label="Member", empty_label="Any member")

    class Meta:
        model = Enquiry
        fields = []
        form = PortalFilterForm

    def __init__(self, data=None, *args, members=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["member"].queryset = members if members is not None else Member.objects.none()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The officers' keys (casework/search.py): a reference with or without its prefix, the constituent's
        # phone however written, or their postcode in any spacing; references compared as stored (upper-case),
        # so their index answers.
        keys = search.case_key_conditions(value, ("ME",))
        if value.upper().startswith("ME-") and keys:
            return search.any_of(queryset, keys)
        conditions = [*keys, Q(summary__icontains=value), Q(constituent_address__icontains=value)]
        name_match = Q()
        for word in value.split():
            name_match &= Q(resident__first_name__istartswith=word) | Q(resident__last_name__istartswith=word)
        return search.any_of(queryset, [*conditions, name_match])

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_ENQUIRY_STATUSES)
        return queryset.filter(status=value)
