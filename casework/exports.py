"""Tables out of the product as CSV or XLSX, safe to open in a spreadsheet.

A free-text value that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by
Excel or LibreOffice (CSV/formula injection); such values get a leading apostrophe, which spreadsheets show
as text. Numbers, dates and booleans pass through as themselves.

Control characters other than tab, line feed and carriage return (a NUL or an escape pasted into a name) are
not allowed in a spreadsheet's XML, and openpyxl refuses the whole file for one of them, so a subject access
export would fail. Every export replaces each with U+FFFD, the replacement character, so the reader sees that
something unprintable stood there.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What XML 1.0 (and so openpyxl) refuses: C0 controls but tab, LF and CR; and the two non-characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def printable(text):
    return CONTROL_CHARACTERS.sub(REPLACEMENT, text)


def safe_cell(value):
    """A cell value a spreadsheet will not evaluate: text starting like a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    text = printable(str(value))
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    # A byte-order mark so Excel reads the file as UTF-8 (names with accents, the pound sign).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Excel's limits on a sheet's name: at most 31 characters, none of these, unique in the workbook (ignoring case).
SHEET_NAME_LENGTH = 31
SHEET_NAME_REFUSED = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def sheet_names(titles):
    """A name Excel accepts for each title, in order: the refused characters replaced, cut at a word within 31
    characters, and a second sheet of the same name numbered "(2)" inside the limit, never left for openpyxl
    to number by cutting into the last word ("Car1")."""
    names, taken = [], set()
    for title in titles:
        name = printable(str(title)).translate(SHEET_NAME_REFUSED).strip().strip("'") or "Sheet"
        name = _cut(name, SHEET_NAME_LENGTH)
        candidate, number = name, 2
        while candidate.lower() in taken:
            suffix = f" ({number})"
            candidate = _cut(name, SHEET_NAME_LENGTH - len(suffix)) + suffix
            number += 1
        taken.add(candidate.lower())
        names.append(candidate)
    return names


def _cut(name, limit):
    if len(name) <= limit:
        return name
    cut = name[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;-")
    return cut if cut and len(cut) <= limit else name[:limit].rstrip()


def xlsx_bytes(sheets):
    """`sheets` is a list of (title, header, rows), or (title, header, rows, sheet name) where the title is too
    long for a sheet. Every cell is written as a value, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)

    workbook = Workbook()
    workbook.remove(workbook.active)
    names = sheet_names([entry[3] if len(entry) > 3 and entry[3] else entry[0] for entry in sheets])
    for name, (_title, header, rows, *_rest) in zip(names, sheets, strict=True):
        sheet = workbook.create_sheet(title=name)
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = bold
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(filename, header, rows):
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename, sheets):
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Line:
    """A file for csv.writer that hands each written line back instead of keeping it."""

    def write(self, value):
        return value


def csv_lines(header, rows, batch=500):
    """The CSV file of `csv_bytes`, as chunks of about `batch` rows, for a response that streams: rows are
    written as they are read, so a queue of a million cases is never held in memory."""
    writer = csv.writer(_Line())
    chunk = ["\ufeff" + writer.writerow([safe_cell(h) for h in header])]
    for row in rows:
        chunk.append(writer.writerow([safe_cell(value) for value in row]))
        if len(chunk) >= batch:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def csv_streaming_response(filename, header, rows):
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
