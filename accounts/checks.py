from django.conf import settings
from django.core.checks import Warning, register


@register()
def sign_in_settings(app_configs, **kwargs):
    """Settings that would lock staff out: passwords off with no single sign-on, or with no break-glass account."""
    if settings.STAFF_PASSWORD_SIGN_IN:
        return []
    problems = []
    if not settings.OIDC_ISSUER:
        problems.append(
            Warning(
                "STAFF_PASSWORD_SIGN_IN is off and OIDC_ISSUER is not set: staff cannot sign in at all.",
                hint="Configure single sign-on (docs/operations.md, Signing in) or turn staff passwords back on.",
                id="accounts.W001",
            )
        )
    if not settings.BREAK_GLASS_USERNAMES:
        problems.append(
            Warning(
                "STAFF_PASSWORD_SIGN_IN is off and BREAK_GLASS_USERNAMES is empty: if single sign-on fails, no "
                "administrator can sign in.",
                hint="Name one or two local administrator accounts in BREAK_GLASS_USERNAMES.",
                id="accounts.W002",
            )
        )
    return problems
