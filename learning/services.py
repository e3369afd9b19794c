"""Learning from complaints: opening and completing learning action plans, the monthly cycle that opens them,
chasing overdue plans and promised actions, service commitments and their carry-over, and root-cause
reviews of complaints upheld again.

Each change to a plan or commitment is one function here; the steps a plan or a commitment goes through, and
who may take each, are their workflows in `learning.workflow`."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.errors import InvalidInput, NotAllowed
from casework.models import Team
from casework.roles import ALL_CASES_ROLES, roles_of
from casework.services import check_upload, next_reference, notify
from complaints.models import ComplaintStage, ResponseAction, StageOutcome
from learning.models import (
    OPEN_PLAN_STATUSES,
    Chase,
    ChaseKind,
    CommitmentStatus,
    EvidenceFile,
    LearningActionPlan,
    LearningLead,
    LearningSource,
    MunicipalYear,
    PlanOrigin,
    PlanStatus,
    RootCauseReview,
    ServiceCommitment,
    third_wednesday_of_may,
)
from learning.workflow import (
    COMMITMENT_WORKFLOW,
    PLAN_WORKFLOW,
    is_manager,
    may_work_on,
    missing_content,
    record_plan_event,
)
from sla import engine

logger = logging.getLogger(__name__)

UPHELD_OUTCOMES = (StageOutcome.UPHELD, StageOutcome.PARTLY_UPHELD)


def plan_working_days():
    """Working days a lead officer has, from the day the plan is opened, to implement it."""
    return getattr(settings, "LEARNING_PLAN_WORKING_DAYS", 20)


def escalate_after_working_days():
    """Working days a plan may stay overdue before the head of service is told."""
    return getattr(settings, "LEARNING_ESCALATE_AFTER_WORKING_DAYS", 10)


def _format(day):
    return day.strftime("%a %-d %b %Y")


def first_of_month(day):
    return day.replace(day=1)


def previous_month(day):
    return first_of_month(first_of_month(day) - datetime.timedelta(days=1))


def month_end(month):
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


# --- Who may do what (learning.workflow has the rules of each step) ----------------------------------------

PLAN_ACTION_LABELS = {name: transition.label for name, transition in PLAN_WORKFLOW.transitions.items()}


def _lock(plan):
    return LearningActionPlan.objects.select_for_update().get(pk=plan.pk)


def why_not_allowed(plan, action, actor=None):
    return PLAN_WORKFLOW.why_not(plan, action, actor)


def allowed_actions(plan, user):
    return PLAN_WORKFLOW.allowed_names(plan, user)


def _event(plan, kind, summary, actor=None):
    return record_plan_event(plan, kind, summary, actor=actor)


# --- The lead for a service ---------------------------------------------------------------------------


def lead_for(service_area):
    """Who leads a service's learning: the officer an administrator named for it (Learning leads in the
    admin); otherwise the manager of the team that covers the service (the first such team by name with a
    manager); otherwise nobody, and the plan waits in the register for a manager to assign it."""
    named = LearningLead.objects.filter(service_area=service_area, officer__is_active=True).first()
    if named:
        return named.officer
    team = (
        Team.objects.filter(service_areas=service_area, manager__isnull=False, manager__is_active=True)
        .select_related("manager")
        .order_by("name")
        .first()
    )
    return team.manager if team else None


def head_of_service_for(service_area):
    team = (
        Team.objects.filter(service_areas=service_area, head_of_service__isnull=False)
        .select_related("head_of_service")
        .order_by("name")
        .first()
    )
    if team:
        return team.head_of_service
    return get_user_model().objects.filter(officer__is_duty_senior_manager=True, is_active=True).order_by("id").first()


# --- Plans --------------------------------------------------------------------------------------------


def _tell_lead(plan, actor=None):
    if plan.lead_officer is None or (actor is not None and plan.lead_officer_id == actor.pk):
        return None
    complaints = plan.sources.filter(complaint_stage__isnull=False).count()
    findings = plan.sources.filter(finding__isnull=False).count()
    covers = ""
    if complaints:
        covers = f" It covers {complaints} upheld complaint{'s' if complaints != 1 else ''}."
    elif findings:
        covers = f" It covers {findings} ombudsman finding{'s' if findings != 1 else ''} of fault."
    return notify(
        plan.lead_officer,
        f"Learning action plan to complete: {plan.service_area}, {plan.month:%B %Y}",
        f"You are the lead officer for {plan.reference}.{covers} Record what went wrong, the action that "
        f"addresses the cause and the evidence it was implemented, by {_format(plan.due_on)}.",
        kind="learning_plan_assigned",
        url=plan.get_absolute_url(),
    )


@transaction.atomic
def open_plan(*, service_area, month, actor=None, lead_officer=None, due_on=None, complaint_stages=(), today=None):
    """Open a learning action plan by hand (for example for learning outside the monthly cycle)."""
    today = today or timezone.localdate()
    if actor is not None and not (roles_of(actor) & ALL_CASES_ROLES):
        raise PermissionDenied("Only complaints officers and managers may open a learning action plan.")
    month = first_of_month(month)
    if month > first_of_month(today):
        raise InvalidInput("A plan cannot cover a month that has not started.")
    due_on = due_on or engine.add_working_days(today, plan_working_days())
    if due_on < today:
        raise InvalidInput("The timescale cannot be in the past.")
    plan = LearningActionPlan.objects.create(
        reference=next_reference("LAP", today),
        service_area=service_area,
        month=month,
        origin=PlanOrigin.MANUAL,
        lead_officer=lead_officer or lead_for(service_area),
        due_on=due_on,
        opened_on=today,
    )
    for stage in complaint_stages:
        add_complaint_stage(plan, stage, actor=actor)
    _event(plan, "opened", f"Plan opened for {service_area}, {month:%B %Y}; due {_format(due_on)}.", actor)
    _tell_lead(plan, actor)
    return plan


def add_complaint_stage(plan, stage, *, actor=None, note=""):
    """Add an upheld or partly upheld complaint stage of the plan's service to the plan."""
    if stage.outcome not in UPHELD_OUTCOMES:
        raise InvalidInput(f"{stage.complaint.reference} was not upheld at {stage.name.lower()}; nothing to learn.")
    if stage.complaint.service_area_id != plan.service_area_id:
        raise InvalidInput(f"{stage.complaint.reference} is not a complaint about {plan.service_area}.")
    if plan.status == PlanStatus.VERIFIED:
        raise NotAllowed("A verified plan is closed; open a new plan for further learning.")
    existing = LearningSource.objects.filter(complaint_stage=stage).select_related("plan").first()
    if existing:
        if existing.plan_id == plan.pk:
            return existing
        raise NotAllowed(f"{stage.complaint.reference} is already learned from in {existing.plan.reference}.")
    source = LearningSource.objects.create(plan=plan, complaint_stage=stage, note=note[:300])
    _event(plan, "source_added", f"{stage.complaint.reference} ({stage.name}) added to the plan.", actor)
    return source


@transaction.atomic
def open_plan_for_ombudsman_findings(case, findings, *, actor=None, today=None):
    """An ombudsman's findings of fault are a lesson to act on, like an upheld complaint: one plan for the
    case's service, for the month of the determination, learning from each finding not yet in a plan.
    Returns the plan, or None when every finding is already learned from (a determination recorded again)."""
    findings = [f for f in findings if not LearningSource.objects.filter(finding=f).exists()]
    if not findings:
        return None
    today = today or timezone.localdate()
    determined_on = findings[0].determination.determined_on
    due_on = engine.add_working_days(today, plan_working_days())
    plan = LearningActionPlan.objects.create(
        reference=next_reference("LAP", today),
        service_area=case.service_area,
        month=first_of_month(min(determined_on, today)),
        origin=PlanOrigin.OMBUDSMAN,
        lead_officer=lead_for(case.service_area),
        due_on=due_on,
        opened_on=today,
    )
    LearningSource.objects.bulk_create([LearningSource(plan=plan, finding=finding) for finding in findings])
    heads = "; ".join(f"{f.complaint_head} ({f.get_outcome_display().lower()})" for f in findings)
    _event(
        plan,
        "opened",
        f"Opened for the {case.get_ombudsman_display()}'s findings of fault on {case.reference}: {heads}. "
        f"Due {_format(due_on)}.",
        actor,
    )
    _tell_lead(plan, actor)
    return plan


EDITABLE_TEXT = ("what_went_wrong", "action_to_address_cause", "evidence_of_implementation")


@transaction.atomic
def update_plan(plan, *, actor, **changes):
    """Change what the plan says, its lead officer or its timescale. The three texts are for the lead officer
    (and complaints officers and managers); the lead and timescale for complaints officers and managers."""
    plan = _lock(plan)
    unknown = set(changes) - {*EDITABLE_TEXT, "lead_officer", "due_on"}
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if not may_work_on(actor, plan):
        raise PermissionDenied("Only the plan's lead officer, complaints officers and managers may change it.")
    if plan.status == PlanStatus.VERIFIED:
        raise NotAllowed("The evidence has been verified; the plan can no longer be changed.")
    changed = []
    for name in EDITABLE_TEXT:
        if name in changes and (changes[name] or "").strip() != getattr(plan, name):
            setattr(plan, name, (changes[name] or "").strip())
            changed.append(LearningActionPlan._meta.get_field(name).verbose_name)
    if plan.status == PlanStatus.IMPLEMENTED and missing_content(plan):
        raise InvalidInput("An implemented plan must keep what went wrong, the action and the evidence.")
    new_lead = changes.get("lead_officer", plan.lead_officer)
    new_due = changes.get("due_on", plan.due_on)
    reassigned = new_lead != plan.lead_officer
    if (reassigned or new_due != plan.due_on) and not (roles_of(actor) & ALL_CASES_ROLES):
        raise PermissionDenied("Only complaints officers and managers may change the lead officer or timescale.")
    if new_due is None:
        raise InvalidInput("Give the plan a timescale.")
    if new_due != plan.due_on:
        if new_due < plan.opened_on:
            raise InvalidInput("The timescale cannot be before the plan was opened.")
        changed.append(f"timescale (from {_format(plan.due_on)} to {_format(new_due)})")
        plan.due_on = new_due
    if reassigned:
        plan.lead_officer = new_lead
        changed.append(f"lead officer ({new_lead.get_full_name() if new_lead else 'nobody'})")
    if not changed:
        return plan
    plan.save()
    _event(plan, "updated", f"Updated: {', '.join(changed)}.", actor)
    if reassigned:
        _tell_lead(plan, actor)
    return plan


def add_evidence_file(plan, uploaded_file, *, actor, description=""):
    """Attach a document that evidences the learning (checked like every upload: size, type, content)."""
    if not may_work_on(actor, plan):
        raise PermissionDenied("Only the plan's lead officer, complaints officers and managers may add evidence.")
    if plan.status == PlanStatus.VERIFIED:
        raise NotAllowed("The evidence has been verified; the plan can no longer be changed.")
    checked = check_upload(uploaded_file)
    evidence = EvidenceFile(
        plan=plan,
        original_name=checked.name[:255],
        content_type=checked.content_type,
        size_bytes=checked.size,
        description=(description or "")[:200],
        uploaded_by=actor,
    )
    evidence.file.save(checked.name, uploaded_file, save=False)
    evidence.save()
    _event(plan, "evidence_added", f"Evidence added: {checked.name}.", actor)
    return evidence


def start(plan, *, actor):
    return PLAN_WORKFLOW.run(plan, "start", actor=actor)


def implement(plan, *, actor, on=None):
    """The lead officer says the action is in place, with the evidence recorded."""
    return PLAN_WORKFLOW.run(plan, "implement", actor=actor, on=on)


def verify(plan, *, actor, on=None):
    """A manager (not the lead, not whoever marked it implemented) confirms the learning is in place."""
    return PLAN_WORKFLOW.run(plan, "verify", actor=actor, on=on)


def send_back(plan, *, actor, reason):
    return PLAN_WORKFLOW.run(plan, "send_back", actor=actor, reason=reason)


# --- The monthly cycle --------------------------------------------------------------------------------


@dataclass
class CycleResult:
    day: datetime.date
    month: datetime.date | None = None
    skipped: str = ""
    plans_opened: list = field(default_factory=list)
    complaints_added: int = 0
    without_lead: list = field(default_factory=list)
    commitments_carried: int = 0

    def __str__(self):
        if self.skipped:
            return f"{self.day}: no learning cycle ({self.skipped})"
        opened = len(self.plans_opened)
        parts = [
            f"{opened} plan{'s' if opened != 1 else ''} opened for {self.month:%B %Y}",
            f"{self.complaints_added} upheld complaint stage{'s' if self.complaints_added != 1 else ''} added",
        ]
        if self.without_lead:
            parts.append(f"no lead officer for {', '.join(self.without_lead)}")
        if self.commitments_carried:
            parts.append(f"{self.commitments_carried} service commitments carried over")
        return f"{self.day}: " + "; ".join(parts)


def first_working_day_of_month(day):
    return engine.get_calendar().working_day_on_or_after(first_of_month(day))


def run_monthly_cycle(day=None, *, force=False):
    """On the first working day of a month (any day when forced): every service with complaints upheld or
    partly upheld in the month before gets a learning action plan for that month, assigned to its lead, with
    those complaints in it. Safe to run again: one plan per service and month (a unique constraint), and
    a complaint stage is learned from in one plan only, so a second run opens nothing and adds only stages
    recorded since. Also carries over last municipal year's unfinished service commitments once the new
    year has started."""
    day = day or timezone.localdate()
    result = CycleResult(day)
    expected = first_working_day_of_month(day)
    if not force and day != expected:
        result.skipped = f"the learning cycle runs on the first working day of the month, {_format(expected)}"
        return result
    month = previous_month(day)
    result.month = month
    stages = (
        ComplaintStage.objects.filter(
            outcome__in=UPHELD_OUTCOMES,
            responded_on__gte=month,
            responded_on__lte=month_end(month),
            learning_source__isnull=True,
        )
        .select_related("complaint__service_area")
        .order_by("complaint__service_area__name", "responded_on", "id")
    )
    by_area = {}
    for stage in stages:
        by_area.setdefault(stage.complaint.service_area, []).append(stage)
    due_on = engine.add_working_days(day, plan_working_days())
    for area, area_stages in by_area.items():
        plan, created, added = _cycle_plan(area, month, area_stages, day, due_on)
        result.complaints_added += added
        if created:
            result.plans_opened.append(plan.reference)
            if plan.lead_officer is None:
                result.without_lead.append(area.name)
    result.commitments_carried = carry_over_commitments(municipal_year_for(day))
    logger.info("Learning cycle %s", result)
    return result


@transaction.atomic
def _cycle_plan(area, month, stages, day, due_on):
    plan = LearningActionPlan.objects.filter(service_area=area, month=month, origin=PlanOrigin.MONTHLY_CYCLE).first()
    created = False
    if plan is None:
        try:
            with transaction.atomic():
                plan = LearningActionPlan.objects.create(
                    reference=next_reference("LAP", day),
                    service_area=area,
                    month=month,
                    origin=PlanOrigin.MONTHLY_CYCLE,
                    lead_officer=lead_for(area),
                    due_on=due_on,
                    opened_on=day,
                )
                created = True
        except IntegrityError:
            # Another worker opened it first: use theirs (the reference number is simply not used).
            plan = LearningActionPlan.objects.get(service_area=area, month=month, origin=PlanOrigin.MONTHLY_CYCLE)
    # A stage another worker has just added (to this or a manual plan) is left where it is.
    LearningSource.objects.bulk_create(
        [LearningSource(plan=plan, complaint_stage=stage) for stage in stages], ignore_conflicts=True
    )
    added = LearningSource.objects.filter(plan=plan, complaint_stage__in=stages).count()
    references = ", ".join(sorted({stage.complaint.reference for stage in stages}))
    if created:
        _event(
            plan,
            "opened",
            f"Opened by the monthly learning cycle for complaints upheld in {month:%B %Y}: {references}. "
            f"Due {_format(due_on)}.",
        )
        _tell_lead(plan)
    elif added:
        _event(plan, "source_added", f"Added by the monthly learning cycle: {references}.")
    return plan, created, added


# --- Chasing ------------------------------------------------------------------------------------------


@dataclass
class ChaseResult:
    day: datetime.date
    skipped: str = ""
    sent: dict = field(default_factory=dict)

    def __str__(self):
        if self.skipped:
            return f"{self.day}: no chase ({self.skipped})"
        parts = ", ".join(f"{count} {kind}" for kind, count in sorted(self.sent.items())) or "nothing new to chase"
        return f"{self.day}: sent {parts}"


def chase_overdue(day=None, *, force=False):
    """Chase what is overdue on `day`, each once per item, kind and due date:
    - a plan past its timescale, not yet implemented: its lead officer (or, with none, the head of service);
    - a plan still not implemented N working days later: the head of service of the team covering the service
      (or the duty senior manager); N = LEARNING_ESCALATE_AFTER_WORKING_DAYS, default 10;
    - an action promised in a complaint response past its due date and not done: its owner.
    A chase row and its notification are written in one transaction; the unique constraint on the chase
    means a second run, a second worker or a retry sends nothing twice. A moved timescale is chased afresh."""
    day = day or timezone.localdate()
    calendar = engine.get_calendar()
    result = ChaseResult(day)
    if not force and not calendar.is_working_day(day):
        result.skipped = calendar.non_working_reason(day) or "not a working day"
        return result
    overdue = LearningActionPlan.objects.filter(status__in=OPEN_PLAN_STATUSES, due_on__lt=day).select_related(
        "service_area", "lead_officer"
    )
    further = calendar.add_working_days(day, -escalate_after_working_days())
    for plan in overdue:
        late = calendar.working_days_between(plan.due_on, day)
        lead = plan.lead_officer or head_of_service_for(plan.service_area)
        what = f"learning action plan for {plan.service_area}, {plan.month:%B %Y}"
        body = (
            f"{plan.reference} was due {_format(plan.due_on)} and is {late} working day{'s' if late != 1 else ''} "
            "overdue. Record the action and the evidence it was implemented."
        )
        _chase(result, ChaseKind.PLAN_OVERDUE, lead, f"Overdue: {what}", body, plan.get_absolute_url(), day, plan=plan)
        if plan.due_on < further:
            _chase(
                result,
                ChaseKind.PLAN_STILL_OVERDUE,
                head_of_service_for(plan.service_area),
                f"Still overdue: {what}",
                f"{body} Escalated to the head of service.",
                plan.get_absolute_url(),
                day,
                plan=plan,
            )
    actions = ResponseAction.objects.filter(completed_on__isnull=True, due_on__lt=day).select_related(
        "owner", "stage__complaint"
    )
    for item in actions:
        complaint = item.stage.complaint
        _chase(
            result,
            ChaseKind.ACTION_OVERDUE,
            item.owner,
            f"Promised action overdue on {complaint.reference}",
            f"'{item.description}', promised in the {item.stage.name.lower()} response, was due "
            f"{_format(item.due_on)}.",
            complaint.get_absolute_url(),
            day,
            response_action=item,
            case=complaint,
        )
    logger.info("Learning chase %s", result)
    return result


def _chase(result, kind, recipient, subject, body, url, day, *, plan=None, response_action=None, case=None):
    if recipient is None or not recipient.is_active:
        return  # nobody to tell yet; chased once someone is
    due_on = plan.due_on if plan is not None else response_action.due_on
    try:
        with transaction.atomic():
            chase = Chase.objects.create(
                kind=kind, plan=plan, response_action=response_action, due_on=due_on, chased_on=day, recipient=recipient
            )
            chase.notification = notify(recipient, subject, body, kind=f"learning_{kind}", case=case, url=url)
            chase.save(update_fields=["notification"])
    except IntegrityError:
        return  # chased already for this due date
    result.sent[str(kind)] = result.sent.get(str(kind), 0) + 1


# --- Municipal years and service commitments ----------------------------------------------------------


def municipal_year_for(day):
    """The municipal year `day` falls in, recorded if it is not yet (starting on the third Wednesday of May
    until an administrator records the date of that year's annual council meeting)."""
    this_year = MunicipalYear.objects.filter(year=day.year).first()
    start = this_year.starts_on if this_year else third_wednesday_of_may(day.year)
    if day >= start:
        year = this_year
        number = day.year
    else:
        number = day.year - 1
        year = MunicipalYear.objects.filter(year=number).first()
    if year is None:
        year, _ = MunicipalYear.objects.get_or_create(
            year=number, defaults={"starts_on": third_wednesday_of_may(number)}
        )
    return year


def add_commitment(*, municipal_year, service_area, commitment, actor=None, lead_officer=None, plans=()):
    if actor is not None and not (roles_of(actor) & ALL_CASES_ROLES):
        raise PermissionDenied("Only complaints officers and managers may record service commitments.")
    text = (commitment or "").strip()
    if not text:
        raise InvalidInput("Say what the service commits to.")
    item = ServiceCommitment.objects.create(
        municipal_year=municipal_year, service_area=service_area, commitment=text, lead_officer=lead_officer
    )
    if plans:
        item.plans.set(plans)
    return item


def update_progress(commitment, *, actor, progress_summary):
    return COMMITMENT_WORKFLOW.run(commitment, "update_progress", actor=actor, progress_summary=progress_summary)


def complete_commitment(commitment, *, actor, progress_summary=None):
    return COMMITMENT_WORKFLOW.run(commitment, "complete", actor=actor, progress_summary=progress_summary)


def withdraw_commitment(commitment, *, actor, reason):
    return COMMITMENT_WORKFLOW.run(commitment, "withdraw", actor=actor, reason=reason)


@transaction.atomic
def carry_over_commitments(into_year):
    """Carry every commitment of the year before `into_year` that is still in progress into `into_year`: a
    new commitment with the same words, linked to the old one, which is marked carried over and keeps its
    progress summary. Safe to run again: a commitment is carried over once (a one-to-one link)."""
    previous = MunicipalYear.objects.filter(year=into_year.year - 1).first()
    if previous is None:
        return 0
    unfinished = list(
        ServiceCommitment.objects.select_for_update(of=("self",))
        .filter(municipal_year=previous, status=CommitmentStatus.IN_PROGRESS, carried_over_to__isnull=True)
        .order_by("id")
        .prefetch_related("plans")
    )
    for old in unfinished:
        new = ServiceCommitment.objects.create(
            municipal_year=into_year,
            service_area_id=old.service_area_id,
            commitment=old.commitment,
            lead_officer_id=old.lead_officer_id,
            carried_over_from=old,
        )
        new.plans.set(old.plans.all())
        old.status = CommitmentStatus.CARRIED_OVER
        old.save(update_fields=["status", "updated_at"])
    return len(unfinished)


# --- Root-cause analysis ------------------------------------------------------------------------------


def record_root_cause(complaint, *, actor, cause, plan=None):
    """A manager records the root cause behind a complaint upheld again, optionally linking the plan that
    takes it forward."""
    if not is_manager(actor):
        raise PermissionDenied("Only managers record root-cause analysis.")
    if not complaint.repeat_upheld:
        raise NotAllowed(f"{complaint.reference} is not flagged as upheld again within 12 months.")
    cause = (cause or "").strip()
    if not cause:
        raise InvalidInput("Record the root cause found.")
    if plan is not None and plan.service_area_id != complaint.service_area_id:
        raise InvalidInput(f"{plan.reference} is a plan for {plan.service_area}, not {complaint.service_area}.")
    review, _ = RootCauseReview.objects.update_or_create(
        complaint=complaint,
        defaults={"cause": cause, "plan": plan, "reviewed_by": actor, "reviewed_at": timezone.now()},
    )
    return review
