"""Which saved views name a resident (decision 0016). A saved view is an officer's filter, not a record about
anyone, but its search or its name may identify a person: "q=07700 900123", "Mrs Okafor's complaints". Such a
view is personal data of that resident: the subject access export lists it, and the retention schedule deletes
it when it anonymises the resident (it could then find nobody).

A view names a resident when its search or its name holds their full name (first and last, as words, in any
case), their email, their phone number however written, their home's full postcode in any spacing, or the
reference of one of their cases. A surname alone, a district or a phone's first digits name nobody."""

import itertools
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from casework import search

WORD = re.compile(r"[\w'\u2019.@+-]+")


@dataclass(frozen=True)
class _Said:
    """What a view says, once, in the forms it is compared in."""

    view: object
    words: frozenset
    phones: frozenset
    postcodes: frozenset

    @classmethod
    def of(cls, view):
        typed = parse_qs(view.query or "").get("q", [])
        text = " ".join([view.name, *typed])
        found = WORD.findall(text)
        phones = {search.normalise_phone(part) for part in [*typed, *search.PHONE_CHARACTERS.findall(text)]}
        # A postcode is one word or, written with its space, two: "SW1A1AA", "SW1A 1AA".
        postcodes = {search.postcode_key(word) for word in found}
        postcodes |= {search.postcode_key(a + b) for a, b in itertools.pairwise(found)}
        return cls(
            view,
            frozenset(word.strip(".'\u2019-").casefold() for word in found),
            frozenset(phone for phone in phones if len(phone) >= search.MIN_PHONE_DIGITS),
            frozenset(postcodes),
        )

    def names(self, resident, references):
        first, last = resident.first_name.casefold().strip(), resident.last_name.casefold().strip()
        if first and last and {*first.split(), *last.split()} <= self.words:
            return True
        if resident.email and resident.email.casefold() in self.words:
            return True
        if resident.phone_digits and resident.phone_digits in self.phones:
            return True
        home = getattr(resident, "home", None)
        if home is not None and home.postcode_key and home.postcode_key in self.postcodes:
            return True
        return any(reference.casefold() in self.words for reference in references)


def views_naming(residents, references):
    """{resident id: [the saved views that name them]} for `residents` (with their homes), `references` being
    {resident id: [the references of their cases]}. Every view is read once: there are a few hundred."""
    from casework.models import SavedView

    said = [_Said.of(view) for view in SavedView.objects.select_related("owner", "team").order_by("id")]
    found = {}
    for resident in residents:
        theirs = [entry.view for entry in said if entry.names(resident, references.get(resident.pk, ()))]
        if theirs:
            found[resident.pk] = theirs
    return found
