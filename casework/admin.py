from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from casework import registry, search, selectors
from casework.admin_paging import EstimatedCountPaginator
from casework.models import (
    CASE_STATUS_CHOICES,
    Attachment,
    Case,
    IssueNature,
    JobRun,
    Note,
    Notification,
    OfficerProfile,
    Property,
    Representative,
    Resident,
    ServiceArea,
    Team,
    TimelineEvent,
)


class RecordedThroughPages:
    """For records a page writes through a service that checks them (no date in the future or before its year,
    nothing required left empty): the admin lists and shows them, and can delete a mistaken one, but adding or
    changing one here would skip those checks, so it is done on the page."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RefreshDerivedData:
    """An edit in the admin is a write outside any workflow: the derived data that copies it (the reports'
    facts) is refreshed here, through the hooks the apps register (casework.registry.edit_hook)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        registry.edited(obj)


class QueueSearch:
    """The admin's search over a case-sized table is its queue's (`queue_search(queryset, typed)`, whose rules are
    casework.search's), so the admin finds what the queue finds: a reference without its prefix, a phone however
    written, a postcode in any spacing, a surname. Each condition is answered by its own index, where Django's
    search (ILIKE '%...%' on every search field, OR-ed) reads every row."""

    queue_search = staticmethod(search.search_cases)
    search_fields = ["reference"]  # shows the search box; `get_search_results` does the searching
    search_help_text = "Reference (with or without its prefix), phone number, postcode, surname or summary"

    def get_search_results(self, request, queryset, search_term):
        def searched_broadly():
            request.searched_broadly = True

        return self.queue_search(queryset, search_term, broad=searched_broadly), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A broad search (a surname in tens of thousands of cases) is counted as the queue counts it, in the list's
        # order and no further than two pages: counted unordered, PostgreSQL gathered every match first (among
        # 1,000,000 complaints "Jones" took 350-500 ms to count where the page took 100 ms). Never one page or
        # less: the admin reads a list it thinks fits on one page without a LIMIT.
        cap = max(search.BROAD_COUNT_CAP, 2 * per_page) if getattr(request, "searched_broadly", False) else None
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, cap=cap)


def choices_filter(field_name, title, choices):
    """A list filter offering fixed choices, `choices()` -> [(value, label)] from the model's or the procedure's
    definitions. Django's filter for a field without choices lists the values found with SELECT DISTINCT over the
    whole table on every load."""

    class ChoicesFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request, model_admin):
            return choices()

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            if value not in {str(choice) for choice, _ in self.lookup_choices}:
                raise IncorrectLookupParameters(f"{title}: no such choice {value!r}")
            return queryset.filter(**{field_name: value})

    ChoicesFilter.title = title
    ChoicesFilter.__name__ = f"{field_name.title().replace('_', '')}Filter"
    return ChoicesFilter


def case_statuses():
    """Every kind's statuses, each once (a kind registers its own, casework.models.CASE_STATUS_CHOICES)."""
    found = {}
    for choices in CASE_STATUS_CHOICES.values():
        for value, label in choices:
            found.setdefault(value, label)
    return list(found.items())


admin.site.site_header = "Casework administration"
admin.site.site_title = "Casework administration"


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "ombudsman", "is_active"]
    list_filter = ["ombudsman", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(IssueNature)
class IssueNatureAdmin(admin.ModelAdmin):
    list_display = ["name", "service_area", "is_active"]
    list_select_related = ["service_area"]
    list_filter = ["is_active", "service_area"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "manager", "head_of_service"]
    list_select_related = ["manager", "head_of_service"]
    filter_horizontal = ["service_areas"]
    search_fields = ["name"]


class OfficerProfileInline(admin.StackedInline):
    model = OfficerProfile
    can_delete = False
    filter_horizontal = ["service_areas"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class OfficerAdmin(UserAdmin):
    inlines = [OfficerProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "roles"]
    list_filter = ["groups", "is_active", "is_staff"]

    @admin.display(description="Roles")
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


@admin.register(Property)
class PropertyAdmin(RefreshDerivedData, admin.ModelAdmin):
    list_display = ["address_line_1", "postcode", "uprn", "stock_type"]
    list_filter = ["stock_type"]
    search_fields = ["address_line_1", "postcode", "uprn"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0


@admin.register(Resident)
class ResidentAdmin(SimpleHistoryAdmin):
    """Searched as "find a resident" searches (`casework.selectors.find_residents`, every match): a name or email
    that starts with each word typed, a phone however written, a postcode in any spacing; where Django's search
    (ILIKE '%...%' on four columns, OR-ed) read every resident (among 1,000,000 complaints, 250,000 residents:
    "Smith" 400-840 ms). The homes are read for the page's residents alone: joined, PostgreSQL hashed every home
    before sorting a surname's thousands of residents."""

    list_display = ["last_name", "first_name", "email", "phone", "home"]
    search_fields = ["last_name"]  # shows the search box; `get_search_results` does the searching
    search_help_text = "Name or email (the start of each word), phone number or postcode"
    raw_id_fields = ["home"]
    list_select_related: list[str] = []
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [RepresentativeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("home")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = selectors.find_residents(search_term, residents=queryset, every=True)
        request.search_order = found.query.order_by
        return found, False

    def get_ordering(self, request):
        # The search's own order: a name's matches sorted, a few found by their ids in the names' order.
        return getattr(request, "search_order", None) or super().get_ordering(request)


@admin.register(Case)
class CaseAdmin(QueueSearch, RefreshDerivedData, SimpleHistoryAdmin):
    list_display = ["reference", "kind", "status", "service_area", "received_on", "assigned_to"]
    list_filter = ["kind", choices_filter("status", "status", case_statuses), "service_area", "received_on"]
    raw_id_fields = ["resident", "representative", "home", "assigned_to"]
    # See ComplaintAdmin: no per-row query, no full COUNT, no date drill-down over every case.
    list_select_related = ["service_area", "assigned_to"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_add_permission(self, request):
        return False  # cases are opened through their own pages, which start their clocks


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "occurred_at", "actor"]
    list_filter = ["kind"]
    raw_id_fields = ["case", "actor"]
    list_select_related = ["case", "actor"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_change_permission(self, request, obj=None):
        return False


class LargeTableAdmin(admin.ModelAdmin):
    """Tables that grow with every case: no full COUNT for "(N total)", an estimated count when unfiltered."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Note)
class NoteAdmin(LargeTableAdmin):
    list_display = ["case", "author", "created_at"]
    list_select_related = ["case", "author"]
    raw_id_fields = ["case", "author"]


@admin.register(Attachment)
class AttachmentAdmin(LargeTableAdmin):
    list_display = ["original_name", "case", "content_type", "size_bytes", "uploaded_at"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "uploaded_by"]


@admin.register(Notification)
class NotificationAdmin(LargeTableAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "case"]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Scheduled jobs as they ran; filter on Failed to see what went wrong."""

    list_display = ["job", "started_at", "finished_at", "status", "summary"]
    list_filter = ["status", "job"]
    readonly_fields = ["job", "started_at", "finished_at", "status", "summary", "error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
