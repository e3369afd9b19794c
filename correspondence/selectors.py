"""Reads: to whom and how a case's letter goes (its contact restrictions and the resident's needs), the
administrators' templates and their history, and a case's correspondence."""

import re
from dataclasses import dataclass

from django.utils import timezone

from casework.errors import NotAllowed
from casework.workflow import say_day
from correspondence.models import Letter, LetterTemplate, OutboundEmail

LARGE_PRINT = re.compile(r"\blarge[\s-]*(print|font|type)\b|\bclear print\b", re.IGNORECASE)


def needs_large_print(resident):
    """The resident's recorded needs ask for large print (reasonable adjustments, or the vulnerability note)."""
    if resident is None:
        return False
    return bool(LARGE_PRINT.search(f"{resident.reasonable_adjustments}\n{resident.vulnerability_notes}"))


@dataclass(frozen=True)
class Delivery:
    """How a letter on this case goes: to whom, posted to which address, emailed where, in which print."""

    addressee: str
    address_lines: tuple
    post: bool
    email: str
    large_print: bool
    notes: tuple = ()  # why it goes this way, shown to the officer before sending

    @property
    def label(self):
        if self.post and self.email:
            return "posted and emailed"
        return "posted" if self.post else "emailed only"


def _lines(text):
    return tuple(line.strip() for line in re.split(r"[\n,]", text or "") if line.strip())


def active_restrictions(resident, on=None):
    from complaints.models import ContactRestriction

    if resident is None:
        return []
    on = on or timezone.localdate()
    return list(
        ContactRestriction.objects.filter(resident=resident, ended_on__isnull=True, starts_on__lte=on).order_by(
            "starts_on", "id"
        )
    )


def delivery_for(case, on=None):
    """How a letter on `case` must go, or NotAllowed saying why it cannot go at all.

    It goes to the representative when the case has one (their address and email), otherwise to the resident
    (their correspondence address, or the home). A contact restriction on the resident decides first: one that
    says no letters stops it; one that says email only stops the posted copy."""
    from complaints.models import LettersRule

    resident, representative = case.resident, case.representative
    if representative is not None:
        addressee, address, email = representative.name, _lines(representative.address), representative.email
    elif resident is not None:
        home = case.home or resident.home
        addressee = resident.full_name
        address = _lines(resident.address) or (_lines(str(home)) if home else ())
        email = resident.email
    else:
        raise NotAllowed("This case has no resident to write to.")
    post, notes = bool(address), []
    for restriction in active_restrictions(resident, on):
        said = f"the contact restriction of {say_day(restriction.starts_on)} (“{restriction.restriction}”)"
        if restriction.letters == LettersRule.NO_LETTERS:
            raise NotAllowed(
                f"No letter may be sent: {said} says not to write to {resident.full_name}. It is due for review "
                f"on {say_day(restriction.review_on)}."
            )
        if restriction.letters == LettersRule.EMAIL_ONLY:
            if not email:
                raise NotAllowed(
                    f"No letter may be sent: {said} says not to write to the address, only to email, and there is "
                    f"no email address for {addressee}. Record one first."
                )
            post = False
            notes.append(f"Emailed only, not posted: {said} says not to write to the address.")
    if not post and not email:
        raise NotAllowed(f"There is no postal address or email address for {addressee}: record one first.")
    large_print = needs_large_print(resident)
    if large_print:
        notes.append("In large print: the resident's recorded needs ask for it.")
    return Delivery(
        addressee=addressee,
        address_lines=address if post else (),
        post=post,
        email=email,
        large_print=large_print,
        notes=tuple(notes),
    )


def delivery_or_refusal(case):
    """(delivery, None) or (None, the reason no letter may be sent), for a page to show before sending."""
    try:
        return delivery_for(case), None
    except NotAllowed as refusal:
        return None, refusal.message


def templates():
    return LetterTemplate.objects.select_related("updated_by").order_by("title")


def template_history(template):
    return template.history.select_related("history_user").order_by("-history_date", "-history_id")


def letters_of(case):
    return (
        Letter.objects.filter(case_id=case.pk)
        .select_related("document", "sent_by")
        .prefetch_related("emails")
        .order_by("-sent_at", "-id")
    )


def emails_of(case):
    return OutboundEmail.objects.filter(case_id=case.pk).select_related("letter").order_by("-created_at", "-id")


def correspondence_of(case):
    return {"letters": list(letters_of(case)), "emails": list(emails_of(case))}


def cases_of_sent_emails(message_ids):
    """{message_id: case_id} of the emails we sent among `message_ids`, so a reply naming one in In-Reply-To or
    References is threaded onto its case (registered with casework.registry.sent_emails)."""
    return dict(OutboundEmail.objects.filter(message_id__in=list(message_ids)).values_list("message_id", "case_id"))
