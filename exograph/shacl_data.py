"""The data the SHACL engine needs: the graph's N-Triples less the triples no shape can look at.

SHACL reaches a focus node's values only along the paths its shapes name, finds focus nodes by
rdf:type, rdfs:subClassOf and the predicates of its targets, and a SPARQL constraint reads only
the predicates its query names. So a triple whose predicate is none of those (a claim's
curator, knowledge level, agent type ...) cannot change a result, and the engine, whose loading
costs most of its time, need not load it. When the shapes could look at any predicate (a closed
shape, a custom constraint component, a query with a variable or negated predicate, or one that
does not parse), every triple is kept.
"""
from __future__ import annotations

import io
from typing import Any

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath


def shacl_input(ntriples: bytes, shapes: Graph) -> str:
    """The N-Triples lines whose predicate some shape can look at (all of them when that cannot be told), in
    ASCII: other characters as N-Triples escapes (the same terms), so that the text is one byte a character
    (a single non-ASCII character would make Python hold all of it at two or four)."""
    import rdflib.plugins.serializers.nt  # noqa: F401  registers "_rdflib_nt_escape": \uXXXX and \UXXXXXXXX

    predicates = relevant_predicates(shapes)
    wanted = None if predicates is None else {f"<{predicate}>".encode("utf-8") for predicate in predicates}
    kept = io.BytesIO()
    for line in io.BytesIO(ntriples):
        parts = line.split(b" ", 2)
        if len(parts) == 3 and (wanted is None or parts[1] in wanted):
            kept.write(line if line.isascii() else line.decode("utf-8").encode("ascii", "_rdflib_nt_escape"))
    return kept.getvalue().decode("ascii")


def relevant_predicates(shapes: Graph) -> set[str] | None:
    """Every predicate SHACL can read with ``shapes``; None when it may read any."""
    if any(shapes.objects(None, SH.closed)) or (None, RDF.type, SH.ConstraintComponent) in shapes:
        return None
    found = {str(term) for triple in shapes for term in triple if isinstance(term, URIRef)}
    found |= {str(RDF.type), str(RDFS.subClassOf)}
    prefixes = {str(prefix): str(namespace) for declaration in shapes.objects(None, SH.declare)
                for prefix in shapes.objects(declaration, SH.prefix)
                for namespace in shapes.objects(declaration, SH.namespace)}
    for text in (o for p in (SH.select, SH.ask, SH.construct) for o in shapes.objects(None, p)):
        named = query_predicates(str(text), prefixes)
        if named is None:
            return None
        found |= named
    return found


def query_predicates(text: str, prefixes: dict[str, str]) -> set[str] | None:
    """The predicates a SPARQL query names; None when it has a variable or negated one, or does not parse."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(text, initNs=prefixes).algebra
    except Exception:  # the engine reports a query it cannot run; here it only means: keep everything
        return None
    found: set[str] = set()
    return found if _walk(algebra, found) else None


def _walk(node: Any, found: set[str]) -> bool:
    """Collect the predicates of every triple pattern below ``node``; False at a predicate that is not an IRI path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "triples":
                for pattern in value:
                    if not all(_path(pattern[i], found) for i in range(1, len(pattern), 3)):
                        return False
            elif not _walk(value, found):
                return False
    elif isinstance(node, (list, tuple)):
        return all(_walk(item, found) for item in node)
    return True


def _path(path: Any, found: set[str]) -> bool:
    if isinstance(path, URIRef):
        found.add(str(path))
        return True
    if isinstance(path, (SequencePath, AlternativePath)):
        return all(_path(part, found) for part in path.args)
    if isinstance(path, InvPath):
        return _path(path.arg, found)
    if isinstance(path, MulPath):
        return _path(path.path, found)
    return False  # a variable, a negated property set
