"""RDF terms as plain Python values: below the network, export, viewer and API layers."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from .namespaces import PrefixMap


def graph_prefixes(graph: "Graph") -> dict[str, str]:
    """The prefixes a graph binds, as plain strings (the empty prefix left out)."""
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}


def plain(term: "Node | None", prefixes: "PrefixMap") -> Any:
    """An RDF term as a plain Python value: IRIs as CURIEs, literals as numbers, dates or text."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return prefixes.compress(term)
    if isinstance(term, Literal):
        value = term.toPython()
        return str(value) if isinstance(value, Literal) else value
    return str(term)
