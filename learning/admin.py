from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from learning.models import (
    Chase,
    EvidenceFile,
    LearningActionPlan,
    LearningLead,
    LearningSource,
    MunicipalYear,
    PlanEvent,
    RootCauseReview,
    ServiceCommitment,
)


@admin.register(LearningLead)
class LearningLeadAdmin(admin.ModelAdmin):
    """Who receives each service's monthly learning action plan. A service without a lead here gets its
    plan assigned to the manager of the team that covers it (Teams, first by name)."""

    list_display = ["service_area", "officer"]
    autocomplete_fields = ["officer"]
    search_fields = ["service_area__name", "officer__first_name", "officer__last_name"]


class LearningSourceInline(admin.TabularInline):
    model = LearningSource
    extra = 0
    raw_id_fields = ["complaint_stage"]


class EvidenceFileInline(admin.TabularInline):
    model = EvidenceFile
    extra = 0
    readonly_fields = ["original_name", "content_type", "size_bytes", "uploaded_by", "uploaded_at"]
    fields = ["file", "description", *readonly_fields]


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    can_delete = False
    readonly_fields = ["occurred_at", "actor", "kind", "summary"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LearningActionPlan)
class LearningActionPlanAdmin(SimpleHistoryAdmin):
    """Plans are worked on the learning pages, where the allowed transitions are checked; change status
    here only to correct a mistake."""

    list_display = ["reference", "service_area", "month", "status", "lead_officer", "due_on", "origin"]
    list_filter = ["status", "origin", "service_area"]
    search_fields = ["reference", "what_went_wrong", "action_to_address_cause"]
    date_hierarchy = "month"
    readonly_fields = ["reference", "origin", "created_at", "updated_at"]
    autocomplete_fields = ["lead_officer", "verified_by"]
    inlines = [LearningSourceInline, EvidenceFileInline, PlanEventInline]


@admin.register(MunicipalYear)
class MunicipalYearAdmin(admin.ModelAdmin):
    """Record the date of each annual council meeting: it starts the municipal year. A year not recorded is
    taken to start on the third Wednesday of May."""

    list_display = ["label", "starts_on", "ends_on"]


@admin.register(ServiceCommitment)
class ServiceCommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "service_area", "municipal_year", "status", "lead_officer"]
    list_filter = ["municipal_year", "status", "service_area"]
    search_fields = ["commitment", "progress_summary"]
    raw_id_fields = ["carried_over_from"]
    filter_horizontal = ["plans"]
    autocomplete_fields = ["lead_officer"]


@admin.register(RootCauseReview)
class RootCauseReviewAdmin(admin.ModelAdmin):
    list_display = ["complaint", "reviewed_by", "reviewed_at", "plan"]
    raw_id_fields = ["complaint", "plan"]


@admin.register(Chase)
class ChaseAdmin(admin.ModelAdmin):
    """What the learning chase has sent; read-only."""

    list_display = ["kind", "plan", "response_action", "due_on", "chased_on", "recipient"]
    list_filter = ["kind", "chased_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
