from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in and accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import checks  # noqa: F401 - registers the sign-in settings' checks
        from casework import registry

        registry.demo(load_demo, order=70)
        registry.demo_logins(second_factor_note)


def load_demo(stdout):
    from accounts.demo import load_demo

    load_demo(stdout)


def second_factor_note():
    from accounts.demo import second_factor_note

    return second_factor_note()
