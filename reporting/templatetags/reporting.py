from django import template

register = template.Library()


@register.filter
def pct(value):
    """6.9 -> '6.9%'; nothing to divide by -> an en dash."""
    return "–" if value in (None, "") else f"{value}%"


@register.filter
def figure(value):
    return "–" if value in (None, "") else value


@register.filter
def signed(value):
    if value in (None, ""):
        return "–"
    return f"+{value}" if float(value) > 0 else str(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def split(text):
    return text.split(",")
