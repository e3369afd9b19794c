from django import template
from django.utils import timezone

from casework import selectors
from casework.time_left import time_left

register = template.Library()


@register.filter
def pounds(pence):
    """1234550 -> '£12,345.50'."""
    if pence in (None, ""):
        return ""
    return f"£{int(pence) / 100:,.2f}"


@register.filter
def due_status(due_on):
    """Time left until a due date, in working days (England and Wales), with its urgency."""
    return time_left(due_on, timezone.localdate())


@register.simple_tag
def queue_rows(page, queue, reassign_form):
    """The rows of a queue's page (casework.queue_rows), with their tick boxes when the page can reassign."""
    from casework import queue_rows

    return queue_rows.rows(page, queue.row_cells, selectable=bool(reassign_form))


@register.filter
def notes_of(case):
    return selectors.notes_of(case)


@register.simple_tag(takes_context=True)
def links_of(context, case):
    """The case's links to cases the page's user may see."""
    return selectors.links_of(case, context["request"].user)


@register.filter
def label_for(value, choices):
    return dict(choices).get(value, value)


@register.simple_tag
def error_list(*forms_or_formsets):
    """Every error of the given forms and formsets as (field id or None, message), for the error summary."""
    errors = []
    items = []
    for item in forms_or_formsets:
        items.extend(item if isinstance(item, list | tuple) else [item])
    for item in items:
        if item is None or item == "":
            continue
        forms = getattr(item, "forms", None)
        if forms is not None:  # a formset: its own errors point at its heading, when the page gives it one
            anchor = item.prefix if getattr(item, "rows", None) else None
            errors.extend((anchor, str(message)) for message in item.non_form_errors())
        else:
            forms = [item]
        for form in forms:
            if not form.is_bound:
                continue
            errors.extend((None, str(message)) for message in form.non_field_errors())
            for field in form:
                errors.extend((field.auto_id, str(message)) for message in field.errors)
    return errors
