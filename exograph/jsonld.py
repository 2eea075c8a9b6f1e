"""JSON-LD written straight from sorted N-Triples, in one pass over the lines.

The document is the one exograph has always written: rdflib's JSON-LD writer with the graph's
prefixes as the context (``auto_compact``), then keys and arrays sorted and a one-space indent.
IRIs are shortened by rdflib's own context rules, so the bytes are the same; writing them this
way takes seconds where rdflib's writer took minutes and gigabytes at two million triples.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any, Mapping

from .ntriples import XSD, parse_literal, triples

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDF_NIL = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"
NATIVE = {XSD + name for name in ("boolean", "integer", "double", "string")}  # written as JSON values


def dumps(ntriples: bytes, namespaces: Mapping[str, str]) -> bytes | None:
    """The JSON-LD document of an N-Triples document of distinct sorted lines; None when the graph holds
    what rdflib spells otherwise (a blank node, rdf:nil, a predicate that is a prefix's namespace)."""
    found = pieces(ntriples, namespaces)
    return None if found is None else "".join(found).encode("utf-8")


def pieces(ntriples: bytes, namespaces: Mapping[str, str]) -> list[str] | None:
    """The JSON-LD document as a list of texts to write one after the other (its nodes are never joined
    into one string, so writing it holds the document once); None as for :func:`dumps`."""
    from rdflib.plugins.shared.jsonld.context import Context

    context = Context(dict(namespaces))
    if not context.active:
        return None
    shrink, symbol = _Memo(context.shrink_iri), _Memo(context.to_symbol)
    repeated = _Memo(lambda term: _value(term, shrink, symbol))  # IRIs and typed values: few, each met often
    stems = {f"<{namespace}>" for namespace in namespaces.values()}
    nodes: list[tuple[str, str]] = []  # (the node's @id as JSON, its text), sorted by the first as exograph sorts
    first = None  # the first subject and its values: written at the top when it is the only node
    subject, node = None, {}
    for triple in triples(ntriples):
        if triple[0] != subject:
            if node:
                nodes.append(_node(subject, node, shrink, 2))
                first = first or (subject, node)
            subject, node = triple[0], {}
        if subject[0] != "<" or triple[2][0] == "_" or triple[2] == RDF_NIL or triple[1] in stems:
            return None
        if triple[1] == RDF_TYPE:  # rdflib writes every rdf:type as @type, a class by its CURIE
            key = "@type"
            value = _string(symbol(triple[2][1:-1])) if triple[2][0] == "<" else _value(triple[2], shrink, symbol)
        else:
            obj = triple[2]
            key, value = symbol(triple[1][1:-1]), _value(obj, shrink, symbol) if obj[-1] == '"' else repeated(obj)
        node.setdefault(key, []).append(value)
    if node:
        nodes.append(_node(subject, node, shrink, 2))
        first = first or (subject, node)
    head = "{\n \"@context\": " + _dump(dict(sorted(namespaces.items())), 1)
    if len(nodes) == 1:  # one node: its keys beside the context, as rdflib writes it
        return [head + ",\n" + _node(*first, shrink, 0)[1][2:-2] + "\n}\n"]
    if not nodes:
        return [head + ",\n \"@graph\": []\n}\n"]
    nodes.sort()
    texts = [head + ",\n \"@graph\": [\n"]
    for _, text in nodes:
        texts += (text, ",\n")
    texts[-1] = "\n ]\n}\n"
    return texts


class _Memo(dict):
    """A function's results by argument (the few thousand IRIs a graph names, each shortened once)."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key: str) -> str:
        value = self[key] = self.function(key)
        return value

    __call__ = dict.__getitem__


# A value is (its sort key, its JSON text): the key is json.dumps(value, sort_keys=True), the text has "\1" where
# its keys are indented and "\0" before its closing brace (a string's own control characters are escaped).
def _string(text: str) -> tuple[str, str]:
    written = encode_basestring(text)
    return written, written


def _object(first: str, value: str, second: str | None = None, other: str = "") -> tuple[str, str]:
    """A JSON object of one or two keys (given sorted) whose values are already JSON text."""
    if second is None:
        return f'{{"{first}": {value}}}', f'{{\n\1"{first}": {value}\n\0}}'
    return (f'{{"{first}": {value}, "{second}": {other}}}',
            f'{{\n\1"{first}": {value},\n\1"{second}": {other}\n\0}}')


def _value(term: str, shrink, symbol) -> tuple[str, str]:
    """An object as rdflib's writer gives it: a node reference, a native JSON value, a plain string, or a value object."""
    if term[0] == "<":
        return _object("@id", encode_basestring(shrink(term[1:-1])))
    text, datatype, language = parse_literal(term)
    if datatype in NATIVE:
        from rdflib import Literal, URIRef

        value = Literal(text, datatype=URIRef(datatype)).toPython()
        return _string(str(value)) if isinstance(value, str) else (json.dumps(value),) * 2
    if datatype:
        return _object("@type", encode_basestring(symbol(datatype)), "@value", encode_basestring(text))
    if language:
        return _object("@language", encode_basestring(language), "@value", encode_basestring(text))
    return _string(text)


def _at(text: str, level: int) -> str:
    """A value's text ``level`` spaces deep."""
    return text.replace("\1", " " * (level + 1)).replace("\0", " " * level) if "\0" in text else text


def _node(subject: str, node: dict[str, list[tuple[str, str]]], shrink, level: int) -> tuple[str, str]:
    """(the node's @id as JSON, the node as JSON text ``level`` spaces deep): keys sorted, several values an
    array sorted as exograph sorts JSON-LD arrays."""
    ident = encode_basestring(shrink(subject[1:-1]))
    inner, deeper = " " * (level + 1), " " * (level + 2)
    items = [("@id", ident)]
    for key, values in node.items():
        if len(values) == 1:
            items.append((key, _at(values[0][1], level + 1)))
        else:
            texts = (deeper + _at(text, level + 2) for _, text in sorted(values))
            items.append((key, "[\n" + ",\n".join(texts) + "\n" + inner + "]"))
    text = ",\n".join(f"{inner}{encode_basestring(key)}: {value}" for key, value in sorted(items))
    return ident, " " * level + "{\n" + text + "\n" + " " * level + "}"


def _dump(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(value, indent=1, ensure_ascii=False)`` writes it ``level`` spaces deep."""
    if isinstance(value, str):
        return encode_basestring(value)
    inner = " " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{inner}{encode_basestring(key)}: {_dump(item, level + 1)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + "\n" + " " * level + "}"
    return json.dumps(value)
