"""The cells of a row of the members' enquiries queue (casework.queue_rows), as templates/enquiries/queue.html heads
them. What they read is `selectors.QUEUE_ROW_FIELDS`."""

from django.utils.html import escape

from casework import queue_rows as cells


def reference(enquiry, left):
    html = cells.link(enquiry)
    if enquiry.is_urgent:
        html += ' <strong class="tag tag--red">Urgent</strong>'
    return html


def member(enquiry, left):
    return escape(enquiry.member.name)


def enquiry_type(enquiry, left):
    return escape(enquiry.get_enquiry_type_display())


QUEUE_CELLS = (
    reference,
    member,
    cells.resident,
    cells.summary,
    enquiry_type,
    cells.status,
    cells.officer,
    cells.deadline,
)
