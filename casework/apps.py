from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework (shared kernel)"

    def ready(self):
        from casework.roles import ensure_roles
        from casework.schedules import install_default_schedules

        post_migrate.connect(ensure_roles, dispatch_uid="casework.ensure_roles")
        post_migrate.connect(install_default_schedules, dispatch_uid="casework.install_default_schedules")
