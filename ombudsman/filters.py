"""The ombudsman case list's filters, shared by the officers' page and the API."""

import django_filters
from django.db.models import Q

from casework import search
from casework.filters import CaseQueueFilter, date_filter, status_filter
from casework.models import Ombudsman
from ombudsman.models import OPEN_STAGES, OmbudsmanCase, OmbudsmanStage


class OmbudsmanCaseFilter(CaseQueueFilter):
    open_statuses = OPEN_STAGES

    q = django_filters.CharFilter(
        method="search", label="Search", help_text="Reference, the ombudsman's reference, summary or resident"
    )
    stage = status_filter(field_name="status", choices=OmbudsmanStage.choices, label="Stage")
    ombudsman = django_filters.ChoiceFilter(choices=Ombudsman.choices, label="Ombudsman", empty_label="Either")
    determined_after = date_filter(
        field_name="determination__determined_on", lookup_expr="gte", label="Determined from"
    )
    determined_before = date_filter(field_name="determination__determined_on", lookup_expr="lte", label="Determined to")

    class Meta:
        model = OmbudsmanCase
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        keys = search.case_key_q(value, ("OMB",))
        complaint = search.reference_q(value, ("CMP", "SR"), "original_complaint__reference")
        if complaint is not None:
            keys = complaint if keys is None else keys | complaint
        if value.upper().startswith(("OMB-", "CMP-")) and keys is not None:
            return queryset.filter(keys)
        condition = Q(summary__icontains=value) | Q(ombudsman_reference__iexact=value)
        if keys is not None:
            condition |= keys
        name_match = Q()
        for word in value.split():
            name_match &= Q(resident__first_name__istartswith=word) | Q(resident__last_name__istartswith=word)
        return queryset.filter(condition | name_match)
