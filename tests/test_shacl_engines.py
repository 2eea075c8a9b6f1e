"""The fast SHACL engine (pyshacl-turbo) against the reference (pySHACL): the same problems, word for word,
on the real graph and on randomly broken copies of the tiny fixture graph."""
from __future__ import annotations

import dataclasses
import random

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from exograph.build import build
from exograph.export import dumps_ntriples
from exograph.namespaces import EXOS
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
