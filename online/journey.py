"""The order of the online form's questions, which apply to whom, and the answers kept between pages.

Answers live in the resident's session until they send the form: each page's submitted values, as posted, so
every page can be shown again as it was typed and every answer is checked again, with the forms' own rules,
when the form is sent. Nothing reaches the database before then."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from online import forms, selectors

SESSION_KEY = "online_complaint"
# The last form sent from this session, for the confirmation page (the reference is never in an address).
SENT_KEY = "online_complaint_sent"


def is_complaint(state):
    return state.raw("asked-before").get("asked_before") != ["no"]


def on_behalf(state):
    return state.raw("who").get("who") == ["someone_else"]


def by_email(state):
    return state.raw("contact").get("method") == ["email"]


def by_phone(state):
    return state.raw("contact").get("method") == ["phone"]


@dataclass(frozen=True)
class Question:
    slug: str
    form_class: type
    applies: Any = None  # a function of the answers so far; None: always asked

    def applies_to(self, state):
        return self.applies is None or self.applies(state)


QUESTIONS = [
    Question("asked-before", forms.AskedBeforeForm),
    Question("who", forms.WhoForm),
    Question("your-details", forms.RepresentativeForm, applies=on_behalf),
    Question("name", forms.NameForm),
    Question("contact", forms.ContactForm),
    Question("email", forms.EmailForm, applies=by_email),
    Question("phone", forms.PhoneForm, applies=by_phone),
    Question("address", forms.AddressForm),
    Question("service", forms.ServiceForm),
    Question("what-went-wrong", forms.ComplaintTypeForm, applies=is_complaint),
    Question("what-happened", forms.DetailsForm),
    Question("when", forms.WhenForm, applies=is_complaint),
    Question("put-right", forms.OutcomeForm, applies=is_complaint),
    Question("urgent", forms.UrgentForm),
]
BY_SLUG = {question.slug: question for question in QUESTIONS}
EVIDENCE = "evidence"


@dataclass
class FormState:
    """The session's answers: {slug: {field name: [values]}}, the submission key, and the files held."""

    session: Any
    data: dict = field(default_factory=dict)

    @classmethod
    def load(cls, session, *, start=False):
        data = session.get(SESSION_KEY)
        if data is None and start:
            data = {"key": str(uuid.uuid4()), "answers": {}, "uploads": [], "token": uuid.uuid4().hex}
            session[SESSION_KEY] = data
        return cls(session, data) if data is not None else None

    def save(self):
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def clear(self):
        self.session.pop(SESSION_KEY, None)

    @property
    def key(self):
        return self.data["key"]

    @property
    def token(self):
        return self.data["token"]

    @property
    def uploads(self):
        return self.data["uploads"]

    def raw(self, slug):
        return self.data["answers"].get(slug, {})

    def answered(self, slug):
        return slug in self.data["answers"]

    def store(self, slug, post, form):
        """Keep what was posted for this page's fields (a date's three boxes are three names)."""
        names = set()
        for bound in form:
            if bound.name == form.TRAP:
                continue
            names.add(bound.html_name)
            names.update(f"{bound.html_name}_{part}" for part in ("day", "month", "year"))
        self.data["answers"][slug] = {name: post.getlist(name) for name in names if name in post}
        self.save()

    @property
    def wording(self):
        return forms.Wording(complaint=is_complaint(self), on_behalf=on_behalf(self))

    # --- Order -------------------------------------------------------------------------------------

    def questions(self):
        return [question for question in QUESTIONS if question.applies_to(self)]

    def first_unanswered(self):
        for question in self.questions():
            if not self.answered(question.slug):
                return question.slug
        return None

    def after(self, slug):
        slugs = [question.slug for question in self.questions()] + [EVIDENCE]
        if slug in slugs and slugs.index(slug) + 1 < len(slugs):
            return slugs[slugs.index(slug) + 1]
        return None

    def before(self, slug):
        slugs = [question.slug for question in self.questions()] + [EVIDENCE]
        if slug in slugs and slugs.index(slug) > 0:
            return slugs[slugs.index(slug) - 1]
        return None

    def reachable(self, slug):
        """A page may be opened once every question before it that applies has been answered."""
        if slug == EVIDENCE:
            return self.first_unanswered() is None
        question = BY_SLUG.get(slug)
        if question is None or not question.applies_to(self):
            return False
        for earlier in self.questions():
            if earlier.slug == slug:
                return True
            if not self.answered(earlier.slug):
                return False
        return False

    # --- Forms -------------------------------------------------------------------------------------

    def form_for(self, slug, data=None, files=None, *, bound_to_answers=True):
        """The page's form: bound to what was posted, or to the answers kept (shown as typed), or empty."""
        question = BY_SLUG[slug]
        kwargs = {"wording": self.wording}
        if question.form_class is forms.ServiceForm:
            kwargs["service_areas"] = selectors.service_areas_for_online_form(complaint=self.wording.complaint)
        if question.form_class is forms.AddressForm:
            kwargs["address_required"] = self.address_required()
        if data is None and bound_to_answers and self.answered(slug):
            data = MultiValueDict(self.raw(slug))
        return question.form_class(data, files, **kwargs)

    def address_required(self):
        """An address is asked of everyone, and needed when letters are how the resident wants to hear."""
        return not on_behalf(self) and self.raw("contact").get("method") == ["letter"]

    def checked(self):
        """Every answer that applies, checked again: ({slug: cleaned data}, the first page in error or None)."""
        cleaned = {}
        for question in self.questions():
            if not self.answered(question.slug):
                return cleaned, question.slug
            form = self.form_for(question.slug)
            if not form.is_valid():
                return cleaned, question.slug
            cleaned[question.slug] = form.cleaned_data
        return cleaned, None

    def summary_rows(self, cleaned):
        rows = []
        for question in self.questions():
            form = self.form_for(question.slug, bound_to_answers=False)
            change_url = reverse("online:question", args=[question.slug]) + "?change=1"
            for key, lines in form.summary(cleaned[question.slug]):
                rows.append(
                    {
                        "key": key,
                        "lines": lines,
                        "paragraphs": question.slug in ("what-happened", "put-right"),
                        "change_url": change_url,
                    }
                )
        files = [upload["name"] for upload in self.uploads]
        rows.append(
            {
                "key": "Photos and documents",
                "lines": files or ["None"],
                "change_url": reverse("online:evidence") + "?change=1",
            }
        )
        return rows


def answers_from(cleaned, held_files):
    """The checked answers as the service takes them."""
    from online.services import OnlineAnswers, Representative

    contact = cleaned["contact"]
    email = cleaned.get("email", {}).get("email", "")
    phone = cleaned.get("phone", {}).get("phone", "")
    address = cleaned["address"]
    complaint = cleaned["asked-before"]["asked_before"] == "yes"
    representative = None
    if "your-details" in cleaned:
        details = cleaned["your-details"]
        representative = Representative(
            name=details["name"].strip(),
            relationship=details["relationship"].strip(),
            organisation=details["organisation"].strip(),
        )
    return OnlineAnswers(
        complaint=complaint,
        first_name=cleaned["name"]["first_name"].strip(),
        last_name=cleaned["name"]["last_name"].strip(),
        service_area=cleaned["service"]["service_area"],
        description=cleaned["what-happened"]["description"],
        contact_method=contact["method"],
        email=email,
        phone=phone,
        adjustments=(contact["adjustments"] or "").strip(),
        address_line_1=(address["line_1"] or "").strip(),
        address_line_2=(address["line_2"] or "").strip(),
        town=(address["town"] or "").strip(),
        postcode=address["postcode"] or "",
        complaint_type=cleaned["what-went-wrong"]["complaint_type"] if complaint else "",
        issue_occurred_on=cleaned["when"]["occurred_on"] if complaint else None,
        outcome_wanted=cleaned["put-right"]["outcome_wanted"] if complaint else "",
        urgent_reasons=tuple(cleaned["urgent"]["urgent"]),
        representative=representative,
        held_files=list(held_files),
    )
