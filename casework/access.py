"""What a request read, for the access log: a view (or the API's pagination) says which cases it served or
what was searched for, and casework.middleware.CaseAccessLogMiddleware writes the rows once the answer is a
200. Pages that name a case by `reference` need not say anything: the middleware logs those itself."""

from casework.models import AccessKind


def _underlying(request):
    return getattr(request, "_request", request)  # DRF wraps Django's request


def note_cases_read(request, case_ids, kind=AccessKind.LISTED):
    noted = _underlying(request).__dict__.setdefault("cases_read", [])
    noted.extend((case_id, kind) for case_id in case_ids)


def note_search(request, query):
    if query:
        _underlying(request).resident_search = query
