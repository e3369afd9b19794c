"""Importing cases from the systems councils move from (Respond, Pentana, iCasework, spreadsheets).

A file goes through four steps, and nothing is written unless every row passes all of them:

1. read: bytes to text (UTF-8, or Windows-1252 when asked for), each row holding bytes that are not text
   in that encoding reported with its row and column;
2. map: their column names to ours, their values to ours, defaults for what they lack (a mapping file,
   see `imports.mapping`);
3. check: every row parsed and checked by the kind of case (`imports.kinds`), every problem collected with
   its row number and column; unknown service areas and issue natures listed, not created, unless asked;
4. write: in one transaction, with COPY (`casework.bulk`), skipping the cases a previous import of the
   same data already wrote.

Row numbers are those a spreadsheet shows: the header is row 1, the first case row 2."""

import csv
import datetime
import io
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from casework.jobs import recorded_job
from casework.models import Case, IssueNature, ServiceArea, TimelineEvent

LONDON = ZoneInfo("Europe/London")
ENCODINGS = {"utf-8": "UTF-8", "cp1252": "Windows-1252 (older Excel and Windows exports)"}
IMPORTED_EVENT = "imported"
MAX_LISTED_ROWS = 10


@dataclass(frozen=True)
class Column:
    """One of our columns, as the documentation and the upload page describe it."""

    name: str
    required: bool = False
    description: str = ""
    example: str = ""
    # The most characters the value can hold where it is stored: a longer one is a problem, never cut short.
    max_length: int | None = None


# --- Problems and results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: about the file or a value on many rows
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: int = 0
    cases_in_file: int = 0
    created: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    reference_data_created: list = field(default_factory=list)
    seconds: float = 0.0
    noun: str = "cases"  # what the kind's rows make: cases, or survey answers

    @property
    def ok(self):
        return not self.problems

    @property
    def new_cases(self):
        return self.cases_in_file - self.unchanged

    def summary(self):
        if self.problems:
            return f"{len(self.problems)} problem(s) found in {self.rows:,} rows; nothing was imported."
        new = f"{self.new_cases:,} new"
        same = f"{self.unchanged:,} already imported with the same data"
        if self.dry_run:
            return (
                f"The file is valid: {self.rows:,} rows, {self.cases_in_file:,} {self.noun} ({new}, {same}). "
                "Nothing was written (dry run)."
            )
        return f"Imported {self.created:,} new {self.noun} from {self.rows:,} rows; {same} were left as they are."


@dataclass
class Row:
    number: int
    values: dict  # our column name -> text (stripped), after the mapping


# --- Dates, numbers and choices -----------------------------------------------------------------------

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%b").lower(),
        datetime.date(2000, number, 1).strftime("%B").lower(),
    )
}
_MONTHS["sept"] = 9

# The date formats accepted, by name. A time after the date (as many systems export) is ignored.
# mm/dd/yyyy is never guessed: 03/04/2024 would read either way. A mapping file may choose it explicitly.
DATE_FORMATS = {
    "yyyy-mm-dd": (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$"), "ymd"),
    "yyyy/mm/dd": (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME + "$"), "ymd"),
    "dd/mm/yyyy": (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + "$"), "dmy"),
    "dd-mm-yyyy": (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})" + _TIME + "$"), "dmy"),
    "dd.mm.yyyy": (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME + "$"), "dmy"),
    "dd mon yyyy": (re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})" + _TIME + "$"), "dMy"),
    "mm/dd/yyyy": (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + "$"), "mdy"),
}
DEFAULT_DATE_FORMATS = ("yyyy-mm-dd", "yyyy/mm/dd", "dd/mm/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "dd mon yyyy")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\s.*)?$")


class ValueProblem(ValueError):
    pass


def parse_date(text, formats=DEFAULT_DATE_FORMATS):
    """The date `text` names in one of `formats`, or ValueProblem saying why not."""
    text = text.strip()
    for name in formats:
        pattern, order = DATE_FORMATS[name]
        match = pattern.match(text)
        if not match:
            continue
        first, second, third = match.groups()
        try:
            if order == "ymd":
                return datetime.date(int(first), int(second), int(third))
            if order == "dmy":
                return datetime.date(int(third), int(second), int(first))
            if order == "mdy":
                return datetime.date(int(third), int(first), int(second))
            month = _MONTHS.get(second.lower())
            if month is None:
                raise ValueProblem(f"'{text}': '{second}' is not a month name.")
            return datetime.date(int(third), month, int(first))
        except ValueError as error:
            if isinstance(error, ValueProblem):
                raise
            if order == "dmy" and int(second) > 12 >= int(first):
                raise ValueProblem(
                    f"'{text}' is not a date as {name}: month {int(second)} does not exist. It looks like "
                    "month/day/year, which is only read when a mapping file says so (date_formats)."
                ) from None
            raise ValueProblem(f"'{text}' is not a real date ({name}).") from None
    if _TWO_DIGIT_YEAR.match(text):
        raise ValueProblem(f"'{text}' has a two-digit year, which is ambiguous; write the year in full.")
    raise ValueProblem(f"'{text}' is not a date in an accepted format ({', '.join(formats)}).")


def parse_pence(text):
    """'£1,250.50', '1250.5', '75' -> pence. Refuses negative amounts and fractions of a penny."""
    cleaned = text.strip().replace("£", "").replace(",", "").strip()
    if cleaned.upper().startswith("GBP"):
        cleaned = cleaned[3:].strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueProblem(f"'{text}' is not an amount in pounds (for example 150 or £150.00).") from None
    if amount < 0:
        raise ValueProblem(f"'{text}' is negative.")
    pence = amount * 100
    if pence != pence.to_integral_value():
        raise ValueProblem(f"'{text}' has fractions of a penny.")
    return int(pence)


_SEPARATORS = re.compile(r"[\s_\-]+")
_normalised = {}


def normalise(text):
    """How column names and choice values are compared: case, spaces, hyphens and underscores ignored."""
    found = _normalised.get(text)
    if found is None:
        found = _SEPARATORS.sub(" ", text.strip().lower()).strip()
        if len(_normalised) < 100_000:  # the same few names and values recur on every row
            _normalised[text] = found
    return found


def choice_lookup(choices, extra=None):
    """{normalised value or label: value} for a TextChoices class, plus `extra` synonyms."""
    lookup = {}
    for value, label in choices.choices:
        lookup[normalise(value)] = value
        lookup[normalise(label)] = value
    for synonym, value in (extra or {}).items():
        lookup[normalise(synonym)] = value
    return lookup


YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0", ""}


def at_noon(day):
    """A historical event's time when only its date is known: midday in London."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=LONDON)


# --- Reading the file ---------------------------------------------------------------------------------


def _bad_bytes(value):
    return "".join(f"\\x{ord(ch) - 0xDC00:02x}" for ch in value if "\udc80" <= ch <= "\udcff")


def read_csv(data, *, encoding="utf-8", result):
    """Rows of the CSV file `data` (bytes): (header, [Row]). Problems go to `result`."""
    if encoding not in ENCODINGS:
        result.problems.append(Problem(None, None, f"Unknown encoding '{encoding}'; use {' or '.join(ENCODINGS)}."))
        return [], []
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        result.problems.append(
            Problem(None, None, "This is not a CSV text file (it holds binary data); save it as CSV first.")
        )
        return [], []
    try:
        text = data.decode(encoding)
        check_bytes = False
    except UnicodeDecodeError:
        # Read on, keeping each undecodable byte as a marker, so every row holding one can be named.
        text = data.decode(encoding, errors="surrogateescape")
        check_bytes = True
    lines = _RecordLines(io.StringIO(text, newline=""))
    # strict: a stray or unbalanced quote is an error, not a value that swallows the rows after it.
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, [])
    except csv.Error as error:
        result.problems.append(Problem(1, None, f"The header row cannot be read: {error}."))
        return [], []
    header = [column.strip() for column in header]
    rows = []
    number = 1
    while True:
        lines.start_record()
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            number += 1
            result.problems.append(_unreadable_row(number, header, lines.record(), error))
            if lines.at_end:
                break
            continue
        number += 1
        if not any(value.strip() for value in values):
            continue  # blank lines, often at the end of exported files
        if len(values) != len(header):
            result.problems.append(
                Problem(number, None, f"The row has {len(values)} values but the header names {len(header)} columns.")
            )
        record = {}
        for index, name in enumerate(header):
            value = values[index] if index < len(values) else ""
            if check_bytes and _bad_bytes(value):
                other = "Windows-1252" if encoding == "utf-8" else "UTF-8"
                result.problems.append(
                    Problem(
                        number,
                        name,
                        f"holds bytes that are not {ENCODINGS[encoding].split(' ')[0]} text ({_bad_bytes(value)}); "
                        f"save the file as UTF-8, or import it as {other} if that is what it is.",
                    )
                )
                value = value.encode(encoding, errors="surrogateescape").decode(encoding, errors="replace")
            record[name] = value
        rows.append(Row(number, record))
    return header, rows


class _RecordLines:
    """The file's lines for the CSV reader, keeping those of the record being read, so a record the reader
    refuses can be shown with the column where it went wrong."""

    def __init__(self, stream):
        self._lines = iter(stream)
        self._record = []
        self.at_end = False

    def __iter__(self):
        return self

    def __next__(self):
        try:
            line = next(self._lines)
        except StopIteration:
            self.at_end = True
            raise
        self._record.append(line)
        return line

    def start_record(self):
        self._record = []

    def record(self):
        return self._record


def _quote_trouble(text):
    """Where a record's quoting goes wrong: (index of the value, "unbalanced" or "stray"), or None. The rules
    are the CSV reader's: a value may be wrapped in quotes, "" inside it stands for one quote, and the closing
    quote must end the value."""
    index, quoted, at_start, position = 0, False, True, 0
    while position < len(text):
        character = text[position]
        if quoted:
            if character == '"':
                if text[position + 1 : position + 2] == '"':
                    position += 2
                    continue
                quoted = False
                if text[position + 1 : position + 2] not in {"", ",", "\r", "\n"}:
                    return index, "stray"
        elif character == '"' and at_start:
            quoted = True
        elif character == ",":
            index, at_start, position = index + 1, True, position + 1
            continue
        elif character in "\r\n":
            return None
        at_start = False
        position += 1
    return (index, "unbalanced") if quoted else None


def _unreadable_row(number, header, lines, error):
    """The problem for a row the CSV reader refused: which column, and what to do."""
    index, trouble = _quote_trouble("".join(lines)) or (None, "")
    column = None
    if index is not None:
        column = header[index] if index < len(header) else f"value {index + 1}"
    if trouble == "unbalanced":
        message = (
            "opens a quoted value that is never closed (an unbalanced quote), so every row after it would be read "
            "into this one; close the quote or remove it."
        )
    elif trouble == "stray":
        message = "has text after the closing quote of a quoted value; put quotes only around a whole value."
    else:
        message = f"This row cannot be read as CSV: {error}."
    return Problem(number, column, message)


# --- Reference data, users and existing cases ---------------------------------------------------------


class Lookups:
    """Service areas, issue natures and users by the names a file may use, loaded once per import.

    Unknown service areas and issue natures are collected (with their rows) rather than reported row by
    row; with `create_reference_data` they are created, unsaved until the import is written."""

    def __init__(self, *, create_reference_data=False):
        self.create_reference_data = create_reference_data
        self.service_areas = {}
        for area in ServiceArea.objects.all():
            self.service_areas[normalise(area.name)] = area
            self.service_areas[normalise(area.code)] = area
        self.issue_natures = {normalise(nature.name): nature for nature in IssueNature.objects.all()}
        self.unknown = defaultdict(lambda: defaultdict(list))  # what -> name -> [rows]
        self.new_service_areas = {}
        self.new_issue_natures = {}
        self._users = None
        self.unknown_users = defaultdict(list)

    def service_area(self, name, row):
        key = normalise(name)
        area = self.service_areas.get(key) or self.new_service_areas.get(key)
        if area is not None:
            return area
        self.unknown["service area"][name].append(row)
        if not self.create_reference_data:
            return None
        area = ServiceArea(name=name.strip()[:120], code=slugify(name)[:60] or "service-area")
        self.new_service_areas[key] = area
        return area

    def issue_nature(self, name, row, service_area=None):
        key = normalise(name)
        nature = self.issue_natures.get(key) or self.new_issue_natures.get(key)
        if nature is not None:
            return nature
        self.unknown["issue nature"][name].append(row)
        if not self.create_reference_data:
            return None
        nature = IssueNature(name=name.strip()[:120], service_area=service_area)
        self.new_issue_natures[key] = nature
        return nature

    def user(self, name, row):
        """The user a handler column names (username, email or full name); None and a warning if none."""
        if self._users is None:
            self._users = {}
            for user in get_user_model().objects.filter(is_active=True):
                for key in (user.username, user.email, user.get_full_name()):
                    if key:
                        self._users.setdefault(normalise(key), user)
        user = self._users.get(normalise(name))
        if user is None:
            self.unknown_users[name].append(row)
        return user

    def report(self, result):
        for what, names in self.unknown.items():
            for name, rows in names.items():
                if self.create_reference_data:
                    result.reference_data_created.append(f"{what} '{name}'")
                    continue
                result.problems.append(
                    Problem(
                        None,
                        what.replace(" ", "_"),
                        f"Unknown {what} '{name}' on {rows_text(rows)}. Add it in the administration pages, map "
                        f"it to one of ours in a mapping file, or import with --create-reference-data.",
                    )
                )
        for name, rows in self.unknown_users.items():
            result.warnings.append(
                f"No user is called '{name}' ({rows_text(rows)}): the handler is kept in the case history only."
            )

    def save_new(self):
        """Create the reference data this import needs (called inside the import's transaction)."""
        for area in self.new_service_areas.values():
            code, suffix = area.code, 2
            while ServiceArea.objects.filter(code=area.code).exists():
                area.code = f"{code}-{suffix}"[:60]
                suffix += 1
            area.save()
        for nature in self.new_issue_natures.values():
            if nature.service_area is not None and nature.service_area.pk is None:
                nature.service_area = self.new_service_areas[normalise(nature.service_area.name)]
            nature.save()


def rows_text(rows):
    rows = sorted(set(rows))
    shown = ", ".join(str(row) for row in rows[:MAX_LISTED_ROWS])
    more = f" and {len(rows) - MAX_LISTED_ROWS} more" if len(rows) > MAX_LISTED_ROWS else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


def existing_cases(external_references):
    """{external reference: (case id, kind, reference)} for the cases already holding these references."""
    found = {}
    references = list(external_references)
    if connection.vendor == "postgresql":
        # One array parameter: an IN list of tens of thousands of parameters is slow to build and to parse.
        table = connection.ops.quote_name(Case._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, external_reference, kind, reference FROM {table} "  # noqa: S608
                "WHERE external_reference = ANY(%s)",
                [references],
            )
            for pk, external, kind, reference in cursor.fetchall():
                found[external] = (pk, kind, reference)
        return found
    for start in range(0, len(references), 500):
        for pk, external, kind, reference in Case.objects.filter(
            external_reference__in=references[start : start + 500]
        ).values_list("pk", "external_reference", "kind", "reference"):
            found[external] = (pk, kind, reference)
    return found


def imported_rows(case_ids):
    """{case id: the rows (canonical values) it was imported from}, from its 'imported' timeline entry."""
    stored = {}
    case_ids = list(case_ids)
    for start in range(0, len(case_ids), 5_000):
        for case_id, data in TimelineEvent.objects.filter(
            case_id__in=case_ids[start : start + 5_000], kind=IMPORTED_EVENT
        ).values_list("case_id", "data"):
            stored[case_id] = data.get("rows", [])
    return stored


def describe_changes(stored_rows, new_rows, key="stage"):
    """What differs between the rows a case was imported from and this file's rows for it."""
    stored = {row.get(key): row for row in stored_rows}
    changes = []
    for row in new_rows:
        before = stored.get(row.get(key))
        if before is None:
            changes.append((row, None, f"{key} {row.get(key)} is new"))
            continue
        for column in sorted(set(before) | set(row)):
            if column.startswith("_"):
                continue
            if before.get(column, "") != row.get(column, ""):
                changes.append(
                    (row, column, f"was imported as '{before.get(column, '')}', now '{row.get(column, '')}'")
                )
    return changes


# --- The import itself --------------------------------------------------------------------------------


@dataclass
class Context:
    """What a kind needs while checking and writing: the options, the lookups, where problems go."""

    result: ImportResult
    lookups: Lookups
    today: datetime.date
    date_formats: tuple = DEFAULT_DATE_FORMATS
    source: str = ""
    actor: object = None
    # Required columns the file lacks: reported once for the file, not again as empty on every row.
    missing_columns: frozenset = frozenset()
    _dates: dict = field(default_factory=dict)

    def required_empty(self, row, column):
        if column not in self.missing_columns:
            self.problem(row, column, "is empty; this column is required.")

    def problem(self, row, column, message):
        self.result.problems.append(Problem(row.number if isinstance(row, Row) else row, column, message))

    def warn(self, message):
        self.result.warnings.append(message)

    # Parsers that record a problem and return None when a value is unusable.

    def text(self, row, column, *, required=False, max_length=None):
        value = row.values.get(column, "").strip()
        if required and not value:
            self.required_empty(row, column)
        if max_length and len(value) > max_length:
            self.problem(row, column, f"is {len(value)} characters long; it can hold at most {max_length}.")
        return value

    def date(self, row, column, *, required=False, not_future=True):
        value = row.values.get(column, "").strip()
        if not value:
            if required:
                self.required_empty(row, column)
            return None
        day = self._dates.get(value)
        if day is None:
            # A file holds a few thousand distinct dates over many rows: parse each once.
            try:
                day = parse_date(value, self.date_formats)
            except ValueProblem as error:
                day = error
            self._dates[value] = day
        if isinstance(day, ValueProblem):
            self.problem(row, column, str(day))
            return None
        if not_future and day > self.today:
            self.problem(row, column, f"{day:%d/%m/%Y} is in the future.")
            return None
        return day

    def choice(self, row, column, lookup, *, required=False, what="value"):
        value = row.values.get(column, "").strip()
        if not value:
            if required:
                self.required_empty(row, column)
            return None
        found = lookup.get(normalise(value))
        if found is None:
            allowed = sorted(set(lookup.values()))
            self.problem(row, column, f"'{value}' is not a {what} we know ({', '.join(allowed)}).")
        return found

    def pence(self, row, column):
        value = row.values.get(column, "").strip()
        if not value:
            return 0
        try:
            return parse_pence(value)
        except ValueProblem as error:
            self.problem(row, column, str(error))
            return 0

    def flag(self, row, column):
        value = row.values.get(column, "").strip().lower()
        if value in YES:
            return True
        if value in NO:
            return False
        self.problem(row, column, f"'{value}' is not yes or no.")
        return False


def import_file(
    kind_name,
    data,
    *,
    mapping=None,
    dry_run=False,
    create_reference_data=False,
    encoding="utf-8",
    source="",
    actor=None,
    today=None,
):
    """Check and (unless `dry_run` or a problem is found) import the CSV file `data` (bytes)."""
    from imports.kinds import get_kind

    began = time.perf_counter()
    kind = get_kind(kind_name)
    result = ImportResult(kind=kind.name, dry_run=dry_run, noun=getattr(kind, "noun", "cases"))
    header, rows = read_csv(data, encoding=encoding, result=result)
    if mapping is not None:
        header, rows = mapping.apply(header, rows, result)
    missing = _check_columns(kind, header, result)
    if not header:
        result.seconds = time.perf_counter() - began
        return result
    return import_rows(
        kind,
        rows,
        result=result,
        dry_run=dry_run,
        create_reference_data=create_reference_data,
        date_formats=mapping.date_formats if mapping is not None else DEFAULT_DATE_FORMATS,
        source=source,
        actor=actor,
        today=today,
        began=began,
        missing_columns=missing,
    )


def _check_columns(kind, header, result):
    if not header:
        result.problems.append(Problem(1, None, "The file is empty: there is no header row."))
        return set()
    present = {normalise(column) for column in header}
    ours = {normalise(column.name) for column in kind.columns}
    for column in kind.columns:
        if column.required and normalise(column.name) not in present:
            result.problems.append(
                Problem(1, column.name, "is missing: this column is required (rename a column or use a mapping file).")
            )
    ignored = [column for column in header if normalise(column) not in ours]
    if ignored:
        result.warnings.append(f"Columns not imported (not ours, and not mapped): {', '.join(ignored)}.")
    return {column.name for column in kind.columns if normalise(column.name) not in present}


def _canonical_rows(kind, rows):
    """Rows keyed by our column names (whatever case and spacing the file used), unknown columns dropped."""
    ours = {normalise(column.name): column.name for column in kind.columns}
    names = {}
    canonical = []
    for row in rows:
        values = {}
        for name, value in row.values.items():
            column = names.get(name)
            if column is None:
                column = names[name] = ours.get(normalise(name), "")
            if column:
                values[column] = value.strip()
        canonical.append(Row(row.number, values))
    return canonical


def _check_lengths(kind, rows, result):
    limits = [(column.name, column.max_length) for column in kind.columns if column.max_length]
    for row in rows:
        for name, limit in limits:
            value = row.values.get(name, "")
            if len(value) > limit:
                result.problems.append(
                    Problem(row.number, name, f"is {len(value)} characters long; it can hold at most {limit}.")
                )


def import_rows(
    kind,
    rows,
    *,
    result=None,
    dry_run=False,
    create_reference_data=False,
    date_formats=DEFAULT_DATE_FORMATS,
    source="",
    actor=None,
    today=None,
    began=None,
    missing_columns=(),
):
    """Check `rows` (Row objects, or plain dicts numbered from row 2) and write them if all are valid.

    The entry point for code that builds rows itself (the demo history) as well as for files."""
    from imports.kinds import get_kind

    began = began or time.perf_counter()
    kind = get_kind(kind) if isinstance(kind, str) else kind
    result = result or ImportResult(kind=kind.name, dry_run=dry_run, noun=getattr(kind, "noun", "cases"))
    rows = [row if isinstance(row, Row) else Row(number, row) for number, row in enumerate(rows, start=2)]
    rows = _canonical_rows(kind, rows)
    result.rows = len(rows)
    _check_lengths(kind, rows, result)
    context = Context(
        result=result,
        lookups=Lookups(create_reference_data=create_reference_data),
        today=today or timezone.localdate(),
        date_formats=tuple(date_formats),
        source=source or "a previous system",
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        missing_columns=frozenset(missing_columns),
    )
    plan = kind.check(rows, context)
    context.lookups.report(result)
    result.problems.sort(key=lambda p: (p.row is None, p.row or 0, p.column or ""))
    if plan is None or result.problems or dry_run:
        result.seconds = time.perf_counter() - began
        return result
    with recorded_job(f"import {kind.name}") as run, transaction.atomic():
        context.lookups.save_new()
        result.created = kind.write(plan, context)
        run.summary = f"{source or 'rows'}: " + result.summary()
    result.seconds = time.perf_counter() - began
    return result
