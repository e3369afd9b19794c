"""GOV.UK Frontend patterns for Django forms, shared by the residents' pages and the members' portal.

A form that sets `default_renderer = GovukFormRenderer` renders each field with `templates/govuk/forms/field.html`,
which picks the GOV.UK component for the widget (input, textarea, radios, checkboxes, select, date input, file
upload) and gives it its label or legend, hint, error message and error styling. What a component needs beyond
Django's field is said on the field:

- `field.item_hints`: {value: hint} under a radio or checkbox;
- `field.divider_before`: the value before which radios or checkboxes show "or" (a "none of these" choice,
  which then unticks the others, as the GOV.UK checkboxes' exclusive option does);
- `field.width`: a GOV.UK input width class suffix, such as "20" or "one-half";
- `field.max_words`/`max_length` on a textarea: a character count;
- a form's `question_field`: the field whose label or legend is the page's heading (one question a page).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

# Which GOV.UK component renders each Django widget (templates/govuk/forms/<component>.html).
COMPONENTS = {
    "radioselect": "radios",
    "checkboxselectmultiple": "checkboxes",
    "checkbox": "checkbox",
    "select": "select",
    "textarea": "textarea",
    "clearablefile": "file_upload",
    "file": "file_upload",
    "dateparts": "date_input",
}
# The class GOV.UK Frontend gives each kind of control, and its error variant.
CONTROL_CLASSES = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file_upload": "govuk-file-upload",
}


def component_of(bound_field):
    return COMPONENTS.get(bound_field.widget_type, "input")


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        component = component_of(self)
        base = CONTROL_CLASSES.get(component)
        if base:
            classes = [base]
            if self.errors:
                classes.append(f"{base}--error")
            width = getattr(self.field, "width", None)
            if width and component == "input":
                classes.append(f"govuk-input--width-{width}" if width.isdigit() else f"govuk-!-width-{width}")
            if component == "textarea" and getattr(self.field, "max_length", None):
                classes.append("govuk-js-character-count")
                attrs["aria-describedby"] = " ".join(
                    filter(None, [attrs.get("aria-describedby"), f"{self.auto_id}-info"])
                )
            if attrs.get("class"):
                classes.append(attrs["class"])
            attrs["class"] = " ".join(classes)
        return attrs

    @property
    def component(self):
        return component_of(self)

    @property
    def is_question(self):
        return getattr(self.form, "question_field", None) == self.name

    @property
    def first_control_id(self):
        """Where the error summary's link for this field goes: the control, the first radio or checkbox, or the
        first part of a date that is wrong."""
        if self.component in ("radios", "checkboxes"):
            return f"{self.auto_id}_0"
        if self.component == "date_input":
            parts = getattr(self.field, "error_parts", None) or ("day",)
            return f"{self.auto_id}_{DatePartsWidget.PARTS.index(parts[0])}"
        return self.auto_id


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField


class GovukForm(forms.Form):
    """A form in the GOV.UK pattern. GOV.UK asks for no browser validation (the form has `novalidate`, and the
    service's own messages say what is wrong), so no `required` attributes either."""

    default_renderer = GovukFormRenderer
    use_required_attribute = False
    question_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                # The character count tells people how much is left and lets them type past the limit and then
                # edit, so the browser's own hard limit is off; the form still refuses what is too long.
                field.widget.attrs.pop("maxlength", None)

    def top_level_fields(self):
        return self.visible_fields()


# --- Date input ---------------------------------------------------------------------------------------


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year in three boxes (the GOV.UK date input): easier than a date picker for a date people
    know, such as when something happened, and the same in every browser."""

    PARTS = ("day", "month", "year")
    template_name = "govuk/forms/widgets/date_parts.html"

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in self.PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""


class DateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK messages for each way it can be wrong; the parts in
    error are remembered (`error_parts`) so only those boxes are marked."""

    widget = DatePartsWidget

    def __init__(self, *, what="the date", past_only=True, **kwargs):
        self.what = what
        self.past_only = past_only
        self.error_parts = ()
        super().__init__(**kwargs)

    def _fail(self, message, parts):
        self.error_parts = tuple(parts)
        raise ValidationError(message)

    def to_python(self, value):
        self.error_parts = ()
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, list | tuple):
            value = [value, None, None]
        parts = dict(zip(DatePartsWidget.PARTS, [(str(v or "")).strip() for v in value], strict=False))
        if not any(parts.values()):
            if self.required:
                self._fail(f"Enter {self.what}", DatePartsWidget.PARTS)
            return None
        missing = [part for part in DatePartsWidget.PARTS if not parts.get(part)]
        if missing:
            words = " and a ".join(missing) if len(missing) == 2 else missing[0]
            self._fail(f"{self.what.capitalize()} must include a {words}", missing)
        if not all(parts[part].isdigit() for part in DatePartsWidget.PARTS):
            wrong = [part for part in DatePartsWidget.PARTS if not parts[part].isdigit()]
            self._fail(f"{self.what.capitalize()} must be a real date", wrong)
        if len(parts["year"]) != 4:
            self._fail("Year must include 4 numbers", ["year"])
        try:
            day = datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self._fail(f"{self.what.capitalize()} must be a real date", DatePartsWidget.PARTS)
        if self.past_only and day > timezone.localdate():
            self._fail(f"{self.what.capitalize()} must be today or in the past", DatePartsWidget.PARTS)
        return day

    def bound_data(self, data, initial):
        return data if data is not None else initial
