"""Learning figures as tables for the reports (reporting.sections): learning action plans for the months of
the period, open and overdue by service, and by status."""

from learning import selectors
from learning.models import PlanStatus


def report_tables(period, *, service_area=None):
    by_service = selectors.open_and_overdue_by_service(period.start, period.end)
    if service_area:
        by_service = [row for row in by_service if row["service_area_id"] == service_area.pk]
    totals = {key: sum(row[key] for row in by_service) for key in ("plans", "open", "overdue")}
    by_status = selectors.plans_by_status(period.start, period.end, service_area=service_area)
    return [
        {
            "key": "learning-open-overdue",
            "sheet": "Learning plans by service",
            "title": "Learning action plans open and overdue, by service",
            "columns": [
                {"key": "service_area", "label": "Service area"},
                {"key": "plans", "label": "Plans"},
                {"key": "open", "label": "Open"},
                {"key": "overdue", "label": "Overdue"},
            ],
            "rows": [
                *(
                    {key: row[key] for key in ("plans", "open", "overdue")}
                    | {"service_area": row["service_area__name"]}
                    for row in by_service
                ),
                {"service_area": "Total", **totals},
            ],
            "note": "Plans for the months of the period; open means not started or in progress, overdue means open "
            "past its timescale today.",
        },
        {
            "key": "learning-status",
            "sheet": "Learning plans by status",
            "title": "Learning action plans by status",
            "columns": [{"key": "status", "label": "Status"}, {"key": "plans", "label": "Plans"}],
            "rows": [{"status": PlanStatus(status).label, "plans": count} for status, count in by_status.items()],
            "note": f"{selectors.complaints_learned_from(period.start, period.end)} complaints learned from.",
        },
    ]
