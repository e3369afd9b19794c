"""What a request read, for the access log: a view (or the API's pagination) says which cases it served or
what was searched for, and casework.middleware.CaseAccessLogMiddleware writes the rows once the answer is a
200. Pages that name a case by `reference` need not say anything: the middleware logs those itself. An export
streams its cases after the view has returned, so it writes its rows itself, a batch at a time as the batch is
written (`record_cases_exported`)."""

import logging

from django.db import DatabaseError

from casework.models import AccessKind


def _underlying(request):
    return getattr(request, "_request", request)  # DRF wraps Django's request


def note_cases_read(request, case_ids, kind=AccessKind.LISTED):
    noted = _underlying(request).__dict__.setdefault("cases_read", [])
    noted.extend((case_id, kind) for case_id in case_ids)


def note_search(request, query):
    if query:
        _underlying(request).resident_search = query


def record_cases_exported(request, case_ids):
    """Write that the requesting user exported these cases (one row each), at the export's address."""
    from casework.models import AccessVia, CaseAccess

    request = _underlying(request)
    path = request.get_full_path()[:300]
    try:
        CaseAccess.objects.bulk_create(
            [
                CaseAccess(case_id=case_id, user=request.user, via=AccessVia.PAGE, kind=AccessKind.EXPORTED, path=path)
                for case_id in case_ids
            ]
        )
    except DatabaseError:
        # As the middleware: the file is being served; a failed log write must not cut it short, but must be seen.
        logging.getLogger(__name__).exception("Could not record an export of %d cases", len(case_ids))
