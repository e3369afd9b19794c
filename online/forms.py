"""The questions of the residents' online complaint form, one form a page, worded for who is asking and what.

Each form takes `wording` (see `Wording`), so "What is your name?" becomes "What is their name?" when someone
complains for a resident, and "complaint" becomes "request" for a service request. Each says how its answers
read on the "check your answers" page (`summary`)."""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from localflavor.gb.forms import GBPostcodeField

from casework.models import ServiceArea, UrgentReason
from complaints.models import ComplaintType
from online.govuk import DateField, GovukForm


@dataclass(frozen=True)
class Wording:
    complaint: bool = True  # False: a service request (the resident is asking for the first time)
    on_behalf: bool = False

    @property
    def noun(self):
        return "complaint" if self.complaint else "request"

    @property
    def you(self):
        """Who the case is about, as the person filling in the form calls them."""
        return "they" if self.on_behalf else "you"

    @property
    def your(self):
        return "their" if self.on_behalf else "your"


class QuestionForm(GovukForm):
    """A page of the form. `website` is a spam trap: hidden from view, from the keyboard and from screen
    readers (templates/online/question.html), so only a robot fills it in."""

    TRAP = "website"
    heading = ""
    hint = ""
    website = forms.CharField(required=False, label="Leave this empty", max_length=200)

    def __init__(self, *args, wording=None, **kwargs):
        self.wording = wording or Wording()
        super().__init__(*args, **kwargs)
        self.fields[self.TRAP].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.word(self.wording)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and "max_length" not in type(field).default_error_messages | field.error_messages:
                field.error_messages["max_length"] = f"{field.label} must be {limit:,} characters or fewer"

    def word(self, wording):
        """Set labels and messages for who is asking and what."""

    @property
    def title(self):
        """The page's heading: its one question, or the heading of its group of questions."""
        return self.fields[self.question_field].label if self.question_field else self.heading

    @property
    def trapped(self):
        return bool(self.data.get(self.TRAP))

    def top_level_fields(self):
        return [field for field in super().top_level_fields() if field.name != self.TRAP]

    def trap_field(self):
        return self[self.TRAP]

    def summary(self, data):
        """[(question as it reads on the check page, [lines of the answer])]."""
        return []


def _set_messages(field, **messages):
    field.error_messages = {**field.error_messages, **messages}


def required_text(form, name):
    """The field's text without surrounding spaces; only spaces is no answer."""
    value = form.cleaned_data[name].strip()
    if not value:
        raise ValidationError(form.fields[name].error_messages["required"])
    return value


def choice_label(field, value):
    return dict(field.choices).get(value, value)


# --- Complaint or service request ---------------------------------------------------------------------


class AskedBeforeForm(QuestionForm):
    question_field = "asked_before"
    asked_before = forms.ChoiceField(
        label="Have you already asked us to put this right?",
        choices=[("yes", "Yes"), ("no", "No, this is the first time I am asking")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have already asked us to put this right"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_before"].item_hints = {
            "yes": "You are unhappy with how we dealt with it, or with our service, and want to complain.",
            "no": "For example, reporting a repair or a missed collection for the first time. We will deal with "
            "it as a request for service straight away.",
        }

    def summary(self, data):
        return [("Complaint or request", ["Complaint" if data["asked_before"] == "yes" else "Request for service"])]


class WhoForm(QuestionForm):
    question_field = "who"
    who = forms.ChoiceField(
        choices=[("me", "Me"), ("someone_else", "Someone else (I am making it for them)")],
        widget=forms.RadioSelect,
    )

    def word(self, wording):
        field = self.fields["who"]
        field.label = f"Who is the {wording.noun} for?"
        field.item_hints = {"someone_else": "For example, a relative, someone you support, or your client."}
        _set_messages(field, required=f"Select who the {wording.noun} is for")

    def summary(self, data):
        return [(self.fields["who"].label, [choice_label(self.fields["who"], data["who"])])]


class RepresentativeForm(QuestionForm):
    heading = "Your details"
    hint = "We will write to you about the complaint, as well as or instead of the person it is for."
    name = forms.CharField(label="Your full name", max_length=200, error_messages={"required": "Enter your full name"})
    relationship = forms.CharField(
        label="How are you connected to the person?",
        help_text="For example, daughter, support worker, solicitor or a councillor's caseworker",
        max_length=100,
        error_messages={"required": "Enter how you are connected to the person"},
    )
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    agreed = forms.BooleanField(
        error_messages={"required": "Confirm that the person has agreed that you can act for them"},
    )

    def word(self, wording):
        self.hint = f"We will write to you about the {wording.noun}."
        self.fields["agreed"].label = f"The person has agreed that I can make this {wording.noun} for them"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def summary(self, data):
        lines = [data["name"], data["relationship"]]
        if data["organisation"]:
            lines.append(data["organisation"])
        return [("Your details", lines), ("The person's agreement", ["They have agreed that you can act for them"])]


class NameForm(QuestionForm):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)

    def word(self, wording):
        self.heading = "What is their name?" if wording.on_behalf else "What is your name?"
        _set_messages(self.fields["first_name"], required=f"Enter {wording.your} first name")
        _set_messages(self.fields["last_name"], required=f"Enter {wording.your} last name")
        if not wording.on_behalf:
            self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
            self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs["spellcheck"] = "false"
            self.fields[name].width = "20"

    def summary(self, data):
        return [("Name" if not self.wording.on_behalf else "Their name", [f"{data['first_name']} {data['last_name']}"])]


# --- Contact and address ------------------------------------------------------------------------------

PHONE_CHARACTERS = re.compile(r"^[0-9 +()\-]+$")


class ContactForm(QuestionForm):
    question_field = "method"
    method = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone"), ("letter", "Letter")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )
    adjustments = forms.CharField(
        label="Do you need us to do anything differently when we contact you?",
        help_text="For example, large print, an interpreter, or calls only in the morning",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].item_hints = {"email": "We will also email you a copy of what you send."}
        _set_messages(self.fields["adjustments"], max_length="Your answer must be 500 characters or fewer")

    def summary(self, data):
        rows = [("How to contact you", [choice_label(self.fields["method"], data["method"])])]
        if data["adjustments"]:
            rows.append(("Help when we contact you", [data["adjustments"]]))
        return rows


class EmailForm(QuestionForm):
    question_field = "email"
    email = forms.EmailField(
        label="What is your email address?",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.widget.input_type = "email"
        field.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        field.width = "two-thirds"

    def summary(self, data):
        return [("Email address", [data["email"]])]


class PhoneForm(QuestionForm):
    question_field = "phone"
    phone = forms.CharField(
        label="What is your phone number?",
        help_text="For international numbers include the country code",
        max_length=40,
        error_messages={"required": "Enter your phone number"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["phone"]
        field.widget.input_type = "tel"
        field.widget.attrs["autocomplete"] = "tel"
        field.width = "20"

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if not PHONE_CHARACTERS.match(phone) or not 10 <= len(digits) <= 15:
            raise ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone

    def summary(self, data):
        return [("Phone number", [data["phone"]])]


class AddressForm(QuestionForm):
    line_1 = forms.CharField(label="Address line 1", max_length=200)
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = GBPostcodeField(label="Postcode")

    def __init__(self, *args, address_required=True, **kwargs):
        self.address_required = address_required
        super().__init__(*args, **kwargs)
        for name, autocomplete in (
            ("line_1", "address-line1"),
            ("line_2", "address-line2"),
            ("town", "address-level2"),
            ("postcode", "postal-code"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["town"].width = "two-thirds"
        self.fields["postcode"].width = "10"
        _set_messages(self.fields["line_1"], required="Enter address line 1, typically the building and street")
        _set_messages(self.fields["postcode"], required="Enter a postcode", invalid="Enter a full UK postcode")
        if not address_required:
            self.fields["line_1"].required = False
            self.fields["postcode"].required = False

    def word(self, wording):
        self.heading = "What is their address?" if wording.on_behalf else "What is your address?"

    def clean(self):
        data = super().clean()
        given = any((data.get(name) or "").strip() for name in ("line_1", "line_2", "town", "postcode"))
        if not self.address_required and given:
            # An address is optional, but one given must be whole enough to find the home.
            if not (data.get("line_1") or "").strip() and "line_1" not in self.errors:
                self.add_error("line_1", "Enter address line 1, typically the building and street")
            if not data.get("postcode") and "postcode" not in self.errors:
                self.add_error("postcode", "Enter a postcode")
        return data

    def summary(self, data):
        lines = [data[name] for name in ("line_1", "line_2", "town", "postcode") if data.get(name)]
        return [("Address", lines or ["No fixed address given"])]


# --- What it is about ---------------------------------------------------------------------------------


class ServiceForm(QuestionForm):
    question_field = "service_area"
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, service_areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_area"].queryset = (
            service_areas if service_areas is not None else ServiceArea.objects.none()
        )

    def word(self, wording):
        field = self.fields["service_area"]
        field.label = f"Which council service is {wording.your} {wording.noun} about?"
        field.help_text = "Choose the closest. If it is the wrong one, we will pass it to the right team."
        _set_messages(
            field,
            required=f"Select the service {wording.your} {wording.noun} is about",
            invalid_choice=f"Select the service {wording.your} {wording.noun} is about",
        )

    def summary(self, data):
        return [("Service", [str(data["service_area"])])]


# What went wrong, in residents' words, for each complaint type the officers record.
COMPLAINT_TYPES = [
    (ComplaintType.SERVICE_FAILURE, "A service was not provided, or was poor"),
    (ComplaintType.DELAY, "Delays or missed appointments"),
    (ComplaintType.STAFF_BEHAVIOUR, "How a member of staff or a contractor behaved"),
    (ComplaintType.COMMUNICATION, "We did not keep you informed or did not reply"),
    (ComplaintType.CASE_MANAGEMENT, "How we handled a case or application"),
    (ComplaintType.POLICY_DECISION, "You disagree with a decision we made"),
    (ComplaintType.FINANCIAL, "Money: rent, charges or compensation"),
    (ComplaintType.OTHER, "Something else"),
]


class ComplaintTypeForm(QuestionForm):
    question_field = "complaint_type"
    complaint_type = forms.ChoiceField(
        label="What went wrong?",
        choices=[(str(value), label) for value, label in COMPLAINT_TYPES],
        widget=forms.RadioSelect,
        help_text="Choose the one that fits best.",
        error_messages={"required": "Select what went wrong"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complaint_type"].divider_before = str(ComplaintType.OTHER)

    def summary(self, data):
        return [("What went wrong", [choice_label(self.fields["complaint_type"], data["complaint_type"])])]


class DetailsForm(QuestionForm):
    question_field = "description"
    description = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))

    def word(self, wording):
        field = self.fields["description"]
        if wording.complaint:
            field.label = "What happened?"
            field.help_text = "Include where and when, who you dealt with, and any reference numbers we gave you."
            what = "What happened"
        else:
            field.label = "What do you need us to do?"
            field.help_text = "Include where it is, how long it has been like this, and how it affects you."
            what = "What you need us to do"
        _set_messages(
            field,
            required=f"Enter {what[0].lower() + what[1:]}",
            max_length=f"{what} must be 5,000 characters or fewer",
        )

    def clean_description(self):
        return required_text(self, "description")

    def summary(self, data):
        return [(self.fields["description"].label, [data["description"]])]


class WhenForm(QuestionForm):
    question_field = "occurred_on"
    occurred_on = DateField(what="the date it happened", label="When did this happen?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "occurred_on"
        ].help_text = (
            "If it is still happening, give the date it started. An approximate date is fine. For example, 27 3 2025"
        )

    def summary(self, data):
        return [("When it happened", [f"{data['occurred_on']:%-d %B %Y}"])]


class OutcomeForm(QuestionForm):
    question_field = "outcome_wanted"
    outcome_wanted = forms.CharField(
        label="What would you like us to do to put things right?",
        help_text="For example, finish a repair, apologise, or review a decision.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter what you would like us to do to put things right",
            "max_length": "What you would like us to do must be 2,000 characters or fewer",
        },
    )

    def clean_outcome_wanted(self):
        return required_text(self, "outcome_wanted")

    def summary(self, data):
        return [("What would put things right", [data["outcome_wanted"]])]


# Told to the duty senior manager at once (complaints.services.log_complaint's urgent flag).
# The kernel's urgent reasons (casework.models.UrgentReason), in residents' words.
URGENT_REASONS = [
    (str(UrgentReason.SAFEGUARDING), "Someone is at risk of harm"),
    (str(UrgentReason.IMMINENT_EVICTION), "Someone is about to be evicted"),
    (str(UrgentReason.HOMELESS_TONIGHT), "Someone will be homeless tonight"),
    (str(UrgentReason.DOMESTIC_ABUSE), "Domestic abuse or harassment"),
]
NONE_OF_THESE = "none"


class UrgentForm(QuestionForm):
    question_field = "urgent"
    urgent = forms.MultipleChoiceField(
        label="Is any of these true?",
        choices=[*URGENT_REASONS, (NONE_OF_THESE, "No, none of these")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. A senior manager is told straight away.",
        error_messages={"required": "Select if any of these are true, or select 'No, none of these'"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urgent"].divider_before = NONE_OF_THESE

    def clean_urgent(self):
        chosen = self.cleaned_data["urgent"]
        if NONE_OF_THESE in chosen and len(chosen) > 1:
            raise ValidationError("Select 'No, none of these' or the ones that are true, not both")
        return [value for value in chosen if value != NONE_OF_THESE]

    def summary(self, data):
        labels = dict(URGENT_REASONS)
        return [("Urgent", [labels[value] for value in data["urgent"]] or ["No"])]


# --- Evidence and sending -----------------------------------------------------------------------------

MAX_FILES = 5


class EvidenceForm(QuestionForm):
    """Photos or documents, one at a time; each is checked as officers' uploads are (casework.check_upload)."""

    hide_optional = True  # the page's heading says the files are optional
    file = forms.FileField(
        label="Upload a file",
        required=False,
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )


class SendForm(QuestionForm):
    """The "check your answers" page's button; only the spam trap and the submission key travel with it."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
