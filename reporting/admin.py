from django.contrib import admin

from casework.admin import RecordedThroughPages
from reporting.models import (
    GoverningBodyResponse,
    LeadershipRecipient,
    MonthlyReport,
    MonthlyReportEmail,
    PerformanceAnalysis,
    SelfAssessmentAnswer,
    StockCount,
    SurveyAnswer,
)


@admin.register(StockCount)
class StockCountAdmin(admin.ModelAdmin):
    list_display = ["reporting_year", "stock_type", "homes", "updated_at", "updated_by"]
    list_filter = ["stock_type", "reporting_year"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SelfAssessmentAnswer)
class SelfAssessmentAnswerAdmin(admin.ModelAdmin):
    """The council's answers to the Code's self-assessment, provision by provision (the figures are computed)."""

    list_display = ["reporting_year", "provision", "complies", "updated_at", "updated_by"]
    list_filter = ["reporting_year", "complies"]
    search_fields = ["provision", "evidence", "commentary"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ["answered_on", "stock_type", "answer", "survey", "reference"]
    list_filter = ["stock_type", "answer", "survey"]
    date_hierarchy = "answered_on"
    search_fields = ["reference"]
    raw_id_fields = ["home"]


@admin.register(LeadershipRecipient)
class LeadershipRecipientAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["email", "name"]


class MonthlyReportEmailInline(admin.TabularInline):
    model = MonthlyReportEmail
    extra = 0
    can_delete = False
    readonly_fields = ["email", "claimed_at", "sent_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    """Snapshots are made by the monthly job, never edited."""

    list_display = ["month", "generated_at"]
    readonly_fields = ["month", "generated_at", "figures"]
    inlines = [MonthlyReportEmailInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PerformanceAnalysis)
class PerformanceAnalysisAdmin(RecordedThroughPages, admin.ModelAdmin):
    """The council's written analysis of each year's performance (written from the annual report's page)."""

    list_display = ["reporting_year", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at", "updated_at"]


@admin.register(GoverningBodyResponse)
class GoverningBodyResponseAdmin(RecordedThroughPages, admin.ModelAdmin):
    """The governing body's response to each year's annual report (recorded from the annual report's page)."""

    list_display = ["reporting_year", "governing_body", "responded_on", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at", "updated_at"]
