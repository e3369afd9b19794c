"""Officers' ombudsman pages. Views parse input, call a service or a selector, and render."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from casework.forms import AttachmentForm, NoteForm
from casework.models import Ombudsman
from casework.permissions import role_required, staff_required, visible_cases
from casework.selectors import timeline_of
from casework.services import DomainError
from complaints.models import Complaint
from ombudsman import forms, selectors, services
from ombudsman.models import InformationRequest, Order, ServiceContribution

LIST_PAGE_SIZE = 50
# Recording anything on an ombudsman case is for its handlers (ombudsman.services.HANDLER_ROLES).
handler_required = role_required(*services.HANDLER_ROLES)


def _case_or_404(request, reference):
    case = selectors.case_for(request.user, reference)
    if case is None:
        raise Http404("No such ombudsman case")
    return case


@staff_required
def case_list(request):
    filterset = selectors.case_list(request.user, request.GET)
    page = Paginator(filterset.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ombudsman/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "may_handle": services.may_handle(request.user),
        },
    )


@handler_required
def new(request):
    def find_complaint(reference):
        return visible_cases(request.user, Complaint.objects.all()).filter(reference=reference).first()

    initial = {}
    complaint = find_complaint((request.GET.get("complaint") or "").strip().upper()) if request.GET else None
    if complaint is not None:
        initial = {"complaint_reference": complaint.reference, "ombudsman": complaint.service_area.ombudsman}
    form = forms.OpenCaseForm(request.POST or None, initial=initial, find_complaint=find_complaint)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                actor=request.user,
                ombudsman=data["ombudsman"],
                received_on=data["received_on"],
                original_complaint=data["original_complaint"],
                ombudsman_reference=data["ombudsman_reference"],
                ombudsman_contact=data["ombudsman_contact"],
                summary=data["summary"],
                description=data["description"],
                service_area=data["service_area"],
                assigned_to=data["assigned_to"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Ombudsman case {case.reference} opened.")
            return redirect(case.get_absolute_url())
    return render(request, "ombudsman/new.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def detail(request, reference):
    case = _case_or_404(request, reference)
    determination = getattr(case, "determination", None)
    return render(
        request,
        "ombudsman/detail.html",
        {
            "ombudsman_case": case,
            "case": case,
            "clocks": selectors.clocks_with_time_left(case),
            "may_handle": services.may_handle(request.user),
            "actions": [(name, services.ACTION_LABELS[name]) for name in services.allowed_actions(case)]
            if services.may_handle(request.user)
            else [],
            "information_requests": list(case.information_requests.all()),
            "determination": determination,
            "findings": list(determination.findings.select_related("category", "learning_source__plan"))
            if determination
            else [],
            "orders": list(determination.orders.all()) if determination else [],
            "timeline": timeline_of(case),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )


# --- Generic form pages for the case's actions and its items' actions ---------------------------------


def _form_page(request, *, case, form, title, run, done, refusal, back=None, intro="", warning=False):
    """Show a form; on a valid POST run the service. A refusal because of the state answers 409."""
    status = 200
    if request.method == "POST" and refusal is None:
        status = 400
        if form.is_valid():
            try:
                run(form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, done)
                return redirect(back or case.get_absolute_url())
    elif request.method == "POST":
        status = 409
    return render(
        request,
        "ombudsman/action.html",
        {
            "ombudsman_case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "refusal": refusal,
            "warning": warning,
            "multipart": form.is_multipart(),
        },
        status=status,
    )


CASE_ACTIONS = {
    "assign": (
        forms.AssignForm,
        lambda case, data, user: services.assign(case, data["handler"], actor=user),
        "Case assigned.",
    ),
    "start_assessment": (
        forms.StageDateForm,
        lambda case, data, user: services.start_assessment(case, actor=user, on=data["on"]),
        "The case is at assessment.",
    ),
    "request_information": (
        forms.RequestInformationForm,
        lambda case, data, user: services.request_information(case, actor=user, **data),
        "Request for information recorded; its deadline is running.",
    ),
    "start_investigation": (
        forms.StageDateForm,
        lambda case, data, user: services.start_investigation(case, actor=user, on=data["on"]),
        "The case is under investigation.",
    ),
    "close": (
        forms.CloseForm,
        lambda case, data, user: services.close(case, actor=user, on=data["on"], reason=data["reason"]),
        "Case closed.",
    ),
}


@handler_required
def action(request, reference, name):
    if name == "record_determination":
        return determination(request, reference)
    if name not in CASE_ACTIONS:
        raise Http404("No such action")
    case = _case_or_404(request, reference)
    form_class, run, done = CASE_ACTIONS[name]
    return _form_page(
        request,
        case=case,
        form=form_class(request.POST or None),
        title=services.ACTION_LABELS[name],
        run=lambda data: run(case, data, request.user),
        done=done,
        refusal=services.why_not_allowed(case, name),
        warning=name == "close",
    )


REQUEST_ACTIONS = {
    "ask_service": (
        forms.AskServiceForm,
        "Ask a service to contribute",
        lambda item, data, user: services.ask_service(item, actor=user, **data),
        "Service asked; its due date is running.",
    ),
    "reply": (
        forms.ReplyForm,
        "Record the reply sent to the ombudsman",
        lambda item, data, user: services.send_reply(item, actor=user, **data),
        "Reply recorded; the deadline is stopped.",
    ),
    "extend": (
        forms.ExtendRequestForm,
        "Record more time agreed by the ombudsman",
        lambda item, data, user: services.extend_information_request(item, actor=user, **data),
        "New deadline recorded.",
    ),
}


@handler_required
def request_action(request, reference, pk, name):
    if name not in REQUEST_ACTIONS:
        raise Http404("No such action")
    case = _case_or_404(request, reference)
    item = get_object_or_404(InformationRequest.objects.select_related("case"), pk=pk, case=case)
    form_class, title, run, done = REQUEST_ACTIONS[name]
    return _form_page(
        request,
        case=case,
        form=form_class(request.POST or None),
        title=title,
        intro=f"Request for information of {item.received_on:%-d %B %Y}, due {item.due_on:%-d %B %Y}: {item.details}",
        run=lambda data: run(item, data, request.user),
        done=done,
        refusal=services.why_not_information_request(item, name),
    )


@handler_required
def contribution_received(request, reference, pk):
    case = _case_or_404(request, reference)
    contribution = get_object_or_404(
        ServiceContribution.objects.select_related("request__case", "service_area"), pk=pk, request__case=case
    )
    refusal = services.why_not_information_request(contribution.request, "contribution")
    if refusal is None and contribution.received_on is not None:
        refusal = f"{contribution.service_area}'s contribution was recorded on {contribution.received_on:%-d %B %Y}."
    return _form_page(
        request,
        case=case,
        form=forms.ContributionReceivedForm(request.POST or None),
        title=f"Record {contribution.service_area}'s contribution",
        run=lambda data: services.record_contribution(contribution, actor=request.user, **data),
        done="Contribution recorded.",
        refusal=refusal,
    )


ORDER_ACTIONS = {
    "comply": (
        forms.ComplianceForm,
        "Record compliance",
        lambda order, data, files, user: services.record_compliance(
            order,
            actor=user,
            complied_on=data["complied_on"],
            evidence=data["evidence"],
            files=[data["file"]] if data.get("file") else [],
        ),
        "Compliance recorded.",
    ),
    "evidence_sent": (
        forms.EvidenceSentForm,
        "Record the evidence sent to the ombudsman",
        lambda order, data, files, user: services.record_evidence_sent(order, actor=user, sent_on=data["sent_on"]),
        "Recorded: the evidence went to the ombudsman.",
    ),
}


@handler_required
def order_action(request, reference, pk, name):
    if name not in ORDER_ACTIONS:
        raise Http404("No such action")
    case = _case_or_404(request, reference)
    order = get_object_or_404(
        Order.objects.select_related("determination__case", "finding__category"), pk=pk, determination__case=case
    )
    form_class, title, run, done = ORDER_ACTIONS[name]
    post = request.POST if request.method == "POST" else None
    intro = f"{order.get_kind_display()}: {order.get_order_type_display()}"
    intro += f": {order.description}" if order.description else ""
    intro += f", due {order.due_on:%-d %B %Y}" if order.due_on else ""
    return _form_page(
        request,
        case=case,
        form=form_class(post, request.FILES or None),
        title=title,
        intro=intro,
        run=lambda data: run(order, data, request.FILES, request.user),
        done=done,
        refusal=services.why_not_order(order, name),
    )


def _filled(formset):
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.has_changed()]


@handler_required
def determination(request, reference):
    case = _case_or_404(request, reference)
    post = request.POST if request.method == "POST" else None
    form = forms.DeterminationForm(post)
    findings = forms.FindingFormSet(post, prefix="findings", form_kwargs={"ombudsman": case.ombudsman})
    orders = forms.OrderFormSet(post, prefix="orders", form_kwargs={"finding_count": forms.FINDING_ROWS})
    refusal = services.why_not_allowed(case, "record_determination")
    status = 200
    if post is not None:
        status = 409 if refusal else 400
        if refusal is None and all(f.is_valid() for f in (form, findings, orders)):
            try:
                services.record_determination(
                    case,
                    actor=request.user,
                    determined_on=form.cleaned_data["determined_on"],
                    summary=form.cleaned_data["summary"],
                    findings=[
                        services.FindingLine(f["complaint_head"], f["category"], f["outcome"], f["reasons"])
                        for f in _filled(findings)
                        if f.get("complaint_head")
                    ],
                    orders=[
                        services.OrderLine(
                            order_type=o["order_type"],
                            kind=o["kind"],
                            description=o["description"],
                            amount_pence=o["amount"],
                            due_on=o["due_on"],
                            finding_number=o["finding_number"],
                        )
                        for o in _filled(orders)
                        if o.get("order_type")
                    ],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Determination recorded.")
                return redirect(case.get_absolute_url())
    return render(
        request,
        "ombudsman/determination.html",
        {"ombudsman_case": case, "form": form, "findings": findings, "orders": orders, "refusal": refusal},
        status=status,
    )


# --- Figures ------------------------------------------------------------------------------------------


def _financial_year(today):
    start_year = today.year if today.month >= 4 else today.year - 1
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


@staff_required
def figures(request):
    """One ombudsman's figures for a period (this financial year by default), as the reports print them."""
    form = forms.PeriodForm(request.GET or None)
    start, end = _financial_year(timezone.localdate())
    ombudsman = Ombudsman.HOUSING
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        ombudsman = form.cleaned_data["ombudsman"] or ombudsman
    return render(
        request,
        "ombudsman/figures.html",
        {
            "form": form,
            "figures": selectors.figures(start, end, ombudsman),
            "start": start,
            "end": end,
            "ombudsman_choices": Ombudsman.choices,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
