"""The cells of a row of the ombudsman cases' list (casework.queue_rows), as templates/ombudsman/list.html heads
them. What they read is `selectors.LIST_ROW_FIELDS`."""

from django.utils.html import escape

from casework import queue_rows as cells


def ombudsman(case, left):
    return escape(case.get_ombudsman_display())


def their_reference(case, left):
    return escape(case.ombudsman_reference) if case.ombudsman_reference else cells.NONE


def stage(case, left):
    return escape(case.get_stage_display())


def complaint(case, left):
    return cells.NONE if case.original_complaint is None else cells.link(case.original_complaint)


LIST_CELLS = (
    cells.reference,
    ombudsman,
    their_reference,
    cells.resident,
    cells.summary,
    stage,
    complaint,
    cells.officer,
    cells.deadline,
)
