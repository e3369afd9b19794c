from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "People, teams and cases"  # the admin heading; "kernel" is our word, not the council's

    def ready(self):
        from casework import checks  # noqa: F401 (registers the checks)
        from casework.choices import connect_signals
        from casework.roles import ensure_roles
        from casework.schedules import install_default_schedules

        post_migrate.connect(ensure_roles, dispatch_uid="casework.ensure_roles")
        post_migrate.connect(install_default_schedules, dispatch_uid="casework.install_default_schedules")
        connect_signals()  # the cached choice lists start again when what they list changes
