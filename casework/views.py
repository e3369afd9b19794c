import datetime
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from casework import registry, selectors, services, subject_access
from casework.access import note_cases_read, note_search, record_cases_exported
from casework.errors import DomainError, InvalidInput, NotAllowed
from casework.exports import XLSX_CONTENT_TYPE
from casework.forms import AttachmentForm, BulkReassignForm, LinkCaseForm, NoteForm, SaveViewForm, UnlinkCaseForm
from casework.models import AccessKind, Attachment, Resident
from casework.permissions import can_reassign_in_bulk, can_see_case, role_required, staff_required
from casework.roles import Role, has_role


def home(request):
    if has_role(request.user, Role.MEMBER_PORTAL) and not has_role(
        request.user, Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER, Role.ADMINISTRATOR
    ):
        return redirect("/portal/")
    return redirect("casework:my-work")


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _reset_client(group, request):
    from casework.auth_backends import client_ip

    return client_ip(request) or "unknown"


def _reset_address(group, request):
    return (request.POST.get("email") or "").strip().lower() or "none"


@login_not_required
@ratelimit(
    key=_reset_address, rate=lambda group, request: settings.PASSWORD_RESET_RATE_PER_ADDRESS, method="POST", block=False
)
@ratelimit(
    key=_reset_client, rate=lambda group, request: settings.PASSWORD_RESET_RATE_PER_CLIENT, method="POST", block=False
)
def password_reset(request):
    """Django's password reset, limited (django-ratelimit, counted in the shared cache): a few requests an hour
    for one address and a few more from one client. Past that nothing is sent and the page says why, so the
    form cannot be used to flood someone's inbox or to send thousands of emails."""
    if getattr(request, "limited", False):
        return render(request, "registration/password_reset_limited.html", status=429)
    return PasswordResetView.as_view()(request)


@login_not_required
def security_txt(request):
    """RFC 9116: where to report a vulnerability. It expires a year on, as the RFC asks, counted from now."""
    expires = (timezone.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(datetime.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en",
        f"Canonical: {settings.SITE_URL.rstrip('/')}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


MY_WORK_PAGE_SIZE = 50


@staff_required
def my_work(request):
    # A page at a time: an officer can hold hundreds of open cases. A junk page number gives the first page and
    # one past the end the last (`Paginator.get_page`).
    page = Paginator(selectors.open_cases_assigned_to(request.user), MY_WORK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/my_work.html",
        {"page": page, "query": query.urlencode(), "decisions": registry.decisions_for(request.user)},
    )


@staff_required
def case_detail(request, reference):
    case = selectors.case_for_user(request.user, reference)
    if case is None:
        raise Http404("No such case")
    specific = case.specific()
    if specific is not case and hasattr(specific, "get_absolute_url"):
        return redirect(specific.get_absolute_url())
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            **selectors.timeline_for_page(case, request),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )


def _case_or_404(request, reference):
    case = selectors.case_for_user(request.user, reference)
    if case is None:
        raise Http404("No such case")
    return case


@staff_required
@require_POST
def add_note(request, reference):
    case = _case_or_404(request, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(case, request.user, form.cleaned_data["body"])
        messages.success(request, "Note added.")
        return redirect(case.get_absolute_url() + "#notes")
    # The message is shown at the top of the page: jumping down to the notes would hide it.
    _say_form_errors(request, form)
    return redirect(case.get_absolute_url())


@staff_required
@require_POST
def add_attachment(request, reference):
    case = _case_or_404(request, reference)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                case, form.cleaned_data["file"], request.user, description=form.cleaned_data["description"]
            )
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                messages.error(request, message)
        else:
            messages.success(request, "Attachment uploaded.")
            return redirect(case.get_absolute_url() + "#attachments")
    else:
        _say_form_errors(request, form)
    # Errors are shown at the top of the page: jumping down to the attachments would hide them.
    return redirect(case.get_absolute_url())


@staff_required
@require_POST
def add_link(request, reference):
    case = _case_or_404(request, reference)
    form = LinkCaseForm(request.POST)
    if form.is_valid():
        other = selectors.case_by_reference(request.user, form.cleaned_data["reference"])
        try:
            services.link_cases(case, other, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            messages.error(request, _first_message(error))
        else:
            messages.success(request, f"Linked to {other.reference}.")
            return redirect(case.get_absolute_url() + "#links")
    else:
        _say_form_errors(request, form)
    # Errors are shown at the top of the page, as for notes.
    return redirect(case.get_absolute_url())


@staff_required
@require_POST
def remove_link(request, reference, pk):
    case = _case_or_404(request, reference)
    link = next((link for link, _ in selectors.links_of(case, request.user) if link.pk == pk), None)
    if link is None:
        raise Http404("No such link")
    form = UnlinkCaseForm(request.POST)
    if form.is_valid():
        try:
            services.unlink_cases(link, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            messages.error(request, _first_message(error))
        else:
            messages.success(request, "Link removed.")
            return redirect(case.get_absolute_url() + "#links")
    else:
        _say_form_errors(request, form)
    return redirect(case.get_absolute_url())


def _say_form_errors(request, form):
    """A form on a case's page that was not valid: each field's first problem, as a message the page shows again
    at its top (the case's forms answer with a redirect to it)."""
    for errors in form.errors.values():
        messages.error(request, errors[0])


def _first_message(error):
    problems = getattr(error, "problems", None)
    if problems:
        return next(iter(problems.values()))[0]
    return getattr(error, "message", None) or str(error)


@staff_required
def download_attachment(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("case"), pk=pk)
    if not can_see_case(request.user, attachment.case):
        raise Http404("No such attachment")
    note_cases_read(request, [attachment.case_id], AccessKind.DOWNLOADED)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@staff_required
def notifications(request):
    items = selectors.notifications_for(request.user)[:200]
    return render(request, "casework/notifications.html", {"notifications": items})


@staff_required
@require_POST
def mark_notifications_read(request):
    services.mark_notifications_read(request.user)
    messages.success(request, "All notifications marked as read.")
    return redirect("casework:notifications")


ACCESS_LOG_PAGE_SIZE = 100


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
def access_log(request):
    """Who opened which case, newest first; narrowed by a case reference and/or a username."""
    case_reference = (request.GET.get("case") or "").strip()
    username = (request.GET.get("user") or "").strip()
    entries = selectors.case_accesses(case_reference=case_reference, username=username)
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/access_log.html",
        {"page": page, "case_reference": case_reference, "username": username, "query": query.urlencode()},
    )


@role_required(Role.ADMINISTRATOR)
def subject_access_search(request):
    query = (request.GET.get("q") or "").strip()
    found = selectors.find_residents(query)[:50] if query else []
    note_search(request, query)
    return render(request, "casework/subject_access.html", {"query": query, "residents": found})


@role_required(Role.ADMINISTRATOR)
def subject_access_export(request, pk):
    resident = get_object_or_404(Resident, pk=pk)
    data = subject_access.subject_access_export(resident, requested_by=request.user, path=request.get_full_path())
    filename = f"subject-access-resident-{resident.pk}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Officers' tools on a queue: bulk reassignment, exports, saved views ------------------------------


def _queue_or_404(key):
    queue = registry.queue_for(key)
    if queue is None:
        raise Http404("No such queue")
    return queue


def _queue_address(queue, query):
    from django.urls import reverse

    return reverse(queue.url_name) + (f"?{query}" if query else "")


def queue_tools(request, key):
    """What a queue page needs for its tools (the app's queue view adds it to its context): the officer's saved
    views, the forms to save one and to reassign, and the filter as a query string for the exports."""
    queue = _queue_or_404(key)
    query = request.GET.copy()
    query.pop("page", None)
    filter_query = query.urlencode()
    return {
        "tools_queue": queue,
        "filter_query": filter_query,
        "saved_views": list(selectors.saved_views_for(request.user, key)),
        "save_view_form": SaveViewForm(user=request.user, initial={"query": filter_query}),
        "reassign_form": BulkReassignForm(initial={"query": filter_query})
        if can_reassign_in_bulk(request.user)
        else None,
    }


@staff_required
@require_POST
def bulk_reassign(request, key):
    queue = _queue_or_404(key)
    if not can_reassign_in_bulk(request.user):
        raise PermissionDenied("Only complaints officers and managers may reassign cases in bulk.")
    form = BulkReassignForm(request.POST)
    results, unknown = [], 0
    if form.is_valid():
        data = form.cleaned_data
        cases, unknown = selectors.selected_cases(
            queue,
            request.user,
            ids=request.POST.getlist("case"),
            query=data["query"],
            everything=data["scope"] == BulkReassignForm.EVERYTHING,
            limit=services.BULK_REASSIGN_LIMIT,
        )
        if not cases and data["scope"] == BulkReassignForm.EVERYTHING:
            form.add_error(None, f"No {queue.plural} match this filter.")
        elif not cases and unknown:
            form.add_error(None, f"None of the selected {queue.plural} can be found in this queue.")
        else:
            try:
                results = services.reassign_cases(queue, cases, data["handler"], actor=request.user)
            except InvalidInput as error:
                for messages_of_field in error.problems.values():
                    for message in messages_of_field:
                        form.add_error(None, message)
    query = form.cleaned_data.get("query", "")  # what is left of the input once checked, when some was wrong
    return render(
        request,
        "casework/bulk_reassign.html",
        {
            "queue": queue,
            "form": form,
            "results": results,
            "reassigned": sum(1 for result in results if result.done),
            "refused": sum(1 for result in results if not result.done),
            "unknown": unknown,
            "back": _queue_address(queue, query),
            # To ask again with the same selection when the officer was missing or not one who can take cases.
            "case_ids": request.POST.getlist("case")[: services.BULK_REASSIGN_LIMIT],
            "scope": form.cleaned_data.get("scope", BulkReassignForm.SELECTED),
        },
        status=400 if form.errors else 200,
    )


# A workbook is built in memory; past this many rows the page asks for the CSV, which streams.
XLSX_ROW_LIMIT = 100_000


@staff_required
def export_queue(request, key, fmt):
    from casework.exports import csv_streaming_response, xlsx_response

    queue = _queue_or_404(key)
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    rows = selectors.queue_export_rows(queue, request.user, request.GET)
    # Each case is written to the access log as its batch is read, so a CSV that streams is logged as it goes.
    logged = partial(record_cases_exported, request)
    filename = f"{queue.key}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        count = rows.count()
        if count > XLSX_ROW_LIMIT:
            messages.error(
                request,
                f"{count:,} {queue.plural} match: a spreadsheet holds at most {XLSX_ROW_LIMIT:,} here. "
                "Export as CSV, or narrow the filter.",
            )
            query = request.GET.copy()
            query.pop("page", None)
            return redirect(_queue_address(queue, query.urlencode()))
        header, table = selectors.queue_export_table(queue, rows, on_batch=logged)
        return xlsx_response(filename, [(queue.title, header, table)])
    header, table = selectors.queue_export_table(queue, rows, on_batch=logged)
    return csv_streaming_response(filename, header, table)


@staff_required
@require_POST
def save_view(request, key):
    queue = _queue_or_404(key)
    form = SaveViewForm(request.POST, user=request.user)
    query = (request.POST.get("query") or "")[:2000]
    if form.is_valid():
        data = form.cleaned_data
        try:
            view = services.save_view(
                owner=request.user, queue=key, name=data["name"], query=data["query"], team=data["team"]
            )
        except InvalidInput as error:
            for field, problems in error.problems.items():
                for message in problems:
                    form.add_error(field if field in form.fields else None, message)
        else:
            shared = f", shared with {view.team}" if view.team else ""
            messages.success(request, f"View “{view.name}” saved{shared}.")
            return redirect(view.get_absolute_url())
    return render(
        request,
        "casework/save_view.html",
        {"queue": queue, "form": form, "back": _queue_address(queue, query)},
        status=400,
    )


@staff_required
@require_POST
def delete_view(request, pk):
    view = selectors.saved_view_for(request.user, pk)
    if view is None:
        raise Http404("No such view")
    queue = registry.queue_for(view.queue)
    try:
        services.delete_view(view, actor=request.user)
    except NotAllowed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"View “{view.name}” deleted.")
    return redirect(_queue_address(queue, "") if queue else "casework:my-work")


# --- A resident's page --------------------------------------------------------------------------------


@staff_required
def resident(request, pk):
    person = selectors.resident_for(request.user, pk)
    if person is None:
        raise Http404("No such resident")
    cases = selectors.resident_cases(request.user, person)
    note_cases_read(request, [case.pk for case in cases])
    return render(
        request,
        "casework/resident.html",
        {
            "resident": person,
            "representatives": list(person.representatives.all()),
            "cases": cases,
            "open_cases": sum(1 for case in cases if case.is_open),
            "safeguards": selectors.resident_safeguards(person),
        },
    )
