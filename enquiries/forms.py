import uuid

from django import forms

from casework.actions import ActionForm
from casework.forms import DateInput, OfficerChoiceField, date_field, staff_with_roles
from casework.models import IssueNature, ServiceArea
from casework.roles import Role
from complaints.models import ComplaintType
from enquiries.models import EnquiryType, Member, UrgentReason


class EnquiryForm(forms.Form):
    """The enquiry form, GOV.UK style: one question per label, hints, radios and checkboxes in fieldsets.

    `submission_key` travels in a hidden field; the same key sent twice records one enquiry."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    member = forms.ModelChoiceField(
        label="Which member is this enquiry from?",
        queryset=Member.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose the member the enquiry is from."},
    )
    enquiry_type = forms.ChoiceField(
        label="What kind of enquiry is it?",
        choices=EnquiryType.choices,
        widget=forms.RadioSelect,
        help_text="A complaint goes into the council's complaints procedure.",
        error_messages={"required": "Choose what kind of enquiry it is."},
    )
    service_area = forms.ModelChoiceField(
        label="Which council service is it about?",
        queryset=ServiceArea.objects.filter(is_active=True),
        empty_label="Choose a service",
        error_messages={"required": "Choose the council service it is about."},
    )
    first_name = forms.CharField(
        label="Constituent's first name",
        max_length=100,
        error_messages={"required": "Enter the constituent's first name."},
    )
    last_name = forms.CharField(
        label="Constituent's last name",
        max_length=100,
        error_messages={"required": "Enter the constituent's last name."},
    )
    email = forms.EmailField(
        label="Constituent's email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com."},
    )
    phone = forms.CharField(label="Constituent's phone number", max_length=40, required=False)
    address = forms.CharField(
        label="Constituent's address",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": "Enter the constituent's address."},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": "Enter the postcode."},
    )
    consent_to_share = forms.TypedChoiceField(
        label="Has the constituent agreed that the council may use their details to deal with this?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the constituent has agreed to share their details."},
    )
    description = forms.CharField(
        label="What does the constituent need?",
        help_text="Include what has happened so far and any reference numbers.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe what the constituent needs."},
    )
    urgent_reasons = forms.MultipleChoiceField(
        label="Is any of these true?",
        choices=UrgentReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. The council's duty senior manager is told straight away.",
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.filter(is_active=True)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
            if members is not None and members.count() == 1:
                self.initial.setdefault("member", members[0].pk)

    def clean(self):
        data = super().clean()
        if data.get("consent_to_share") is False:
            self.add_error(
                "consent_to_share",
                "The council can only act for the constituent with their agreement to share details.",
            )
        return data


# --- The inputs of the enquiry's transitions (enquiries.workflow) ----------------------------------------


class AcknowledgeForm(ActionForm):
    on = date_field("Date acknowledged")


class AssignForm(ActionForm):
    handler = OfficerChoiceField(
        label="Officer",
        queryset=staff_with_roles(Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER),
        empty_label="Choose",
        error_messages={"required": "Choose the officer."},
    )


class RespondForm(ActionForm):
    on = date_field("Date of the response")
    text = forms.CharField(
        label="Response to the member",
        help_text="The member's office reads this on the portal.",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Write the response to the member."},
    )


class ConvertForm(ActionForm):
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
    outcome_wanted = forms.CharField(
        label="The outcome the constituent wants",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what outcome the constituent wants."},
    )


class CloseForm(ActionForm):
    confirm = forms.BooleanField(label="Close the enquiry", error_messages={"required": "Confirm to close it."})
    page_only = ("confirm",)


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Write your message."}
    )


__all__ = [
    "AcknowledgeForm",
    "AssignForm",
    "CloseForm",
    "ConvertForm",
    "DateInput",
    "EnquiryForm",
    "MessageForm",
    "RespondForm",
]
