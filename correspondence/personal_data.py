"""What a case's correspondence holds about a resident, for the retention schedule and the subject access
export (registered in CorrespondenceConfig.ready)."""

from casework import registry

REMOVED = "Removed under the retention schedule."


def sheets(case_ids):
    from correspondence.models import Letter, OutboundEmail

    letters = Letter.objects.filter(case_id__in=case_ids).select_related("case").order_by("sent_at", "id")
    emails = OutboundEmail.objects.filter(case_id__in=case_ids).select_related("case").order_by("created_at", "id")
    return [
        (
            "Letters",
            ["Reference", "Letter", "Sent", "To", "Address", "Email", "Large print", "Words"],
            [
                [
                    letter.case.reference,
                    letter.title,
                    letter.sent_at,
                    letter.addressee,
                    letter.address,
                    letter.email,
                    "yes" if letter.large_print else "no",
                    letter.body,
                ]
                for letter in letters
            ],
        ),
        (
            "Emails",
            ["Reference", "Subject", "To", "Sent", "Message-ID", "Words"],
            [[e.case.reference, e.subject, e.to, e.sent_at, e.message_id, e.body] for e in emails],
        ),
    ]


def register():
    registry.personal_data(
        related_text=[
            ("correspondence.Letter", "case_id", {"body": REMOVED, "addressee": "", "address": "", "email": ""}),
            ("correspondence.OutboundEmail", "case_id", {"body": REMOVED, "to": ""}),
        ]
    )
    registry.subject_access(sheets, order=40)
