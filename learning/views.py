"""Learning pages: the register, the printable plans, a plan and its actions, service commitments, and the
managers' list of complaints upheld again. Views parse input, call a service or a selector, and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.actions import action_links, action_page
from casework.errors import DomainError, Forbidden
from casework.models import Case
from casework.permissions import can_see_case, role_required, staff_required, visible_cases
from casework.roles import ALL_CASES_ROLES, Role, roles_of
from complaints.models import Complaint
from learning import forms, selectors, services
from learning.filters import months_of
from learning.models import EvidenceFile, LearningActionPlan, ServiceCommitment
from learning.workflow import PLAN_WORKFLOW

PAGE_SIZE = 50
MANAGERS = (Role.MANAGER, Role.ADMINISTRATOR)


def _plan_or_404(request, reference):
    plan = selectors.plan_for(reference, request.user)
    if plan is None:
        raise Http404("No such learning action plan")
    return plan


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_required
def register(request):
    filterset = selectors.register(request.GET, request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/register.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without_page(request),
            "today": timezone.localdate(),
            "may_open": bool(roles_of(request.user) & ALL_CASES_ROLES),
            "awaiting_root_cause": selectors.awaiting_root_cause_count() if services.is_manager(request.user) else 0,
        },
    )


@staff_required
def print_plans(request):
    """Seed 002 figure 1: what went wrong, the action, the evidence; with lead officer, timescale and status."""
    plans = selectors.plans_for_print(request.GET, request.user)
    filterset = selectors.register(request.GET, request.user)
    return render(request, "learning/print.html", {"plans": plans, "filter": filterset})


@staff_required
def print_plan(request, reference):
    plan = _plan_or_404(request, reference)
    return render(request, "learning/print.html", {"plans": [plan], "single": True})


@staff_required
def new_plan(request):
    if not roles_of(request.user) & ALL_CASES_ROLES:
        raise PermissionDenied("Only complaints officers and managers may open a learning action plan.")
    form = forms.NewPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.open_plan(
                service_area=data["service_area"],
                month=data["month"],
                actor=request.user,
                lead_officer=data["lead_officer"],
                due_on=data["due_on"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Learning action plan {plan.reference} opened.")
            return redirect(plan.get_absolute_url())
    return render(request, "learning/new_plan.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def plan_detail(request, reference):
    plan = _plan_or_404(request, reference)
    may_edit = services.may_work_on(request.user, plan) and plan.status != services.PlanStatus.VERIFIED
    may_reassign = bool(roles_of(request.user) & ALL_CASES_ROLES)
    form = forms.PlanForm.for_plan(plan, request.POST if request.method == "POST" else None, may_reassign=may_reassign)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("You may not change this plan.")
        status = 400
        if form.is_valid():
            try:
                services.update_plan(plan, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, "Plan saved.")
                return redirect(plan.get_absolute_url())
    learned_from = Case.objects.filter(
        Q(complaint__stages__learning_source__plan=plan)
        | Q(ombudsmancase__determination__findings__learning_source__plan=plan)
    )
    visible = set(visible_cases(request.user, learned_from).values_list("pk", flat=True))
    return render(
        request,
        "learning/plan.html",
        {
            "plan": plan,
            "form": form,
            "may_edit": may_edit,
            "evidence_form": forms.EvidenceForm(),
            "actions": action_links(
                PLAN_WORKFLOW, plan, request.user, lambda name: reverse("learning:plan-action", args=[reference, name])
            ),
            "waiting_for": _waiting_for(plan, request.user),
            "visible_complaints": visible,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _waiting_for(plan, user):
    """Why the next step is not offered, so nobody is left guessing (evidence missing, another manager)."""
    for action in ("implement", "verify"):
        if plan.status in PLAN_WORKFLOW[action].allowed_from:
            return PLAN_WORKFLOW.why_not(plan, action, user)
    return None


@staff_required
def plan_action(request, reference, name):
    plan = _plan_or_404(request, reference)
    return action_page(request, workflow=PLAN_WORKFLOW, case=plan, name=name)


@staff_required
@require_POST
def add_evidence(request, reference):
    plan = _plan_or_404(request, reference)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence_file(
                plan, form.cleaned_data["file"], actor=request.user, description=form.cleaned_data["description"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Evidence uploaded.")
    else:
        messages.error(request, "Choose a file to upload.")
    return redirect(plan.get_absolute_url() + "#evidence")


@staff_required
def download_evidence(request, pk):
    # A plan's evidence is read by those who may read the plan.
    evidence = get_object_or_404(
        EvidenceFile, pk=pk, plan__in=selectors.visible_plans(request.user, LearningActionPlan.objects.all())
    )
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


# --- Service commitments ------------------------------------------------------------------------------


@staff_required
def commitments(request):
    data = request.GET.copy()
    current = services.municipal_year_for(timezone.localdate())
    if not data.get("year"):
        data["year"] = str(current.year)
    filterset = selectors.commitments(data)
    year = filterset.form.cleaned_data.get("year") if filterset.is_valid() else None
    year = year or current
    may_record = bool(roles_of(request.user) & ALL_CASES_ROLES)
    area = filterset.form.cleaned_data.get("service_area") if filterset.is_valid() else None
    form = forms.CommitmentForm(request.POST or None, initial={"service_area": area}, plans=_plans_of_year(year, area))
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("Only complaints officers and managers may record service commitments.")
        if form.is_valid():
            services.add_commitment(
                municipal_year=year,
                service_area=form.cleaned_data["service_area"],
                commitment=form.cleaned_data["commitment"],
                lead_officer=form.cleaned_data["lead_officer"],
                plans=form.cleaned_data.get("plans") or (),
                actor=request.user,
            )
            messages.success(request, f"Commitment recorded for {year.label}.")
            return redirect(f"{reverse('learning:commitments')}?{data.urlencode()}")
    items = filterset.qs if filterset.is_valid() else ServiceCommitment.objects.none()
    return render(
        request,
        "learning/commitments.html",
        {
            "filter": filterset,
            "year": year,
            "commitments": items,
            "progress": selectors.commitment_progress(items),
            "form": form,
            "may_record": may_record,
            "may_carry_over": services.is_manager(request.user),
            "query": data.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _plans_of_year(year, area):
    """Plans of this municipal year and the one before: last year's lessons feed this year's commitments."""
    first, next_first = months_of(year)
    plans = selectors.plans_queryset().filter(month__gte=first.replace(year=first.year - 1), month__lt=next_first)
    return plans.filter(service_area=area) if area else plans


@staff_required
def commitment(request, pk):
    item = get_object_or_404(ServiceCommitment.objects.select_related("municipal_year", "service_area"), pk=pk)
    form = forms.ProgressForm(request.POST or None, initial={"progress_summary": item.progress_summary})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            summary, outcome = form.cleaned_data["progress_summary"], form.cleaned_data["outcome"]
            try:
                if outcome == "complete":
                    services.complete_commitment(item, actor=request.user, progress_summary=summary)
                elif outcome == "withdraw":
                    services.withdraw_commitment(item, actor=request.user, reason=summary)
                else:
                    services.update_progress(item, actor=request.user, progress_summary=summary)
            except Forbidden:
                raise  # who may change it is a 403, not a message on the form
            except DomainError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, "Progress saved.")
                return redirect(
                    f"{reverse('learning:commitments')}?year={item.municipal_year.year}&service_area={item.service_area_id}"
                )
    return render(request, "learning/commitment.html", {"item": item, "form": form}, status=status)


@role_required(*MANAGERS)
@require_POST
def carry_over(request):
    year = services.municipal_year_for(timezone.localdate())
    carried = services.carry_over_commitments(year)
    messages.success(
        request, f"{carried} unfinished commitment{'s' if carried != 1 else ''} carried over into {year.label}."
    )
    return redirect(f"{reverse('learning:commitments')}?year={year.year}")


# --- Complaints upheld again --------------------------------------------------------------------------


@role_required(*MANAGERS)
def repeat_upheld(request):
    filterset = selectors.repeat_upheld(request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/repeat_upheld.html",
        {"filter": filterset, "page": page, "query": _query_without_page(request)},
    )


@role_required(*MANAGERS)
def root_cause(request, reference):
    complaint = get_object_or_404(Complaint.objects.select_related("service_area"), reference=reference)
    if not complaint.repeat_upheld or not can_see_case(request.user, complaint):
        raise Http404("Not a complaint upheld again")
    existing = getattr(complaint, "root_cause", None)
    initial = {"cause": existing.cause, "plan": existing.plan_id} if existing else {}
    form = forms.RootCauseForm(request.POST or None, complaint=complaint, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_root_cause(
                complaint, actor=request.user, cause=form.cleaned_data["cause"], plan=form.cleaned_data["plan"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Root cause recorded for {complaint.reference}.")
            return redirect("learning:repeat-upheld")
    matches = complaint.repeat_matches.select_related("earlier__issue_nature").order_by("-earlier__received_on")
    return render(
        request,
        "learning/root_cause.html",
        {"complaint": complaint, "form": form, "matches": matches},
        status=400 if form.errors else 200,
    )
