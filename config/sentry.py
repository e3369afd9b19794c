"""Error tracking through sentry-sdk, with residents' personal data kept out.

Nothing the council holds about people leaves: no request bodies (complaints, enquiries, notes), no cookies or
headers that identify a session, no query strings (a search can be a resident's name), no local variables in
stack frames, no user beyond their numeric id. What is sent is the error, its stack of file names and line
numbers, the address pattern, and the request id to find the log lines."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

KEPT_HEADERS = {"user-agent", "x-request-id", "content-type", "accept"}


def scrub(event, hint=None):
    from casework.request_id import current_request_id

    event.setdefault("tags", {})["request_id"] = current_request_id.get()
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("env", None)
        request["query_string"] = ""
        headers = request.get("headers") or {}
        request["headers"] = {name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    event.pop("extra", None)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        # SQL breadcrumbs hold the values of queries (names, addresses): keep only their category and time.
        for crumb in breadcrumbs.get("values") or []:
            crumb.pop("data", None)
            if crumb.get("category") in {"query", "redis"}:
                crumb.pop("message", None)
    return event


def init_sentry(dsn, *, environment, **options):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub,
        before_send_transaction=scrub,
        traces_sample_rate=0.0,
        **options,
    )
