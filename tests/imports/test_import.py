"""Importing complaints and enquiries from CSV: every problem reported with its row and column, nothing
written unless the whole file is valid, re-imports idempotent, derived figures as the services compute them."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import Case, IssueNature, JobRun, Property, Resident, ServiceArea, TimelineEvent
from casework.reference_data import load_reference_data
from casework.roles import Role
from complaints import services
from complaints.models import Complaint, ComplaintStage, ComplaintStatus, ProcedureVersion
from enquiries.models import Enquiry
from imports.core import ValueProblem, import_file, parse_date, parse_pence
from imports.mapping import MappingError, parse_mapping
from sla.models import Clock, ClockExtension
from tests.factories import UserFactory, make_office

D = datetime.date.fromisoformat
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
pytestmark = pytest.mark.django_db

HEADER = "reference,stage,date_received,date_acknowledged,date_responded,outcome,service_area,issue_nature,complaint_type,channel"


@pytest.fixture(autouse=True)
def reference_data():
    load_reference_data()


def csv_file(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode()


def counts():
    models = [Case, Complaint, ComplaintStage, Clock, ClockExtension, TimelineEvent, Resident, Property]
    models += [ServiceArea, IssueNature, Enquiry, JobRun]
    return {model.__name__: model.objects.count() for model in models}


GOOD = [
    "R-1,1,02/10/2023,,23/10/2023,upheld,Responsive Repairs,Responsive Repairs (Mears),delay,email",
    "R-1,2,2023-11-01,,2023-11-20,not upheld,,,,",
    "R-2,1,17 Sep 2024,19/09/2024,01/10/2024,partly upheld,Rents,Rents,financial,phone",
]


def problems_of(result):
    return [(p.row, p.column, p.message) for p in result.problems]


# --- A file with bad rows -----------------------------------------------------------------------------


def test_each_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written():
    header = HEADER.replace(",channel", "")  # a required column missing
    data = csv_file(
        "B-1,1,2023/13/45,,,,Rents,Rents,financial",  # row 2: not a real date
        "B-2,1,03-10-23,,,,Rents,Rents,financial",  # row 3: two-digit year
        "B-3,1,02/10/2023,,23/10/2023,upheld,Rents,Rents,financial",  # row 4
        "B-3,2,20/10/2023,,,,,,",  # row 5: stage 2 requested before stage 1's response
        "B-4,1,02/10/2023,,23/10/2023,resolved to satisfaction,Rents,Rents,financial",  # row 6: outcome
        "B-5,1,02/10/2023,,,,Rents,Rents,financial",  # row 7
        "B-5,1,03/10/2023,,,,Rents,Rents,financial",  # row 8: duplicate reference and stage
        "B-6,2,02/10/2023,,,,Rents,Rents,financial",  # row 9: stage 2 with no stage 1
        header=header,
    )
    data += "B-7,1,02/10/2023,,,,Caf\xe9 repairs,Rents,financial\n".encode("cp1252")  # row 10: not UTF-8
    before = counts()

    result = import_file("complaints", data)

    found = problems_of(result)
    assert (1, "channel", found[0][2]) in found and "missing" in found[0][2]
    expected = {
        (2, "date_received"),
        (3, "date_received"),
        (5, "date_received"),
        (6, "outcome"),
        (8, "reference"),
        (9, "stage"),
        (10, "service_area"),
    }
    assert expected <= {(row, column) for row, column, _ in found}
    messages = {(row, column): message for row, column, message in found}
    assert "two-digit year" in messages[(3, "date_received")]
    assert "before stage 1 was responded to on 23/10/2023" in messages[(5, "date_received")]
    assert "'resolved to satisfaction' is not a outcome we know" in messages[(6, "outcome")]
    assert "already on row 7" in messages[(8, "reference")]
    assert "no stage 1 row" in messages[(9, "stage")]
    assert "not UTF-8 text (\\xe9)" in messages[(10, "service_area")]
    # The missing column is reported once for the file, not as an empty value on every row.
    assert not any(column == "channel" and row != 1 for row, column, _ in found)
    assert counts() == before


def test_the_command_lists_the_problems_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file("X-1,1,12/25/2023,,,,Rents,Rents,financial,email"))
    with pytest.raises(CommandError) as error:
        call_command("import_cases", "complaints", str(path))
    assert "Row 2, column date_received: '12/25/2023' is not a date as dd/mm/yyyy" in str(error.value)
    assert "looks like month/day/year" in str(error.value)
    assert Case.objects.count() == 0


def test_unknown_service_areas_and_issue_natures_are_listed_not_created():
    data = csv_file(
        "U-1,1,02/10/2023,,,,Estate Parking,Parking permits,other,email",
        "U-2,1,03/10/2023,,,,Estate Parking,Parking permits,other,email",
    )
    result = import_file("complaints", data)
    messages = [str(p) for p in result.problems]
    assert any("Unknown service area 'Estate Parking' on rows 2, 3" in m for m in messages)
    assert any("Unknown issue nature 'Parking permits' on rows 2, 3" in m for m in messages)
    assert not ServiceArea.objects.filter(name="Estate Parking").exists()

    result = import_file("complaints", data, create_reference_data=True)
    assert result.ok, result.problems
    area = ServiceArea.objects.get(name="Estate Parking")
    assert IssueNature.objects.get(name="Parking permits").service_area == area
    assert Complaint.objects.filter(service_area=area).count() == 2


def test_future_dates_and_responses_before_receipt_are_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    data = csv_file(
        f"F-1,1,{tomorrow:%d/%m/%Y},,,,Rents,Rents,financial,email",
        "F-2,1,10/10/2023,,09/10/2023,upheld,Rents,Rents,financial,email",
        "F-3,1,10/10/2023,,,upheld,Rents,Rents,financial,email",
        "F-4,1,10/10/2023,,12/10/2023,,Rents,Rents,financial,email",
    )
    result = import_file("complaints", data)
    found = {(row, column) for row, column, _ in problems_of(result)}
    assert {(2, "date_received"), (3, "date_responded"), (4, "outcome"), (5, "outcome")} <= found
    assert Case.objects.count() == 0


# --- Idempotence and dry runs -------------------------------------------------------------------------


def test_the_same_file_twice_imports_once():
    data = csv_file(*GOOD)
    first = import_file("complaints", data)
    assert first.ok and first.created == 2
    after_first = counts()

    second = import_file("complaints", data)

    assert second.ok and second.created == 0 and second.unchanged == 2
    after_second = counts()
    assert after_second.pop("JobRun") == after_first.pop("JobRun") + 1  # the run is recorded, nothing else
    assert after_second == after_first


def test_the_same_data_in_another_date_format_is_the_same_data():
    import_file("complaints", csv_file(*GOOD))
    reformatted = [GOOD[0], GOOD[1].replace("2023-11-01", "01/11/2023"), GOOD[2].replace("17 Sep 2024", "2024-09-17")]
    result = import_file("complaints", csv_file(*reformatted))
    assert result.ok and result.unchanged == 2


def test_a_changed_row_on_reimport_is_reported_not_applied():
    import_file("complaints", csv_file(*GOOD))
    changed = [GOOD[0], GOOD[1].replace("not upheld", "upheld"), GOOD[2]]
    before = counts()

    result = import_file("complaints", csv_file(*changed))

    assert [(p.row, p.column) for p in result.problems] == [(3, "outcome")]
    assert "was imported as 'not_upheld', now 'upheld'" in result.problems[0].message
    assert counts() == before
    assert ComplaintStage.objects.get(complaint__external_reference="R-1", number=2).outcome == "not_upheld"


def test_a_reference_already_used_by_a_complaint_logged_here_is_reported(officer):
    area = ServiceArea.objects.get(name="Rents")
    services.log_complaint(
        actor=officer,
        received_on=D("2025-01-06"),
        channel="email",
        service_area=area,
        issue_nature=IssueNature.objects.get(name="Rents"),
        complaint_type="financial",
        description="Charged twice",
        outcome_wanted="Refund",
        external_reference="R-2",
    )
    result = import_file("complaints", csv_file(*GOOD))
    assert [(p.row, p.column) for p in result.problems] == [(4, "reference")]
    assert "which was not imported" in result.problems[0].message


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path):
    before = counts()
    result = import_file("complaints", csv_file(*GOOD), dry_run=True)
    assert result.ok and result.new_cases == 2 and result.created == 0
    assert counts() == before

    path = tmp_path / "good.csv"
    path.write_bytes(csv_file(*GOOD))
    call_command("import_cases", "complaints", str(path), "--dry-run")
    assert counts() == before


# --- What is written ----------------------------------------------------------------------------------


def test_imported_complaints_keep_their_dates_and_get_clocks_and_figures(officer):
    result = import_file("complaints", csv_file(*GOOD), source="Respond export")
    assert result.ok
    code_2022 = Complaint.objects.get(external_reference="R-1")
    # A housing complaint of 2 Oct 2023 goes under the Housing Ombudsman's Code 2022, in force from 1 Apr 2022.
    assert code_2022.procedure_version.procedure.code == "hos-code-2022"
    assert code_2022.reference.startswith("CMP-2023-")
    assert code_2022.received_on == D("2023-10-02")
    assert code_2022.status == ComplaintStatus.CLOSED and code_2022.current_stage == 2
    assert code_2022.closed_at.date() == D("2023-11-20")
    stage1, stage2 = code_2022.stages.all()
    # Stage 1: 10 working days, from receipt when no acknowledgement is on record: due 16 Oct, answered 23 Oct.
    assert (stage1.within_code_timescale, stage1.working_days_to_respond) == (False, 15)
    assert code_2022.clocks.get(kind="response", stage=1).due_on == D("2023-10-16")
    # Stage 2: 20 working days from the escalation request of 1 Nov: due 29 Nov, answered 20 Nov.
    assert code_2022.clocks.get(kind="response", stage=2).due_on == D("2023-11-29")
    assert (stage2.outcome, stage2.working_days_to_respond) == ("not_upheld", 13)
    history = list(code_2022.timeline.all())
    assert [e.kind for e in history] == ["imported", "imported_stage"]
    assert history[0].occurred_at.date() == D("2023-10-02")
    assert "Response sent on Mon 23 Oct 2023: upheld." in history[0].summary
    assert "Imported on" in history[0].summary and "(their reference R-1)" in history[0].summary
    assert history[1].summary.startswith("Escalated to stage 2 at the resident's request of Wed 1 Nov 2023.")

    code = Complaint.objects.get(external_reference="R-2")
    assert code.procedure_version.procedure.code == "hos-code-2024"
    assert code.clocks.get(kind="acknowledgement", stage=1).met is True
    assert code.clocks.get(kind="response", stage=1).due_on == D("2024-10-03")  # ack 19 Sep + 10
    assert code.stages.get().within_code_timescale is True


def test_figures_match_what_the_lifecycle_services_compute(officer):
    """The same complaint logged through the services and imported from a file gives the same due dates,
    'within timescale' and working days, with a Code-compliant extension and with one beyond the cap."""
    manager = UserFactory(username="manager", role=Role.MANAGER)
    code = ProcedureVersion.objects.get(procedure__code="hos-code-2024")
    rows = []
    for number, (extended_to, responded) in enumerate(
        [(D("2022-10-21"), D("2022-10-20")), (D("2022-11-04"), D("2022-11-03")), (None, D("2022-10-07"))]
    ):
        complaint = services.log_complaint(
            actor=officer,
            received_on=D("2022-09-15"),
            channel="email",
            service_area=ServiceArea.objects.get(name="Rents"),
            issue_nature=IssueNature.objects.get(name="Rents"),
            complaint_type="financial",
            description="Charged twice",
            outcome_wanted="Refund",
            procedure_version=code,
            assigned_to=officer,
        )
        services.acknowledge(complaint, on=D("2022-09-23"), actor=officer)
        if extended_to:
            services.extend(
                complaint,
                actor=officer,
                granted_on=D("2022-09-30"),
                reason="Waiting for the bank",
                resident_told_on=D("2022-09-30"),
                new_due_on=extended_to,
                manager=manager,
            )
            if services.pending_extension_request(complaint):  # beyond the cap: the manager's own approval
                services.approve_extension(
                    complaint,
                    actor=manager,
                    approved_on=D("2022-09-30"),
                    good_reason="The bank's records were needed",
                    resident_told_on=D("2022-09-30"),
                )
        services.respond(
            complaint, actor=officer, on=responded, summary="Refunded", points=[services.Point("Charge", "upheld")]
        )
        rows.append(
            f"S-{number},1,15/09/2022,23/09/2022,{responded:%d/%m/%Y},upheld,Rents,Rents,financial,email,"
            f"hos-code-2024,{extended_to.strftime('%d/%m/%Y') if extended_to else ''},30/09/2022,"
            + ("manager,The bank's records were needed" if number == 1 else ",")
        )
    result = import_file(
        "complaints",
        csv_file(
            *rows,
            header=HEADER + ",procedure,extended_to,extension_granted_on,extension_approved_by,extension_good_reason",
        ),
    )
    assert result.ok, result.problems

    def figures(complaint):
        stage = complaint.stages.get()
        clocks = sorted(
            (c.kind, c.stage, c.due_on, c.stopped_on, c.met, c.working_days_taken) for c in complaint.clocks.all()
        )
        extensions = list(
            ClockExtension.objects.filter(clock__case=complaint).values_list(
                "beyond_cap", "approved_by", "approval_reason"
            )
        )
        return (stage.within_code_timescale, stage.working_days_to_respond, stage.extended, clocks, extensions)

    logged = Complaint.objects.filter(external_reference__isnull=True).order_by("pk")
    imported = Complaint.objects.filter(external_reference__startswith="S-").order_by("external_reference")
    assert [figures(c) for c in imported] == [figures(c) for c in logged]
    # Due 7 Oct 2022 (acknowledged 23 Sep + 10). 21 Oct is 10 working days later (within the cap); 4 Nov
    # is 20 (beyond it), approved by the manager with a good reason: responded on 3 Nov, in time (Code 6.4).
    assert [c.stages.get().within_code_timescale for c in imported] == [True, True, True]


def test_residents_and_properties_are_created_once_per_address():
    header = HEADER + ",resident_first_name,resident_last_name,address,postcode,uprn"
    data = csv_file(
        "P-1,1,02/10/2023,,,,Rents,Rents,financial,email,Ada,Lovelace,12 Engine Row,e1 6an,",
        "P-2,1,03/10/2023,,,,Rents,Rents,financial,email,Charles,Babbage,12 Engine Row,E1 6AN,",
        header=header,
    )
    assert import_file("complaints", data).ok
    one, two = Complaint.objects.order_by("external_reference")
    assert one.home == two.home and one.home.postcode == "E1 6AN"
    assert one.resident.full_name == "Ada Lovelace" and one.resident.home == one.home


def test_an_open_complaint_is_in_the_queues_with_its_running_clock():
    today = datetime.date.today()
    received = today - datetime.timedelta(days=3)
    result = import_file(
        "complaints", csv_file(f"O-1,1,{received:%d/%m/%Y},,,,Rents,Rents,financial,email"), today=today
    )
    assert result.ok
    complaint = Complaint.objects.get()
    assert complaint.status == ComplaintStatus.RECEIVED and complaint.closed_at is None
    clock = complaint.clocks.get(kind="acknowledgement", stage=1)
    assert clock.stopped_on is None and complaint.next_due_on == clock.due_on


# --- Encodings, dates, money, mapping files -----------------------------------------------------------


def test_a_windows_1252_file_imports_when_asked_for():
    data = csv_file("W-1,1,02/10/2023,,23/10/2023,upheld,Rents,Rents,financial,email", header=HEADER + ",compensation")
    data = data.replace(b"email\n", "email,\xa3120.50\n".encode("cp1252"))
    assert not import_file("complaints", data).ok  # read as UTF-8, the pound sign is reported
    result = import_file("complaints", data, encoding="cp1252")
    assert result.ok, result.problems
    assert ComplaintStage.objects.get().compensation_pence == 12050


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-12-21", "2024-12-21"),
        ("2024/12/21", "2024-12-21"),
        ("21/12/2024", "2024-12-21"),
        ("1/2/2024", "2024-02-01"),
        ("21-12-2024", "2024-12-21"),
        ("21.12.2024", "2024-12-21"),
        ("21 Dec 2024", "2024-12-21"),
        ("21 December 2024", "2024-12-21"),
        ("21-Dec-2024", "2024-12-21"),
        ("21/12/2024 14:30", "2024-12-21"),
        ("2024-12-21T14:30:00Z", "2024-12-21"),
    ],
)
def test_accepted_date_formats(text, expected):
    assert parse_date(text) == D(expected)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("12/25/2024", "month/day/year"),
        ("21/12/24", "two-digit year"),
        ("31/02/2024", "not a real date"),
        ("21 Decembre 2024", "not a month name"),
        ("yesterday", "not a date in an accepted format"),
        ("20241221", "not a date in an accepted format"),
    ],
)
def test_refused_dates_say_why(text, why):
    with pytest.raises(ValueProblem, match=why):
        parse_date(text)


def test_month_first_dates_only_when_a_mapping_file_chooses_them():
    assert parse_date("12/25/2024", ("mm/dd/yyyy",)) == D("2024-12-25")


@pytest.mark.parametrize(("text", "pence"), [("150", 15000), ("£1,250.50", 125050), ("GBP 75.5", 7550), ("", None)])
def test_money(text, pence):
    if pence is None:
        with pytest.raises(ValueProblem):
            parse_pence(text)
    else:
        assert parse_pence(text) == pence


def test_the_shipped_json_mapping_imports_the_respond_style_example(officer):
    UserFactory(username="officer2", role=Role.COMPLAINTS_OFFICER)
    UserFactory(username="investigator", role=Role.INVESTIGATING_OFFICER)
    UserFactory(username="manager", role=Role.MANAGER)
    mapping = parse_mapping((EXAMPLES / "respond-style-mapping.json").read_bytes(), "respond-style-mapping.json")
    data = (EXAMPLES / "respond-style-complaints.csv").read_bytes()
    result = import_file("complaints", data, mapping=mapping)
    assert result.ok, result.problems
    assert result.warnings == ["Columns not imported (not ours, and not mapped): Officer Notes."]
    complaint = Complaint.objects.get(external_reference="C/2024/0712")
    assert complaint.current_stage == 2
    assert complaint.issue_nature.name == "Responsive Repairs (Mears)"
    assert [s.outcome for s in complaint.stages.all()] == ["partly_upheld", "upheld"]
    assert [s.compensation_pence for s in complaint.stages.all()] == [7500, 20000]
    assert complaint.stages.get(number=2).handler.username == "manager"
    extended = Complaint.objects.get(external_reference="C/2024/0955").stages.get()
    assert extended.extended and extended.within_code_timescale is True


def test_the_shipped_csv_mapping_renames_translates_and_fills_defaults(officer):
    UserFactory(username="officer2", role=Role.COMPLAINTS_OFFICER)
    mapping = parse_mapping((EXAMPLES / "icasework-style-mapping.csv").read_bytes(), "icasework-style-mapping.csv")
    result = import_file("complaints", (EXAMPLES / "icasework-style-complaints.csv").read_bytes(), mapping=mapping)
    assert result.ok, result.problems
    first, second = Complaint.objects.order_by("external_reference")
    assert (first.complaint_type, first.channel, first.stages.get().outcome) == ("other", "web_form", "partly_upheld")
    assert second.stages.get().outcome == "not_upheld"


def test_the_plain_examples_import_as_documented(officer):
    for username in ("officer2", "investigator", "manager"):
        UserFactory(username=username, role=Role.COMPLAINTS_OFFICER)
    make_office()
    make_office("Cllr Priya Nair", "Cllr Priya Nair", "councillor")
    make_office("Office of David Lowe MP", "David Lowe MP", "mp")
    assert import_file("complaints", (EXAMPLES / "complaints.csv").read_bytes()).ok
    assert import_file("enquiries", (EXAMPLES / "enquiries.csv").read_bytes()).ok


def test_a_mapping_that_sends_two_columns_to_one_is_reported():
    mapping = parse_mapping(b'{"columns": {"Logged": "date_received"}}', "m.json")
    data = csv_file("M-1,1,02/10/2023,,,,Rents,Rents,financial,email", header=HEADER + ",Logged")
    result = import_file("complaints", data, mapping=mapping)
    assert any(p.row == 1 and p.column == "date_received" for p in result.problems)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"{not json", "m.json", "not valid JSON"),
        (b'{"colums": {}}', "m.json", "Unknown key"),
        (b'{"date_formats": ["mm-dd-yy"]}', "m.json", "Unknown date format"),
        (b"a,b\nx,y\n", "m.csv", "theirs,ours,column"),
    ],
)
def test_bad_mapping_files_are_refused(content, name, message):
    with pytest.raises(MappingError, match=message):
        parse_mapping(content, name)


# --- Enquiries ----------------------------------------------------------------------------------------

ENQUIRY_HEADER = "reference,member,enquiry_type,service_area,date_received,date_acknowledged,date_responded"


def test_enquiries_import_with_their_clocks_and_figures():
    make_office()
    data = csv_file(
        "E-1,Sarah Ahmed MP,service request,Allocations,14/03/2023,15/03/2023,24/03/2023",
        "E-2,Sarah Ahmed MP,information request,Allocations,14/03/2023,,05/04/2023",
        "E-3,Sarah Ahmed MP,complaint,Allocations,14/03/2023,,",
        header=ENQUIRY_HEADER,
    )
    result = import_file("enquiries", data)
    assert result.ok, result.problems
    on_time, late, still_open = Enquiry.objects.order_by("external_reference")
    assert (on_time.working_days_to_respond, on_time.responded_in_time) == (8, True)
    assert (late.working_days_to_respond, late.responded_in_time) == (16, False)
    assert still_open.closed_at is None and still_open.next_due_on == D("2023-03-15")  # acknowledge within 1
    assert on_time.reference.startswith("ME-2023-") and on_time.office.name == "Office of Sarah Ahmed MP"
    assert import_file("enquiries", data).unchanged == 3


def test_enquiries_from_unknown_members_are_listed():
    data = csv_file(
        "E-1,Nobody MP,service request,Allocations,14/03/2023,,",
        "E-1,Nobody MP,service request,Allocations,14/03/2023,,",
        header=ENQUIRY_HEADER,
    )
    result = import_file("enquiries", data)
    messages = [str(p) for p in result.problems]
    assert any("No member 'Nobody MP' in the members' register (rows 2, 3)" in m for m in messages)
    assert "Row 3, column reference: duplicate: 'E-1' is already on row 2." in messages
    assert Enquiry.objects.count() == 0


def test_imported_complaints_count_in_the_reports_once_committed(django_capture_on_commit_callbacks):
    from reporting.periods import financial_year
    from reporting.selectors import performance

    with django_capture_on_commit_callbacks(execute=True):
        import_file("complaints", csv_file(*GOOD))
    stages = {row["stage"]: row for row in performance(financial_year(2023), with_sections=False)["by_stage"]}
    assert (stages[1]["received"], stages[2]["received"]) == (1, 1)
    later = {row["stage"]: row for row in performance(financial_year(2024), with_sections=False)["by_stage"]}
    assert later[1]["received"] == 1


# --- Schemes and procedures ---------------------------------------------------------------------------


def test_each_complaint_takes_its_schemes_procedure_in_force_on_the_day_unless_a_column_names_one():
    header = HEADER + ",scheme,procedure"
    rows = [
        "P-1,1,14/06/2019,,,,Rents,Rents,financial,email,,",  # before the Code: the council's own procedure
        "P-2,1,15/03/2021,,,,Rents,Rents,financial,email,,",
        "P-3,1,15/05/2023,,,,Rents,Rents,financial,email,,",
        "P-4,1,15/05/2024,,,,Rents,Rents,financial,email,,",
        "P-5,1,15/05/2025,,,,Allocations,Allocations,other,email,,",  # an LGSCO service: the corporate scheme
        "P-6,1,15/05/2026,,,,Allocations,Allocations,other,email,,",
        "P-7,1,15/05/2023,,,,Rents,Rents,financial,email,corporate,",
        "P-8,1,15/05/2023,,,,Rents,Rents,financial,email,,legacy-corporate-three-stage",
        "P-9,1,15/05/2024,,,,Children's Social Care,Children's Social Care,other,email,,",
    ]
    result = import_file("complaints", csv_file(*rows, header=header), today=D("2026-11-25"))
    assert result.ok, [str(p) for p in result.problems]
    placed = {
        c.external_reference: (c.procedure_version.scheme.code, c.procedure_version.procedure.code)
        for c in Complaint.objects.select_related("procedure_version__scheme", "procedure_version__procedure")
    }
    assert placed == {
        "P-1": ("housing-landlord", "legacy-corporate-three-stage"),
        "P-2": ("housing-landlord", "hos-code-2020"),
        "P-3": ("housing-landlord", "hos-code-2022"),
        "P-4": ("housing-landlord", "hos-code-2024"),
        "P-5": ("corporate", "legacy-corporate-three-stage"),
        "P-6": ("corporate", "lgsco-code-2026"),
        "P-7": ("corporate", "legacy-corporate-three-stage"),
        "P-8": ("housing-landlord", "legacy-corporate-three-stage"),
        "P-9": ("childrens-social-care", "childrens-social-care-2006"),
    }


def test_a_scheme_or_procedure_we_do_not_have_and_a_stage_the_procedure_lacks_are_refused():
    header = HEADER + ",scheme,procedure"
    rows = [
        "B-1,1,15/05/2023,,,,Rents,Rents,financial,email,landlord-ish,",
        "B-2,1,15/05/2023,,,,Rents,Rents,financial,email,,code-1999",
        "B-3,1,15/05/2023,,,,Rents,Rents,financial,email,housing-landlord,childrens-social-care-2006",
        "B-4,1,01/06/2023,,09/06/2023,upheld,Rents,Rents,financial,email,,",
        "B-4,2,12/06/2023,,30/06/2023,upheld,,,,,,",
        "B-4,3,05/07/2023,,,,,,,,,",
    ]
    before = counts()
    result = import_file("complaints", csv_file(*rows, header=header), today=D("2026-11-25"))
    assert problems_of(result) == [
        (
            2,
            "scheme",
            "'landlord-ish' is not one of our complaints schemes "
            "(adults-social-care, childrens-social-care, corporate, housing-landlord).",
        ),
        (3, "procedure", "'code-1999' is not one of our complaints procedures."),
        (
            4,
            "procedure",
            "'childrens-social-care-2006' is not a procedure of the Housing landlord complaints scheme; leave it "
            "empty for the scheme's procedure in force on the day received, or name one of that scheme's.",
        ),
        # The Code 2022 allows two stages: a migrated third stage is refused, not opened.
        (7, "stage", "Housing Ombudsman Complaint Handling Code 2022 has 2 stage(s), not 3."),
    ]
    assert counts() == before
