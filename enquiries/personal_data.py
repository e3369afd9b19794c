"""What members' enquiries hold about a resident, for the retention schedule and the subject access export
(registered in EnquiriesConfig.ready; casework.retention and casework.subject_access read them)."""

from casework import registry
from casework.subject_access import local

REMOVED = "Removed under the retention schedule."


def sheets(case_ids):
    from enquiries.models import Enquiry, EnquiryMessage

    enquiries = Enquiry.objects.filter(pk__in=case_ids).select_related("member", "office").order_by("received_on")
    messages = EnquiryMessage.objects.filter(enquiry_id__in=case_ids).select_related("enquiry", "author")
    return [
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
        ),
        (
            "Enquiry messages",
            ["Reference", "When", "From", "Message"],
            [
                [m.enquiry.reference, local(m.created_at), "Member's office" if m.from_office else "Council", m.body]
                for m in messages.order_by("created_at")
            ],
        ),
    ]


def register():
    registry.personal_data(
        case_text={"enquiries.Enquiry": {"description": REMOVED, "constituent_address": "", "response": ""}},
        related_text=[("enquiries.EnquiryMessage", "enquiry_id", {"body": REMOVED})],
    )
    registry.subject_access(sheets, order=10)
