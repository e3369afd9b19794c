"""The places where other apps' figures join the reports.

Ombudsman figures (findings by category and outcome, maladministration rate, orders, compensation,
compliance) and learning figures (actions open and overdue) belong to the apps that record them. Each is a
`Section` here naming the function that builds its tables; until that app provides the function, the
section shows what it will hold and that it is not recorded here yet, so the reports keep their shape.

A provider is `<app>.reporting.report_tables(period, *, service_area=None)` returning a list of tables, each
`{"key", "title", "columns": [{"key", "label"}], "rows": [{column key: value}], "note"}`, aggregated in
the database like everything else in reporting."""

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    provider: str  # dotted path of the function that builds the section's tables
    will_show: str

    def load(self):
        module, _, name = self.provider.rpartition(".")
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            return None

    def build(self, period, *, service_area=None):
        provider = self.load()
        if provider is None:
            return {
                "key": self.key,
                "title": self.title,
                "available": False,
                "note": f"Not recorded in this product yet: {self.will_show}",
                "tables": [],
            }
        return {
            "key": self.key,
            "title": self.title,
            "available": True,
            "note": "",
            "tables": provider(period, service_area=service_area),
        }


SECTIONS = [
    Section(
        key="ombudsman",
        title="Ombudsman cases",
        provider="ombudsman.reporting.report_tables",
        will_show="findings by category and outcome, the maladministration rate, orders by type, compensation "
        "ordered by category and the compliance rate with orders.",
    ),
    Section(
        key="learning",
        title="Learning from complaints",
        provider="learning.reporting.report_tables",
        will_show="learning actions open and overdue, by service area.",
    ),
]


def build_sections(period, *, service_area=None):
    return [section.build(period, service_area=service_area) for section in SECTIONS]
