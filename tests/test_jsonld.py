"""The JSON-LD writer (issue 18): written straight from the sorted N-Triples, it gives the bytes rdflib's
JSON-LD writer gave (context = the graph's prefixes, keys and arrays sorted), for every kind of value."""
from __future__ import annotations

import json

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from exograph.export import _sorted_json, dumps_jsonld
from exograph.terms import graph_prefixes

E = "https://w3id.org/exograph/entity/"


def _rdflib(graph: Graph) -> bytes:
    document = json.loads(graph.serialize(format="json-ld", context=graph_prefixes(graph), auto_compact=True))
    return (json.dumps(_sorted_json(document), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _graph(*triples) -> Graph:
    graph = Graph()
    graph.bind("exo", E)
    for triple in triples:
        graph.add(triple)
    return graph


def test_every_kind_of_value_is_written_as_rdflib_wrote_it():
    a, b, p = URIRef(E + "a"), URIRef(E + "b"), URIRef(E + "p")
    values = [Literal("x"), Literal("y", lang="en"), Literal(5), Literal("05", datatype=XSD.integer), Literal(2.5),
              Literal(True), Literal("2020", datatype=XSD.gYear), b, URIRef("http://example.org/y"),
              Literal('q"u\nx\\'), Literal("ü€😀"), Literal("s", datatype=XSD.string)]
    graph = _graph(*((a, p, value) for value in values), (a, RDF.type, URIRef(E + "C")), (a, RDF.type, URIRef(E + "B")),
                   (b, URIRef(E + "q"), Literal("2020-01-01", datatype=XSD.date)), (b, RDF.type, Literal("lit")))
    assert dumps_jsonld(graph) == _rdflib(graph)


def test_one_node_none_and_blank_nodes_too():
    a, p = URIRef(E + "a"), URIRef(E + "p")
    for graph in (_graph(), _graph((a, p, Literal("x"))), _graph((a, p, Literal("x")), (a, p, URIRef(E + "x"))),
                  _graph((a, p, BNode("n1")), (BNode("n1"), p, Literal("y")))):
        assert dumps_jsonld(graph) == _rdflib(graph)
