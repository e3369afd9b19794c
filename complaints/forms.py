from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import IssueNature, ServiceArea
from casework.roles import Role, group_name
from complaints.models import Channel, ComplaintType, RefusalReason, RemedyKind, StageOutcome


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text="", initial_today=True):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        initial=timezone.localdate if initial_today else None,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a real date.",
        },
    )


def staff_with_roles(*roles):
    names = [group_name(role) for role in roles]
    return (
        get_user_model()
        .objects.filter(groups__name__in=names, is_active=True)
        .distinct()
        .order_by("first_name", "last_name")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class MoneyField(forms.CharField):
    """Pounds and pence as typed ('£1,250.50' or '75'), cleaned to an integer number of pence."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = value.replace("£", "").replace(",", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise forms.ValidationError("Enter an amount in pounds and pence, like 75 or 150.50.") from error
        if amount < 0:
            raise forms.ValidationError("The amount cannot be negative.")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError("Enter the amount to the nearest penny.")
        return int(amount * 100)


class LogComplaintForm(forms.Form):
    received_on = date_field("Date received", help_text="Day 0 of every deadline on this complaint.")
    channel = forms.ChoiceField(
        label="How it was made",
        choices=[("", "Choose"), *Channel.choices],
        error_messages={"required": "Choose how the complaint was made."},
    )
    existing_resident = forms.IntegerField(widget=forms.HiddenInput, required=False)
    first_name = forms.CharField(label="Resident's first name", max_length=100, required=False)
    last_name = forms.CharField(label="Resident's last name", max_length=100, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com."},
    )
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    address = forms.CharField(label="Address of the property", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    representative_name = forms.CharField(
        label="Representative's name",
        required=False,
        max_length=200,
        help_text="Someone acting for the resident, if any.",
    )
    representative_relationship = forms.CharField(
        label="Representative's relationship to the resident", required=False, max_length=100
    )
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages={"required": "Choose the service area."},
    )
    issue_nature = forms.ModelChoiceField(
        label="Issue nature",
        queryset=IssueNature.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages={"required": "Choose the issue nature."},
    )
    complaint_type = forms.ChoiceField(
        label="Type of complaint",
        choices=[("", "Choose"), *ComplaintType.choices],
        error_messages={"required": "Choose the type of complaint."},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=250,
        help_text="One line that identifies the complaint in lists.",
        error_messages={"required": "Enter a one-line summary."},
    )
    description = forms.CharField(
        label="The complaint as you understand it",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the complaint as you understand it."},
    )
    outcome_wanted = forms.CharField(
        label="The outcome the resident wants",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what outcome the resident wants."},
    )
    issue_occurred_on = date_field(
        "Date the issue happened",
        required=False,
        initial_today=False,
        help_text="Or when the resident became aware of it.",
    )
    staff_named = forms.CharField(
        label="Staff named in the complaint",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line. Reported to HR.",
    )
    is_urgent = forms.BooleanField(
        label="Urgent: imminent eviction, domestic abuse or harassment, safeguarding, homeless tonight", required=False
    )
    vulnerability_noted = forms.BooleanField(
        label="The resident has a vulnerability or needs reasonable adjustments", required=False
    )
    vulnerability_notes = forms.CharField(
        label="Vulnerability or adjustments", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    assigned_to = OfficerChoiceField(
        label="Assign to",
        required=False,
        empty_label="Leave unassigned",
        queryset=staff_with_roles(Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER),
    )

    def __init__(self, *args, resident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.fields["assigned_to"].queryset = staff_with_roles(
            Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER
        )
        if resident is not None:
            self.fields["existing_resident"].initial = resident.pk
            for name in ("first_name", "last_name", "email", "phone", "address", "postcode"):
                self.fields[name].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if self.resident is None:
            if not data.get("first_name"):
                self.add_error("first_name", "Enter the resident's first name.")
            if not data.get("last_name"):
                self.add_error("last_name", "Enter the resident's last name.")
        if data.get("representative_name") and not data.get("representative_relationship"):
            self.add_error("representative_relationship", "Say how the representative is related to the resident.")
        return data


class AcknowledgeForm(forms.Form):
    on = date_field("Date acknowledged")


class AssignForm(forms.Form):
    handler = OfficerChoiceField(
        label="Officer",
        queryset=get_user_model().objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the officer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = staff_with_roles(
            Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER
        )


class ExtendForm(forms.Form):
    granted_on = date_field("Date of the extension")
    extra_working_days = forms.IntegerField(
        label="Extra working days",
        min_value=1,
        max_value=200,
        required=False,
        help_text="Or give the new due date below.",
    )
    new_due_on = date_field("New due date", required=False, initial_today=False)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Explained to the resident, with the ombudsman's contact details.",
        error_messages={"required": "Give the reason for the extension."},
    )
    resident_told_on = date_field("Date the resident was told")
    approved_by = OfficerChoiceField(
        label="Approved by (beyond the procedure's limit only)",
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label="Not needed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = staff_with_roles(Role.MANAGER, Role.ADMINISTRATOR)

    def clean(self):
        data = super().clean()
        if bool(data.get("extra_working_days")) == bool(data.get("new_due_on")):
            self.add_error("extra_working_days", "Give either the extra working days or the new due date.")
        return data


class RespondForm(forms.Form):
    on = date_field("Date the response was sent")
    summary = forms.CharField(
        label="Summary of the response",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Summarise the response sent to the resident."},
    )


class PointForm(forms.Form):
    summary = forms.CharField(label="Point of complaint", max_length=300, required=False)
    decision = forms.ChoiceField(label="Decision", choices=[("", "Choose"), *StageOutcome.choices], required=False)
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("summary") and not data.get("decision"):
            self.add_error("decision", "Choose the decision on this point.")
        if data.get("decision") and not data.get("summary"):
            self.add_error("summary", "Say which point the decision is on.")
        return data


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label="Remedy", choices=[("", "None"), *RemedyKind.choices], required=False)
    description = forms.CharField(label="Details", max_length=300, required=False)
    amount = MoneyField(label="Compensation (£)", required=False, help_text="For compensation, in pounds and pence.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == RemedyKind.COMPENSATION and not data.get("amount"):
            self.add_error("amount", "Enter the compensation offered, like 75 or 150.50.")
        return data


class ActionForm(forms.Form):
    description = forms.CharField(label="Action promised", max_length=300, required=False)
    owner = OfficerChoiceField(
        label="Owner", required=False, queryset=get_user_model().objects.none(), empty_label="Choose"
    )
    due_on = date_field("Action due", required=False, initial_today=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_with_roles(
            Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER
        )

    def clean(self):
        data = super().clean()
        if data.get("description"):
            if not data.get("owner"):
                self.add_error("owner", "Choose who owns this action.")
            if not data.get("due_on"):
                self.add_error("due_on", "Enter when this action is due.")
        return data


PointFormSet = forms.formset_factory(PointForm, extra=3, max_num=20)
RemedyFormSet = forms.formset_factory(RemedyForm, extra=3, max_num=10)
ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=10)


class ResolveEarlyForm(forms.Form):
    on = date_field("Date resolved")
    summary = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what was done to resolve it."},
    )
    resident_agreed = forms.BooleanField(
        label="The resident agreed that this resolves their complaint",
        error_messages={"required": "Early resolution needs the resident's agreement."},
    )


class WithdrawForm(forms.Form):
    on = date_field("Date withdrawn")
    reason = forms.CharField(
        label="How the resident withdrew it",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record how the resident withdrew the complaint."},
    )


class RefuseForm(forms.Form):
    on = date_field("Date of the decision")
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose"), *RefusalReason.choices],
        error_messages={"required": "Choose the reason for not accepting the complaint."},
    )
    details = forms.CharField(
        label="Explanation given to the resident",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Include their right to go to the ombudsman.",
        error_messages={"required": "Explain the decision as it was explained to the resident."},
    )


class EscalateForm(forms.Form):
    requested_on = date_field("Date the resident asked to escalate")
    reason = forms.CharField(
        label="What the resident is still unhappy about",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The resident does not have to give reasons.",
    )
    handler = OfficerChoiceField(
        label="Assign the next stage to",
        required=False,
        empty_label="Assign later",
        queryset=get_user_model().objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = staff_with_roles(
            Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER
        )


class RefuseEscalationForm(forms.Form):
    requested_on = date_field("Date the resident asked to escalate")
    reason = forms.CharField(
        label="Why escalation is refused",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Explain why the escalation is refused."},
    )


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label="Everything promised in the response is recorded; close the complaint",
        error_messages={"required": "Confirm that the complaint can be closed."},
    )


class ReopenForm(forms.Form):
    on = date_field("Date reopened")
    reason = forms.CharField(
        label="Why it is reopened",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the complaint is reopened."},
    )


class ServiceRequestForm(forms.Form):
    received_on = date_field("Date received")
    channel = forms.ChoiceField(label="How it was made", choices=Channel.choices)
    first_name = forms.CharField(
        label="Resident's first name", max_length=100, error_messages={"required": "Enter the resident's first name."}
    )
    last_name = forms.CharField(
        label="Resident's last name", max_length=100, error_messages={"required": "Enter the resident's last name."}
    )
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    address = forms.CharField(label="Address of the property", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages={"required": "Choose the service area."},
    )
    summary = forms.CharField(label="Summary", max_length=250, error_messages={"required": "Enter a one-line summary."})
    description = forms.CharField(
        label="What the resident asked for",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what the resident asked for."},
    )


class BarOfficerForm(forms.Form):
    officer = OfficerChoiceField(
        label="Officer",
        queryset=get_user_model().objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the officer."},
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Record why the officer must not handle this resident's cases."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff_with_roles(
            Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER
        )


class ContactRestrictionForm(forms.Form):
    restriction = forms.CharField(
        label="Restriction",
        max_length=300,
        help_text="For example: contact by email only, to one named officer.",
        error_messages={"required": "Describe the restriction."},
    )
    reason = forms.CharField(
        label="Behaviour that led to it",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe the behaviour that led to it."},
    )
    review_on = date_field("Review date", initial_today=False)
