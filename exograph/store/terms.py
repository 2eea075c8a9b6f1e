"""Engine-neutral RDF terms, the store's currency: ("i", iri), ("b", id) or ("l", lexical,
datatype or None, language or None); their N-Triples text and their rdflib form (rdflib is
imported on first use: printing results needs none)."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
Term = tuple
_RDFLIB: tuple = ()
_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _rdflib_classes() -> tuple:
    """(URIRef, Literal, BNode), imported on first use: printing results needs no rdflib."""
    global _RDFLIB
    if not _RDFLIB:
        from rdflib import BNode, Literal, URIRef

        _RDFLIB = (URIRef, Literal, BNode)
    return _RDFLIB


@functools.lru_cache(maxsize=1 << 16)
def _uriref(value: str) -> "Node":
    return _rdflib_classes()[0](value)  # IRIs repeat (predicates, classes): validate each once


def to_rdflib(term: Term | None) -> "Node | None":
    if term is None:
        return None
    kind = term[0]
    if kind == "i":
        return _uriref(term[1])
    uriref, literal, bnode = _rdflib_classes()
    if kind == "b":
        return bnode(term[1])
    _, value, datatype, language = term
    if language:
        return literal(value, lang=language)
    return literal(value, datatype=None if datatype in (None, XSD_STRING) else _uriref(datatype))


def from_rdflib(node: "Node | None") -> Term | None:
    from rdflib import BNode, Literal

    if node is None:
        return None
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        return ("l", str(node), datatype, node.language)
    return ("b" if isinstance(node, BNode) else "i", str(node))


def _nt_string(value: str) -> str:
    return '"' + "".join(_NT_ESCAPES.get(char, char) for char in value) + '"'


def nt_term(term: Term) -> str:
    """A term in N-Triples syntax (also valid SPARQL); never spans lines."""
    if term[0] == "i":
        return f"<{term[1]}>"
    if term[0] == "b":
        return f"_:{term[1]}"
    _, value, datatype, language = term
    if language:
        return f"{_nt_string(value)}@{language}"
    return _nt_string(value) + (f"^^<{datatype}>" if datatype else "")
