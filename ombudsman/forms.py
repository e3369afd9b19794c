from django import forms

from casework.actions import ActionForm, RowForm, Rows
from casework.forms import MoneyField, OfficerChoiceField, date_field, staff_with_roles
from casework.models import Ombudsman, ServiceArea
from casework.roles import Role
from ombudsman.models import (
    OUTCOMES_BY_OMBUDSMAN,
    FindingCategory,
    FindingOutcome,
    NonComplianceKind,
    OrderKind,
    OrderType,
    PublicationKind,
)


def case_handlers():
    return staff_with_roles(Role.COMPLAINTS_OFFICER, Role.MANAGER)


class OpenCaseForm(forms.Form):
    ombudsman = forms.ChoiceField(
        label="Ombudsman",
        choices=[("", "Choose"), *Ombudsman.choices],
        help_text="The Housing Ombudsman hears landlord services; the LGSCO allocations, homelessness, private "
        "sector housing and other services.",
        error_messages={"required": "Choose which ombudsman has the case."},
    )
    received_on = date_field("Date the ombudsman told the council")
    ombudsman_reference = forms.CharField(label="The ombudsman's reference", max_length=60, required=False)
    ombudsman_contact = forms.CharField(
        label="The ombudsman's caseworker", max_length=200, required=False, help_text="Name and email address."
    )
    complaint_reference = forms.CharField(
        label="The council's complaint reference",
        max_length=30,
        required=False,
        help_text="The complaint that went through the council's procedure, like CMP-2025-000123.",
    )
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(is_active=True),
        required=False,
        empty_label="As the complaint",
        help_text="Needed only when there is no complaint.",
    )
    summary = forms.CharField(
        label="Summary", max_length=250, required=False, help_text="One line; the complaint's summary if left empty."
    )
    description = forms.CharField(
        label="What the resident asked the ombudsman to look at",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    assigned_to = OfficerChoiceField(
        label="Assign to", required=False, empty_label="Leave unassigned", queryset=case_handlers()
    )

    def __init__(self, *args, find_complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_complaint = find_complaint

    def clean(self):
        data = super().clean()
        reference = (data.get("complaint_reference") or "").strip().upper()
        data["original_complaint"] = None
        if reference:
            complaint = self.find_complaint(reference) if self.find_complaint else None
            if complaint is None:
                self.add_error("complaint_reference", f"There is no complaint {reference} that you can see.")
            data["original_complaint"] = complaint
        elif not data.get("service_area"):
            self.add_error("service_area", "Choose the service area, or give the complaint's reference.")
        if not reference and not data.get("summary"):
            self.add_error("summary", "Enter a one-line summary, or give the complaint's reference.")
        return data


# --- The inputs of the ombudsman workflows' transitions (ombudsman.workflow) -----------------------------


class AssignForm(ActionForm):
    handler = OfficerChoiceField(
        label="Officer",
        queryset=case_handlers(),
        empty_label="Choose",
        error_messages={"required": "Choose the officer."},
    )


class StageDateForm(ActionForm):
    on = date_field("Date the ombudsman told the council")


class RequestInformationForm(ActionForm):
    received_on = date_field("Date the request arrived")
    due_on = date_field("Deadline set by the ombudsman", initial_today=False)
    details = forms.CharField(
        label="What the ombudsman asked for",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the ombudsman asked for."},
    )


class CloseForm(ActionForm):
    on = date_field("Date closed")
    reason = forms.CharField(
        label="Why it closed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the case closes without a determination, for example the ombudsman declined it.",
    )


class AskServiceForm(ActionForm):
    service_area = forms.ModelChoiceField(
        label="Service",
        queryset=ServiceArea.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages={"required": "Choose the service asked to contribute."},
    )
    officer = OfficerChoiceField(
        label="Officer asked",
        queryset=staff_with_roles(Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER),
        empty_label="Choose",
        error_messages={"required": "Choose the officer asked to contribute."},
    )
    requested_on = date_field("Date asked", required=False)
    due_on = date_field(
        "Date the contribution is due",
        initial_today=False,
        help_text="Leave time before the ombudsman's deadline to write the reply.",
    )
    details = forms.CharField(label="What they need to send", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContributionReceivedForm(ActionForm):
    received_on = date_field("Date received")
    notes = forms.CharField(label="What the service sent", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(ActionForm):
    sent_on = date_field("Date the reply was sent")
    summary = forms.CharField(
        label="Summary of the reply",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Summarise the reply sent to the ombudsman."},
    )


class ExtendRequestForm(ActionForm):
    agreed_on = date_field("Date the ombudsman agreed")
    new_due_on = date_field("New deadline", initial_today=False)
    reason = forms.CharField(
        label="Why more time was needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why more time was needed."},
    )


# --- The determination --------------------------------------------------------------------------------

MAX_FINDINGS = 30


class FindingForm(RowForm):
    complaint_head = forms.CharField(label="Head of complaint", max_length=300, required=False)
    category = forms.ModelChoiceField(
        label="Category", queryset=FindingCategory.objects.filter(is_active=True), required=False, empty_label="Choose"
    )
    outcome = forms.ChoiceField(label="Finding", required=False, choices=[("", "Choose"), *FindingOutcome.choices])
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required_when_filled = {
        "complaint_head": "Say which head of complaint the finding is on.",
        "category": "Choose the category of this finding.",
        "outcome": "Choose the finding on this head of complaint.",
    }

    def __init__(self, *args, ombudsman=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ombudsman is not None:  # the page offers only the findings this ombudsman makes
            labels = dict(FindingOutcome.choices)
            self.fields["outcome"].choices = [("", "Choose")] + [
                (value, labels[value]) for value in OUTCOMES_BY_OMBUDSMAN[ombudsman]
            ]


class OrderForm(RowForm):
    kind = forms.ChoiceField(label="Order or recommendation", choices=OrderKind.choices, initial=OrderKind.ORDER)
    order_type = forms.ChoiceField(label="What it asks for", choices=[("", "None"), *OrderType.choices], required=False)
    finding = forms.TypedChoiceField(
        label="For finding",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "None"), *((n, f"Finding {n}") for n in range(1, MAX_FINDINGS + 1))],
        help_text="An order remedies a finding of the determination.",
    )
    description = forms.CharField(label="Details", max_length=500, required=False)
    amount_pence = MoneyField(
        label="Compensation (£)", required=False, help_text="For compensation, in pounds and pence."
    )
    due_on = date_field("Due date", required=False, initial_today=False)
    required_when_filled = {"order_type": "Choose what the order or recommendation asks for."}
    always_set = ("kind",)

    def __init__(self, *args, finding_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        if finding_rows is not None:
            self.fields["finding"].choices = [("", "None"), *((n, f"Finding {n}") for n in range(1, finding_rows + 1))]


class DeterminationForm(ActionForm):
    determined_on = date_field("Date of the determination")
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rows = {
        "findings": Rows(
            FindingForm, "Finding", "Findings, one per head of complaint", extra=6, max=MAX_FINDINGS, min=1,
            form_kwargs=lambda case: {"ombudsman": case.ombudsman},
        ),
        "orders": Rows(
            OrderForm, "Order or recommendation", "Orders and recommendations", extra=6, max=MAX_FINDINGS,
            form_kwargs=lambda case: {"finding_rows": 6},
            hint="An order names the finding it remedies; compensation is reported by that finding's category.",
        ),
    }  # fmt: skip


class ComplianceForm(ActionForm):
    complied_on = date_field("Date complied with")
    evidence = forms.CharField(
        label="Evidence of compliance",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done and how it is shown, for example 'Paid £300 to the rent account on 3 October'.",
        error_messages={"required": "Describe the evidence that the order was complied with."},
    )
    file = forms.FileField(label="Document", required=False, help_text="A letter, receipt or photo.")


class EvidenceSentForm(ActionForm):
    sent_on = date_field("Date the evidence was sent to the ombudsman")


class PeriodForm(forms.Form):
    ombudsman = forms.ChoiceField(label="Ombudsman", choices=Ombudsman.choices, required=False)
    start = date_field(
        "Start of the period", required=False, initial_today=False, help_text="Determinations made on or after."
    )
    end = date_field(
        "End of the period", required=False, initial_today=False, help_text="Determinations made on or before."
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must be on or after its start.")
        return data


# --- Findings of non-compliance, annual letters and other reports ---------------------------------------


class NonComplianceForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the Ombudsman made",
        choices=[("", "Choose"), *NonComplianceKind.choices],
        error_messages={"required": "Choose whether it is a complaint handling failure order or notice."},
    )
    ombudsman = forms.ChoiceField(label="Ombudsman", choices=Ombudsman.choices, initial=Ombudsman.HOUSING)
    issued_on = date_field("Date of the order or notice")
    ombudsman_reference = forms.CharField(label="The Ombudsman's reference", max_length=60, required=False)
    finding = forms.CharField(
        label="What the Ombudsman found",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the Ombudsman found."},
    )
    code_provisions = forms.CharField(
        label="The Code's provisions concerned", max_length=100, required=False, help_text="For example 5.6, 6.2."
    )
    ombudsman_case_reference = forms.CharField(
        label="Ombudsman case",
        max_length=30,
        required=False,
        help_text="The council's reference, like OMB-2025-000012.",
    )
    complaint_reference = forms.CharField(
        label="Complaint", max_length=30, required=False, help_text="Taken from the ombudsman case when left empty."
    )
    council_action = forms.CharField(
        label="What the council did", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    complied_on = date_field("Date the council complied", required=False, initial_today=False)

    def __init__(self, *args, find_case=None, find_complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_case = find_case
        self.find_complaint = find_complaint

    def clean(self):
        data = super().clean()
        data["ombudsman_case"] = data["complaint"] = None
        for field, key, find, what in (
            ("ombudsman_case_reference", "ombudsman_case", self.find_case, "ombudsman case"),
            ("complaint_reference", "complaint", self.find_complaint, "complaint"),
        ):
            reference = (data.get(field) or "").strip().upper()
            if reference:
                found = find(reference) if find else None
                if found is None:
                    self.add_error(field, f"There is no {what} {reference} that you can see.")
                data[key] = found
        return data

    def service_values(self):
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in (
                "kind",
                "ombudsman",
                "issued_on",
                "ombudsman_reference",
                "finding",
                "code_provisions",
                "ombudsman_case",
                "complaint",
                "council_action",
                "complied_on",
            )
        }


class PublicationForm(forms.Form):
    kind = forms.ChoiceField(label="What it is", choices=PublicationKind.choices, initial=PublicationKind.ANNUAL_LETTER)
    ombudsman = forms.ChoiceField(label="Ombudsman", choices=Ombudsman.choices, initial=Ombudsman.HOUSING)
    reporting_year = forms.CharField(
        label="Financial year it is about",
        max_length=9,
        help_text="For example 2024/25.",
        error_messages={"required": "Enter the financial year it is about, for example 2024/25."},
    )
    title = forms.CharField(label="Title", max_length=200, required=False)
    received_on = date_field("Date it was received")
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What it says about the council's complaint handling.",
        error_messages={"required": "Enter a summary of what it says about the council."},
    )
    file = forms.FileField(label="The letter or report", required=False, help_text="Optional: PDF or Word.")

    def clean_reporting_year(self):
        from reporting.periods import parse_financial_year

        try:
            return parse_financial_year(self.cleaned_data["reporting_year"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def service_values(self):
        data = self.cleaned_data
        return {
            key: data.get(key) for key in ("kind", "ombudsman", "reporting_year", "title", "received_on", "summary")
        }
