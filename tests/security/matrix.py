"""Reads the permissions matrix out of docs/security.md."""

import re
from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
SECTION = "## Permissions matrix"
FIXED_COLUMNS = ("URL name", "method", "arguments")


@dataclass(frozen=True)
class Row:
    url_name: str
    method: str
    arguments: tuple
    query: str
    expected: dict  # role column -> "200" | "deny" | "login" | ...
    line: int

    @property
    def id(self):
        # The query is part of the row: one page can have a row per export format (`?format=csv`).
        suffix = f"({','.join(self.arguments)})" if self.arguments else ""
        return f"{self.method} {self.url_name}{suffix}{self.query}"


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_matrix(text=None):
    """Every row of every table in the matrix section; the role columns are named by each table's header."""
    text = DOC.read_text() if text is None else text
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == SECTION)
    except StopIteration as missing:
        raise AssertionError(f"{DOC} has no '{SECTION}' section") from missing
    rows, header = [], None
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if line.startswith("## "):
            break
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = cells
            if tuple(header[:3]) != FIXED_COLUMNS:
                raise AssertionError(f"docs/security.md line {number}: a matrix table starts with {FIXED_COLUMNS}")
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        if len(cells) != len(header):
            raise AssertionError(f"docs/security.md line {number}: {len(cells)} cells for {len(header)} columns")
        arguments, query = [], ""
        for part in (p.strip() for p in cells[2].split(",") if p.strip()):
            if part.startswith("?"):
                query = part
            else:
                arguments.append(part)
        rows.append(
            Row(
                url_name=cells[0].strip("`"),
                method=cells[1].upper(),
                arguments=tuple(arguments),
                query=query,
                expected=dict(zip(header[3:], cells[3:], strict=True)),
                line=number,
            )
        )
    return rows


def is_wildcard(url_name):
    return url_name.endswith(":*")


EXPECTATION = re.compile(r"^(\d{3}|deny|login)$")
