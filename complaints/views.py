"""Officers' complaint pages. Views parse input, call a service or a selector, and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.access import note_search
from casework.forms import AttachmentForm, NoteForm
from casework.models import Resident
from casework.permissions import staff_required, visible_residents
from casework.selectors import timeline_of
from casework.services import DomainError, add_representative, create_resident
from complaints import forms, letters, selectors, services
from complaints.models import ComplaintStatus

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
    page = Paginator(filterset.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
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
                    received_on=data["received_on"],
                    channel=data["channel"],
                    service_area=data["service_area"],
                    issue_nature=data["issue_nature"],
                    complaint_type=data["complaint_type"],
                    summary=data["summary"],
                    description=data["description"],
                    outcome_wanted=data["outcome_wanted"],
                    issue_occurred_on=data["issue_occurred_on"],
                    staff_named=data["staff_named"],
                    is_urgent=data["is_urgent"],
                    vulnerability_noted=data["vulnerability_noted"] or bool(data["vulnerability_notes"]),
                    resident=resident,
                    representative=representative,
                    assigned_to=data["assigned_to"],
                    service_request=service_request,
                )
        except (DomainError, ValidationError) as error:
            form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"Complaint {complaint.reference} logged.")
            return redirect(complaint.get_absolute_url())
    return render(
        request, "complaints/log.html", {"form": form, "resident": resident, "service_request": service_request}
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
            "actions": [(name, services.ACTION_LABELS[name]) for name in services.allowed_actions(complaint)],
            "safeguards": selectors.safeguards_for(complaint),
            "earlier_upheld": services.earlier_upheld_complaints(complaint)[:5]
            if complaint.status in (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED)
            else [],
            "timeline": timeline_of(complaint),
            "service_request_timeline": timeline_of(complaint.service_request) if complaint.service_request else None,
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
            "letter_kinds": letters.available_letters(complaint),
        },
    )


def _run_acknowledge(complaint, data, user):
    return services.acknowledge(complaint, on=data["on"], actor=user)


def _run_assign(complaint, data, user):
    return services.assign(complaint, data["handler"], actor=user)


def _run_extend(complaint, data, user):
    return services.extend(
        complaint,
        actor=user,
        granted_on=data["granted_on"],
        reason=data["reason"],
        resident_told_on=data["resident_told_on"],
        extra_working_days=data["extra_working_days"],
        new_due_on=data["new_due_on"],
        approved_by=data["approved_by"],
    )


def _run_resolve_early(complaint, data, user):
    return services.resolve_early(
        complaint, actor=user, on=data["on"], summary=data["summary"], resident_agreed=data["resident_agreed"]
    )


def _run_withdraw(complaint, data, user):
    return services.withdraw(complaint, actor=user, on=data["on"], reason=data["reason"])


def _run_refuse(complaint, data, user):
    return services.refuse(complaint, actor=user, on=data["on"], reason=data["reason"], details=data["details"])


def _run_escalate(complaint, data, user):
    return services.escalate(
        complaint, actor=user, requested_on=data["requested_on"], reason=data["reason"], handler=data["handler"]
    )


def _run_refuse_escalation(complaint, data, user):
    return services.refuse_escalation(complaint, actor=user, requested_on=data["requested_on"], reason=data["reason"])


def _run_close(complaint, data, user):
    return services.close(complaint, actor=user)


def _run_reopen(complaint, data, user):
    return services.reopen(complaint, actor=user, on=data["on"], reason=data["reason"])


ACTIONS = {
    "acknowledge": (forms.AcknowledgeForm, _run_acknowledge, "Complaint acknowledged."),
    "assign": (forms.AssignForm, _run_assign, "Complaint assigned."),
    "extend": (forms.ExtendForm, _run_extend, "Deadline extended."),
    "resolve_early": (forms.ResolveEarlyForm, _run_resolve_early, "Complaint resolved early."),
    "withdraw": (forms.WithdrawForm, _run_withdraw, "Complaint withdrawn."),
    "refuse": (forms.RefuseForm, _run_refuse, "Complaint not accepted."),
    "escalate": (forms.EscalateForm, _run_escalate, "Complaint escalated."),
    "refuse_escalation": (forms.RefuseEscalationForm, _run_refuse_escalation, "Escalation refused."),
    "close": (forms.CloseForm, _run_close, "Complaint closed."),
    "reopen": (forms.ReopenForm, _run_reopen, "Complaint reopened."),
}


@staff_required
def action(request, reference, name):
    if name == "respond":
        return respond(request, reference)
    if name not in ACTIONS:
        raise Http404("No such action")
    complaint = selectors.complaint_to_act_on(request.user, reference)
    if complaint is None:
        raise Http404("No such complaint")
    form_class, run, done = ACTIONS[name]
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                run(complaint, form.cleaned_data, request.user)
            except DomainError as error:
                form.add_error(None, str(error))
                # Refused because of the complaint's state: a conflict, not bad input.
                status = 409 if services.why_not_allowed(complaint, name) else 400
            else:
                messages.success(request, done)
                return redirect(complaint.get_absolute_url())
    return render(
        request,
        "complaints/action.html",
        {
            "complaint": complaint,
            "form": form,
            "name": name,
            "title": services.ACTION_LABELS[name],
            "refusal": services.why_not_allowed(complaint, name),
        },
        status=status,
    )


def _filled(formset):
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and any(f.cleaned_data.values())]


@staff_required
def respond(request, reference):
    complaint = _complaint_or_404(request, reference)
    post = request.POST if request.method == "POST" else None
    form = forms.RespondForm(post)
    points = forms.PointFormSet(post, prefix="points")
    remedies = forms.RemedyFormSet(post, prefix="remedies")
    actions = forms.ActionFormSet(post, prefix="actions")
    refusal = services.why_not_allowed(complaint, "respond")
    if post is not None and all(f.is_valid() for f in (form, points, remedies, actions)):
        try:
            services.respond(
                complaint,
                actor=request.user,
                on=form.cleaned_data["on"],
                summary=form.cleaned_data["summary"],
                points=[services.Point(p["summary"], p["decision"], p["reasons"]) for p in _filled(points)],
                remedies=[
                    services.RemedyLine(r["kind"], r["description"], r["amount"])
                    for r in _filled(remedies)
                    if r["kind"]
                ],
                actions=[services.ActionLine(a["description"], a["owner"], a["due_on"]) for a in _filled(actions)],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Response recorded.")
            return redirect(complaint.get_absolute_url())
    has_errors = post is not None
    return render(
        request,
        "complaints/respond.html",
        {
            "complaint": complaint,
            "form": form,
            "points": points,
            "remedies": remedies,
            "actions": actions,
            "refusal": refusal,
            "draft": letters.draft(complaint, "response"),
        },
        status=400 if has_errors else 200,
    )


@staff_required
def letter(request, reference, kind):
    complaint = _complaint_or_404(request, reference)
    if kind not in letters.LETTERS:
        raise Http404("No such letter")
    text = letters.draft(complaint, kind)
    if request.GET.get("download"):
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{complaint.reference}-{kind}.txt"'
        return response
    return render(
        request,
        "complaints/letter.html",
        {"complaint": complaint, "kind": kind, "title": letters.LETTERS[kind], "text": text},
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
            "timeline": timeline_of(item),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )
