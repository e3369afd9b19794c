"""The choice of period and drill-down, shared by the report pages and the API; the closure survey's question."""

import datetime

from django import forms
from django.utils import timezone

from casework.models import IssueNature, ServiceArea
from online.govuk import GovukForm
from reporting.models import Satisfaction
from reporting.periods import Period, financial_year, financial_year_of, parse_financial_year


class ReportFilterForm(forms.Form):
    year = forms.CharField(
        required=False,
        label="Financial year",
        help_text="For example 2024/25. Leave empty and give dates for any other period.",
        max_length=9,
    )
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    service_area = forms.ModelChoiceField(queryset=ServiceArea.objects.all(), required=False, label="Service area")
    issue_nature = forms.ModelChoiceField(queryset=IssueNature.objects.all(), required=False, label="Issue nature")
    average_until = forms.CharField(
        required=False,
        label="Year-to-date average up to",
        help_text="A month (YYYY-MM) to compare later months with; empty compares each month with the months "
        "before it.",
        max_length=7,
    )

    def clean_year(self):
        value = self.cleaned_data["year"].strip()
        if not value:
            return None
        try:
            return parse_financial_year(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_average_until(self):
        value = self.cleaned_data["average_until"].strip()
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError as error:
            raise forms.ValidationError("Give the month as YYYY-MM, for example 2020-08.") from error

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both dates of the period, or a financial year.")
        if start and end and end < start:
            self.add_error("end", "The period cannot end before it starts.")
        if start and end and (end - start).days > 366 * 5:
            self.add_error("end", "Choose a period of five years or less.")
        return data

    def period(self):
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return financial_year(data.get("year") or financial_year_of(timezone.localdate()))


class YearForm(forms.Form):
    year = forms.CharField(required=False, label="Financial year", help_text="For example 2024/25.", max_length=9)

    def clean_year(self):
        value = self.cleaned_data["year"].strip()
        if not value:
            return financial_year_of(timezone.localdate())
        try:
            return parse_financial_year(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class AnnualReportEntryForm(forms.Form):
    """What the council writes into a year's annual report, named by the report's financial year."""

    year = forms.CharField(
        label="Financial year of the report",
        max_length=9,
        help_text="For example 2024/25.",
        error_messages={"required": "Enter the financial year of the report, for example 2024/25."},
    )

    def clean_year(self):
        try:
            return parse_financial_year(self.cleaned_data["year"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class GoverningBodyResponseForm(AnnualReportEntryForm):
    governing_body = forms.CharField(
        label="Who responded",
        max_length=200,
        help_text="The committee or cabinet, and the member responsible for complaints.",
        error_messages={"required": "Enter who responded: the committee or cabinet."},
    )
    responded_on = forms.DateField(
        label="Date of the response",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date of the response.",
            "invalid": "Enter the date of the response as a real date.",
        },
    )
    response = forms.CharField(
        label="The governing body's response",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,  # the service says what is missing, in the same words for the page and any other caller
    )


class PerformanceAnalysisForm(AnnualReportEntryForm):
    analysis = forms.CharField(
        label="Analysis of the year's complaint handling performance",
        help_text="What the figures show and why: trends, causes, what went well and what did not. Printed above "
        "the figures in the report's performance section.",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,  # the service says what is missing or too long, in the same words for every caller
    )


class ClosureSurveyForm(GovukForm):
    """The TP09 question, as the perception survey asks it, on the page the closure survey's link opens."""

    question_field = "answer"
    answer = forms.ChoiceField(
        label="How satisfied or dissatisfied are you with our approach to complaints handling?",
        choices=[*Satisfaction.choices, ("dont_know", "Don't know")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied or dissatisfied you are"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].divider_before = "dont_know"
