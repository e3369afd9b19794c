from django import forms
from django.conf import settings

from imports.core import ENCODINGS
from imports.kinds import all_kinds

CSV_CONTENT_TYPES = {
    "text/csv",
    "text/plain",
    "application/csv",
    "text/comma-separated-values",
    "application/vnd.ms-excel",  # what Windows browsers send for .csv when Excel is installed
    "application/octet-stream",
}
MAPPING_MAX_BYTES = 1024 * 1024


def _check_file(upload, *, extensions, limit, what):
    name = (upload.name or "").lower()
    if not name.endswith(extensions):
        raise forms.ValidationError(f"The {what} must be a {' or '.join(extensions)} file.")
    if upload.size > limit:
        raise forms.ValidationError(f"The {what} is larger than {limit // (1024 * 1024)} MB.")
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if content_type and content_type not in CSV_CONTENT_TYPES | {"application/json"}:
        raise forms.ValidationError(f"The {what} is a {content_type} file, not text.")
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise forms.ValidationError(f"The {what} is a spreadsheet workbook; save it as CSV (comma delimited) first.")
    if b"\x00" in head:
        raise forms.ValidationError(f"The {what} holds binary data, not text.")
    return upload


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[(kind.name, kind.label) for kind in all_kinds()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds."},
    )
    file = forms.FileField(
        label="CSV file",
        help_text="Exported from your previous system, with the columns in the import guide. "
        "Nothing is imported until you have seen the check and confirmed.",
        error_messages={"required": "Choose the CSV file to import."},
    )
    mapping = forms.FileField(
        label="Mapping file",
        required=False,
        help_text="A JSON or CSV file that maps your system's column names and values to ours.",
    )
    encoding = forms.ChoiceField(
        label="Text encoding",
        choices=list(ENCODINGS.items()),
        initial="utf-8",
        help_text="Choose Windows-1252 only for an older export whose pound signs or accents are reported as "
        "not UTF-8.",
    )
    create_reference_data = forms.BooleanField(
        label="Create the service areas and issue natures the file names that we do not have",
        required=False,
    )

    def clean_file(self):
        return _check_file(
            self.cleaned_data["file"], extensions=(".csv", ".txt"), limit=settings.IMPORT_MAX_BYTES, what="file"
        )

    def clean_mapping(self):
        mapping = self.cleaned_data.get("mapping")
        if not mapping:
            return None
        return _check_file(mapping, extensions=(".json", ".csv"), limit=MAPPING_MAX_BYTES, what="mapping file")
