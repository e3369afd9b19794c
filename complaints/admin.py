from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from casework.admin import QueueSearch, choices_filter
from casework.admin_paging import EstimatedCountPaginator
from complaints.filters import ComplaintFilter, search_complaints
from complaints.models import (
    BarredOfficer,
    Complaint,
    ComplaintScheme,
    ComplaintStage,
    ComplaintStatus,
    ContactRestriction,
    EscalationRefusal,
    Procedure,
    ProcedureStage,
    ProcedureVersion,
    ServiceAreaScheme,
    ServiceRequest,
)


class ProcedureStagesFormSet(BaseInlineFormSet):
    """A version with no stages would refuse every complaint received while it is in force: it needs at least
    one, numbered 1, 2, 3 in order."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if self.instance.pk and self.instance.complaints.exists():
            return  # a version in use keeps its stages (shown read-only)
        numbers = sorted(
            form.cleaned_data["number"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("number")
        )
        if not numbers:
            raise ValidationError("Add the procedure's stages: a version needs at least stage 1.")
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValidationError("Number the stages 1, 2, 3 in order, with none missing.")
        procedure = getattr(self.instance, "procedure", None) if self.instance.procedure_id else None
        if procedure is not None and procedure.max_stages and len(numbers) > procedure.max_stages:
            raise ValidationError(
                f"{procedure} allows no more than {procedure.max_stages} stages (the Housing Ombudsman's Code "
                "since 2022 has exactly two)."
            )


class ProcedureStageInline(admin.TabularInline):
    model = ProcedureStage
    formset = ProcedureStagesFormSet
    extra = 1


@admin.register(ComplaintScheme)
class ComplaintSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "ombudsman"]


@admin.register(ServiceAreaScheme)
class ServiceAreaSchemeAdmin(admin.ModelAdmin):
    """Service areas whose complaints go under another scheme than their ombudsman's default (children's and
    adults' social care)."""

    list_display = ["service_area", "scheme"]
    list_select_related = ["service_area", "scheme"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "division", "max_stages"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """Setting `applies_from` schedules which procedure applies to complaints received from that day.
    A version that complaints already use keeps its stages: change the schedule with a new version."""

    list_display = ["procedure", "scheme", "applies_from", "stage_count", "complaints_using_it"]
    list_filter = ["scheme"]
    inlines = [ProcedureStageInline]

    @admin.display(description="Complaints using it")
    def complaints_using_it(self, version):
        return version.complaints.count()

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and obj.complaints.exists():
            for inline in inlines:
                inline.readonly_fields = [f.name for f in ProcedureStage._meta.fields]
                inline.can_delete = False
                inline.max_num = 0
        return inlines

    def get_readonly_fields(self, request, obj=None):
        return ["procedure"] if obj is not None and obj.complaints.exists() else []


class ComplaintStageInline(admin.StackedInline):
    model = ComplaintStage
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ComplaintStage._meta.fields]


def stage_numbers():
    """The stages the procedures define (a handful of rows), not those found among the complaints."""
    numbers = sorted(set(ProcedureStage.objects.values_list("number", flat=True)))
    return [(number, f"Stage {number}") for number in numbers]


class ProcedureVersionFilter(admin.RelatedFieldListFilter):
    """The procedure versions with their procedures' names, read in one query: Django's filter names each
    version by its own query for its procedure."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        versions = ProcedureVersion.objects.select_related("procedure")
        if ordering:
            versions = versions.order_by(*ordering)  # else the model's own order
        return [(version.pk, str(version)) for version in versions]


@admin.register(Complaint)
class ComplaintAdmin(QueueSearch, SimpleHistoryAdmin):
    """Read-only: complaints change through their page's actions, which keep clocks and timeline right."""

    list_display = [
        "reference",
        "status",
        "current_stage",
        "service_area",
        "issue_nature",
        "received_on",
        "assigned_to",
    ]
    list_filter = [
        choices_filter("status", "status", lambda: ComplaintStatus.choices),
        choices_filter("current_stage", "current stage", stage_numbers),
        "service_area",
        ("procedure_version", ProcedureVersionFilter),
        "received_on",
    ]
    queue_search = staticmethod(search_complaints)
    search_help_text = ComplaintFilter.base_filters["q"].extra["help_text"]
    # A million rows: no per-row query, no full COUNT for "(N total)" and no date drill-down (it aggregates
    # every row's date on each load). The paginator estimates an unfiltered count (casework.admin_paging).
    list_select_related = ["service_area", "issue_nature", "assigned_to"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [ComplaintStageInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Complaint._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "service_area", "received_on"]
    search_fields = ["reference", "summary"]
    list_select_related = ["service_area"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ServiceRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(BarredOfficer)
class BarredOfficerAdmin(admin.ModelAdmin):
    list_display = ["resident", "officer", "since"]
    list_select_related = ["resident", "officer"]
    raw_id_fields = ["resident", "officer", "recorded_by"]


@admin.register(ContactRestriction)
class ContactRestrictionAdmin(admin.ModelAdmin):
    list_display = ["resident", "restriction", "starts_on", "review_on", "ended_on"]
    list_select_related = ["resident"]
    list_filter = ["ended_on"]
    raw_id_fields = ["resident", "recorded_by"]


@admin.register(EscalationRefusal)
class EscalationRefusalAdmin(admin.ModelAdmin):
    list_display = ["complaint", "requested_on", "refused_by"]
    list_select_related = ["complaint", "refused_by"]
    raw_id_fields = ["complaint", "refused_by"]
