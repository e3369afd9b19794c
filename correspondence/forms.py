from django import forms

from correspondence.services import MAX_LETTER_CHARACTERS


class LetterForm(forms.Form):
    """The officer's check of a drafted letter: the words as they will be sent, and the print."""

    text = forms.CharField(
        label="Letter text",
        widget=forms.Textarea(attrs={"rows": 30, "class": "letter"}),
        max_length=MAX_LETTER_CHARACTERS,
        strip=False,
        error_messages={"required": "The letter has no words: write them, or start again from the draft."},
    )
    large_print = forms.BooleanField(
        label="Send in large print",
        required=False,
        help_text="Chosen for you when the resident's needs ask for large print.",
    )


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120, error_messages={"required": "Give the letter a title."})
    body = forms.CharField(
        label="The letter's words",
        widget=forms.Textarea(attrs={"rows": 30, "class": "letter"}),
        strip=False,
        error_messages={"required": "Write the letter's words."},
    )
    preview_with = forms.CharField(
        label="Preview with the case (reference)",
        required=False,
        max_length=30,
        help_text="Leave empty to preview with the latest case.",
    )


def add_problems(form, error):
    """A service's InvalidInput on a plain form: each problem beside its field, the rest above the form."""
    for name, problems in error.problems.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
