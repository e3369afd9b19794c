"""What complaints hold about a resident, for the retention schedule and the subject access export
(registered in ComplaintsConfig.ready; casework.retention and casework.subject_access read them)."""

from casework import registry
from casework.subject_access import person

REMOVED = "Removed under the retention schedule."


def safeguards(resident):
    from complaints.models import BarredOfficer, ContactRestriction

    rows = [
        ("Officer kept away from your cases", f"{person(barred.officer)}: {barred.reason}")
        for barred in BarredOfficer.objects.filter(resident=resident).select_related("officer")
    ]
    rows += [
        ("Contact restriction", f"{restriction.restriction}: {restriction.reason}")
        for restriction in ContactRestriction.objects.filter(resident=resident)
    ]
    return rows


def sheets(case_ids):
    from complaints.models import ComplaintStage

    stages = ComplaintStage.objects.filter(complaint_id__in=case_ids).select_related("complaint", "handler")
    return [
        (
            "Complaint stages",
            ["Reference", "Stage", "Escalation reason", "Acknowledged", "Handler", "Responded", "Outcome", "Response"],
            [
                [
                    s.complaint.reference,
                    s.name,
                    s.escalation_reason,
                    s.acknowledged_on,
                    person(s.handler),
                    s.responded_on,
                    s.get_outcome_display(),
                    s.response_summary,
                ]
                for s in stages.prefetch_related("points").order_by("complaint__received_on", "number")
            ],
        )
    ]


def register():
    registry.personal_data(
        case_text={
            "complaints.Complaint": {
                "description": REMOVED,
                "outcome_wanted": "",
                "staff_named": "",
                "refusal_details": "",
            },
            "complaints.ServiceRequest": {"description": REMOVED},
        },
        related_text=[
            ("complaints.ComplaintStage", "complaint_id", {"escalation_reason": "", "response_summary": REMOVED}),
            ("complaints.ComplaintPoint", "stage__complaint_id", {"summary": "Point of complaint", "reasons": ""}),
            ("complaints.Remedy", "stage__complaint_id", {"description": ""}),
            ("complaints.ResponseAction", "stage__complaint_id", {"description": "Action"}),
            ("complaints.EscalationRefusal", "complaint_id", {"reason": REMOVED}),
            ("complaints.ExtensionRequest", "stage__complaint_id", {"reason": REMOVED, "decision_reason": ""}),
            (
                "complaints.ResponseDraft",
                "stage__complaint_id",
                {"summary": REMOVED, "points": [], "remedies": [], "actions": [], "letter_text": "", "comment": ""},
            ),
        ],
        resident_text=[
            ("complaints.BarredOfficer", "resident_id", {"reason": REMOVED}),
            ("complaints.ContactRestriction", "resident_id", {"restriction": "Restriction", "reason": REMOVED}),
        ],
    )
    registry.resident_facts(safeguards)
    registry.subject_access(sheets, order=20)
