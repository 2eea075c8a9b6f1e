"""Writers for the RDF graph: one ``dumps`` per format, and ``dump`` to write a file atomically."""
from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from .atomic import write_bytes_atomic

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def _sorted_json(value):
    """Order JSON-LD arrays and keys so that output does not depend on hashing."""
    if isinstance(value, dict):
        return {key: _sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def dumps_ntriples(graph: Graph) -> bytes:
    """N-Triples with sorted lines: the same graph always gives the same bytes."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
    return b"\n".join(sorted(set(line for line in lines if line.strip()))) + b"\n"


def dumps_turtle(graph: Graph) -> bytes:
    canonical = Graph(bind_namespaces="none")
    canonical.parse(data=dumps_ntriples(graph), format="nt")
    for prefix, namespace in sorted(graph.namespaces()):
        canonical.bind(prefix, namespace)
    return canonical.serialize(format="turtle", encoding="utf-8")


def dumps_jsonld(graph: Graph) -> bytes:
    context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return (json.dumps(_sorted_json(document), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


RDF_WRITERS = {"ttl": dumps_turtle, "nt": dumps_ntriples, "jsonld": dumps_jsonld}


def dumps(graph: Graph, fmt: str) -> bytes:
    """The graph serialised in ``fmt`` (one of :data:`RDF_WRITERS`), byte-identical for equal graphs."""
    return RDF_WRITERS[fmt](graph)


def dump(graph: Graph, fmt: str, path: Path | str) -> Path:
    return write_bytes_atomic(path, dumps(graph, fmt))
