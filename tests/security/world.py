"""The objects the permissions matrix names: for each kind of case, one inside the investigating officer's
service area and the portal user's office ("ours"), and one outside both ("other_*"). Free text everywhere
carries HOSTILE, so every page the matrix opens also shows whether it escapes what residents type."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from casework import services as casework_services
from casework.reference_data import load_reference_data
from casework.roles import Role
from complaints import services as complaint_services
from complaints.models import StageOutcome
from enquiries import services as enquiry_services
from tests.factories import (
    IssueNatureFactory,
    ResidentFactory,
    ServiceAreaFactory,
    TeamFactory,
    UserFactory,
    log_complaint,
    make_office,
    portal_user,
)

HOSTILE = '<script>alert("hostile")</script><img src=x onerror=alert(1)>'
RECEIVED = datetime.date(2025, 4, 17)
ACKNOWLEDGED = datetime.date(2025, 4, 22)
RESPONDED = datetime.date(2025, 4, 29)

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
    "closed_complaint": "other_complaint",
    "service_request": "other_service_request",
    "enquiry": "other_enquiry",
    "complaint_enquiry": "other_enquiry",
    "attachment": "other_attachment",
    "resident": "other_resident",
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

    # What must never reach the narrowed roles: the other cases' references and the other resident's name.
    world["secrets"] = [
        world["other_complaint"].reference,
        world["other_service_request"].reference,
        world["other_enquiry"].reference,
        "Hostile-Theirs",
    ]
    world["tokens"] = {name: Token.objects.create(user=user).key for name, user in users.items()}
    world["today"] = timezone.localdate()
    return world
