"""The graph as a citable dataset: release metadata and VoID in every export, `stats` reporting the
version and licence, the endpoint linking the description, bad metadata refused by line."""
from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import requests
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, VOID

from conftest import run_cli
from servers import exograph_server

DATASET = URIRef("https://w3id.org/exograph/")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
CHEN2018 = URIRef("http://identifiers.org/pubmed/30089911")  # the fixture's dataset.tsv names chen2018 as source
PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def built(tmp_path_factory, tiny_ontology) -> Path:
    out = tmp_path_factory.mktemp("dataset") / "out"
    result = run_cli("build", "-o", str(out), "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    return out


def description_nodes(graph: Graph) -> set:
    """The dataset node and its partition nodes: what VoID's counts leave out."""
    return {DATASET, *graph.objects(DATASET, VOID.classPartition), *graph.objects(DATASET, VOID.propertyPartition)}


@pytest.mark.parametrize("fmt", PARSERS)
def test_every_rdf_file_holds_the_release_metadata(built, fmt):
    graph = Graph().parse(built / f"exograph.{fmt}", format=PARSERS[fmt])
    assert {OWL.Ontology, VOID.Dataset} <= set(graph.objects(DATASET, RDF.type))
    assert graph.value(DATASET, OWL.versionInfo) == Literal("0.0.1")
    assert graph.value(DATASET, OWL.versionIRI) == URIRef("https://w3id.org/exograph/release/0.0.1/")
    assert graph.value(DATASET, DCTERMS.issued).toPython() == datetime.date(2026, 11, 30)
    assert graph.value(DATASET, DCTERMS.license) == CC_BY
    assert graph.value(DATASET, DCTERMS.source) == CHEN2018
    assert {str(c) for c in graph.objects(DATASET, DCTERMS.creator)} == {"fixture curator", "second fixture curator"}
    assert set(graph.objects(DATASET, VOID.dataDump)) == {
        URIRef(f"https://w3id.org/exograph/release/0.0.1/exograph.{name}") for name in PARSERS}


@pytest.mark.parametrize("fmt", PARSERS)
def test_void_counts_agree_with_the_graph_without_its_description(built, fmt):
    graph = Graph().parse(built / f"exograph.{fmt}", format=PARSERS[fmt])
    described = description_nodes(graph)
    rest = [(s, p, o) for s, p, o in graph if s not in described]
    assert len(rest) < len(graph)
    assert graph.value(DATASET, VOID.triples).toPython() == len(rest)
    by_property = Counter(p for _, p, _ in rest)
    partitions = {graph.value(node, VOID.property): graph.value(node, VOID.triples).toPython()
                  for node in graph.objects(DATASET, VOID.propertyPartition)}
    assert partitions == dict(by_property)
    instances: dict = {}
    for s, _, cls in (t for t in rest if t[1] == RDF.type):
        instances.setdefault(cls, set()).add(s)
    classes = {graph.value(node, VOID["class"]): graph.value(node, VOID.entities).toPython()
               for node in graph.objects(DATASET, VOID.classPartition)}
    assert classes == {cls: len(members) for cls, members in instances.items()}
    assert classes[URIRef("https://w3id.org/exograph/schema/Claim")] == 5
    assert graph.value(DATASET, VOID.entities).toPython() == len(set().union(*instances.values()))


def test_exports_carry_the_release_in_the_graph_or_as_graph_attributes(tmp_path, tiny_ontology):
    for fmt in ("nt", "graphml", "gexf", "cyjs", "node-link", "sssom"):
        result = run_cli("export", "--format", fmt, "-o", str(tmp_path / f"g.{fmt}"), "--ontology", str(tiny_ontology))
        assert result.returncode == 0, result.stderr
    from exograph.export import read_cyjs, read_graphml, read_node_link

    exported = Graph().parse(tmp_path / "g.nt", format="nt")  # `export` reads the store: the description is there too
    assert (DATASET, DCTERMS.license, CC_BY) in exported and (DATASET, OWL.versionInfo, Literal("0.0.1")) in exported

    for network in (read_graphml(tmp_path / "g.graphml"), read_cyjs(tmp_path / "g.cyjs"), read_node_link(tmp_path / "g.node-link")):
        assert network.graph["version"] == "0.0.1" and network.graph["license"] == str(CC_BY)
        assert network.graph["issued"] == "2026-11-30"
    gexf = "{http://www.gexf.net/1.2draft}"
    meta = ET.parse(tmp_path / "g.gexf").getroot().find(f"{gexf}meta")
    assert "version 0.0.1 of 2026-11-30" in meta.find(f"{gexf}description").text
    sssom = (tmp_path / "g.sssom").read_text(encoding="utf-8")
    assert f'#license: "{CC_BY}"' in sssom and '#mapping_set_version: "0.0.1"' in sssom


def test_stats_reports_the_version_and_licence(tiny_ontology):
    text = run_cli("stats", "--ontology", str(tiny_ontology))
    assert text.returncode == 0, text.stderr
    assert "version       0.0.1 of 2026-11-30" in text.stdout
    assert f"licence       {CC_BY}" in text.stdout
    release = json.loads(run_cli("stats", "--json", "--ontology", str(tiny_ontology)).stdout)["release"]
    assert (release["version"], release["issued"], release["license"]) == ("0.0.1", "2026-11-30", str(CC_BY))


def test_the_bundled_graph_names_its_licence_and_source_review(real_graph):
    release = real_graph.stats()["release"]
    assert release["license"] == str(CC_BY)
    source = real_graph.run(f"SELECT ?s WHERE {{ <{DATASET}> <{DCTERMS.source}> ?s }}").rows
    assert [str(row[0]) for row in source] == ["http://identifiers.org/pubmed/35962862"]


def test_without_dataset_tsv_there_is_no_description(ontology_copy):
    (ontology_copy / "curated/dataset.tsv").unlink()
    result = run_cli("stats", "--json", "--ontology", str(ontology_copy))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["release"] is None
    assert "version" not in run_cli("stats", "--ontology", str(ontology_copy)).stdout


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace("issued\t2026-11-30", "issued\t2026-13-01"), "dataset.tsv:4: [value] bad-value: '2026-13-01' is not a date"),
    (lambda t: t.replace("source\tchen2018", "source\tnobody1999"), "dataset.tsv:6: [value] unknown-publication"),
    (lambda t: t.replace("version\t0.0.1\n", ""), "dataset.tsv:1: missing-value: the field 'version' is missing"),
    (lambda t: t + "colour\tblue\n", "dataset.tsv:9: [field] unknown-field"),
    (lambda t: t + "version\t0.0.2\n", "dataset.tsv:9: [field] duplicate-id"),
    (lambda t: t.replace("license\thttps://creativecommons.org/licenses/by/4.0/", "license\tCC BY"), "'CC BY' is not an IRI"),
])
def test_bad_metadata_is_refused_by_line_and_nothing_is_written(tmp_path, ontology_copy, edit, expected):
    path = ontology_copy / "curated/dataset.tsv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("build", "-o", str(tmp_path / "out"), "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_the_endpoint_links_the_dataset_from_its_service_description(tmp_path, tiny_ontology):
    with exograph_server(tmp_path, "--ontology", str(tiny_ontology)) as server:
        description = Graph().parse(data=requests.get(server.url + "/sparql", timeout=30).text, format="turtle")
        about = requests.get(server.url + "/sparql", params={"query": f"DESCRIBE <{DATASET}>"},
                             headers={"Accept": "text/turtle"}, timeout=30)
    assert (DATASET, VOID.sparqlEndpoint, URIRef(server.url + "/sparql")) in description
    assert (DATASET, DCTERMS.license, CC_BY) in Graph().parse(data=about.text, format="turtle")


def test_validate_reports_bad_metadata_beside_other_problems(ontology_copy):
    edit = ontology_copy / "curated/dataset.tsv"
    edit.write_text(edit.read_text(encoding="utf-8").replace("2026-11-30", "30.11.2026"), encoding="utf-8")
    entities = ontology_copy / "curated/entities/tiny.tsv"
    entities.write_text(entities.read_text(encoding="utf-8") + "broken\tbroken\tGizmo\tA definition that is long.\t\t\t\t\n")
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert "dataset.tsv:4: [value] bad-value: '30.11.2026' is not a date" in result.stderr
    assert "entities/tiny.tsv:9: [category] unknown-category" in result.stderr
