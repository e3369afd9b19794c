"""Administrators keep the calendar here. Saving or deleting a holiday or closure day goes through the
services, so open deadlines it moves are recomputed and the cases' timelines say why."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from casework.services import DomainError
from sla import services
from sla.models import BankHoliday, Clock, ClockExtension, ClockPause, ClosureDay, SweepNotice


class CalendarDayAdmin(admin.ModelAdmin):
    """Days are added or deleted, never edited in place: a changed date is a removal and an addition."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "id"] if obj else self.readonly_fields

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ClosureDayForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        problem = services.closure_day_problem(day) if self.instance.pk is None else None
        if problem:
            raise ValidationError(problem)
        return day


class BankHolidayForm(forms.ModelForm):
    class Meta:
        model = BankHoliday
        fields = ["division", "date", "title"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("division") and data.get("date"):
            problem = services.bank_holiday_problem(data["division"], data["date"])
            if problem:
                self.add_error("date", problem)
        return data


@admin.register(ClosureDay)
class ClosureDayAdmin(CalendarDayAdmin):
    form = ClosureDayForm
    list_display = ["date", "reason", "created_by", "created_at"]
    fields = ["date", "reason"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            services.declare_closure_day(obj.date, obj.reason, actor=request.user)
        except DomainError as error:
            raise ValidationError(str(error)) from error
        messages.info(request, "Open deadlines affected by this closure day are being recomputed.")

    def delete_model(self, request, obj):
        services.remove_closure_day(obj, actor=request.user)


@admin.register(BankHoliday)
class BankHolidayAdmin(CalendarDayAdmin):
    form = BankHolidayForm
    list_display = ["date", "title", "division", "source"]
    list_filter = ["division", "source"]
    fields = ["division", "date", "title"]
    date_hierarchy = "date"
    search_fields = ["title"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            services.add_bank_holiday(obj.division, obj.date, obj.title, actor=request.user)
        except DomainError as error:
            raise ValidationError(str(error)) from error
        messages.info(request, "Open deadlines affected by this bank holiday are being recomputed.")

    def delete_model(self, request, obj):
        services.remove_bank_holiday(obj, actor=request.user)


class ClockExtensionInline(admin.TabularInline):
    model = ClockExtension
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ClockExtension._meta.fields]


class ClockPauseInline(admin.TabularInline):
    model = ClockPause
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ClockPause._meta.fields]


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    """Read-only: clocks change through their case's actions."""

    list_display = ["case", "label", "started_on", "due_on", "status", "met"]
    list_select_related = ["case"]
    show_full_result_count = False
    list_filter = ["status", "kind", "stage", "division", "met"]
    search_fields = ["case__reference"]
    inlines = [ClockExtensionInline, ClockPauseInline]
    readonly_fields = [f.name for f in Clock._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SweepNotice)
class SweepNoticeAdmin(admin.ModelAdmin):
    list_display = ["clock", "kind", "due_on", "sweep_date", "recipient", "created_at"]
    list_select_related = ["clock", "recipient"]
    list_filter = ["kind", "sweep_date"]
    raw_id_fields = ["clock", "recipient", "notification"]

    def has_change_permission(self, request, obj=None):
        return False
