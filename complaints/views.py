"""Officers' complaint pages. Views parse input, call a service or a selector, and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.access import note_search
from casework.actions import action_links, action_page, show_refusal
from casework.errors import InvalidInput, NotAllowed
from casework.forms import AttachmentForm, NoteForm
from casework.models import Resident
from casework.paging import CappedCountPaginator, showing
from casework.permissions import can_see_case, staff_required, visible_residents
from casework.selectors import timeline_for_page, timeline_of
from casework.services import DomainError, add_representative, create_resident
from casework.views import queue_tools
from complaints import forms, letters, selectors, services
from complaints.models import ComplaintStatus
from complaints.workflow import WORKFLOW, latest_draft, pending_extension_request
from correspondence import selectors as correspondence_selectors
from correspondence import services as correspondence_services
from correspondence.forms import LetterForm, add_problems

QUEUE_PAGE_SIZE = 50


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _complaint_or_404(request, reference):
    complaint = selectors.complaint_for(request.user, reference)
    if complaint is None:
        raise Http404("No such complaint")
    return complaint


@staff_required
def queue(request):
    filterset = selectors.work_queue(request.user, request.GET)
    page = CappedCountPaginator(
        showing(filterset.qs, selectors.QUEUE_ROW_FIELDS), QUEUE_PAGE_SIZE, cap=filterset.count_cap
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/queue.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "restrictions_due": selectors.restrictions_due_for_review()[:5],
            **queue_tools(request, "complaints"),
        },
    )


@staff_required
def log(request):
    resident = None
    if request.GET.get("resident") or request.POST.get("existing_resident"):
        # Only a resident whose details this officer may see: an id typed into the address reveals nobody else.
        resident = (
            visible_residents(request.user, Resident.objects.all())
            .filter(pk=_int_or_none(request.GET.get("resident") or request.POST.get("existing_resident")))
            .first()
        )
    service_request = None
    if request.GET.get("service_request") or request.POST.get("service_request"):
        service_request = selectors.service_request_for(
            request.user, request.GET.get("service_request") or request.POST.get("service_request")
        )
        resident = resident or (service_request.resident if service_request else None)
    initial = {}
    if service_request:
        initial = {
            "service_area": service_request.service_area_id,
            "summary": f"Handling of {service_request.reference}",
        }
    form = forms.LogComplaintForm(request.POST or None, resident=resident, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        # Phone intake logs the same complaint twice: before anything is written, the officer sees the resident's
        # recent complaints with a similar summary and confirms this one is new.
        duplicates = selectors.possible_duplicates(
            resident=resident,
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            received_on=form.cleaned_data["received_on"],
            summary=form.cleaned_data["summary"],
            user=request.user,
        )
        if duplicates and not form.cleaned_data["not_a_duplicate"]:
            form.add_error(
                "not_a_duplicate",
                "This may be a complaint already logged: check the complaints listed, then confirm this is a new one.",
            )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if resident is None:
                    resident = create_resident(
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        email=data["email"],
                        phone=data["phone"],
                        address=data["address"],
                        postcode=data["postcode"],
                        vulnerability_notes=data["vulnerability_notes"],
                    )
                elif data["vulnerability_notes"] and not resident.vulnerability_notes:
                    resident.vulnerability_notes = data["vulnerability_notes"]
                    resident.save(update_fields=["vulnerability_notes"])
                representative = None
                if data["representative_name"]:
                    representative = add_representative(
                        resident, name=data["representative_name"], relationship=data["representative_relationship"]
                    )
                complaint = services.log_complaint(
                    actor=request.user,
                    **form.complaint_fields(),
                    resident=resident,
                    representative=representative,
                    service_request=service_request,
                )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Complaint {complaint.reference} logged.")
            return redirect(complaint.get_absolute_url())
    return render(
        request,
        "complaints/log.html",
        {"form": form, "resident": resident, "service_request": service_request, "duplicates": duplicates},
    )


@staff_required
def detail(request, reference):
    complaint = _complaint_or_404(request, reference)
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "case": complaint,
            # With the learning plan each stage feeds, so the page links the complaint to what was learned.
            "stages": list(complaint.stages.select_related("handler", "learning_source__plan__service_area")),
            "clocks": selectors.clocks_with_time_left(complaint),
            "actions": action_links(WORKFLOW, complaint, request.user, lambda name: _action_url(complaint, name)),
            "pending_extension": pending_extension_request(complaint),
            "draft_response": latest_draft(complaint),
            "safeguards": selectors.safeguards_for(complaint),
            "earlier_upheld": services.earlier_upheld_complaints(complaint)[:5]
            if complaint.status in (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED)
            else [],
            **timeline_for_page(complaint, request),
            "merged_duplicates": selectors.merged_duplicates_of(complaint, request.user),
            "merged_into_seen": bool(complaint.merged_into) and can_see_case(request.user, complaint.merged_into),
            "service_request_timeline": timeline_of(complaint.service_request) if complaint.service_request else None,
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
            "letter_kinds": letters.available_letters(complaint),
            "correspondence": correspondence_selectors.correspondence_of(complaint),
        },
    )


def _action_url(complaint, name):
    if name == "respond":
        return reverse("complaints:respond", args=[complaint.reference])
    return reverse("complaints:action", args=[complaint.reference, name])


@staff_required
def action(request, reference, name):
    complaint = selectors.complaint_to_act_on(request.user, reference)
    if complaint is None:
        raise Http404("No such complaint")
    return action_page(request, workflow=WORKFLOW, case=complaint, name=name)


@staff_required
def respond(request, reference):
    return action(request, reference, "respond")


def _text_file(text, name):
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def letter(request, reference, kind):
    """A drafted letter to check and edit: previewed as its PDF, downloaded as text, or sent (stored on the
    case and emailed). What is previewed, downloaded or sent is the text as the officer left it."""
    complaint = _complaint_or_404(request, reference)
    if kind not in letters.LETTERS:
        raise Http404("No such letter")
    title = letters.LETTERS[kind]
    delivery, refusal = correspondence_selectors.delivery_or_refusal(complaint)
    draft_problem = ""
    try:
        text = letters.draft(complaint, kind)
    except InvalidInput as error:
        text, draft_problem = "", f"The {title.lower()} letter template has a mistake: {error}"
    if request.method == "GET" and request.GET.get("download"):
        return _text_file(text, f"{complaint.reference}-{kind}.txt")
    form = LetterForm(
        request.POST or None, initial={"text": text, "large_print": bool(delivery and delivery.large_print)}
    )
    status = 200
    if request.method == "POST":
        status = 400
        action = request.POST.get("action", "preview")
        if form.is_valid():
            data = form.cleaned_data
            if action == "download":
                return _text_file(data["text"], f"{complaint.reference}-{kind}.txt")
            try:
                if action == "send":
                    if selectors.complaint_to_act_on(request.user, reference) is None:
                        raise Http404("No such complaint")
                    sent = correspondence_services.send_letter(
                        complaint,
                        kind=kind,
                        title=title,
                        text=data["text"],
                        actor=request.user,
                        large_print=data["large_print"],
                    )
                    messages.success(request, f"{title} letter sent to {sent.addressee} ({sent.delivery.lower()}).")
                    return redirect(complaint.get_absolute_url())
                pdf = correspondence_services.preview_pdf(
                    complaint, title=title, text=data["text"], large_print=data["large_print"]
                )
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'inline; filename="{complaint.reference}-{kind}-preview.pdf"'
                return response
            except NotAllowed as error:
                form.add_error(None, error.message)
                status = 409
            except InvalidInput as error:
                add_problems(form, error)
    return render(
        request,
        "complaints/letter.html",
        {
            "complaint": complaint,
            "kind": kind,
            "title": title,
            "form": form,
            "delivery": delivery,
            "refusal": refusal,
            "draft_problem": draft_problem,
        },
        status=status,
    )


@staff_required
def residents(request):
    query = (request.GET.get("q") or "").strip()
    found = []
    if query:
        found = selectors.find_residents(query, request.user)[:50]
        note_search(request, query)
    return render(request, "complaints/residents.html", {"query": query, "residents": found})


@staff_required
@require_POST
def bar_officer(request, reference):
    complaint = _complaint_or_404(request, reference)
    form = forms.BarOfficerForm(request.POST)
    if form.is_valid() and complaint.resident_id:
        try:
            services.bar_officer(
                complaint.resident, form.cleaned_data["officer"], reason=form.cleaned_data["reason"], actor=request.user
            )
            messages.success(request, "Recorded: that officer will not handle this resident's cases.")
        except DomainError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Choose the officer and record why.")
    return redirect(reverse("complaints:safeguards", args=[reference]))


@staff_required
def safeguards(request, reference):
    complaint = _complaint_or_404(request, reference)
    restriction_form = forms.ContactRestrictionForm(request.POST or None)
    if request.method == "POST" and restriction_form.is_valid() and complaint.resident_id:
        try:
            services.add_contact_restriction(complaint.resident, actor=request.user, **restriction_form.cleaned_data)
        except DomainError as error:
            restriction_form.add_error(None, str(error))
        else:
            messages.success(request, "Contact restriction recorded.")
            return redirect(reverse("complaints:safeguards", args=[reference]))
    return render(
        request,
        "complaints/safeguards.html",
        {
            "complaint": complaint,
            "safeguards": selectors.safeguards_for(complaint),
            "bar_form": forms.BarOfficerForm(),
            "restriction_form": restriction_form,
        },
    )


# --- Service requests ---------------------------------------------------------------------------------


@staff_required
def service_requests(request):
    return render(
        request, "complaints/service_requests.html", {"requests": selectors.open_service_requests(request.user)[:200]}
    )


@staff_required
def new_service_request(request):
    form = forms.ServiceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                resident = create_resident(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    address=data["address"],
                    postcode=data["postcode"],
                )
                service_request = services.log_service_request(
                    actor=request.user,
                    received_on=data["received_on"],
                    service_area=data["service_area"],
                    description=data["description"],
                    channel=data["channel"],
                    resident=resident,
                    summary=data["summary"],
                )
        except (DomainError, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, DomainError) else error.messages[0])
        else:
            messages.success(request, f"Service request {service_request.reference} logged.")
            return redirect(service_request.get_absolute_url())
    return render(request, "complaints/service_request_form.html", {"form": form})


@staff_required
def service_request(request, reference):
    item = selectors.service_request_for(request.user, reference)
    if item is None:
        raise Http404("No such service request")
    if request.method == "POST" and request.POST.get("action") == "complete":
        try:
            services.complete_service_request(item, actor=request.user, on=timezone.localdate())
            messages.success(request, "Service request completed.")
        except DomainError as error:
            messages.error(request, str(error))
        return redirect(item.get_absolute_url())
    return render(
        request,
        "complaints/service_request.html",
        {
            "item": item,
            "case": item,
            "correspondence": correspondence_selectors.correspondence_of(item),
            **timeline_for_page(item, request),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )
