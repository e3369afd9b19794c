from django.contrib import admin

from casework.admin import QueueSearch, choices_filter
from casework.admin_paging import EstimatedCountPaginator
from enquiries.filters import EnquiryFilter, search_enquiries
from enquiries.models import Enquiry, EnquiryStatus, EnquiryTarget, Member, MemberOffice, OfficeMembership


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


class OfficeMembershipInline(admin.TabularInline):
    model = OfficeMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(MemberOffice)
class MemberOfficeAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MemberInline, OfficeMembershipInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "member_type", "ward", "constituency", "party", "office", "is_active"]
    list_filter = ["member_type", "is_active", "party"]
    search_fields = ["name", "ward", "constituency"]
    list_select_related = ["office"]


@admin.register(EnquiryTarget)
class EnquiryTargetAdmin(admin.ModelAdmin):
    list_display = ["member_type", "respond_within", "acknowledge_within"]


@admin.register(Enquiry)
class EnquiryAdmin(QueueSearch, admin.ModelAdmin):
    """Read-only: enquiries change through their page's actions."""

    list_display = ["reference", "member", "enquiry_type", "status", "received_on", "assigned_to"]
    list_filter = [
        choices_filter("status", "status", lambda: EnquiryStatus.choices),
        "enquiry_type",
        "member__member_type",
    ]
    queue_search = staticmethod(search_enquiries)
    search_help_text = EnquiryFilter.base_filters["q"].extra["help_text"]
    list_select_related = ["member", "assigned_to"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Enquiry._meta.fields]

    def has_add_permission(self, request):
        return False
