"""Exports open in a spreadsheet as text, never as a formula someone typed into a free-text field."""

import csv
import datetime
import io

from openpyxl import load_workbook

from casework.exports import csv_bytes, safe_cell, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def test_text_that_starts_like_a_formula_is_quoted_and_other_values_pass_through():
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert safe_cell("Damp in the bathroom") == "Damp in the bathroom"
    assert safe_cell(-5) == -5 and safe_cell(datetime.date(2025, 4, 1)) == datetime.date(2025, 4, 1)
    assert safe_cell(None) == ""


def test_csv_cells_are_neutralised_and_the_file_reads_back_as_utf8():
    data = csv_bytes(["reference", "summary"], [["CMP-2025-000001", HOSTILE[0]], ["CMP-2025-000002", "£50 paid"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][1] == "'" + HOSTILE[0]
    assert rows[2][1] == "£50 paid"


def test_xlsx_cells_are_values_not_formulas():
    data = xlsx_bytes([("Complaints", ["reference", "summary", "count"], [["CMP-1", "=1+1", 3]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].value == "'=1+1" and sheet["B2"].data_type == "s"
    assert sheet["C2"].value == 3
