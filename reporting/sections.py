"""The reports' sections whose figures belong to other apps: each app builds its own tables from its own
selectors, in `<app>.reporting.report_tables(period, *, service_area=None)`, returning a list of
`{"key", "title", "sheet", "columns": [{"key", "label"}], "rows": [{column key: value}], "note"}` ("sheet": a name of
at most 31 characters for the table's spreadsheet sheet, when the title is longer), aggregated in the
database like everything else in reporting."""

from learning.reporting import report_tables as learning_tables
from ombudsman.reporting import report_tables as ombudsman_tables

SECTIONS = [
    ("ombudsman", "Ombudsman cases", ombudsman_tables),
    ("learning", "Learning from complaints", learning_tables),
]


def build_sections(period, *, service_area=None):
    return [
        {"key": key, "title": title, "tables": build(period, service_area=service_area)}
        for key, title, build in SECTIONS
    ]
