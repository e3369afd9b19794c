"""What ombudsman cases hold about a resident, for the retention schedule and the subject access export
(registered in OmbudsmanConfig.ready; casework.retention and casework.subject_access read them)."""

from django.db.models import Q

from casework import registry
from casework.subject_access import person

REMOVED = "Removed under the retention schedule."


def sheets(case_ids):
    """The ombudsman cases' requests for information (with each service's contribution), the
    determination's findings, and its orders and recommendations with the compliance recorded."""
    from ombudsman.models import Finding, InformationRequest, NonComplianceFinding, Order, ServiceContribution

    requests = InformationRequest.objects.filter(case_id__in=case_ids).select_related("case", "reply_sent_by")
    contributions = ServiceContribution.objects.filter(request__case_id__in=case_ids).select_related(
        "request__case", "service_area", "officer"
    )
    findings = Finding.objects.filter(determination__case_id__in=case_ids).select_related(
        "determination__case", "category"
    )
    orders = Order.objects.filter(determination__case_id__in=case_ids).select_related("determination__case")
    failures = NonComplianceFinding.objects.filter(
        Q(ombudsman_case_id__in=case_ids) | Q(complaint_id__in=case_ids)
    ).select_related("ombudsman_case", "complaint")
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
                    person(r.reply_sent_by),
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
                    person(c.officer),
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
        (
            "Ombudsman non-compliance",
            ["Ombudsman case", "Complaint", "Issued", "Kind", "What was found", "What the council did", "Complied"],
            [
                [
                    f.ombudsman_case.reference if f.ombudsman_case else "",
                    f.complaint.reference if f.complaint else "",
                    f.issued_on,
                    f.get_kind_display(),
                    f.finding,
                    f.council_action,
                    f.complied_on,
                ]
                for f in failures.order_by("issued_on", "id")
            ],
        ),
    ]


def about_their_complaints(resident):
    """An ombudsman case about one of the resident's complaints, even when it was recorded without them."""
    return Q(ombudsmancase__original_complaint__resident=resident)


def register():
    registry.personal_data(
        # The ombudsman's caseworker is named too; their reference, the dates and the stage stay.
        case_text={"ombudsman.OmbudsmanCase": {"description": REMOVED, "closure_reason": "", "ombudsman_contact": ""}},
        # What was asked and answered, what each service sent, the determination's words. The findings'
        # categories and outcomes, the orders' types, amounts and dates stay for the ombudsman figures.
        related_text=[
            ("ombudsman.InformationRequest", "case_id", {"details": REMOVED, "reply_summary": ""}),
            ("ombudsman.ServiceContribution", "request__case_id", {"details": "", "notes": ""}),
            ("ombudsman.Determination", "case_id", {"summary": ""}),
            ("ombudsman.Finding", "determination__case_id", {"complaint_head": "Head of complaint", "reasons": ""}),
            ("ombudsman.Order", "determination__case_id", {"description": "", "compliance_evidence": ""}),
            # A complaint handling failure order or notice keeps its kind, date and provisions for the annual
            # report; its words, which may name the resident, go with the case they are about.
            ("ombudsman.NonComplianceFinding", "ombudsman_case_id", {"finding": REMOVED, "council_action": ""}),
            ("ombudsman.NonComplianceFinding", "complaint_id", {"finding": REMOVED, "council_action": ""}),
        ],
    )
    registry.subject_access(sheets, order=30)
    registry.cases_about(about_their_complaints)
