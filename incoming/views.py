"""The Incoming queue's pages. Views parse input, call a service or a selector, and render."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casework.access import note_cases_read
from casework.actions import show_refusal
from casework.errors import DomainError, InvalidInput
from casework.models import AccessKind
from casework.permissions import role_required
from casework.roles import ALL_CASES_ROLES
from complaints.forms import LogComplaintForm, ServiceRequestForm
from complaints.models import Channel
from enquiries.forms import EnquiryForm
from enquiries.models import Member
from enquiries.services import Constituent
from incoming import forms, selectors, services
from incoming.models import IncomingStatus

QUEUE_PAGE_SIZE = 50
# Anyone may write to the council's mailbox about anything or anyone: its emails are for the officers who see
# every case (complaints officers, managers, administrators), as a paper post room would be.
mailroom = role_required(*ALL_CASES_ROLES)


def _item_or_404(pk):
    found = selectors.item(pk)
    if found is None:
        raise Http404("No such email")
    return found


@mailroom
def queue(request):
    show = request.GET.get("show", "waiting")
    items = selectors.incoming_queue(show, request.GET.get("q", ""))
    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incoming/queue.html",
        {"page": page, "show": show, "tabs": selectors.queue_counts(), "q": request.GET.get("q", "")},
    )


@mailroom
def item(request, pk):
    incoming = _item_or_404(pk)
    if incoming.case_id:
        note_cases_read(request, [incoming.case_id], AccessKind.OPENED)  # an email on a case is part of it
    return render(
        request,
        "incoming/item.html",
        {
            "item": incoming,
            "attachments": incoming.attachments.all(),
            "mentioned_case": selectors.mentioned_case(request.user, incoming),
            "set_aside_form": forms.SetAsideForm(),
            "file_form": forms.FileOnCaseForm(initial={"reference": incoming.mentioned_reference}),
            "waiting": incoming.status == IncomingStatus.NEW,
        },
    )


@mailroom
def original(request, pk):
    incoming = _item_or_404(pk)
    if not incoming.raw:
        raise Http404("The original of this email was not kept")
    return FileResponse(
        incoming.raw.open("rb"), as_attachment=True, filename=f"email-{incoming.pk}.eml", content_type="message/rfc822"
    )


@mailroom
def attachment(request, pk, file_pk):
    incoming = _item_or_404(pk)
    stored = incoming.attachments.filter(pk=file_pk, refused_reason="").exclude(file="").first()
    if stored is None:
        raise Http404("No such file")
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )


def _not_waiting(request, incoming):
    if incoming.status == IncomingStatus.NEW:
        return None
    where = f" It is on {incoming.case.reference}." if incoming.case_id else ""
    messages.error(request, f"This email is {incoming.get_status_display().lower()}: it cannot be made a case.{where}")
    return redirect("incoming:item", pk=incoming.pk)


def _names(incoming):
    parts = (incoming.from_name or "").replace('"', "").split()
    if len(parts) >= 2:
        return " ".join(parts[:-1]), parts[-1]
    return (parts[0] if parts else ""), ""


def _summary(incoming):
    return re.sub(r"^((re|fw|fwd|aw)\s*:\s*)+", "", incoming.subject or "", flags=re.IGNORECASE)[:250]


def _chosen_resident(request, incoming):
    """A resident the officer picked among those with the sender's address (?resident=), or None for new."""
    wanted = request.GET.get("resident") or request.POST.get("existing_resident")
    if not wanted:
        return None
    candidates = selectors.residents_with_address(request.user, incoming.from_address)
    return next((resident for resident in candidates if str(resident.pk) == wanted), None)


def _new_resident(data, *more):
    fields = ("first_name", "last_name", "email", "phone", "address", "postcode", *more)
    return {key: data.get(key, "") for key in fields}


def _make_page(request, incoming, template, form, extra=None):
    return render(
        request,
        template,
        {"item": incoming, "form": form, **(extra or {})},
        status=400 if form.is_bound and form.errors else 200,
    )


def _initial_from(incoming):
    """What a case made from the email starts with: its day, its sender, its subject and its words."""
    first, last = _names(incoming)
    return {
        "received_on": services.received_on(incoming),
        "channel": Channel.EMAIL,
        "first_name": first,
        "last_name": last,
        "email": incoming.from_address,
        "summary": _summary(incoming),
        "description": incoming.body,
    }


@mailroom
def make_complaint(request, pk):
    incoming = _item_or_404(pk)
    refused = _not_waiting(request, incoming)
    if refused:
        return refused
    resident = _chosen_resident(request, incoming)
    initial = _initial_from(incoming)
    form = LogComplaintForm(request.POST or None, resident=resident, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        representative = None
        if data["representative_name"]:
            representative = {"name": data["representative_name"], "relationship": data["representative_relationship"]}
        try:
            case = services.make_complaint(
                incoming,
                actor=request.user,
                resident=resident,
                new_resident=None if resident else _new_resident(data, "vulnerability_notes"),
                representative_details=representative,
                **form.complaint_fields(),
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Complaint {case.reference} logged from the email.")
            return redirect(case.get_absolute_url())
    return _make_page(
        request,
        incoming,
        "incoming/make_complaint.html",
        form,
        {"resident": resident, "residents": selectors.residents_with_address(request.user, incoming.from_address)},
    )


@mailroom
def make_service_request(request, pk):
    incoming = _item_or_404(pk)
    refused = _not_waiting(request, incoming)
    if refused:
        return refused
    initial = _initial_from(incoming)
    form = ServiceRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.make_service_request(
                incoming,
                actor=request.user,
                new_resident=_new_resident(data),
                received_on=data["received_on"],
                channel=data["channel"],
                service_area=data["service_area"],
                summary=data["summary"],
                description=data["description"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Service request {case.reference} logged from the email.")
            return redirect(case.get_absolute_url())
    return _make_page(request, incoming, "incoming/make_service_request.html", form)


@mailroom
def make_enquiry(request, pk):
    incoming = _item_or_404(pk)
    refused = _not_waiting(request, incoming)
    if refused:
        return refused
    member = Member.objects.filter(email__iexact=incoming.from_address, is_active=True).first()
    initial = {"member": member.pk if member else None, "description": incoming.body}
    form = EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.make_enquiry(
                incoming,
                actor=request.user,
                member=data["member"],
                enquiry_type=data["enquiry_type"],
                service_area=data["service_area"],
                description=data["description"],
                constituent=Constituent(**_new_resident(data)),
                consent_to_share=data["consent_to_share"],
                urgent_reasons=data["urgent_reasons"],
                submission_key=data["submission_key"],
                summary=_summary(incoming),
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Enquiry {case.reference} recorded from the email.")
            return redirect(case.get_absolute_url())
    return _make_page(request, incoming, "incoming/make_enquiry.html", form)


def _refused(request, incoming, error):
    if isinstance(error, InvalidInput):
        for problems in error.problems.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("incoming:item", pk=incoming.pk)


@mailroom
@require_POST
def file_on_case(request, pk):
    incoming = _item_or_404(pk)
    form = forms.FileOnCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reference"][0])
        return redirect("incoming:item", pk=incoming.pk)
    case = selectors.case_for(request.user, form.cleaned_data["reference"])
    if case is None:
        messages.error(request, f"No case {form.cleaned_data['reference'].strip().upper()} that you can see.")
        return redirect("incoming:item", pk=incoming.pk)
    try:
        services.file_on_case(incoming, case, actor=request.user)
    except DomainError as error:
        return _refused(request, incoming, error)
    messages.success(request, f"Email filed on {case.reference}.")
    return redirect(case.get_absolute_url())


@mailroom
@require_POST
def set_aside(request, pk):
    incoming = _item_or_404(pk)
    try:
        services.set_aside(incoming, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        return _refused(request, incoming, error)
    messages.success(request, "Email set aside.")
    return redirect("incoming:queue")


@mailroom
@require_POST
def return_to_queue(request, pk):
    incoming = _item_or_404(pk)
    try:
        services.return_to_queue(incoming, actor=request.user)
    except DomainError as error:
        return _refused(request, incoming, error)
    messages.success(request, "Email put back in the queue.")
    return redirect("incoming:item", pk=incoming.pk)
