"""Real Celery worker processes for the crash tests: each one a `celery worker` of its own on the Redis broker,
against the test database, that a test can kill with SIGKILL like a lost machine."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from config.celery import app
from tests.conftest import require_service

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def redis_url():
    """This test process's Redis (settings give each parallel test process a database of its own)."""
    from django.conf import settings

    url = settings.REDIS_URL
    reachable = False
    if url:
        import redis

        try:
            reachable = redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError:
            reachable = False
    require_service(reachable, "Redis (set REDIS_URL)")
    return url


def database_url(application_name):
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
        f"{settings['NAME']}?application_name={application_name}"
    )


class WorkerProcess:
    """`celery -A config worker --pool solo`: the process that runs the task is the worker itself, so a
    SIGKILL loses it whole, with whatever it had claimed, half-written or unacknowledged."""

    def __init__(self, name, log_dir, **environment):
        self.name = name
        self.node = f"{name}@casework-test"
        redis_url()  # REDIS_URL as configured is inherited: the worker's settings add the same offset
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(name),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "LOG_LEVEL": "INFO",
            "LOG_FORMAT": "plain",
            **environment,
        }
        self.log = Path(log_dir) / f"{name}.log"
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own worker
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--hostname",
                self.node,
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self):
        return self.process.pid

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited at start:\n{self.log.read_text(errors='replace')[-3000:]}")
            if app.control.ping(destination=[self.node], timeout=1):
                return
        raise AssertionError(f"{self.name} did not start:\n{self.log.read_text(errors='replace')[-3000:]}")

    def kill(self):
        """SIGKILL: no shutdown, no acknowledgement, no rollback but the database's own."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self._log_file.close()

    def tail(self, characters=3000):
        return self.log.read_text(errors="replace")[-characters:]


def broker_for_real_workers():
    """The test's own process sends tasks to Redis (not eagerly); what the killed workers left on the broker
    is cleared afterwards so no later test receives it."""
    import redis

    url = redis_url()
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.control.purge()
    yield url
    app.control.purge()
    redis.Redis.from_url(url).delete("unacked", "unacked_index", "unacked_mutex")
    app.conf.task_always_eager, app.conf.broker_url = previous


def wait_for(condition, seconds=60, interval=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
