"""Query results as an aligned plain-text table (what ``exograph query`` prints by default)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .terms import plain

if TYPE_CHECKING:
    from .namespaces import PrefixMap
    from .store import QueryResult


def _cell(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def format_result(result: "QueryResult", prefixes: "PrefixMap") -> str:
    """ASK as ``answer`` and true/false; CONSTRUCT as sorted subject/predicate/object; SELECT as its rows."""
    if result.kind == "ASK":
        return format_table(["answer"], [[str(bool(result.boolean)).lower()]])
    if result.graph is not None:
        rows = sorted([_cell(plain(term, prefixes)) for term in triple] for triple in result.graph)
        return format_table(["subject", "predicate", "object"], rows)
    rows = [[_cell(plain(term, prefixes)) for term in row] for row in result.rows]
    return format_table(result.variables, rows)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart; "(no results)" for no rows."""
    if not rows:
        return "(no results)"
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(header)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in [header, *rows]]
    return "\n".join(lines)
