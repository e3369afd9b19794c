"""gunicorn's settings for the web process: `gunicorn -c config/gunicorn.conf.py config.wsgi:application`.

Sized for the work these pages do: almost all of a request is Python on a CPU (rendering, the ORM), with short
waits on PostgreSQL. Python runs one thread at a time per process, so more threads than a couple per process
only queue behind each other; processes are what use the cores. docs/operations.md says how these figures
were chosen and how to change them (every one from the environment)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Processes: one per core plus one, so a core is never idle while another process waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Threads per process: a second thread runs while the first waits on a query; more only add contention.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))

# Load the application once in the master and fork it: workers start at once, share the imported code's
# memory, and a broken deployment fails before any worker starts. No database connection is opened while
# loading (Django connects on the first query), so none is shared across the fork.
preload_app = True

# Browsers and the proxy in front reuse a connection for the page's next request (CSS, JS, htmx calls);
# a gthread worker parks idle kept-alive connections without holding a thread.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle each worker now and then, so a slow leak in a library cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The request id the application answers with (X-Request-ID), so an access line leads to its log lines.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
if os.environ.get("LOG_FORMAT", "json" if os.environ.get("DJANGO_ENV") == "production" else "plain") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def when_ready(server):
    """In the master, once the application is loaded: import every view (the URLconf), so the workers forked
    from it share that code too instead of each importing it on its first request."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
    # Nothing above queries the database; should a future import do so, the workers must not share its socket.
    connections.close_all()
