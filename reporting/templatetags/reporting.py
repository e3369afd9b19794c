from django import template

DASH = "\u2013"  # an en dash: shown where there is nothing to divide by

register = template.Library()


@register.filter
def pct(value):
    """6.9 -> '6.9%'; nothing to divide by -> an en dash."""
    return DASH if value in (None, "") else f"{value}%"


@register.filter
def figure(value):
    return DASH if value in (None, "") else value


@register.filter
def signed(value):
    if value in (None, ""):
        return DASH
    return f"+{value}" if float(value) > 0 else str(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def split(text):
    return text.split(",")
