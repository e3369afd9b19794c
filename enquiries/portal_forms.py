"""The members' portal's enquiry form: the officers' form with a subject, a checked and tidied postcode, and
the GOV.UK Frontend components the residents' pages use (online.govuk)."""

from django import forms
from django.core.validators import MaxLengthValidator
from localflavor.gb.forms import GBPostcodeField

from enquiries.forms import EnquiryForm, MessageForm
from online.govuk import GovukForm, GovukFormRenderer

SUBJECT_LENGTH = 120


def limit_length(field, limit, message):
    """A textarea's limit, shown as a GOV.UK character count and checked when the form is sent."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit, message=message))


class PortalEnquiryForm(EnquiryForm, GovukForm):
    default_renderer = GovukFormRenderer
    use_required_attribute = False

    subject = forms.CharField(
        label="Subject",
        help_text="A few words the office and the council will know the enquiry by, such as "
        "'Damp in bedroom, 12 Engine Row'.",
        max_length=SUBJECT_LENGTH,
        error_messages={
            "required": "Enter a subject",
            "max_length": f"The subject must be {SUBJECT_LENGTH} characters or fewer",
        },
    )
    postcode = GBPostcodeField(
        label="Postcode",
        error_messages={"required": "Enter the postcode", "invalid": "Enter a full UK postcode, like E1 6AN"},
    )

    field_order = ["submission_key", "member", "subject", "enquiry_type", "service_area"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["postcode"].width = "10"
        self.fields["subject"].width = "two-thirds"
        limit_length(self.fields["description"], 5000, "What the constituent needs must be 5,000 characters or fewer")
        for name in ("first_name", "last_name"):
            self.fields[name].width = "20"
        self.fields["phone"].width = "20"
        self.fields["email"].width = "two-thirds"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["email"].widget.input_type = "email"
        # The GOV.UK style: messages without a full stop, like the residents' form's.
        for field in self.fields.values():
            field.error_messages = {code: str(text).rstrip(".") for code, text in field.error_messages.items()}
        self.fields["urgent_reasons"].small = True

    def constituent_fields(self):
        names = ("first_name", "last_name", "email", "phone", "address", "postcode", "consent_to_share")
        return [self[name] for name in names]

    def enquiry_fields(self):
        return [self[name] for name in ("member", "subject", "enquiry_type", "service_area")]


class PortalMessageForm(MessageForm, GovukForm):
    default_renderer = GovukFormRenderer
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Send a follow-up message"
        limit_length(self.fields["body"], 5000, "The message must be 5,000 characters or fewer")
