"""Who signs in how: the directory identity behind a single sign-on account, the mapping from the directory's
groups and app roles to the product's roles, and the audit trail of sign-in events administrators should see."""

from django.conf import settings
from django.db import models

from casework.roles import Role


class DirectoryIdentity(models.Model):
    """The account at the council's identity provider that signs in as this user.

    Users are matched on the provider's issuer and subject (`sub`), never on the e-mail address or user name the
    provider sends: those can change hands, and a match on them would let one person's directory account sign
    in as someone else's local account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_identity")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    first_signed_in_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    # The directory's groups and app roles seen at the last sign-in, so an administrator can see why a role was
    # (or was not) given.
    last_groups = models.JSONField(default=list, blank=True)
    last_app_roles = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "directory identity"
        verbose_name_plural = "directory identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_directory_subject")]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"


class DirectoryClaim(models.TextChoices):
    GROUPS = "groups", "Group (groups claim)"
    ROLES = "roles", "App role (roles claim)"


# A directory group may give any staff role. Members' portal access belongs to an office and is set up by the
# team, never by a directory group.
MAPPABLE_ROLES = [(role.value, role.label) for role in Role if role != Role.MEMBER_PORTAL]


class DirectoryRoleMapping(models.Model):
    """One directory group (or app role) that gives one role. Read at every single sign-on: a user holds exactly
    the staff roles their current groups map to, so removing someone from a group removes the role."""

    claim = models.CharField(max_length=10, choices=DirectoryClaim.choices, default=DirectoryClaim.GROUPS)
    value = models.CharField(
        max_length=255,
        help_text="As the provider sends it: for Entra ID a group's object ID (a GUID) or an app role's value; "
        "for other providers often the group's name.",
    )
    role = models.CharField(max_length=30, choices=MAPPABLE_ROLES)
    description = models.CharField(
        max_length=200, blank=True, help_text="What the group is called in the directory, for people reading this."
    )

    class Meta:
        verbose_name = "role from the directory"
        verbose_name_plural = "roles from the directory"
        ordering = ["role", "claim", "value"]
        constraints = [models.UniqueConstraint(fields=["claim", "value", "role"], name="unique_directory_role_mapping")]

    def __str__(self):
        label = self.description or self.value
        return f"{self.get_claim_display()} {label} gives {self.get_role_display()}"


class AccountEventKind(models.TextChoices):
    BREAK_GLASS_SIGN_IN = "break_glass_sign_in", "Break-glass sign-in"
    ROLES_FROM_DIRECTORY = "roles_from_directory", "Roles changed by the directory"
    GROUPS_OVERAGE = "groups_overage", "Directory sent no group list (too many groups)"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor authentication set up"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor authentication reset"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    RECOVERY_CODES_REPLACED = "recovery_codes_replaced", "New recovery codes made"
    API_TOKEN_ISSUED = "api_token_issued", "API token issued"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"


class AccountEvent(models.Model):
    """An audit row for a sign-in event someone should be able to look back on. Written once, never edited."""

    kind = models.CharField(max_length=30, choices=AccountEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="account_events"
    )
    username = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_events_caused",
        help_text="The administrator who did it, when it was not the user.",
    )
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username}"
