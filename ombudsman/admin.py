from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casework.admin import QueueSearch, RecordedThroughPages, choices_filter
from casework.admin_paging import EstimatedCountPaginator
from ombudsman.filters import OmbudsmanCaseFilter, search_ombudsman_cases
from ombudsman.models import (
    Determination,
    Finding,
    FindingCategory,
    InformationRequest,
    NonComplianceFinding,
    OmbudsmanCase,
    OmbudsmanPublication,
    OmbudsmanStage,
    Order,
)


@admin.register(FindingCategory)
class FindingCategoryAdmin(admin.ModelAdmin):
    """The editable list of finding categories. Retire a category rather than delete it: findings keep it."""

    list_display = ["name", "position", "is_active", "findings_count"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]

    @admin.display(description="Findings")
    def findings_count(self, category):
        return category.findings.count()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.findings.exists()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class InformationRequestInline(ReadOnlyInline):
    model = InformationRequest
    fields = ["received_on", "due_on", "details", "reply_sent_on"]


@admin.register(OmbudsmanCase)
class OmbudsmanCaseAdmin(QueueSearch, SimpleHistoryAdmin):
    """Read-only: cases change through their page's actions, which keep clocks and timeline right."""

    list_display = ["reference", "ombudsman", "ombudsman_reference", "status", "service_area", "received_on"]
    list_filter = [
        "ombudsman",
        choices_filter("status", "stage", lambda: OmbudsmanStage.choices),
        "service_area",
        "received_on",
    ]
    queue_search = staticmethod(search_ombudsman_cases)
    search_help_text = OmbudsmanCaseFilter.base_filters["q"].extra["help_text"]
    # See ComplaintAdmin: no per-row query, no full COUNT, no date drill-down over every case.
    list_select_related = ["service_area"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [InformationRequestInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in OmbudsmanCase._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ["number", "complaint_head", "category", "outcome"]


class OrderInline(ReadOnlyInline):
    model = Order
    fields = ["kind", "order_type", "amount_pence", "finding", "due_on", "complied_on", "evidence_sent_on"]


@admin.register(Determination)
class DeterminationAdmin(admin.ModelAdmin):
    list_display = ["case", "determined_on", "recorded_by"]
    list_select_related = ["case", "recorded_by"]
    show_full_result_count = False
    list_filter = ["case__ombudsman"]
    date_hierarchy = "determined_on"
    search_fields = ["case__reference", "case__ombudsman_reference"]
    inlines = [FindingInline, OrderInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Determination._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["determination", "kind", "order_type", "amount_pence", "due_on", "complied_on", "evidence_sent_on"]
    list_filter = ["kind", "order_type"]
    list_select_related = ["determination__case"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Order._meta.fields] + ["evidence"]

    def has_add_permission(self, request):
        return False


@admin.register(NonComplianceFinding)
class NonComplianceFindingAdmin(RecordedThroughPages, admin.ModelAdmin):
    """Complaint handling failure orders and notices. Recorded on the ombudsman pages, where the dates are checked."""

    list_display = ["issued_on", "kind", "ombudsman", "ombudsman_reference", "ombudsman_case", "complied_on"]
    list_filter = ["kind", "ombudsman"]
    search_fields = ["ombudsman_reference", "finding", "council_action"]
    raw_id_fields = ["ombudsman_case", "complaint"]
    list_select_related = ["ombudsman_case"]
    readonly_fields = ["recorded_by", "recorded_at", "updated_at"]
    date_hierarchy = "issued_on"


@admin.register(OmbudsmanPublication)
class OmbudsmanPublicationAdmin(RecordedThroughPages, admin.ModelAdmin):
    """The Ombudsman's annual letters and its other reports about the council. Recorded on the ombudsman pages."""

    list_display = ["reporting_year", "kind", "ombudsman", "title", "received_on"]
    list_filter = ["kind", "ombudsman", "reporting_year"]
    search_fields = ["title", "summary"]
    readonly_fields = ["file_name", "content_type", "recorded_by", "recorded_at", "updated_at"]
