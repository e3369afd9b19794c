from django import forms


class SetAsideForm(forms.Form):
    reason = forms.CharField(
        label="Why does this email need no action?",
        max_length=300,
        help_text="For example: spam, a duplicate of an email already handled, a newsletter.",
        error_messages={"required": "Say why the email needs no action."},
    )


class FileOnCaseForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=30,
        help_text="For example CMP-2026-000123. The email and its files go on the case's timeline.",
        error_messages={"required": "Enter the reference of the case to file the email on."},
    )
