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
separately, each from its own index, and hands the ids over as a list; past 10,000 matches (a common word or
surname) each condition is tested case by case while the list's order index is walked, so that the page reads its
first rows and stops. The conditions reached through a foreign key (a name, a postcode) are counted first, from
their indexes alone, and may find the search broad before the rest is asked.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import FieldError
from django.db import connections
from django.db.models import BooleanField, Expression, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Col
from django.db.models.lookups import IsNull

# A search whose conditions match this many rows or more is broad (a common word such as "mould"): its cases are
# checked one by one in the queue's order instead of all being found first (see `any_of`).
BROAD_ROWS = 10_000
# How far a queue counts the cases of a broad search: each is checked row by row, so counting to the queue's
# usual cap (casework.paging) would cost seconds; nobody pages through more than a few pages of a search.
BROAD_COUNT_CAP = 100
# A name search matching fewer residents than this is answered from their ids (see `few_ids`).
FEW_ROWS = 1_000
# The text search configuration of the full-text indexes; a query must name the same one to use them.
WORDS_CONFIG = "english"

NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019.-])*")
PHONE_CHARACTERS = re.compile(r"[\d\s()+\-.]+")
MIN_PHONE_DIGITS = 7
# A postcode, whole or begun: an area, a district, perhaps the sector and part of the unit ("SW1A", "E2 8", "SW1A1A").
POSTCODE_START = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?(\d[A-Z]{0,2})?")
# A postcode with at least the first letter of its unit ("SW1A 1AA", "SW1A1A"): a few dozen homes at most, where
# a district names thousands. (Without a letter, "E14" may be the district E14 or the sector E1 4.)
POSTCODE_UNIT = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{1,2}")
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


def is_postcode_unit(value):
    """Whether what was typed is a postcode down to (part of) its unit, in any spacing or case ("sw1a1aa")."""
    return bool(POSTCODE_UNIT.fullmatch(postcode_key(value))) and postcode_q(value, ["postcode_key"]) is not None


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
    the case, the text fields) and, where PostgreSQL stores those fields' words in a generated column, its name:
    e.g. `(Note, "case_id", ["body"])`. Without a stored column, the text fields must be those of a full-text index,
    in the same order, for PostgreSQL to use it."""
    terms = value.split()
    if not terms:
        return []
    postgresql = connections[using].vendor == "postgresql"
    found = []
    for model, case_field, fields, *stored in sources:
        rows = model._base_manager.using(using)
        if postgresql:
            vector = StoredWords(stored[0]) if stored else SearchVector(*fields, config=WORDS_CONFIG)
            rows = rows.alias(words=vector).filter(words=SearchQuery(value, config=WORDS_CONFIG, search_type="plain"))
        else:
            for term in terms:
                rows = rows.filter(_any(Q(**{f"{field}__icontains": term}) for field in fields))
        found.append(rows.values(case_field))
    return found


def any_of(queryset, conditions, id_sets=(), broad=None):
    """The rows of `queryset` that meet any of `conditions` (Q objects on its model, its own fields or those of
    what its foreign keys point to, never a relation with many rows per row) or whose id is in any of `id_sets`
    (querysets of one column of ids), each part answered by its own index, where an OR of them across tables is
    answered by none.

    The parts are first asked for up to BROAD_ROWS of their ids, UNION ALL so the database stops there:
    - fewer: the cases are handed to the queue as a list of ids, which lets the planner probe them by primary
      key and count them exactly (given the union as a subquery, it guessed their number wrongly, full-text and
      trigram estimates being rough, and read every case: among 1,000,000 complaints the 4,171 of an outward
      code took 1.0 s that way, 0.55 s as a list);
    - more (a common word matching a tenth of a million cases): finding every match and sorting them to show
      fifty costs seconds, so the database walks the queue's order index testing each case until the page is
      full: a condition on the row and the rows its foreign keys point to directly, an id set as an EXISTS.
      `broad`, if given, is called, so the caller can count no further than BROAD_COUNT_CAP.
    The conditions reached through a foreign key (a resident's name, a home's postcode) are counted first, to
    BROAD_ROWS, without their ids: a count reads only the key's index, where the ids are read from the cases
    themselves ("Jones", 66,000 complaints: 10,000 ids cost 100-130 ms, counting them 20-30 ms). Reaching it,
    the search is broad without the rest being asked."""
    conditions = [condition for condition in conditions if condition]
    asked = [_ids_meeting(queryset, condition) for condition in conditions]
    parts = [part.order_by() for part in [*asked, *id_sets]]
    if not parts:
        return queryset.none()
    joined = [part.order_by().values(one=Value(1)) for part in asked if len(part.query.alias_map) > 1]
    if joined and _count(_union(joined)[:BROAD_ROWS]) >= BROAD_ROWS:
        return _broadly(queryset, conditions, id_sets, broad)
    rows = list(_union([part.values_list(part._fields[0], flat=True) for part in parts])[:BROAD_ROWS])
    if len(rows) < BROAD_ROWS:
        return queryset.filter(AmongIds("pk", rows)) if rows else queryset.none()
    return _broadly(queryset, conditions, id_sets, broad)


def _union(parts):
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _count(rows):
    """How many rows a (sliced) queryset of constants has, counted by the database over its SQL as written:
    Django's count of a sliced query selects the table's primary key, which must then be read from the table."""
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS found", params)  # noqa: S608 - the SQL is Django's, values as parameters
        return cursor.fetchone()[0]


def _broadly(queryset, conditions, id_sets, broad):
    """A broad search's rows, each tested in the list's order: a condition on the row itself and the rows its
    foreign keys point to (an EXISTS per condition read each case again by its primary key, and its resident after
    it), an id set by its first row for the case. That is an EXISTS written as a subquery of one row, which
    PostgreSQL runs for each case tested: an EXISTS beside conditions on the row it may instead answer by hashing
    every match first, expecting to test every case ("mould": 100,000 complaints' words read, 0.5 s)."""
    if broad is not None:
        broad()
    tested = []
    for part in id_sets:
        case = part._fields[0]
        tested.append(IsNull(Subquery(part.order_by().filter(**{case: OuterRef("pk")}).values(case)[:1]), False))
    return queryset.filter(_any([*conditions, *tested]))


def ids_meeting_any(queryset, conditions, limit):
    """The ids of the rows of `queryset` meeting any of `conditions`, each asked of its own index (as `any_of`), if
    there are fewer than `limit`; else None."""
    parts = [_ids_meeting(queryset, condition).order_by() for condition in conditions if condition]
    if not parts:
        return []
    rows = list(_union([part.values_list(part._fields[0], flat=True) for part in parts])[:limit])
    return rows if len(rows) < limit else None


def few_ids(queryset):
    """The ids of the rows of `queryset` if there are fewer than FEW_ROWS, else None. Asked without the list's
    order, so the database combines the conditions' indexes rather than walking the order's index until the page
    is full, and stops at FEW_ROWS."""
    ids = list(queryset.order_by().values_list("pk", flat=True)[:FEW_ROWS])
    return ids if len(ids) < FEW_ROWS else None


def search_cases(queryset, value, broad=None):
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
        return any_of(queryset, keys, broad=broad)
    conditions = [*keys, Q(summary__icontains=value), Q(external_reference__iexact=value), resident_name_q(value)]
    return any_of(queryset, conditions, broad=broad)


class StoredWords(Expression):
    """A generated `tsvector` column of the queryset's own table, which a migration adds on PostgreSQL alone and the
    model does not declare (so SQLite, and the model's every read and write, know nothing of it)."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        field = SearchVectorField()
        field.set_attributes_from_name(self.column)
        field.model = query.model
        return Col(query.get_initial_alias(), field)


class AmongIds(Expression):
    """`field = ANY(ARRAY(SELECT unnest(%s)))`: a list of ids as one array on PostgreSQL, where `pk__in` writes a
    parameter per id (4,000 ids: 40 ms for the ORM to build and the server to parse, against 20 ms as an array); IN
    elsewhere. `ids` may instead be a queryset of one column, `field = ANY(ARRAY(SELECT ...))`. Either way the
    planner takes the ids as a few, found first, and reads the rows by them, where given a join or an IN of the
    subquery it may hash the other table whole, and given the array's length it may walk an order's index."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field, ids):
        super().__init__()
        self.column = F(field)
        self.found = Subquery(ids.order_by()) if isinstance(ids, QuerySet) else None
        self.ids = None if self.found is not None else sorted(set(ids))

    def get_source_expressions(self):
        return [self.column] if self.found is None else [self.column, self.found]

    def set_source_expressions(self, expressions):
        self.column, *found = expressions
        if found:
            (self.found,) = found

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """A child's key (a complaint's `case_ptr_id`) is matched on its root table's key instead (the case's `id`,
        through the join to it the queue's conditions and order already make), so the planner can read the cases
        by their primary key and test them there. Matched on the child's, every case meeting the queue's conditions
        was compared with the whole list: PostgreSQL multiplies the selectivities of "not closed" and "an open
        status", expects one open case where there are hundreds, and nests the list's probe inside it (among
        100,000 complaints the late acknowledgements' 273 cases took 181 ms, 192,000 comparisons)."""
        resolved = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        target = getattr(resolved.column, "target", None)
        parents = query.model._meta.get_parent_list() if query is not None else []
        if allow_joins and parents and target is not None and getattr(target.remote_field, "parent_link", False):
            root = parents[-1]
            alias = query.join_parent_model(query.get_meta(), root, query.get_initial_alias(), {})
            resolved.column = Col(alias, root._meta.pk)
        return resolved

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        if self.found is not None:
            found, found_params = compiler.compile(self.found)
            written = f"{column} = ANY(ARRAY{found})" if connection.vendor == "postgresql" else f"{column} IN {found}"
            return written, [*params, *found_params]
        if connection.vendor == "postgresql":
            # Unnested in a subquery, so that the planner reads the rows by these ids: told how many there are, it
            # may instead walk the list's order index testing each row against them, expecting the matches spread
            # through it (the complaints closed in the last week among 1,000,000: 1,080,000 rows walked, 310 ms,
            # where reading the 1,800 by their key and sorting them takes 5 ms). In the column's type, as psycopg
            # sends small ids as integer[]: a list of another type is compared with the key across types.
            array = f"%s::{self.column.output_field.db_type(connection)}[]"
            return f"{column} = ANY(ARRAY(SELECT unnest({array})))", [*params, self.ids]
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]


def resident_key_conditions(value):
    """Residents by phone or by their home's postcode, one condition per table (for `any_of`); empty if what
    was typed is neither."""
    conditions = [phone_q(value, ["phone_digits"]), postcode_q(value, ["home__postcode_key"])]
    return [condition for condition in conditions if condition is not None]


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
