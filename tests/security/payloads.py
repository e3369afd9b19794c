"""A valid body for each POST row of the permissions matrix, so an allowed role gets the row's success code.

Keyed by (URL name, method); each value is a function of the world returning (data, kind), where kind is
"form" (a page's form, multipart) or "json" (the API). A POST row with no entry here fails the matrix test."""

from tests.security.world import HOSTILE, pdf_upload


def _today(world):
    return world["today"].isoformat()


def _constituent(world):
    return {
        "enquiry_type": "service_request",
        "service_area": world["service_area"].pk,
        "first_name": "Grace",
        "last_name": "Hopper",
        "address": "2 Compiler Way",
        "postcode": "N1 2AA",
        "consent_to_share": True,
        "description": f"Needs help {HOSTILE}",
    }


def _member_of(world, office_name):
    from enquiries.models import Member

    return Member.objects.get(office__name=office_name).pk


PAYLOADS = {
    ("logout", "POST"): lambda w: ({}, "form"),
    ("casework:add-note", "POST"): lambda w: ({"body": f"Note {HOSTILE}"}, "form"),
    ("casework:add-attachment", "POST"): lambda w: ({"file": pdf_upload(), "description": "Evidence"}, "form"),
    ("casework:notifications-read", "POST"): lambda w: ({}, "form"),
    ("complaints:log", "POST"): lambda w: (
        {
            "received_on": "2025-04-17",
            "channel": "email",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "address": "12 Engine Row",
            "postcode": "E1 6AN",
            "service_area": w["service_area"].pk,
            "issue_nature": w["issue_nature"].pk,
            "complaint_type": "delay",
            "summary": f"Logged {HOSTILE}",
            "description": "Described",
            "outcome_wanted": "Fixed",
        },
        "form",
    ),
    ("complaints:bar-officer", "POST"): lambda w: ({"officer": w["officer"].pk, "reason": "Lost trust"}, "form"),
    ("complaints:action", "POST"): lambda w: ({"on": _today(w)}, "form"),
    ("enquiries:message", "POST"): lambda w: ({"body": f"Reply {HOSTILE}"}, "form"),
    ("enquiries:action", "POST"): lambda w: ({"on": _today(w)}, "form"),
    ("portal:new", "POST"): lambda w: (
        {**_constituent(w), "consent_to_share": "yes", "member": _member_of(w, "Office of Ours MP")},
        "form",
    ),
    ("portal:detail", "POST"): lambda w: ({"body": f"Chasing {HOSTILE}"}, "form"),
    ("notification-mark-read", "POST"): lambda w: ({}, "json"),
    ("complaint-list", "POST"): lambda w: (
        {
            "received_on": "2025-04-17",
            "channel": "email",
            "service_area": w["service_area"].pk,
            "issue_nature": w["issue_nature"].pk,
            "complaint_type": "delay",
            "summary": "Logged over the API",
            "description": "Described",
            "outcome_wanted": "Fixed",
            "resident_details": {"first_name": "Ada", "last_name": "Lovelace"},
        },
        "json",
    ),
    ("complaint-acknowledge", "POST"): lambda w: ({"on": _today(w)}, "json"),
    ("complaint-assign", "POST"): lambda w: ({"handler": w["officer"].pk}, "json"),
    ("complaint-extend", "POST"): lambda w: (
        {
            "granted_on": _today(w),
            "reason": "Contractor report awaited",
            "resident_told_on": _today(w),
            "extra_working_days": 5,
        },
        "json",
    ),
    ("complaint-respond", "POST"): lambda w: (
        {"on": _today(w), "summary": "Answered", "points": [{"summary": "Leak", "decision": "upheld"}]},
        "json",
    ),
    ("complaint-resolve-early", "POST"): lambda w: (
        # Within five working days of receipt (Thursday 17 April 2025, before Easter).
        {"on": "2025-04-22", "summary": "Fixed the same week", "resident_agreed": True},
        "json",
    ),
    ("complaint-withdraw", "POST"): lambda w: ({"on": _today(w), "reason": "Resident withdrew"}, "json"),
    ("complaint-refuse", "POST"): lambda w: (
        {"on": _today(w), "reason": "council_policy", "details": "About the allocations policy itself"},
        "json",
    ),
    ("complaint-escalate", "POST"): lambda w: ({"requested_on": _today(w), "reason": "Unhappy"}, "json"),
    ("complaint-refuse-escalation", "POST"): lambda w: ({"requested_on": _today(w), "reason": "No new issue"}, "json"),
    ("complaint-close", "POST"): lambda w: ({}, "json"),
    ("complaint-reopen", "POST"): lambda w: ({"on": _today(w), "reason": "Closed in error"}, "json"),
    ("service-request-list", "POST"): lambda w: (
        {
            "received_on": "2025-04-17",
            "service_area": w["service_area"].pk,
            "description": "Fix the gutter",
            "channel": "phone",
            "summary": "Gutter",
        },
        "json",
    ),
    ("enquiry-list", "POST"): lambda w: (
        {**_constituent(w), "member": _member_of(w, "Office of Ours MP")},
        "json",
    ),
    ("enquiry-acknowledge", "POST"): lambda w: ({"on": _today(w)}, "json"),
    ("enquiry-assign", "POST"): lambda w: ({"handler": w["officer"].pk}, "json"),
    ("enquiry-respond", "POST"): lambda w: ({"on": _today(w), "text": "Repair booked for Monday"}, "json"),
    ("enquiry-convert", "POST"): lambda w: (
        {"issue_nature": w["issue_nature"].pk, "complaint_type": "delay", "outcome_wanted": "Fixed"},
        "json",
    ),
    ("enquiry-messages", "POST"): lambda w: ({"body": "We are on it"}, "json"),
    ("portal-enquiry-list", "POST"): lambda w: (
        {**_constituent(w), "member": _member_of(w, "Office of Ours MP")},
        "json",
    ),
    ("portal-enquiry-messages", "POST"): lambda w: ({"body": "Any news?"}, "json"),
}
