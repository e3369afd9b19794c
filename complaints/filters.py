"""The work queue's filters, shared by the officers' page and the API."""

import django_filters
from django.db.models import Q

from casework import choices, search
from casework.choices import ListedChoiceFilter
from casework.filters import CaseQueueFilter, DueWindow, due_window_filter, status_filter, yes_no_filter
from casework.models import IssueNature, Note
from complaints.models import OPEN_STATUSES, Channel, Complaint, ComplaintStage, ComplaintStatus

# Where the search looks for words: what the complaint says (stored as words on PostgreSQL,
# complaints.migrations.0013_stored_words), its notes and the council's responses (the fields of the full-text
# indexes, complaints.migrations.0010_search_indexes and casework's).
WORDS_SOURCES = [
    (Complaint, "pk", ["description", "outcome_wanted"], "search_words"),
    (Note, "case_id", ["body"]),
    (ComplaintStage, "complaint_id", ["response_summary"]),
]


def search_complaints(queryset, value, broad=None):
    """The complaints the queue's search box finds for what was typed (the rules are casework.search's); the admin's
    search is the same."""
    value = value.strip()
    if not value:
        return queryset
    keys = search.case_key_conditions(value, ("CMP", "SR"))
    if value.upper().startswith(("CMP-", "SR-")) and keys:
        return search.any_of(queryset, keys)
    conditions = [
        *keys,
        Q(summary__icontains=value),
        Q(external_reference__iexact=value),
        search.resident_name_q(value),
    ]
    return search.any_of(queryset, conditions, search.words(value, WORDS_SOURCES, queryset.db), broad)


class ComplaintFilter(CaseQueueFilter):
    open_statuses = OPEN_STATUSES

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        help_text=(
            "Reference (with or without its prefix), summary, resident's name, phone number, postcode, "
            "or words from the complaint, its notes or responses"
        ),
    )
    status = status_filter(choices=ComplaintStatus.choices, label="Status")
    stage = django_filters.NumberFilter(field_name="current_stage", label="Stage")
    issue_nature = ListedChoiceFilter(
        queryset=IssueNature.objects.all(), listed=choices.issue_natures, label="Issue nature"
    )
    overdue = yes_no_filter(method="filter_overdue", label="Overdue only")
    repeat_upheld = yes_no_filter(field_name="repeat_upheld", label="Upheld again within 12 months")
    # "Web form" finds what residents sent through the online form (flagged "Online" in the queue).
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="Received by")

    class Meta:
        model = Complaint
        fields = []

    def search(self, queryset, name, value):
        return search_complaints(queryset, value, broad=self.searched_broadly)

    def filter_overdue(self, queryset, name, value):
        return due_window_filter(queryset, DueWindow.OVERDUE) if value else queryset
