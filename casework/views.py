import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from casework import registry, selectors, services, subject_access
from casework.access import note_cases_read, note_search
from casework.errors import DomainError
from casework.exports import XLSX_CONTENT_TYPE
from casework.forms import AttachmentForm, LinkCaseForm, NoteForm, UnlinkCaseForm
from casework.models import AccessKind, Attachment, Resident
from casework.permissions import can_see_case, role_required, staff_required
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
    messages.error(request, form.errors["body"][0])
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
        for errors in form.errors.values():
            messages.error(request, errors[0])
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
        for errors in form.errors.values():
            messages.error(request, errors[0])
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
        messages.error(request, form.errors["reason"][0])
    return redirect(case.get_absolute_url())


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
