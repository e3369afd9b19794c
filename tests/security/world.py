"""The objects the permissions matrix names: for each kind of case, one inside the investigating officer's
service area and the portal user's office ("ours"), and one outside both ("other_*"). Free text everywhere
carries HOSTILE, so every page the matrix opens also shows whether it escapes what residents type."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework import services as casework_services
from casework.reference_data import load_reference_data
from casework.roles import Role
from complaints import services as complaint_services
from complaints.models import StageOutcome
from enquiries import services as enquiry_services
from learning import services as learning_services
from ombudsman import services as ombudsman_services
from ombudsman.models import FindingCategory
from reporting.monthly import store_report
from tests.factories import (
    IssueNatureFactory,
    ResidentFactory,
    ServiceAreaFactory,
    TeamFactory,
    UserFactory,
    api_token,
    log_complaint,
    make_office,
    portal_user,
)

HOSTILE = '<script>alert("hostile")</script><img src=x onerror=alert(1)>'
RECEIVED = datetime.date(2025, 4, 17)
ACKNOWLEDGED = datetime.date(2025, 4, 22)
RESPONDED = datetime.date(2025, 4, 29)
UPHELD_AGAIN = datetime.date(2025, 5, 6)
OMBUDSMAN_ASKED = datetime.date(2025, 6, 4)
OMBUDSMAN_DUE = datetime.date(2025, 6, 25)
DETERMINED = datetime.date(2025, 7, 1)

ROLES = {
    "complaints officer": Role.COMPLAINTS_OFFICER,
    "investigating officer": Role.INVESTIGATING_OFFICER,
    "manager": Role.MANAGER,
    "administrator": Role.ADMINISTRATOR,
    "member portal": Role.MEMBER_PORTAL,
    "anonymous": None,
}
# Roles whose view is narrowed: the matrix test asks them for the other service's and office's cases too.
NARROWED = {"investigating officer", "member portal"}

# For each world object naming a case, the case outside the narrowed roles' reach that stands beside it.
COUNTERPARTS = {
    "complaint": "other_complaint",
    "acknowledged_complaint": "other_complaint",
    "responded_complaint": "other_complaint",
    "drafted_complaint": "other_complaint",
    "approved_complaint": "other_complaint",
    "closed_complaint": "other_complaint",
    "service_request": "other_service_request",
    "enquiry": "other_enquiry",
    "complaint_enquiry": "other_enquiry",
    "attachment": "other_attachment",
    "resident": "other_resident",
    "ombudsman_case": "other_ombudsman_case",
    "assessed_ombudsman_case": "other_ombudsman_case",
    "requested_ombudsman_case": "other_ombudsman_case",
    "information_request": "other_information_request",
    "contribution": "other_contribution",
    "determined_ombudsman_case": "other_determined_ombudsman_case",
    "order": "other_order",
    "complied_order": "other_order",
    "learning_plan": "other_learning_plan",
    "implemented_plan": "other_learning_plan",
    "evidence_file": "other_evidence_file",
}


def pdf_upload(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test evidence\n", content_type="application/pdf")


def _complaint(actor, area, nature, resident, summary):
    return log_complaint(
        actor=actor,
        service_area=area,
        issue_nature=nature,
        resident=resident,
        received_on=RECEIVED,
        summary=summary,
        description=f"Described as {HOSTILE}",
        outcome_wanted=f"Wants {HOSTILE}",
    )


def _ombudsman_world(world, officer, repairs, allocations):
    """Ombudsman cases at each stage an action starts from: `ombudsman_case` (enquiry, about the responded
    complaint), `assessed_ombudsman_case`, `requested_ombudsman_case` with its open `information_request` and a
    `contribution` asked of Repairs, and `determined_ombudsman_case` with an `order` to comply with and a
    `complied_order` whose evidence is still to send. Their `other_*` counterparts are in Allocations."""
    received = datetime.date(2025, 6, 2)

    def case(complaint, reference, summary=None, **extra):
        return ombudsman_services.open_case(
            actor=officer,
            ombudsman="housing",
            received_on=received,
            original_complaint=complaint,
            ombudsman_reference=reference,
            summary=summary or f"Ombudsman {HOSTILE}",
            description=f"Asked the ombudsman about {HOSTILE}",
            **extra,
        )

    def requested(on_case):
        item = ombudsman_services.request_information(
            on_case, actor=officer, received_on=OMBUDSMAN_ASKED, due_on=OMBUDSMAN_DUE, details=f"Records {HOSTILE}"
        )
        contribution = ombudsman_services.ask_service(
            item,
            actor=officer,
            service_area=on_case.service_area,
            officer=officer,
            requested_on=OMBUDSMAN_ASKED,
            due_on=datetime.date(2025, 6, 18),
            details=f"Send {HOSTILE}",
        )
        return item, contribution

    def determined(on_case):
        ombudsman_services.start_assessment(on_case, actor=officer, on=OMBUDSMAN_ASKED)
        determination = ombudsman_services.record_determination(
            on_case,
            actor=officer,
            determined_on=DETERMINED,
            summary=f"Determined {HOSTILE}",
            findings=[
                ombudsman_services.FindingLine(
                    f"Repairs {HOSTILE}", FindingCategory.objects.get(name="Property condition"), "maladministration"
                )
            ],
            orders=[
                ombudsman_services.OrderLine(
                    order_type=order_type,
                    kind="order",
                    description=f"Do it {HOSTILE}",
                    amount_pence=None,
                    due_on=datetime.date(2025, 8, 29),
                    finding_number=1,
                )
                for order_type in ("apology", "repairs")
            ],
        )
        order, complied = determination.orders.order_by("id")
        ombudsman_services.record_compliance(complied, actor=officer, complied_on=DETERMINED, evidence="Letter sent")
        return order, complied

    world["ombudsman_case"] = case(world["responded_complaint"], "HOS-OURS-1")
    world["assessed_ombudsman_case"] = ombudsman_services.start_assessment(
        case(world["closed_complaint"], "HOS-OURS-2"), actor=officer, on=OMBUDSMAN_ASKED
    )
    world["requested_ombudsman_case"] = case(world["complaint"], "HOS-OURS-3")
    world["information_request"], world["contribution"] = requested(world["requested_ombudsman_case"])
    world["determined_ombudsman_case"] = case(world["acknowledged_complaint"], "HOS-OURS-4")
    world["order"], world["complied_order"] = determined(world["determined_ombudsman_case"])

    world["other_ombudsman_case"] = case(world["other_complaint"], "HOS-THEIRS-1", summary="Other ombudsman case")
    world["other_information_request"], world["other_contribution"] = requested(world["other_ombudsman_case"])
    world["other_determined_ombudsman_case"] = case(
        None,
        "HOS-THEIRS-2",
        summary="Other determined case",
        service_area=allocations,
        resident=world["other_resident"],
    )
    world["other_order"], _ = determined(world["other_determined_ombudsman_case"])

    # What the Ombudsman found of the council's complaint handling, and its annual letter (with its file).
    manager = world["users"]["manager"]
    world["non_compliance_finding"] = ombudsman_services.record_non_compliance(
        actor=manager,
        kind="failure_order",
        issued_on=received,
        finding=f"Stage 2 late {HOSTILE}",
        ombudsman_case=world["ombudsman_case"],
    )
    world["publication"] = ombudsman_services.record_publication(
        actor=manager,
        reporting_year=2025,
        received_on=received,
        title=f"Annual letter {HOSTILE}",
        summary=f"Performance {HOSTILE}",
        file=pdf_upload("annual-letter.pdf"),
    )


def _learning_world(world, officer, users, repairs, allocations, repairs_nature):
    """Learning: `learning_plan` for Repairs, led by the investigating officer, its sections written, learning
    from the responded complaint, with an `evidence_file`; `implemented_plan` (led by the complaints officer)
    waiting for a manager to verify it; `other_learning_plan` for Allocations with its `other_evidence_file`;
    a service `commitment` for this municipal year; and `repeat_complaint`, upheld again for the same resident."""
    today = timezone.localdate()

    def written(plan, words):
        return learning_services.update_plan(
            plan,
            actor=officer,
            what_went_wrong=f"Went wrong {words}",
            action_to_address_cause=f"Action {words}",
            evidence_of_implementation=f"Evidence {words}",
        )

    stage = world["responded_complaint"].stages.get(number=1)
    world["learning_plan"] = written(
        learning_services.open_plan(
            service_area=repairs,
            month=RECEIVED,
            actor=officer,
            lead_officer=users["investigating officer"],
            complaint_stages=[stage],
        ),
        HOSTILE,
    )
    world["evidence_file"] = learning_services.add_evidence_file(
        world["learning_plan"], pdf_upload("training.pdf"), actor=officer, description=f"Register {HOSTILE}"
    )
    implemented = written(
        learning_services.open_plan(service_area=repairs, month=RECEIVED, actor=officer, lead_officer=officer),
        "in Repairs",
    )
    world["implemented_plan"] = learning_services.implement(implemented, actor=officer, on=today)
    world["other_learning_plan"] = written(
        learning_services.open_plan(service_area=allocations, month=RECEIVED, actor=officer, lead_officer=officer),
        "in Allocations",
    )
    world["other_evidence_file"] = learning_services.add_evidence_file(
        world["other_learning_plan"], pdf_upload("other.pdf"), actor=officer
    )
    world["municipal_year"] = learning_services.municipal_year_for(today)
    world["commitment"] = learning_services.add_commitment(
        municipal_year=world["municipal_year"],
        service_area=repairs,
        commitment=f"Commit {HOSTILE}",
        actor=officer,
    )

    again = complaint_services.acknowledge(
        _complaint(officer, repairs, repairs_nature, world["resident"], "Upheld again"), on=ACKNOWLEDGED, actor=officer
    )
    world["repeat_complaint"] = complaint_services.respond(
        again,
        actor=officer,
        on=UPHELD_AGAIN,
        summary="Response",
        points=[complaint_services.Point("Leak again", StageOutcome.UPHELD)],
    )
    assert world["repeat_complaint"].repeat_upheld, "the world's repeat complaint was not flagged"


def build_world():
    """Create the world; returns a dict of name -> object (users under their role's column name)."""
    # Browser tests empty the database after each of theirs; the shipped procedures must be there.
    load_reference_data()
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    allocations = ServiceAreaFactory(name="Allocations")
    repairs_nature = IssueNatureFactory(name="Responsive Repairs (Mears)", service_area=repairs)
    allocations_nature = IssueNatureFactory(name="Allocations decisions", service_area=allocations)
    team = TeamFactory(name="Housing Feedback Team")
    team.service_areas.add(repairs)

    users = {
        "complaints officer": UserFactory(username="matrix.officer", role=Role.COMPLAINTS_OFFICER),
        "investigating officer": UserFactory(
            username="matrix.investigator", role=Role.INVESTIGATING_OFFICER, service_areas=[repairs]
        ),
        "manager": UserFactory(username="matrix.manager", role=Role.MANAGER),
        "administrator": UserFactory(username="matrix.admin", role=Role.ADMINISTRATOR),
    }
    office, member = make_office("Office of Ours MP", "Ours MP")
    other_office, other_member = make_office("Office of Other MP", "Other MP")
    users["member portal"] = portal_user("matrix.portal", office)
    portal_user("matrix.other-portal", other_office)
    officer = users["complaints officer"]

    ours = ResidentFactory(first_name=HOSTILE, last_name="Hostile-Ours")
    theirs = ResidentFactory(first_name="Theodora", last_name="Hostile-Theirs")

    world = {"users": users, "service_area": repairs, "issue_nature": repairs_nature, "team": team}
    world["officer"] = officer
    world["resident"] = ours
    world["other_resident"] = theirs
    world["complaint"] = _complaint(officer, repairs, repairs_nature, ours, f"Leak {HOSTILE}")
    world["other_complaint"] = _complaint(officer, allocations, allocations_nature, theirs, "Other area")

    acknowledged = _complaint(officer, repairs, repairs_nature, ours, "Acknowledged")
    world["acknowledged_complaint"] = complaint_services.acknowledge(acknowledged, on=ACKNOWLEDGED, actor=officer)
    responded = complaint_services.acknowledge(
        _complaint(officer, repairs, repairs_nature, ours, "Responded"), on=ACKNOWLEDGED, actor=officer
    )
    world["responded_complaint"] = complaint_services.respond(
        responded,
        actor=officer,
        on=RESPONDED,
        summary=f"Response {HOSTILE}",
        points=[complaint_services.Point(f"Point {HOSTILE}", StageOutcome.UPHELD)],
    )
    # Responses drafted by the investigating officer: one waiting for approval, one approved (by the manager).
    investigator = users["investigating officer"]
    for name, approve in (("drafted_complaint", False), ("approved_complaint", True)):
        drafted = complaint_services.acknowledge(
            _complaint(officer, repairs, repairs_nature, ours, name.split("_")[0].title()),
            on=ACKNOWLEDGED,
            actor=officer,
        )
        complaint_services.draft_response(
            drafted,
            actor=investigator,
            summary=f"Draft {HOSTILE}",
            points=[complaint_services.Point(f"Point {HOSTILE}", StageOutcome.UPHELD)],
        )
        if approve:
            complaint_services.approve_response(drafted, actor=users["manager"])
        world[name] = drafted
    closing = complaint_services.acknowledge(
        _complaint(officer, repairs, repairs_nature, ours, "Closed"), on=ACKNOWLEDGED, actor=officer
    )
    closing = complaint_services.respond(
        closing,
        actor=officer,
        on=RESPONDED,
        summary="Response",
        points=[complaint_services.Point("Point", StageOutcome.NOT_UPHELD)],
    )
    world["closed_complaint"] = complaint_services.close(closing, actor=officer)

    world["service_request"] = complaint_services.log_service_request(
        actor=officer,
        received_on=RECEIVED,
        service_area=repairs,
        description=f"Fix {HOSTILE}",
        channel="phone",
        resident=ours,
        summary=f"Request {HOSTILE}",
    )
    world["other_service_request"] = complaint_services.log_service_request(
        actor=officer,
        received_on=RECEIVED,
        service_area=allocations,
        description="Other",
        channel="phone",
        resident=theirs,
        summary="Other request",
    )
    casework_services.add_note(world["complaint"], officer, f"Note {HOSTILE}")
    world["attachment"] = casework_services.add_attachment(
        world["complaint"], pdf_upload(), officer, description=f"Photo {HOSTILE}"
    )
    world["other_attachment"] = casework_services.add_attachment(world["other_complaint"], pdf_upload(), officer)
    world["case_link"] = casework_services.link_cases(
        world["complaint"], world["responded_complaint"], reason=f"Same leak {HOSTILE}", actor=officer
    )

    def enquiry(member, area, constituent_last, enquiry_type="service_request"):
        return enquiry_services.submit_enquiry(
            member=member,
            submitted_by=None,
            enquiry_type=enquiry_type,
            service_area=area,
            description=f"Enquiry {HOSTILE}",
            constituent=enquiry_services.Constituent(HOSTILE, constituent_last, "", "", "1 Road", "N1 1AA"),
            consent_to_share=True,
            received_on=RECEIVED,
        )[0]

    world["enquiry"] = enquiry(member, repairs, "Hostile-Ours")
    world["complaint_enquiry"] = enquiry(member, repairs, "Hostile-Ours", enquiry_type="complaint")
    world["other_enquiry"] = enquiry(other_member, allocations, "Hostile-Theirs")
    enquiry_services.add_message(
        world["enquiry"], author=users["member portal"], body=f"Chase {HOSTILE}", from_office=True
    )

    _ombudsman_world(world, officer, repairs, allocations)
    _learning_world(world, officer, users, repairs, allocations, repairs_nature)
    world["monthly_report"] = store_report(RECEIVED)[0]
    _incoming_world(world)

    from casework.services import save_view

    world["saved_view"] = save_view(owner=officer, queue="complaints", name="Overdue repairs", query="due=overdue")

    # What must never reach the narrowed roles: the other cases' references and the other resident's name.
    world["secrets"] = [
        world["other_complaint"].reference,
        world["other_service_request"].reference,
        world["other_enquiry"].reference,
        world["other_ombudsman_case"].reference,
        world["other_determined_ombudsman_case"].reference,
        world["other_learning_plan"].reference,
        "Hostile-Theirs",
    ]
    world["tokens"] = {name: api_token(user) for name, user in users.items()}
    world["today"] = timezone.localdate()
    return world


def _incoming_world(world):
    """Two emails in the Incoming queue: one waiting, with a file and hostile text; one set aside."""
    from email.message import EmailMessage

    from incoming import services as incoming_services

    def message(number):
        built = EmailMessage()
        built["From"] = f"Hostile-Ours <resident{number}@example.org>"
        built["Subject"] = f"Leak {HOSTILE}"
        built["Message-ID"] = f"<matrix-{number}@example.org>"
        built.set_content(f"The leak is back. {HOSTILE}")
        built.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="leak.pdf")
        return built.as_bytes()

    received = timezone.make_aware(datetime.datetime.combine(RECEIVED, datetime.time(10)))
    waiting, _ = incoming_services.take_in(message(1), received_at=received)
    world["incoming_email"] = waiting
    world["incoming_file"] = waiting.attachments.get()
    aside, _ = incoming_services.take_in(message(2), received_at=received)
    world["incoming_set_aside"] = incoming_services.set_aside(aside, actor=world["officer"], reason="Spam")
