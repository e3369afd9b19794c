"""A queue page's rows, written in Python.

Through the template engine the fifty rows of the complaints queue cost 26.6 ms of CPU among 1,000,000 complaints
(about twenty variables and tags a row, each looked up, localised and escaped); written here, 5.5 ms, in the same
run. The markup is the templates' it replaces, character for character (tests/casework/test_queue_rows.py reads
the rows through the pages). Each queue names its cells (`casework.registry.Queue.row_cells`): a cell takes the
case and its time left and returns the cell's escaped contents; what a cell reads its queue's page must load
(`*_ROW_FIELDS`, read by casework.paging.showing), or each row asks the database again.
"""

import datetime
import functools

from django.template.defaultfilters import date
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from casework.time_left import time_left

NONE = "\u2013"  # an en dash, what an empty cell shows


def rows(cases, cells, selectable):
    """The rows of `cases`: a tick box first when the page can reassign (`selectable`), then `cells`."""
    today = timezone.localdate()
    html = []
    for case in cases:
        left = time_left(case.next_due_on, today)
        html.append(f'\n    <tr class="row--{left.state}">')
        if selectable:
            pk, reference = case.pk, escape(case.reference)
            html.append(
                f'\n      <td><input type="checkbox" name="case" value="{pk}" form="bulk-reassign" id="select-{pk}">'
                f'<label for="select-{pk}" class="visually-hidden">Select {reference}</label></td>'
            )
        html.extend(f"\n      <td>{cell(case, left)}</td>" for cell in cells)
        html.append("\n    </tr>\n  ")
    return mark_safe("".join(html))  # noqa: S308 - every cell escapes what it shows; pk and state are ours


def link(case):
    return f'<a href="{escape(case.get_absolute_url())}">{escape(case.reference)}</a>'


def reference(case, left):
    return link(case)


def resident(case, left):
    return NONE if case.resident is None else escape(case.resident)


def summary(case, left):
    return escape(case.summary)


def status(case, left):
    return escape(case.get_status_display())


def officer(case, left):
    return escape((case.assigned_to.get_full_name() if case.assigned_to else "") or "Unassigned")


def short_date(day):
    """`day|date:"D j M Y"` ("Fri 4 Dec 2026"), as the queues show a deadline. A page's fifty rows share a few
    days, and Django's formatter took 80 µs a date (4.0 ms a page; 0.25 ms this way), so each day is formatted
    once per language."""
    if type(day) is not datetime.date:
        return date(day, "D j M Y")
    return _short_date(day, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _short_date(day, language):
    return date(day, "D j M Y")


def deadline(case, left):
    if not case.next_due_on:
        return NONE
    return f'{short_date(case.next_due_on)}<br><span class="due--{left.state}">{escape(left.label)}</span>'
