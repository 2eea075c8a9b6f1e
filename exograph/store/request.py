"""A query's request: its check (SERVICE and updates refused before anything runs), its dataset
and base IRI, its bound parameters, and the VALUES that carry them to the engine."""
from __future__ import annotations

import functools
from typing import Any, Iterable, Mapping, NamedTuple

import pyoxigraph as ox

from ..problems import UsageError
from ..sparql_check import QueryCheckError, check, scan
from .errors import QueryTooLarge, RefusedQuery
from .terms import Term, from_rdflib, nt_term


class QueryDataset(NamedTuple):
    """The RDF dataset of one query, and its base IRI (see :meth:`Store.query`)."""

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base: str | None = None
    from_text: bool = False  # the text has FROM / FROM NAMED: they choose, unless the caller did

    @property
    def chosen(self) -> bool:
        """Whether the caller chose the graphs (the protocol's ``default-graph-uri`` / ``named-graph-uri``)."""
        return self.default_graphs is not None or self.named_graphs is not None


def check_query(text: str) -> str:
    """The form of a query ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), or :class:`RefusedQuery`.

    Refuses SERVICE and updates before execution, whatever the case, comments, ``\\uXXXX``
    escapes or nesting (FROM / FROM NAMED pass: they choose among the store's graphs); raises
    :class:`QueryTooLarge` for an oversized text.
    """
    return checked(text)[0]


@functools.lru_cache(maxsize=128)
def checked(text: str) -> tuple:
    """(form, what the scan found) of an allowed query; raises as :func:`check_query`. Kept for the
    last texts (a server checks each text before it negotiates, then runs it; pages send the same
    queries again): the scan is Python, about 1 ms for a 2 kB named query. Callers only read it."""
    try:
        return check(text, allow_from=True)
    except QueryCheckError as error:
        raise (QueryTooLarge if error.kind == "size" else RefusedQuery)(str(error)) from None


def dataset(default_graphs: Iterable[str] | None, named_graphs: Iterable[str] | None, base: str | None,
            found: Any) -> QueryDataset:
    """The checked dataset arguments of :meth:`Store.query`."""
    graphs = [None if iris is None else tuple(iris) for iris in (default_graphs, named_graphs)]
    for what, iris in zip(("default graph", "named graph"), graphs):
        for iri in iris or ():
            if not isinstance(iri, str) or not is_iri(iri):
                raise RefusedQuery(f"{what} {iri!r} is not an absolute IRI")
    if base is not None and not is_iri(base):
        raise RefusedQuery(f"the base {base!r} is not an absolute IRI")
    if found.relative_iris and base is None and not any(word == "BASE" for word, _ in found.words):
        raise RefusedQuery(f"the query has the relative IRI {found.relative_iris[0]} and no base IRI to resolve it "
                           "against: write the IRI in full, add BASE <...> to the query, or give a base IRI "
                           "(exograph query --base IRI)")
    return QueryDataset(*graphs, base, any(word == "FROM" for word, _ in found.words))


def bound_terms(bindings: Mapping[str, Any], variables: set[str]) -> dict[str, Term]:
    """Bindings (rdflib terms, or the store's own term tuples) as the store's terms."""
    terms = {}
    for name, value in bindings.items():
        term = value if isinstance(value, tuple) else _rdflib_term(value)
        if term is None or term[0] == "b":
            raise UsageError(f"parameter '{name}' must be an IRI or a literal, not {type(value).__name__}")
        if name not in variables:
            known = ", ".join(f"?{v}" for v in sorted(variables)) or "none"
            raise UsageError(f"the query has no variable ?{name} to bind (its variables: {known})")
        terms[name] = term
    return terms


def _rdflib_term(value: Any) -> Term | None:
    from rdflib.term import Node

    return from_rdflib(value) if isinstance(value, Node) else None


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``VALUES`` for the bound variables at the start of its outermost WHERE group."""
    if not bindings:
        return text
    found = scan(text)
    where = next((offset for word, offset in found.words if word == "WHERE"), None)
    start = next((b for b in found.braces if where is None or b > where), None)
    if start is None:
        raise RefusedQuery("parameters need a query with a WHERE { ... } group")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(nt_term(term) for term in bindings.values())
    return f"{text[:start + 1]} VALUES ({names}) {{ ({values}) }} {text[start + 1:]}"


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that Oxigraph (and so the store and the SHACL engine) accepts."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
