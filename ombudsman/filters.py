"""The ombudsman case list's filters, shared by the officers' page and the API."""

import django_filters
from django.db.models import Q

from casework import search
from casework.filters import CaseQueueFilter, date_filter, status_filter
from casework.models import Note, Ombudsman
from ombudsman.models import OPEN_STAGES, OmbudsmanCase, OmbudsmanStage

# Where the search looks for words: what the resident asked the ombudsman to look at, and the notes (the fields
# of the full-text indexes, ombudsman.migrations.0006_search_indexes and casework's).
WORDS_SOURCES = [(OmbudsmanCase, "pk", ["description"]), (Note, "case_id", ["body"])]


def search_ombudsman_cases(queryset, value, broad=None):
    """The ombudsman cases the list's search box finds for what was typed (the rules are casework.search's); the
    admin's search is the same."""
    value = value.strip()
    if not value:
        return queryset
    keys = search.case_key_conditions(value, ("OMB",))
    complaint = search.reference_q(value, ("CMP", "SR"), "original_complaint__reference")
    if complaint is not None:
        keys.append(complaint)
    if value.upper().startswith(("OMB-", "CMP-")) and keys:
        return search.any_of(queryset, keys)
    conditions = [
        *keys,
        Q(summary__icontains=value),
        Q(ombudsman_reference__iexact=value),
        search.resident_name_q(value),
    ]
    return search.any_of(queryset, conditions, search.words(value, WORDS_SOURCES, queryset.db), broad)


class OmbudsmanCaseFilter(CaseQueueFilter):
    open_statuses = OPEN_STAGES

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        help_text="Reference, the ombudsman's reference, summary, resident, or words from the case or its notes",
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
        return search_ombudsman_cases(queryset, value, broad=self.searched_broadly)
