"""Template tags for the GOV.UK Frontend patterns (online.govuk)."""

from django import template

from online.govuk import DatePartsWidget

register = template.Library()


@register.simple_tag
def item_hint(field, value):
    return getattr(field.field, "item_hints", {}).get(value, "")


@register.filter
def date_parts(field):
    """Day, month and year boxes of a date field, with what was typed and whether each part is in error."""
    value = field.value()
    if not isinstance(value, list | tuple):
        value = field.field.widget.decompress(value)
    error_parts = set(getattr(field.field, "error_parts", ()) or ()) if field.errors else set()
    return [
        {
            "id": f"{field.auto_id}_{index}",
            "name": f"{field.html_name}_{part}",
            "label": part.capitalize(),
            "value": value[index] if index < len(value) else "",
            "width": 4 if part == "year" else 2,
            "error": part in error_parts,
        }
        for index, part in enumerate(DatePartsWidget.PARTS)
    ]


@register.simple_tag
def error_summary_items(*forms):
    """(link target or None, message) for every error of the given forms, in the order of their fields."""
    items = []
    for form in forms:
        if not form or not getattr(form, "is_bound", False):
            continue
        items.extend((None, str(message)) for message in form.non_field_errors())
        for field in form:
            if field.is_hidden:
                continue
            target = getattr(field, "first_control_id", field.auto_id)
            items.extend((target, str(message)) for message in field.errors)
    return items
