from django import forms
from django.contrib.auth import get_user_model

from casework.forms import DateInput, OfficerChoiceField, staff_with_roles
from casework.models import ServiceArea
from casework.roles import STAFF_ROLES
from learning.models import LearningActionPlan


def officers():
    return staff_with_roles(*STAFF_ROLES)


class PlanForm(forms.Form):
    """The three sections of seed 002's learning action plan, with its lead officer and timescale."""

    what_went_wrong = forms.CharField(
        label="What went wrong?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A summarised, high-level account of what led to the complaints being upheld.",
    )
    action_to_address_cause = forms.CharField(
        label="What action to address the cause of the problem is required to avoid this happening again?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_of_implementation = forms.CharField(
        label="What evidence is available to confirm implementation of learning?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed before the plan can be marked implemented. Upload documents below.",
    )
    lead_officer = OfficerChoiceField(label="Lead officer", queryset=get_user_model().objects.none(), required=False)
    due_on = forms.DateField(
        label="Timescale",
        widget=DateInput(),
        help_text="The date the action must be implemented by.",
        error_messages={"required": "Enter the timescale.", "invalid": "Enter the timescale as a real date."},
    )

    def __init__(self, *args, may_reassign=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers()
        if not may_reassign:
            # The lead officer writes the plan; the lead and timescale are set by complaints officers and managers.
            del self.fields["lead_officer"]
            del self.fields["due_on"]

    @classmethod
    def for_plan(cls, plan, data=None, **kwargs):
        initial = {
            "what_went_wrong": plan.what_went_wrong,
            "action_to_address_cause": plan.action_to_address_cause,
            "evidence_of_implementation": plan.evidence_of_implementation,
            "lead_officer": plan.lead_officer_id,
            "due_on": plan.due_on,
        }
        return cls(data, initial=initial, **kwargs)


class NewPlanForm(forms.Form):
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(is_active=True),
        error_messages={"required": "Choose the service area."},
    )
    month = forms.DateField(
        label="Month covered",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="The month whose upheld complaints the plan learns from, for example 2025-05.",
        error_messages={"required": "Enter the month covered.", "invalid": "Enter the month like 2025-05."},
    )
    lead_officer = OfficerChoiceField(
        label="Lead officer",
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="Leave empty for the service's learning lead.",
    )
    due_on = forms.DateField(
        label="Timescale",
        required=False,
        widget=DateInput(),
        help_text="Leave empty for 20 working days from today.",
        error_messages={"invalid": "Enter the timescale as a real date."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers()


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Evidence document", error_messages={"required": "Choose a file to upload."})
    description = forms.CharField(label="What it shows", required=False, max_length=200)


class CommitmentForm(forms.Form):
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(is_active=True),
        error_messages={"required": "Choose the service area."},
    )
    commitment = forms.CharField(
        label="Service commitment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the service commits to."},
    )
    lead_officer = OfficerChoiceField(label="Lead officer", queryset=get_user_model().objects.none(), required=False)
    plans = forms.ModelMultipleChoiceField(
        label="From the learning action plans",
        queryset=LearningActionPlan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The plans whose lessons led to this commitment.",
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers()
        self.fields["plans"].queryset = plans if plans is not None else LearningActionPlan.objects.none()
        if plans is None:
            del self.fields["plans"]


class ProgressForm(forms.Form):
    progress_summary = forms.CharField(
        label="Progress summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label="The commitment is",
        choices=[("save", "Still in progress"), ("complete", "Completed"), ("withdraw", "Withdrawn (say why above)")],
        widget=forms.RadioSelect,
        initial="save",
    )


class RootCauseForm(forms.Form):
    cause = forms.CharField(
        label="Root cause found",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What keeps causing these complaints, and what is being done about it.",
        error_messages={"required": "Record the root cause found."},
    )
    plan = forms.ModelChoiceField(
        label="Learning action plan that takes it forward",
        queryset=LearningActionPlan.objects.none(),
        required=False,
    )

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        if complaint is not None:
            self.fields["plan"].queryset = LearningActionPlan.objects.filter(service_area=complaint.service_area)
