"""Form pieces every case app uses: dates, money, officers; and the notes and attachments every case has."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from casework import choices
from casework.choices import ListedChoiceField
from casework.models import Team
from casework.roles import group_name


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


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Add a note",
        help_text="Internal: never shown to the resident or to members.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note before saving it."},
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Upload a file", error_messages={"required": "Choose a file to upload."})
    description = forms.CharField(label="Description", required=False, max_length=200)


class BulkReassignForm(forms.Form):
    """Which cases of a queue go to which officer: those ticked, or every case matching the page's filter."""

    SELECTED = "selected"
    EVERYTHING = "all"

    # Shown from the cached list the queue's officer filter shows too; what is chosen is checked in the database.
    handler = ListedChoiceField(
        queryset=get_user_model().objects.none(),  # the officers, set when the form is made
        listed=choices.officers_by_name,
        label="Reassign to",
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose the officer to reassign the cases to.",
            "invalid_choice": "Choose an officer from the list: only active staff can take cases.",
        },
    )
    scope = forms.ChoiceField(
        choices=[(SELECTED, "The cases ticked"), (EVERYTHING, "Every case matching the filter")],
        initial=SELECTED,
        required=False,
        label="Which cases",
    )
    query = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from casework.filters import officers

        # Ids of their own: the queue page's filter form has fields of the same names.
        kwargs.setdefault("auto_id", "reassign_%s")
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = officers()

    def clean_scope(self):
        return self.cleaned_data.get("scope") or self.SELECTED


class SaveViewForm(forms.Form):
    """The name of a saved view and who shares it; the service checks the rest (length, repeats, the team)."""

    name = forms.CharField(
        label="Name of the view",
        required=False,
        help_text="For example “Overdue repairs, stage 2”.",
    )
    team = ListedChoiceField(
        queryset=Team.objects.none(),  # the officer's teams, set when the form is made
        listed=list,
        required=False,
        label="Share with",
        empty_label="Only me",
        error_messages={"invalid_choice": "You can share a view only with a team you belong to."},
    )
    query = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        from casework.selectors import teams_of

        kwargs.setdefault("auto_id", "view_%s")
        super().__init__(*args, **kwargs)
        teams = teams_of(user)
        self.fields["team"].queryset = teams
        self.fields["team"].listed = lambda: list(teams.values_list("pk", "name"))


class LinkCaseForm(forms.Form):
    reference = forms.CharField(
        label="Reference of the related case",
        max_length=30,
        help_text="Any kind of case, for example CMP-2025-000123.",
        error_messages={"required": "Enter the reference of the related case."},
    )
    reason = forms.CharField(
        label="How they are related",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the cases are related."},
    )


class UnlinkCaseForm(forms.Form):
    reason = forms.CharField(
        label="Why the link is removed",
        max_length=500,
        error_messages={"required": "Say why the link is removed."},
    )
