from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts import services
from accounts.forms import DirectoryRoleMappingForm
from accounts.models import AccountEvent, DirectoryIdentity, DirectoryRoleMapping
from casework.admin import OfficerAdmin

User = get_user_model()


@admin.register(DirectoryRoleMapping)
class DirectoryRoleMappingAdmin(admin.ModelAdmin):
    form = DirectoryRoleMappingForm
    list_display = ["role", "claim", "value", "description"]
    list_filter = ["role", "claim"]
    search_fields = ["value", "description"]


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The audit trail: read only."""

    list_display = ["occurred_at", "kind", "username", "by", "ip_address", "detail"]
    list_select_related = ["by"]
    list_filter = ["kind"]
    search_fields = ["username", "detail"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DirectoryIdentityInline(admin.StackedInline):
    model = DirectoryIdentity
    extra = 0
    can_delete = True
    fields = ["issuer", "subject", "first_signed_in_at", "last_signed_in_at", "last_groups", "last_app_roles"]
    readonly_fields = ["first_signed_in_at", "last_signed_in_at", "last_groups", "last_app_roles"]
    verbose_name = "Single sign-on identity"


# Secrets must not be readable in the admin: an administrator who could read a user's authenticator key or
# recovery codes could sign in as them. The reset below is the one thing to do with them.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(OfficerAdmin):
    """The officers' admin, with how each signs in and the two-factor reset for a lost phone."""

    inlines = [*OfficerAdmin.inlines, DirectoryIdentityInline]
    list_display = [*OfficerAdmin.list_display, "signs_in_with"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_directory_identity=Exists(DirectoryIdentity.objects.filter(user=OuterRef("pk"))),
                has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            )
        )

    @admin.display(description="Signs in with")
    def signs_in_with(self, user):
        if getattr(user, "has_directory_identity", False):
            return "Council account (single sign-on)"
        if not user.has_usable_password():
            return "-"
        if getattr(user, "has_authenticator", False):
            return "Password and authenticator app"
        return "Password (authenticator app set up at next sign-in)"

    @admin.action(description="Reset two-factor authentication (lost phone): set it up again at next sign-in")
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            services.reset_two_factor(user, by=request.user, request=request)
        self.message_user(
            request,
            f"Two-factor authentication reset for {len(users)} account(s): "
            + ", ".join(user.get_username() for user in users)
            + ". Each sets up an authenticator app again at their next sign-in.",
            messages.SUCCESS,
        )


class IssueTokenForm(forms.ModelForm):
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DAYS,
        help_text="The integration stops working when its token expires: note the date for whoever runs it.",
    )

    class Meta:
        model = AuthToken
        fields = ["user"]


if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens for integrations: issue one (its key is shown once), see when each expires, revoke by deleting."""

    list_display = ["token_key", "user", "created", "expiry", "status"]
    list_select_related = ["user"]
    search_fields = ["token_key", "user__username"]
    raw_id_fields = ["user"]
    ordering = ["-created"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = IssueTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "days"] if obj is None else ["token_key", "user", "created", "expiry"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["token_key", "user", "created", "expiry"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Status")
    def status(self, token):
        if token.expiry and token.expiry <= timezone.now():
            return "Expired"
        return "Active"

    def save_model(self, request, obj, form, change):
        token, key = services.issue_api_token(
            form.cleaned_data["user"], days=form.cleaned_data["days"], by=request.user, request=request
        )
        for field in ("digest", "token_key", "created", "expiry"):
            setattr(obj, field, getattr(token, field))
        obj._state.adding, obj._state.db = False, token._state.db
        self.message_user(
            request,
            f"Token for {token.user.get_username()}: {key} -- copy it now, it is not shown again. "
            f"It expires on {timezone.localtime(token.expiry):%d %B %Y}.",
            messages.WARNING,
        )

    def delete_model(self, request, obj):
        services.revoke_api_tokens(AuthToken.objects.filter(pk=obj.pk), by=request.user, request=request)

    def delete_queryset(self, request, queryset):
        services.revoke_api_tokens(queryset, by=request.user, request=request)
