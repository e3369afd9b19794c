from django import forms

from sla.models import Division


class DeadlineCalculatorForm(forms.Form):
    start = forms.DateField(
        label="Start date",
        help_text="Day 0: the day the complaint, request or escalation was received. For example, 21/12/2024.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the start date.", "invalid": "Enter the start date as a real date."},
    )
    working_days = forms.IntegerField(
        label="Working days",
        min_value=-400,
        max_value=400,
        help_text="For example 5 to acknowledge, 10 or 20 to respond. A negative number counts back.",
        error_messages={
            "required": "Enter the number of working days.",
            "invalid": "Enter the working days as a whole number, like 10.",
            "min_value": "Working days must be between -400 and 400.",
            "max_value": "Working days must be between -400 and 400.",
        },
    )
    division = forms.ChoiceField(
        label="Bank holidays of",
        choices=Division.choices,
        initial=Division.ENGLAND_AND_WALES,
        required=False,
    )

    def clean_division(self):
        return self.cleaned_data.get("division") or Division.ENGLAND_AND_WALES
