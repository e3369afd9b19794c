"""The Celery application. Its settings are the CELERY_* names in config.settings; with REDIS_URL unset,
tasks run eagerly in the calling process."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _log_with_task_id(task_id=None, **kwargs):
    from casework.request_id import bind_task_id

    bind_task_id(task_id)
