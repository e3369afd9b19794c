"""The reports' downloads read back: each CSV one header row and one value per (table, row, column); each
workbook's sheets named within Excel's 31 characters, uniquely and readably, each with one header row."""

import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from casework.exports import sheet_names
from casework.models import ServiceArea
from casework.reference_data import load_reference_data
from casework.roles import Role
from complaints import services
from imports.core import import_file
from reporting.monthly import run_monthly_report
from tests.factories import PropertyFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db
HEADER = "reference,ombudsman,date_received,determined_on,service_area,complaint_head,category,outcome"
DOWNLOADS = [
    "/reports/?year=2024/25",
    "/reports/tenant-satisfaction/?year=2024",
    "/reports/annual/?year=2024/25",
    "/reports/self-assessment/?year=2024/25",
    "/reports/monthly/2025-03/",
]


@pytest.fixture
def year_of_work(client, settings):
    load_reference_data()
    settings.MONTHLY_REPORT_RECIPIENTS = []
    handler = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    area = ServiceArea.objects.get(name="Responsive Repairs")
    for received, outcome in (
        (D("2025-03-03"), "upheld"),
        (D("2025-03-05"), "partly_upheld"),
        (D("2024-05-01"), "not_upheld"),
    ):
        complaint = log_complaint(received_on=received, assigned_to=handler, service_area=area)
        services.acknowledge(complaint, on=received + datetime.timedelta(days=1), actor=handler)
        services.respond(
            complaint,
            actor=handler,
            on=received + datetime.timedelta(days=7),
            summary="Done",
            points=[services.Point("Leak", outcome)],
        )
    findings = "\n".join(
        [
            HEADER,
            "H-1,housing,01/05/2024,01/10/2024,Rents,Damp,Property condition,maladministration",
            "L-1,lgsco,01/05/2024,01/10/2024,Allocations,Banding,Complaints handling,upheld",
        ]
    )
    assert import_file("ombudsman-findings", findings.encode() + b"\n").ok
    run_monthly_report(D("2025-04-01"))
    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    return client


def _csv_tables(client, path):
    response = client.get(path + ("&" if "?" in path else "?") + "format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), path
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Table", "Row", "Column", "Value"]
    assert ["Table", "Row", "Column", "Value"] not in rows[1:]  # one header row
    cells = {}
    for table, row, column, value in rows[1:]:
        key = (table, row, column)
        assert key not in cells, f"{path}: {key} twice"
        cells[key] = value
    return cells


def test_every_csv_download_has_one_header_row_and_one_value_per_table_row_and_column(year_of_work):
    for path in DOWNLOADS:
        cells = _csv_tables(year_of_work, path)
        assert cells, path
        # Nothing was told apart by numbering: each table's rows and columns are distinct by themselves.
        assert not [key for key in cells if re.search(r" \(\d+\)$", key[1]) or re.search(r" \(\d+\)$", key[2])]


def test_the_csv_tables_read_back_as_the_report_shows_them(year_of_work):
    cells = _csv_tables(year_of_work, "/reports/annual/?year=2024/25")
    nature = {(row, column): value for (table, row, column), value in cells.items() if table == "By issue nature"}
    mears = {column: value for (row, column), value in nature.items() if row == "Responsive Repairs (Mears)"}
    assert (mears["Upheld"], mears["Partly upheld"], mears["Not upheld"]) == ("1", "1", "1")
    assert mears["Upheld or partly upheld"] == "2"
    five = {(row, column): value for (table, row, column), value in cells.items() if table == "Five years"}
    assert {row for row, _ in five} == {"2020/21", "2021/22", "2022/23", "2023/24", "2024/25"}
    assert five[("2024/25", "Stage 1 received")] == "3"
    assert ("2024/25", "Stage") not in five
    tsm = {column for (table, _, column) in cells if table.startswith("TSMs")}
    assert {"Stage 1 within timescale", "Stage 2 within timescale"} <= tsm
    # A complaint about a home whose stock type nobody recorded: on its own line of the TSMs, never as LCRA.
    log_complaint(received_on=D("2024-06-03"), home=PropertyFactory(stock_type=""))
    measures = _csv_tables(year_of_work, "/reports/tenant-satisfaction/?year=2024")
    lines = {}
    for (_, row, column), value in measures.items():
        lines.setdefault(row, {})[column] = value
    assert lines["Stock type not recorded"]["Stage 1 received"] == "1"
    assert lines["Stock type not recorded"]["CH01(1) per 1,000 homes"] == ""
    assert lines["Low-cost rental accommodation"]["Stage 1 received"] == "3"  # the fixture's, about LCRA homes
    assessment = _csv_tables(year_of_work, "/reports/self-assessment/?year=2024/25")
    assert len({row for _, row, _ in assessment}) == len(assessment) / 3  # a row per question, three columns


def test_every_workbook_names_its_sheets_within_31_characters_uniquely_and_readably(year_of_work):
    for path in DOWNLOADS:
        response = year_of_work.get(path + ("&" if "?" in path else "?") + "format=xlsx")
        assert response.status_code == 200, path
        workbook = load_workbook(io.BytesIO(response.content))
        names = workbook.sheetnames
        assert all(len(name) <= 31 for name in names), names
        assert len({name.lower() for name in names}) == len(names), names
        # No name cut inside a word and numbered by the spreadsheet library ("Social Car1").
        assert not [name for name in names if re.search(r"[A-Za-z]\d$", name)], names
        for sheet in workbook.worksheets:
            header = [cell.value for cell in sheet[1]]
            assert len(set(header)) == len(header), (path, sheet.title, header)
    workbook = load_workbook(
        io.BytesIO(year_of_work.get("/reports/annual/?year=2024/25&format=xlsx").content), read_only=True
    )
    assert {
        "Housing Ombudsman findings",
        "Housing Ombudsman compensation",
        "LGSCO findings",
        "LGSCO rates",
        "LGSCO orders",
        "LGSCO compensation",
    } <= set(workbook.sheetnames)
    findings = [[cell.value for cell in row] for row in workbook["LGSCO findings"].iter_rows()]
    assert findings[0][:2] == ["Category", "Upheld"] and ["Complaints handling", 1, 0, 0, 1] in findings


def test_sheet_names_cut_at_a_word_and_number_a_second_within_the_limit():
    long = "Local Government and Social Care Ombudsman: findings by category and outcome"
    assert sheet_names([long, long, "Summary", "summary", "2024/25 [draft]"]) == [
        "Local Government and Social",
        "Local Government and Social (2)",
        "Summary",
        "summary (2)",
        "2024-25 -draft-",
    ]


def test_one_table_downloads_as_a_plain_csv_with_its_one_header_row(year_of_work):
    cells = _csv_tables(year_of_work, "/reports/annual/?year=2024/25")
    response = year_of_work.get("/reports/annual/?year=2024/25&format=csv&table=by-issue-nature")
    assert response.status_code == 200
    assert 'filename="annual-complaints-report-2024-25-by-issue-nature.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = list(rows[0])
    assert header[0] == "Issue nature" and len(set(header)) == len(header)
    assert all(row["Issue nature"] != "Issue nature" for row in rows)  # one header row
    # The same figures as the whole report's CSV.
    for row in rows:
        for column in header[1:]:
            assert cells[("By issue nature", row["Issue nature"], column)] == row[column]
    by_sheet = year_of_work.get("/reports/annual/?year=2024/25&format=csv&table=LGSCO findings")
    assert by_sheet.status_code == 200 and by_sheet.content.decode("utf-8-sig").startswith("Category,Upheld")
    missing = year_of_work.get("/reports/annual/?year=2024/25&format=csv&table=nothing-here")
    assert missing.status_code == 404
