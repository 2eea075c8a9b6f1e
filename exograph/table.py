"""Query results as an aligned plain-text table (what ``exograph query`` prints by default)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .namespaces import PrefixMap
    from .store import QueryResult


def _cell(term: tuple | None, prefixes: "PrefixMap") -> str:
    """A store term as a table cell: IRIs as CURIEs, literals as their text on one line."""
    if term is None:
        return ""
    if term[0] == "i":
        return prefixes.compress(term[1])
    if term[0] == "b":
        return f"_:{term[1]}"
    return " ".join(term[1].split())


def format_result(result: "QueryResult", prefixes: "PrefixMap") -> str:
    """ASK as ``answer`` and true/false; CONSTRUCT as sorted subject/predicate/object; SELECT as its rows."""
    if result.kind == "ASK":
        return format_table(["answer"], [[str(bool(result.boolean)).lower()]])
    rows = [[_cell(term, prefixes) for term in row] for row in result.terms]
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        return format_table(["subject", "predicate", "object"], sorted(rows))
    return format_table(result.variables, rows)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart; "(no results)" for no rows."""
    if not rows:
        return "(no results)"
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(header)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in [header, *rows]]
    return "\n".join(lines)
