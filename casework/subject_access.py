"""A subject access export: everything the council holds on one resident, as one XLSX workbook an
administrator sends under the UK GDPR's right of access. Built with casework.exports, so free text that
looks like a formula stays text.

Sheets: the resident (with representatives, and the safeguards the apps record), their cases (every kind),
each case's own fields, the timeline, notes, attachments (the list; the files are downloaded from the case),
and the sheets each app registers for its own records (casework.registry.subject_access): enquiries and their
messages, complaint stages, ombudsman cases' requests, contributions, findings and orders; and the officers' saved
views that name the resident (casework.saved_view_subjects)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from casework import registry, saved_view_subjects
from casework.exports import xlsx_bytes
from casework.models import Attachment, Case, CaseAccess, Note, TimelineEvent


def person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _value(obj, model_field):
    value = getattr(obj, model_field.attname)
    if isinstance(model_field, models.ForeignKey):
        related = getattr(obj, model_field.name)
        return str(related) if related is not None else ""
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if hasattr(value, "tzinfo") and value is not None and getattr(value, "hour", None) is not None:
        return local(value)
    if model_field.choices and value:
        return dict(model_field.flatchoices).get(value, value)
    return value


def resident_sheets(resident):
    about = [("Field", "Value")]
    for model_field in resident._meta.concrete_fields:
        if model_field.name in ("id",):
            continue
        about.append((model_field.verbose_name.capitalize(), _value(resident, model_field)))
    for representative in resident.representatives.all():
        about.append(
            (
                "Representative",
                f"{representative.name} ({representative.relationship}); {representative.organisation} "
                f"{representative.email} {representative.phone} {representative.address}".strip(),
            )
        )
    for provider in registry.resident_fact_providers():  # safeguards and the like, from the apps that hold them
        about.extend(provider(resident))
    return [("Resident", about[0], about[1:])]


def case_sheets(cases):
    summary_rows, detail_rows = [], []
    for case in cases:
        summary_rows.append(
            [
                case.reference,
                case.get_kind_display(),
                case.get_status_display(),
                case.summary,
                str(case.service_area),
                case.received_on,
                local(case.closed_at),
                person(case.assigned_to),
            ]
        )
        specific = case.specific()
        for model_field in specific._meta.concrete_fields:
            if model_field.primary_key or (
                isinstance(model_field, models.OneToOneField) and model_field.remote_field.parent_link
            ):
                continue
            value = _value(specific, model_field)
            if value in ("", None, [], {}):
                continue
            detail_rows.append([case.reference, str(model_field.verbose_name), value])
    return [
        (
            "Cases",
            ["Reference", "Kind", "Status", "Summary", "Service area", "Received", "Closed", "Handled by"],
            summary_rows,
        ),
        ("Case details", ["Reference", "Field", "Value"], detail_rows),
    ]


def related_sheets(case_ids):
    timeline = TimelineEvent.objects.filter(case_id__in=case_ids).select_related("case", "actor")
    notes = Note.objects.filter(case_id__in=case_ids).select_related("case", "author").order_by("created_at")
    attachments = Attachment.objects.filter(case_id__in=case_ids).select_related("case").order_by("uploaded_at")
    sheets = [
        (
            "Timeline",
            ["Reference", "When", "By", "What", "Summary"],
            [[e.case.reference, local(e.occurred_at), person(e.actor), e.kind, e.summary] for e in timeline],
        ),
        (
            "Notes",
            ["Reference", "When", "By", "Note"],
            [[n.case.reference, local(n.created_at), person(n.author), n.body] for n in notes],
        ),
        (
            "Attachments",
            ["Reference", "File name", "Type", "Size (bytes)", "Uploaded", "Description"],
            [
                [a.case.reference, a.original_name, a.content_type, a.size_bytes, local(a.uploaded_at), a.description]
                for a in attachments
            ],
        ),
    ]
    for app_sheets in registry.subject_access_sheets():  # each app's own records (enquiries, stages, ...)
        sheets.extend(app_sheets(case_ids))
    return sheets


def cases_of(resident):
    """Every case about the resident: theirs, and an ombudsman case about one of their complaints even when it
    was recorded without the resident."""
    about = Q(resident=resident)
    for provider in registry.cases_about_providers():
        about |= provider(resident)
    return Case.objects.filter(about).distinct()


def subject_access_export(resident, *, requested_by=None, path=""):
    """The workbook (bytes) of everything held on `resident`. Each case read is written to the access log."""
    cases = list(cases_of(resident).select_related("service_area", "assigned_to").order_by("received_on", "id"))
    case_ids = [case.pk for case in cases]
    if requested_by is not None:
        CaseAccess.objects.bulk_create(
            [CaseAccess(case_id=pk, user=requested_by, via="page", path=path[:300]) for pk in case_ids]
        )
    views = saved_view_subjects.views_naming([resident], {resident.pk: [case.reference for case in cases]})
    return xlsx_bytes(
        [*resident_sheets(resident), *case_sheets(cases), *related_sheets(case_ids), saved_views_sheet(views)]
    )


def saved_views_sheet(views):
    """The officers' saved views whose search or name identifies the resident (casework.saved_view_subjects)."""
    rows = [
        [person(view.owner), view.team.name if view.team else "", view.queue, view.name, view.query]
        for found in views.values()
        for view in found
    ]
    return ("Saved views", ["Saved by", "Shared with team", "Queue", "Name", "Filter"], rows)
