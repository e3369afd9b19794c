"""Members' enquiries through the services: targets, duplicates, urgency, response, conversion, messages."""

import datetime
import threading
import uuid

import pytest
from django.db import connections

from casework.models import Notification, OfficerProfile
from casework.roles import Role
from casework.services import DomainError
from enquiries import services
from enquiries.models import Enquiry, EnquiryStatus, EnquiryTarget
from sla.models import Clock
from tests.factories import (
    IssueNatureFactory,
    ServiceAreaFactory,
    UserFactory,
    make_office,
    portal_user,
    submit_enquiry,
)

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return make_office()


def test_an_enquiry_is_due_in_10_working_days_and_acknowledged_by_the_next(office):
    _, member = office
    enquiry = submit_enquiry(member)  # Thursday 17 April 2025, before Easter
    assert enquiry.reference.startswith("ME-2025-")
    clocks = {c.kind: c.due_on for c in Clock.objects.filter(case=enquiry)}
    assert clocks == {"acknowledgement": D("2025-04-22"), "response": D("2025-05-06")}
    assert enquiry.resident.full_name == "Ada Lovelace"


def test_targets_are_configurable_per_member_type(office):
    _, member = office
    EnquiryTarget.objects.filter(member_type="mp").update(respond_within=15, acknowledge_within=None)
    enquiry = submit_enquiry(member)
    assert list(Clock.objects.filter(case=enquiry).values_list("kind", "due_on")) == [("response", D("2025-05-13"))]


def test_the_same_submission_twice_makes_one_enquiry_and_one_urgent_notice(
    office, django_capture_on_commit_callbacks, mailoutbox
):
    _, member = office
    duty = UserFactory(username="duty", role=Role.MANAGER)
    OfficerProfile.objects.filter(user=duty).update(is_duty_senior_manager=True)
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = submit_enquiry(member, submission_key=key, urgent_reasons=["homeless_tonight"])
        second = submit_enquiry(member, submission_key=key, urgent_reasons=["homeless_tonight"])
    assert first.pk == second.pk
    assert Enquiry.objects.count() == 1
    assert Notification.objects.filter(recipient=duty, kind="urgent_case").count() == 1
    assert len(mailoutbox) == 1 and "Homeless tonight" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
def test_simultaneous_duplicate_submissions_make_one_enquiry(postgresql_only):
    _, member = make_office()
    key = uuid.uuid4()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(submit_enquiry(member, submission_key=key).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Enquiry.objects.count() == 1


def test_responding_stops_the_clocks_and_tells_the_office(office):
    the_office, member = office
    caseworker = portal_user("jo", the_office)
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    enquiry = submit_enquiry(member, user=caseworker)
    services.acknowledge(enquiry, on=D("2025-04-22"), actor=officer)
    enquiry = services.respond(enquiry, on=D("2025-05-07"), text="A glazier visits on Friday.", actor=officer)
    assert enquiry.status == EnquiryStatus.RESPONDED
    assert enquiry.responded_in_time is False  # due 6 May
    assert enquiry.working_days_to_respond == 11
    assert not Clock.objects.filter(case=enquiry, stopped_on__isnull=True).exists()
    note = Notification.objects.get(recipient=caseworker, kind="enquiry_response")
    assert note.url == f"/portal/enquiries/{enquiry.reference}/"
    with pytest.raises(DomainError, match="cannot be respond"):
        services.respond(enquiry, on=D("2025-05-07"), text="again", actor=officer)


def test_a_complaint_enquiry_becomes_a_complaint_linked_both_ways(office):
    _, member = office
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    enquiry = submit_enquiry(member, enquiry_type="complaint")
    complaint = services.convert_to_complaint(
        enquiry,
        actor=officer,
        issue_nature=IssueNatureFactory(name="Repairs"),
        complaint_type="delay",
        outcome_wanted="Window fixed",
    )
    enquiry.refresh_from_db()
    assert enquiry.converted_complaint == complaint
    assert complaint.members_enquiry == enquiry
    assert complaint.channel == "members_enquiry" and complaint.received_on == enquiry.received_on
    assert complaint.resident == enquiry.resident
    assert complaint.timeline.filter(kind="from_enquiry", summary__contains=enquiry.reference).exists()
    with pytest.raises(DomainError, match="already complaint"):
        services.convert_to_complaint(
            enquiry, actor=officer, issue_nature=complaint.issue_nature, complaint_type="delay", outcome_wanted="x"
        )
    service_request = submit_enquiry(member)
    with pytest.raises(DomainError, match="Only an enquiry of type complaint"):
        services.convert_to_complaint(
            service_request,
            actor=officer,
            issue_nature=complaint.issue_nature,
            complaint_type="delay",
            outcome_wanted="x",
        )


def test_follow_up_messages_reach_the_handler_and_replies_reach_the_office(office):
    the_office, member = office
    caseworker = portal_user("jo", the_office)
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    enquiry = services.assign(submit_enquiry(member, user=caseworker), officer, actor=officer)
    services.add_message(enquiry, author=caseworker, body="Any news?", from_office=True)
    assert Notification.objects.filter(recipient=officer, kind="enquiry_follow_up").count() == 1
    services.add_message(enquiry, author=officer, body="Visit booked.", from_office=False)
    assert Notification.objects.filter(recipient=caseworker, kind="enquiry_message").count() == 1
    with pytest.raises(DomainError):
        services.add_message(enquiry, author=caseworker, body="  ", from_office=True)


def test_a_follow_up_on_an_unassigned_enquiry_goes_to_the_team_that_covers_it(office):
    from casework.models import Team
    from tests.factories import ServiceAreaFactory

    the_office, member = office
    caseworker = portal_user("jo", the_office)
    area = ServiceAreaFactory(name="Allocations")
    manager = UserFactory(username="lead", role=Role.MANAGER)
    team = Team.objects.create(name="Allocations team", manager=manager)
    team.service_areas.add(area)
    first, second = (UserFactory(username=name, role=Role.COMPLAINTS_OFFICER) for name in ("amara", "bo"))
    OfficerProfile.objects.filter(user__in=[first, second]).update(team=team)
    elsewhere = UserFactory(username="cy", role=Role.COMPLAINTS_OFFICER)
    enquiry = submit_enquiry(member, user=caseworker, service_area=area)
    assert enquiry.assigned_to is None

    services.add_message(enquiry, author=caseworker, body="Any news?", from_office=True)

    told = set(Notification.objects.filter(kind="enquiry_follow_up").values_list("recipient__username", flat=True))
    assert told == {"amara", "bo", "lead"}
    assert not Notification.objects.filter(recipient=elsewhere).exists()


def test_refusals(office):
    _, member = office
    enquiry = submit_enquiry(member)
    with pytest.raises(DomainError, match="Choose the type"):
        submit_enquiry(member, enquiry_type="gossip")
    with pytest.raises(DomainError, match="Unknown urgent reason"):
        submit_enquiry(member, urgent_reasons=["bored"])
    with pytest.raises(DomainError, match="cannot be closed"):
        services.close(enquiry, actor=None)
    _other_office, other_member = make_office("Cllr Nair", "Cllr Priya Nair", "councillor")
    key = uuid.uuid4()
    submit_enquiry(member, submission_key=key)
    with pytest.raises(DomainError, match="another office"):
        submit_enquiry(other_member, submission_key=key)


def test_importing_the_members_register(tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "members.csv"
    good.write_text(
        "name,type,ward,party,constituency,email,office,register_id\n"
        "Priya Nair,Councillor,Canal,Labour,,priya@council.example,Cllr Priya Nair,C1\n"
        "Sarah Ahmed,MP,,Labour,Northfield,sarah@parliament.example,Office of Sarah Ahmed MP,M1\n",
        encoding="utf-8",
    )
    call_command("import_members", str(good), stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("import_members", str(good), stdout=open("/dev/null", "w"))  # noqa: SIM115
    from enquiries.models import Member

    assert Member.objects.count() == 2
    assert Member.objects.get(register_id="M1").office.name == "Office of Sarah Ahmed MP"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,type,ward\nTom,Councillor,\n,MP,\nAnn,Alderman,X\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_members", str(bad))
    message = str(error.value)
    assert "Row 2, column ward" in message and "Row 3, column name" in message and "Row 4, column type" in message
    assert Member.objects.count() == 2


def test_a_refused_action_says_what_it_is_in_plain_words():
    from enquiries.workflow import WORKFLOW

    _office, member = make_office()
    enquiry, _ = services.submit_enquiry(
        member=member,
        submitted_by=None,
        enquiry_type="service_request",
        service_area=ServiceAreaFactory(name="Rents"),
        description="Rent statement",
        constituent=services.Constituent("Ada", "Lovelace"),
        consent_to_share=True,
        received_on=D("2025-04-17"),
    )
    officer = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    services.respond(enquiry, on=D("2025-04-22"), text="Sent the statement", actor=officer)
    enquiry = services.close(enquiry, actor=officer)
    assert WORKFLOW.why_not(enquiry, "respond") == "An enquiry that is 'closed' cannot be responded to."
    assert WORKFLOW.why_not(enquiry, "convert") == "An enquiry that is 'closed' cannot be logged as a complaint."


def test_the_members_register_headers_are_read_as_the_other_imports_read_them(tmp_path):
    from django.core.management import CommandError, call_command

    from enquiries.models import Member
    from imports.core import import_file

    register = tmp_path / "members.csv"
    register.write_text(
        "Name,Member Type,Ward,Constituency,Email Address,Register ID\n"
        "Priya Nair,Councillor,Canal,,priya@council.example,C1\n"
        "Sarah Ahmed,MP,,Northfield,,M1\n",
        encoding="utf-8",
    )
    call_command("import_members", str(register), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert dict(Member.objects.values_list("register_id", "name")) == {"C1": "Priya Nair", "M1": "Sarah Ahmed"}
    assert Member.objects.get(register_id="C1").email == "priya@council.example"
    # The enquiries import then finds the member by the register id.
    ServiceAreaFactory(name="Rents")
    enquiries = import_file(
        "enquiries",
        b"reference,member,enquiry_type,service_area,date_received\nME-1,M1,service request,Rents,14/03/2023\n",
        today=D("2023-04-01"),
    )
    assert enquiries.ok, [str(p) for p in enquiries.problems]

    unknown = tmp_path / "unknown.csv"
    unknown.write_text("name,type,constituency,Registr ID,email\nTom Ray,MP,Eastfield,M2,tom@\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_members", str(unknown))
    assert "Column 'Registr ID' is not a column of the register (name, type, ward" in str(error.value)
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "name,type,constituency,register id,email\nTom Ray,MP,Eastfield,M2,tom@\nAnn Lee,MP,Westfield,M2,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_members", str(twice))
    message = str(error.value)
    assert "Row 2, column email: 'tom@' is not an email address." in message
    assert "Row 3, column register_id: 'M2' is already on row 2." in message
    assert Member.objects.count() == 2
