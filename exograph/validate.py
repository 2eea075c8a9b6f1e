"""Validation: row checks from compilation plus SHACL; returns problem records, never prints."""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

import re

from .build import Built, compile_ontology, parse_turtle
from .namespaces import EXOS
from .problems import Problem, UsageError, display_path
from .queries import read_queries

_LINE = re.compile(r"line (\d+)")


def schema_shapes(graph: Graph) -> Graph:
    """SHACL shapes for every exos property's rdfs:domain and rdfs:range."""
    shapes = Graph()
    for prop in sorted(set(graph.subjects(RDF.type, OWL.ObjectProperty))):
        if not str(prop).startswith(str(EXOS)):
            continue
        domain, range_ = graph.value(prop, RDFS.domain), graph.value(prop, RDFS.range)
        label = graph.value(prop, RDFS.label) or prop
        if domain is not None and domain != EXOS.Claim:
            shape = URIRef(f"{prop}-domain-shape")
            shapes.add((shape, RDF.type, SH.NodeShape))
            shapes.add((shape, SH.targetSubjectsOf, prop))
            shapes.add((shape, SH["class"], domain))
            shapes.add((shape, SH.message, Literal(f"the subject of '{label}' must be a {graph.value(domain, RDFS.label)}")))
        if range_ is not None and domain != EXOS.Claim:
            shape, constraint = URIRef(f"{prop}-range-shape"), BNode()
            shapes.add((shape, RDF.type, SH.NodeShape))
            shapes.add((shape, SH.targetSubjectsOf, prop))
            shapes.add((shape, SH.property, constraint))
            shapes.add((constraint, SH.path, prop))
            shapes.add((constraint, SH["class"], range_))
            shapes.add((constraint, SH.message, Literal(f"the object of '{label}' must be a {graph.value(range_, RDFS.label)}")))
    return shapes


def _locate(built: Built, claims_by_edge: dict, focus, path, value) -> tuple[str, int, str]:
    """The curated row behind a SHACL result: the claim of the edge if there is one, else the node's row."""
    row_location = claims_by_edge.get((focus, path, value))
    if row_location:
        return (*row_location, "predicate")
    if focus in built.locations:
        return (*built.locations[focus], "")
    return (display_path(built.layout.shapes, built.layout.root), 0, "")


def shacl_problems(built: Built) -> list[Problem]:
    """Run pySHACL with ``shapes.ttl`` and the schema-derived shapes; one problem per result."""
    from pyshacl import validate as run_shacl

    shapes, problems = parse_turtle(built.layout.shapes, built.layout)
    if problems:
        return problems
    shapes += schema_shapes(built.graph)
    _, report, _ = run_shacl(built.graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    claims_by_edge = {}
    for claim in built.graph.subjects(RDF.type, EXOS.Claim):
        edge = tuple(built.graph.value(claim, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        if claim in built.locations:
            claims_by_edge[edge] = built.locations[claim]
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus, path = report.value(result, SH.focusNode), report.value(result, SH.resultPath)
        value, message = report.value(result, SH.value), report.value(result, SH.resultMessage)
        file, line, column = _locate(built, claims_by_edge, focus, path, value)
        subject = built.prefixes.compress(focus)
        shown_value = f" (value {built.prefixes.compress(value)})" if value is not None else ""
        found.append(Problem(file, line, column, "shacl-violation", f"{subject}: {message}{shown_value}",
                             "correct the row so that it meets the shape in shapes.ttl or the schema's domain/range"))
    return found


def query_problems(built: Built) -> list[Problem]:
    """A problem for each named query that is not UTF-8 or does not parse."""
    from rdflib import Graph

    from .store import memory_store

    queries, errors = read_queries(built.layout.queries, built.layout.root)
    found = []
    for error in errors:
        where, _, message = error.partition(": ")
        file, _, line = where.partition(":")
        found.append(Problem(file, int(line or 0), "", "bad-query", message, "save the query as UTF-8 text"))
    empty = Graph()
    built.prefixes.bind_all(empty)
    store = memory_store(empty)  # each query runs once on no data: a parse that `exograph query` would make
    for query in queries.values():
        try:
            store.query(query.text, timeout=30)
        except UsageError as error:
            line = _LINE.search(str(error))
            found.append(Problem(display_path(query.path, built.layout.root), int(line.group(1)) if line else 0, "",
                                 "bad-query", str(error), "correct the SPARQL so that `exograph query` can run it"))
    return found


def validate(ontology=None) -> list[Problem]:
    """Every problem of an ontology folder: row checks, the named queries, then SHACL on what compiled.

    A SHACL result on a row that already has a row problem is left out: it is that problem's echo.
    """
    built = compile_ontology(ontology)
    if any(p.file == display_path(built.layout.prefixes, built.layout.root) for p in built.problems):
        return sorted(built.problems)  # without the prefixes nothing else can be checked
    reported = {(p.file, p.line) for p in built.problems}
    shacl = [p for p in shacl_problems(built) if (p.file, p.line) not in reported]
    return sorted(built.problems + query_problems(built) + shacl)
