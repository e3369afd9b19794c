"""What an officer types into a search box, turned into conditions the indexes can answer.

One home for the rules, used by every queue's `q` filter (pages and API alike), by the admin's search of those
queues' cases (casework.admin.QueueSearch) and by "find a resident":

- Phone numbers are compared by their digits (`Resident.phone_digits`, `Representative.phone_digits`, filled
  on save): "07700 900123", "+44 7700 900123", "0044 (0)7700 900123" and "(07700)900-123" are one number.
  A number of at least 7 digits matches every stored number it begins.
- Postcodes are compared compact and upper-case (`Property.postcode_key`): "sw1a1aa", "SW1A 1AA" and the
  outward code "sw1a" all match the home at SW1A 1AA, by prefix.
- References are matched on the stored (upper-case) column, never through UPPER(): "cmp-2026-000496" and
  "CMP-2026" by prefix; "CMP-000496", "2026-000496", "000496" and "496" by the number part, turned into the
  exact references it can be (each prefix of the queue, each year a reference was handed out in).
- Words are looked for in what a case says (its description, its notes, the council's responses) by
  PostgreSQL's full-text search (English stemming: "leaking" finds "leaks"), from GIN indexes on the same
  expressions (the apps' `*_search_indexes` migrations); on SQLite each word is looked for as typed.
  Names and summaries are matched as typed (istartswith, icontains), from trigram indexes on PostgreSQL.

A queue's search ORs conditions on different tables (the case, its resident, its home, its notes). No index
answers such an OR, so PostgreSQL would read every case; `any_of` asks each condition for its cases' ids
separately, each from its own index: up to a few hundred matches it hands the ids over as a list, up to 10,000
as their UNION; past that, as one hashed set per condition, tested while the list's order index is walked, so
that the page of a common surname (tens of thousands of matches) reads its first rows and stops.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import connections
from django.db.models import Expression, Q
from django.db.models.expressions import Col
from django.db.models.lookups import In

# Up to this many matching cases are handed to the queue's query as a list of ids (see `any_of`).
FEW_IDS = 500
# Past this many, they are found along the list's order instead of gathered first (see `any_of`).
MANY_IDS = 10_000
# The text search configuration of the full-text indexes; a query must name the same one to use them.
WORDS_CONFIG = "english"

NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019.-])*")
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


def case_key_conditions(value, prefixes, reference_field="reference"):
    """A queue's search by key, one condition per table: the case's reference, or the phone or postcode of its
    resident, their representative or its home. Empty if what was typed is none of those."""
    conditions = [
        reference_q(value, prefixes, reference_field),
        phone_q(value, ["resident__phone_digits"]),
        phone_q(value, ["representative__phone_digits"]),
        postcode_q(value, ["home__postcode_key"]),
        postcode_q(value, ["resident__home__postcode_key"]),
    ]
    return [condition for condition in conditions if condition is not None]


def words(value, sources, using="default"):
    """Querysets of the ids of the cases whose text has every word typed. `sources` are (model, the field naming
    the case, the text fields), e.g. `(Note, "case_id", ["body"])`; the text fields must be those of a full-text
    index, in the same order, for PostgreSQL to use it."""
    terms = value.split()
    if not terms:
        return []
    postgresql = connections[using].vendor == "postgresql"
    found = []
    for model, case_field, fields in sources:
        rows = model._base_manager.using(using)
        if postgresql:
            rows = rows.alias(words=SearchVector(*fields, config=WORDS_CONFIG)).filter(
                words=SearchQuery(value, config=WORDS_CONFIG, search_type="plain")
            )
        else:
            for term in terms:
                rows = rows.filter(_any(Q(**{f"{field}__icontains": term}) for field in fields))
        found.append(rows.values(case_field))
    return found


def any_of(queryset, conditions, id_sets=()):
    """The rows of `queryset` that meet any of `conditions` (Q objects on its model) or whose id is in any of
    `id_sets` (querysets of one column of ids): each part is answered by its own index, where an OR of them across
    tables is answered by none."""
    parts = [_ids_meeting(queryset, condition) for condition in conditions if condition]
    parts += list(id_sets)
    if not parts:
        return queryset.none()
    parts = [part.order_by() for part in parts]
    # Asked first on their own: a few hundred ids given as a list let the planner probe the cases by primary
    # key; given the subquery, it guessed hundreds (full-text and trigram estimates are rough) and read every case.
    # UNION ALL, so that the database stops at the limit instead of first gathering every match to drop repeats.
    found = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = [next(iter(row.values())) for row in found[: MANY_IDS + 1]]
    if len(rows) <= FEW_IDS:
        return queryset.filter(pk__in=list(dict.fromkeys(rows)))
    if len(rows) <= MANY_IDS:
        distinct = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
        return queryset.filter(pk__in=distinct)
    # Very many matches (a common surname: 66,000 of 1,000,000 complaints): each part on its own, OR-ed, which
    # PostgreSQL answers as one hashed set per part while it walks the list's order index and stops at the page's
    # last row. The UNION of them all, worked out in full and joined, cost a second; a part on a related table
    # asks that table for its rows' ids (`resident_id IN (the residents named ...)`), not the join to every case.
    # With fewer matches that walk goes on far past them, counting, so the UNION is kept there.
    matching = Q()
    for condition in conditions:
        if condition:
            matching |= _through_link(queryset.model, condition) or Q(
                In(CaseId(), _ids_meeting(queryset, condition).order_by())
            )
    for id_set in id_sets:
        matching |= Q(In(CaseId(), id_set.order_by()))
    return queryset.filter(matching)


class CaseId(Expression):
    """The id column of the model's first table (the case table, for a complaint). Django writes a complaint's `id`
    as the complaint table's link to its case (the same value), but a condition on that column is tested only after
    the join, so the planner cannot test it while it walks the case table's index of the list's order."""

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        opts = query.get_meta()
        root = ([*opts.get_parent_list()] or [opts.model])[-1]
        start = query.get_initial_alias()
        alias = query.join_parent_model(opts, root, start, {None: start})
        return Col(alias, root._meta.pk)


def _through_link(model, condition):
    """A condition whose every field is behind one foreign key of `model` ("resident__last_name__istartswith"),
    as that key's column among the related table's rows meeting it; None for any other condition."""
    lookups = list(_lookups(condition))
    link = lookups[0].split("__", 1)[0]
    if not all(lookup.startswith(f"{link}__") for lookup in lookups):
        return None
    try:
        field = model._meta.get_field(link)
    except FieldDoesNotExist:
        return None
    if not field.many_to_one:
        return None
    related = field.related_model._base_manager.filter(_strip(condition, f"{link}__"))
    return Q(**{f"{link}__in": related.values("pk")})


def _lookups(condition):
    for child in condition.children:
        if isinstance(child, Q):
            yield from _lookups(child)
        else:
            yield child[0]


def _strip(condition, prefix):
    stripped = Q()
    stripped.connector, stripped.negated = condition.connector, condition.negated
    stripped.children = [
        _strip(child, prefix) if isinstance(child, Q) else (child[0].removeprefix(prefix), child[1])
        for child in condition.children
    ]
    return stripped


def search_cases(queryset, value):
    """Cases of every kind by what every kind has: its reference (with any prefix one was handed out with), the
    phone or postcode of its resident, representative or home, the resident's name, its summary or the
    reference another system gave it. Each kind's own search (its queue's) also looks in that kind's text."""
    from casework.models import ReferenceCounter

    value = value.strip()
    if not value:
        return queryset
    prefixes = tuple(sorted(set(ReferenceCounter.objects.values_list("prefix", flat=True))))
    keys = case_key_conditions(value, prefixes)
    if value.upper().startswith(tuple(f"{prefix}-" for prefix in prefixes)) and keys:
        return any_of(queryset, keys)
    conditions = [*keys, Q(summary__icontains=value), Q(external_reference__iexact=value), resident_name_q(value)]
    return any_of(queryset, conditions)


def resident_key_q(value):
    """Residents by phone or by their home's postcode; None if what was typed is neither."""
    return _any([phone_q(value, ["phone_digits"]), postcode_q(value, ["home__postcode_key"])])


def _ids_meeting(queryset, condition):
    """The ids of the rows meeting a condition, asked of the table that holds the condition's fields where it can
    be: a complaint's summary is a column of the case it extends, and joining the complaints to read it would
    scan them."""
    model = queryset.model
    for candidate in [*reversed(model._meta.get_parent_list()), model]:
        try:
            return candidate._base_manager.using(queryset.db).filter(condition).values("pk")
        except FieldError:
            continue
    raise FieldError(f"{condition} names no field of {model.__name__}")


def resident_name_q(value, resident="resident"):
    """Cases whose resident has every word typed at the start of their first or last name ("ada lov" finds Ada
    Lovelace), from the names' trigram indexes; None if what was typed cannot be a name."""
    found = None
    for word in name_words(value):
        either = Q(**{f"{resident}__first_name__istartswith": word}) | Q(
            **{f"{resident}__last_name__istartswith": word}
        )
        found = either if found is None else found & either
    return found


def name_words(value):
    """The words typed, if each can be part of a name (letters, hyphens, apostrophes: "O'Neil", "Smith-Jones");
    else none, so a phone number or a reference is not also looked for among the names."""
    words = value.split()
    return words if all(NAME_WORD.fullmatch(word) for word in words) else []


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
