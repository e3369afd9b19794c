from django import forms
from django.contrib.auth import get_user_model

from casework.models import Ombudsman, ServiceArea
from casework.roles import Role
from complaints.forms import MoneyField, OfficerChoiceField, date_field, staff_with_roles
from ombudsman.models import OUTCOMES_BY_OMBUDSMAN, FindingCategory, FindingOutcome, OrderKind, OrderType


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
        label="Assign to", required=False, empty_label="Leave unassigned", queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, find_complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = case_handlers()
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


class AssignForm(forms.Form):
    handler = OfficerChoiceField(
        label="Officer",
        queryset=get_user_model().objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the officer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = case_handlers()


class StageDateForm(forms.Form):
    on = date_field("Date the ombudsman told the council")


class RequestInformationForm(forms.Form):
    received_on = date_field("Date the request arrived")
    due_on = date_field("Deadline set by the ombudsman", initial_today=False)
    details = forms.CharField(
        label="What the ombudsman asked for",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the ombudsman asked for."},
    )


class CloseForm(forms.Form):
    on = date_field("Date closed")
    reason = forms.CharField(
        label="Why it closed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the case closes without a determination, for example the ombudsman declined it.",
    )


class AskServiceForm(forms.Form):
    service_area = forms.ModelChoiceField(
        label="Service",
        queryset=ServiceArea.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages={"required": "Choose the service asked to contribute."},
    )
    officer = OfficerChoiceField(
        label="Officer asked",
        queryset=get_user_model().objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the officer asked to contribute."},
    )
    requested_on = date_field("Date asked")
    due_on = date_field(
        "Date the contribution is due",
        initial_today=False,
        help_text="Leave time before the ombudsman's deadline to write the reply.",
    )
    details = forms.CharField(label="What they need to send", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff_with_roles(
            Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER
        )


class ContributionReceivedForm(forms.Form):
    received_on = date_field("Date received")
    notes = forms.CharField(label="What the service sent", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    sent_on = date_field("Date the reply was sent")
    summary = forms.CharField(
        label="Summary of the reply",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Summarise the reply sent to the ombudsman."},
    )


class ExtendRequestForm(forms.Form):
    agreed_on = date_field("Date the ombudsman agreed")
    new_due_on = date_field("New deadline", initial_today=False)
    reason = forms.CharField(
        label="Why more time was needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why more time was needed."},
    )


# --- The determination --------------------------------------------------------------------------------


class DeterminationForm(forms.Form):
    determined_on = date_field("Date of the determination")
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(forms.Form):
    complaint_head = forms.CharField(label="Head of complaint", max_length=300, required=False)
    category = forms.ModelChoiceField(
        label="Category", queryset=FindingCategory.objects.filter(is_active=True), required=False, empty_label="Choose"
    )
    outcome = forms.ChoiceField(label="Finding", required=False)
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ombudsman=Ombudsman.HOUSING, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(FindingOutcome.choices)
        self.fields["outcome"].choices = [("", "Choose")] + [
            (value, labels[value]) for value in OUTCOMES_BY_OMBUDSMAN[ombudsman]
        ]
        self.fields["category"].queryset = FindingCategory.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("complaint_head"):
            if not data.get("category"):
                self.add_error("category", "Choose the category of this finding.")
            if not data.get("outcome"):
                self.add_error("outcome", "Choose the finding on this head of complaint.")
        elif data.get("category") or data.get("outcome"):
            self.add_error("complaint_head", "Say which head of complaint the finding is on.")
        return data


class OrderForm(forms.Form):
    kind = forms.ChoiceField(label="Order or recommendation", choices=OrderKind.choices, initial=OrderKind.ORDER)
    order_type = forms.ChoiceField(label="What it asks for", choices=[("", "None"), *OrderType.choices], required=False)
    finding_number = forms.TypedChoiceField(
        label="For finding", coerce=int, empty_value=None, required=False, help_text="Compensation needs its finding."
    )
    description = forms.CharField(label="Details", max_length=500, required=False)
    amount = MoneyField(label="Compensation (£)", required=False, help_text="For compensation, in pounds and pence.")
    due_on = date_field("Due date", required=False, initial_today=False)

    def __init__(self, *args, finding_count=10, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding_number"].choices = [("", "None")] + [
            (str(n), f"Finding {n}") for n in range(1, finding_count + 1)
        ]

    def has_changed(self):
        # The kind always has a value; an order with nothing else typed is an empty row.
        return bool(set(self.changed_data) - {"kind"})

    def clean(self):
        data = super().clean()
        if not data.get("order_type"):
            if any(data.get(name) for name in ("description", "amount", "due_on", "finding_number")):
                self.add_error("order_type", "Choose what the order or recommendation asks for.")
            return data
        if data["order_type"] == OrderType.COMPENSATION:
            if not data.get("amount"):
                self.add_error("amount", "Enter the compensation, like 150 or 75.50.")
            if not data.get("finding_number"):
                self.add_error("finding_number", "Choose the finding the compensation is for.")
        if data.get("kind") == OrderKind.ORDER and not data.get("due_on"):
            self.add_error("due_on", "Enter the date the ombudsman set for compliance.")
        return data


FINDING_ROWS = 6
FindingFormSet = forms.formset_factory(FindingForm, extra=FINDING_ROWS, max_num=30)
OrderFormSet = forms.formset_factory(OrderForm, extra=6, max_num=30)


class ComplianceForm(forms.Form):
    complied_on = date_field("Date complied with")
    evidence = forms.CharField(
        label="Evidence of compliance",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done and how it is shown, for example 'Paid £300 to the rent account on 3 October'.",
        error_messages={"required": "Describe the evidence that the order was complied with."},
    )
    file = forms.FileField(label="Document", required=False, help_text="A letter, receipt or photo.")


class EvidenceSentForm(forms.Form):
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
