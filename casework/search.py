"""What an officer types into a search box, turned into conditions the indexes can answer.

One home for the rules, used by every queue's `q` filter (pages and API alike) and by "find a resident":

- Phone numbers are compared by their digits (`Resident.phone_digits`, `Representative.phone_digits`, filled
  on save): "07700 900123", "+44 7700 900123", "0044 (0)7700 900123" and "(07700)900-123" are one number.
  A number of at least 7 digits matches every stored number it begins.
- Postcodes are compared compact and upper-case (`Property.postcode_key`): "sw1a1aa", "SW1A 1AA" and the
  outward code "sw1a" all match the home at SW1A 1AA, by prefix.
- References are matched on the stored (upper-case) column, never through UPPER(): "cmp-2026-000496" and
  "CMP-2026" by prefix; "CMP-000496", "2026-000496", "000496" and "496" by the number part, turned into the
  exact references it can be (each prefix of the queue, each year a reference was handed out in).
"""

import re

from django.db.models import Q

PHONE_CHARACTERS = re.compile(r"[\d\s()+\-.]+")
MIN_PHONE_DIGITS = 7
# A postcode, whole or begun: an area, a district, perhaps the sector and part of the unit ("SW1A", "E2 8", "SW1A1A").
POSTCODE_START = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?(\d[A-Z]{0,2})?")
REFERENCE = re.compile(r"(?:(?P<prefix>[A-Z]+)-)?(?:(?P<year>\d{4})-)?(?P<number>\d{1,9})")


def normalise_phone(text):
    """The digits of a phone number, with a UK international prefix (+44, 0044, 44 on a 12-digit number)
    written as the leading 0 a caller dials, and "(0)" after it dropped. Empty if there are no digits."""
    text = (text or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    international = text.startswith("+") or digits.startswith("00")
    digits = digits.removeprefix("00") if digits.startswith("00") else digits
    if digits.startswith("44") and (international or len(digits) == 12):
        digits = "0" + digits[2:].removeprefix("0")
    elif international:
        # Another country's number: keep its code, written as dialled from the UK.
        digits = "00" + digits
    return digits[:40]


def postcode_key(text):
    """A postcode compact and upper-case: "sw1a 1aa" → "SW1A1AA"."""
    return re.sub(r"[^A-Za-z0-9]", "", text or "").upper()


def phone_q(value, fields):
    """Rows whose phone (any of `fields`, each a path to a `phone_digits` column) begins with the number typed;
    None if what was typed is not a phone number."""
    value = (value or "").strip()
    if not PHONE_CHARACTERS.fullmatch(value):
        return None
    digits = normalise_phone(value)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    return _any(Q(**{f"{field}__startswith": digits}) for field in fields)


def postcode_q(value, fields):
    """Rows whose postcode (any of `fields`, each a path to a `postcode_key` column) begins with the postcode
    typed, in any spacing or case; None if what was typed cannot be the start of a postcode."""
    key = postcode_key(value)
    if not POSTCODE_START.fullmatch(key) or re.search(r"[^A-Za-z0-9\s]", value or ""):
        return None
    return _any(Q(**{f"{field}__startswith": key}) for field in fields)


def reference_q(value, prefixes, field="reference"):
    """Cases whose reference is the one typed, with or without its prefix or year, or begins with it;
    None if what was typed is not a reference."""
    from casework.models import ReferenceCounter
    from casework.services import format_reference

    text = re.sub(r"\s", "", value or "").upper()
    if not text:
        return None
    conditions = []
    if any(text.startswith(f"{prefix}-") for prefix in prefixes):
        conditions.append(Q(**{f"{field}__startswith": text}))
    match = REFERENCE.fullmatch(text)
    if match and (not match["prefix"] or match["prefix"] in prefixes):
        wanted = [match["prefix"]] if match["prefix"] else list(prefixes)
        if match["year"]:
            years = {(prefix, int(match["year"])) for prefix in wanted}
        else:
            years = set(ReferenceCounter.objects.filter(prefix__in=wanted).values_list("prefix", "year"))
        number = int(match["number"])
        if number:
            candidates = sorted(format_reference(prefix, year, number) for prefix, year in years)
            if candidates:
                conditions.append(Q(**{f"{field}__in": candidates}))
    return _any(conditions)


def case_key_q(value, prefixes, reference_field="reference"):
    """A queue's search by key: the case's reference, or the phone or postcode of its resident, their
    representative or its home. None if what was typed is none of those."""
    return _any(
        [
            reference_q(value, prefixes, reference_field),
            phone_q(value, ["resident__phone_digits", "representative__phone_digits"]),
            postcode_q(value, ["home__postcode_key", "resident__home__postcode_key"]),
        ]
    )


def resident_key_q(value):
    """Residents by phone or by their home's postcode; None if what was typed is neither."""
    return _any([phone_q(value, ["phone_digits"]), postcode_q(value, ["home__postcode_key"])])


def _any(conditions):
    """The conditions OR-ed together, leaving out those that are None; None if none is left."""
    combined = None
    for condition in conditions:
        if condition is None:
            continue
        combined = condition if combined is None else combined | condition
    return combined


# --- Similar summaries (possible duplicates at intake) ---------------------------------------------------

# Words that say nothing of what a case is about: a summary's grammar, and what every complaint says.
STOP_WORDS = frozenset(
    """about after again also and any are because been being but can cannot could did does done for from had has
    have her his how into its just more not now off once only our out over she still than that the their them
    then there they this those too under very was were what when where which while who why will with would yet
    you your complaint complaints complained complaining resident tenant council issue problem""".split()  # noqa: SIM905
)
WORD = re.compile(r"[a-z0-9]+")


def significant_words(text):
    """The words of a summary that say what it is about: lower-case, three letters or more, not a stop word,
    a plural's "s" dropped ("Leaks in kitchen" → {"leak", "kitchen"})."""
    words = set()
    for word in WORD.findall((text or "").lower()):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words


def similar_summaries(one, other):
    """Two summaries are similar when they share two significant words, or, if either has only one, that word.
    Plain Python over two short strings, so the answer is the same on every database."""
    mine, theirs = significant_words(one), significant_words(other)
    if not mine or not theirs:
        return False
    return len(mine & theirs) >= min(2, len(mine), len(theirs))
