"""Liveness and readiness.

`/healthz` says the process is up and answering: nothing else, so an orchestrator never restarts a web
server because the database is down. `/readyz` says this process can serve: the database answers, every
migration is applied, the broker (when there is one) accepts connections, and media storage can write, read
and delete a file. Both answer whatever Host header the probe sends and over plain HTTP: probes come from
the orchestrator to the container's own address, not through the proxy."""

import asyncio
import dataclasses

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration on disk is applied: a release whose `migrate` has not run yet is not ready."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self):
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        finally:
            connection.close()
        if unapplied:
            raise ServiceUnavailable(f"{len(unapplied)} migrations not applied")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (work queued now will be picked up once a worker is free)."""

    def run(self):
        from config.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=3)
        except Exception as error:  # kombu raises its own and the transport's errors
            raise ServiceUnavailable(f"Broker unavailable: {type(error).__name__}") from error


def readiness_checks():
    checks = [
        "health_check.checks.Database",
        MigrationsApplied,
        ("health_check.checks.Storage", {"alias": "default"}),
    ]
    if settings.REDIS_URL:
        checks.append(Broker)
        checks.append("health_check.checks.Cache")
    return checks


class ReadinessView(HealthCheckView):
    def get_checks(self):
        self.checks = readiness_checks()
        return super().get_checks()

    async def get(self, request, *args, **kwargs):
        """Always JSON ({check: status}); 503 when any check fails, so the balancer sends traffic elsewhere."""
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        return self.render_to_response_json(503 if any(result.error for result in self.results) else 200)


readiness = ReadinessView.as_view()


class ProbeMiddleware:
    """Answers /healthz and /readyz before host validation and the HTTPS redirect (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        if request.path == "/readyz":
            from asgiref.sync import async_to_sync

            return async_to_sync(readiness)(request)
        return self.get_response(request)
