from django import forms
from django.contrib.auth import get_user_model

from casework.actions import ActionForm, RowForm, Rows
from casework.forms import MoneyField, OfficerChoiceField, date_field, staff_with_roles
from casework.models import IssueNature, Property, ServiceArea, UrgentReason
from casework.roles import Role
from complaints.models import (
    Channel,
    ComplaintScheme,
    ComplaintType,
    LettersRule,
    RefusalReason,
    RemedyKind,
    StageOutcome,
)


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
    urgent_reason = forms.ChoiceField(
        label="Urgent",
        required=False,
        choices=[("", "Not urgent"), *UrgentReason.choices],
        help_text="A senior manager is told at once.",
    )
    urgent_details = forms.CharField(
        label="What the senior manager needs to know", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    vulnerability_noted = forms.BooleanField(
        label="The resident has a vulnerability or needs reasonable adjustments", required=False
    )
    vulnerability_notes = forms.CharField(
        label="Vulnerability or adjustments", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    not_a_duplicate = forms.BooleanField(
        label="This is a new complaint, not one of those listed",
        required=False,
        help_text="Log it only if it is not the same complaint made again; otherwise add to the earlier one.",
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

    # The complaint's own details as log_complaint takes them, for every page that logs one from this form.
    COMPLAINT_FIELDS = (
        "received_on",
        "channel",
        "service_area",
        "issue_nature",
        "complaint_type",
        "summary",
        "description",
        "outcome_wanted",
        "issue_occurred_on",
        "staff_named",
        "urgent_reason",
        "urgent_details",
        "assigned_to",
    )

    def complaint_fields(self):
        data = self.cleaned_data
        fields = {name: data[name] for name in self.COMPLAINT_FIELDS}
        fields["vulnerability_noted"] = data["vulnerability_noted"] or bool(data["vulnerability_notes"])
        return fields


# --- The inputs of the complaint's transitions (complaints.workflow): each page and API action uses its form ---


def _officers():
    return staff_with_roles(Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER, Role.MANAGER)


def _text(label, *, required=True, rows=3, help_text="", message=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter {label.lower()}."},
    )


class AcknowledgeForm(ActionForm):
    on = date_field("Date acknowledged")
    agreed_response_on = date_field(
        "Response date agreed with the complainant",
        required=False,
        initial_today=False,
        help_text="The procedure has the response date agreed with the complainant, within its limit.",
    )

    def for_case(self, complaint):
        from complaints.workflow import stage_definition

        if stage_definition(complaint).response_agreed:
            self.fields["agreed_response_on"].required = True
        else:
            del self.fields["agreed_response_on"]


class AssignForm(ActionForm):
    handler = OfficerChoiceField(
        label="Officer", queryset=_officers(), empty_label="Choose", error_messages={"required": "Choose the officer."}
    )


class ExtendForm(ActionForm):
    granted_on = date_field("Date of the extension", help_text="On or before the response's due date.")
    extra_working_days = forms.IntegerField(
        label="Extra working days", min_value=1, max_value=200, required=False, help_text="Or give the new due date."
    )
    new_due_on = date_field("New due date", required=False, initial_today=False)
    reason = _text(
        "Reason",
        help_text="Explained to the resident, with the ombudsman's contact details.",
        message="Give the reason for the extension.",
    )
    resident_told_on = date_field(
        "Date the resident was told",
        required=False,
        help_text="Needed now within the procedure's limit; beyond it, recorded when the manager approves.",
    )
    manager = OfficerChoiceField(
        label="Manager to ask (beyond the procedure's limit)",
        required=False,
        queryset=staff_with_roles(Role.MANAGER),
        empty_label="Not needed",
        help_text="Beyond the limit the extension waits for this manager's approval.",
    )
    one_of = (("extra_working_days", "new_due_on"),)


class ApproveExtensionForm(ActionForm):
    approved_on = date_field("Date approved", help_text="On or before the response's due date.")
    good_reason = _text("The good reason", message="Record the good reason for going beyond the limit.")
    resident_told_on = date_field("Date the resident was told")


class DeclineExtensionForm(ActionForm):
    reason = _text("Why it is declined", message="Say why the extension is declined.")


class RespondForm(ActionForm):
    on = date_field("Date the response was sent")
    summary = _text("Summary of the response", rows=4, message="Summarise the response sent to the resident.")


class PointForm(RowForm):
    summary = forms.CharField(label="Point of complaint", max_length=300, required=False)
    decision = forms.ChoiceField(label="Decision", choices=[("", "Choose"), *StageOutcome.choices], required=False)
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required_when_filled = {"summary": "Say which point the decision is on.", "decision": "Choose the decision."}


class RemedyForm(RowForm):
    kind = forms.ChoiceField(label="Remedy", choices=[("", "None"), *RemedyKind.choices], required=False)
    description = forms.CharField(label="Details", max_length=300, required=False)
    amount_pence = MoneyField(
        label="Compensation (£)", required=False, help_text="For compensation, in pounds and pence."
    )
    required_when_filled = {"kind": "Choose the kind of remedy."}


class ActionLineForm(RowForm):
    description = forms.CharField(label="Action promised", max_length=300, required=False)
    owner = OfficerChoiceField(label="Owner", required=False, queryset=_officers(), empty_label="Choose")
    due_on = date_field("Action due", required=False, initial_today=False)
    required_when_filled = {
        "description": "Describe the action promised.",
        "owner": "Choose who owns this action.",
        "due_on": "Enter when this action is due.",
    }


RespondForm.rows = {
    "points": Rows(PointForm, "Point", "Decision on each point", min=1),
    "remedies": Rows(RemedyForm, "Remedy", "Remedies", max=10),
    "actions": Rows(ActionLineForm, "Action", "Actions promised in the response", max=10),
}


class DraftResponseForm(ActionForm):
    """The response as drafted for approval: what `RespondForm` records, without the date (the clock stops on
    the day the approved response is sent), and the letter."""

    summary = _text("Summary of the response", rows=4, message="Summarise the response to the resident.")
    letter_text = forms.CharField(
        label="The response letter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "letter"}),
        help_text="Leave it empty to draft the letter from its template, with these decisions, when it is sent.",
    )


DraftResponseForm.rows = dict(RespondForm.rows)


class SendBackResponseForm(ActionForm):
    comment = _text("What needs changing", message="Say what needs changing before it can be approved.")


class ResolveEarlyForm(ActionForm):
    on = date_field("Date resolved", help_text="Within 5 working days of receipt.")
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Choose"), *StageOutcome.choices],
        error_messages={"required": "Choose the decision: upheld, partly upheld or not upheld."},
    )
    summary = _text("What was done", message="Say what was done to resolve it.")
    resident_agreed = forms.BooleanField(
        label="The resident agreed that this resolves their complaint",
        error_messages={"required": "Early resolution needs the resident's agreement."},
    )


class WithdrawForm(ActionForm):
    on = date_field("Date withdrawn")
    reason = _text("How the resident withdrew it", message="Record how the resident withdrew the complaint.")


class RefuseForm(ActionForm):
    on = date_field("Date of the decision")
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose"), *RefusalReason.choices],
        error_messages={"required": "Choose the reason for not accepting the complaint."},
    )
    details = _text(
        "Explanation given to the resident",
        rows=4,
        help_text="Include their right to go to the ombudsman.",
        message="Explain the decision as it was explained to the resident.",
    )


class EscalateForm(ActionForm):
    requested_on = date_field("Date the resident asked to escalate")
    reason = _text(
        "What the resident is still unhappy about",
        required=False,
        help_text="The resident does not have to give reasons.",
    )
    handler = OfficerChoiceField(
        label="Assign the next stage to",
        required=False,
        empty_label="Assign later",
        queryset=_officers(),
        help_text="Someone who did not handle an earlier stage.",
    )


class RefuseEscalationForm(ActionForm):
    requested_on = date_field("Date the resident asked to escalate")
    reason = _text("Why escalation is refused", message="Explain why the escalation is refused.")


class ChangeSchemeForm(ActionForm):
    scheme = forms.ModelChoiceField(
        label="Scheme it belongs under",
        queryset=ComplaintScheme.objects.all(),
        empty_label="Choose",
        error_messages={"required": "Choose the scheme the complaint belongs under."},
    )
    reason = _text("Why", message="Say why the complaint belongs under the other scheme.")


class CloseForm(ActionForm):
    confirm = forms.BooleanField(
        label="Everything promised in the response is recorded; close the complaint",
        error_messages={"required": "Confirm that the complaint can be closed."},
    )
    page_only = ("confirm",)


class ReopenForm(ActionForm):
    on = date_field("Date reopened", help_text="Its deadlines run again from this day; the date received stays.")
    reason = _text("Why it is reopened", message="Say why the complaint is reopened.")


# Logged with a complaint but not corrected with its details: the date received is day 0 of every deadline, and
# urgency and the officer are changed by their own actions.
NOT_CORRECTED = ("received_on", "urgent_reason", "urgent_details", "assigned_to")


class EditDetailsForm(ActionForm):
    """A complaint's details corrected after logging: what the officer recorded at intake, and the resident's
    contact details. The date received is not here: it is day 0 of every deadline and fixes the reporting year
    (docs/complaints.md). The API takes every field, as the page sends them: a field left empty is cleared."""

    channel = LogComplaintForm.base_fields["channel"]
    service_area = LogComplaintForm.base_fields["service_area"]
    issue_nature = LogComplaintForm.base_fields["issue_nature"]
    complaint_type = LogComplaintForm.base_fields["complaint_type"]
    summary = LogComplaintForm.base_fields["summary"]
    description = LogComplaintForm.base_fields["description"]
    outcome_wanted = LogComplaintForm.base_fields["outcome_wanted"]
    issue_occurred_on = LogComplaintForm.base_fields["issue_occurred_on"]
    staff_named = LogComplaintForm.base_fields["staff_named"]
    home = forms.ModelChoiceField(
        label="UPRN of the property",
        queryset=Property.objects.exclude(uprn=None),
        to_field_name="uprn",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="The property the complaint is about, by its Unique Property Reference Number. Leave it empty "
        "if the complaint is about no property.",
        error_messages={"invalid_choice": "No property has that UPRN; check the number."},
    )
    resident_email = forms.EmailField(
        label="Resident's email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com."},
    )
    resident_phone = forms.CharField(label="Resident's phone number", max_length=40, required=False)
    reason = _text(
        "Why the details are corrected",
        rows=2,
        help_text="Recorded in the history with each change. The date received cannot be corrected: every deadline "
        "runs from it.",
        message="Say why the details are corrected.",
    )

    # What the complaint records (the rest are the resident's contact details), in the order of the page: what
    # the log form records, less what is not corrected here, and the property.
    COMPLAINT_FIELDS = (*(name for name in LogComplaintForm.COMPLAINT_FIELDS if name not in NOT_CORRECTED), "home")
    RESIDENT_FIELDS = {"resident_email": "email", "resident_phone": "phone"}

    def for_case(self, complaint):
        for name in self.COMPLAINT_FIELDS:
            self.fields[name].initial = getattr(complaint, name)
        self.fields["home"].initial = complaint.home.uprn if complaint.home_id and complaint.home.uprn else None
        if complaint.resident_id:
            for name, attribute in self.RESIDENT_FIELDS.items():
                self.fields[name].initial = getattr(complaint.resident, attribute)
        else:
            for name in self.RESIDENT_FIELDS:
                del self.fields[name]


class UnmergeForm(ActionForm):
    reason = _text("Why the merge is undone", rows=2, message="Say why the merge is undone.")


class MergeForm(ActionForm):
    into = forms.CharField(
        label="Reference of the complaint it duplicates",
        max_length=30,
        help_text="The complaint that carries on; this one is closed as merged into it.",
        error_messages={"required": "Enter the reference of the complaint this one duplicates."},
    )
    reason = _text("Why it is a duplicate", rows=2, message="Say why this complaint duplicates the other.")
    different_resident_confirmed = forms.BooleanField(
        label="The other complaint is about a different resident record, and they are the same complaint",
        required=False,
        help_text="Needed only when the two complaints name different residents.",
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
    letters = forms.ChoiceField(
        label="Letters",
        choices=LettersRule.choices,
        required=False,
        help_text="What the restriction means for the letters sent from this product.",
    )
    review_on = date_field("Review date", initial_today=False)
