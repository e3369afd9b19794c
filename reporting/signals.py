"""Keep the reports' stored figures (reporting.facts) in step, where the writes happen:

- after every transition and intake of a complaint, once, through the complaint workflow's after-change hook;
- after an edit in the admin of a complaint, its stage, its case row or a property (casework.registry's edit
  hooks, called by the admin's save);
- the optional survey of a closed complaint (reporting.closure_survey) by the same hook;
- imports and generated data, written in bulk, are counted by a task after they commit and by the nightly
  check (reporting.tasks).

The one signal left is on the facts table itself: a stage deleted with its complaint takes its fact row with
it, and the days that row was counted on are summed again."""

from django.db import connection
from django.db.models.signals import post_delete

from casework import registry
from reporting import closure_survey, facts
from reporting.models import ComplaintStageFact


def complaint_changed(complaint, what):
    facts.refresh_complaint(complaint.pk)


def case_edited(case):
    if case.kind == "complaint":
        facts.refresh_complaint(case.pk)


def stage_edited(stage):
    facts.refresh_stage(stage.pk)


def property_edited(home):
    facts.refresh_property(home.pk)


def fact_deleted(sender, instance, **kwargs):
    with connection.cursor() as cursor:
        days = (instance.requested_on, instance.responded_on, instance.acknowledged_on)
        facts.resum_days(cursor, [day for day in days if day])


def connect():
    from complaints.workflow import WORKFLOW

    WORKFLOW.after_change(complaint_changed)
    WORKFLOW.after_change(closure_survey.complaint_changed)
    registry.edit_hook("casework.case", case_edited)
    registry.edit_hook("complaints.complaintstage", stage_edited)
    registry.edit_hook("casework.property", property_edited)
    post_delete.connect(fact_deleted, sender=ComplaintStageFact, dispatch_uid="reporting_fact_deleted")
