"""The learning action plan's workflow and the service commitment's (casework.workflow): what each may go
through, who may take each step, and what it does.

A plan is started and marked implemented by its lead officer (or complaints officers and managers), with what
went wrong, the action that addresses the cause and the evidence recorded; a manager then checks the evidence:
never the plan's lead officer, and never the person who marked it implemented."""

from functools import partial

from django import forms
from django.utils import timezone

from casework.actions import ActionForm
from casework.forms import date_field
from casework.roles import ALL_CASES_ROLES, Role, has_role, roles_of
from casework.services import notify
from casework.workflow import Done, Transition, Workflow, require_input
from casework.workflow import name_of as _name
from casework.workflow import say_day as _format
from learning.models import CommitmentStatus, LearningActionPlan, PlanEvent, PlanStatus, ServiceCommitment

P = PlanStatus


def is_manager(user):
    return has_role(user, Role.MANAGER, Role.ADMINISTRATOR)


def may_work_on(user, plan):
    """The plan's lead officer, complaints officers, managers and administrators may write the plan."""
    return bool(user and (plan.lead_officer_id == user.pk or roles_of(user) & ALL_CASES_ROLES))


def _and_list(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- Inputs -------------------------------------------------------------------------------------------


class StartForm(ActionForm):
    pass


class ImplementForm(ActionForm):
    on = date_field("Date implemented", required=False)


class VerifyForm(ActionForm):
    on = date_field("Date verified", required=False)


class SendBackForm(ActionForm):
    reason = forms.CharField(
        label="What evidence is missing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what evidence is missing."},
    )


# --- Rules --------------------------------------------------------------------------------------------


def missing_content(plan):
    return [
        label
        for label, value in (
            ("what went wrong", plan.what_went_wrong),
            ("the action to address the cause", plan.action_to_address_cause),
            ("the evidence that confirms the learning was implemented", plan.evidence_of_implementation),
        )
        if not (value or "").strip()
    ]


def _content_complete(past):
    def guard(plan, actor):
        missing = missing_content(plan)
        if missing:
            return f"Record {_and_list(missing)} before the plan is {past}."
        return None

    return guard


def _worker(plan, actor):
    if not may_work_on(actor, plan):
        return "Only the plan's lead officer, complaints officers and managers may change it."
    return None


def _checker(plan, actor):
    if not is_manager(actor):
        return "Only a manager may verify the evidence or send a plan back."
    return None


def _independent_verifier(plan, actor):
    denied = _checker(plan, actor)
    if denied:
        return denied
    if plan.lead_officer_id == actor.pk:
        return "The lead officer cannot verify their own plan's evidence; another manager must."
    if plan.implemented_by_id == actor.pk:
        return "Whoever marked the plan implemented cannot verify it; another manager must."
    return None


def _check_dated(plan, data, actor, problems):
    on = data.get("on")
    if on is not None and on > timezone.localdate():
        problems.add("on", "The date cannot be in the future.")
    elif on is not None and plan.implemented_on and plan.status == P.IMPLEMENTED and on < plan.implemented_on:
        problems.add("on", "The evidence cannot be verified before the plan was implemented.")


def _check_send_back(plan, data, actor, problems):
    require_input(data, "reason", "Say what evidence is missing.", problems)


# --- What each step does ------------------------------------------------------------------------------


def _start(plan, *, actor):
    plan.status = P.IN_PROGRESS
    plan.save(update_fields=["status", "updated_at"])
    return Done("Work on the plan started.", event="started")


def verifiers(plan, actor):
    """The managers who verify a plan: the service's team managers and heads of service, not the person
    who marked it implemented, nor its lead officer."""
    from django.contrib.auth import get_user_model

    from casework.models import Team

    teams = Team.objects.filter(service_areas=plan.service_area)
    ids = {pk for pair in teams.values_list("manager_id", "head_of_service_id") for pk in pair if pk}
    ids.discard(actor.pk if actor else None)
    ids.discard(plan.lead_officer_id)
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


def _implement(plan, *, actor, on=None):
    """The lead officer says the action is in place, with the evidence recorded."""
    on = on or timezone.localdate()
    plan.status = P.IMPLEMENTED
    plan.implemented_on = on
    plan.implemented_by = actor
    plan.save(update_fields=["status", "implemented_on", "implemented_by", "updated_at"])
    for manager in verifiers(plan, actor):
        notify(
            manager,
            f"Learning evidence to verify: {plan.reference}",
            f"{plan.service_area}, {plan.month:%B %Y}: the lead officer says the learning is in place. "
            "Check the evidence and verify it or send the plan back.",
            kind="learning_plan_implemented",
            url=plan.get_absolute_url(),
        )
    late = " (after its timescale)" if on > plan.due_on else ""
    return Done(f"Marked implemented on {_format(on)}{late}; evidence to verify.", event="implemented")


def _verify(plan, *, actor, on=None):
    """A manager checks the evidence and confirms the learning was implemented; the plan is then closed."""
    on = on or timezone.localdate()
    plan.status = P.VERIFIED
    plan.verified_on = on
    plan.verified_by = actor
    plan.save(update_fields=["status", "verified_on", "verified_by", "updated_at"])
    if plan.lead_officer and plan.lead_officer_id != actor.pk:
        notify(
            plan.lead_officer,
            f"Learning evidence verified: {plan.reference}",
            f"{_name(actor)} verified the evidence for {plan.reference}.",
            kind="learning_plan_verified",
            url=plan.get_absolute_url(),
        )
    return Done(f"Evidence verified on {_format(on)}.", event="verified")


def _send_back(plan, *, actor, reason):
    """A manager finds the evidence does not show the learning is in place: back to the lead officer."""
    reason = reason.strip()
    plan.status = P.IN_PROGRESS
    plan.implemented_on = None
    plan.implemented_by = None
    plan.save(update_fields=["status", "implemented_on", "implemented_by", "updated_at"])
    if plan.lead_officer and plan.lead_officer_id != actor.pk:
        notify(
            plan.lead_officer,
            f"More evidence needed: {plan.reference}",
            reason,
            kind="learning_plan_sent_back",
            url=plan.get_absolute_url(),
        )
    return Done(f"Sent back for more evidence: {reason}", event="sent_back")


def record_plan_event(plan, kind, summary, *, actor=None, data=None, visible_to_member=False):
    return PlanEvent.objects.create(
        plan=plan, kind=kind, summary=summary, actor=actor if actor is not None and actor.is_authenticated else None
    )


# Each step's page shows what the plan says (the evidence a manager checks).
Step = partial(Transition, page_template="learning/plan_action.html")

PLAN_WORKFLOW = Workflow(
    noun="plan",
    transitions=[
        Step("start", "Start work on the plan", "started", frozenset({P.NOT_STARTED}), _start, form=StartForm,
                   who=_worker, done="Work on the plan started."),
        Step(
            "implement", "Mark as implemented", "marked implemented", frozenset({P.NOT_STARTED, P.IN_PROGRESS}),
            _implement, form=ImplementForm, check=_check_dated, guards=(_content_complete("marked implemented"),),
            who=_worker, done="Plan marked implemented; a manager will verify the evidence.",
        ),
        Step(
            "verify", "Verify the evidence", "verified", frozenset({P.IMPLEMENTED}), _verify, form=VerifyForm,
            check=_check_dated, guards=(_content_complete("verified"),), who=_independent_verifier,
            done="Evidence verified; the plan is complete.",
        ),
        Step(
            "send_back", "Send back for more evidence", "sent back", frozenset({P.IMPLEMENTED}), _send_back,
            form=SendBackForm, check=_check_send_back, who=_checker, warning=True,
            done="Plan sent back to the lead officer.",
        ),
    ],
    lock=lambda plan: LearningActionPlan.objects.select_for_update().get(pk=plan.pk),
    record=record_plan_event,
    status_label=lambda plan: PlanStatus(plan.status).label.lower(),
)  # fmt: skip


# --- Service commitments ------------------------------------------------------------------------------


def _commitment_worker(commitment, actor):
    if not (roles_of(actor) & ALL_CASES_ROLES or commitment.lead_officer_id == actor.pk):
        return "Only the commitment's lead officer, complaints officers and managers may change it."
    return None


def _update_progress(commitment, *, actor, progress_summary):
    commitment.progress_summary = (progress_summary or "").strip()
    commitment.save(update_fields=["progress_summary", "updated_at"])
    return Done(None)


def _check_complete(commitment, data, actor, problems):
    # An empty summary keeps the one already recorded.
    if not (data.get("progress_summary") or commitment.progress_summary or "").strip():
        problems.add("progress_summary", "Summarise the progress that completed the commitment.")


def _complete(commitment, *, actor, progress_summary=None):
    if (progress_summary or "").strip():
        commitment.progress_summary = progress_summary.strip()
    commitment.status = CommitmentStatus.COMPLETED
    commitment.save(update_fields=["progress_summary", "status", "updated_at"])
    return Done(None)


def _check_withdraw(commitment, data, actor, problems):
    require_input(data, "reason", "Say why the commitment is withdrawn.", problems)


def _withdraw(commitment, *, actor, reason):
    commitment.progress_summary = f"{commitment.progress_summary}\n\nWithdrawn: {reason.strip()}".strip()
    commitment.status = CommitmentStatus.WITHDRAWN
    commitment.save(update_fields=["progress_summary", "status", "updated_at"])
    return Done(None)


class ProgressInput(ActionForm):
    progress_summary = forms.CharField(label="Progress summary", required=False, widget=forms.Textarea)


class CompleteInput(ActionForm):
    progress_summary = forms.CharField(label="Progress summary", required=False, widget=forms.Textarea)


class WithdrawInput(ActionForm):
    reason = forms.CharField(label="Why it is withdrawn", widget=forms.Textarea)


OPEN_COMMITMENT = frozenset({CommitmentStatus.IN_PROGRESS})
COMMITMENT_WORKFLOW = Workflow(
    noun="commitment",
    transitions=[
        Transition("update_progress", "Update progress", "changed; it is closed for this year", OPEN_COMMITMENT,
                   _update_progress, form=ProgressInput, who=_commitment_worker, api_path="progress"),
        Transition("complete", "Complete", "changed; it is closed for this year", OPEN_COMMITMENT, _complete,
                   form=CompleteInput, check=_check_complete, who=_commitment_worker),
        Transition("withdraw", "Withdraw", "changed; it is closed for this year", OPEN_COMMITMENT, _withdraw,
                   form=WithdrawInput, check=_check_withdraw, who=_commitment_worker),
    ],
    lock=lambda item: ServiceCommitment.objects.select_for_update().get(pk=item.pk),
    record=lambda *args, **kwargs: None,
    status_label=lambda item: CommitmentStatus(item.status).label.lower(),
)  # fmt: skip
