from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in and accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import checks  # noqa: F401 - registers the sign-in settings' checks
