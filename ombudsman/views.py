"""Officers' ombudsman pages. Views parse input, call a service or a selector, and render."""

import datetime

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from casework.actions import action_links, action_page, show_refusal
from casework.forms import AttachmentForm, NoteForm
from casework.models import Ombudsman
from casework.paging import CappedCountPaginator, showing
from casework.permissions import role_required, staff_required, visible_cases
from casework.selectors import timeline_for_page
from casework.services import DomainError
from casework.views import queue_tools
from complaints.models import Complaint
from ombudsman import forms, selectors, services
from ombudsman.models import InformationRequest, Order, ServiceContribution
from ombudsman.workflow import CASE_WORKFLOW, CONTRIBUTION_WORKFLOW, ORDER_WORKFLOW, REQUEST_WORKFLOW

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
    page = CappedCountPaginator(
        showing(filterset.qs, selectors.LIST_ROW_FIELDS), LIST_PAGE_SIZE, cap=filterset.count_cap
    ).get_page(request.GET.get("page"))
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
            **queue_tools(request, "ombudsman"),
        },
    )


@handler_required
def new(request):
    def find_complaint(reference):
        return visible_cases(request.user, Complaint.objects.all()).filter(reference=reference).first()

    initial = {}
    complaint = find_complaint((request.GET.get("complaint") or "").strip().upper()) if request.GET else None
    if complaint is not None:
        initial = {"complaint_reference": complaint.reference, "ombudsman": complaint.ombudsman}
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
            show_refusal(form, error)
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
            "actions": action_links(CASE_WORKFLOW, case, request.user, lambda name: _action_url(case, name))
            if services.may_handle(request.user)
            else [],
            "information_requests": list(case.information_requests.all()),
            "determination": determination,
            "findings": list(determination.findings.select_related("category", "learning_source__plan"))
            if determination
            else [],
            "orders": list(determination.orders.all()) if determination else [],
            **timeline_for_page(case, request),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )


# --- The case's actions and its items' actions (ombudsman.workflow) ------------------------------------


def _action_url(case, name):
    if name == "record_determination":
        return reverse("ombudsman:determination", args=[case.reference])
    return reverse("ombudsman:action", args=[case.reference, name])


@handler_required
def action(request, reference, name):
    case = _case_or_404(request, reference)
    return action_page(request, workflow=CASE_WORKFLOW, case=case, name=name)


@handler_required
def determination(request, reference):
    return action(request, reference, "record_determination")


@handler_required
def request_action(request, reference, pk, name):
    case = _case_or_404(request, reference)
    item = get_object_or_404(InformationRequest.objects.select_related("case"), pk=pk, case=case)
    return action_page(
        request,
        workflow=REQUEST_WORKFLOW,
        case=item,
        subject=case,
        name=name,
        intro=f"Request for information of {item.received_on:%-d %B %Y}, due {item.due_on:%-d %B %Y}: {item.details}",
    )


@handler_required
def contribution_received(request, reference, pk):
    case = _case_or_404(request, reference)
    contribution = get_object_or_404(
        ServiceContribution.objects.select_related("request__case", "service_area"), pk=pk, request__case=case
    )
    return action_page(
        request,
        workflow=CONTRIBUTION_WORKFLOW,
        case=contribution,
        subject=case,
        name="received",
        title=f"Record {contribution.service_area}'s contribution",
    )


@handler_required
def order_action(request, reference, pk, name):
    case = _case_or_404(request, reference)
    order = get_object_or_404(
        Order.objects.select_related("determination__case", "finding__category"), pk=pk, determination__case=case
    )
    intro = f"{order.get_kind_display()}: {order.get_order_type_display()}"
    intro += f": {order.description}" if order.description else ""
    intro += f", due {order.due_on:%-d %B %Y}" if order.due_on else ""
    return action_page(request, workflow=ORDER_WORKFLOW, case=order, subject=case, name=name, intro=intro)


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


# --- Findings of non-compliance with the Code, annual letters and other reports ------------------------

# Read by those who handle ombudsman cases; recorded by managers and administrators (services.RECORDER_ROLES).
recorder_required = role_required(*services.RECORDER_ROLES)


@handler_required
def non_compliance_list(request):
    return render(
        request,
        "ombudsman/non_compliance_list.html",
        {
            "findings": selectors.non_compliance_findings(),
            "may_record": services.may_record_findings(request.user),
        },
    )


def _finders(user):
    def find_case(reference):
        return selectors.case_for(user, reference)

    def find_complaint(reference):
        return visible_cases(user, Complaint.objects.all()).filter(reference=reference).first()

    return {"find_case": find_case, "find_complaint": find_complaint}


def _non_compliance_initial(finding):
    initial = {
        key: getattr(finding, key)
        for key in (
            "kind",
            "ombudsman",
            "issued_on",
            "ombudsman_reference",
            "finding",
            "code_provisions",
            "council_action",
            "complied_on",
        )
    }
    initial["ombudsman_case_reference"] = finding.ombudsman_case.reference if finding.ombudsman_case else ""
    initial["complaint_reference"] = finding.complaint.reference if finding.complaint else ""
    return initial


@recorder_required
def non_compliance_edit(request, pk=None):
    """Record a complaint handling failure order or notice, or (with `pk`) correct one and add what the
    council did about it."""
    finding = None
    if pk is not None:
        finding = selectors.non_compliance_finding(pk)
        if finding is None:
            raise Http404("No such finding")
    form = forms.NonComplianceForm(
        request.POST or None,
        initial=_non_compliance_initial(finding) if finding else None,
        **_finders(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if finding is None:
                finding = services.record_non_compliance(actor=request.user, **form.service_values())
                messages.success(request, f"{finding.get_kind_display()} recorded.")
            else:
                services.update_non_compliance(finding, actor=request.user, **form.service_values())
                messages.success(request, f"{finding.get_kind_display()} updated.")
        except DomainError as error:
            show_refusal(form, error)
        else:
            return redirect("ombudsman:non-compliance")
    return render(
        request,
        "ombudsman/non_compliance_form.html",
        {"form": form, "finding": finding},
        status=400 if form.errors else 200,
    )


@handler_required
def publication_list(request):
    return render(
        request,
        "ombudsman/publication_list.html",
        {"publications": selectors.publications(), "may_record": services.may_record_findings(request.user)},
    )


@recorder_required
def publication_edit(request, pk=None):
    """Record the Ombudsman's annual letter or another of its reports about the council, or correct one."""
    publication = None
    initial = None
    if pk is not None:
        publication = selectors.publication(pk)
        if publication is None:
            raise Http404("No such letter or report")
        initial = {key: getattr(publication, key) for key in ("kind", "ombudsman", "title", "received_on", "summary")}
        initial["reporting_year"] = publication.year_label
    form = forms.PublicationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if publication is None:
                publication = services.record_publication(
                    actor=request.user, file=form.cleaned_data.get("file"), **form.service_values()
                )
                messages.success(request, f"{publication.get_kind_display()} for {publication.year_label} recorded.")
            else:
                services.update_publication(
                    publication, actor=request.user, file=form.cleaned_data.get("file"), **form.service_values()
                )
                messages.success(request, f"{publication.get_kind_display()} for {publication.year_label} updated.")
        except DomainError as error:
            show_refusal(form, error)
        else:
            return redirect("ombudsman:publications")
    return render(
        request,
        "ombudsman/publication_form.html",
        {"form": form, "publication": publication},
        status=400 if form.errors else 200,
    )


@handler_required
def publication_file(request, pk):
    publication = selectors.publication(pk)
    if publication is None or not publication.file:
        raise Http404("No such file")
    return FileResponse(
        publication.file.open("rb"),
        as_attachment=True,
        filename=publication.file_name or publication.file.name.rsplit("/", 1)[-1],
        content_type=publication.content_type or "application/octet-stream",
    )
