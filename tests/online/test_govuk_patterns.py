"""The GOV.UK Frontend patterns shared by the residents' form and the members' portal (online.govuk and
templates/govuk/): each component's markup, its error state, and where the error summary's links go."""

import datetime
import re

import pytest
import time_machine
from django import forms
from django.template import Context, Template

from online.govuk import DateField, GovukForm


class Sample(GovukForm):
    question_field = "colour"
    colour = forms.ChoiceField(
        label="Which colour?", choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect
    )
    name = forms.CharField(label="Name", help_text="As on your tenancy", max_length=20)
    notes = forms.CharField(label="Notes", max_length=50, required=False, widget=forms.Textarea)
    reasons = forms.MultipleChoiceField(
        label="Reasons", choices=[("a", "A"), ("none", "None of these")], widget=forms.CheckboxSelectMultiple
    )
    happened = DateField(label="When?", what="the date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colour"].item_hints = {"blue": "Like the sky"}
        self.fields["reasons"].divider_before = "none"


def render(form):
    return Template('{% include "govuk/includes/error_summary.html" %}{{ form }}').render(Context({"form": form}))


def test_an_unbound_form_renders_each_component_without_errors():
    html = render(Sample())
    assert "govuk-error-summary" not in html and "govuk-form-group--error" not in html
    # The question field's legend is the page heading.
    assert '<h1 class="govuk-fieldset__heading">Which colour?</h1>' in html
    assert 'aria-describedby="id_colour_1-item-hint"' in html and ">Like the sky<" in html
    name_input = re.search(r'<input[^>]*id="id_name"[^>]*>', html).group(0)
    assert 'class="govuk-input"' in name_input and 'aria-describedby="id_name_helptext"' in name_input
    assert 'data-module="govuk-character-count" data-maxlength="50"' in html
    assert 'aria-describedby="id_notes-info"' in html and "maxlength" not in html.split("id_notes")[1][:200]
    assert '<div class="govuk-checkboxes__divider">or</div>' in html and 'data-behaviour="exclusive"' in html
    assert html.count('class="govuk-input govuk-date-input__input') == 3
    assert "required" not in re.findall(r"<input[^>]*>", html)[0]  # GOV.UK forms use no browser validation


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (["", "", ""], "Enter the date", ["day", "month", "year"]),
        (["", "4", ""], "The date must include a day and a year", ["day", "year"]),
        (["31", "2", "2025"], "The date must be a real date", ["day", "month", "year"]),
        (["3", "x", "2025"], "The date must be a real date", ["month"]),
        (["3", "4", "25"], "Year must include 4 numbers", ["year"]),
        (["3", "4", "2030"], "The date must be today or in the past", ["day", "month", "year"]),
    ],
)
def test_each_way_a_date_is_wrong_gets_its_message_and_marks_its_boxes(parts, message, marked):
    data = {"colour": "red", "name": "Ada", "reasons": ["a"]}
    data.update(dict(zip(["happened_day", "happened_month", "happened_year"], parts, strict=True)))
    with time_machine.travel(datetime.datetime(2025, 4, 17, tzinfo=datetime.UTC), tick=False):
        form = Sample(data)
        assert not form.is_valid()
    assert form.errors["happened"] == [message]
    html = render(form)
    first = ["day", "month", "year"].index(marked[0])
    assert f'<a href="#id_happened_{first}">{message}</a>' in html
    for index, part in enumerate(["day", "month", "year"]):
        box = re.search(rf'<input[^>]*id="id_happened_{index}"[^>]*>', html).group(0)
        assert ("govuk-input--error" in box) == (part in marked), (part, box)


def test_errors_link_from_the_summary_to_the_first_control_and_are_read_with_it():
    form = Sample({"name": "x" * 21, "notes": "", "happened_day": "1", "happened_month": "1", "happened_year": "2020"})
    assert not form.is_valid()
    html = render(form)
    summary = html.split('<div class="govuk-error-summary__body">')[1].split("</ul>")[0]
    assert re.findall(r'href="#([^"]+)"', summary) == ["id_colour_0", "id_name", "id_reasons_0"]
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<p class="govuk-error-message" id="id_name_error"><span class="govuk-visually-hidden">Error:</span>' in html
    assert "govuk-input govuk-input--error" in html


def test_the_valid_date_is_a_date():
    form = Sample(
        {
            "colour": "red",
            "name": "Ada",
            "reasons": ["a"],
            "happened_day": "3",
            "happened_month": "3",
            "happened_year": "2025",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["happened"] == datetime.date(2025, 3, 3)
