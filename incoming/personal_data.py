"""The emails kept about a case, for the subject access export (registered in IncomingConfig.ready)."""

from casework.subject_access import local


def sheets(case_ids):
    from incoming.models import IncomingEmail

    emails = (
        IncomingEmail.objects.filter(case_id__in=case_ids)
        .select_related("case")
        .prefetch_related("attachments")
        .order_by("received_at", "id")
    )
    return [
        (
            "Emails received",
            ["Reference", "Received", "From", "Subject", "Text", "Files"],
            [
                [
                    email.case.reference,
                    local(email.received_at),
                    email.sender,
                    email.subject,
                    email.body,
                    ", ".join(attachment.original_name for attachment in email.attachments.all()),
                ]
                for email in emails
            ],
        )
    ]
