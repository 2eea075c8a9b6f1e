"""Writers for query results: SPARQL 1.1 JSON, CSV, TSV and XML; Turtle, N-Triples, JSON-LD, RDF/XML for graphs.

They work on the store's engine-neutral terms (see :mod:`exograph.store.terms`), so printing
results needs neither rdflib's result classes nor pandas.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..problems import UsageError
from .terms import nt_term, to_rdflib

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

TABLE_FORMATS = ("json", "csv", "tsv", "xml")
GRAPH_FORMATS = ("ttl", "nt", "jsonld", "rdfxml")


class QueryResult:
    """Rows of RDF terms (None for unbound), a graph for CONSTRUCT / DESCRIBE, or a boolean for ASK.

    ``rows`` and ``graph`` hold rdflib terms, made on first use; ``terms`` and ``triples`` hold
    the engine-neutral terms. ``truncated`` is True when ``limit`` cut rows off.
    """

    def __init__(self, kind: str, variables: list[str] | None = None, terms: list[tuple] | None = None,
                 boolean: bool | None = None, truncated: bool = False, namespaces: dict[str, str] | None = None):
        self.kind, self.boolean, self.truncated = kind, boolean, truncated
        self.variables = variables if variables is not None else []
        self.terms = terms if terms is not None else []
        self.namespaces = namespaces if namespaces is not None else {}
        self._rows: list | None = None
        self._graph: Any = None

    @property
    def rows(self) -> list[tuple["Node | None", ...]]:
        if self._rows is None:
            self._rows = [] if self.kind in ("CONSTRUCT", "DESCRIBE") else [tuple(map(to_rdflib, row)) for row in self.terms]
        return self._rows

    @property
    def graph(self) -> "Graph | None":
        if self.kind not in ("CONSTRUCT", "DESCRIBE"):
            return None
        if self._graph is None:
            from rdflib import Graph

            graph = Graph()
            for prefix, namespace in sorted(self.namespaces.items()):
                graph.bind(prefix, namespace, override=True, replace=True)
            for triple in self.terms:
                graph.add(tuple(map(to_rdflib, triple)))
            self._graph = graph
        return self._graph

    def serialize(self, fmt: str) -> bytes:
        """SPARQL 1.1 results as json, csv, tsv or xml (SELECT, ASK); ttl, nt or jsonld (CONSTRUCT, DESCRIBE)."""
        return serialize(self, fmt)


def serialize(result: QueryResult, fmt: str) -> bytes:
    """``result`` in ``fmt``; a format that does not fit the query form is a :class:`UsageError`."""
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"a {result.kind} query gives a graph: use --format {', '.join(GRAPH_FORMATS)} (or table)")
        return _graph(result, fmt)
    if fmt not in TABLE_FORMATS:
        raise UsageError(f"a {result.kind} query gives a table: use --format {', '.join(TABLE_FORMATS)} (or table)")
    if result.kind == "ASK":
        return _boolean(result.boolean, fmt)
    return {"json": _json, "csv": _csv, "tsv": _tsv, "xml": _xml}[fmt](result.variables, result.terms)


def _boolean(value: bool | None, fmt: str) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return (json.dumps({"head": {}, "boolean": bool(value)}) + "\n").encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{word}</boolean></sparql>\n").encode("utf-8")
    return f"{'?answer' if fmt == 'tsv' else 'answer'}\n{word}\n".encode("utf-8")  # CSV/TSV have no boolean form


def _json_term(term: tuple) -> dict:
    if term[0] == "i":
        return {"type": "uri", "value": term[1]}
    if term[0] == "b":
        return {"type": "bnode", "value": term[1]}
    _, value, datatype, language = term
    cell = {"type": "literal", "value": value}
    if language:
        cell["xml:lang"] = language
    elif datatype:
        cell["datatype"] = datatype
    return cell


def _json(variables: list[str], rows: list[tuple]) -> bytes:
    bindings = [{name: _json_term(term) for name, term in zip(variables, row) if term is not None} for row in rows]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _csv(variables: list[str], rows: list[tuple]) -> bytes:
    import csv  # only here: a query printed as a table needs no CSV writer
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else (f"_:{t[1]}" if t[0] == "b" else t[1]) for t in row])
    return out.getvalue().encode("utf-8")


def _tsv(variables: list[str], rows: list[tuple]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]  # N-Triples terms never hold a tab or a line break
    lines += ["\t".join("" if term is None else nt_term(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _xml(variables: list[str], rows: list[tuple]) -> bytes:
    from html import escape  # not xml.sax.saxutils, which imports urllib, http and email; and only here (1.5 ms)

    def attribute(value: str) -> str:
        return f'"{escape(value)}"'

    def term_xml(term: tuple) -> str:
        if term[0] == "i":
            return f"<uri>{escape(term[1], quote=False)}</uri>"
        if term[0] == "b":
            return f"<bnode>{escape(term[1], quote=False)}</bnode>"
        _, value, datatype, language = term
        tag = f" xml:lang={attribute(language)}" if language else (f" datatype={attribute(datatype)}" if datatype else "")
        return f"<literal{tag}>{escape(value, quote=False)}</literal>"

    head = "".join(f"<variable name={attribute(name)}/>" for name in variables)
    body = "".join("<result>" + "".join(f"<binding name={attribute(name)}>{term_xml(term)}</binding>"
                                        for name, term in zip(variables, row) if term is not None) + "</result>\n"
                   for row in rows)
    return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>\n{body}</results></sparql>\n").encode("utf-8")


def _graph(result: QueryResult, fmt: str) -> bytes:
    if fmt == "nt":
        lines = sorted({" ".join(map(nt_term, triple)) + " ." for triple in result.terms})
        return "".join(line + "\n" for line in lines).encode("utf-8")
    graph = result.graph
    if fmt == "ttl":
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt == "rdfxml":
        return graph.serialize(format="xml", encoding="utf-8")
    context = {prefix: namespace for prefix, namespace in result.namespaces.items()}
    return graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
