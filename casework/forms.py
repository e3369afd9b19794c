from django import forms


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
