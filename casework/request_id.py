"""A request id on every log line: taken from the proxy's X-Request-ID when it sends a sane one, made here
otherwise, returned in the response's X-Request-ID and set on Celery tasks (their task id), so one request or
job can be followed through the web and worker logs."""

import contextvars
import logging
import re
import uuid

current_request_id = contextvars.ContextVar("request_id", default="-")
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if SANE_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Left set after the response: Django logs a 4xx or 5xx answer once the middleware has returned. The
        # next request on this thread sets its own.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so the formatters can print it."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


def bind_task_id(task_id=None, **kwargs):
    """Celery's task_prerun signal: a task's log lines carry its task id."""
    current_request_id.set(task_id or "-")
