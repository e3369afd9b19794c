"""CH01, CH02 and acknowledgement timeliness rebuilt by their definitions (docs/reporting.md), from complaints
entered through the services and from complaints imported from a CSV file: the landlord scheme's complaints
only, about homes known to be LCRA or LCHO, with unrecorded stock on its own line; extensions counted up to
the Code's limit, beyond it only with a manager's approval and a good reason; a late acknowledgement buying no
time; and only acknowledgements actually made.

All dates are pinned in June 2025 (reporting year 2025/26), when the Housing Ombudsman's 2024 Code applies to
the landlord scheme: stage 1 acknowledged within 5 working days (6.2), answered within 10 of the
acknowledgement (6.3), extended by no more than 10 without good reason (6.4). June 2025 has no bank holiday.
Received Mon 2 June, acknowledged Tue 3 June: the response is due Tue 17 June; +6 is Wed 25 June, +10 Tue 1 July,
+12 Thu 3 July. Acknowledged late, on Mon 16 June (due Mon 9 June): the response is still due 10 working days
after 9 June, Mon 23 June (not Mon 30 June)."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils.html import escape

from casework.models import IssueNature, Property, ServiceArea, StockType
from casework.reference_data import load_reference_data
from casework.roles import Role
from casework.services import create_resident
from complaints import services
from complaints.models import RefusalReason, SchemeKind
from imports.core import import_file
from reporting import selectors
from reporting.models import ComplaintStageFact, StockCount
from reporting.periods import financial_year
from tests.factories import PropertyFactory, ResidentFactory, UserFactory

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db

RECEIVED, ACKNOWLEDGED = D("2025-06-02"), D("2025-06-03")


@pytest.fixture(autouse=True)
def reference_data():
    load_reference_data()


@pytest.fixture
def officer():
    return UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def manager():
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def homes():
    StockCount.objects.create(reporting_year=2025, stock_type=StockType.LCRA, homes=2000)
    StockCount.objects.create(reporting_year=2025, stock_type=StockType.LCHO, homes=500)
    return {
        "rented": PropertyFactory(address_line_1="12 Engine Row", postcode="E1 6AN", stock_type=StockType.LCRA),
        "shared": PropertyFactory(address_line_1="4 Canal Walk", postcode="N1 7BA", stock_type=StockType.LCHO),
    }


def points(decision="upheld"):
    return [services.Point("The leak was not fixed", decision)]


def log(
    officer,
    home,
    *,
    area="Responsive Repairs",
    nature="Responsive Repairs (Mears)",
    resident=None,
    channel="email",
    service_request=None,
):
    return services.log_complaint(
        actor=officer,
        received_on=RECEIVED,
        channel=channel,
        service_request=service_request,
        service_area=ServiceArea.objects.get(name=area),
        issue_nature=IssueNature.objects.get(name=nature),
        complaint_type="delay",
        summary="Leak not fixed",
        description="Reported three times.",
        outcome_wanted="Fix it.",
        resident=resident or ResidentFactory(home=home),
        assigned_to=officer,
    )


def measures(year=2025):
    data = selectors.tenant_satisfaction(year)
    return {m["stock_type"]: m for m in data["measures"]}, data


def test_a_home_the_product_has_not_seen_gets_no_stock_type():
    resident = create_resident(first_name="Li", last_name="Wei", address="45 Albion Road", postcode="N16 9JS")
    assert resident.home.stock_type == ""
    assert Property._meta.get_field("stock_type").default == ""


def test_ch01_and_ch02_from_entered_complaints(officer, manager, homes, client):
    rented, shared = homes["rented"], homes["shared"]

    # LCRA, extended by 10 (the Code's limit), answered within it: in time.
    within = log(officer, rented)
    services.acknowledge(within, on=ACKNOWLEDGED, actor=officer)
    services.extend(within, actor=officer, granted_on=D("2025-06-10"), reason="Contractor's report",
                    resident_told_on=D("2025-06-10"), extra_working_days=10)  # fmt: skip
    services.respond(within, actor=officer, on=D("2025-07-01"), summary="Fixed", points=points())

    # LCRA, +6 then +6: the second goes beyond the limit and a manager approves it with a good reason. Answered
    # on 2 July, inside the 12 days approved (counting only the first +6 would make it late: due 25 June).
    six_and_six = log(officer, rented)
    services.acknowledge(six_and_six, on=ACKNOWLEDGED, actor=officer)
    services.extend(six_and_six, actor=officer, granted_on=D("2025-06-10"), reason="Surveyor",
                    resident_told_on=D("2025-06-10"), extra_working_days=6)  # fmt: skip
    services.extend(six_and_six, actor=officer, granted_on=D("2025-06-12"), reason="Second surveyor",
                    extra_working_days=6, manager=manager)  # fmt: skip
    services.approve_extension(six_and_six, actor=manager, approved_on=D("2025-06-12"),
                               good_reason="A structural survey is needed", resident_told_on=D("2025-06-12"))  # fmt: skip
    services.respond(six_and_six, actor=officer, on=D("2025-07-02"), summary="Fixed", points=points())

    # LCRA, +12 asked of a manager and approved: answered 5 working days into it (24 June), in time.
    approved = log(officer, rented)
    services.acknowledge(approved, on=ACKNOWLEDGED, actor=officer)
    services.extend(approved, actor=officer, granted_on=D("2025-06-10"), reason="Specialist", extra_working_days=12,
                    manager=manager)  # fmt: skip
    services.approve_extension(approved, actor=manager, approved_on=D("2025-06-11"),
                               good_reason="Only one specialist can inspect", resident_told_on=D("2025-06-11"))  # fmt: skip
    services.respond(approved, actor=officer, on=D("2025-06-24"), summary="Fixed", points=points())

    # LCRA, +12 asked beyond the limit and declined: the deadline stays 17 June; answered 24 June, late.
    declined = log(officer, rented)
    services.acknowledge(declined, on=ACKNOWLEDGED, actor=officer)
    services.extend(declined, actor=officer, granted_on=D("2025-06-10"), reason="Specialist", extra_working_days=12,
                    manager=manager)  # fmt: skip
    services.decline_extension(declined, actor=manager, reason="Send an interim response")
    services.respond(declined, actor=officer, on=D("2025-06-24"), summary="Fixed", points=points())

    # LCRA, acknowledged late (16 June; due 9 June): due 23 June, not 30 June. Answered 25 June: late.
    late_ack = log(officer, rented)
    services.acknowledge(late_ack, on=D("2025-06-16"), actor=officer)
    services.respond(late_ack, actor=officer, on=D("2025-06-25"), summary="Fixed", points=points())
    assert late_ack.clocks.get(kind="response", stage=1).due_on == D("2025-06-23")

    # LCHO: answered in time, then escalated to stage 2.
    escalated = log(officer, shared)
    services.acknowledge(escalated, on=ACKNOWLEDGED, actor=officer)
    services.respond(escalated, actor=officer, on=D("2025-06-10"), summary="Done", points=points("not_upheld"))
    services.escalate(escalated, actor=officer, requested_on=D("2025-06-16"), handler=manager)

    # From the same LCRA address, a homelessness complaint: the corporate scheme's (LGSCO), not the landlord's.
    homeless = log(officer, rented, area="Homelessness and Homeless Prevention",
                   nature="Homelessness and Homeless Prevention")  # fmt: skip
    assert homeless.procedure_version.scheme.kind == SchemeKind.CORPORATE
    services.respond(homeless, actor=officer, on=D("2025-06-05"), summary="Advice given", points=points())

    # A landlord complaint from an address never seen before: its stock type is not recorded.
    newcomer = create_resident(first_name="Li", last_name="Wei", address="45 Albion Road", postcode="N16 9JS")
    unknown = log(officer, None, resident=newcomer)
    services.acknowledge(unknown, on=ACKNOWLEDGED, actor=officer)
    services.respond(unknown, actor=officer, on=D("2025-06-10"), summary="Fixed", points=points())

    expected_ch02 = [True, True, True, False, False]
    stages = [c.stages.get(number=1) for c in (within, six_and_six, approved, declined, late_ack)]
    assert [s.within_code_timescale for s in stages] == expected_ch02
    check_measures(other_schemes=1)

    # The TSM page shows the unrecorded stock as its own line, with its count.
    client.force_login(manager)
    page = client.get("/reports/tenant-satisfaction/?year=2025/26")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.content.decode())
    assert 'Stock type not recorded</th><td class="numeric">1</td>' in text
    assert "1 stage under other schemes" in text

    # The nightly check rebuilds the same figures from the complaint tables (the scheme's kind included).
    ComplaintStageFact.objects.update(scheme_kind="")
    assert measures()[0]["lcra"]["stage_1_received"] == 5  # the daily sums are not touched by that update
    call_command("run_report_figures_check")
    check_measures(other_schemes=1)


def check_measures(*, other_schemes):
    by_stock, data = measures()
    lcra, lcho = by_stock["lcra"], by_stock["lcho"]
    assert (lcra["stage_1_received"], lcra["ch01_1"]) == (5, Decimal("2.5"))  # 5 per 2,000 homes
    assert (lcra["stage_1_within_timescale"], lcra["stage_1_responded"], lcra["ch02_1"]) == (3, 5, Decimal("60.0"))
    assert (lcho["stage_1_received"], lcho["stage_2_received"], lcho["ch01_2"]) == (1, 1, Decimal("2.0"))
    assert lcho["ch02_1"] == Decimal("100.0")
    unknown = data["unknown_stock"]
    assert (unknown["stage_1_received"], unknown["stage_1_responded"], unknown["stage_1_within_timescale"]) == (1, 1, 1)
    assert data["excluded"] == {"other_stock": 0, "other_schemes": other_schemes}
    assert data["stock_known_percent"] == Decimal("87.5")  # 7 of the 8 landlord stages received


IMPORT_HEADER = (
    "reference,stage,date_received,date_acknowledged,date_responded,outcome,service_area,issue_nature,"
    "complaint_type,channel,extended_to,extension_granted_on,extension_approved_by,extension_good_reason,"
    "address,postcode,closed_as,date_closed"
)
REPAIRS = "Responsive Repairs,Responsive Repairs (Mears),delay,email"
HOMELESS = "Homelessness and Homeless Prevention,Homelessness and Homeless Prevention,delay,email"


def test_ch01_and_ch02_from_imported_complaints(manager, homes, django_capture_on_commit_callbacks):
    rows = [
        # LCRA: extended to the limit (+10, 1 July), answered 30 June: in time.
        f"I-1,1,02/06/2025,03/06/2025,30/06/2025,upheld,{REPAIRS},01/07/2025,10/06/2025,,,12 Engine Row,E1 6AN,,",
        # LCRA: +12 (3 July) approved by a manager with a good reason, answered 2 July: in time.
        f"I-2,1,02/06/2025,03/06/2025,02/07/2025,upheld,{REPAIRS},03/07/2025,10/06/2025,manager,"
        "Only one specialist can inspect,12 Engine Row,E1 6AN,,",
        # LCRA: +12 with no approval recorded, answered 2 July: counts only up to the limit (1 July), late.
        f"I-3,1,02/06/2025,03/06/2025,02/07/2025,upheld,{REPAIRS},03/07/2025,10/06/2025,,,12 Engine Row,E1 6AN,,",
        # LCRA: the same unapproved +12, answered on 1 July: within the limit, in time.
        f"I-4,1,02/06/2025,03/06/2025,01/07/2025,upheld,{REPAIRS},03/07/2025,10/06/2025,,,12 Engine Row,E1 6AN,,",
        # LCRA: acknowledged late (16 June), answered 25 June: due 23 June, late.
        f"I-5,1,02/06/2025,16/06/2025,25/06/2025,upheld,{REPAIRS},,,,,12 Engine Row,E1 6AN,,",
        # LCHO: answered in time, escalated to stage 2.
        f"I-6,1,02/06/2025,03/06/2025,10/06/2025,not upheld,{REPAIRS},,,,,4 Canal Walk,N1 7BA,,",
        "I-6,2,16/06/2025,,,,,,,,,,,,,,,",
        # The same LCRA address, a homelessness complaint: corporate scheme, not counted.
        f"I-7,1,02/06/2025,,05/06/2025,upheld,{HOMELESS},,,,,12 Engine Row,E1 6AN,,",
        # A new address: stock type not recorded.
        f"I-8,1,02/06/2025,03/06/2025,10/06/2025,upheld,{REPAIRS},,,,,45 Albion Road,N16 9JS,,",
    ]
    data = ("\n".join([IMPORT_HEADER, *rows]) + "\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        result = import_file("complaints", data)
    assert result.ok, result.problems
    assert Property.objects.get(address_line_1="45 Albion Road").stock_type == ""
    assert Property.objects.filter(address_line_1="12 Engine Row").count() == 1  # matched, not created again

    by_stock, figures = measures()
    lcra, lcho = by_stock["lcra"], by_stock["lcho"]
    # In time: I-1, I-2, I-4; late: I-3, I-5.
    assert (lcra["stage_1_received"], lcra["stage_1_within_timescale"], lcra["stage_1_responded"]) == (5, 3, 5)
    assert lcra["ch02_1"] == Decimal("60.0") and lcra["ch01_1"] == Decimal("2.5")
    assert (lcho["stage_1_received"], lcho["stage_2_received"], lcho["ch02_1"]) == (1, 1, Decimal("100.0"))
    assert figures["unknown_stock"]["stage_1_received"] == 1
    assert figures["excluded"] == {"other_stock": 0, "other_schemes": 1}


def test_an_import_approval_must_name_a_manager_and_give_the_good_reason(officer, homes):
    rows = [
        f"J-1,1,02/06/2025,03/06/2025,02/07/2025,upheld,{REPAIRS},03/07/2025,10/06/2025,amara,Needed,"
        "12 Engine Row,E1 6AN,,",
        f"J-2,1,02/06/2025,03/06/2025,02/07/2025,upheld,{REPAIRS},03/07/2025,10/06/2025,manager,,12 Engine Row,E1 6AN,,",
        f"J-3,1,02/06/2025,03/06/2025,02/07/2025,upheld,{REPAIRS},,,manager,Needed,12 Engine Row,E1 6AN,,",
    ]
    UserFactory(username="manager", role=Role.MANAGER)
    result = import_file("complaints", ("\n".join([IMPORT_HEADER, *rows]) + "\n").encode())
    assert not result.ok
    found = {(p.row, p.column) for p in result.problems}
    assert {(2, "extension_approved_by"), (3, "extension_good_reason"), (4, "extension_approved_by")} <= found
    assert not ComplaintStageFact.objects.exists()


def test_acknowledgement_timeliness_counts_only_acknowledgements_made(officer, homes):
    rented = homes["rented"]
    on_time = [log(officer, rented) for _ in range(6)]
    for complaint in on_time:
        services.acknowledge(complaint, on=ACKNOWLEDGED, actor=officer)
    late = log(officer, rented)
    services.acknowledge(late, on=D("2025-06-16"), actor=officer)
    # Three never acknowledged: their acknowledgement clocks stopped when they ended.
    services.refuse(log(officer, rented), actor=officer, on=D("2025-06-04"), reason=RefusalReason.COUNCIL_POLICY,
                    details="About the rent-setting policy")  # fmt: skip
    services.withdraw(log(officer, rented), actor=officer, on=D("2025-06-04"), reason="Sorted with the contractor")
    services.resolve_early(log(officer, rented), actor=officer, on=D("2025-06-04"), summary="Repair booked",
                           resident_agreed=True)  # fmt: skip

    figures = selectors.acknowledgement_timeliness(financial_year(2025))
    assert (figures["made"], figures["met"], figures["percent_met"]) == (7, 6, Decimal("85.7"))


def test_the_upheld_chart_plots_the_issue_natures_with_most_complaints(officer, manager, homes, client):
    rented = homes["rented"]
    long_name = "Anti-social Behaviour and Neighbourhood Nuisance"
    area = ServiceArea.objects.get(name="Responsive Repairs")
    IssueNature.objects.create(name=long_name, service_area=area)
    IssueNature.objects.create(name="Gone quiet", service_area=area)

    def logged(nature, day, count):
        for _ in range(count):
            complaint = services.log_complaint(
                actor=officer, received_on=day, channel="email", service_area=area,
                issue_nature=IssueNature.objects.get(name=nature), complaint_type="delay", summary="x",
                description="x", outcome_wanted="x", resident=ResidentFactory(home=rented),
            )  # fmt: skip
            services.acknowledge(complaint, on=day, actor=officer)

    # The long-named nature has most complaints this year but fell from last year; the repairs one rose.
    logged(long_name, D("2025-06-02"), 3)
    logged(long_name, D("2024-06-03"), 4)
    logged("Responsive Repairs (Mears)", D("2025-06-02"), 1)
    logged("Gone quiet", D("2024-06-03"), 2)  # none this year: not among the natures with most complaints
    client.force_login(manager)
    page = client.get("/reports/?year=2025/26")
    assert page.status_code == 200
    spec = json.loads(re.search(r'id="chart-upheld" type="application/json">(.*?)</script>', page.content.decode(),
                                re.S).group(1))  # fmt: skip
    assert spec["natures"] == [long_name, "Responsive Repairs (Mears)"]
    assert all(len(line) <= 18 for label in spec["labels"] for line in label)
    assert " ".join(spec["labels"][0]) == f"{long_name} (3)"
    # Nothing answered yet: no percentage to draw, rather than a bar at 0%.
    assert spec["datasets"][0]["data"] == [None, None]


def test_the_2024_self_assessment_follows_appendix_a_with_computed_figures(officer, manager, homes, admin_client):
    rented = homes["rented"]
    # Stage 1 acknowledged on time and extended by 10 (the limit), the resident told.
    within = log(officer, rented)
    services.acknowledge(within, on=ACKNOWLEDGED, actor=officer)
    services.extend(within, actor=officer, granted_on=D("2025-06-10"), reason="Contractor's report",
                    resident_told_on=D("2025-06-10"), extra_working_days=10)  # fmt: skip
    services.respond(within, actor=officer, on=D("2025-07-01"), summary="Fixed", points=points())
    # Acknowledged late, then extended beyond the limit with a manager's approval.
    beyond = log(officer, rented)
    services.acknowledge(beyond, on=D("2025-06-16"), actor=officer)
    services.extend(beyond, actor=officer, granted_on=D("2025-06-17"), reason="Specialist", extra_working_days=12,
                    manager=manager)  # fmt: skip
    services.approve_extension(beyond, actor=manager, approved_on=D("2025-06-17"),
                               good_reason="Only one specialist can inspect", resident_told_on=D("2025-06-17"))  # fmt: skip
    services.respond(beyond, actor=officer, on=D("2025-07-08"), summary="Fixed", points=points("not_upheld"))
    services.refuse(log(officer, rented), actor=officer, on=D("2025-06-04"), reason=RefusalReason.COUNCIL_POLICY,
                    details="About the rent-setting policy")  # fmt: skip
    # Not the landlord's: left out of every figure of the Code's form.
    homeless = log(officer, rented, area="Homelessness and Homeless Prevention",
                   nature="Homelessness and Homeless Prevention")  # fmt: skip
    services.refuse(homeless, actor=officer, on=D("2025-06-04"), reason=RefusalReason.OTHER, details="Elsewhere")

    response = admin_client.post(
        "/admin/reporting/selfassessmentanswer/add/",
        {"reporting_year": 2025, "provision": "6.2", "complies": "partly",
         "evidence": "Complaints policy, section 7.1", "commentary": "Late acknowledgements reviewed weekly"},
    )  # fmt: skip
    assert response.status_code == 302

    data = selectors.self_assessment(2025)
    assert data["form"]["code"] == "2024"
    assert {q["section"].split()[0] for q in data["questions"]} == {str(n) for n in range(1, 10)}
    by_provision = {q["provision"]: q for q in data["questions"]}
    assert by_provision["6.2"]["answer"] == "1 of 2 acknowledgements within 5 working days (50.0%)"
    assert (by_provision["6.2"]["complies"], by_provision["6.2"]["evidence"]) == (
        "Partly",
        "Complaints policy, section 7.1",
    )
    assert by_provision["6.3"]["answer"].startswith("0 of 2 responses within the timescale without extension")
    assert by_provision["6.4"]["answer"].startswith(
        "2 extensions: 2 with a reason, 2 with the date the resident was told; 1 beyond 10 working days, 1 of them "
        "approved by a manager with a good reason. 2 of 2 responses within the Code's timescale counting extensions"
    )
    assert by_provision["2.1"]["answer"] == (
        "1 complaint not accepted (About council policy (dealt with through the democratic process): 1)"
    )
    assert by_provision["7.1"]["figure"] == Decimal("50.0")
    assert by_provision["1.2"]["computed"] is False
    page = admin_client.get("/reports/self-assessment/?year=2025/26").content.decode()
    assert "Late acknowledgements reviewed weekly" in page and "Appendix A" in page


def test_the_self_assessments_channels_and_service_requests_count_the_landlord_schemes_complaints_of_the_year(
    officer, homes
):
    rented = homes["rented"]
    resident = ResidentFactory(home=rented)
    area = ServiceArea.objects.get(name="Responsive Repairs")
    request = services.log_service_request(
        actor=officer, received_on=D("2025-05-20"), service_area=area, description="Leak", channel="phone",
        resident=resident,
    )  # fmt: skip
    from_request = log(officer, rented, resident=resident, channel="phone", service_request=request)
    log(officer, rented, channel="phone")
    log(officer, rented, channel="email")
    # A duplicate merged into the complaint it repeats is not a complaint of its own.
    duplicate = log(officer, rented, resident=resident, channel="letter")
    services.merge(duplicate, into=from_request, actor=officer, reason="Same leak, phoned twice")
    # Not the landlord's.
    log(officer, rented, area="Homelessness and Homeless Prevention", nature="Homelessness and Homeless Prevention",
        channel="web_form")  # fmt: skip

    def answers():
        return {q["provision"]: q["answer"] for q in selectors.self_assessment(2025)["questions"]}

    answer = answers()
    assert answer["1.4"] == "1 service request recorded in the year"
    assert answer["1.5"] == "1 complaint raised from a service request while it went on"
    assert answer["3.1"] == "Complaints received through 2 channels (Phone: 2; Email: 1)"
    assert answer["5.3"] == "0 complaint stages beyond stage 2 requested in the year"

    # A channel corrected after intake is counted as corrected.
    services.edit_details(from_request, actor=officer, reason="It came by email", channel="email")
    assert answers()["3.1"] == "Complaints received through 2 channels (Email: 2; Phone: 1)"


# Appendix A as this product holds it: every provision whose published text was found, in the Code's order
# (reporting/self_assessment.py says where each was checked): the test fails if a provision is dropped,
# reordered or numbered out of its section.
APPENDIX_A_NUMBERS = {
    1: ["1.2", "1.3", "1.4", "1.5", "1.6"],
    2: ["2.1", "2.2", "2.3", "2.4", "2.5"],
    3: ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"],
    4: ["4.1", "4.2", "4.3"],
    5: ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15"],
    6: [f"6.{n}" for n in range(1, 21)],
    7: ["7.1", "7.2", "7.3", "7.4"],
    # 8.2 is the governing body's response published with the annual report; 8.3 the self-assessment after a
    # restructure, merger or change in procedures.
    8: ["8.1", "8.2", "8.3"],
    9: ["9.1", "9.2", "9.3", "9.4", "9.5", "9.6", "9.7", "9.8"],
}


def test_the_2024_form_lists_every_section_with_its_provisions_in_the_codes_order(admin_client):
    data = selectors.self_assessment(2024)
    assert data["form"]["code"] == "2024" and data["financial_year"] == "2024/25"
    sections = {}
    for q in data["questions"]:
        sections.setdefault(q["section"], []).append(q["provision"])
    # Nine sections, in order, each holding only its own provisions, numbered upwards.
    assert [int(title.split()[0]) for title in sections] == list(range(1, 10))
    for title, numbers in sections.items():
        section = int(title.split()[0])
        assert all(n.split(".")[0] == str(section) for n in numbers), title
        minors = [int(n.split(".")[1]) for n in numbers]
        assert minors == sorted(set(minors)), title
        assert numbers == APPENDIX_A_NUMBERS[section], title
    assert len(data["questions"]) == sum(len(n) for n in APPENDIX_A_NUMBERS.values()) == 70
    assert all(q["question"] for q in data["questions"])
    # The stage 2 provisions follow stage 1's in section 6, with their figures from the data.
    by_provision = {q["provision"]: q for q in data["questions"]}
    assert [by_provision[p]["computed"] for p in ("6.10", "6.11", "6.12", "6.13", "6.14", "6.15")] == [
        False, True, False, True, True, True,
    ]  # fmt: skip
    # 9.7 as the Ombudsman's Member Responsible for Complaints FAQs quote it: the governing body's updates on
    # complaint handling performance include compliance with the Ombudsman's orders.
    assert "including compliance with the Ombudsman's orders" in by_provision["9.7"]["question"]

    page = admin_client.get("/reports/self-assessment/?year=2024/25")
    assert page.status_code == 200
    html = page.content.decode()
    headings = re.findall(r'<h2 class="heading-m">(.*?)</h2>', html)
    assert headings == [escape(title) for title in sections]
    rows = re.findall(r'<tr><td>([0-9.]+)</td><th scope="row">(.*?)</th>', html)
    assert rows == [(q["provision"], escape(q["question"])) for q in data["questions"]]


def test_years_before_the_2024_code_keep_the_2020_form():
    data = selectors.self_assessment(2023)
    assert data["form"]["code"] == "2020"
    assert len(data["questions"]) == 20
    assert len({q["section"] for q in data["questions"]}) == 8
