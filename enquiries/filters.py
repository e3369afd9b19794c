"""The members' enquiries queue's filters, shared by the officers' page and the API."""

import django_filters
from django.db.models import Q

from casework import search
from casework.filters import CaseQueueFilter, date_filter, status_filter
from casework.models import Note
from enquiries.models import OPEN_ENQUIRY_STATUSES, Enquiry, EnquiryStatus, EnquiryType, Member

# Where the search looks for words: what the member asked, the council's answer and the notes (the fields of
# the full-text indexes, enquiries.migrations.0004_search_indexes and casework's).
WORDS_SOURCES = [(Enquiry, "pk", ["description", "response"]), (Note, "case_id", ["body"])]


def search_enquiries(queryset, value, broad=None):
    """The enquiries the queue's search box finds for what was typed (the rules are casework.search's); the admin's
    search is the same."""
    value = value.strip()
    if not value:
        return queryset
    keys = search.case_key_conditions(value, ("ME",))
    if value.upper().startswith("ME-") and keys:
        return search.any_of(queryset, keys)
    conditions = [*keys, Q(summary__icontains=value)]
    for word in search.name_words(value):
        conditions += [Q(resident__last_name__istartswith=word), Q(member__name__icontains=word)]
    return search.any_of(queryset, conditions, search.words(value, WORDS_SOURCES, queryset.db), broad)


class EnquiryFilter(CaseQueueFilter):
    open_statuses = OPEN_ENQUIRY_STATUSES
    STATE_CHOICES = [("open", "Open"), ("closed", "Answered or closed"), ("all", "All")]

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        help_text="Reference, summary, constituent's name, member, or words from the enquiry, its answer or notes",
    )
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label="Open or answered", empty_label=None
    )
    status = status_filter(choices=EnquiryStatus.choices, label="Status")
    enquiry_type = django_filters.ChoiceFilter(choices=EnquiryType.choices, label="Type")
    member = django_filters.ModelChoiceFilter(queryset=Member.objects.all(), label="Member")
    closed_after = date_filter(method="filter_closed_after", label="Answered or closed from")

    class Meta:
        model = Enquiry
        fields = []

    def search(self, queryset, name, value):
        return search_enquiries(queryset, value, broad=self.searched_broadly)
