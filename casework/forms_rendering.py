"""Forms render in the GOV.UK pattern: label, hint, error message, then the control, with the error and
hint tied to the control by aria-describedby so screen readers announce them."""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
# Tick boxes and radio buttons, each with the option template Django gives it.
MULTIPLE_INPUT_TEMPLATES = {
    "django/forms/widgets/checkbox_select.html": "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio.html": "django/forms/widgets/radio_option.html",
}

# One <input> each: Django's input.html, included by each of these. The admin writes a tick box on every row of
# a list (its action checkbox), a hundred a page, and forms write their hidden and text fields.
SINGLE_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("checkbox", "hidden", "text", "email", "number", "date", "datetime", "time", "search", "tel", "url")
}


class AccessibleBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and self.auto_id:
            described_by = [f"{self.auto_id}_helptext"] if self.help_text else []
            described_by.append(f"{self.auto_id}_error")
            attrs["aria-describedby"] = " ".join(described_by)
        return attrs


class AccessibleFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = AccessibleBoundField

    def render(self, template_name, context, request=None):
        # A queue's filters and tools render about two hundred options on every view (officers, service areas,
        # issue natures): through the template engine that was half the filter form's time. The markup is
        # Django's select template's, written here.
        if template_name == SELECT_TEMPLATE:
            return render_select(context["widget"])
        if template_name in SINGLE_INPUT_TEMPLATES:
            return render_input(context["widget"])
        # The status tick boxes likewise (Django's multiple_input.html, input_option.html and input.html), unless
        # a widget has options of its own.
        option_template = MULTIPLE_INPUT_TEMPLATES.get(template_name)
        if option_template and all(
            option["template_name"] == option_template
            for _group, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return render_multiple_input(context["widget"])
        return super().render(template_name, context, request)


def _attributes(attrs):
    # As Django's attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{conditional_escape(option["value"])}"{_attributes(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every name, value and label above is escaped


def render_input(widget):
    # As input.html (Django's renderer strips the templates' new lines): the value goes through `stringformat:'s'`,
    # which keeps a safe string safe, so only the others are escaped.
    value = widget["value"]
    if value is None:
        shown = ""
    else:
        shown = f' value="{conditional_escape(value if isinstance(value, SafeData) else str(value))}"'
    return mark_safe(  # noqa: S308 - the type, name, value and attributes are escaped
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attributes(widget['attrs'])}>"
    )


def render_multiple_input(widget):
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{conditional_escape(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{conditional_escape(attrs["class"])}"')
    parts.append(">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{conditional_escape(group_name)}</label>")
        parts.extend(f"<div>\n    {_input_option(option)}</div>" for option in options)
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every name, value and label is escaped


def _input_option(option):
    # The new lines are those the three included templates end with.
    value = "" if option["value"] is None else f' value="{conditional_escape(option["value"])}"'
    control = (
        f'<input type="{conditional_escape(option["type"])}" name="{conditional_escape(option["name"])}"'
        f"{value}{_attributes(option['attrs'])}>\n"
    )
    if not option["wrap_label"]:
        return f"{control}\n\n"
    label_for = f' for="{conditional_escape(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{control} {conditional_escape(option['label'])}</label>\n\n"
