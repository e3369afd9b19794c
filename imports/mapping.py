"""Mapping files: how another system's export becomes our columns and values.

JSON:

    {
      "system": "Respond",
      "columns": {"Case Ref": "reference", "Date Logged": "date_received"},
      "values": {"outcome": {"Partially Upheld": "partly_upheld"}, "stage": {"Stage One": "1"}},
      "defaults": {"channel": "email"},
      "date_formats": ["dd/mm/yyyy"]
    }

CSV, one line per rule, with the header `theirs,ours,column`: a line with `column` empty renames their
column `theirs` to our column `ours`; a line with `column` set maps their value `theirs` to our value
`ours` in that (our) column; an empty `theirs` gives the default for blank or missing values. Names and
values are compared ignoring case, spaces, hyphens and underscores."""

import csv
import io
import json
from dataclasses import dataclass, field

from imports.core import DATE_FORMATS, DEFAULT_DATE_FORMATS, Problem, Row, normalise


class MappingError(ValueError):
    pass


@dataclass
class Mapping:
    system: str = ""
    columns: dict = field(default_factory=dict)  # normalised their column -> our column
    values: dict = field(default_factory=dict)  # our column -> {normalised their value: our value}
    date_formats: tuple = DEFAULT_DATE_FORMATS

    def apply(self, header, rows, result):
        """Rename columns and translate values. Two of their columns mapped to one of ours is a problem."""
        renamed = []
        for column in header:
            ours = self.columns.get(normalise(column), column)
            renamed.append(ours)
        seen = {}
        for theirs, ours in zip(header, renamed, strict=True):
            if normalise(ours) in seen:
                result.problems.append(
                    Problem(1, ours, f"both '{seen[normalise(ours)]}' and '{theirs}' would be this column.")
                )
            seen[normalise(ours)] = theirs
        defaulted = [column for column, values in self.values.items() if "" in values]
        present = {normalise(column) for column in renamed}
        new_header = renamed + [column for column in defaulted if normalise(column) not in present]
        mapped_rows = []
        translate = {normalise(column): values for column, values in self.values.items()}
        for row in rows:
            values = {}
            for theirs, ours in zip(header, renamed, strict=True):
                values[ours] = row.values.get(theirs, "")
            for column in new_header[len(renamed) :]:
                values[column] = ""
            for column, value in values.items():
                table = translate.get(normalise(column))
                if table is not None:
                    values[column] = table.get(normalise(value), value)
            mapped_rows.append(Row(row.number, values))
        return new_header, mapped_rows


def _add_value(mapping, column, theirs, ours):
    mapping.values.setdefault(column, {})[normalise(theirs)] = ours


def parse_mapping(data, name=""):
    """A Mapping from the bytes of a JSON or CSV mapping file; MappingError saying what is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError("The mapping file is not UTF-8 text.") from None
    is_json = name.lower().endswith(".json") or (not name.lower().endswith(".csv") and text.lstrip().startswith("{"))
    return _from_json(text) if is_json else _from_csv(text)


def _from_json(text):
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as error:
        raise MappingError(f"The mapping file is not valid JSON: {error}.") from None
    if not isinstance(spec, dict):
        raise MappingError("The mapping file must hold one JSON object.")
    unknown = set(spec) - {"system", "columns", "values", "defaults", "date_formats", "notes"}
    if unknown:
        raise MappingError(f"Unknown key(s) in the mapping file: {', '.join(sorted(unknown))}.")
    mapping = Mapping(system=str(spec.get("system", "")))
    for theirs, ours in _object(spec, "columns").items():
        mapping.columns[normalise(theirs)] = str(ours)
    for column, table in _object(spec, "values").items():
        if not isinstance(table, dict):
            raise MappingError(f"values.{column} must be an object of their value to ours.")
        for theirs, ours in table.items():
            _add_value(mapping, column, theirs, str(ours))
    for column, default in _object(spec, "defaults").items():
        _add_value(mapping, column, "", str(default))
    if "date_formats" in spec:
        mapping.date_formats = _date_formats(spec["date_formats"])
    return mapping


def _object(spec, key):
    value = spec.get(key, {})
    if not isinstance(value, dict):
        raise MappingError(f"'{key}' must be an object.")
    return value


def _date_formats(formats):
    if isinstance(formats, str):
        formats = [formats]
    unknown = [f for f in formats if f not in DATE_FORMATS]
    if unknown or not formats:
        raise MappingError(
            f"Unknown date format(s): {', '.join(unknown) or '(none given)'}; choose from {', '.join(DATE_FORMATS)}."
        )
    return tuple(formats)


def _from_csv(text):
    reader = csv.DictReader(io.StringIO(text))
    fields = [normalise(f) for f in reader.fieldnames or []]
    if fields[:3] != ["theirs", "ours", "column"]:
        raise MappingError("A CSV mapping file needs the header: theirs,ours,column.")
    mapping = Mapping()
    for number, line in enumerate(reader, start=2):
        values = list(line.values())
        theirs, ours, column = ((value or "").strip() for value in values[:3])
        if not ours:
            raise MappingError(f"Mapping file row {number}: 'ours' is empty.")
        if normalise(column) == "date formats":
            mapping.date_formats = _date_formats([f.strip() for f in ours.split(";")])
        elif column:
            _add_value(mapping, column, theirs, ours)
        elif theirs:
            mapping.columns[normalise(theirs)] = ours
        else:
            raise MappingError(f"Mapping file row {number}: give their column name, or the column a value is for.")
    return mapping
