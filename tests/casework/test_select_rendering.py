"""Selects, tick boxes and radio buttons are written by casework.forms_rendering in Python, not through the template engine; what they write
must be what Django's own templates write, for every kind of choice."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from casework.forms_rendering import AccessibleFormRenderer
from casework.models import ServiceArea


class ChoicesForm(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "Apple"), ("b", "Pear & <quince>")], initial="b")
    grouped = forms.ChoiceField(
        choices=[("", "Any"), ("Stage", [("1", "Stage 1"), ("2", "Stage 2")]), ("Other", [("x", 'Say "x"')])],
        required=False,
    )
    several = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")], initial=["1", "3"])
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True)
    area = forms.ModelChoiceField(queryset=ServiceArea.objects.order_by("name"), empty_label="Every area")
    ticks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkboxes"}),
        choices=[("a", "Apple"), ("b", "Pear & <quince>")],
        initial=["b"],
    )
    grouped_ticks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, choices=[("Stage", [("1", "Stage 1"), ("2", "Stage 2")]), ("x", "X")]
    )
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("y", "Yes"), ("n", 'Say "no"')], initial="n")
    disabled_ticks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, choices=[("a", "A")], disabled=True, required=False
    )


MULTIPLE_INPUTS = ["ticks", "grouped_ticks", "radio", "disabled_ticks"]


def both(form_class, data=None):
    """Each field's control as this project writes it and as Django's template writes it."""
    ours = form_class(data, renderer=AccessibleFormRenderer())
    django = form_class(data, renderer=DjangoTemplates())
    return [(str(ours[name]), str(django[name])) for name in ours.fields]


def test_selects_are_written_as_djangos_template_writes_them(db):
    ServiceArea.objects.create(name="Repairs <& Maintenance>", code="RM")
    ServiceArea.objects.create(name="Anti-social behaviour", code="ASB")
    for ours, django in both(ChoicesForm):
        assert parse_html(ours) == parse_html(django), (ours, django)
    ours = str(ChoicesForm(renderer=AccessibleFormRenderer())["plain"])
    assert '<option value="b" selected>Pear &amp; &lt;quince&gt;</option>' in ours
    assert 'value="x">Say &quot;x&quot;</option>' in str(ChoicesForm(renderer=AccessibleFormRenderer())["grouped"])


def test_a_bound_form_with_errors_keeps_the_described_by_and_choices(db):
    area = ServiceArea.objects.create(name="Repairs", code="RP")
    form = ChoicesForm({"plain": "nope", "several": ["2"], "area": str(area.pk)}, renderer=AccessibleFormRenderer())
    assert not form.is_valid()
    plain = str(form["plain"])
    assert 'aria-describedby="id_plain_error"' in plain
    assert "<option value=" in plain and " selected" not in plain
    several = str(form["several"])
    assert "multiple" in several and '<option value="2" selected>Two</option>' in several
    assert f'<option value="{area.pk}" selected>Repairs</option>' in str(form["area"])


@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_tick_boxes_and_radio_buttons_are_written_byte_for_byte_as_djangos_templates_write_them(auto_id):
    ours = ChoicesForm(auto_id=auto_id, renderer=AccessibleFormRenderer())
    django = ChoicesForm(auto_id=auto_id, renderer=DjangoTemplates())
    for name in MULTIPLE_INPUTS:
        assert str(ours[name]) == str(django[name]), name
    ticks = str(ours["ticks"])
    assert '<label for="id_ticks_1"' in ticks if auto_id else "<label>" in ticks
    assert 'value="b"' in ticks and "checked" in ticks and "Pear &amp; &lt;quince&gt;</label>" in ticks


def test_a_bound_form_ticks_what_was_sent(db):
    form = ChoicesForm({"ticks": ["a"], "radio": "y"}, renderer=AccessibleFormRenderer())
    django = ChoicesForm({"ticks": ["a"], "radio": "y"}, renderer=DjangoTemplates())
    for name in ("ticks", "radio"):
        assert str(form[name]) == str(django[name]), name
    assert 'value="a" class="checkboxes" id="id_ticks_0" checked' in str(form["ticks"])


class OwnOptions(forms.CheckboxSelectMultiple):
    option_template_name = "django/forms/widgets/input_option.html"


def test_a_widget_with_options_of_its_own_goes_through_the_template():
    field = forms.MultipleChoiceField(widget=OwnOptions, choices=[("a", "A")])
    ours = forms.Form(renderer=AccessibleFormRenderer())
    ours.fields["own"] = field
    django = forms.Form(renderer=DjangoTemplates())
    django.fields["own"] = field
    assert str(ours["own"]) == str(django["own"])


class InputsForm(forms.Form):
    text = forms.CharField(initial='Say "hi" & <wave>', max_length=20, help_text="A hint")
    hidden = forms.CharField(widget=forms.HiddenInput, initial="a&b")
    empty = forms.CharField(required=False)
    ticked = forms.BooleanField(initial=True)
    unticked = forms.BooleanField(required=False)
    email = forms.EmailField(initial="ada@example.org", disabled=True)
    number = forms.IntegerField(initial=7, min_value=0)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), initial="2026-04-01")
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    marked = forms.CharField(initial=mark_safe("<b>kept as text</b>"))


def test_single_inputs_are_written_character_for_character_as_djangos_templates_write_them():
    for data in (None, {"text": "<x>", "ticked": "on", "number": "nine", "hidden": '"q"'}):
        for ours, django in both(InputsForm, data):
            assert ours == django


def test_the_admins_row_tick_box_is_djangos():
    from django.contrib import admin as django_admin
    from django.test import override_settings

    from casework.models import Resident

    resident = Resident(pk=12, first_name="Ada", last_name="Lovelace & <co>")
    model_admin = django_admin.site._registry[Resident]
    ours = model_admin.action_checkbox(resident)
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        from django.forms.renderers import get_default_renderer

        get_default_renderer.cache_clear()
        try:
            django = model_admin.action_checkbox(resident)
        finally:
            get_default_renderer.cache_clear()
    assert ours == django
    assert 'name="_selected_action" value="12"' in ours
