from django.contrib import admin

from incoming.models import IncomingAttachment, IncomingEmail


class IncomingAttachmentInline(admin.TabularInline):
    model = IncomingAttachment
    extra = 0
    fields = ("original_name", "content_type", "size_bytes", "refused_reason", "file")
    readonly_fields = fields
    can_delete = False


@admin.register(IncomingEmail)
class IncomingEmailAdmin(admin.ModelAdmin):
    """Read-only: what arrived is a record. Officers act on emails from the Incoming queue."""

    list_display = ("received_at", "from_address", "subject", "status", "case")
    list_filter = ("status",)
    list_select_related = ("case",)
    show_full_result_count = False
    search_fields = ("from_address", "subject", "message_id")
    inlines = [IncomingAttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
