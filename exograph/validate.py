"""Validation: row checks from compilation plus SHACL; returns problem records, never prints."""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

import re

from .build import Built, compile_ontology, parse_turtle
from .namespaces import EXOS
from .problems import Problem, UsageError, display_path
from .queries import read_queries
from .shacl_core import Result, check as check_shapes, compile_shapes
from .sparql_check import QueryCheckError, check

_LINE = re.compile(r"line (\d+)")


def schema_shapes(graph: Graph) -> Graph:
    """SHACL shapes for every exos property's rdfs:domain and rdfs:range."""
    shapes = Graph()
    for prop in sorted(set(graph.subjects(RDF.type, OWL.ObjectProperty))):
        if not str(prop).startswith(str(EXOS)):
            continue
        domain, range_ = graph.value(prop, RDFS.domain), graph.value(prop, RDFS.range)
        domain, range_ = (term if isinstance(term, URIRef) else None for term in (domain, range_))  # sh:class takes an IRI
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


def _locate(built: Built, focus, path, value) -> tuple[str, int, str]:
    """The curated row behind a SHACL result: the claim of the edge if there is one, else the node's row."""
    if all(isinstance(term, URIRef) for term in (focus, path, value)):
        row_location = built.edges.get((str(focus), str(path), str(value)))
        if row_location:
            return (*row_location, "predicate")
    if isinstance(focus, URIRef) and str(focus) in built.locations:
        return (*built.locations[str(focus)], "")
    return (display_path(built.layout.shapes, built.layout.root), 0, "")


def _shapes_problem(where: str, error: object) -> Problem:
    message = str(getattr(error, "message", None) or error).strip().splitlines()
    return Problem(where, 0, "", "shacl-shapes", message[0] if message else type(error).__name__,
                   "fix the shape in shapes.ttl: the SHACL engine cannot run it")


# what a result says when its shape declares no sh:message: the same words whichever engine ran it
_PHRASES = {
    "MinCount": "too few values of {path}",
    "MaxCount": "too many values of {path}",
    "Datatype": "a value of {path} is not a literal of the required datatype",
    "Class": "a value of {path} is not of the required class",
    "NodeKind": "a value of {path} is not of the required kind (IRI or literal)",
    "MinLength": "a value of {path} is too short",
    "Or": "a value of {path} meets none of the allowed alternatives",
    "Xone": "a value of {path} does not meet exactly one of the alternatives",
}


def _message(built: Built, result: Result, declared: set[str]) -> str:
    """The shape's own sh:message where it has one, else a phrase for the constraint it broke."""
    if result.message is not None and result.message in declared:
        return result.message
    if result.path is None:
        shown = "the node"
    elif isinstance(result.path, URIRef):  # a declared prefix, else the graph's own (rdf:, rdfs:, skos:, dcterms: ...)
        shown = built.prefixes.compress(result.path)
        shown = built.bound_graph().namespace_manager.normalizeUri(result.path) if shown == str(result.path) else shown
    else:
        shown = "its path"
    return _PHRASES.get(result.component, result.component + " constraint not met on {path}").format(path=shown)


def _engine_results(built: Built, shapes: Graph, reference: bool) -> list[Result] | Problem:
    """The results of a SHACL engine: pyshacl-turbo (which parses the N-Triples itself, less the triples no
    shape can look at) or, for ``reference``, pySHACL on the whole rdflib graph; a problem if it cannot run."""
    if reference:  # pySHACL, the reference the others are tested against (tests/test_shacl_engines.py)
        from pyshacl import validate as run

        data = built.graph
    else:
        from pyshacl_turbo import validate as run
        from pyshacl_turbo.rdf import Input

        from .shacl_data import shacl_input

        data = Input(shacl_input(built.ntriples, shapes), "nt", None, {}, dict(built.namespaces))
    where = display_path(built.layout.shapes, built.layout.root)
    try:
        _, report, _ = run(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    except Exception as error:  # malformed shapes are refused: ShapeLoadError, ConstraintLoadError ...
        return _shapes_problem(where, error)
    if not isinstance(report, Graph):  # a ValidationFailure is returned, not raised
        return _shapes_problem(where, report)
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        message = report.value(result, SH.resultMessage)
        component = str(report.value(result, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
        results.append(Result(report.value(result, SH.focusNode), report.value(result, SH.resultPath),
                              report.value(result, SH.value), component.removesuffix("ConstraintComponent"),
                              None if message is None else str(message)))
    return results


def shacl_problems(built: Built, reference: bool = False) -> list[Problem]:
    """Run the shapes of ``shapes.ttl`` and the schema-derived shapes; one problem per result.

    Shapes within the part of SHACL that :mod:`exograph.shacl_core` checks (all of the bundled ones) are
    checked by it in two passes over the N-Triples; others by pyshacl-turbo (SHACL in Rust, with pySHACL's
    interface); ``reference=True`` runs pySHACL.
    """
    shapes, problems = parse_turtle(built.layout.shapes, built.layout)
    if problems:
        return problems
    shapes += schema_shapes(built.schema)
    where = display_path(built.layout.shapes, built.layout.root)
    for text in (o for p in (SH.select, SH.ask, SH.construct) for o in shapes.objects(None, p)):
        try:  # a SPARQL-based shape reaches no other server either: refused before any engine sees it
            check(str(text))
        except QueryCheckError as error:
            if error.kind in ("service", "from", "update"):
                return [_shapes_problem(where, error)]
    compiled = None if reference else compile_shapes(shapes)
    results = check_shapes(built.ntriples, compiled) if compiled else _engine_results(built, shapes, reference)
    if isinstance(results, Problem):
        return [results]
    declared = {str(message) for message in shapes.objects(None, SH.message)}
    found = []
    for result in results:
        file, line, column = _locate(built, result.focus, result.path, result.value)
        subject = built.prefixes.compress(result.focus)
        shown_value = f" (value {built.prefixes.compress(result.value)})" if result.value is not None else ""
        found.append(Problem(file, line, column, "shacl-violation", f"{subject}: {_message(built, result, declared)}{shown_value}",
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
    SHACL runs once every IRI is valid.
    """
    built = compile_ontology(ontology)
    if any(p.file == display_path(built.layout.prefixes, built.layout.root) for p in built.problems):
        return sorted(built.problems)  # without the prefixes nothing else can be checked
    reported = {(p.file, p.line) for p in built.problems}
    if any(p.rule == "bad-iri" for p in built.problems):  # the SHACL engine refuses a graph holding one
        shacl = []
    else:
        shacl = [p for p in shacl_problems(built) if (p.file, p.line) not in reported]
    return sorted(built.problems + query_problems(built) + shacl)
