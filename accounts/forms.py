import re

from django import forms

from accounts.models import DirectoryRoleMapping


def normalise_code(value):
    """What people type: spaces and dashes (recovery codes are shown as 'abcd-efgh') and capitals are ignored."""
    return re.sub(r"[\s-]", "", value or "").lower()


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=30,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "input--code"}),
        error_messages={"required": "Enter the code from your authenticator app."},
    )

    def __init__(self, *args, allow_recovery_code=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_recovery_code = allow_recovery_code
        if not allow_recovery_code:
            self.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if re.fullmatch(r"\d{6}", code):
            return code
        if self.allow_recovery_code and re.fullmatch(r"[a-z2-7]{8}", code):
            return code
        if self.allow_recovery_code:
            raise forms.ValidationError("Enter the 6 digits from your authenticator app, or a recovery code.")
        raise forms.ValidationError("Enter the 6 digits your authenticator app shows.")


class DirectoryRoleMappingForm(forms.ModelForm):
    class Meta:
        model = DirectoryRoleMapping
        fields = ["claim", "value", "description", "role"]

    def clean_value(self):
        return self.cleaned_data["value"].strip()
