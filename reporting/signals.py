"""Refresh the reports' stored figures when what they copy changes (see `reporting.facts`)."""

from django.db import connection
from django.db.models.signals import post_delete, post_save

from casework.models import Case, CaseKind, Property
from complaints.models import Complaint, ComplaintStage
from reporting import facts
from reporting.models import ComplaintStageFact


def stage_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        facts.refresh_stage(instance.pk)


def complaint_saved(sender, instance, raw=False, created=False, **kwargs):
    # A new complaint has no stage yet: its first stage's own save writes the facts.
    if not raw and not created:
        facts.refresh_complaint(instance.pk)


def case_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created and instance.kind == CaseKind.COMPLAINT:
        facts.refresh_complaint(instance.pk)


def property_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        facts.refresh_property(instance.pk)


def fact_deleted(sender, instance, **kwargs):
    with connection.cursor() as cursor:
        facts.resum_days(cursor, [day for day in (instance.requested_on, instance.responded_on) if day])


def connect():
    post_save.connect(stage_saved, sender=ComplaintStage, dispatch_uid="reporting_stage_facts")
    post_save.connect(complaint_saved, sender=Complaint, dispatch_uid="reporting_complaint_facts")
    post_save.connect(case_saved, sender=Case, dispatch_uid="reporting_case_facts")
    post_save.connect(property_saved, sender=Property, dispatch_uid="reporting_property_facts")
    post_delete.connect(fact_deleted, sender=ComplaintStageFact, dispatch_uid="reporting_fact_deleted")
