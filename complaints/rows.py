"""The cells of a row of the complaints queue (casework.queue_rows), as templates/complaints/queue.html heads them.
What they read is `selectors.QUEUE_ROW_FIELDS`."""

from django.utils.html import escape

from casework import queue_rows as cells
from complaints.models import Channel


def reference(complaint, left):
    html = cells.link(complaint)
    if complaint.is_urgent:
        html += ' <strong class="tag tag--red">Urgent</strong>'
    if complaint.repeat_upheld:
        html += ' <strong class="tag tag--amber">Repeat</strong>'
    if complaint.channel == Channel.WEB_FORM:
        html += ' <strong class="tag">Online</strong>'
    return html


def stage(complaint, left):
    return str(complaint.current_stage)


def service_area(complaint, left):
    return escape(complaint.service_area)


QUEUE_CELLS = (
    reference,
    cells.resident,
    cells.summary,
    stage,
    cells.status,
    service_area,
    cells.officer,
    cells.deadline,
)
