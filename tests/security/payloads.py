"""A valid body for each POST row of the permissions matrix, so an allowed role gets the row's success code.

Keyed by (URL name, method), or by (URL name, method, last argument) when one URL name carries several actions
(`ombudsman:action` with `assign`, `close`, ...); each value is a function of the world returning (data, kind),
where kind is "form" (a page's form), "multipart" (an upload to the API) or "json" (the API). A POST or PATCH
row with no entry here fails the matrix test."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.world import HOSTILE, OMBUDSMAN_ASKED, pdf_upload


def _today(world):
    return world["today"].isoformat()


def _scheme(kind):
    from complaints.models import ComplaintScheme

    return ComplaintScheme.objects.get(kind=kind)


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


def _days_after(day, days):
    return (day + datetime.timedelta(days=days)).isoformat()


def _determination(world):
    from ombudsman.models import FindingCategory

    return {
        "determined_on": _today(world),
        "summary": f"Determined {HOSTILE}",
        "findings": [
            {
                "complaint_head": f"Repairs {HOSTILE}",
                "category": FindingCategory.objects.get(name="Property condition").pk,
                "outcome": "no_maladministration",
            }
        ],
    }


def _determination_form(world):
    data = _determination(world)
    finding = data["findings"][0]
    form = {
        "determined_on": data["determined_on"],
        "summary": data["summary"],
        "findings-TOTAL_FORMS": "6",
        "findings-INITIAL_FORMS": "0",
        "findings-0-complaint_head": finding["complaint_head"],
        "findings-0-category": finding["category"],
        "findings-0-outcome": finding["outcome"],
        "orders-TOTAL_FORMS": "6",
        "orders-INITIAL_FORMS": "0",
    }
    return form, "form"


# Asked of a service after the ombudsman's request arrived, due before the ombudsman's deadline (25 June 2025).
ASK_SERVICE = {"requested_on": _days_after(OMBUDSMAN_ASKED, 1), "due_on": "2025-06-20", "details": f"Send {HOSTILE}"}
IMPORT_CSV = (
    "reference,stage,date_received,service_area,issue_nature,complaint_type,channel,summary,"
    "resident_first_name,resident_last_name\n"
    f'MATRIX-1,1,03/10/2023,Responsive Repairs,Responsive Repairs (Mears),delay,email,"Imported {HOSTILE}",Ada,Lovelace\n'
)


def _plan_form(world):
    plan = world["learning_plan"]
    return (
        {
            "what_went_wrong": f"Rewritten {HOSTILE}",
            "action_to_address_cause": "Train the contractor",
            "evidence_of_implementation": "Training register",
            "lead_officer": plan.lead_officer_id,
            "due_on": plan.due_on.isoformat(),
        },
        "form",
    )


def _member_of(world, office_name):
    from enquiries.models import Member

    return Member.objects.get(office__name=office_name).pk


PAYLOADS = {
    ("logout", "POST"): lambda w: ({}, "form"),
    # No password step in the world's sessions, and no authenticator app: the code is never checked.
    ("accounts:two-factor", "POST"): lambda w: ({"code": "123456"}, "form"),
    ("accounts:recovery-codes", "POST"): lambda w: ({"code": "123456"}, "form"),
    ("casework:add-note", "POST"): lambda w: ({"body": f"Note {HOSTILE}"}, "form"),
    ("casework:add-attachment", "POST"): lambda w: ({"file": pdf_upload(), "description": "Evidence"}, "form"),
    ("casework:add-link", "POST"): lambda w: (
        {"reference": w["acknowledged_complaint"].reference, "reason": f"Same leak {HOSTILE}"},
        "form",
    ),
    ("casework:remove-link", "POST"): lambda w: ({"reason": f"Not the same leak {HOSTILE}"}, "form"),
    ("casework:notifications-read", "POST"): lambda w: ({}, "form"),
    ("casework:bulk-reassign", "POST"): lambda w: ({"case": [w["complaint"].pk], "handler": w["officer"].pk}, "form"),
    ("casework:bulk-reassign", "POST", "enquiries"): lambda w: (
        {"case": [w["enquiry"].pk], "handler": w["officer"].pk},
        "form",
    ),
    ("casework:save-view", "POST"): lambda w: ({"name": "Stage 2", "query": f"q={HOSTILE}"}, "form"),
    ("casework:delete-view", "POST"): lambda w: ({}, "form"),
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
    # The officer's edited words, downloaded as text (sending is tested in tests/correspondence).
    ("complaints:letter", "POST"): lambda w: ({"text": "Dear resident,\n\nEdited.", "action": "download"}, "form"),
    ("correspondence:template", "POST"): lambda w: (
        {"title": "Acknowledgement", "body": f"Dear {{{{ addressee }}}}, {HOSTILE}", "action": "preview"},
        "form",
    ),
    ("complaints:bar-officer", "POST"): lambda w: ({"officer": w["officer"].pk, "reason": "Lost trust"}, "form"),
    ("complaints:action", "POST"): lambda w: ({"on": _today(w)}, "form"),
    ("enquiries:message", "POST"): lambda w: ({"body": f"Reply {HOSTILE}"}, "form"),
    ("enquiries:action", "POST"): lambda w: ({"on": _today(w)}, "form"),
    ("portal:new", "POST"): lambda w: (
        {
            **_constituent(w),
            "consent_to_share": "yes",
            "member": _member_of(w, "Office of Ours MP"),
            "subject": f"Subject {HOSTILE}",
        },
        "form",
    ),
    ("portal:detail", "POST"): lambda w: ({"body": f"Chasing {HOSTILE}"}, "form"),
    ("online:question", "POST"): lambda w: ({"asked_before": "yes"}, "form"),
    ("reporting:closure-survey", "POST"): lambda w: ({"answer": "very_satisfied"}, "form"),
    # Without answers in the session, nothing to send or remove: back to the start.
    ("online:check", "POST"): lambda w: ({"submission_key": "00000000-0000-0000-0000-000000000001"}, "form"),
    ("online:remove-file", "POST"): lambda w: ({"file": "nothing"}, "form"),
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
        # Agreed before the response deadline (acknowledged 22 April 2025: due 7 May).
        {
            "granted_on": "2025-04-23",
            "reason": "Contractor report awaited",
            "resident_told_on": "2025-04-23",
            "extra_working_days": 5,
        },
        "json",
    ),
    ("complaint-respond", "POST"): lambda w: (
        {"on": _today(w), "summary": "Answered", "points": [{"summary": "Leak", "decision": "upheld"}]},
        "json",
    ),
    ("complaint-draft-response", "POST"): lambda w: (
        {"summary": "Drafted", "points": [{"summary": "Leak", "decision": "upheld"}], "letter_text": ""},
        "json",
    ),
    ("complaint-approve-response", "POST"): lambda w: ({}, "json"),
    ("complaint-send-back-response", "POST"): lambda w: ({"comment": f"Say sorry {HOSTILE}"}, "json"),
    ("complaint-send-response", "POST"): lambda w: ({}, "json"),
    ("complaint-resolve-early", "POST"): lambda w: (
        # Within five working days of receipt (Thursday 17 April 2025, before Easter).
        {"on": "2025-04-22", "decision": "upheld", "summary": "Fixed the same week", "resident_agreed": True},
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
    # No extension is waiting for a decision on the world's complaint, nor is it urgent: a conflict for all.
    ("complaint-approve-extension", "POST"): lambda w: (
        {"approved_on": "2025-04-23", "good_reason": "Surveyor", "resident_told_on": "2025-04-23"},
        "json",
    ),
    ("complaint-decline-extension", "POST"): lambda w: ({"reason": "Not needed"}, "json"),
    ("complaint-flag-urgent", "POST"): lambda w: ({"reason": "safeguarding", "details": HOSTILE}, "json"),
    ("complaint-clear-urgent", "POST"): lambda w: ({"reason": "Resolved"}, "json"),
    ("complaint-change-scheme", "POST"): lambda w: (
        {"scheme": _scheme("childrens_social_care").pk, "reason": "About a child in care, not the home"},
        "json",
    ),
    ("complaint-edit", "POST"): lambda w: (
        {
            "channel": "phone",
            "service_area": w["service_area"].pk,
            "issue_nature": w["issue_nature"].pk,
            "complaint_type": "delay",
            "summary": f"Leak corrected {HOSTILE}",
            "description": HOSTILE,
            "outcome_wanted": "Fix it",
            "reason": "Logged from a phone call in a hurry",
        },
        "json",
    ),
    ("complaint-merge", "POST"): lambda w: (
        {"into": w["acknowledged_complaint"].reference, "reason": f"Phoned twice {HOSTILE}"},
        "json",
    ),
    # The matrix's complaint is not merged, so undoing a merge is refused for its state, for every role allowed.
    ("complaint-unmerge", "POST"): lambda w: ({"reason": f"Not the same complaint {HOSTILE}"}, "json"),
    ("incoming:make-complaint", "POST"): lambda w: (
        {
            "received_on": "2025-04-17",
            "channel": "email",
            "first_name": "Hostile",
            "last_name": "Ours",
            "service_area": w["service_area"].pk,
            "issue_nature": w["issue_nature"].pk,
            "complaint_type": "delay",
            "summary": "Leak",
            "description": HOSTILE,
            "outcome_wanted": "Fix it",
        },
        "form",
    ),
    ("incoming:file-on-case", "POST"): lambda w: ({"reference": w["complaint"].reference}, "form"),
    ("incoming:set-aside", "POST"): lambda w: ({"reason": HOSTILE}, "form"),
    ("incoming:return", "POST"): lambda w: ({}, "form"),
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
    ("enquiry-convert-to-complaint", "POST"): lambda w: (
        {"issue_nature": w["issue_nature"].pk, "complaint_type": "delay", "outcome_wanted": "Fixed"},
        "json",
    ),
    ("enquiry-messages", "POST"): lambda w: ({"body": "We are on it"}, "json"),
    ("enquiry-close", "POST"): lambda w: ({}, "json"),
    ("enquiry-flag-urgent", "POST"): lambda w: ({"reason": "homeless_tonight"}, "json"),
    ("enquiry-clear-urgent", "POST"): lambda w: ({"reason": "Housed"}, "json"),
    ("portal-enquiry-list", "POST"): lambda w: (
        {**_constituent(w), "member": _member_of(w, "Office of Ours MP")},
        "json",
    ),
    ("portal-enquiry-messages", "POST"): lambda w: ({"body": "Any news?"}, "json"),
    # --- Ombudsman cases ---------------------------------------------------------------------------------
    ("ombudsman:new", "POST"): lambda w: (
        {
            "ombudsman": "housing",
            "received_on": "2025-06-02",
            "complaint_reference": w["closed_complaint"].reference,
            "summary": f"Recorded {HOSTILE}",
        },
        "form",
    ),
    ("ombudsman:action", "POST", "assign"): lambda w: ({"handler": w["officer"].pk}, "form"),
    ("ombudsman:action", "POST", "start_assessment"): lambda w: ({"on": _today(w)}, "form"),
    ("ombudsman:action", "POST", "request_information"): lambda w: (
        {"received_on": _today(w), "due_on": _days_after(w["today"], 14), "details": f"Records {HOSTILE}"},
        "form",
    ),
    ("ombudsman:action", "POST", "start_investigation"): lambda w: ({"on": _today(w)}, "form"),
    ("ombudsman:action", "POST", "close"): lambda w: ({"on": _today(w), "reason": "The ombudsman declined it"}, "form"),
    ("ombudsman:determination", "POST"): _determination_form,
    ("ombudsman:request-action", "POST", "ask_service"): lambda w: (
        {**ASK_SERVICE, "service_area": w["service_area"].pk, "officer": w["officer"].pk},
        "form",
    ),
    ("ombudsman:request-action", "POST", "reply"): lambda w: ({"sent_on": _today(w), "summary": "Sent"}, "form"),
    ("ombudsman:request-action", "POST", "extend"): lambda w: (
        {"agreed_on": "2025-06-20", "new_due_on": "2025-07-09", "reason": "Records in storage"},
        "form",
    ),
    ("ombudsman:contribution-received", "POST"): lambda w: ({"received_on": _today(w), "notes": "Sent"}, "form"),
    ("ombudsman:order-action", "POST", "comply"): lambda w: (
        {"complied_on": _today(w), "evidence": f"Apology sent {HOSTILE}"},
        "form",
    ),
    ("ombudsman:order-action", "POST", "evidence_sent"): lambda w: ({"sent_on": _today(w)}, "form"),
    ("ombudsman:non-compliance-new", "POST"): lambda w: (
        {"kind": "failure_notice", "ombudsman": "housing", "issued_on": _today(w), "finding": f"Late {HOSTILE}"},
        "form",
    ),
    ("ombudsman:non-compliance-edit", "POST"): lambda w: (
        {
            "kind": "failure_order",
            "ombudsman": "housing",
            "issued_on": "2025-06-02",
            "finding": "Stage 2 late",
            "ombudsman_case_reference": w["ombudsman_case"].reference,
            "council_action": f"Response sent {HOSTILE}",
        },
        "form",
    ),
    ("ombudsman:publication-new", "POST"): lambda w: (
        {
            "kind": "other",
            "ombudsman": "housing",
            "reporting_year": "2025/26",
            "received_on": _today(w),
            "summary": f"Spotlight report {HOSTILE}",
        },
        "form",
    ),
    ("ombudsman:publication-edit", "POST"): lambda w: (
        {
            "kind": "annual_letter",
            "ombudsman": "housing",
            "reporting_year": "2025/26",
            "received_on": "2025-06-02",
            "summary": "Corrected summary",
        },
        "form",
    ),
    ("reporting:governing-body-response", "POST"): lambda w: (
        {
            "year": "2025/26",
            "governing_body": "Housing Scrutiny Committee",
            "responded_on": _today(w),
            "response": f"Noted {HOSTILE}",
        },
        "form",
    ),
    ("reporting:performance-analysis", "POST"): lambda w: (
        {"year": "2025/26", "analysis": f"Timeliness improved {HOSTILE}"},
        "form",
    ),
    ("ombudsman-case-list", "POST"): lambda w: (
        {"ombudsman": "housing", "received_on": "2025-06-02", "service_area": w["service_area"].pk, "summary": "API"},
        "json",
    ),
    ("ombudsman-case-assign", "POST"): lambda w: ({"handler": w["officer"].pk}, "json"),
    ("ombudsman-case-start-assessment", "POST"): lambda w: ({"on": _today(w)}, "json"),
    ("ombudsman-case-request-information", "POST"): lambda w: (
        {"received_on": _today(w), "due_on": _days_after(w["today"], 14), "details": "Records"},
        "json",
    ),
    ("ombudsman-case-start-investigation", "POST"): lambda w: ({"on": _today(w)}, "json"),
    ("ombudsman-case-determination", "POST"): lambda w: (_determination(w), "json"),
    ("ombudsman-case-close", "POST"): lambda w: ({"on": _today(w), "reason": "The ombudsman declined it"}, "json"),
    ("ombudsman-information-request-ask-service", "POST"): lambda w: (
        {**ASK_SERVICE, "service_area": w["service_area"].pk, "officer": w["officer"].pk},
        "json",
    ),
    ("ombudsman-information-request-reply", "POST"): lambda w: ({"sent_on": _today(w), "summary": "Sent"}, "json"),
    ("ombudsman-information-request-extend", "POST"): lambda w: (
        {"agreed_on": "2025-06-20", "new_due_on": "2025-07-09", "reason": "Records in storage"},
        "json",
    ),
    ("ombudsman-contribution-received", "POST"): lambda w: ({"received_on": _today(w)}, "json"),
    ("ombudsman-order-comply", "POST"): lambda w: ({"complied_on": _today(w), "evidence": "Apology sent"}, "json"),
    ("ombudsman-order-evidence-sent", "POST"): lambda w: ({"sent_on": _today(w)}, "json"),
    # --- Learning ------------------------------------------------------------------------------------------
    ("learning:new-plan", "POST"): lambda w: ({"service_area": w["service_area"].pk, "month": "2025-04"}, "form"),
    ("learning:plan", "POST"): _plan_form,
    ("learning:add-evidence", "POST"): lambda w: ({"file": pdf_upload(), "description": f"Shows {HOSTILE}"}, "form"),
    ("learning:plan-action", "POST", "start"): lambda w: ({}, "form"),
    ("learning:plan-action", "POST", "implement"): lambda w: ({"on": _today(w)}, "form"),
    ("learning:plan-action", "POST", "verify"): lambda w: ({"on": _today(w)}, "form"),
    ("learning:plan-action", "POST", "send_back"): lambda w: ({"reason": "No training register"}, "form"),
    ("learning:commitments", "POST"): lambda w: (
        {"service_area": w["service_area"].pk, "commitment": f"Commit {HOSTILE}"},
        "form",
    ),
    ("learning:carry-over", "POST"): lambda w: ({}, "form"),
    ("learning:commitment", "POST"): lambda w: ({"progress_summary": "Half done", "outcome": "save"}, "form"),
    ("learning:root-cause", "POST"): lambda w: ({"cause": f"Contractor {HOSTILE}"}, "form"),
    ("learning-plan-list", "POST"): lambda w: ({"service_area": w["service_area"].pk, "month": "2025-04-01"}, "json"),
    ("learning-plan-detail", "PATCH"): lambda w: ({"what_went_wrong": "Rewritten"}, "json"),
    ("learning-plan-start", "POST"): lambda w: ({}, "json"),
    ("learning-plan-implement", "POST"): lambda w: ({"on": _today(w)}, "json"),
    ("learning-plan-verify", "POST"): lambda w: ({"on": _today(w)}, "json"),
    ("learning-plan-send-back", "POST"): lambda w: ({"reason": "No training register"}, "json"),
    ("learning-plan-evidence", "POST"): lambda w: ({"file": pdf_upload(), "description": "Register"}, "multipart"),
    ("learning-commitment-list", "POST"): lambda w: (
        {"municipal_year": w["municipal_year"].year, "service_area": w["service_area"].pk, "commitment": "Train"},
        "json",
    ),
    ("learning-commitment-progress", "POST"): lambda w: ({"progress_summary": "Half done"}, "json"),
    ("learning-commitment-complete", "POST"): lambda w: ({"progress_summary": "Done"}, "json"),
    ("learning-commitment-withdraw", "POST"): lambda w: ({"reason": "The contract ended"}, "json"),
    ("learning-commitment-carry-over", "POST"): lambda w: ({"into_year": w["municipal_year"].year}, "json"),
    # --- Imports -------------------------------------------------------------------------------------------
    ("imports:upload", "POST"): lambda w: (
        {
            "kind": "complaints",
            "file": SimpleUploadedFile("complaints.csv", IMPORT_CSV.encode(), content_type="text/csv"),
            "encoding": "utf-8",
        },
        "form",
    ),
    ("imports:confirm", "POST"): lambda w: ({"token": "not-the-pending-one"}, "form"),
}
