"""Reading curated TSV files into rows that remember where they came from."""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from .paths import read_regular
from .problems import Problem, display_path

BOM = "\ufeff"
# C0 and C1 control characters (tab separates cells), DEL, and the line and paragraph separators
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class TableSpec(NamedTuple):
    """The columns of one kind of curated table; ``required`` cells may not be empty."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


class Row:
    """One data row: its cells by column name, and its place in the source file."""

    __slots__ = ("file", "line", "cells")

    def __init__(self, file: str, line: int, cells: dict[str, str]):
        self.file, self.line, self.cells = file, line, cells

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    def items(self, column: str) -> list[str]:
        """The pipe-separated values of a cell, stripped, without empties."""
        return [part.strip() for part in self[column].split("|") if part.strip()]

    def problem(self, column: str, rule: str, message: str, hint: str = "") -> Problem:
        return Problem(self.file, self.line, column, rule, message, hint)


class Table:
    def __init__(self, spec: TableSpec):
        self.spec = spec
        self.rows: list[Row] = []


def canonical_text(text: str) -> str:
    """A curated table in canonical form: the header, comment lines, then data rows sorted by their
    first cell; no blank lines, no carriage returns, one final newline."""
    lines = [line for line in normalise_newlines(text).lstrip(BOM).split("\n") if line.strip()]
    if not lines:
        return ""
    comments = [line for line in lines[1:] if line.startswith("#")]
    rows = sorted((line for line in lines[1:] if not line.startswith("#")), key=lambda line: line.split("\t", 1)[0])
    return "\n".join([lines[0], *comments, *rows]) + "\n"


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR line ends as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_lines(path: Path, shown: str) -> tuple[list[str | None], list[Problem]]:
    """The lines of a UTF-8 text file (a leading BOM dropped; CRLF, CR and LF ends alike), with a
    located problem for each line that is not UTF-8 (that line is None). Raises ``OSError``
    for anything that is not a readable regular file (see :func:`exograph.paths.read_regular`)."""
    raw = read_regular(path)
    if raw.startswith(BOM.encode("utf-8")):
        raw = raw[3:]
    lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    decoded: list[str | None] = []
    problems = []
    offset = 0
    for number, chunk in enumerate(lines, start=1):
        try:
            decoded.append(chunk.decode("utf-8"))
        except UnicodeDecodeError as error:
            decoded.append(None)
            problems.append(Problem(shown, number, "", "bad-encoding",
                                    f"byte {error.start + 1} of the line (byte {offset + error.start} of the file) is not UTF-8",
                                    "save the file as UTF-8"))
        offset += len(chunk) + 1
    return decoded, problems


def control_problem(row: "Row", column: str) -> Problem | None:
    """A problem if the cell holds a control character (NUL, ESC, DEL ...), which no output may carry raw."""
    match = _CONTROL.search(row[column])
    if not match:
        return None
    return row.problem(column, "control-character",
                       f"the cell holds the control character U+{ord(match.group()):04X} at character {match.start() + 1}",
                       "delete it: cells hold plain text")


def read_table(path: Path, spec: TableSpec, root: Path | None = None) -> tuple[Table, list[Problem]]:
    """Read a TSV with a header line; report unreadable files, bad encoding, malformed rows,
    control characters and missing values, each with its file and line."""
    shown = display_path(path, root)
    table = Table(spec)
    try:
        lines, problems = decode_lines(path, shown)
    except OSError as error:
        return table, [Problem(shown, 0, "", "unreadable-file", error.strerror or str(error),
                               "keep only regular UTF-8 text files here")]
    if not lines:
        return table, [Problem(shown, 1, "", "malformed-row", "the file is empty", "add the header line: " + "\t".join(spec.columns))]
    header: list[str] | None = None
    for number, text in enumerate(lines, start=1):
        if text is None:
            if header is None:
                return table, problems
            continue
        if header is None:
            header = text.split("\t")
            missing = [c for c in spec.columns if c not in header]
            unknown = [c for c in header if c not in spec.columns]
            if missing or unknown:
                detail = "; ".join(filter(None, [
                    f"missing column(s) {', '.join(missing)}" if missing else "",
                    f"unknown column(s) {', '.join(unknown)}" if unknown else ""]))
                problems.append(Problem(shown, number, "", "bad-header", detail,
                                        "the header must be: " + "\t".join(spec.columns)))
                return table, problems
            continue
        if not text.strip() or text.startswith("#"):
            continue
        cells = text.split("\t")
        if len(cells) != len(header):
            problems.append(Problem(shown, number, "", "malformed-row",
                                    f"{len(cells)} cells where the header has {len(header)}",
                                    "separate cells with exactly one tab each"))
            continue
        row = Row(shown, number, {name: value.strip() for name, value in zip(header, cells)})
        problems.extend(filter(None, (control_problem(row, column) for column in header)))
        for column in spec.required:
            if not row[column]:
                problems.append(row.problem(column, "missing-value", f"'{column}' is required", f"fill in the {column} cell"))
        table.rows.append(row)
    return table, problems
