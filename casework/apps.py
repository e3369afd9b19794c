from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework (shared kernel)"

    def ready(self):
        from casework.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="casework.ensure_roles")
