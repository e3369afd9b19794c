"""Forms render in the GOV.UK pattern: label, hint, error message, then the control, with the error and
hint tied to the control by aria-describedby so screen readers announce them."""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


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
