"""The fast SHACL check (exograph.shacl_core, or pyshacl-turbo for shapes beyond it) against the reference
(pySHACL): the same problems, word for word, on the real graph, on randomly broken copies of the tiny
fixture graph and on faults reaching every kind of constraint the shapes use."""
from __future__ import annotations

import dataclasses
import random

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from exograph.build import build
from exograph.export import dumps_ntriples
from exograph.namespaces import EXOS

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
from exograph.validate import shacl_problems


def _problems(built, reference: bool) -> list:
    return sorted(set(shacl_problems(built, reference=reference)))


@pytest.fixture(scope="module")
def tiny_built(tiny_ontology):
    return build(tiny_ontology)


def _break(graph: Graph, rng: random.Random) -> Graph:
    """A copy with one to six random faults: a triple dropped, an object swapped for another node or a
    literal, a triple of a random predicate added, or a node given a random type."""
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    for prefix, namespace in graph.namespaces():
        broken.bind(prefix, namespace)
    triples = sorted(graph)
    nodes = sorted({term for s, _, o in triples for term in (s, o) if isinstance(term, URIRef)})
    predicates = sorted({p for _, p, _ in triples})
    for _ in range(rng.randint(1, 6)):
        s, p, o = rng.choice(triples)
        fault = rng.choice(["drop", "object", "literal", "add", "type"])
        if fault in ("drop", "object", "literal"):
            broken.remove((s, p, o))
        if fault == "object":
            broken.add((s, p, rng.choice(nodes)))
        elif fault == "literal":
            broken.add((s, p, Literal(rng.choice(["x", "too short", 3, "2026-01-01"]))))
        elif fault == "add":
            broken.add((rng.choice(nodes), rng.choice(predicates), rng.choice(nodes)))
        elif fault == "type":
            broken.add((s, RDF.type, rng.choice([EXOS.Claim, EXOS.Protein, EXOS.Publication, rng.choice(nodes)])))
    return broken


def test_both_engines_pass_the_real_graph():
    built = build()
    assert _problems(built, reference=False) == _problems(built, reference=True) == []


def test_both_engines_report_the_same_problems_on_broken_graphs(tiny_built):
    rng, rules = random.Random(20261130), set()
    for case in range(40):
        broken = dataclasses.replace(tiny_built, ntriples=dumps_ntriples(_break(tiny_built.graph, rng)))
        fast, reference = _problems(broken, False), _problems(broken, True)
        assert fast == reference, f"case {case}"
        rules |= {problem.message.split(": ", 1)[1].split(" (value")[0] for problem in reference}
    assert len(rules) >= 8, rules  # the faults reached many different constraints, or the comparison proves little


def test_lines_in_any_order_give_the_same_problems(tiny_built):
    """The fast checker reads each subject's lines together; shuffled lines are put in order first."""
    rng = random.Random(20261207)
    for case in range(6):
        lines = dumps_ntriples(_break(tiny_built.graph, rng)).splitlines(keepends=True)
        ordered = dataclasses.replace(tiny_built, ntriples=b"".join(lines))
        rng.shuffle(lines)
        shuffled = dataclasses.replace(tiny_built, ntriples=b"".join(lines))
        assert _problems(shuffled, False) == _problems(ordered, False) == _problems(ordered, True), f"case {case}"


def test_shapes_beyond_the_fast_checker_run_on_the_engine(tiny_ontology, tmp_path):
    """A shape using a part of SHACL the fast checker does not know (sh:pattern) is still checked, by the
    SHACL engine, with the words of the reference."""
    import shutil

    ontology = tmp_path / "ontology"
    shutil.copytree(tiny_ontology, ontology)
    with (ontology / "shapes.ttl").open("a", encoding="utf-8") as shapes:
        shapes.write('\nexos:LowerCaseLabelShape a sh:NodeShape ; sh:targetClass exos:Entity ;\n'
                     '    sh:property [ sh:path rdfs:label ; sh:pattern "^[a-z]" ;\n'
                     '                  sh:message "a label starts with a lower-case letter" ] .\n')
    built = build(ontology)
    fast, reference = _problems(built, False), _problems(built, True)
    assert fast == reference
    assert any("a label starts with a lower-case letter" in problem.message for problem in fast)


def test_every_kind_of_constraint_in_the_shapes_reports_as_the_reference(tiny_built):
    """Faults the random ones seldom reach: both SPARQL constraints, sh:xone and sh:or on quantities and on
    biomarkers, the inverse path of a status record, sh:maxCount, sh:nodeKind, and a value without a type."""
    from rdflib import XSD
    from rdflib.namespace import SKOS

    graph = Graph()
    for triple in tiny_built.graph:
        graph.add(triple)
    claim = sorted(graph.subjects(RDF.type, EXOS.Claim))[0]
    entity = sorted(graph.objects(claim, RDF.subject))[0]
    new = URIRef("https://w3id.org/exograph/claim/test-0")
    guideline_a, guideline_b = URIRef("https://w3id.org/exograph/id/g-a"), URIRef("https://w3id.org/exograph/id/g-b")
    for guideline in (guideline_a, guideline_b):
        graph.add((guideline, RDF.type, EXOS.Guideline))
    graph.add((guideline_b, EXOS.supersedes, guideline_a))
    for p, o in graph.predicate_objects(claim):
        if p not in (RDF.subject, RDF.predicate, RDF.object):
            graph.add((new, p, o))
    graph.add((new, RDF.subject, guideline_a))
    graph.add((new, RDF.predicate, EXOS.supersedes))
    graph.add((new, RDF.object, guideline_b))
    graph.add((claim, RDF.object, entity))  # a second object, and the subject itself: correlation with itself
    graph.set((claim, RDF.predicate, EXOS.correlatesWith))
    graph.add((entity, EXOS.biomarkerFor, guideline_a))  # not an outcome, disease or process
    graph.add((entity, SKOS.exactMatch, Literal("not an IRI")))
    quantity = URIRef(f"{claim}/quantity-9")
    graph.add((claim, EXOS.quantity, quantity))
    for p, o in ((RDF.type, EXOS.Quantity), (EXOS.value, Literal("many")), (EXOS.maxValue, Literal(3, datatype=XSD.integer)),
                 (EXOS.minValue, Literal(1, datatype=XSD.integer)),
                 (EXOS.comparator, EXOS.comparator_more_than), (RDFS_LABEL, Literal("a count")), (EXOS.unit, entity)):
        graph.add((quantity, p, o))
    record = URIRef("https://w3id.org/exograph/id/status-9")
    graph.add((record, RDF.type, EXOS.StatusRecord))
    graph.add((record, URIRef("http://purl.org/dc/terms/date"), Literal("2026-13-01", datatype=XSD.date)))
    broken = dataclasses.replace(tiny_built, ntriples=dumps_ntriples(graph))
    fast, reference = _problems(broken, False), _problems(broken, True)
    assert fast == reference
    messages = "\n".join(problem.message for problem in fast)
    for expected in ("links an entity to itself", "two guidelines supersede each other", "either one value or a minimum",
                     "a range carries a comparator", "must be an outcome, a disease or a biological process",
                     "belongs to exactly one clinical trial", "a claim has exactly one object", "not of the required kind",
                     "meets none of the allowed alternatives", "a status record has exactly one date"):
        assert expected in messages, expected
