"""Reading curated TSV files into rows that remember where they came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, display_path


@dataclass(frozen=True)
class TableSpec:
    """The columns of one kind of curated table; ``required`` cells may not be empty."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


@dataclass
class Row:
    """One data row: its cells by column name, and its place in the source file."""

    file: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    def items(self, column: str) -> list[str]:
        """The pipe-separated values of a cell, stripped, without empties."""
        return [part.strip() for part in self[column].split("|") if part.strip()]

    def problem(self, column: str, rule: str, message: str, hint: str = "") -> Problem:
        return Problem(self.file, self.line, column, rule, message, hint)


@dataclass
class Table:
    spec: TableSpec
    rows: list[Row] = field(default_factory=list)


def canonical_text(text: str) -> str:
    """A curated table in canonical form: the header, comment lines, then data rows sorted by their
    first cell; no blank lines, no carriage returns, one final newline."""
    lines = [line.rstrip("\r") for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    comments = [line for line in lines[1:] if line.startswith("#")]
    rows = sorted((line for line in lines[1:] if not line.startswith("#")), key=lambda line: line.split("\t", 1)[0])
    return "\n".join([lines[0], *comments, *rows]) + "\n"


def read_table(path: Path, spec: TableSpec, root: Path | None = None) -> tuple[Table, list[Problem]]:
    """Read a TSV with a header line; report bad encoding, malformed rows and missing values."""
    shown = display_path(path, root)
    problems: list[Problem] = []
    table = Table(spec)
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        return table, [Problem(shown, 1, "", "malformed-row", "the file is empty", "add the header line: " + "\t".join(spec.columns))]
    header: list[str] | None = None
    for number, chunk in enumerate(lines, start=1):
        try:
            text = chunk.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as error:
            problems.append(Problem(shown, number, "", "bad-encoding",
                                    f"byte {error.start + 1} of the line is not UTF-8", "save the file as UTF-8"))
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
        for column in spec.required:
            if not row[column]:
                problems.append(row.problem(column, "missing-value", f"'{column}' is required", f"fill in the {column} cell"))
        table.rows.append(row)
    return table, problems
