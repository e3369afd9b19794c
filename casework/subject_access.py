"""A subject access export: everything the council holds on one resident, as one XLSX workbook an
administrator sends under the UK GDPR's right of access. Built with casework.exports, so free text that
looks like a formula stays text.

Sheets: the resident (with representatives and safeguards), their cases (every kind), each case's own
fields, the timeline, notes, attachments (the list; the files are downloaded from the case), enquiries and
their messages, complaint stages, ombudsman cases' requests, contributions, findings and orders. Apps merged
later appear through the case's own fields sheet, which reads each kind's model."""

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from casework.exports import xlsx_bytes
from casework.models import Attachment, Case, CaseAccess, Note, TimelineEvent


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _value(obj, model_field):
    value = getattr(obj, model_field.attname)
    if isinstance(model_field, models.ForeignKey):
        related = getattr(obj, model_field.name)
        return str(related) if related is not None else ""
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if hasattr(value, "tzinfo") and value is not None and getattr(value, "hour", None) is not None:
        return _local(value)
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
    if apps.is_installed("complaints"):
        from complaints.models import BarredOfficer, ContactRestriction

        for barred in BarredOfficer.objects.filter(resident=resident).select_related("officer"):
            about.append(("Officer kept away from your cases", f"{_person(barred.officer)}: {barred.reason}"))
        for restriction in ContactRestriction.objects.filter(resident=resident):
            about.append(("Contact restriction", f"{restriction.restriction}: {restriction.reason}"))
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
                _local(case.closed_at),
                _person(case.assigned_to),
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
            [[e.case.reference, _local(e.occurred_at), _person(e.actor), e.kind, e.summary] for e in timeline],
        ),
        (
            "Notes",
            ["Reference", "When", "By", "Note"],
            [[n.case.reference, _local(n.created_at), _person(n.author), n.body] for n in notes],
        ),
        (
            "Attachments",
            ["Reference", "File name", "Type", "Size (bytes)", "Uploaded", "Description"],
            [
                [a.case.reference, a.original_name, a.content_type, a.size_bytes, _local(a.uploaded_at), a.description]
                for a in attachments
            ],
        ),
    ]
    if apps.is_installed("enquiries"):
        from enquiries.models import Enquiry, EnquiryMessage

        enquiries = Enquiry.objects.filter(pk__in=case_ids).select_related("member", "office").order_by("received_on")
        sheets.append(
            (
                "Enquiries",
                ["Reference", "Member", "Office", "Type", "Received", "Enquiry", "Responded", "Response"],
                [
                    [
                        e.reference,
                        str(e.member),
                        str(e.office),
                        e.get_enquiry_type_display(),
                        e.received_on,
                        e.description,
                        e.responded_on,
                        e.response,
                    ]
                    for e in enquiries
                ],
            )
        )
        messages = EnquiryMessage.objects.filter(enquiry_id__in=case_ids).select_related("enquiry", "author")
        sheets.append(
            (
                "Enquiry messages",
                ["Reference", "When", "From", "Message"],
                [
                    [
                        m.enquiry.reference,
                        _local(m.created_at),
                        "Member's office" if m.from_office else "Council",
                        m.body,
                    ]
                    for m in messages.order_by("created_at")
                ],
            )
        )
    if apps.is_installed("complaints"):
        from complaints.models import ComplaintStage

        stages = ComplaintStage.objects.filter(complaint_id__in=case_ids).select_related("complaint", "handler")
        sheets.append(
            (
                "Complaint stages",
                [
                    "Reference",
                    "Stage",
                    "Escalation reason",
                    "Acknowledged",
                    "Handler",
                    "Responded",
                    "Outcome",
                    "Response",
                ],
                [
                    [
                        s.complaint.reference,
                        s.name,
                        s.escalation_reason,
                        s.acknowledged_on,
                        _person(s.handler),
                        s.responded_on,
                        s.get_outcome_display(),
                        s.response_summary,
                    ]
                    for s in stages.prefetch_related("points").order_by("complaint__received_on", "number")
                ],
            )
        )
    if apps.is_installed("ombudsman"):
        sheets.extend(ombudsman_sheets(case_ids))
    return sheets


def ombudsman_sheets(case_ids):
    """The ombudsman cases' requests for information (with each service's contribution), the
    determination's findings, and its orders and recommendations with the compliance recorded."""
    from ombudsman.models import Finding, InformationRequest, Order, ServiceContribution

    requests = InformationRequest.objects.filter(case_id__in=case_ids).select_related("case", "reply_sent_by")
    contributions = ServiceContribution.objects.filter(request__case_id__in=case_ids).select_related(
        "request__case", "service_area", "officer"
    )
    findings = Finding.objects.filter(determination__case_id__in=case_ids).select_related(
        "determination__case", "category"
    )
    orders = Order.objects.filter(determination__case_id__in=case_ids).select_related("determination__case")
    return [
        (
            "Ombudsman requests",
            ["Reference", "Received", "Due", "What the ombudsman asked", "Reply sent", "By", "Reply"],
            [
                [
                    r.case.reference,
                    r.received_on,
                    r.due_on,
                    r.details,
                    r.reply_sent_on,
                    _person(r.reply_sent_by),
                    r.reply_summary,
                ]
                for r in requests.order_by("received_on", "id")
            ],
        ),
        (
            "Ombudsman contributions",
            ["Reference", "Service", "Officer", "Asked", "Due", "What was asked", "Received", "What was sent"],
            [
                [
                    c.request.case.reference,
                    str(c.service_area),
                    _person(c.officer),
                    c.requested_on,
                    c.due_on,
                    c.details,
                    c.received_on,
                    c.notes,
                ]
                for c in contributions.order_by("requested_on", "id")
            ],
        ),
        (
            "Ombudsman findings",
            ["Reference", "Determined", "Number", "Head of complaint", "Category", "Finding", "Reasons", "Summary"],
            [
                [
                    f.determination.case.reference,
                    f.determination.determined_on,
                    f.number,
                    f.complaint_head,
                    str(f.category),
                    f.get_outcome_display(),
                    f.reasons,
                    f.determination.summary,
                ]
                for f in findings.order_by("determination__determined_on", "number")
            ],
        ),
        (
            "Ombudsman orders",
            ["Reference", "Kind", "Type", "Details", "Amount (pence)", "Due", "Complied", "Evidence", "Sent"],
            [
                [
                    o.determination.case.reference,
                    o.get_kind_display(),
                    o.get_order_type_display(),
                    o.description,
                    o.amount_pence,
                    o.due_on,
                    o.complied_on,
                    o.compliance_evidence,
                    o.evidence_sent_on,
                ]
                for o in orders.order_by("due_on", "id")
            ],
        ),
    ]


def cases_of(resident):
    """Every case about the resident: theirs, and an ombudsman case about one of their complaints even when it
    was recorded without the resident."""
    about = Q(resident=resident)
    if apps.is_installed("ombudsman"):
        about |= Q(ombudsmancase__original_complaint__resident=resident)
    return Case.objects.filter(about).distinct()


def subject_access_export(resident, *, requested_by=None, path=""):
    """The workbook (bytes) of everything held on `resident`. Each case read is written to the access log."""
    cases = list(cases_of(resident).select_related("service_area", "assigned_to").order_by("received_on", "id"))
    case_ids = [case.pk for case in cases]
    if requested_by is not None:
        CaseAccess.objects.bulk_create(
            [CaseAccess(case_id=pk, user=requested_by, via="page", path=path[:300]) for pk in case_ids]
        )
    return xlsx_bytes([*resident_sheets(resident), *case_sheets(cases), *related_sheets(case_ids)])
