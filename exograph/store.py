"""The triple store behind exograph: the only module that knows the backend (rdflib, in memory).

Every query passes through :func:`prepare`, which refuses anything that would reach the
network (``SERVICE``, ``FROM`` / ``FROM NAMED``, ``LOAD`` and other updates): rdflib would
otherwise execute them.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .problems import UsageError

rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph, even if a check were bypassed
_PARSER_LOCK = threading.Lock()  # rdflib's SPARQL parser is not thread-safe (rdflib issue 1282)


class RefusedQuery(UsageError):
    """A query that is not allowed to run."""


@dataclass
class QueryResult:
    """Rows of RDF terms (None for unbound), or a graph for CONSTRUCT / DESCRIBE, or a boolean for ASK."""

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    variables: list[str]
    rows: list[tuple[Node | None, ...]]
    graph: Graph | None = None
    boolean: bool | None = None
    raw: Any = None  # the backend's result, for the standard result serialisers

    def serialize(self, fmt: str) -> bytes:
        """SPARQL 1.1 results as ``json``, ``csv`` or ``tsv`` (or a graph's RDF for CONSTRUCT)."""
        if self.graph is not None:
            return self.graph.serialize(format="turtle", encoding="utf-8")
        if fmt == "tsv" and self.kind != "ASK":  # rdflib has no SPARQL TSV writer
            lines = ["\t".join(f"?{name}" for name in self.variables)]
            lines += ["\t".join("" if term is None else term.n3().replace("\t", "\\t") for term in row) for row in self.rows]
            return ("\n".join(lines) + "\n").encode("utf-8")
        return self.raw.serialize(format=fmt, encoding="utf-8")


def _syntax_error(error: ParseException) -> RefusedQuery:
    return RefusedQuery(f"SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}")


def prepare(text: str, namespaces: Mapping[str, str]) -> Query:
    """Parse and check a SPARQL query; raise :class:`RefusedQuery` naming what is wrong."""
    with _PARSER_LOCK:
        try:
            parsed = parseQuery(text)
        except ParseException as error:
            try:
                parseUpdate(text)
            except ParseException:
                raise _syntax_error(error) from None
            raise RefusedQuery("SPARQL updates (INSERT, DELETE, LOAD, CLEAR ...) are not allowed: exograph runs queries only") from None
        except RecursionError:
            raise RefusedQuery("the query is nested too deeply to parse") from None
        query = translateQuery(parsed, initNs=dict(namespaces))
    if query.algebra.get("datasetClause"):
        raise RefusedQuery("FROM / FROM NAMED is not allowed: it would load graphs from the network; query the default graph")
    services: list[Any] = []
    traverse(query.algebra, lambda node: services.append(node) if getattr(node, "name", "") == "ServiceGraphPattern" else None)
    if services:
        raise RefusedQuery("SERVICE is not allowed: exograph does not send queries to other endpoints")
    return query


class Store:
    """An in-memory RDF store with safe SPARQL."""

    def __init__(self, graph: Graph):
        self._graph = graph

    @property
    def namespaces(self) -> dict[str, str]:
        return {prefix: str(ns) for prefix, ns in self._graph.namespaces() if prefix}

    def __len__(self) -> int:
        return len(self._graph)

    def triples(self, subject=None, predicate=None, obj=None) -> Iterator[tuple[Node, Node, Node]]:
        return self._graph.triples((subject, predicate, obj))

    def value(self, subject, predicate) -> Node | None:
        return self._graph.value(subject, predicate)

    def rdflib_graph(self) -> Graph:
        """A copy of the data as an rdflib Graph (for serialisers and comparison)."""
        copy = Graph()
        for prefix, namespace in self._graph.namespaces():
            copy.bind(prefix, namespace, override=True, replace=True)
        for triple in self._graph:
            copy.add(triple)
        return copy

    def query(self, text: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a checked query; ``bindings`` are bound as RDF terms, never pasted into the text."""
        prepared = prepare(text, self.namespaces)
        for name, value in (bindings or {}).items():
            if not isinstance(value, (URIRef, Literal, BNode)):
                raise UsageError(f"parameter '{name}' must be an RDF term, not {type(value).__name__}")
        try:
            result = self._graph.query(prepared, initBindings=dict(bindings or {}))
        except RecursionError:
            raise RefusedQuery("the query is nested too deeply to run") from None
        kind = prepared.algebra.name.replace("Query", "").upper()
        if result.type == "ASK":
            return QueryResult("ASK", [], [], boolean=bool(result.askAnswer), raw=result)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = result.graph
            for prefix, namespace in self._graph.namespaces():
                graph.bind(prefix, namespace, override=True, replace=True)
            return QueryResult(result.type, [], [], graph=graph, raw=result)
        variables = [str(v) for v in result.vars]
        return QueryResult(kind, variables, [tuple(row) for row in result], raw=result)
